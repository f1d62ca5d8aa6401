"""The rules of a run's email step (``briefing.publish.mail.email_week``), without Airflow: a fake outbox
records what the step asked of the deployment, so each rule is one row of a table."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest

from briefing.errors import PublishError
from briefing.publish.mail import (
    Delivery,
    EmailRequest,
    EmailResult,
    Held,
    Mailer,
    Outbox,
    RecipientNote,
    email_week,
)

WEEK = "2026-W47"


class _NoMail:
    """A mail server that must never be written to: the fake deliveries only look at who opened it."""

    def send(self, message: EmailMessage, committing: Callable[[], None]) -> None:
        raise AssertionError("the fake delivery sends nothing itself")


@dataclass
class FakeOutbox:
    """What the email step asked of the deployment, and the delivery it is handed back."""

    subscribers: bool = True
    delivery: Delivery = field(default_factory=lambda: Delivery(week=WEEK, sent=("ana@example.org",)))
    opened: int = 0  # times the deployment (its pipeline) was opened
    servers: int = 0  # times the mail server was opened
    sends: list[tuple[bool, bool, list[str]]] = field(default_factory=list)  # (with a mailer, dry run, resend)

    @contextmanager
    def _server(self) -> Iterator[Mailer]:
        self.servers += 1
        yield _NoMail()

    def _send(self, *, mailer: Mailer | None, dry_run: bool, resend: list[str]) -> Delivery:
        self.sends.append((mailer is not None, dry_run, resend))
        return self.delivery

    def __call__(self) -> AbstractContextManager[Outbox]:
        @contextmanager
        def opened() -> Iterator[Outbox]:
            self.opened += 1
            yield Outbox(has_subscribers=lambda: self.subscribers, send=self._send, mail_server=self._server)

        return opened()


@pytest.mark.parametrize(
    ("request_", "sends"),
    [
        pytest.param(EmailRequest(week=WEEK), [(True, False, [])], id="a scheduled run sends"),
        pytest.param(EmailRequest(week=WEEK, backfill=True), [], id="a backfill sends nothing by default"),
        pytest.param(
            EmailRequest(week=WEEK, backfill=True, send_email=True),
            [(True, False, [])],
            id="a backfill sends when asked",
        ),
        pytest.param(EmailRequest(week=WEEK, send_email=False), [], id="send_email off sends nothing"),
        pytest.param(EmailRequest(week=WEEK, dry_run=True), [(False, True, [])], id="a dry run opens no mail server"),
        pytest.param(
            EmailRequest(week=WEEK, resend=("ana@example.org",)),
            [(True, False, ["ana@example.org"])],
            id="resend is passed on",
        ),
    ],
)
def test_the_run_s_params_decide_whether_and_how_it_sends(
    request_: EmailRequest, sends: list[tuple[bool, bool, list[str]]]
) -> None:
    outbox = FakeOutbox()
    result = email_week(request_, outbox)
    assert outbox.sends == sends
    assert outbox.servers == sum(1 for with_mailer, _, _ in sends if with_mailer)
    if not sends:
        assert outbox.opened == 0  # a run that sends nothing never opens the store
        assert result == EmailResult(week=WEEK, skipped="backfill, or send_email is off")
        assert result.counts() == {"week": WEEK, "sent": 0}


def test_without_subscribers_nothing_is_sent() -> None:
    outbox = FakeOutbox(subscribers=False)
    result = email_week(EmailRequest(week=WEEK), outbox)
    assert (outbox.opened, outbox.servers, outbox.sends) == (1, 0, [])
    assert result.delivery is None and "no subscribers" in result.skipped
    assert result.counts() == {"week": WEEK, "sent": 0}


def test_a_delivery_s_counts_are_what_the_task_returns() -> None:
    delivery = Delivery(
        week=WEEK,
        sent=("ana@example.org", "bo@example.org"),
        skipped=(RecipientNote("chen@example.org", "already sent"),),
        bounced=(RecipientNote("dan@example.org", "550 no such user"),),
        held=(Held("eve@example.org", "unsubscribed"),),
    )
    result = email_week(EmailRequest(week=WEEK), FakeOutbox(delivery=delivery))
    assert result.delivery == delivery
    assert result.counts() == {"week": WEEK, "sent": 2, "skipped": 1, "bounced": 1, "held": 1}


@pytest.mark.parametrize(
    "delivery",
    [
        pytest.param(Delivery(week=WEEK, failed=(RecipientNote("ana@example.org", "421 try later"),)), id="failed"),
        pytest.param(Delivery(week=WEEK, unknown=(RecipientNote("ana@example.org", "outcome unknown"),)), id="unknown"),
    ],
)
def test_a_failed_or_doubtful_message_fails_the_step_naming_it(delivery: Delivery) -> None:
    with pytest.raises(PublishError, match=r"2026-W47: \d failed, \d unknown: ana@example.org: "):
        email_week(EmailRequest(week=WEEK), FakeOutbox(delivery=delivery))
