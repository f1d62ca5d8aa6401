"""The project's own small HTTP servers (the demo web, the unsubscribe endpoint): a standard-library
``ThreadingHTTPServer`` served on a background thread (``start``, or ``with``) or in the foreground
(``serve_forever``, as the CLI does until Ctrl-C)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

__all__ = ["BackgroundServer"]


class BackgroundServer:
    """``handler`` served on ``host:port`` (``port=0`` picks a free one); a context manager."""

    #: the name of the serving thread, in thread dumps and logs
    thread_name = "server"

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str, port: int) -> None:
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = int(self.httpd.server_address[1])
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted, then close the socket."""
        try:
            self.httpd.serve_forever()
        finally:
            self.httpd.server_close()

    def start(self) -> Self:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
