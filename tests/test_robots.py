"""robots.txt with RFC 9309 semantics (briefing.robots), and the client obeying it (briefing.http).

The parsing cases are a table of (robots.txt, URL, allowed); the client cases use a local server whose
robots.txt each test sets, reached through made-up public names so the SSRF guard stays on.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from briefing.errors import FetchError
from briefing.fetch import ROBOTS_MAX_BYTES as MAX_BYTES
from briefing.fetch import Client, RobotsCache, RobotsTxt, robots_url
from tests.local_http import QuietHandler, serving

BASE = "https://news.example.com"

WILDCARDS = """
User-agent: *
Disallow: /*.pdf$
Disallow: /search?
Disallow: /private/*/drafts
Allow: /private/public/
Disallow: /private/
"""

SPECIFIC = """
User-agent: Googlebot
Disallow: /

User-agent: BRIEFING/2.0
User-agent: otherbot
Disallow: /news/
Allow: /news/tech/

User-agent: *
Disallow: /everything
"""


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        pytest.param("", "/anything", True, id="empty-file-allows-all"),
        pytest.param("User-agent: *\nDisallow:\n", "/x", True, id="empty-disallow-matches-nothing"),
        pytest.param("User-agent: *\nDisallow: /\n", "/x", False, id="disallow-all"),
        pytest.param("User-agent: *\nDisallow: /\n", "/robots.txt", True, id="robots-txt-always-allowed"),
        pytest.param("Disallow: /\n", "/x", True, id="rules-before-any-user-agent-are-ignored"),
        pytest.param(WILDCARDS, "/files/report.pdf", False, id="star-and-dollar"),
        pytest.param(WILDCARDS, "/files/report.pdf?download=1", True, id="dollar-anchors-the-end"),
        pytest.param(WILDCARDS, "/files/report.PDF", True, id="paths-are-case-sensitive"),
        pytest.param(WILDCARDS, "/search?q=chips", False, id="query-prefix"),
        pytest.param(WILDCARDS, "/search", True, id="query-prefix-needs-the-query"),
        pytest.param(WILDCARDS, "/private/2026/drafts/x.html", False, id="star-in-the-middle"),
        pytest.param(WILDCARDS, "/private/public/page.html", True, id="longest-match-wins-allow"),
        pytest.param(WILDCARDS, "/private/other.html", False, id="longest-match-wins-disallow"),
        pytest.param("User-agent: *\nAllow: /page\nDisallow: /page\n", "/page", True, id="allow-wins-a-tie"),
        pytest.param(
            "User-agent: *\nDisallow: /page\nAllow: /page\n", "/page", True, id="allow-wins-a-tie-whatever-the-order"
        ),
        pytest.param("User-agent: *\nDisallow: /*\nAllow: /a$\n", "/a", True, id="longer-pattern-wins-over-wildcard"),
        pytest.param(SPECIFIC, "/news/world.html", False, id="our-group-by-product-token-case-insensitive"),
        pytest.param(SPECIFIC, "/news/tech/chips.html", True, id="our-group-allow-inside-disallow"),
        pytest.param(SPECIFIC, "/everything", True, id="star-group-ignored-when-ours-exists"),
        pytest.param(
            "User-agent: *\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n",
            "/b",
            False,
            id="groups-for-one-agent-combine",
        ),
        pytest.param(
            "User-agent: *\nDisallow: /%E6%96%B0%E9%97%BB/\n",
            "/新闻/今日.html",
            False,
            id="percent-encoded-pattern-vs-utf8-path",
        ),
        pytest.param(
            "User-agent: *\nDisallow: /新闻/\n",
            "/%e6%96%b0%e9%97%bb/x",
            False,
            id="utf8-pattern-vs-percent-encoded-path",
        ),
        pytest.param("User-agent: *\nDisallow: /a%3cb\n", "/a%3Cb", False, id="percent-encoding-case"),
        pytest.param(
            "user-agent: *\ndisallow: /x # a comment\n", "/x", False, id="keys-case-insensitive-comments-stripped"
        ),
        pytest.param("User-agent: *\nDissalow: /x\n", "/x", False, id="common-misspelling"),
        pytest.param("\ufeffUser-agent: *\r\nDisallow: /x\r\n", "/x", False, id="bom-and-crlf"),
    ],
)
def test_rules(robots: str, path: str, allowed: bool) -> None:
    assert RobotsTxt.parse(robots).allowed(BASE + path) is allowed


def test_the_deciding_rule_is_reported() -> None:
    verdict = RobotsTxt.parse(WILDCARDS).decision(BASE + "/private/x/drafts/y")
    assert not verdict.allowed and verdict.rule is not None and verdict.rule.line() == "Disallow: /private/*/drafts"


def test_crawl_delay_of_the_applying_group() -> None:
    robots = RobotsTxt.parse("User-agent: *\nCrawl-delay: 2\n\nUser-agent: briefing\nCrawl-delay: 5\nDisallow: /x\n")
    assert robots.crawl_delay() == 5.0
    assert robots.crawl_delay("otherbot") == 2.0


def test_blanket_verdicts() -> None:
    assert RobotsTxt.allow_all("404").allowed(BASE + "/x")
    assert not RobotsTxt.disallow_all("503").allowed(BASE + "/robots-is-down")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://news.example.com/a/b?c=d", "https://news.example.com/robots.txt", id="https"),
        pytest.param(
            "http://news.example.com:8080/a", "http://news.example.com:8080/robots.txt", id="port-is-part-of-the-origin"
        ),
        pytest.param("http://user:pw@news.example.com/a", "http://news.example.com/robots.txt", id="no-userinfo"),
    ],
)
def test_robots_url(url: str, expected: str) -> None:
    assert robots_url(url) == expected


def test_cache_loads_each_origin_once_under_concurrency() -> None:
    loads: list[str] = []

    def load(url: str, allow_private: bool, deadline: float | None, rate: float | None) -> RobotsTxt:
        loads.append(url)
        time.sleep(0.1)
        return RobotsTxt.parse("User-agent: *\nDisallow: /x\n", url)

    cache = RobotsCache(load)
    found: list[RobotsTxt] = []
    threads = [threading.Thread(target=lambda i=i: found.append(cache.get(f"https://a.example/{i}"))) for i in range(8)]
    threads.append(threading.Thread(target=lambda: found.append(cache.get("https://b.example/x"))))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(loads) == ["https://a.example/robots.txt", "https://b.example/robots.txt"]
    assert len(found) == 9


# -- the client obeying robots.txt --------------------------------------------------------------------------


@dataclass
class RobotsServer:
    port: int = 0
    robots: tuple[int, bytes] = (404, b"")
    hits: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"http://site.robots.test:{self.port}{path}"

    def client(self, **kw: Any) -> Client:
        def resolve(host: str) -> list[str]:
            return ["93.184.215.14"]

        def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
            return socket.create_connection(("127.0.0.1", address[1]), timeout)

        return Client(
            resolve=resolve, connect=connect, backoff=0.01, rate=1000, connect_timeout=2, read_timeout=2, **kw
        )


@pytest.fixture
def site() -> Iterator[RobotsServer]:
    state = RobotsServer()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            state.hits[self.path] += 1
            status, body = state.robots if self.path == "/robots.txt" else (200, b"page")
            self.reply(status, body, {"Content-Type": "text/plain"})

    with serving(Handler) as state.port:
        yield state


def test_client_refuses_what_robots_txt_disallows_and_reads_it_once(site: RobotsServer) -> None:
    site.robots = (200, b"User-agent: *\nDisallow: /private/\nDisallow: /*.pdf$\n")
    client = site.client()
    assert client.get(site.url("/news/a.html")).content == b"page"
    with pytest.raises(
        FetchError, match=r'disallowed by http://site.robots.test:\d+/robots.txt \("Disallow: /private/"'
    ) as info:
        client.get(site.url("/private/a.html"))
    assert info.value.url == site.url("/private/a.html")
    with pytest.raises(FetchError, match=r"Disallow: /\*\.pdf\$"):
        client.get(site.url("/files/x.pdf"))
    assert client.get(site.url("/files/x.pdf?v=2")).content == b"page"
    assert site.hits["/robots.txt"] == 1
    assert site.hits["/private/a.html"] == 0 and site.hits["/files/x.pdf"] == 0
    client.forget_robots()
    client.get(site.url("/news/b.html"))
    assert site.hits["/robots.txt"] == 2, "a new run reads robots.txt again"


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        pytest.param(404, True, id="404-unavailable-allows"),
        pytest.param(403, True, id="403-unavailable-allows"),
        pytest.param(500, False, id="500-unreachable-disallows"),
        pytest.param(503, False, id="503-unreachable-disallows"),
        pytest.param(429, False, id="429-treated-as-unreachable"),
    ],
)
def test_robots_txt_status_codes(site: RobotsServer, status: int, allowed: bool) -> None:
    site.robots = (status, b"User-agent: *\nDisallow: /\n")
    client = site.client(attempts=2)
    if allowed:
        assert client.get(site.url("/a")).content == b"page"
    else:
        with pytest.raises(
            FetchError,
            match=rf"robots.txt is unreachable \(.*HTTP {status}.*RFC 9309 says to assume everything is disallowed",
        ):
            client.get(site.url("/a"))
        assert site.hits["/a"] == 0


def test_robots_txt_is_read_up_to_its_size_cap(site: RobotsServer) -> None:
    filler = b"# " + b"x" * 1000 + b"\n"
    body = b"User-agent: *\nDisallow: /early\n" + filler * (MAX_BYTES // len(filler) + 10) + b"Disallow: /late\n"
    site.robots = (200, body)
    client = site.client()
    with pytest.raises(FetchError, match="Disallow: /early"):
        client.get(site.url("/early"))
    assert client.get(site.url("/late")).content == b"page", "rules past the cap are not read; the body is not refused"


def test_crawl_delay_paces_the_host(site: RobotsServer) -> None:
    site.robots = (200, b"User-agent: *\nCrawl-delay: 0.3\n")
    client = site.client()
    started = time.monotonic()
    for n in range(3):
        client.get(site.url(f"/p{n}"))
    assert time.monotonic() - started >= 0.55


def test_robots_can_be_switched_off(site: RobotsServer) -> None:
    site.robots = (200, b"User-agent: *\nDisallow: /\n")
    assert site.client(obey_robots=False).get(site.url("/a")).content == b"page"
    assert site.hits["/robots.txt"] == 0
