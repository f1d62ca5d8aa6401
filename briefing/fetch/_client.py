"""The one HTTP client of briefing: every request the project makes goes through ``Client``.

``Client.get`` is polite, bounded and safe, and turns every failure into a ``FetchError`` naming the URL:

- **Politeness.** A user agent naming the project and a contact URL; robots.txt obeyed (RFC 9309, see
  ``_robots``), fetched once per origin per client through this same client, with a size cap;
  a per-host rate limit (``rate`` requests a second by default, a source's ``rate_limit`` overrides it,
  a robots.txt ``Crawl-delay`` slows it further) and at most ``per_host`` requests in flight per host
  (``_politeness``). A loopback host (the demo web, a test server) is not paced unless asked.
- **Retries.** Timeouts, broken connections, 408, 429 and 5xx are retried with exponential backoff and
  jitter, honouring ``Retry-After`` (seconds or an HTTP date); other 4xx never are (``_failures``). Every wait, turn and
  read respects the caller's ``deadline`` (a ``time.monotonic()`` time): a source's total time budget.
  The budget holds on every read, not only between reads: each read waits at most the time left, and a
  watchdog shuts the connection at the deadline, so a server trickling one byte a second (headers or
  body) is cut off when the budget ends.
- **Bounds.** Connect and read timeouts; the body is decompressed (``_body``), chunk by chunk with a bounded
  output, so a gzip bomb or an endless body stops at ``max_bytes`` of *decoded* data with memory flat;
  at most ``max_redirects`` redirects, a redirect loop is named as such; only http and https.
- **SSRF guard** (``_guard``, applied by the guarded ``_transport``). A URL (and each redirect hop)
  whose host resolves to anything but a public address is refused. ``allow_private=True`` (a source's
  ``allow_private: true``, for a local or demo server) admits loopback only; a tuple of networks
  (``allow_private: [10.1.0.0/16]``) admits loopback and those. Link-local and cloud-metadata addresses
  (169.254.0.0/16, fe80::/10, 100.100.100.200, fd00:ec2::254), unspecified and multicast addresses are
  never reachable, whatever is allowed. The check is made again when the connection is opened
  (``_pinned``), on the very addresses the socket connects to, so a DNS answer that changes between
  check and connect (DNS rebinding) cannot slip through.
- **Conditional GET.** Pass ``If-None-Match`` / ``If-Modified-Since`` in ``headers``; a 304 comes back
  as a ``Response`` whose ``not_modified`` is true and whose body is empty.

The client is thread-safe: each thread gets its own ``requests.Session`` (unless one is injected) from the
client's ``Transport`` (``_transport``: the guarded sessions, the watchdog, one request on the wire), and
the robots cache and host gate are shared. ``resolve`` and ``connect`` are injectable so tests can map
made-up public names onto a local server.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import urljoin, urlsplit

import requests

from ..errors import FetchError
from ..version import __version__
from ._body import read_body
from ._decode import decode
from ._failures import StatusError, retry_after, strip_url
from ._guard import AllowPrivate, is_loopback
from ._pinned import Connect, Resolve, connect_address, resolve_host
from ._politeness import HostGate
from ._robots import MAX_BYTES as ROBOTS_MAX_BYTES
from ._robots import PRODUCT_TOKEN, RobotsCache, RobotsTxt
from ._transport import Transport

__all__ = ["PROJECT_URL", "USER_AGENT", "Client", "Response"]

PROJECT_URL = "https://github.com/briefing-project/briefing"
USER_AGENT = f"{PRODUCT_TOKEN}/{__version__} (+{PROJECT_URL}; weekly China tech briefing)"


@dataclass(frozen=True)
class Response:
    url: str  # final URL after redirects
    status: int
    headers: Mapping[str, str]  # names lower-cased
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        """A 304 answer to a conditional GET: nothing changed, nothing to parse."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")



