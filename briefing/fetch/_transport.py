"""The guarded transport under ``Client``: one request on the wire, to an address the SSRF guard allows.

``Transport.vet`` checks a URL before it is asked for (http or https, a host, a port, every address the
host resolves to allowed by ``_guard``); ``Transport.send`` sends one GET, no redirects followed, the
body left to stream, through a ``requests`` session whose connections are checked again and pinned to
the very addresses checked (``_pinned``), so a DNS answer that changes between check and connect (DNS
rebinding) cannot slip through. Each thread gets its own session per ``allow_private`` (unless one is
injected); proxies and ``.netrc`` are ignored, so the guard sees the real peer. While a request is out
a watchdog shuts its socket at the caller's deadline, so a server trickling bytes is cut off when the
budget ends; ``disarm`` stops it once the body is read. Failures of ``requests`` become ``FetchError``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from ..errors import FetchError
from ._failures import out_of_time, reason
from ._guard import AllowPrivate, first_refused
from ._pinned import Connect, PinnedAdapter, Refused, Resolve, shut

__all__ = ["Transport"]


@dataclass
class Transport:
    """Sends one request at a time per thread to an allowed address, within the caller's deadline."""

    user_agent: str
    resolve: Resolve
    connect: Connect
    connect_timeout: float
    read_timeout: float
    #: a session to use for every request instead of the guarded ones (tests)
    session: requests.Session | None = None
    _sessions: dict[tuple[int, AllowPrivate], requests.Session] = field(init=False, repr=False, default_factory=dict)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)
    _local: threading.local = field(init=False, repr=False, default_factory=threading.local)

    def vet(self, url: str, *, allow_private: AllowPrivate = False) -> None:
        """Raise FetchError unless ``url`` is an http(s) URL whose host passes the SSRF guard."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs are fetched", url=url)
        host = parts.hostname
        if not host:
            raise FetchError(f"{url}: no host in URL", url=url)
        try:
            parts.port  # noqa: B018 (raises ValueError for a bad port)
        except ValueError as e:
            raise FetchError(f"{url}: bad port in URL", url=url) from e
        try:
            addresses = self.resolve(host.strip("[]"))
        except OSError as e:
            raise FetchError(f"{url}: cannot resolve {host}: {e}", url=url) from e
        bad = first_refused(addresses, allow_private)
        if bad is not None:
            raise FetchError(f"{url}: refused: {host} resolves to {bad}", url=url)

    def send(
        self, url: str, *, allow_private: AllowPrivate, headers: Mapping[str, str], deadline: float | None
    ) -> requests.Response:
        """GET ``url`` once (no redirects followed, the body left to stream), the watchdog armed for
        ``deadline`` until ``disarm``; raise FetchError on failure."""
        self._local.deadline = deadline
        connect, read = self.connect_timeout, self.read_timeout
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchError(f"{url}: the time budget ran out before the request", url=url)
            connect, read = min(connect, left), min(read, left)
        try:
            return self._session(allow_private).get(
                url,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", **headers},
                timeout=(connect, read),
                allow_redirects=False,
                stream=True,
            )
        except Refused as e:
            raise FetchError(f"{url}: refused: {e}", url=url) from e
        except requests.Timeout as e:
            raise out_of_time(url, deadline, "while waiting for the response") or FetchError(
                f"{url}: timed out", url=url, retryable=True
            ) from e
        except requests.ConnectionError as e:
            late = out_of_time(url, deadline, "while waiting for the response")
            raise late or FetchError(f"{url}: connection failed: {reason(e)}", url=url, retryable=True) from e
        except requests.RequestException as e:
            raise FetchError(f"{url}: request failed: {reason(e)}", url=url) from e

    def disarm(self) -> None:
        """Stop this thread's watchdog: the request is over (its body read, or given up on)."""
        self._local.deadline = None
        for timer in self._local.__dict__.pop("timers", []):
            timer.cancel()

    def close(self) -> None:
        """Close the sessions opened so far; the transport stays usable and opens new ones on demand."""
        with self._lock:
            sessions, self._sessions = list(self._sessions.values()), {}
        for s in sessions:
            s.close()

    # -- sessions whose connections are checked and pinned ------------------------------------------------

    def _session(self, allow_private: AllowPrivate) -> requests.Session:
        if self.session is not None:
            return self.session
        key = (threading.get_ident(), allow_private)
        with self._lock:
            found = self._sessions.get(key)
            if found is None:
                found = self._sessions[key] = requests.Session()
                found.trust_env = False  # no proxies or .netrc from the environment: the guard sees the real peer
                adapter = PinnedAdapter(
                    lambda host, port, timeout: self._dial(host, port, timeout, allow=allow_private), self._watch
                )
                found.mount("http://", adapter)
                found.mount("https://", adapter)
        return found

    def _dial(self, host: str, port: int, timeout: float | None, *, allow: AllowPrivate) -> socket.socket:
        """Resolve ``host`` once, refuse it if any address is not allowed, connect to those addresses."""
        addresses = self.resolve(host.strip("[]"))
        bad = first_refused(addresses, allow)
        if bad is not None:
            raise Refused(f"{host} resolves to {bad} (checked when connecting)")
        error: OSError | None = None
        for address in addresses:
            try:
                return self.connect((address, port), timeout)
            except OSError as e:
                error = e
        raise error or OSError(f"no address found for {host}")

    def _watch(self, sock: socket.socket | None) -> None:
        """Arm a watchdog that shuts ``sock`` when this thread's request runs out of time (see ``send``)."""
        deadline = getattr(self._local, "deadline", None)
        if deadline is None or sock is None:
            return
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), shut, (sock,))
        timer.daemon = True
        timer.start()
        self._local.__dict__.setdefault("timers", []).append(timer)
