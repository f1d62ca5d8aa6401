"""Email the briefing to subscribers: each one once per week and edition, and never twice.

``load_subscribers`` reads the subscribers file (SPEC, "Subscribers file"): one address a line, or the
CSV form ``email,name,themes``; a malformed address or name is an error naming its line, and never
reaches the SMTP server. ``deliver`` sends one message per subscriber (a plain-text part, an HTML part
and the PDF attached, a ``List-Unsubscribe`` header), and keeps each one's state in the store's
delivery ledger (``records.LedgerEntry``)::

    (no row) ── claim ──> claimed ── DATA accepted, body going out ──> sending ──> sent
                             ↑                                           │
                             └──── refused with an SMTP reply ───────────┤
                                                                         └──> unknown (the connection broke)

Each message is built before its claim, so a message that cannot be built leaves no claim behind.
Up to the server's go-ahead for the body nothing has been sent, and a failure is retried. Once the
body is on its way, a broken connection or a timeout means nobody knows whether the server kept the
message: the row becomes ``unknown``, is never sent again automatically, and is reported on every run
until an operator resends to that address (``resend``). A run killed at any moment leaves a row whose
owner (``briefing.owner``) is gone: a ``claimed`` row is taken over (nothing had been sent) and a
``sending`` row becomes ``unknown``; both are reported. Rows of a run on another host are judged by
``LEASE``. ``Delivery`` names every subscriber not sent to and why.

The transport is a ``Mailer``: ``SmtpMailer`` for an ``smtp://`` URL here, the Airflow connection in the
DAG; both send through ``transmit``. No error or log line holds the SMTP password.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import smtplib
import ssl
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, getaddresses, parseaddr
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import quote, unquote, urlsplit

from .errors import BriefingError, ConfigError, MailServerError, PublishError, StoreError
from .mailheaders import DkimKey, list_headers, sign, wire_bytes
from .owner import gone, new_owner, owner_label
from .records import LedgerEntry
from .store import Store

__all__ = [
    "LEASE",
    "Delivery",
    "Mailer",
    "SmtpMailer",
    "SmtpTarget",
    "Subscriber",
    "deliver",
    "load_subscribers",
    "parse_smtp_url",
    "parse_subscribers",
    "resend_addresses",
    "transmit",
]

log = logging.getLogger(__name__)

EDITION = "pdf"
#: a claim or send of a run on another host is presumed dead after this long
LEASE = timedelta(minutes=30)
#: RFC 5321: a path holds at most 256 characters with its angle brackets; a local part at most 64
MAX_ADDRESS, MAX_LOCAL = 254, 64
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_UNKNOWN_HINT = "it is never sent again automatically: check the mail server's log, and resend to this address if it did not arrive"


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str = ""
    themes: tuple[str, ...] = ()


# -- the subscribers file -----------------------------------------------------------------------------------


def load_subscribers(path: str | Path, theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")  # a spreadsheet's CSV starts with a byte-order mark
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the subscribers file: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: the subscribers file is not UTF-8 text (byte {e.start})") from e
    return parse_subscribers(text, str(p), theme_ids)


def parse_subscribers(text: str, where: str = "<subscribers>", theme_ids: Sequence[str] = ()) -> list[Subscriber]:
    """Subscribers from the file's text; every bad line is a ConfigError naming it."""
    out: list[Subscriber] = []
    seen: set[str] = set()
    for n, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):  # lines end at \n only, never at U+0085 or U+2028
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        odd = next((c for c in stripped if c != "\t" and unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
        if odd is not None:
            raise ConfigError(f"{where}:{n}: the line holds a control or line-separator character (U+{ord(odd):04X})")
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
        if len(email) > MAX_ADDRESS or len(email.partition("@")[0]) > MAX_LOCAL:
            raise ConfigError(f"{where}:{n}: the address {_clip(email)!r} is too long (at most {MAX_ADDRESS} characters, {MAX_LOCAL} before the @)")
        if not _EMAIL_RE.match(email) or parseaddr(email)[1] != email:
            raise ConfigError(f"{where}:{n}: {_clip(email)!r} is not a valid email address")
        themes = tuple(t for t in re.split(r"[;|\s]+", themes_field.strip()) if t)
        unknown = [t for t in themes if theme_ids and t not in theme_ids]
        if unknown:
            raise ConfigError(f"{where}:{n}: unknown theme(s) {', '.join(map(_clip, unknown))} (known: {', '.join(theme_ids)})")
        key = email.lower()
        if key in seen:
            raise ConfigError(f"{where}:{n}: {email} is listed twice")
        seen.add(key)
        subscriber = Subscriber(email=email, name=name.strip(), themes=themes)
        try:
            EmailMessage()["To"] = to_header(subscriber)  # what the message will hold: a name must fit a header
        except (ValueError, TypeError) as e:
            raise ConfigError(f"{where}:{n}: the name {_clip(subscriber.name)!r} cannot go in an email header: {e}") from e
        out.append(subscriber)
    return out


def to_header(subscriber: Subscriber) -> str:
    """The ``To`` header of a subscriber's message."""
    return formataddr((subscriber.name, subscriber.email)) if subscriber.name else subscriber.email


def resend_addresses(resend: bool | Collection[str], subscribers: Sequence[Subscriber]) -> frozenset[str] | None:
    """Which subscribers ``resend`` names, lower-cased; None for all (``True`` or ``"all"``).

    An address that is not a subscriber is a ConfigError, so a typo never passes for a resend.
    """
    if resend is True:
        return None
    if resend is False:
        return frozenset()
    names = {r.strip().lower() for r in ([resend] if isinstance(resend, str) else resend) if r.strip()}
    if "all" in names:
        return None
    missing = sorted(names - {s.email.lower() for s in subscribers})
    if missing:
        raise ConfigError(f"cannot resend to {', '.join(map(_clip, missing))}: not in the subscribers file")
    return frozenset(names)


# -- the SMTP server --------------------------------------------------------------------------------------------


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
    """The server named by ``smtp[s]://[user[:password]@]host[:port]``; ConfigError (never quoting the URL) if malformed.

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
        raise ConfigError(f"the SMTP URL holds a '#', '?' or '/' after the host; if the password holds one, {_ENCODE_HINT}")
    try:
        port = parts.port
    except ValueError as e:
        raise ConfigError(f"the SMTP URL's port is not a number from 1 to 65535; if the password holds a ':' or '@', {_ENCODE_HINT}") from e
    if not parts.hostname:
        raise ConfigError(f"the SMTP URL names no host ({shape})")
    tls = parts.scheme == "smtps"
    username = unquote(parts.username) if parts.username else None
    given = unquote(parts.password) if parts.password else None
    if given and password and given != password:
        log.warning("the SMTP URL holds a password and one is also given in the environment or a file: the URL's is used")
    if given:
        log.warning("the SMTP password is in the URL on the command line, where `ps` shows it to every user of the machine: give it in BRIEFING_SMTP_PASSWORD or a file instead")
    secret = given or password or None
    if secret and not username:
        raise ConfigError("an SMTP password is given (BRIEFING_SMTP_PASSWORD or a file) but the SMTP URL names no user to log in as: smtp://user@host:port")
    return SmtpTarget(host=parts.hostname, port=port or (465 if tls else 25), tls=tls, username=username, password=secret)


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
            raise PublishError(self.target.scrub(f"the connection to {self.target} broke: {type(e).__name__}: {e}")) from None
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


# -- one delivery ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What a delivery did, recipient by recipient."""

    week: str
    sent: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (recipient, why)
    failed: tuple[tuple[str, str], ...] = ()  # (recipient, error): nothing was sent; the next run tries again
    unknown: tuple[tuple[str, str], ...] = ()  # (recipient, what happened): may have arrived; never resent unasked
    recovered: tuple[tuple[str, str], ...] = ()  # (recipient, note): a claim of a run that died, taken over
    dry_run: bool = False
    #: (recipient, the server's reply): refused permanently (5xx) at RCPT, so counted as a bounce
    bounced: tuple[tuple[str, str], ...] = ()
    #: (address, status): subscribers not sent to, as they unsubscribed or bounce (``briefing.subscribers``)
    held: tuple[tuple[str, str], ...] = ()
    #: addresses that became ``bouncing`` after this delivery's refusals
    now_bouncing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing failed and no outcome is in doubt."""
        return not self.failed and not self.unknown

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        line = f"{self.week}: {verb} {len(self.sent)}, skipped {len(self.skipped)}, failed {len(self.failed)}, unknown {len(self.unknown)}"
        if self.bounced:
            line += f", bounced {len(self.bounced)}" + (f" ({len(self.now_bouncing)} now marked bouncing)" if self.now_bouncing else "")
        held = Counter(status for _, status in self.held)
        if held:
            line += "; not sent to " + " and ".join(f"{n} {status}" for status, n in sorted(held.items()))
        return line

    def details(self) -> list[str]:
        """One line per subscriber not simply sent to: skipped, failed, outcome unknown, claim recovered."""
        lines = [f"recovered: {r}: {note}" for r, note in self.recovered]
        lines += [f"skipped: {r}: {why}" for r, why in self.skipped]
        lines += [f"failed: {r}: {error}" for r, error in self.failed]
        lines += [f"unknown: {r}: {why}" for r, why in self.unknown]
        lines += [f"bounced: {r}: {reply}" for r, reply in self.bounced]
        lines += [f"now bouncing: {r}: no more email until an operator reactivates it (briefing subscribers add)" for r in self.now_bouncing]
        return lines


Compose = Callable[[Subscriber], EmailMessage]


@dataclass(frozen=True)
class _Plan:
    action: Literal["send", "skip", "unknown", "settle"]  # settle: record a dead run's send as unknown
    why: str = ""
    recovered: str = ""


def _plan(entry: LedgerEntry | None, again: bool, now: datetime, lease: timedelta) -> _Plan:
    """What to do for one subscriber, given the ledger's row and whether a resend is asked for."""
    if entry is None:
        return _Plan("send")
    since = f"{entry.updated:%Y-%m-%d %H:%M:%S} UTC"
    who = owner_label(entry.owner)
    dead = gone(entry.owner)
    stale = dead or now - entry.updated > lease
    reason = "that process is gone" if dead else f"no word from it for longer than the {lease.total_seconds() / 60:.0f}-minute lease"
    if entry.status == "sent":
        return _Plan("send") if again else _Plan("skip", f"already sent at {since}")
    if entry.status == "unknown":
        return _Plan("send") if again else _Plan("unknown", f"outcome unknown since {since}: the connection to the mail server broke after the message went out; {_UNKNOWN_HINT}")
    if entry.status == "claimed":
        if stale:
            return _Plan("send", recovered=f"took over the claim {who} left at {since} before sending anything ({reason})")
        return _Plan("skip", f"{who} claimed it at {since} and is sending it now")
    if stale:
        if again:
            return _Plan("send", recovered=f"resent as asked: {who} was interrupted while sending it at {since} ({reason})")
        return _Plan("settle", f"outcome unknown: {who} was interrupted while sending it at {since} ({reason}), so it may or may not have arrived; {_UNKNOWN_HINT}")
    return _Plan("skip", f"{who} has been sending it since {since}")


@dataclass
class _Tally:
    sent: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    recovered: list[tuple[str, str]] = field(default_factory=list)
    bounced: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Row:
    """One subscriber's ledger row as this run moves it along (compare-and-set at every step)."""

    store: Store
    week: str
    current: LedgerEntry
    clock: Callable[[], datetime]
    committed: bool = False

    def move(self, status: Literal["claimed", "sending", "sent", "unknown"], message_id: str | None = None) -> bool:
        new = replace(self.current, status=status, updated=self.clock(), message_id=message_id or self.current.message_id)
        if not self.store.swap_delivery(self.week, EDITION, self.current, new):
            return False
        self.current = new
        return True

    def committing(self) -> None:
        """Called by the mailer just before the body goes out: from now on a failure leaves the outcome unknown."""
        if not self.move("sending"):
            raise PublishError(f"the delivery ledger's row for {self.current.recipient} changed under this run: not sending")
        self.committed = True

    def put_back(self, previous: LedgerEntry | None) -> None:
        """After a failure that sent nothing: the row as it was before this run's claim."""
        try:
            self.store.swap_delivery(self.week, EDITION, self.current, previous)
        except StoreError as e:
            log.warning("%s: cannot release the claim on %s (%s); the next run takes it over", self.week, self.current.recipient, e)


def deliver(
    week: str,
    subscribers: Sequence[Subscriber],
    compose: Compose,
    *,
    store: Store,
    mailer: Mailer | None,
    resend: bool | Collection[str] = False,
    dry_run: bool = False,
    attempts: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    lease: timedelta = LEASE,
) -> Delivery:
    """Email each subscriber the week's briefing once; see the module's docstring.

    ``resend``: True or ``"all"`` sends again to everyone; addresses send again to those only (a stuck
    or unknown one included). With ``dry_run`` every message is built and nothing is sent or recorded.
    """
    again_for = resend_addresses(resend, subscribers)
    if mailer is None and not dry_run:
        raise PublishError("no SMTP server configured (give --smtp, or set the smtp_default connection)")
    out = _Tally()
    down: MailServerError | None = None
    for sub in subscribers:
        if down is not None:
            out.failed.append((sub.email, f"not tried, the mail server is out of reach: {down}"))
            continue
        again = again_for is None or sub.email.lower() in again_for
        try:
            entry = store.ledger_entry(week, sub.email, EDITION)
        except StoreError as e:
            out.failed.append((sub.email, f"cannot read the delivery ledger: {e}"))
            continue
        plan = _plan(entry, again, clock(), lease)
        if plan.action == "skip":
            out.skipped.append((sub.email, plan.why))
            continue
        if plan.action in ("unknown", "settle"):
            if plan.action == "settle" and not dry_run and entry is not None:
                try:
                    store.swap_delivery(week, EDITION, entry, replace(entry, status="unknown", owner=new_owner()))
                except StoreError as e:
                    log.warning("%s: cannot record %s as unknown: %s", week, sub.email, e)
            out.unknown.append((sub.email, plan.why))
            continue
        try:
            message = compose(sub)  # before any claim: a message that cannot be built leaves nothing behind
        except (BriefingError, ValueError, TypeError, UnicodeError) as e:
            out.failed.append((sub.email, f"cannot build the message: {e}"))
            continue
        if plan.recovered:
            out.recovered.append((sub.email, plan.recovered))
        if dry_run:
            out.sent.append(sub.email)
            continue
        assert mailer is not None
        down = _send_one(week, sub, message, entry, store=store, mailer=mailer, out=out, attempts=attempts, backoff=backoff, sleep=sleep, clock=clock)
    result = Delivery(
        week=week,
        sent=tuple(out.sent),
        skipped=tuple(out.skipped),
        failed=tuple(out.failed),
        unknown=tuple(out.unknown),
        recovered=tuple(out.recovered),
        dry_run=dry_run,
        bounced=tuple(out.bounced),
    )
    log.info(result.summary())
    for line in result.details():
        (log.info if line.startswith("skipped") else log.warning)("%s: %s", week, line)
    return result


def _send_one(
    week: str,
    sub: Subscriber,
    message: EmailMessage,
    previous: LedgerEntry | None,
    *,
    store: Store,
    mailer: Mailer,
    out: _Tally,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
    clock: Callable[[], datetime],
) -> MailServerError | None:
    """Claim, send and record one message; returns the error when the mail server is out of reach."""
    claim = LedgerEntry(recipient=sub.email, status="claimed", updated=clock(), owner=new_owner())
    try:
        if not store.swap_delivery(week, EDITION, previous, claim):
            out.skipped.append((sub.email, "another run claimed it at the same moment"))
            return None
    except StoreError as e:
        out.failed.append((sub.email, f"cannot claim it in the delivery ledger: {e}"))
        return None
    row = _Row(store=store, week=week, current=claim, clock=clock)
    error = ""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            mailer.send(message, row.committing)
        except (OSError, smtplib.SMTPException, BriefingError) as e:
            error, last = f"{type(e).__name__}: {e}", e
            if row.committed and not isinstance(e, smtplib.SMTPResponseException):
                why = f"outcome unknown: the connection to the mail server broke after the message went out ({error}); {_UNKNOWN_HINT}"
                try:
                    row.move("unknown")
                except StoreError as store_error:  # the row stays 'sending'; the next run finds this process gone and says the same
                    log.warning("%s: cannot record %s as unknown: %s", week, sub.email, store_error)
                out.unknown.append((sub.email, why))
                return None
            if row.committed:
                try:
                    row.move("claimed")  # refused with a reply: nothing was delivered
                except StoreError:
                    pass
                row.committed = False
            log.warning("%s: sending to %s failed (attempt %d of %d): %s", week, sub.email, attempt + 1, attempts, error)
            if _permanent(e):
                if isinstance(e, smtplib.SMTPRecipientsRefused):
                    out.bounced.append((sub.email, "; ".join(f"{code} {_reply(text)}" for code, text in e.recipients.values())))
                break
            if attempt + 1 < attempts:
                sleep(backoff * 2**attempt)
            continue
        try:
            row.move("sent", message_id=str(message["Message-ID"]))
        except StoreError as e:
            out.unknown.append((sub.email, f"sent, but the delivery ledger could not record it ({e}); the next run will report it as unknown: do not resend"))
            return None
        out.sent.append(sub.email)
        return None
    row.put_back(previous)
    out.failed.append((sub.email, error))
    return last if isinstance(last, MailServerError) else None


def _permanent(e: Exception) -> bool:
    """A 5xx answer or a refused login: trying the same recipient again will not help."""
    if isinstance(e, MailServerError):
        return e.permanent
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return bool(e.recipients) and all(code >= 500 for code, _ in e.recipients.values())
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
    one_click: str = "",
    when: datetime | None = None,
    dkim: DkimKey | None = None,
) -> EmailMessage:
    """One subscriber's message: plain text, HTML alternative and the PDF attached, with the headers a
    provider checks (``briefing.mailheaders``: Date, Message-ID, List-Id, List-Unsubscribe with the
    subscriber's ``one_click`` link and ``unsubscribe``, List-Unsubscribe-Post); signed with ``dkim``."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to_header(subscriber)
    for name, value in list_headers(sender=sender, unsubscribe=unsubscribe, one_click=one_click, when=when):
        msg[name] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return sign(msg, dkim) if dkim is not None else msg


def _reply(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value)} characters)"
