"""The one HTTP client (briefing.http.Client), against a real local server started by this module:
status handling and retries, redirect and size caps, gzip, the user agent, and the SSRF guard."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from briefing.errors import FetchError
from briefing.fetch import USER_AGENT, Client

from .local_http import QuietHandler

BIG = b"x" * 50_000
BOMB = gzip.compress(b"\0" * 2_000_000)  # ~2 KB on the wire, 2 MB decoded
GZIPPED_TEXT = "智算中心 compute hub ".encode() * 200


@dataclass
class Server:
    base: str
    port: int
    hits: Counter[str] = field(default_factory=Counter)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


def _make_handler(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            state.hits[self.path] += 1
            state.headers[self.path] = dict(self.headers.items())
            n = state.hits[self.path]
            if path == "/ok":
                self.reply(200, b"hello", {"Content-Type": "text/plain; charset=utf-8", "X-Demo": "Yes"})
            elif path == "/missing":
                self.reply(404, b"not here")
            elif path == "/flaky":  # 500 on the first hit, then 200
                self.reply(500, b"oops") if n == 1 else self.reply(200, b"recovered")
            elif path == "/busy":  # 429 on the first hit, then 200
                self.reply(429, b"slow down") if n == 1 else self.reply(200, b"recovered")
            elif path == "/broken":
                self.reply(503, b"down")
            elif path.startswith("/redirect/"):  # /redirect/N takes exactly N redirects to reach /ok
                left = int(path.rsplit("/", 1)[1])
                target = f"/redirect/{left - 1}" if left > 1 else "/ok"
                self.reply(302, b"", {"Location": target})
            elif path == "/to-metadata":
                self.reply(301, b"", {"Location": f"http://metadata.internal:{state.port}/ok"})
            elif path == "/to-ftp":
                self.reply(302, b"", {"Location": "ftp://example.org/file"})
            elif path == "/slow":
                time.sleep(0.5)
                try:
                    self.reply(200, b"late")
                except OSError:  # the client has given up
                    pass
            elif path == "/big":
                self.reply(200, BIG, {"Content-Type": "application/octet-stream"})
            elif path == "/gzip":
                self.reply(
                    200,
                    gzip.compress(GZIPPED_TEXT),
                    {"Content-Type": "text/plain; charset=utf-8", "Content-Encoding": "gzip"},
                )
            elif path == "/bomb":
                self.reply(200, BOMB, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
            elif path == "/retry-after":  # 503 with the Retry-After the query asks for, then 200
                wait = self.path.split("wait=", 1)[1].split("&")[0].replace("%20", " ")
                self.reply(503, b"later", {"Retry-After": wait}) if n == 1 else self.reply(200, b"recovered")
            elif path == "/etag":
                if self.headers.get("If-None-Match") == '"v7"':
                    self.reply(304, b"", {"ETag": '"v7"'})
                else:
                    self.reply(200, b"fresh", {"ETag": '"v7"', "Last-Modified": "Tue, 17 Nov 2026 01:30:00 GMT"})
            elif path == "/deflate-raw":
                squeeze = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
                self.reply(200, squeeze.compress(GZIPPED_TEXT) + squeeze.flush(), {"Content-Encoding": "deflate"})
            elif path == "/deflate":
                self.reply(200, zlib.compress(GZIPPED_TEXT), {"Content-Encoding": "deflate"})
            elif path == "/gzip-members":
                self.reply(200, gzip.compress(b"first ") + gzip.compress(b"second"), {"Content-Encoding": "gzip"})
            elif path == "/brotli":
                self.reply(200, b"\x0b\x02\x80hello\x03", {"Content-Encoding": "br"})
            elif path == "/not-gzip":
                self.reply(200, b"this is not gzip data at all", {"Content-Encoding": "gzip"})
            else:
                self.reply(404, b"unknown test path")

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = httpd.server_address[1]
    state = Server(base=f"http://127.0.0.1:{port}", port=port)
    httpd.RequestHandlerClass = _make_handler(state)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[Client]:
    """A client that reaches the local server (allow_private is passed per call) and never really sleeps."""
    with requests.Session() as session:
        yield Client(session=session, sleep=sleeps.append, connect_timeout=2, read_timeout=5)


def to_loopback(address: tuple[str, int], timeout: float | None) -> socket.socket:
    """A ``connect`` for a client whose ``resolve`` vouches for 127.0.0.1 as a public address."""
    return socket.create_connection(("127.0.0.1", address[1]), timeout)


def unique(path: str, request: pytest.FixtureRequest) -> str:
    """``path`` with a query naming the test, so hit counts are the test's own."""
    return f"{path}?t={request.node.name}"


