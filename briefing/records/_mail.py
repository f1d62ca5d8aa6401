"""The mailing list and the delivery ledger, as the store keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

__all__ = ["DeliveryStatus", "LedgerEntry", "MailingHealth", "SubscriberEntry", "SubscriberStatus"]


DeliveryStatus = Literal["claimed", "sending", "sent", "unknown"]


SubscriberStatus = Literal["active", "unsubscribed", "bouncing"]


@dataclass(frozen=True)
class MailingHealth:
    """Subscribers per status (``briefing.publish.mail.subscribers``): for a run's summary and the health appendix."""

    active: int = 0
    unsubscribed: int = 0
    bouncing: int = 0

    @property
    def total(self) -> int:
        return self.active + self.unsubscribed + self.bouncing


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the delivery ledger: where the email of a week's edition to one recipient stands.

    ``claimed``: a run is about to send, nothing has gone to the server yet; ``sending``: the message
    body is on its way, so if the run dies now nobody knows whether it arrived; ``sent``; ``unknown``:
    the connection broke after the body went out (see ``briefing.publish.mail``). ``owner`` is the run that
    wrote the row (``briefing.owner``).
    """

    recipient: str
    status: DeliveryStatus
    updated: datetime
    owner: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class SubscriberEntry:
    """A subscriber as the store keeps it (SPEC, "briefing subscribers"): who, what they want, and whether to send.

    ``active`` subscribers are emailed; ``unsubscribed`` ones asked to stop (one-click, the link, or the
    command line); ``bouncing`` ones were refused permanently (5xx at RCPT) in ``bounces`` different weeks
    in a row, the last in ``last_bounce``. ``token_id`` is the random key of the subscriber's unsubscribe
    token (``briefing.publish.mail.unsubscribe``): a new row, even for an address seen before, gets a new one.
    """

    email: str
    name: str = ""
    themes: tuple[str, ...] = ()
    status: SubscriberStatus = "active"
    token_id: str = ""
    bounces: int = 0
    last_bounce: str | None = None  # the week of the last permanent refusal
    changed: datetime | None = None  # when the status last changed
    why: str = ""  # how it changed: "one-click unsubscribe", "550 5.1.1 no such mailbox", ...
