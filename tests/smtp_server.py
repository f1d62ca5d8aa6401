"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), keeping every message it receives.

Besides refusing recipients (``refuse``: a permanent 550; ``fail_once``: a temporary 451) and bodies
(``fail_body_once``: a temporary 451 to a body for these recipients, once), it can play the faults a
real server and network have:

- ``login``: the (user, password) that AUTH accepts, in plain text (no TLS on 127.0.0.1); ``logins`` records
  every attempt;
- ``at``: a hook called at each step of each message, ``at(step, n)`` with step ``MAIL``, ``RCPT``,
  ``DATA`` (the command, before the go-ahead), ``BODY`` (the whole body received and kept, before the
  reply) or ``REPLIED`` (just after the reply), and ``n`` the message's number in the session, from 1.
  It may kill the client (the tests' kill -9 at a chosen moment) and may return ``"drop"`` to close the
  connection there without a reply: after ``BODY`` that is the connection lost after the message
  went out, which the client cannot tell from a message lost.

``per_recipient`` counts what the server received, which is what a subscriber would get.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

Hook = Callable[[str, int], "str | None"]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # each message's bytes as received (what a DKIM verifier reads)
        self.refuse: set[str] = set()  # recipients answered with a permanent 550
        self.fail_once: set[str] = set()  # recipients answered with a temporary 451, once
        self.fail_body_once: set[str] = set()  # a body for these recipients is answered with a 451, once
        self.login: tuple[str, str] | None = None  # (user, password) that AUTH must give
        self.logins: list[tuple[str, bool]] = []  # (user, accepted) of every AUTH attempt
        self.at: Hook | None = None
        self.started = 0  # messages begun (MAIL commands)

    def _step(self, server: Any, step: str) -> bool:
        """Run the hook; True when it asked to drop the connection (which is then closed)."""
        if self.at is None or self.at(step, self.started) != "drop":
            return False
        if server.transport is not None:
            server.transport.abort()
        return True

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any) -> str:
        self.started += 1
        if self._step(server, "MAIL"):
            return "421 4.3.0 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if self._step(server, "RCPT"):
            return "421 4.3.0 closing"
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        if address in self.fail_once:
            self.fail_once.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        refused = self.fail_body_once & set(envelope.rcpt_tos)
        if refused:
            self.fail_body_once -= refused
            return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.raw.append(envelope.content)
        self.messages.append(message)  # the server has it: a real one would deliver it, reply or not
        if self._step(server, "BODY"):
            return "250 Message accepted"  # never heard: the connection is gone
        n = self.started
        asyncio.get_running_loop().call_soon(lambda: self.at and self.at("REPLIED", n))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword) or self.login is None:
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = (user, password) == self.login
        self.logins.append((user, ok))
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 235 or 535 itself

    def per_recipient(self) -> Counter[str]:
        return Counter(str(m["To"]).split("<")[-1].rstrip(">") for m in self.messages)


class _Server(SMTP):
    inbox: Inbox

    async def smtp_DATA(self, arg: str) -> None:
        if self.envelope is not None and self.envelope.rcpt_tos and self.inbox._step(self, "DATA"):
            return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self) -> SMTP:
        inbox: Inbox = self.handler
        server = _Server(
            inbox,
            hostname="127.0.0.1",
            authenticator=inbox.authenticate,
            auth_require_tls=False,
        )
        server.inbox = inbox
        return server


@contextmanager
def smtp_server(login: tuple[str, str] | None = None) -> Iterator[tuple[Inbox, str]]:
    """Yield the inbox and an ``smtp://127.0.0.1:port`` URL (with no user or password in it)."""
    inbox = Inbox()
    inbox.login = login
    with socket.socket() as probe:  # aiosmtpd checks readiness by connecting, so it needs a real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = _Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
