"""The stories: every story ever fetched, once per canonical URL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import Fetched, Story
from ._engine import StoreBase, _aware, _Failed, _naive_utc, _why
from ._schema import stories


class Stories(StoreBase):
    """The stories table: inserted once, never changed, read by week."""

    # -- stories -----------------------------------------------------------------------------------

    def add_stories(self, items: Iterable[Fetched]) -> list[str]:
        """Insert the fetched stories that are not stored yet, under their canonical URL and content hash.

        Returns the ids of the stories that were new. Existing rows are never changed.
        """
        rows = []
        for item in items:
            story = item.story
            placed = story.published or story.fetched
            if placed is None or story.fetched is None:
                raise StoreError(f"story {story.id} ({story.url}) has no fetched time")
            rows.append(
                {
                    "id": story.id,
                    "source": story.source,
                    "url": story.url,
                    "canonical_url": item.canonical_url,
                    "title": story.title,
                    "summary": story.summary,
                    "text": story.text,
                    "lang": story.lang,
                    "published": _naive_utc(story.published),
                    "fetched": _naive_utc(story.fetched),
                    "placed": _naive_utc(placed),
                    "date_estimated": story.date_estimated,
                    "content_hash": item.content_hash,
                }
            )
        if not rows:
            return []
        new: list[str] = []
        try:
            with self._writing() as conn:
                for row in rows:  # one statement per row keeps RETURNING portable; a source has ~100
                    stmt = self._insert(stories).values(**row).on_conflict_do_nothing().returning(stories.c.id)
                    got = conn.execute(stmt).first()
                    if got is not None:
                        new.append(got[0])
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store stories: {_why(e)}") from e
        return new

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        with self._reading() as conn:
            return {r[0] for r in conn.execute(sa.select(stories.c.id).where(stories.c.id.in_(list(ids))))}

    def stories_between(self, start: datetime, end: datetime, *, sources: Sequence[str] | None = None) -> list[Story]:
        """Stories placed in [start, end), oldest first (ties by id): the stories of a week."""
        q = sa.select(stories).where(stories.c.placed >= _naive_utc(start), stories.c.placed < _naive_utc(end))
        if sources is not None:
            q = q.where(stories.c.source.in_(list(sources)))
        q = q.order_by(stories.c.placed, stories.c.id)
        with self._reading() as conn:
            return [_story(r) for r in conn.execute(q).mappings()]

    def count_stories(self) -> int:
        with self._reading() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar_one())


def _story(r: Any) -> Story:
    return Story(
        id=r["id"],
        source=r["source"],
        url=r["url"],
        title=r["title"],
        summary=r["summary"],
        text=r["text"],
        lang=r["lang"],
        published=_aware(r["published"]),
        fetched=_aware(r["fetched"]),
        date_estimated=bool(r["date_estimated"]),
    )