# -- responses, retries --------------------------------------------------------------------------------


def test_ok(server: Server, client: Client, sleeps: list[float]) -> None:
    r = client.get(server.url("/ok"), allow_private=True)
    assert (r.status, r.content, r.url) == (200, b"hello", server.url("/ok"))
    assert r.content_type == "text/plain; charset=utf-8"
    assert r.headers["x-demo"] == "Yes"  # header names are lower-cased
    assert sleeps == []


def test_user_agent_names_the_project_and_a_url(server: Server, client: Client, request: pytest.FixtureRequest) -> None:
    path = unique("/ok", request)
    client.get(server.url(path), allow_private=True, headers={"Accept": "application/rss+xml"})
    seen = server.headers[path]
    assert seen["User-Agent"] == USER_AGENT
    assert "briefing" in seen["User-Agent"] and "https://" in seen["User-Agent"]
    assert seen["Accept"] == "application/rss+xml"


def test_server_error_is_retried_until_it_works(
    server: Server, client: Client, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/flaky", request)
    r = client.get(server.url(path), allow_private=True)
    assert (r.status, r.content) == (200, b"recovered")
    assert server.hits[path] == 2
    assert len(sleeps) == 1 and sleeps[0] > 0


def test_429_is_retried(server: Server, client: Client, sleeps: list[float], request: pytest.FixtureRequest) -> None:
    path = unique("/busy", request)
    assert client.get(server.url(path), allow_private=True).content == b"recovered"
    assert server.hits[path] == 2


def test_persistent_server_error_gives_up_after_the_attempts_with_backoff(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/broken", request)
    client = Client(sleep=sleeps.append, attempts=4, backoff=0.5)
    with pytest.raises(FetchError) as info:
        client.get(server.url(path), allow_private=True)
    assert info.value.status == 503
    assert info.value.url == server.url(path)
    assert "503" in str(info.value) and server.url(path) in str(info.value)
    assert server.hits[path] == 4
    assert len(sleeps) == 3
    assert sleeps == sorted(sleeps) and sleeps[0] >= 0.5  # exponential backoff


def test_404_is_not_retried(
    server: Server, client: Client, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/missing", request)
    with pytest.raises(FetchError, match="404") as info:
        client.get(server.url(path), allow_private=True)
    assert info.value.status == 404
    assert server.hits[path] == 1
    assert sleeps == []


def test_connection_refused_is_a_fetch_error_after_retries(client: Client, sleeps: list[float]) -> None:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.xml"
    with pytest.raises(FetchError, match="connection failed") as info:
        client.get(url, allow_private=True)
    assert info.value.url == url
    assert len(sleeps) == client.attempts - 1
    message = str(info.value)
    assert f"127.0.0.1:{port} is down" in message, "a host that is down is reported as down"
    assert "RFC 9309" not in message and "disallowed" not in message, "not as a robots.txt refusal"


def test_read_timeout_is_a_fetch_error(server: Server, sleeps: list[float], request: pytest.FixtureRequest) -> None:
    path = unique("/slow", request)
    client = Client(read_timeout=0.1, attempts=2, sleep=sleeps.append)
    with pytest.raises(FetchError, match="timed out"):
        client.get(server.url(path), allow_private=True)
    assert server.hits[path] == 2, "a timeout is retried"


# -- redirects -----------------------------------------------------------------------------------------


def test_redirects_are_followed_up_to_the_limit(server: Server, sleeps: list[float]) -> None:
    client = Client(max_redirects=3, sleep=sleeps.append)
    r = client.get(server.url("/redirect/3"), allow_private=True)
    assert (r.status, r.content, r.url) == (200, b"hello", server.url("/ok"))


def test_redirect_chain_longer_than_the_limit_is_refused(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/redirect/4", request)
    client = Client(max_redirects=3, sleep=sleeps.append)
    with pytest.raises(FetchError, match="more than 3 redirects"):
        client.get(server.url(path), allow_private=True)
    assert server.hits[path] >= 1


def test_redirect_to_a_non_http_scheme_is_refused(server: Server, client: Client) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        client.get(server.url("/to-ftp"), allow_private=True)


def test_redirect_to_a_metadata_address_is_refused_before_connecting(server: Server, sleeps: list[float]) -> None:
    # The test server's own host is vouched for as public; the redirect target resolves to the cloud
    # metadata address and must be refused by the guard (the host does not exist, so a connection
    # attempt would fail differently).
    def resolve(host: str) -> list[str]:
        return {"127.0.0.1": ["93.184.215.14"], "metadata.internal": ["169.254.169.254"]}[host]

    client = Client(resolve=resolve, connect=to_loopback, sleep=sleeps.append)
    with pytest.raises(FetchError, match="non-public address 169.254.169.254"):
        client.get(server.url("/to-metadata"))


# -- size caps and gzip ----------------------------------------------------------------------------------


def test_body_larger_than_max_bytes_is_refused_and_not_retried(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/big", request)
    client = Client(max_bytes=10_000, sleep=sleeps.append)
    with pytest.raises(FetchError, match="larger than 10000 bytes"):
        client.get(server.url(path), allow_private=True)
    assert server.hits[path] == 1 and sleeps == []


def test_body_at_the_cap_is_accepted(server: Server) -> None:
    r = Client(max_bytes=len(BIG)).get(server.url("/big"), allow_private=True)
    assert r.content == BIG


def test_gzip_body_is_decoded(server: Server, client: Client) -> None:
    r = client.get(server.url("/gzip"), allow_private=True)
    assert r.content == GZIPPED_TEXT
    assert r.headers["content-encoding"] == "gzip"


def test_gzip_bomb_is_capped_on_the_decoded_size(server: Server, sleeps: list[float]) -> None:
    assert len(BOMB) < 100_000
    with pytest.raises(FetchError, match="larger than 100000 bytes"):
        Client(max_bytes=100_000, sleep=sleeps.append).get(server.url("/bomb"), allow_private=True)


# -- SSRF guard and schemes --------------------------------------------------------------------------------


def test_loopback_is_refused_without_allow_private(
    server: Server, client: Client, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/ok", request)
    with pytest.raises(FetchError, match="non-public address 127.0.0.1") as info:
        Client().get(server.url(path))
    assert server.url(path) in str(info.value)
    assert server.hits[path] == 0, "the guard let the request through"
    assert client.get(server.url(path), allow_private=True).content == b"hello"
    assert server.hits[path] == 1


class NoNetwork(requests.Session):
    """A session that fails the test if the client ever tries to connect."""

    def get(self, url: str | bytes, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        raise AssertionError(f"the client connected to {url!r}")


@pytest.mark.parametrize(
    "addresses",
    [
        pytest.param(["169.254.169.254"], id="cloud-metadata"),
        pytest.param(["10.0.0.1"], id="rfc1918-10"),
        pytest.param(["192.168.1.1"], id="rfc1918-192"),
        pytest.param(["172.16.5.4"], id="rfc1918-172"),
        pytest.param(["100.64.0.1"], id="carrier-grade-nat"),
        pytest.param(["0.0.0.0"], id="unspecified"),
        pytest.param(["::1"], id="ipv6-loopback"),
        pytest.param(["fd00::1"], id="ipv6-unique-local"),
        pytest.param(["fe80::1%eth0"], id="ipv6-link-local-with-zone"),
        pytest.param(["::ffff:10.0.0.1"], id="ipv4-mapped-private"),
        pytest.param(["224.0.0.1"], id="multicast"),
        pytest.param(["93.184.215.14", "10.0.0.1"], id="one-private-among-public"),
    ],
)
def test_non_public_addresses_are_refused_without_connecting(addresses: list[str], sleeps: list[float]) -> None:
    client = Client(session=NoNetwork(), resolve=lambda host: addresses, sleep=sleeps.append)
    with pytest.raises(FetchError, match="non-public address") as info:
        client.get("http://news.example.test/feed.xml")
    assert info.value.url == "http://news.example.test/feed.xml"
    assert sleeps == [], "a refused address must not be retried"


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("ftp://example.org/feed.xml", id="ftp"),
        pytest.param("gopher://example.org/", id="gopher"),
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("example.org/feed.xml", id="no-scheme"),
        pytest.param(
            "http:///feed.xml",
            id="no-host"
        ),
    ],
)
def test_non_http_urls_are_refused(url: str, sleeps: list[float]) -> None:
    client = Client(session=NoNetwork(), resolve=lambda host: ["93.184.215.14"], sleep=sleeps.append)
    with pytest.raises(FetchError) as info:
        client.get(url, allow_private=True)
    assert url in str(info.value)
    assert sleeps == []


def test_unresolvable_host_is_a_fetch_error(sleeps: list[float]) -> None:
    def resolve(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    client = Client(session=NoNetwork(), resolve=resolve, sleep=sleeps.append, attempts=1)
    with pytest.raises(FetchError, match="cannot resolve nowhere.example.test"):
        client.get("https://nowhere.example.test/feed.xml")


def test_public_address_passes_the_guard(server: Server) -> None:
    seen: list[str] = []
    dialled: list[tuple[str, int]] = []

    def resolve(host: str) -> list[str]:
        seen.append(host)
        return ["93.184.215.14"]

    def connect(address: tuple[str, int], timeout: float | None) -> socket.socket:
        dialled.append(address)
        return to_loopback(address, timeout)

    r = Client(resolve=resolve, connect=connect, obey_robots=False).get(server.url("/ok"))
    assert r.content == b"hello"
    assert set(seen) == {"127.0.0.1"}
    assert dialled == [("93.184.215.14", server.port)], "the connection goes to the address the guard vetted"


def test_dns_rebinding_is_refused_when_connecting(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    """The name resolves to a public address when checked, then to loopback: the connection is refused."""
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])
    client = Client(
        resolve=lambda host: next(answers), connect=to_loopback, obey_robots=False, attempts=1, sleep=sleeps.append
    )
    path = unique("/ok", request)
    with pytest.raises(FetchError, match="non-public address 127.0.0.1 \\(checked when connecting\\)") as info:
        client.get(server.url(path))
    assert info.value.url == server.url(path)
    assert server.hits[path] == 0


# -- Retry-After, time budgets, conditional GET, content codings ------------------------------------------------


@pytest.mark.parametrize(
    "wait",
    [pytest.param("2", id="seconds"), pytest.param("http-date", id="http-date")],
)
def test_retry_after_is_honoured(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest, wait: str
) -> None:
    if wait == "http-date":
        wait = format_datetime(datetime.now(UTC) + timedelta(seconds=3), usegmt=True).replace(" ", "%20")
    path = unique("/retry-after", request) + f"&wait={wait}"
    client = Client(sleep=sleeps.append, backoff=0.01)
    assert client.get(server.url(path), allow_private=True).content == b"recovered"
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 3.0


def test_retry_after_longer_than_briefing_waits_gives_up_at_once(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/retry-after", request) + "&wait=3600"
    with pytest.raises(FetchError, match="asks to retry after 3600 s, longer than briefing waits") as info:
        Client(sleep=sleeps.append).get(server.url(path), allow_private=True)
    assert info.value.status == 503 and sleeps == [] and server.hits[path] == 1


def test_retry_after_beyond_the_time_budget_gives_up_at_once(
    server: Server, sleeps: list[float], request: pytest.FixtureRequest
) -> None:
    path = unique("/retry-after", request) + "&wait=30"
    with pytest.raises(FetchError, match="the time budget ends before the next one"):
        Client(sleep=sleeps.append).get(server.url(path), allow_private=True, deadline=time.monotonic() + 5)
    assert sleeps == []


def test_the_deadline_bounds_a_slow_response(server: Server, request: pytest.FixtureRequest) -> None:
    path = unique("/slow", request)
    started = time.monotonic()
    with pytest.raises(FetchError):
        Client(read_timeout=30).get(server.url(path), allow_private=True, deadline=time.monotonic() + 0.2)
    assert (
        time.monotonic() - started < 5
    )  # the 0.2 s deadline, not the 30 s read timeout, with room for a loaded machine


def test_conditional_get_returns_a_304_without_a_body(server: Server, client: Client) -> None:
    first = client.get(server.url("/etag"), allow_private=True)
    assert (first.status, first.etag, first.last_modified, first.not_modified) == (
        200,
        '"v7"',
        "Tue, 17 Nov 2026 01:30:00 GMT",
        False,
    )
    second = client.get(server.url("/etag"), allow_private=True, headers={"If-None-Match": '"v7"'})
    assert (second.status, second.content, second.not_modified) == (304, b"", True)


@pytest.mark.parametrize(
    ("path", "content"),
    [
        pytest.param("/deflate", GZIPPED_TEXT, id="deflate-zlib"),
        pytest.param("/deflate-raw", GZIPPED_TEXT, id="deflate-raw"),
        pytest.param("/gzip-members", b"first second", id="multi-member-gzip"),
    ],
)
def test_content_codings(server: Server, client: Client, path: str, content: bytes) -> None:
    assert client.get(server.url(path), allow_private=True).content == content


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param("/brotli", "unsupported Content-Encoding 'br'", id="unsupported"),
        pytest.param("/not-gzip", "not valid gzip data", id="corrupt"),
    ],
)
def test_bad_content_codings_are_clear_errors(
    server: Server, client: Client, sleeps: list[float], path: str, message: str
) -> None:
    with pytest.raises(FetchError, match=message):
        client.get(server.url(path), allow_private=True)
    assert sleeps == []


def test_client_is_shared_by_threads(server: Server) -> None:
    client = Client()
    found: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: found.append(client.get(server.url("/ok"), allow_private=True).content))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == [b"hello"] * 8
    client.close()
