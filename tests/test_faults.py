"""Fetching that survives the real web: every fault of the fault web (tests/fault_server.py) fetched at
once, twice, into a real SQLite store.

The first run must store every healthy story exactly once and report every fault with a clear error
that names its URL; the whole run must take seconds, not minutes, however slow one host is; the second
run must add nothing and ask with conditional requests. Small timeouts and budgets keep it quick. At the
end: a backfill of a past week from a source's date-templated archive pages.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from briefing.errors import ConfigError, FetchError
from briefing.fetch import Client, archive_pages, fetch_source, fetch_sources
from briefing.health import source_health
from briefing.records import Source, SourceResult
from briefing.store import Store
from briefing.urls import story_id
from briefing.week import Week

from .fault_server import FAULTS, GBK_ONLY, HEALTHY, NOW, TEASERS, FaultWeb

MAX_BYTES = 2_000_000
BUDGET = 10.0


@dataclass
class Runs:
    web: FaultWeb
    store: Store
    sources: dict[str, Source]
    first: dict[str, SourceResult]
    second: dict[str, SourceResult]
    first_seconds: float
    second_seconds: float


def source(web: FaultWeb, fault: str) -> Source:
    zh = fault in ("healthy-zh", "gb2312", "big5", "mislabelled", "garbled")
    return Source(
        id=fault,
        name=fault,
        kind="feed",
        url=web[fault].url(),
        lang="zh" if zh else "en",
        fetch_articles=fault in TEASERS,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    path: Path = tmp_path_factory.mktemp("faults") / "store.sqlite"
    with FaultWeb() as web, Store(f"sqlite:///{path}") as store:
        sources = {f: source(web, f) for f in FAULTS}
        client = Client(
            connect_timeout=1.0,
            read_timeout=1.0,
            attempts=3,
            backoff=0.05,
            max_bytes=MAX_BYTES,
            resolve=web.resolve,
            connect=web.connect,
        )

        def run(run_id: str) -> tuple[dict[str, SourceResult], float]:
            started = time.monotonic()
            results = fetch_sources(
                list(sources.values()),
                client=client,
                store=store,
                tz="Asia/Shanghai",
                run_id=run_id,
                clock=lambda: NOW,
                budget=BUDGET,
                workers=32,
            )
            return {r.source: r for r in results}, time.monotonic() - started

        first, first_seconds = run("faults-1")
        second, second_seconds = run("faults-2")
        yield Runs(web, store, sources, first, second, first_seconds, second_seconds)


def test_all_faults_at_once_take_seconds_not_minutes(runs: Runs) -> None:
    assert runs.first_seconds < 25, f"the first run took {runs.first_seconds:.1f}s"
    assert runs.second_seconds < 25, f"the second run took {runs.second_seconds:.1f}s"
    # the slow host used its whole budget's worth of attempts; the others did not wait for it
    assert runs.first["slow"].seconds > 2
    for fault in ("healthy-en", "gb2312", "big5", "empty", "entity-bomb"):
        assert runs.first[fault].seconds < 3, (fault, runs.first[fault].seconds)


def test_every_healthy_story_is_stored_exactly_once(runs: Runs) -> None:
    expected = {
        story_id(runs.web[fault].url(f"/news/{item.slug}.html")): (fault, item)
        for fault, items in HEALTHY.items()
        for item in items
    }
    stored = {s.id: s for s in runs.store.stories_between(NOW.replace(year=2000), NOW.replace(year=2100))}
    assert set(stored) == set(expected)
    assert runs.store.count_stories() == len(expected)
    for sid, (fault, item) in expected.items():
        story = stored[sid]
        assert story.source == fault and story.title == item.title
        assert "\ufffd" not in story.title + story.text, fault
        if item.expected is None:
            assert story.date_estimated and story.published is None and story.fetched == NOW
        else:
            assert story.published == item.expected, (fault, item.slug, story.published)
            assert not story.date_estimated


@pytest.mark.parametrize("fault", [pytest.param(f, id=f) for f in HEALTHY])
def test_healthy_sources_work_and_count_their_stories(runs: Runs, fault: str) -> None:
    result = runs.first[fault]
    assert result.status == "ok", result.error
    assert result.new == len(HEALTHY[fault]) and result.http_status == 200


def test_gbk_only_and_big5_characters_survive(runs: Runs) -> None:
    text = " ".join(
        s.title + s.text for s in runs.store.stories_between(NOW.replace(year=2000), NOW.replace(year=2100))
    )
    for char in GBK_ONLY + "臺灣積體電路製造":
        assert char in text


def test_teaser_feeds_get_their_text_from_the_article_pages(runs: Runs) -> None:
    stories = {
        s.url.rsplit("/", 1)[1]: s
        for s in runs.store.stories_between(NOW.replace(year=2000), NOW.replace(year=2100))
        if s.source == "healthy-zh"
    }
    suanli = stories["suanli.html"]
    assert "东数西算工程八大枢纽节点" in suanli.text and "电能利用效率" in suanli.text
    for junk in ("责任编辑", "相关新闻", "版权所有", "登录"):
        assert junk not in suanli.text


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        pytest.param("slow", "timed out", id="slow-host"),
        pytest.param("server-error", "HTTP 500", id="500"),
        pytest.param("gzip-bomb", f"larger than {MAX_BYTES} bytes (decoded)", id="gzip-bomb"),
        pytest.param("endless", f"larger than {MAX_BYTES} bytes (decoded)", id="endless-body"),
        pytest.param(
            "entity-bomb", "refused: the DOCTYPE declares entity &lol1; in terms of other entities", id="entity-bomb"
        ),
        pytest.param("redirect-loop", "redirect loop", id="redirect-loop"),
        pytest.param(
            "html-not-feed",
            "not an RSS or Atom feed: got an HTML page (the page names a feed: http://html-not-feed.faults.test",
            id="html-not-feed",
        ),
        pytest.param("empty", "not an RSS or Atom feed (the body is empty)", id="empty-body"),
        pytest.param("reset", "connection broke while reading the body", id="reset-mid-body"),
        pytest.param(
            "robots-disallow", 'robots.txt ("Disallow: /*.xml$" for user agent briefing)', id="robots-disallow"
        ),
        pytest.param(
            "to-metadata",
            "refused: 169.254.169.254 resolves to non-public address 169.254.169.254",
            id="redirect-to-metadata",
        ),
        pytest.param("to-loopback", "resolves to non-public address 127.0.0.1", id="redirect-to-loopback"),
        pytest.param(
            "to-internal", "internal.faults.test resolves to non-public address 10.0.0.7", id="redirect-to-internal"
        ),
        pytest.param("garbled", "the text is mostly undecodable", id="mostly-replacement-characters"),
    ],
)
def test_every_fault_is_reported_with_a_clear_error_naming_its_url(runs: Runs, fault: str, message: str) -> None:
    result = runs.first[fault]
    assert result.status == "error"
    assert result.error is not None and message in result.error, result.error
    assert runs.web[fault].netloc in result.error, "the error names the source's URL"
    assert result.new == 0


def test_redirect_hops_to_private_addresses_never_connect(runs: Runs) -> None:
    # to-loopback's target is the real local server: it must never have been asked for anything twice
    assert runs.web["to-loopback"].hits["/feed.xml"] == 2  # one request per run, each refused at the hop


def test_429_is_retried_after_the_retry_after_it_asks_for(runs: Runs) -> None:
    starts = runs.web["retry-after"].starts["/feed.xml"]
    assert starts[1] - starts[0] >= 0.95


def test_4xx_are_not_retried_and_5xx_are(runs: Runs) -> None:
    assert runs.web["server-error"].hits["/feed.xml"] == 2 * 3  # three attempts in each run
    assert runs.web["html-not-feed"].hits["/feed.xml"] == 2


def test_the_host_rate_limit_spaces_requests(runs: Runs) -> None:
    host = runs.web["healthy-zh"]
    starts = sorted(t for times in host.starts.values() for t in times)
    first_run = starts[: 2 + len(HEALTHY["healthy-zh"])]  # robots.txt, the feed, the articles
    gaps = [b - a for a, b in pairwise(first_run)]
    # a turn a second: over the run, since a loaded machine can delay one arrival at the server and not the next
    assert first_run[-1] - first_run[0] >= 0.9 * len(gaps), gaps


def test_robots_txt_is_read_once_per_host_per_run(runs: Runs) -> None:
    for fault in ("healthy-zh", "robots-disallow", "healthy-en"):
        assert runs.web[fault].hits["/robots.txt"] == 2, fault


def test_malformed_and_partly_unsafe_feeds_are_flagged(runs: Runs) -> None:
    truncated = runs.first["truncated"]
    assert truncated.status == "ok" and truncated.new == 2
    truncated_notes = "; ".join(truncated.warnings)
    assert (
        truncated.error is None and "malformed feed" in truncated_notes and "recovered 3 items" not in truncated_notes
    )
    hostile = runs.first["hostile-link"]
    assert hostile.status == "ok" and hostile.new == 1
    hostile_notes = "; ".join(hostile.warnings)
    assert "1 item link(s) refused and dropped" in hostile_notes and "169.254.169.254" in hostile_notes
    mislabelled = runs.first["mislabelled"]
    assert mislabelled.status == "ok" and mislabelled.error is None and mislabelled.warnings == ()


def test_the_second_run_adds_nothing_and_asks_conditionally(runs: Runs) -> None:
    assert sum(r.new for r in runs.second.values()) == 0
    expected = sum(len(items) for items in HEALTHY.values())
    assert runs.store.count_stories() == expected
    for fault in HEALTHY:
        assert runs.second[fault].status == "ok"
        assert runs.second[fault].http_status == 304, fault
        assert runs.web[fault].conditional["/feed.xml"] == 1, fault
    # a 304 costs no parsing: not one article page was asked for again
    assert all(n == 1 for path, n in runs.web["healthy-zh"].hits.items() if path.startswith("/news/"))


def test_both_runs_are_in_the_health_report(runs: Runs) -> None:
    report = {h.source: h for h in source_health(runs.store, list(FAULTS))}
    for fault in FAULTS:
        failing = runs.first[fault].status == "error"
        assert report[fault].consecutive_failures == (2 if failing else 0), fault
        assert report[fault].runs == 2
    assert report["healthy-en"].status == "ok" and report["healthy-en"].http_status == 304
    assert report["slow"].status == "error" and "timed out" in (report["slow"].error or "")


def test_a_gzip_bomb_stops_at_the_cap_with_memory_flat() -> None:
    import tracemalloc

    with FaultWeb(("gzip-bomb", "endless")) as web:
        client = Client(max_bytes=1_000_000, resolve=web.resolve, connect=web.connect, attempts=1, obey_robots=False)
        for fault in ("gzip-bomb", "endless"):
            tracemalloc.start()
            try:
                with pytest.raises(FetchError, match="larger than 1000000 bytes"):
                    client.get(web[fault].url())
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            # 100 MB decoded (or an endless stream) read with a 1 MB cap: the peak stays near the cap
            assert peak < 6_000_000, (fault, peak)
        client.close()


# -- backfill from archive pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param(
            "https://e.cn/archive/{date:%Y-%m-%d}.html",
            [f"https://e.cn/archive/2026-11-{d}.html" for d in range(16, 23)],
            id="per-day",
        ),
        pytest.param(
            "https://e.cn/{year}/{month:02d}/{day:02d}/",
            [f"https://e.cn/2026/11/{d}/" for d in range(16, 23)],
            id="per-day-fields",
        ),
        pytest.param("https://e.cn/archive/{week}.xml", ["https://e.cn/archive/2026-W47.xml"], id="per-week"),
        pytest.param("https://e.cn/a?y={isoyear}&w={isoweek}", ["https://e.cn/a?y=2026&w=47"], id="iso-fields"),
        pytest.param("https://e.cn/{year}-{month:02d}/", ["https://e.cn/2026-11/"], id="per-month"),
    ],
)
def test_archive_pages_of_a_week(template: str, expected: list[str]) -> None:
    assert archive_pages(template, Week(2026, 47)) == expected


def test_archive_pages_of_a_week_across_two_months() -> None:
    assert archive_pages("https://e.cn/{year}-{month:02d}/", Week(2026, 49)) == [
        "https://e.cn/2026-11/",
        "https://e.cn/2026-12/",
    ]


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("https://e.cn/{dat}/", id="unknown-field"),
        pytest.param("https://e.cn/{date:%Y}{/", id="bad-format"),
        pytest.param("https://e.cn/{month:Z}/", id="bad-spec"),
    ],
)
def test_bad_archive_templates_are_config_errors(template: str) -> None:
    with pytest.raises(ConfigError, match="archive_url"):
        archive_pages(template, Week(2026, 47))


ARCHIVE = {  # day -> (slug, headline, published) of the stories listed on that day's archive page
    "2026-11-16": [("cluster", "A 10,000-GPU cluster opens in Ningxia", "2026-11-16T09:00:00+08:00")],
    "2026-11-18": [
        ("labels", "The regulator finalises AI labelling rules", "2026-11-18T10:30:00+08:00"),
        ("quantum", "A quantum link sets a distance record", "2026-11-18T15:00:00+08:00"),
    ],
}


def _archived_source(base: str) -> Source:
    """A feed at ``base`` whose past days are archive pages (``archive_url``)."""
    return Source(
        id="archived",
        name="Archived",
        kind="feed",
        url=f"{base}/feed.xml",
        lang="en",
        archive_url=base + "/archive/{date:%Y-%m-%d}.html",
        rate_limit=100,
    )

@pytest.fixture
def archive_web() -> Iterator[tuple[str, Counter[str], Client]]:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits[self.path] += 1
            status, body = 404, "not found"
            if self.path.startswith("/archive/"):
                day = self.path.removeprefix("/archive/").removesuffix(".html")
                if day in ARCHIVE:
                    links = "".join(
                        f'<li><a href="/news/{slug}.html">{title}</a></li>' for slug, title, _ in ARCHIVE[day]
                    )
                    status, body = (
                        200,
                        f"<html><body><h1>Archive {day}</h1><ul class='archive'>{links}</ul></body></html>",
                    )
            elif self.path.startswith("/news/"):
                slug = self.path.removeprefix("/news/").removesuffix(".html")
                found = [(t, p) for items in ARCHIVE.values() for s, t, p in items if s == slug]
                if found:
                    title, published = found[0]
                    paragraphs = "".join(
                        f"<p>{title}: paragraph {n} of the story, with enough words to count as the article's main "
                        f"text.</p>"
                        for n in range(5)
                    )
                    status, body = (
                        200,
                        (
                            f"<html><head><title>{title}</title>"
                            f'<meta property="article:published_time" content="{published}"></head>'
                            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
                        ),
                    )
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        return socket.create_connection(("127.0.0.1", port), timeout)

    client = Client(resolve=lambda host: ["93.184.215.14"], connect=connect)
    try:
        yield f"http://archive.example.test:{port}", hits, client
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_backfill_reads_the_archive_pages_of_a_past_week(
    archive_web: tuple[str, Counter[str], Client], store: Store
) -> None:
    base, hits, client = archive_web
    src = _archived_source(base)
    result = fetch_source(src, client=client, store=store, tz="Asia/Shanghai", week=Week(2026, 47))
    assert result.status == "ok" and result.new == 3, result
    assert "5 of 7 archive pages failed" in "; ".join(result.warnings)  # the days with no page
    assert hits["/feed.xml"] == 0, "a backfill reads the archive, not the live feed"
    assert sum(n for path, n in hits.items() if path.startswith("/archive/")) == 7
    start, end = Week(2026, 47).bounds("Asia/Shanghai")
    stories = {s.title: s for s in store.stories_between(start, end)}
    assert sorted(stories) == sorted(t for items in ARCHIVE.values() for _, t, _ in items)
    assert stories["A quantum link sets a distance record"].published == datetime(2026, 11, 18, 7, 0, tzinfo=UTC)
    assert all(len(s.text) > 200 and not s.date_estimated for s in stories.values())
    again = fetch_source(src, client=client, store=store, tz="Asia/Shanghai", week=Week(2026, 47))
    assert again.new == 0 and again.skipped == 3


def test_backfill_with_a_bad_template_is_an_error_naming_the_source(
    archive_web: tuple[str, Counter[str], Client], store: Store
) -> None:
    base, _, client = archive_web
    src = Source(
        id="archived",
        name="Archived",
        kind="feed",
        url=f"{base}/feed.xml",
        lang="en",
        archive_url=base + "/archive/{when}.html",
    )
    result = fetch_source(src, client=client, store=store, tz="Asia/Shanghai", week=Week(2026, 47))
    assert result.status == "error" and result.error is not None
    assert "source 'archived'" in result.error and "unknown field(s) when" in result.error


def test_without_a_week_the_live_feed_is_read(archive_web: tuple[str, Counter[str], Client], store: Store) -> None:
    base, hits, client = archive_web
    src = _archived_source(base)
    result = fetch_source(src, client=client, store=store, tz="Asia/Shanghai")
    assert result.status == "error" and "HTTP 404" in (result.error or "")
    assert hits["/feed.xml"] == 1 and not any(p.startswith("/archive/") for p in hits)
