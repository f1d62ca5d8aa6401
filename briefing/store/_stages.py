"""What dedup and classify decided about a week: its clusters and its stories' themes."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import Classification, Cluster, ThemeScore
from ._engine import StoreBase, _Failed, _why
from ._schema import classifications, clusters


class StageResults(StoreBase):
    """Each stage's results for a week, replaced whole, so rerunning a stage gives the same rows."""

    # -- stage results -----------------------------------------------------------------------------

    def save_clusters(self, week: str, found: Sequence[Cluster]) -> None:
        rows = [{"story_id": m, "cluster_id": c.id, "week": week} for c in found for m in c.members]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(clusters).where(clusters.c.week == week))
                if rows:
                    conn.execute(sa.insert(clusters), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the clusters of {week}: {_why(e)}") from e

    def load_clusters(self, week: str) -> list[Cluster]:
        q = (
            sa.select(clusters.c.cluster_id, clusters.c.story_id)
            .where(clusters.c.week == week)
            .order_by(clusters.c.cluster_id, clusters.c.story_id)
        )
        grouped: dict[str, list[str]] = {}
        with self._reading() as conn:
            for cid, sid in conn.execute(q):
                grouped.setdefault(cid, []).append(sid)
        return [
            Cluster(id=cid, members=tuple(sorted(members, key=lambda m: (m != cid, m))))
            for cid, members in grouped.items()
        ]

    def save_classifications(self, week: str, found: Sequence[Classification]) -> None:
        rows = [
            {
                "story_id": c.story_id,
                "week": week,
                "primary_theme": c.primary,
                "themes": json.dumps(
                    [[t.id, t.score, [list(e) for e in t.evidence]] for t in c.themes], ensure_ascii=False
                ),
            }
            for c in found
        ]
        try:
            with self._writing() as conn:
                conn.execute(sa.delete(classifications).where(classifications.c.week == week))
                if rows:
                    conn.execute(sa.insert(classifications), rows)
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot store the themes of {week}: {_why(e)}") from e

    def load_classifications(self, week: str) -> dict[str, Classification]:
        q = sa.select(classifications.c.story_id, classifications.c.themes).where(classifications.c.week == week)
        out: dict[str, Classification] = {}
        with self._reading() as conn:
            for sid, blob in conn.execute(q):
                themes = tuple(
                    ThemeScore(id=t[0], score=float(t[1]), evidence=tuple((e[0], int(e[1]), e[2]) for e in t[2]))
                    for t in json.loads(blob)
                )
                out[sid] = Classification(story_id=sid, themes=themes)
        return out

    def theme_counts(self, weeks: Sequence[str]) -> dict[str, dict[str, int]]:
        """Clusters per primary theme for each of ``weeks`` (representatives only)."""
        q = (
            sa.select(classifications.c.week, classifications.c.primary_theme, sa.func.count())
            .join(clusters, clusters.c.story_id == classifications.c.story_id)
            .where(clusters.c.cluster_id == clusters.c.story_id, classifications.c.week.in_(list(weeks)))
            .group_by(classifications.c.week, classifications.c.primary_theme)
        )
        out: dict[str, dict[str, int]] = {w: {} for w in weeks}
        with self._reading() as conn:
            for week, theme, n in conn.execute(q):
                if theme:
                    out[week][theme] = int(n)
        return out
