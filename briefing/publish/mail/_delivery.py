"""One delivery: each subscriber emailed the week's briefing once per week and edition, and never twice.

``deliver`` sends one message per subscriber (a plain-text part, an HTML part and the PDF attached, a
``List-Unsubscribe`` header), and keeps each one's state in the store's delivery ledger
(``records.LedgerEntry``)::

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
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Literal

from ...errors import BriefingError, MailServerError, PublishError, StoreError
from ...owner import gone, new_owner, owner_label
from ...records import LedgerEntry
from ...store import Store
from ._outcome import Delivery, RecipientNote
from ._smtp import Mailer
from ._subscribers_file import Subscriber, resend_addresses

__all__ = ["EDITION", "LEASE", "Compose", "deliver"]

log = logging.getLogger(__name__)

EDITION = "pdf"
#: a claim or send of a run on another host is presumed dead after this long
LEASE = timedelta(minutes=30)
_UNKNOWN_HINT = (
    "it is never sent again automatically: check the mail server's log, and resend to this address if it did not arrive"
)


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
    minutes = f"{lease.total_seconds() / 60:.0f}"
    reason = "that process is gone" if dead else f"no word from it for longer than the {minutes}-minute lease"
    if entry.status == "sent":
        return _Plan("send") if again else _Plan("skip", f"already sent at {since}")
    if entry.status == "unknown":
        if again:
            return _Plan("send")
        broke = "the connection to the mail server broke after the message went out"
        return _Plan("unknown", f"outcome unknown since {since}: {broke}; {_UNKNOWN_HINT}")
    if entry.status == "claimed":
        if stale:
            return _Plan(
                "send", recovered=f"took over the claim {who} left at {since} before sending anything ({reason})"
            )
        return _Plan("skip", f"{who} claimed it at {since} and is sending it now")
    if stale:
        interrupted = f"{who} was interrupted while sending it at {since} ({reason})"
        if again:
            return _Plan("send", recovered=f"resent as asked: {interrupted}")
        return _Plan("settle", f"outcome unknown: {interrupted}, so it may or may not have arrived; {_UNKNOWN_HINT}")
    return _Plan("skip", f"{who} has been sending it since {since}")


@dataclass
class _Tally:
    sent: list[str] = field(default_factory=list)
    skipped: list[RecipientNote] = field(default_factory=list)
    failed: list[RecipientNote] = field(default_factory=list)
    unknown: list[RecipientNote] = field(default_factory=list)
    recovered: list[RecipientNote] = field(default_factory=list)
    bounced: list[RecipientNote] = field(default_factory=list)

    def delivery(self, week: str, dry_run: bool) -> Delivery:
        return Delivery(
            week=week,
            sent=tuple(self.sent),
            skipped=tuple(self.skipped),
            failed=tuple(self.failed),
            unknown=tuple(self.unknown),
            recovered=tuple(self.recovered),
            dry_run=dry_run,
            bounced=tuple(self.bounced),
        )


@dataclass
class _Row:
    """One subscriber's ledger row as this run moves it along (compare-and-set at every step)."""

    store: Store
    week: str
    current: LedgerEntry
    clock: Callable[[], datetime]
    committed: bool = False

    def move(self, status: Literal["claimed", "sending", "sent", "unknown"], message_id: str | None = None) -> bool:
        message_id = message_id or self.current.message_id
        new = replace(self.current, status=status, updated=self.clock(), message_id=message_id)
        if not self.store.swap_delivery(self.week, EDITION, self.current, new):
            return False
        self.current = new
        return True

    def committing(self) -> None:
        """Called by the mailer just before the body goes out: from now on a failure leaves the outcome unknown."""
        if not self.move("sending"):
            recipient = self.current.recipient
            raise PublishError(f"the delivery ledger's row for {recipient} changed under this run: not sending")
        self.committed = True

    def put_back(self, previous: LedgerEntry | None) -> None:
        """After a failure that sent nothing: the row as it was before this run's claim."""
        try:
            self.store.swap_delivery(self.week, EDITION, self.current, previous)
        except StoreError as e:
            log.warning(
                "%s: cannot release the claim on %s (%s); the next run takes it over",
                self.week,
                self.current.recipient,
                e,
            )