@dataclass
class Client:
    """Fetches URLs politely and safely; thread-safe, create one per run and share it."""

    session: requests.Session | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    attempts: int = 3
    backoff: float = 0.5
    #: the longest Retry-After honoured; a server asking for more is given up on at once
    max_retry_after: float = 120.0
    #: requests a second per host when the source sets no rate_limit (loopback hosts are not paced)
    rate: float = 1.0
    #: requests in flight at once per host
    per_host: int = 2
    obey_robots: bool = True
    #: the longest robots.txt Crawl-delay honoured, in seconds
    max_crawl_delay: float = 10.0
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    resolve: Resolve = resolve_host
    connect: Connect = connect_address
    _gate: HostGate = field(init=False, repr=False)
    _robots: RobotsCache = field(init=False, repr=False)
    _transport: Transport = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._gate = HostGate(self.per_host)
        self._transport = Transport(
            user_agent=self.user_agent,
            resolve=self.resolve,
            connect=self.connect,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            session=self.session,
        )
        self._robots = RobotsCache(self._load_robots)

    # -- the public surface ---------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        allow_private: AllowPrivate = False,
        headers: Mapping[str, str] | None = None,
        deadline: float | None = None,
        rate: float | None = None,
        max_bytes: int | None = None,
        truncate: bool = False,
        robots: bool = True,
    ) -> Response:
        """GET ``url``, following redirects, with retries; raise FetchError on failure.

        ``deadline`` (``time.monotonic()``) bounds the whole call, retries and waits included; ``rate``
        overrides the default requests a second for this URL's host; ``max_bytes`` the size cap, and
        with ``truncate`` a body over the cap is cut there instead of refused.
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(
                    url, allow_private=allow_private, headers=headers or {}, deadline=deadline, rate=rate,
                    cap=max_bytes or self.max_bytes, truncate=truncate, robots=robots and self.obey_robots,
                )
            except FetchError as e:
                if not e.retryable:
                    raise
                if attempt >= self.attempts:
                    if attempt == 1:
                        raise
                    raise FetchError(f"{e} (tried {attempt} times)", url=e.url, status=e.status, retryable=True) from e
                delay = self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)
                asked = e.retry_after if isinstance(e, StatusError) else None
                if asked is not None:
                    if asked > self.max_retry_after:
                        raise FetchError(
                            f"{e}; the server asks to retry after {asked:.0f} s, longer than briefing waits "
                            f"({self.max_retry_after:.0f} s)",
                            url=e.url,
                            status=e.status,
                        ) from e
                    delay = max(delay, asked)
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise FetchError(
                        f"{e}; gave up after {attempt} attempt(s): the time budget ends before the next one",
                        url=e.url,
                        status=e.status,
                    ) from e
                self.sleep(delay)

    def vet(self, url: str, *, allow_private: AllowPrivate = False) -> None:
        """Raise FetchError unless ``url`` is an http(s) URL whose host passes the SSRF guard."""
        self._transport.vet(url, allow_private=allow_private)

    def forget_robots(self) -> None:
        """Forget every robots.txt read so far: the next request to each origin reads it again (a new run)."""
        self._robots.clear()

    def robots_for(self, url: str, *, allow_private: AllowPrivate = False, deadline: float | None = None) -> RobotsTxt:
        """The robots.txt rules governing ``url`` (cached per origin for the life of this client)."""
        return self._robots.get(url, allow_private=allow_private, deadline=deadline)

    def close(self) -> None:
        """Close the sessions this client opened; it stays usable and opens new ones on demand."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one attempt -----------------------------------------------------------------------------------

    def _get_once(
        self,
        url: str,
        *,
        allow_private: AllowPrivate,
        headers: Mapping[str, str],
        deadline: float | None,
        rate: float | None,
        cap: int,
        truncate: bool,
        robots: bool,
    ) -> Response:
        hops: list[str] = []
        try:
            return self._follow(
                url,
                hops,
                allow_private=allow_private,
                headers=headers,
                deadline=deadline,
                rate=rate,
                cap=cap,
                truncate=truncate,
                robots=robots,
            )
        except FetchError as e:
            if not hops or str(e).startswith(url):
                raise
            # a redirect hop failed: name the URL that was asked for, and where it led
            if isinstance(e, StatusError):
                raise StatusError(
                    f"{url} redirects to {e}", url=url, status=e.status or 0, retry_after=e.retry_after
                ) from e
            raise FetchError(f"{url} redirects to {e}", url=url, status=e.status, retryable=e.retryable) from e

    def _follow(
        self,
        url: str,
        hops: list[str],
        *,
        allow_private: AllowPrivate,
        headers: Mapping[str, str],
        deadline: float | None,
        rate: float | None,
        cap: int,
        truncate: bool,
        robots: bool,
    ) -> Response:
        current = url
        seen = {url}
        for _ in range(self.max_redirects + 1):
            self.vet(current, allow_private=allow_private)
            interval = self._interval(current, rate)
            if robots:
                interval = max(interval, self._obey(current, allow_private=allow_private, deadline=deadline, rate=rate))
            host = _host_key(current)
            if not self._gate.acquire(host, interval=interval, deadline=deadline):
                raise FetchError(f"{current}: the time budget ran out waiting for a turn at {host}", url=current)
            try:
                r = self._transport.send(current, allow_private=allow_private, headers=headers, deadline=deadline)
                with r:
                    if r.is_redirect:
                        target = urljoin(current, r.headers.get("location", ""))
                        if target in seen:
                            raise FetchError(f"{url}: redirect loop: {current} sends back to {target}", url=url)
                        seen.add(target)
                        hops.append(target)
                        current = target
                        continue
                    found = {k.lower(): v for k, v in r.headers.items()}
                    if r.status_code == 304:
                        return Response(url=current, status=304, headers=found, content=b"")
                    if r.status_code >= 400:
                        raise StatusError(
                            f"{current}: HTTP {r.status_code} {r.reason or ''}".rstrip(),
                            url=current, status=r.status_code, retry_after=retry_after(r.headers.get("retry-after")),
                        )
                    if not 200 <= r.status_code < 300:
                        raise FetchError(
                            f"{current}: unexpected HTTP {r.status_code} {r.reason or ''}".rstrip(),
                            url=current,
                            status=r.status_code,
                        )
                    content = read_body(
                        r, current, cap=cap, truncate=truncate, deadline=deadline, read_timeout=self.read_timeout
                    )
                    return Response(url=current, status=r.status_code, headers=found, content=content)
            finally:
                self._transport.disarm()
                self._gate.release(host)
        raise FetchError(f"{url}: more than {self.max_redirects} redirects", url=url)

    def _interval(self, url: str, rate: float | None) -> float:
        if rate is None:
            if is_loopback(urlsplit(url).hostname or ""):
                return 0.0
            rate = self.rate
        return 1.0 / rate if rate and rate > 0 else 0.0

    def _obey(self, url: str, *, allow_private: AllowPrivate, deadline: float | None, rate: float | None) -> float:
        """Raise FetchError if robots.txt forbids ``url``; else the crawl delay it asks for (0 if none)."""
        try:
            rules = self._robots.get(url, allow_private=allow_private, deadline=deadline, rate=rate)
        except FetchError as e:  # the host is down: say so, rather than call it a robots.txt refusal
            raise FetchError(f"{url}: not fetched: {e}", url=url) from e
        verdict = rules.decision(url)
        if not verdict.allowed:
            if verdict.rule is not None:
                line = verdict.rule.line()
                raise FetchError(f'{url}: disallowed by {rules.url} ("{line}" for user agent {PRODUCT_TOKEN})', url=url)
            raise FetchError(
                f"{url}: not fetched: {rules.reason}, so RFC 9309 says to assume everything is disallowed", url=url
            )
        delay = rules.crawl_delay()
        return min(delay, self.max_crawl_delay) if delay else 0.0

    def _load_robots(
        self, url: str, allow_private: AllowPrivate, deadline: float | None, rate: float | None
    ) -> RobotsTxt:
        try:
            r = self.get(
                url,
                allow_private=allow_private,
                deadline=deadline,
                rate=rate,
                max_bytes=ROBOTS_MAX_BYTES,
                truncate=True,
                robots=False,
                headers={"Accept": "text/plain"},
            )
        except FetchError as e:
            if e.status is None and e.retryable:  # no answer at all (refused, timed out): the host is down
                raise FetchError(f"{urlsplit(url).netloc} is down ({strip_url(str(e), url)})", url=url) from e
            if e.status is not None and 400 <= e.status < 500 and e.status != 429:
                return RobotsTxt.allow_all(f"{url} answered HTTP {e.status}", url=url)  # "unavailable": no rules
            return RobotsTxt.disallow_all(f"{url} is unreachable ({strip_url(str(e), url)})", url=url)
        if r.not_modified:
            return RobotsTxt.allow_all(f"{url} answered 304 to an unconditional request", url=url)
        return RobotsTxt.parse(decode(r.content, r.content_type).text, url)


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

