"""Editors' decisions about a week's edition (briefing.editorial)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import Decision
from ._engine import StoreBase, _aware, _Failed, _naive_utc, _why
from ._schema import decisions


class Decisions(StoreBase):
    """The decisions table: appended, never rewritten."""

    # -- editors' decisions (briefing.editorial): appended, never rewritten --------------------------

    def add_decisions(self, week: str, made: Sequence[Decision]) -> None:
        """Append ``made`` to the week's decisions, all or none."""
        rows = [
            {
                "week": week,
                "kind": d.kind,
                "target": d.target,
                "value": d.value,
                "made_by": d.by,
                "made_at": _naive_utc(d.at),
            }
            for d in made
        ]
        try:
            with self._writing() as conn:
                if rows:
                    conn.execute(sa.insert(decisions), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the decisions about {week}: {_why(e)}") from e

    def load_decisions(self, week: str) -> list[Decision]:
        """The week's decisions, oldest first."""
        q = sa.select(decisions).where(decisions.c.week == week).order_by(decisions.c.id)
        with self._reading() as conn:
            return [
                Decision(
                    kind=r["kind"],
                    target=r["target"],
                    value=r["value"],
                    by=r["made_by"],
                    at=_aware(r["made_at"]) or datetime.min.replace(tzinfo=UTC),
                )
                for r in conn.execute(q).mappings()
            ]
