"""A small unsubscribe server for deployments without Airflow's UI (``briefing unsubscribe-server``).

It answers one path, ``/unsubscribe`` (the ``BRIEFING_UNSUBSCRIBE_URL`` of such a deployment, behind
the site's HTTPS proxy): the RFC 8058 one-click POST (body ``List-Unsubscribe=One-Click``) unsubscribes
the token's subscriber at once; a GET shows a page that asks to confirm, whose button makes the same
POST. Tokens are checked by ``briefing.publish.mail.unsubscribe``: forged, damaged or unknown ones change nothing.
Everything else is 404; a POST body is read up to ``MAX_BODY`` bytes. The Airflow plugin's
``/briefing/unsubscribe`` gives the same answers (``plugins/briefing_archive_app.py``).
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from ...serving import BackgroundServer
from ...store import Store
from .unsubscribe import MAX_BODY, Result, check, is_one_click, page, unsubscribe

__all__ = ["DEFAULT_PORT", "UnsubscribeServer"]

log = logging.getLogger(__name__)

DEFAULT_PORT = 8766
PATH = "/unsubscribe"


class _Handler(BaseHTTPRequestHandler):
    server_version = "briefing-unsubscribe"
    store: Store
    secret: str | None

    def _token(self) -> str | None:
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") != PATH:
            return None
        return (parse_qs(parts.query).get("t") or [""])[0]

    def _answer(self, status: int, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        token = self._token()
        if token is None:
            self._answer(404, "not found")
            return
        result, _ = check(self.store, token, self.secret)
        self._answer(result.http_status, page(result, token))

    def do_POST(self) -> None:
        token = self._token()
        if token is None:
            self._answer(404, "not found")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._answer(413, "the body is too large")
            return
        body = self.rfile.read(length)
        if not is_one_click(body):
            self._answer(400, "a one-click unsubscribe POST holds List-Unsubscribe=One-Click (RFC 8058)")
            return
        result: Result = unsubscribe(
            self.store, token, self.secret, how="one-click unsubscribe (briefing unsubscribe-server)"
        )
        log.info("unsubscribe: %s", result.outcome)
        self._answer(result.http_status, page(result, token))

    def log_message(self, format: str, *args: object) -> None:  # no tokens in the log
        log.debug("%s %s", self.command, urlsplit(self.path).path)


class UnsubscribeServer(BackgroundServer):
    """The unsubscribe endpoint on ``host:port`` (``port=0`` picks a free one); a context manager."""

    thread_name = "unsubscribe"

    def __init__(self, store: Store, secret: str | None, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        super().__init__(type("Handler", (_Handler,), {"store": store, "secret": secret}), host, port)
        self.url = f"http://{host}:{self.port}{PATH}"
