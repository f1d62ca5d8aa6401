"""The mailing list: subscribers and their status (records.SubscriberEntry)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import SubscriberEntry
from ._engine import StoreBase, _aware, _batches, _Failed, _naive_utc, _why
from ._schema import meta, subscribers


class Subscribers(StoreBase):
    """The subscribers table, and the mailing list's counts kept for each week."""

    # -- the mailing list: subscribers and their status (records.SubscriberEntry) ------------------------
    # The policy (who is sent to, what a token proves, when a bounce counts) is briefing.publish.mail.subscribers' and
    # briefing.publish.mail.unsubscribe's; here are its rows, one per address (compared without case).

    def subscriber(self, email: str) -> SubscriberEntry | None:
        with self._reading() as conn:
            row = (
                conn.execute(sa.select(subscribers).where(subscribers.c.email == email.strip().lower()))
                .mappings()
                .first()
            )
            return _subscriber(row) if row is not None else None

    def subscriber_by_token(self, token_id: str) -> SubscriberEntry | None:
        with self._reading() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.token_id == token_id)).mappings().first()
            return _subscriber(row) if row is not None else None

    def subscribers(self, status: str | None = None) -> list[SubscriberEntry]:
        """Every subscriber (or those of one ``status``), by address."""
        q = sa.select(subscribers).order_by(subscribers.c.email)
        if status is not None:
            q = q.where(subscribers.c.status == status)
        with self._reading() as conn:
            return [_subscriber(r) for r in conn.execute(q).mappings()]

    def keep_week_mailing(self, week: str, counts: dict[str, int]) -> dict[str, int]:
        """The mailing list's counts the week's edition states: the first ones kept for the week, else
        ``counts``, kept now; so a rebuild of the week states what its first build did."""
        key = f"mailing:{week}"
        value = json.dumps(counts, sort_keys=True)
        try:
            with self._writing() as conn:
                conn.execute(self._insert(meta).values(key=key, value=value).on_conflict_do_nothing())
                kept = conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
                return {str(k): int(v) for k, v in json.loads(str(kept)).items()}
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot keep the mailing list's counts of {week}: {_why(e)}") from e

    def subscriber_counts(self) -> dict[str, int]:
        """Subscribers per status (every status present, 0 where none)."""
        out = {"active": 0, "unsubscribed": 0, "bouncing": 0}
        with self._reading() as conn:
            for status, n in conn.execute(
                sa.select(subscribers.c.status, sa.func.count()).group_by(subscribers.c.status)
            ):
                out[str(status)] = int(n)
        return out

    def add_subscriber(self, entry: SubscriberEntry, *, update: bool = True) -> str:
        """Add ``entry`` (its status and token as given); for an address already there, with ``update``,
        take its name and themes and leave its status alone. ``"added"``, ``"updated"`` or ``"unchanged"``."""
        key = entry.email.strip().lower()
        themes = " ".join(entry.themes)
        changed = _naive_utc(entry.changed)
        try:
            with self._writing() as conn:
                stmt = (
                    self._insert(subscribers)
                    .values(
                        email=key,
                        address=entry.email.strip(),
                        name=entry.name,
                        themes=themes,
                        status=entry.status,
                        token_id=entry.token_id,
                        bounces=entry.bounces,
                        last_bounce=entry.last_bounce,
                        changed=changed,
                        why=entry.why,
                    )
                    .on_conflict_do_nothing(index_elements=[subscribers.c.email])
                )
                if conn.execute(stmt.returning(subscribers.c.email)).first() is not None:
                    return "added"
                if not update:
                    return "unchanged"
                done = conn.execute(
                    sa.update(subscribers)
                    .where(
                        subscribers.c.email == key,
                        sa.or_(subscribers.c.name != entry.name, subscribers.c.themes != themes),
                    )
                    .values(name=entry.name, themes=themes)
                )
                return "updated" if done.rowcount else "unchanged"
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot add the subscriber {entry.email}: {_why(e)}") from e

    def remove_subscriber(self, email: str) -> bool:
        """Forget ``email`` (its old unsubscribe tokens become unknown); False when it was not there."""
        with self._writing() as conn:
            return (
                conn.execute(sa.delete(subscribers).where(subscribers.c.email == email.strip().lower())).rowcount == 1
            )

    def set_subscriber_status(
        self, email: str, status: str, *, why: str, when: datetime, only_from: Sequence[str] | None = None
    ) -> bool:
        """Set ``email``'s status (from one of ``only_from``, when given); False when nothing changed."""
        match = [subscribers.c.email == email.strip().lower(), subscribers.c.status != status]
        if only_from is not None:
            match.append(subscribers.c.status.in_(list(only_from)))
        values: dict[str, Any] = {"status": status, "why": why, "changed": _naive_utc(when)}
        if status == "active":
            values.update(bounces=0, last_bounce=None)
        with self._writing() as conn:
            return conn.execute(sa.update(subscribers).where(*match).values(**values)).rowcount == 1

    def record_bounce(
        self, email: str, week: str, *, threshold: int, why: str, when: datetime
    ) -> SubscriberEntry | None:
        """Count a permanent refusal of ``email`` in ``week`` (once per week, however often it is retried);
        at ``threshold`` weeks an active subscriber becomes ``bouncing``. The row as it is now, or None."""
        key = email.strip().lower()
        changed = _naive_utc(when)
        with self._writing() as conn:
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email == key)).mappings().first()
            if row is None:
                return None
            if row["last_bounce"] != week:
                bounces = int(row["bounces"]) + 1
                values: dict[str, Any] = {"bounces": bounces, "last_bounce": week}
                if bounces >= threshold and row["status"] == "active":
                    values.update(status="bouncing", why=why, changed=changed)
                conn.execute(
                    sa.update(subscribers)
                    .where(subscribers.c.email == key, subscribers.c.bounces == row["bounces"])
                    .values(**values)
                )
            row = conn.execute(sa.select(subscribers).where(subscribers.c.email == key)).mappings().first()
            return _subscriber(row) if row is not None else None

    def clear_bounces(self, emails: Iterable[str]) -> None:
        """A message accepted: the addresses' refusals in a row start again from none."""
        keys = [e.strip().lower() for e in emails]
        with self._writing() as conn:
            for part in _batches(keys):
                conn.execute(
                    sa.update(subscribers)
                    .where(subscribers.c.email.in_(part), subscribers.c.bounces > 0)
                    .values(bounces=0, last_bounce=None)
                )


def _subscriber(r: Any) -> SubscriberEntry:
    return SubscriberEntry(
        email=r["address"],
        name=r["name"],
        themes=tuple(r["themes"].split()),
        status=r["status"],
        token_id=r["token_id"],
        bounces=int(r["bounces"]),
        last_bounce=r["last_bounce"],
        changed=_aware(r["changed"]),
        why=r["why"],
    )
