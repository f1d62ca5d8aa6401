"""Email the briefing to subscribers, exactly once per week, subscriber and edition.

``load_subscribers`` reads the subscribers file (SPEC, "Subscribers file"): one address a line, or the
CSV form ``email,name,themes``; a malformed address is an error naming its line, and never reaches the
SMTP server. ``deliver`` sends one message per subscriber (a plain-text part, an HTML part and the PDF
attached, a ``List-Unsubscribe`` header), recording each in the store's delivery ledger: a subscriber who
already has the week's edition is skipped unless ``resend`` is asked, so reruns, retries and backfills
never send twice. A failure on one recipient is retried, then reported, and does not stop the others.
The transport is a ``Mailer``: ``SmtpMailer`` for an ``smtp://`` URL here, the Airflow connection in the DAG.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from .errors import ConfigError, PublishError
from .store import Store

__all__ = ["Delivery", "Mailer", "SmtpMailer", "Subscriber", "deliver", "load_subscribers", "parse_subscribers"]

log = logging.getLogger(__name__)

EDITION = "pdf"
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str = ""
    themes: tuple[str, ...] = ()


def load_subscribers(path: str | Path, theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the subscribers file: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: the subscribers file is not UTF-8 text") from e
    return parse_subscribers(text, str(p), theme_ids)


def parse_subscribers(text: str, where: str = "<subscribers>", theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    """Subscribers from the file's text; every bad line is a ConfigError naming it."""
    out: list[Subscriber] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "," in stripped:
            fields = next(csv.reader(io.StringIO(stripped)))
            if fields and fields[0].strip().lower() == "email":
                continue  # a CSV header
            if len(fields) > 3:
                raise ConfigError(f"{where}:{n}: expected 'email,name,themes', got {len(fields)} fields")
            email, name, themes_field = (fields + ["", ""])[:3]
        else:
            email, name, themes_field = stripped, "", ""
        email = email.strip()
        if not _EMAIL_RE.match(email) or parseaddr(email)[1] != email:
            raise ConfigError(f"{where}:{n}: {email!r} is not a valid email address")
        themes = tuple(t for t in re.split(r"[;|\s]+", themes_field.strip()) if t)
        unknown = [t for t in themes if theme_ids and t not in theme_ids]
        if unknown:
            raise ConfigError(f"{where}:{n}: unknown theme(s) {', '.join(unknown)} (known: {', '.join(theme_ids)})")
        key = email.lower()
        if key in seen:
            raise ConfigError(f"{where}:{n}: {email} is listed twice")
        seen.add(key)
        out.append(Subscriber(email=email, name=name.strip(), themes=themes))
    return out


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass
class SmtpMailer:
    """Sends through an SMTP server named by ``smtp://[user:pass@]host:port`` (``smtps://`` for TLS).

    STARTTLS is used whenever the server offers it. One connection serves a whole delivery.
    """

    url: str
    timeout: float = 30.0
    _client: smtplib.SMTP | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError(f"SMTP URL {self._safe()!r} must look like smtp://[user:pass@]host:port")

    def _safe(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}" if parts.hostname else self.url.split("@")[-1]

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.url)
        try:
            if parts.scheme == "smtps":
                client: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname or "", parts.port or 465, timeout=self.timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(parts.hostname or "", parts.port or 25, timeout=self.timeout)
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
        except (OSError, smtplib.SMTPException) as e:
            raise PublishError(f"cannot connect to the SMTP server {self._safe()}: {e}") from e
        return client

    def send(self, message: EmailMessage) -> None:
        if self._client is None:
            self._client = self._connect()
        try:
            self._client.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self._client = self._connect()  # the server hung up between messages: once more
            self._client.send_message(message)

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


@dataclass(frozen=True)
class Delivery:
    """What a delivery did, recipient by recipient."""

    week: str
    sent: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (recipient, why)
    failed: tuple[tuple[str, str], ...] = ()  # (recipient, error)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        parts = [f"{self.week}: {verb} {len(self.sent)}", f"skipped {len(self.skipped)}", f"failed {len(self.failed)}"]
        return ", ".join(parts)


Compose = Callable[[Subscriber], EmailMessage]


def deliver(
    week: str,
    subscribers: Sequence[Subscriber],
    compose: Compose,
    *,
    store: Store,
    mailer: Mailer | None,
    resend: bool = False,
    dry_run: bool = False,
    attempts: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Delivery:
    """Email each subscriber the week's briefing once; see the module's docstring."""
    sent: list[str] = []
    skipped: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    for sub in subscribers:
        if dry_run:
            status = store.delivered(week).get(sub.email)
            if status == "sent" and not resend:
                skipped.append((sub.email, "already sent"))
            else:
                compose(sub)  # render it all the same, so a dry run proves the messages build
                sent.append(sub.email)
            continue
        if mailer is None:
            raise PublishError("no SMTP server configured (give --smtp, or set the smtp_default connection)")
        blocked = store.claim_delivery(week, sub.email, EDITION, clock(), resend=resend)
        if blocked == "sent":
            skipped.append((sub.email, "already sent"))
            continue
        if blocked is not None:
            skipped.append((sub.email, "a send is in progress or in doubt; check the mail server's log, then use resend"))
            continue
        message = compose(sub)
        error = None
        for attempt in range(attempts):
            try:
                mailer.send(message)
                error = None
                break
            except (OSError, smtplib.SMTPException, PublishError) as e:
                error = f"{type(e).__name__}: {e}"
                permanent = _permanent(e)
                log.warning("%s: sending to %s failed (attempt %d of %d): %s", week, sub.email, attempt + 1, attempts, error)
                if permanent:
                    break
                if attempt + 1 < attempts:
                    sleep(backoff * 2**attempt)
        if error is None:
            store.finish_delivery(week, sub.email, EDITION, clock(), str(message["Message-ID"]))
            sent.append(sub.email)
        else:
            store.release_delivery(week, sub.email, EDITION)
            failed.append((sub.email, error))
    result = Delivery(week=week, sent=tuple(sent), skipped=tuple(skipped), failed=tuple(failed), dry_run=dry_run)
    log.info(result.summary())
    return result


def _permanent(e: Exception) -> bool:
    """A 5xx answer: trying the same recipient again will not help."""
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in e.recipients.values())
    return isinstance(e, smtplib.SMTPResponseException) and e.smtp_code >= 500


def build_message(
    *,
    subject: str,
    sender: str,
    subscriber: Subscriber,
    text: str,
    html: str,
    pdf: bytes,
    pdf_name: str,
    unsubscribe: str,
) -> EmailMessage:
    """One subscriber's message: plain text, HTML alternative and the PDF attached."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = formataddr((subscriber.name, subscriber.email)) if subscriber.name else subscriber.email
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return msg
