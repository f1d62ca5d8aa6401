"""The delivery ledger: each (week, recipient, edition) is emailed once."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..records import LedgerEntry
from ._engine import StoreBase, _aware, _naive_utc
from ._schema import deliveries


class Ledger(StoreBase):
    """The deliveries table, changed only by compare-and-set."""

    # -- the delivery ledger: each (week, recipient, edition) is emailed once ----------------------------
    # The policy (who may send, what a stale claim means) is briefing.publish.mail's; here are its rows.

    def ledger(self, week: str, edition: str) -> dict[str, LedgerEntry]:
        """Recipient -> ledger entry, for every delivery of ``week``'s ``edition``."""
        q = sa.select(deliveries).where(deliveries.c.week == week, deliveries.c.edition == edition)
        with self._reading() as conn:
            return {r["recipient"]: _entry(r) for r in conn.execute(q).mappings()}

    def ledger_entry(self, week: str, recipient: str, edition: str) -> LedgerEntry | None:
        q = sa.select(deliveries).where(
            deliveries.c.week == week, deliveries.c.recipient == recipient, deliveries.c.edition == edition
        )
        with self._reading() as conn:
            row = conn.execute(q).mappings().first()
            return _entry(row) if row is not None else None

    def swap_delivery(self, week: str, edition: str, expected: LedgerEntry | None, new: LedgerEntry | None) -> bool:
        """Compare and set one ledger row: replace ``expected`` (None: no row yet) by ``new`` (None: delete it).

        False, changing nothing, when the row is not ``expected`` any more (another run changed it first):
        rows are matched on their status and owner, and every claim has an owner of its own.
        """
        either = new or expected
        if either is None:
            return True
        recipient = either.recipient
        key = (deliveries.c.week == week, deliveries.c.recipient == recipient, deliveries.c.edition == edition)
        values = (
            {"status": new.status, "updated": _naive_utc(new.updated), "owner": new.owner, "message_id": new.message_id}
            if new is not None
            else None
        )
        with self._writing() as conn:
            if expected is None:
                assert values is not None
                stmt = (
                    self._insert(deliveries)
                    .values(week=week, recipient=recipient, edition=edition, **values)
                    .on_conflict_do_nothing()
                )
                return conn.execute(stmt.returning(deliveries.c.week)).first() is not None
            match = (
                *key,
                deliveries.c.status == expected.status,
                deliveries.c.owner.is_not_distinct_from(expected.owner),
            )
            if values is None:
                return conn.execute(sa.delete(deliveries).where(*match)).rowcount == 1
            return conn.execute(sa.update(deliveries).where(*match).values(**values)).rowcount == 1

    def delivered(self, week: str) -> dict[str, str]:
        """Recipient -> status of every delivery of ``week``."""
        q = sa.select(deliveries.c.recipient, deliveries.c.status).where(deliveries.c.week == week)
        with self._reading() as conn:
            return {r[0]: r[1] for r in conn.execute(q)}


def _entry(r: Any) -> LedgerEntry:
    updated = _aware(r["updated"])
    assert updated is not None  # the column is NOT NULL
    return LedgerEntry(
        recipient=r["recipient"], status=r["status"], updated=updated, owner=r["owner"], message_id=r["message_id"]
    )
