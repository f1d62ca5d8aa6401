"""Fetch runs and the HTTP cache: each source's fetch results, and the validators of a conditional GET."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..records import SourceResult, Validators
from ._engine import StoreBase, _Failed, _naive_utc, _why
from ._schema import fetch_runs, http_cache


class Runs(StoreBase):
    """The fetch_runs and http_cache tables."""

    # -- fetch health and the HTTP cache -------------------------------------------------------------

    def record_fetch(self, run_id: str, result: SourceResult, finished: datetime) -> None:
        """Record one source's fetch in ``run_id``; recording the same run and source again replaces it."""
        done = _naive_utc(finished)
        warnings = json.dumps(list(result.warnings), ensure_ascii=False) if result.warnings else None
        with self._writing() as conn:
            same = sa.and_(fetch_runs.c.run_id == run_id, fetch_runs.c.source == result.source)
            conn.execute(sa.delete(fetch_runs).where(same))
            conn.execute(
                sa.insert(fetch_runs).values(
                    run_id=run_id,
                    source=result.source,
                    finished=done,
                    status=result.status,
                    http_status=result.http_status,
                    error=result.error,
                    stories=result.stories,
                    new=result.new,
                    seconds=result.seconds,
                    warnings=warnings,
                )
            )

    def fetch_results(self, run_id: str) -> list[SourceResult]:
        q = sa.select(fetch_runs).where(fetch_runs.c.run_id == run_id).order_by(fetch_runs.c.source)
        with self._reading() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]

    def latest_health(self) -> list[SourceResult]:
        """The most recent fetch result of every source."""
        newest = sa.func.max(fetch_runs.c.id).label("id")
        latest = sa.select(fetch_runs.c.source, newest).group_by(fetch_runs.c.source).subquery()
        q = sa.select(fetch_runs).join(latest, latest.c.id == fetch_runs.c.id).order_by(fetch_runs.c.source)
        with self._reading() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]

    def validators(self, url: str) -> Validators:
        """The ETag and Last-Modified last seen for ``url`` (for a conditional GET); Nones for a URL not seen."""
        q = sa.select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == url)
        with self._reading() as conn:
            row = conn.execute(q).first()
        return Validators(etag=row[0], last_modified=row[1]) if row else Validators()

    def save_validators(self, url: str, validators: Validators, when: datetime) -> None:
        """Remember ``url``'s ETag and Last-Modified; a URL with neither is forgotten."""
        updated = _naive_utc(when)
        etag, last_modified = validators.etag, validators.last_modified
        try:
            with self._writing() as conn:
                if etag is None and last_modified is None:
                    conn.execute(sa.delete(http_cache).where(http_cache.c.url == url))
                    return
                stmt = self._insert(http_cache).values(url=url, etag=etag, last_modified=last_modified, updated=updated)
                changed = {"etag": etag, "last_modified": last_modified, "updated": updated}
                conn.execute(stmt.on_conflict_do_update(index_elements=["url"], set_=changed))
        except (SQLAlchemyError, _Failed) as e:
            raise StoreError(f"cannot remember the validators of {url}: {_why(e)}") from e

    def source_history(self, source: str, limit: int = 10) -> list[SourceResult]:
        """The last ``limit`` fetch results of ``source``, newest first."""
        q = sa.select(fetch_runs).where(fetch_runs.c.source == source)
        q = q.order_by(fetch_runs.c.id.desc()).limit(limit)
        with self._reading() as conn:
            return [
                _result(r)
                for r in conn.execute(q).mappings()
            ]


def _result(r: Any) -> SourceResult:
    return SourceResult(
        source=r["source"],
        status=r["status"],
        stories=r["stories"],
        new=r["new"],
        error=r["error"],
        http_status=r["http_status"],
        seconds=r["seconds"],
        warnings=tuple(json.loads(r["warnings"])) if r["warnings"] else (),
    )
