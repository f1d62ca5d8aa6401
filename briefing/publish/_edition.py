"""Publish editions into the archive: one PDF and one HTML per week, an index and an Atom feed.

Each week also gets a small JSON sidecar (its lead headline and counts) that the index and the feed
are built from. Every file is written atomically (a temporary file in the same directory, then a
rename), so a reader never sees half a file and a failed write leaves the previous version in place.
Rewriting a week replaces its files; it never adds a second copy. Nothing depends on the clock: the
feed's dates are the weeks' own, so rebuilding the archive gives the same bytes.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .archive import DRAFTS, Archive, _atomic_write
from .render import render_index
from .text import strip_controls
from .week import parse_week

__all__ = ["EditionInfo", "Published", "atomic_write", "file_names", "publish_edition", "write_feed", "write_index"]

log = logging.getLogger(__name__)

FEED_TITLE = "China Tech Briefing"

_NAME_RE = re.compile(r"^briefing-(\d{4}-W\d{2})\.html$")


@dataclass(frozen=True)
class Published:
    """Where a week was published: local paths, or the objects' URLs."""

    week: str
    html: str
    pdf: str
    index: str
    feed: str | None = None


@dataclass(frozen=True)
class EditionInfo:
    """What the index and the feed say about a week: its lead headline and counts."""

    week: str
    lead: str = ""
    stories: int = 0
    events: int = 0
    #: what the archive's search finds the week by: each carried event as (headline, section, outlets, anchor)
    entries: tuple[tuple[str, str, str, str], ...] = ()


def file_names(week: str) -> tuple[str, str]:
    return f"briefing-{week}.html", f"briefing-{week}.pdf"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    _atomic_write(path, data)


def publish_edition(archive: str | Path | Archive, week: str, html: str, pdf: bytes, info: EditionInfo | None = None, *, public_url: str = "") -> Published:
    """Write a week's HTML and PDF into ``archive`` (a directory or an object-storage URL), refresh the index and the feed."""
    store = archive if isinstance(archive, Archive) else Archive(archive)
    for area in ("", DRAFTS):
        for left in store.clean_temporaries(area):
            log.warning("removed %s, a temporary file a killed writer left in the archive", left)
    html_name, pdf_name = file_names(week)
    store.write(pdf_name, pdf)  # the PDF first: the HTML is what the index lists
    store.write(f"briefing-{week}.json", json.dumps(asdict(info or EditionInfo(week=week)), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    html_at = store.write(html_name, html.encode("utf-8"))
    index = write_index(store)
    feed = write_feed(store, public_url=public_url)
    return Published(week=week, html=html_at, pdf=store.locate(pdf_name), index=index, feed=feed)


def _infos(archive: Archive) -> list[EditionInfo]:
    """Every published week of the archive (HTML and PDF both present), newest first."""
    names = set(archive.names())
    infos: list[EditionInfo] = []
    for name in names:
        m = _NAME_RE.match(name)
        if not m or file_names(m.group(1))[1] not in names:
            continue
        week = m.group(1)
        try:
            raw = json.loads(archive.read(f"briefing-{week}.json").decode("utf-8")) if f"briefing-{week}.json" in names else {}
            entries = tuple((str(e[0]), str(e[1]), str(e[2]), str(e[3])) for e in raw.get("entries") or () if isinstance(e, list) and len(e) == 4)
            infos.append(EditionInfo(week=week, lead=str(raw.get("lead", "")), stories=int(raw.get("stories", 0)), events=int(raw.get("events", 0)), entries=entries))
        except (OSError, ValueError):
            infos.append(EditionInfo(week=week))
    return sorted(infos, key=lambda i: parse_week(i.week), reverse=True)


def write_feed(archive: str | Path | Archive, *, public_url: str = "", limit: int = 52) -> str:
    """Write ``feed.xml``, an Atom feed of the latest briefings, so readers can subscribe by feed."""
    root = archive if isinstance(archive, Archive) else Archive(archive)
    base = public_url.rstrip("/") + "/" if public_url else ""
    entries = []
    for info in _infos(root)[:limit]:
        w = parse_week(info.week)
        html_name, pdf_name = file_names(info.week)
        updated = datetime.combine(w.sunday + timedelta(days=1), time(), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        title = f"{FEED_TITLE} {info.week}" + (f": {strip_controls(info.lead)}" if info.lead else "")  # XML has no place for control characters
        summary = f"{w.monday:%d %b} – {w.sunday:%d %b %Y}: {info.stories} stories, {info.events} events." if info.stories else f"{w.monday:%d %b} – {w.sunday:%d %b %Y}."
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(title)}</title>\n"
            f"    <id>tag:briefing,{w.monday.year}:{info.week}</id>\n"
            f"    <updated>{updated}</updated>\n"
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + html_name)}/>\n"
            f"    <link rel=\"enclosure\" type=\"application/pdf\" href={quoteattr(base + pdf_name)}/>\n"
            f"    <summary>{escape(summary)}</summary>\n"
            "  </entry>\n"
        )
    newest = _infos(root)[:1]
    updated = (
        datetime.combine(parse_week(newest[0].week).sunday + timedelta(days=1), time(), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if newest
        else "1970-01-01T00:00:00Z"
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <title>{escape(FEED_TITLE)}</title>\n  <subtitle>China's AI, computing, energy, policy, chips and science, weekly</subtitle>\n"
        f"  <id>tag:briefing,2026:archive</id>\n  <updated>{updated}</updated>\n"
        f"  <link rel=\"self\" href={quoteattr(base + 'feed.xml')}/>\n  <link rel=\"alternate\" href={quoteattr(base + 'index.html')}/>\n"
        "  <author><name>briefing</name></author>\n" + "".join(entries) + "</feed>\n"
    )
    return root.write("feed.xml", feed.encode("utf-8"))


def write_index(archive: str | Path | Archive) -> str:
    """Write ``index.html`` listing every week in ``archive``, newest first."""
    root = archive if isinstance(archive, Archive) else Archive(archive)
    rows = []
    for info in _infos(root):
        w = parse_week(info.week)
        html_name, pdf_name = file_names(info.week)
        rows.append({"week": info.week, "dates": f"{w.monday:%d %b} – {w.sunday:%d %b %Y}", "html": html_name, "pdf": pdf_name, "lead": info.lead, "stories": info.stories, "entries": [list(e) for e in info.entries]})
    return root.write("index.html", render_index(rows).encode("utf-8"))
