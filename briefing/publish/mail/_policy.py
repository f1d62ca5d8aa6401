"""The email step of a run: whether it sends, through what, and what counts as done.

``email_week`` holds the rules the DAG's ``email`` task follows, so they are tested without Airflow:

- a backfill sends nothing unless the run's ``send_email`` asks for it; ``send_email`` off sends nothing;
- without a subscribers file and with no subscribers in the store, nothing is sent;
- a dry run builds every message and sends none (no mail server is opened);
- ``resend`` names the addresses (or ``all``) to email again;
- a delivery in which a message failed, or whose outcome is unknown, is an error after its report is logged:
  the task's retry sends only to the failed, and an unknown outcome waits for an editor's resend.

What the rules need of the deployment comes in an ``Outbox``, opened only when the rules let the step
send: the DAG's is its pipeline (``briefing.pipeline.deliver_week``) and the ``smtp_default`` connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from ...errors import PublishError
from ._outcome import Delivery
from ._smtp import Mailer

__all__ = ["EmailRequest", "EmailResult", "Outbox", "Send", "email_week"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailRequest:
    """What a run asks of the email step: its parameters, and whether it is a backfill."""

    week: str
    #: the run's ``send_email``: True sends even in a backfill, False never sends; None leaves it to the kind of run
    send_email: bool | None = None
    backfill: bool = False
    #: build every message and send none
    dry_run: bool = False
    #: the addresses to email again, or ``("all",)``
    resend: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmailResult:
    """What the email step did: the delivery, or why there was none."""

    week: str
    delivery: Delivery | None = None
    #: why nothing was sent ("" when a delivery ran)
    skipped: str = ""

    def counts(self) -> dict[str, str | int]:
        """The week and the counts, as the DAG's task returns them (its XCom)."""
        d = self.delivery
        if d is None:
            return {"week": self.week, "sent": 0}
        return {
            "week": self.week,
            "sent": len(d.sent),
            "skipped": len(d.skipped),
            "bounced": len(d.bounced),
            "held": len(d.held),
        }


class Send(Protocol):
    """The week's delivery through ``mailer`` (None in a dry run), emailing ``resend`` again."""

    def __call__(self, *, mailer: Mailer | None, dry_run: bool, resend: list[str]) -> Delivery: ...


@dataclass(frozen=True)
class Outbox:
    """What the email step needs of the deployment, called only when the rules let it send."""

    #: whether anyone may be emailed: a subscribers file is configured, or the store keeps subscribers
    has_subscribers: Callable[[], bool]
    send: Send
    #: the deployment's mail server, open for one delivery
    mail_server: Callable[[], AbstractContextManager[Mailer]]


def _no_email(request: EmailRequest) -> str:
    """Why the run's parameters send nothing, or ""."""
    if request.send_email is False or (request.send_email is None and request.backfill):
        return "backfill, or send_email is off"
    return ""


def email_week(request: EmailRequest, outbox: Callable[[], AbstractContextManager[Outbox]]) -> EmailResult:
    """Email the week as ``request`` asks, by the rules of the module's docstring; PublishError when a message
    failed or its outcome is unknown. ``outbox`` is opened only when the run's parameters let it send."""
    week = request.week
    why = _no_email(request)
    if why:
        log.info("%s: no email (%s).", week, why)
        return EmailResult(week=week, skipped=why)
    with outbox() as box:
        if not box.has_subscribers():
            why = "no subscribers file configured (BRIEFING_SUBSCRIBERS) and none in the store"
            log.info("%s: %s: no email.", week, why)
            return EmailResult(week=week, skipped=why)
        resend = list(request.resend)
        if request.dry_run:
            delivery = box.send(mailer=None, dry_run=True, resend=resend)
        else:
            with box.mail_server() as mailer:
                delivery = box.send(mailer=mailer, dry_run=False, resend=resend)
    _report(delivery)
    if not delivery.ok:  # a retry sends only to the failed; an unknown outcome waits for an editor's resend
        raise PublishError(
            f"{week}: {len(delivery.failed)} failed, {len(delivery.unknown)} unknown: "
            + "; ".join(f"{r}: {e}" for r, e in delivery.failed + delivery.unknown)
        )
    return EmailResult(week=week, delivery=delivery)


def _report(delivery: Delivery) -> None:
    """Log the delivery: its summary, each recipient sent to, and each one not simply sent to."""
    log.info("%s", delivery.summary())
    for recipient in delivery.sent:
        log.info("%s %s", "would send to" if delivery.dry_run else "sent to", recipient)
    for line in delivery.details():
        log.info("%s", line)
