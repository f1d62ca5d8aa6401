"""The one HTTP client of briefing: every request the project makes goes through ``Client``.

It sets a user agent naming the project and its URL, connect and read timeouts, a cap on the size of a
body and on redirects, accepts only http and https, refuses addresses on private, loopback,
link-local and metadata networks unless the source allows them (SSRF guard), and retries timeouts,
connection errors, 429 and 5xx with exponential backoff. Failures become ``FetchError`` naming the URL.
The transport is a ``requests.Session``, injectable so tests can point it anywhere.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from . import __version__
from .errors import FetchError

__all__ = ["Client", "Response", "USER_AGENT"]

PROJECT_URL = "https://github.com/briefing-project/briefing"
USER_AGENT = f"briefing/{__version__} (+{PROJECT_URL}; weekly China tech briefing)"
_RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str  # final URL after redirects
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class Client:
    """Fetches URLs politely and safely. Create one per run; it is not thread-safe."""

    session: requests.Session = field(default_factory=requests.Session)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    attempts: int = 3
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    resolve: Callable[[str], list[str]] = field(default=lambda host: _resolve(host))

    def get(self, url: str, *, allow_private: bool = False, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url``, following redirects, with retries; raise FetchError on failure."""
        last: FetchError | None = None
        for attempt in range(self.attempts):
            try:
                return self._get_once(url, allow_private=allow_private, headers=headers or {})
            except FetchError as e:
                if not e.retryable:
                    raise
                last = e
                if attempt + 1 < self.attempts:
                    self.sleep(self.backoff * (2**attempt) * (1 + random.random() / 2))
        assert last is not None
        raise last

    def _get_once(self, url: str, *, allow_private: bool, headers: Mapping[str, str]) -> Response:
        current = url
        for _ in range(self.max_redirects + 1):
            self._check_url(current, allow_private=allow_private)
            try:
                r = self.session.get(
                    current,
                    headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **headers},
                    timeout=(self.connect_timeout, self.read_timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except requests.Timeout as e:
                raise FetchError(f"{current}: timed out", url=current, retryable=True) from e
            except requests.ConnectionError as e:
                raise FetchError(f"{current}: connection failed: {_reason(e)}", url=current, retryable=True) from e
            except requests.RequestException as e:
                raise FetchError(f"{current}: request failed: {e}", url=current) from e
            with r:
                if r.is_redirect:
                    location = r.headers.get("location", "")
                    current = urljoin(current, location)
                    continue
                if r.status_code >= 400:
                    raise FetchError(
                        f"{current}: HTTP {r.status_code} {r.reason or ''}".rstrip(),
                        url=current,
                        status=r.status_code,
                        retryable=r.status_code in _RETRY_STATUSES,
                    )
                content = self._read_capped(r, current)
                return Response(url=current, status=r.status_code, headers={k.lower(): v for k, v in r.headers.items()}, content=content)
        raise FetchError(f"{url}: more than {self.max_redirects} redirects", url=url)

    def _read_capped(self, r: requests.Response, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in r.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"{url}: body larger than {self.max_bytes} bytes (decoded); stopped", url=url)
                chunks.append(chunk)
        except requests.RequestException as e:
            raise FetchError(f"{url}: connection broke while reading the body: {_reason(e)}", url=url, retryable=True) from e
        return b"".join(chunks)

    def _check_url(self, url: str, *, allow_private: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs are fetched", url=url)
        host = parts.hostname
        if not host:
            raise FetchError(f"{url}: no host in URL", url=url)
        if allow_private:
            return
        try:
            addresses = self.resolve(host)
        except OSError as e:
            raise FetchError(f"{url}: cannot resolve {host}: {e}", url=url) from e
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not _public(ip):
                raise FetchError(f"{url}: refused: {host} resolves to non-public address {ip}", url=url)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address, looking through IPv6 forms that embed an IPv4 one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None:
            return _public(embedded)
    return ip.is_global and not ip.is_multicast


def _resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _reason(e: Exception) -> str:
    text = str(e)
    return text if len(text) < 200 else text[:200] + "…"
