"""A week's edition: the selection in reading order, and the edition once published."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ._engine import StoreBase, _Failed, _naive_utc, _why
from ._schema import editions, selections


class Editions(StoreBase):
    """The selections and editions tables."""

    # -- the selection and the published edition ----------------------------------------------------

    def save_selection(self, week: str, rows: Sequence[tuple[str, str, bool, float, str | None]]) -> None:
        """Replace the week's selection: ``(story id, section, lead, score, follow-up)`` in reading order."""
        values = [
            {"week": week, "position": n, "story_id": sid, "section": sec, "lead": lead, "score": score, "follow_up": follow_up}
            for n, (sid, sec, lead, score, follow_up) in enumerate(rows)
        ]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(selections).where(selections.c.week == week))
                if values:
                    conn.execute(sa.insert(selections), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the selection of {week}: {_why(e)}") from e

    def load_selection(self, week: str) -> list[tuple[str, str, bool, float, str | None]]:
        q = (
            sa.select(selections.c.story_id, selections.c.section, selections.c.lead, selections.c.score, selections.c.follow_up)
            .where(selections.c.week == week)
            .order_by(selections.c.position)
        )
        with self._reading() as conn:
            return [(r[0], r[1], bool(r[2]), float(r[3]), r[4]) for r in conn.execute(q)]

    def record_edition(self, week: str, html: str, pdf: str, story_count: int, cluster_count: int, built: datetime) -> None:
        stmt = self._insert(editions).values(week=week, html=html, pdf=pdf, stories=story_count, clusters=cluster_count, built=_naive_utc(built))
        stmt = stmt.on_conflict_do_update(index_elements=["week"], set_={"html": html, "pdf": pdf, "stories": story_count, "clusters": cluster_count, "built": _naive_utc(built)})
        with self._writing() as conn:
            conn.execute(stmt)

    def published(self, week: str) -> bool:
        """Whether the week's edition has been published (``record_edition``)."""
        with self._reading() as conn:
            return conn.execute(sa.select(editions.c.week).where(editions.c.week == week)).first() is not None
