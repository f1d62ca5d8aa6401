"""What a delivery did, recipient by recipient (``Delivery``): sent, skipped, failed, in doubt, bounced, held back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Delivery", "Held", "RecipientNote"]


class RecipientNote(NamedTuple):
    """A recipient and what a delivery says of it: why it was skipped, the error, the server's reply."""

    recipient: str
    note: str


class Held(NamedTuple):
    """A subscriber not sent to, and its status (``unsubscribed``, ``bouncing``)."""

    address: str
    status: str


@dataclass(frozen=True)
class Delivery:
    """What a delivery did, recipient by recipient."""

    week: str
    sent: tuple[str, ...] = ()
    skipped: tuple[RecipientNote, ...] = ()  # (recipient, why)
    failed: tuple[RecipientNote, ...] = ()  # (recipient, error): nothing was sent; the next run tries again
    unknown: tuple[RecipientNote, ...] = ()  # (recipient, what happened): may have arrived; never resent unasked
    recovered: tuple[RecipientNote, ...] = ()  # (recipient, note): a claim of a run that died, taken over
    dry_run: bool = False
    #: (recipient, the server's reply): refused permanently (5xx) at RCPT, so counted as a bounce
    bounced: tuple[RecipientNote, ...] = ()
    #: (address, status): subscribers not sent to, as they unsubscribed or bounce
    #: (``briefing.publish.mail.subscribers``)
    held: tuple[Held, ...] = ()
    #: addresses that became ``bouncing`` after this delivery's refusals
    now_bouncing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing failed and no outcome is in doubt."""
        return not self.failed and not self.unknown

    def summary(self) -> str:
        """One line: how many were sent, skipped, failed, in doubt, bounced and held back."""
        verb = "would send" if self.dry_run else "sent"
        line = (
            f"{self.week}: {verb} {len(self.sent)}, skipped {len(self.skipped)}, failed {len(self.failed)}, "
            f"unknown {len(self.unknown)}"
        )
        if self.bounced:
            marked = f" ({len(self.now_bouncing)} now marked bouncing)" if self.now_bouncing else ""
            line += f", bounced {len(self.bounced)}{marked}"
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
        lines += [
            f"now bouncing: {r}: no more email until an operator reactivates it (briefing subscribers add)"
            for r in self.now_bouncing
        ]
        return lines
