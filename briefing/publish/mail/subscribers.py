"""The mailing list kept in the store: who is sent to, who asked to stop, who bounces.

The subscribers file (SPEC, "Subscribers file") still works: ``import_file`` reads it and adds its
addresses to the store, idempotently. An address already there keeps its status, so importing the
file again never brings back someone who unsubscribed or bounces; its name and themes follow the file.
``add`` is the operator's explicit word: it adds an address, or makes an unsubscribed or bouncing one
active again. ``remove`` forgets an address (its old unsubscribe links become unknown).

``recipients`` is who a delivery sends to: the active subscribers. After a delivery, ``settle``
counts each permanent refusal at RCPT (a 5xx) as a bounce, once per week however often the week is
retried; an address refused in ``threshold`` weeks in a row becomes ``bouncing`` and is sent no more.
A message accepted resets the count. Status changes are recorded with when and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NamedTuple

from ...errors import ConfigError
from ...records import MailingHealth, SubscriberEntry
from ...store import Store
from ._outcome import Delivery, Held
from ._subscribers_file import Subscriber, load_subscribers, parse_subscribers
from .unsubscribe import new_token_id

__all__ = [
    "Imported",
    "Recipients",
    "add",
    "counts",
    "import_file",
    "import_subscribers",
    "recipients",
    "remove",
    "settle",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Imported:
    """What an import did: addresses added, updated (name or themes), left as they were."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    def summary(self) -> str:
        return f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}"


def _entry(sub: Subscriber, clock: Callable[[], datetime], why: str) -> SubscriberEntry:
    return SubscriberEntry(
        email=sub.email,
        name=sub.name,
        themes=sub.themes,
        status="active",
        token_id=new_token_id(),
        changed=clock(),
        why=why,
    )


def import_subscribers(
    store: Store, subscribers: Sequence[Subscriber], *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Imported:
    """Add ``subscribers`` to the store; one already there keeps its status and takes the new name and themes."""
    done: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    for sub in subscribers:
        done[store.add_subscriber(_entry(sub, clock, "imported"), update=True)].append(sub.email)
    return Imported(added=tuple(done["added"]), updated=tuple(done["updated"]), unchanged=tuple(done["unchanged"]))


def import_file(store: Store, path: str, theme_ids: Sequence[str] = ()) -> Imported:
    """Read the subscribers file at ``path`` (every bad line a ConfigError naming it) and import it."""
    return import_subscribers(store, load_subscribers(path, theme_ids))


def add(
    store: Store,
    email: str,
    name: str = "",
    themes: Sequence[str] = (),
    *,
    theme_ids: Sequence[str] = (),
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> str:
    """Add ``email`` (checked as a line of the subscribers file), or make it active again; what happened."""
    line = ",".join(['"' + part.replace('"', '""') + '"' for part in (email, name, ";".join(themes))])
    parsed = parse_subscribers(line, "<subscribers add>", theme_ids)
    if len(parsed) != 1:
        raise ConfigError(f"{email!r} is not a valid email address")
    sub = parsed[0]
    outcome = store.add_subscriber(_entry(sub, clock, "added by an operator"), update=True)
    if outcome != "added" and store.set_subscriber_status(
        sub.email, "active", why="made active again by an operator", when=clock()
    ):
        return "reactivated"
    return outcome


def remove(store: Store, email: str) -> bool:
    """Forget ``email``; False when it was not on the list."""
    return store.remove_subscriber(email)


class Recipients(NamedTuple):
    """Who a delivery sends to: the active subscribers; and those held back, with their status."""

    send: list[Subscriber]
    held: list[Held]


def recipients(store: Store) -> Recipients:
    """The active subscribers to send to, and the address and status of those held back."""
    send: list[Subscriber] = []
    held: list[Held] = []
    for entry in store.subscribers():
        if entry.status == "active":
            send.append(Subscriber(email=entry.email, name=entry.name, themes=entry.themes))
        else:
            held.append(Held(entry.email, entry.status))
    return Recipients(send=send, held=held)


def counts(store: Store) -> MailingHealth:
    """Subscribers per status (``records.MailingHealth``)."""
    c = store.subscriber_counts()
    return MailingHealth(active=c["active"], unsubscribed=c["unsubscribed"], bouncing=c["bouncing"])


def settle(
    store: Store, delivery: Delivery, *, threshold: int, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Delivery:
    """Record ``delivery``'s bounces and acceptances; the delivery with the addresses that now bounce."""
    if delivery.dry_run:
        return delivery
    store.clear_bounces(delivery.sent)
    now_bouncing = []
    for address, reply in delivery.bounced:
        entry = store.record_bounce(
            address, delivery.week, threshold=threshold, why=f"refused permanently: {reply}", when=clock()
        )
        if (
            entry is not None
            and entry.status == "bouncing"
            and entry.last_bounce == delivery.week
            and entry.bounces == threshold
        ):
            now_bouncing.append(entry.email)
            log.warning(
                "%s: %s refused in %d weeks in a row (%s): marked bouncing, no more email",
                delivery.week,
                entry.email,
                entry.bounces,
                reply,
            )
    return replace(delivery, now_bouncing=tuple(now_bouncing))
