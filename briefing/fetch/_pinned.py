"""Connections that are resolved, checked and connected in one place (DNS rebinding cannot slip through).

The client's ``requests`` sessions mount ``PinnedAdapter``: every connection its pools open is made by a
``dial`` function that resolves the host once, refuses it if any address fails the SSRF guard, and
connects to those very addresses. Each request, on a new connection or a reused one, is shown to a
``watch`` function first, which arms the watchdog that ``shut``s the socket when the time budget ends.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Connect", "PinnedAdapter", "Refused", "Resolve", "connect_address", "resolve_host", "shut"]

Resolve = Callable[[str], list[str]]
Connect = Callable[[tuple[str, int], "float | None"], socket.socket]


class Refused(Exception):
    """Raised inside a connection when the guard refuses an address; not an OSError, so urllib3 lets it through."""


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (the client's default ``resolve``)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def connect_address(address: tuple[str, int], timeout: float | None) -> socket.socket:
    """A TCP connection to ``address`` (the client's default ``connect``)."""
    return socket.create_connection(address, timeout)


def _pinned_pools(
    dial: Callable[[str, int, float | None], socket.socket], watch: Callable[[socket.socket | None], None]
) -> dict[str, type[HTTPConnectionPool]]:
    def new_conn(conn: HTTPConnection) -> socket.socket:
        timeout = conn.timeout if isinstance(conn.timeout, (int, float)) else None
        try:
            sock = dial(conn._dns_host, conn.port, timeout)
        except socket.gaierror as e:
            raise urllib3.exceptions.NameResolutionError(conn.host, conn, e) from e
        except TimeoutError as e:
            raise urllib3.exceptions.ConnectTimeoutError(
                conn, f"Connection to {conn.host} timed out. (connect timeout={timeout})"
            ) from e
        except OSError as e:
            raise urllib3.exceptions.NewConnectionError(conn, f"Failed to establish a new connection: {e}") from e
        for option in conn.socket_options or ():
            try:
                sock.setsockopt(*option)
            except OSError:
                pass
        return sock

    class Conn(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

        def getresponse(self) -> Any:  # every request, on a new connection or a reused one
            watch(self.sock)
            return super().getresponse()

    class SecureConn(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return new_conn(self)

        def getresponse(self) -> Any:
            watch(self.sock)
            return super().getresponse()

    class Pool(HTTPConnectionPool):
        ConnectionCls = Conn

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConn

    return {"http": Pool, "https": SecurePool}


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose connections are opened by ``dial``: resolved, checked and connected in one place."""

    def __init__(
        self, dial: Callable[[str, int, float | None], socket.socket], watch: Callable[[socket.socket | None], None]
    ) -> None:
        self._pools = _pinned_pools(dial, watch)
        super().__init__()

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools


def shut(sock: socket.socket) -> None:
    """Wake a read blocked on ``sock``: the watchdog's bite."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass

