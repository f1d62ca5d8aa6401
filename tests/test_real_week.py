"""One real week built end to end: the real development set's stories of 2023-W43 (14 outlets, English
and Chinese) served as RSS feeds on 127.0.0.1, fetched, deduplicated, classified, selected, rendered and
published by the same calls as ``briefing run``.

No request leaves the machine: every story's link points at the same local server, which serves the
story's text (from the files) as its article page, and the client's resolver answers for 127.0.0.1 only
and refuses every other host."""

from __future__ import annotations

import json
from collections import defaultdict
from email.utils import format_datetime
from pathlib import Path
from typing import ClassVar
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader

from briefing.fetch import Client
from briefing.pipeline import Pipeline, run_week
from briefing.records import Source, SourceConfig
from briefing.settings import Settings
from briefing.store import Store
from briefing.week import parse_week, week_of

from .local_http import QuietHandler, serving

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
WEEK = "2023-W43"


def _feeds(base: str) -> tuple[dict[str, tuple[str, bytes]], dict[str, bytes]]:
    """source id -> (language, an RSS 2.0 feed of its stories of the week), and path -> article page."""
    by_source: dict[str, list[dict[str, str]]] = defaultdict(list)
    from datetime import datetime

    for line in (REAL / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if str(week_of(datetime.fromisoformat(row["published"]), "Asia/Shanghai")) == WEEK:
            by_source[row["source"]].append(row)
    feeds, pages = {}, {}
    for source, rows in by_source.items():
        for r in rows:
            paragraphs = "".join(
                f"<p>{escape(line)}</p>"
                for line in (r.get("text") or r.get("summary") or "").split("\n")
                if line.strip()
            )
            page = (
                f"<html><head><meta charset='utf-8'><title>{escape(r['title'])}</title></head>"
                f"<body><article><h1>{escape(r['title'])}</h1>{paragraphs}</article></body></html>"
            )
            pages[f"/a/{r['id']}"] = page.encode("utf-8")
            r["url"] = f"{base}/a/{r['id']}"
        items = "".join(
            f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link><guid>{escape(r['url'])}</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(r['published']))}</pubDate>"
            f"<description>{escape(r.get('text') or r.get('summary') or '')}</description></item>"
            for r in rows
        )
        feed = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
            f"<channel><title>{source}</title><link>http://127.0.0.1/</link>{items}</channel></rss>"
        )
        feeds[source] = (rows[0]["lang"], feed.encode("utf-8"))
    return feeds, pages


@pytest.mark.slow
def test_a_real_week_builds_end_to_end_on_the_loopback(tmp_path: Path) -> None:
    if not (REAL / "stories.jsonl").exists():
        pytest.skip(f"the real development set is not beside the checkout ({REAL})")
    class Feeds(QuietHandler):
        served: ClassVar[dict[str, bytes]] = {}

        def do_GET(self) -> None:
            body = self.served.get(self.path)
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html"
            self.reply(200 if body else 404, body or b"", {"Content-Type": f"{kind}; charset=utf-8"})

    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        if host != "127.0.0.1":
            raise OSError(f"{host}: not resolved in this test (no request leaves the machine)")
        return ["127.0.0.1"]

    with serving(Feeds) as port:
        feeds, pages = _feeds(f"http://127.0.0.1:{port}")
        Feeds.served.update(pages)
        Feeds.served.update({f"/{sid}.xml": body for sid, (_, body) in feeds.items()})
        sources = tuple(
            Source(
                id=sid,
                name=sid,
                kind="feed",
                url=f"http://127.0.0.1:{port}/{sid}.xml",
                lang=lang,  # type: ignore[arg-type]
                allow_private=True,
            )
            for sid, (lang, _) in sorted(feeds.items())
        )
        settings = Settings.load({}, db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", archive=str(tmp_path / "archive"))
        client = Client(resolve=resolve, attempts=1, obey_robots=False)
        with Store(settings.db_url) as store:
            p = Pipeline(
                settings=settings,
                config=SourceConfig(path="real", timezone="Asia/Shanghai", sources=sources),
                store=store,
            )
            published, _ = run_week(p, WEEK, client=client)
            stories = p.week_stories(parse_week(WEEK))
            clusters = store.load_clusters(WEEK)
    assert set(asked) <= {"127.0.0.1"}
    assert len(stories) >= 300 and len(clusters) < len(stories)
    pdf = PdfReader(published.pdf)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert WEEK in text and "Lead story" in text
    html = Path(published.html).read_text(encoding="utf-8")
    assert "编辑｜" not in html and "作者｜" not in html  # bylines never reach a summary
