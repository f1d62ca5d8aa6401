"""The archive's front page (``index.html``) and its Atom feed (``feed.xml``), made from the weeks' sidecars.

Nothing depends on the clock: the feed's dates are the weeks' own, so rebuilding the archive gives the same
bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..render import render_index
from ..text import strip_controls
from ..week import Week, parse_week
from ._archive import Archive
from ._names import FEED, INDEX, file_names
from ._sidecar import EditionInfo, edition_infos

__all__ = ["FEED_TITLE", "write_feed", "write_index"]

FEED_TITLE = "China Tech Briefing"
_SUBTITLE = "China's AI, computing, energy, policy, chips and science, weekly"


def _updated(week: Week) -> str:
    """When a week's edition counts as updated in the feed: the Monday after it, midnight UTC."""
    return datetime.combine(week.sunday + timedelta(days=1), time(), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(info: EditionInfo, base: str) -> str:
    """One week's ``<entry>`` of the feed."""
    w = parse_week(info.week)
    names = file_names(info.week)
    # XML has no place for control characters
    title = f"{FEED_TITLE} {info.week}" + (f": {strip_controls(info.lead)}" if info.lead else "")
    dates = f"{w.monday:%d %b} – {w.sunday:%d %b %Y}"
    summary = f"{dates}: {info.stories} stories, {info.events} events." if info.stories else f"{dates}."
    return (
        "  <entry>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <id>tag:briefing,{w.monday.year}:{info.week}</id>\n"
        f"    <updated>{_updated(w)}</updated>\n"
        f'    <link rel="alternate" type="text/html" href={quoteattr(base + names.html)}/>\n'
        f'    <link rel="enclosure" type="application/pdf" href={quoteattr(base + names.pdf)}/>\n'
        f"    <summary>{escape(summary)}</summary>\n"
        "  </entry>\n"
    )


def write_feed(archive: str | Path | Archive, *, public_url: str = "", limit: int = 52) -> str:
    """Write ``feed.xml``, an Atom feed of the latest briefings, so readers can subscribe by feed."""
    root = archive if isinstance(archive, Archive) else Archive(archive)
    base = public_url.rstrip("/") + "/" if public_url else ""
    infos = edition_infos(root)
    entries = [_entry(info, base) for info in infos[:limit]]
    updated = _updated(parse_week(infos[0].week)) if infos else "1970-01-01T00:00:00Z"
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"  <title>{escape(FEED_TITLE)}</title>\n  <subtitle>{_SUBTITLE}</subtitle>\n"
        f"  <id>tag:briefing,2026:archive</id>\n  <updated>{updated}</updated>\n"
        f'  <link rel="self" href={quoteattr(base + FEED)}/>\n'
        f'  <link rel="alternate" href={quoteattr(base + INDEX)}/>\n'
        "  <author><name>briefing</name></author>\n" + "".join(entries) + "</feed>\n"
    )
    return root.write(FEED, feed.encode("utf-8"))


def write_index(archive: str | Path | Archive) -> str:
    """Write ``index.html`` listing every week in ``archive``, newest first."""
    root = archive if isinstance(archive, Archive) else Archive(archive)
    rows = []
    for info in edition_infos(root):
        w = parse_week(info.week)
        names = file_names(info.week)
        rows.append(
            {
                "week": info.week,
                "dates": f"{w.monday:%d %b} – {w.sunday:%d %b %Y}",
                "html": names.html,
                "pdf": names.pdf,
                "lead": info.lead,
                "stories": info.stories,
                "entries": [list(e) for e in info.entries],
            }
        )
    return root.write(INDEX, render_index(rows).encode("utf-8"))
