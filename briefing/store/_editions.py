"""A week's edition: the selection in reading order, and the edition once published."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import Pick, ThemeScore
from ._engine import StoreBase, _Failed, _naive_utc, _why
from ._schema import editions, selections


class Editions(StoreBase):
    """The selections and editions tables."""

    # -- the selection and the published edition ----------------------------------------------------

    def save_selection(self, week: str, picks: Sequence[Pick]) -> None:
        """Replace the week's selection: its picks, whole, in reading order (the lead first)."""
        values = [{"week": week, "position": n, **_pick_row(pick)} for n, pick in enumerate(picks)]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(selections).where(selections.c.week == week))
                if values:
                    conn.execute(sa.insert(selections), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the selection of {week}: {_why(e)}") from e

    def load_selection(self, week: str) -> list[Pick]:
        """The week's picks in reading order; a row stored before schema 9 is a pick not ``whole``."""
        q = sa.select(selections).where(selections.c.week == week).order_by(selections.c.position)
        with self._reading() as conn:
            return [_pick(r) for r in conn.execute(q).mappings()]

    def record_edition(
        self, week: str, html: str, pdf: str, story_count: int, cluster_count: int, built: datetime
    ) -> None:
        stmt = self._insert(editions).values(
            week=week, html=html, pdf=pdf, stories=story_count, clusters=cluster_count, built=_naive_utc(built)
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["week"],
            set_={
                "html": html,
                "pdf": pdf,
                "stories": story_count,
                "clusters": cluster_count,
                "built": _naive_utc(built),
            },
        )
        with self._writing() as conn:
            conn.execute(stmt)

    def published(self, week: str) -> bool:
        """Whether the week's edition has been published (``record_edition``)."""
        with self._reading() as conn:
            return conn.execute(sa.select(editions.c.week).where(editions.c.week == week)).first() is not None


def _pick_row(pick: Pick) -> dict[str, Any]:
    """A pick as the columns of its selections row (``week`` and ``position`` aside)."""
    return {
        "story_id": pick.story_id,
        "section": pick.section,
        "lead": pick.lead,
        "score": pick.score,
        "follow_up": pick.follow_up,
        "source_name": pick.source_name,
        "summary": pick.summary,
        "themes": json.dumps([[t.id, t.score, [list(e) for e in t.evidence]] for t in pick.themes], ensure_ascii=False),
        "also": json.dumps([list(a) for a in pick.also], ensure_ascii=False),
        "outlets_zh": pick.outlets_zh,
        "outlets_en": pick.outlets_en,
    }


def _pick(r: Any) -> Pick:
    """A selections row as a pick; the columns of schema 9 are NULL in a row stored before it."""
    head = Pick(
        story_id=r["story_id"],
        section=r["section"],
        lead=bool(r["lead"]),
        score=float(r["score"]),
        follow_up=r["follow_up"],
    )
    if r["themes"] is None:
        return replace(head, whole=False)
    themes = tuple(
        ThemeScore(id=t[0], score=float(t[1]), evidence=tuple((e[0], int(e[1]), e[2]) for e in t[2]))
        for t in json.loads(r["themes"])
    )
    return Pick(
        story_id=head.story_id,
        section=head.section,
        lead=head.lead,
        score=head.score,
        follow_up=head.follow_up,
        source_name=r["source_name"] or "",
        summary=r["summary"] or "",
        themes=themes,
        also=tuple((a[0], a[1]) for a in json.loads(r["also"] or "[]")),
        outlets_zh=int(r["outlets_zh"] or 0),
        outlets_en=int(r["outlets_en"] or 0),
    )