@dataclass
class _Run:
    """One delivery as it goes: what it sends with, and what became of each subscriber so far."""

    week: str
    store: Store
    mailer: Mailer | None
    compose: Compose
    dry_run: bool
    attempts: int
    backoff: float
    sleep: Callable[[float], None]
    clock: Callable[[], datetime]
    lease: timedelta
    out: _Tally = field(default_factory=_Tally)
    #: the mail server is out of reach: the subscribers after this one are not tried
    down: MailServerError | None = None

    def serve(self, sub: Subscriber, again: bool) -> None:
        """Plan, build and send one subscriber's message (``again``: a resend is asked for)."""
        if self.down is not None:
            self.out.failed.append(RecipientNote(sub.email, f"not tried, the mail server is out of reach: {self.down}"))
            return
        try:
            entry = self.store.ledger_entry(self.week, sub.email, EDITION)
        except StoreError as e:
            self.out.failed.append(RecipientNote(sub.email, f"cannot read the delivery ledger: {e}"))
            return
        plan = _plan(entry, again, self.clock(), self.lease)
        if plan.action == "skip":
            self.out.skipped.append(RecipientNote(sub.email, plan.why))
            return
        if plan.action in ("unknown", "settle"):
            self._in_doubt(sub, entry, plan)
            return
        try:
            message = self.compose(sub)  # before any claim: a message that cannot be built leaves nothing behind
        except (BriefingError, ValueError, TypeError, UnicodeError) as e:
            self.out.failed.append(RecipientNote(sub.email, f"cannot build the message: {e}"))
            return
        if plan.recovered:
            self.out.recovered.append(RecipientNote(sub.email, plan.recovered))
        if self.dry_run:
            self.out.sent.append(sub.email)
            return
        assert self.mailer is not None
        self.down = self._send(self.mailer, sub, message, entry)

    def _in_doubt(self, sub: Subscriber, entry: LedgerEntry | None, plan: _Plan) -> None:
        """An outcome nobody knows: reported, and a dead run's send recorded as ``unknown``."""
        if plan.action == "settle" and not self.dry_run and entry is not None:
            try:
                self.store.swap_delivery(self.week, EDITION, entry, replace(entry, status="unknown", owner=new_owner()))
            except StoreError as e:
                log.warning("%s: cannot record %s as unknown: %s", self.week, sub.email, e)
        self.out.unknown.append(RecipientNote(sub.email, plan.why))

    def _claim(self, sub: Subscriber, previous: LedgerEntry | None) -> _Row | None:
        """This run's claim on the subscriber's row; None (and the reason tallied) when it cannot have it."""
        claim = LedgerEntry(recipient=sub.email, status="claimed", updated=self.clock(), owner=new_owner())
        try:
            if not self.store.swap_delivery(self.week, EDITION, previous, claim):
                self.out.skipped.append(RecipientNote(sub.email, "another run claimed it at the same moment"))
                return None
        except StoreError as e:
            self.out.failed.append(RecipientNote(sub.email, f"cannot claim it in the delivery ledger: {e}"))
            return None
        return _Row(store=self.store, week=self.week, current=claim, clock=self.clock)

    def _send(
        self, mailer: Mailer, sub: Subscriber, message: EmailMessage, previous: LedgerEntry | None
    ) -> MailServerError | None:
        """Claim, send and record one message; returns the error when the mail server is out of reach."""
        row = self._claim(sub, previous)
        if row is None:
            return None
        error = ""
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                mailer.send(message, row.committing)
            except (OSError, smtplib.SMTPException, BriefingError) as e:
                error, last = f"{type(e).__name__}: {e}", e
                step = self._after_failure(sub, row, e, error, attempt)
                if step == "unknown":
                    return None
                if step == "stop":
                    break
                continue
            self._record_sent(sub, row, message)
            return None
        row.put_back(previous)
        self.out.failed.append(RecipientNote(sub.email, error))
        return last if isinstance(last, MailServerError) else None

    def _after_failure(
        self, sub: Subscriber, row: _Row, e: Exception, error: str, attempt: int
    ) -> Literal["unknown", "stop", "retry"]:
        """What a failed attempt means: the outcome is in doubt, trying again will not help, or try again."""
        if row.committed and not isinstance(e, smtplib.SMTPResponseException):
            broke = f"the connection to the mail server broke after the message went out ({error})"
            try:
                row.move("unknown")
            except (
                StoreError
            ) as store_error:  # the row stays 'sending'; the next run finds this process gone and says the same
                log.warning("%s: cannot record %s as unknown: %s", self.week, sub.email, store_error)
            self.out.unknown.append(RecipientNote(sub.email, f"outcome unknown: {broke}; {_UNKNOWN_HINT}"))
            return "unknown"
        if row.committed:
            try:
                row.move("claimed")  # refused with a reply: nothing was delivered
            except StoreError:
                pass
            row.committed = False
        log.warning(
            "%s: sending to %s failed (attempt %d of %d): %s", self.week, sub.email, attempt + 1, self.attempts, error
        )
        if _permanent(e):
            if isinstance(e, smtplib.SMTPRecipientsRefused):
                replies = "; ".join(f"{code} {_reply(text)}" for code, text in e.recipients.values())
                self.out.bounced.append(RecipientNote(sub.email, replies))
            return "stop"
        if attempt + 1 < self.attempts:
            self.sleep(self.backoff * 2**attempt)
        return "retry"

    def _record_sent(self, sub: Subscriber, row: _Row, message: EmailMessage) -> None:
        try:
            row.move("sent", message_id=str(message["Message-ID"]))
        except StoreError as e:
            self.out.unknown.append(
                RecipientNote(
                    sub.email,
                    f"sent, but the delivery ledger could not record it ({e}); "
                    "the next run will report it as unknown: do not resend",
                )
            )
            return
        self.out.sent.append(sub.email)


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
    run = _Run(
        week=week, store=store, mailer=mailer, compose=compose, dry_run=dry_run,
        attempts=attempts, backoff=backoff, sleep=sleep, clock=clock, lease=lease,
    )  # fmt: skip
    for sub in subscribers:
        run.serve(sub, again=again_for is None or sub.email.lower() in again_for)
    result = run.out.delivery(week, dry_run)
    log.info(result.summary())
    for line in result.details():
        (log.info if line.startswith("skipped") else log.warning)("%s: %s", week, line)
    return result


def _permanent(e: Exception) -> bool:
    """A 5xx answer or a refused login: trying the same recipient again will not help."""
    if isinstance(e, MailServerError):
        return e.permanent
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return bool(e.recipients) and all(code >= 500 for code, _ in e.recipients.values())
    return isinstance(e, smtplib.SMTPResponseException) and e.smtp_code >= 500


def _reply(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
