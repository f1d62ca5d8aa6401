"""The dedup index: every story's fingerprint and its cluster across the whole store (schema 4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import FINGERPRINT_VERSION, Fingerprint, Indexed, IndexEntry
from ._engine import StoreBase, _batches, _Failed, _naive_utc, _why
from ._schema import dedup_index, stories
from ._stories import _story


class DedupIndex(StoreBase):
    """The dedup index's rows, read by window or by cluster, written in one transaction."""

    # -- the dedup index ----------------------------------------------------------------------------

    def indexed(self, ids: Sequence[str]) -> dict[str, Indexed]:
        """The fingerprints (of this code's version) and store-wide clusters of those of ``ids`` indexed."""
        out: dict[str, Indexed] = {}
        q = sa.select(dedup_index).where(dedup_index.c.version == FINGERPRINT_VERSION)
        with self._reading() as conn:
            for part in _batches(list(ids)):
                for r in conn.execute(q.where(dedup_index.c.story_id.in_(part))).mappings():
                    out[r["story_id"]] = Indexed(_fingerprint(r), r["cluster"])
        return out

    def indexed_between(self, start: datetime, end: datetime) -> list[IndexEntry]:
        """The indexed stories placed in [start, end), oldest first, with their fingerprints and clusters."""
        q = self._window_query(start, end)
        with self._reading() as conn:
            return [_entry(r) for r in conn.execute(q).mappings()]

    def cluster_members(self, clusters: Sequence[str]) -> list[IndexEntry]:
        """Every indexed story of the given store-wide clusters."""
        out: list[IndexEntry] = []
        with self._reading() as conn:
            for part in _batches(list(clusters)):
                out.extend(_entry(r) for r in conn.execute(self._members_query(part)).mappings())
        return out

    def _indexed_stories(self) -> sa.Select[Any]:
        return (
            sa.select(
                stories,
                dedup_index.c.content,
                dedup_index.c.signable,
                dedup_index.c.bands,
                dedup_index.c.minhash,
                dedup_index.c.cluster,
            )
            .join(dedup_index, dedup_index.c.story_id == stories.c.id)
            .where(dedup_index.c.version == FINGERPRINT_VERSION)
            .order_by(dedup_index.c.placed, dedup_index.c.story_id)
        )

    def _window_query(self, start: datetime, end: datetime) -> sa.Select[Any]:
        # both sides by their own index: the rows of a window, never a scan of the store
        lo, hi = _naive_utc(start), _naive_utc(end)
        return self._indexed_stories().where(
            dedup_index.c.placed >= lo, dedup_index.c.placed < hi, stories.c.placed >= lo, stories.c.placed < hi
        )

    def _members_query(self, clusters: Sequence[str]) -> sa.Select[Any]:
        return self._indexed_stories().where(dedup_index.c.cluster.in_(list(clusters)))

    def save_index(self, rows: Sequence[IndexEntry]) -> None:
        """Insert or replace the index rows, in one transaction."""
        values = [
            {
                "story_id": story.id,
                "placed": _naive_utc(story.published or story.fetched),
                "version": FINGERPRINT_VERSION,
                "content": _signed64(f.content),
                "signable": f.signable,
                "bands": f.bands,
                "minhash": f.minhash,
                "cluster": cluster,
            }
            for story, f, cluster in rows
        ]
        if not values:
            return
        try:
            with self._writing() as conn:
                stmt = self._insert(dedup_index)
                updated = {
                    c: stmt.excluded[c]
                    for c in ("placed", "version", "content", "signable", "bands", "minhash", "cluster")
                }
                for part in _batches(values, 500):
                    conn.execute(
                        stmt.on_conflict_do_update(index_elements=[dedup_index.c.story_id], set_=updated), part
                    )
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the dedup index: {_why(e)}") from e

    def count_indexed(self) -> int:
        with self._reading() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(dedup_index)).scalar_one())


def _entry(r: Any) -> IndexEntry:
    return IndexEntry(story=_story(r), fingerprint=_fingerprint(r), cluster=r["cluster"])


def _fingerprint(r: Any) -> Fingerprint:
    return Fingerprint(
        content=int(r["content"]) % 2**64,
        signable=bool(r["signable"]),
        bands=bytes(r["bands"]),
        minhash=bytes(r["minhash"]),
    )


def _signed64(value: int) -> int:
    """A 64-bit key as the signed integer SQL stores (``_fingerprint`` turns it back)."""
    return value - 2**64 if value >= 2**63 else value
