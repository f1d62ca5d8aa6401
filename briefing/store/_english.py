"""The language model's answers and each week's English (briefing.enrich)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import English
from ._engine import StoreBase, _batches, _Failed, _naive_utc, _why
from ._schema import llm_answers, week_english


class Enrichment(StoreBase):
    """The llm_answers and week_english tables."""

    # -- the enrich step: the language model's answers and each week's English (briefing.enrich) ----------

    def llm_answers(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Key -> (status, answer JSON) of the stored answers among ``keys``."""
        out: dict[str, tuple[str, str]] = {}
        with self._reading() as conn:
            for part in _batches(list(keys)):
                for r in conn.execute(sa.select(llm_answers.c.key, llm_answers.c.status, llm_answers.c.answer).where(llm_answers.c.key.in_(part))):
                    out[r[0]] = (r[1], r[2])
        return out

    def save_llm_answer(self, key: str, *, model: str, prompt_version: int, status: str, answer: str, when: datetime) -> None:
        """Store one answer; an answer stored under the same key is kept (the first answer stands)."""
        created = _naive_utc(when)
        try:
            with self._writing() as conn:
                stmt = self._insert(llm_answers).values(key=key, model=model, prompt_version=prompt_version, status=status, answer=answer, created=created)
                conn.execute(stmt.on_conflict_do_nothing())
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store a language model's answer: {_why(e)}") from e

    def save_week_english(self, week: str, rows: Sequence[tuple[str, English, str]]) -> None:
        """Replace the English of ``week``'s events: ``(story id, english, fallback)`` rows."""
        values = [
            {"week": week, "story_id": sid, "headline": e.headline, "gist": e.gist, "why": e.why, "by": e.by, "author": e.author, "fallback": fallback}
            for sid, e, fallback in rows
        ]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(week_english).where(week_english.c.week == week))
                if values:
                    conn.execute(sa.insert(week_english), values)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the English of {week}: {_why(e)}") from e

    def load_week_english(self, week: str) -> dict[str, tuple[English, str]]:
        """Story id -> (english, fallback) of ``week``'s events, as ``save_week_english`` stored them."""
        q = sa.select(week_english).where(week_english.c.week == week)
        with self._reading() as conn:
            return {
                r["story_id"]: (English(headline=r["headline"], gist=r["gist"], why=r["why"], by=r["by"], author=r["author"]), r["fallback"])
                for r in conn.execute(q).mappings()
            }
