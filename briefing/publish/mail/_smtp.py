"""The SMTP side of a delivery: the server's URL, the ``Mailer`` a delivery sends through, and ``transmit``.

``SmtpMailer`` sends through the server of an ``smtp://`` URL here; in the DAG the Airflow connection
``smtp_default`` does (``plugins/briefing_mail.py``); both send through ``transmit``, one SMTP command at
a time, so a delivery knows the moment the body goes out. No error or log line holds the SMTP password.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Protocol
from urllib.parse import quote, unquote, urlsplit

from ...errors import ConfigError, MailServerError, PublishError
from ._message import wire_bytes

__all__ = ["Mailer", "SmtpMailer", "SmtpTarget", "parse_smtp_url", "transmit"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpTarget:
    """An SMTP server to send through; ``str()`` of it never shows the password."""

    host: str
    port: int
    tls: bool = False  # smtps://: TLS from the start (smtp:// uses STARTTLS when offered)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        user = f"{self.username}@" if self.username else ""
        return f"smtp{'s' if self.tls else ''}://{user}{self.host}:{self.port}"

    def scrub(self, text: str) -> str:
        """``text`` with the password, as given or percent-encoded, replaced by ``***``."""
        if self.password:
            for form in {self.password, quote(self.password, safe=""), quote(self.password)}:
                text = text.replace(form, "***")
        return text


_ENCODE_HINT = (
    "percent-encode it in the URL (# as %23, / as %2F, ? as %3F, @ as %40, : as %3A), or leave it out of the URL "
    "and give it in BRIEFING_SMTP_PASSWORD or a file (BRIEFING_SMTP_PASSWORD_FILE, --smtp-password-file)"
)


def parse_smtp_url(url: str, password: str | None = None) -> SmtpTarget:
    """The server named by ``smtp[s]://[user[:password]@]host[:port]``; ConfigError (never quoting the URL) if
    malformed.

    ``password`` (from the environment or a file) is used when the URL holds none.
    """
    shape = "it must look like smtp://[user@]host:port"
    try:
        parts = urlsplit(url.strip())
    except ValueError as e:
        raise ConfigError(f"the SMTP URL is malformed ({shape})") from e
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(f"the SMTP URL must start with smtp:// or smtps:// ({shape})")
    if parts.query or parts.fragment or parts.path not in ("", "/"):
        raise ConfigError(
            f"the SMTP URL holds a '#', '?' or '/' after the host; if the password holds one, {_ENCODE_HINT}"
        )
    try:
        port = parts.port
    except ValueError as e:
        raise ConfigError(
            f"the SMTP URL's port is not a number from 1 to 65535; if the password holds a ':' or '@', {_ENCODE_HINT}"
        ) from e
    if not parts.hostname:
        raise ConfigError(f"the SMTP URL names no host ({shape})")
    tls = parts.scheme == "smtps"
    username = unquote(parts.username) if parts.username else None
    given = unquote(parts.password) if parts.password else None
    if given and password and given != password:
        log.warning(
            "the SMTP URL holds a password and one is also given in the environment or a file: the URL's is used"
        )
    if given:
        log.warning(
            "the SMTP password is in the URL on the command line, where `ps` shows it to every user of the machine: "
            "give it in BRIEFING_SMTP_PASSWORD or a file instead"
        )
    secret = given or password or None
    if secret and not username:
        raise ConfigError(
            "an SMTP password is given (BRIEFING_SMTP_PASSWORD or a file) but the SMTP URL names no user to log in as: "
            "smtp://user@host:port"
        )
    return SmtpTarget(
        host=parts.hostname, port=port or (465 if tls else 25), tls=tls, username=username, password=secret
    )


class Mailer(Protocol):
    def send(self, message: EmailMessage, committing: Callable[[], None]) -> None:
        """Send ``message``, calling ``committing()`` just before its body goes out.

        A failure before that call means nothing was sent. After it, only an SMTP reply refusing the
        message (``smtplib.SMTPResponseException``) means the same; any other failure leaves the
        outcome unknown. If ``committing`` raises, the body must not be sent.
        """
        ...


def transmit(client: smtplib.SMTP, message: EmailMessage, committing: Callable[[], None]) -> None:
    """Send ``message`` over an open SMTP connection, one command at a time (see ``Mailer.send``)."""
    sender = parseaddr(str(message["From"]))[1]
    recipients = [address for _, address in getaddresses([str(v) for v in message.get_all("To", [])])]
    body = wire_bytes(message)  # a DKIM-signed message exactly as signed
    client.ehlo_or_helo_if_needed()
    code, reply = client.mail(sender)
    if code != 250:
        client.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if refused or not recipients:
        client.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = client.docmd("DATA")
    if code != 354:
        client.rset()
        raise smtplib.SMTPDataError(code, reply)
    try:
        committing()
    except BaseException:
        client.close()  # the server waits for a body that never comes, and drops the message
        raise
    quoted = re.sub(rb"(?m)^\.", b"..", body)
    client.send(quoted + (b"" if quoted.endswith(b"\r\n") else b"\r\n") + b".\r\n")
    code, reply = client.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


@dataclass
class SmtpMailer:
    """Sends through the SMTP server of ``url`` (``parse_smtp_url``), one connection for a whole delivery.

    STARTTLS is used whenever the server offers it; ``smtps://`` is TLS from the start.
    """

    url: str = field(repr=False)
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    target: SmtpTarget = field(init=False)
    _client: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.target = parse_smtp_url(self.url, self.password)

    def _connect(self) -> smtplib.SMTP:
        t = self.target
        client: smtplib.SMTP | None = None
        try:
            if t.tls:
                client = smtplib.SMTP_SSL(t.host, t.port, timeout=self.timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(t.host, t.port, timeout=self.timeout)
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
            if t.username:
                client.login(t.username, t.password or "")
        except (OSError, smtplib.SMTPException) as e:
            if client is not None:
                client.close()
            refused = isinstance(e, smtplib.SMTPAuthenticationError)
            # not chained: the server's words only, scrubbed
            raise MailServerError(t.scrub(f"cannot connect to the SMTP server {t}: {e}"), permanent=refused) from None
        return client

    def _ready(self) -> smtplib.SMTP:
        """The open connection, checked with NOOP (a server may hang up between messages), or a new one."""
        if self._client is not None:
            try:
                if self._client.noop()[0] == 250:
                    return self._client
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()
        self._client = self._connect()
        return self._client

    def send(self, message: EmailMessage, committing: Callable[[], None]) -> None:
        client = self._ready()
        try:
            transmit(client, message, committing)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # a refusal, with the server's reply: the connection is fine
        except (OSError, smtplib.SMTPException) as e:
            self._drop()
            raise PublishError(
                self.target.scrub(f"the connection to {self.target} broke: {type(e).__name__}: {e}")
            ) from None
        except BaseException:
            self._drop()
            raise

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._client = None
