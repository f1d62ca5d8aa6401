"""The language model's answers and each week's English (briefing.enrich)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import English, EventEnglish, LlmAnswer
from ._engine import StoreBase, _batches, _Failed, _naive_utc, _why
from ._schema import llm_answers, week_english


class Enrichment(StoreBase):
    """The llm_answers and week_english tables."""

    # -- the enrich step: the language model's answers and each week's English (briefing.enrich) ----------

    def llm_answers(self, keys: Sequence[str]) -> dict[str, LlmAnswer]:
        """Key -> the stored answer, of those among ``keys``."""
        out: dict[str, LlmAnswer] = {}
        columns = sa.select(llm_answers.c.key, llm_answers.c.status, llm_answers.c.answer)
        with self._reading() as conn:
            for part in _batches(list(keys)):
                for r in conn.execute(columns.where(llm_answers.c.key.in_(part))):
                    out[r[0]] = LlmAnswer(status=r[1], answer=r[2])
        return out

    def save_llm_answer(
        self, key: str, *, model: str, prompt_version: int, status: str, answer: str, when: datetime
    ) -> None:
        """Store one answer; an answer stored under the same key is kept (the first answer stands)."""
        created = _naive_utc(when)  # outside the boundary: a naive datetime is the caller's ValueError
        row = {"key": key, "model": model, "prompt_version": prompt_version, "status": status, "answer": answer}
        try:
            with self._writing() as conn:
                stmt = self._insert(llm_answers).values(**row, created=created)
                conn.execute(stmt.on_conflict_do_nothing())
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store a language model's answer: {_why(e)}") from e

    def save_week_english(self, week: str, rows: Sequence[EventEnglish]) -> None:
        """Replace the English of ``week``'s events."""
        values = [
            {
                "week": week, "story_id": r.story_id, "headline": r.english.headline, "gist": r.english.gist,
                "why": r.english.why, "by": r.english.by, "author": r.english.author, "fallback": r.fallback,
            }
            for r in rows
        ]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(week_english).where(week_english.c.week == week))
                if values:
                    conn.execute(sa.insert(week_english), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the English of {week}: {_why(e)}") from e

    def load_week_english(self, week: str) -> dict[str, EventEnglish]:
        """Story id -> the English of ``week``'s events, as ``save_week_english`` stored them."""
        q = sa.select(week_english).where(week_english.c.week == week)
        with self._reading() as conn:
            return {r["story_id"]: _event_english(r) for r in conn.execute(q).mappings()}


def _event_english(r: Any) -> EventEnglish:
    english = English(headline=r["headline"], gist=r["gist"], why=r["why"], by=r["by"], author=r["author"])
    return EventEnglish(story_id=r["story_id"], english=english, fallback=r["fallback"])
