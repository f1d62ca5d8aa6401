"""The settings of a deployment, read from the environment (SPEC, "Settings of a deployment").

The CLI and the DAG read the same names: ``BRIEFING_SOURCES``, ``BRIEFING_DB_URL``,
``BRIEFING_ARCHIVE`` and ``BRIEFING_TIMEZONE``. Explicit arguments win over the environment, which wins
over the defaults (``config/sources.yaml``, a SQLite file ``briefing.sqlite`` and ``archive/`` in the
working directory).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "sqlite_url"]

ENV_NAMES = ("BRIEFING_SOURCES", "BRIEFING_DB_URL", "BRIEFING_ARCHIVE", "BRIEFING_TIMEZONE")


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


@dataclass(frozen=True)
class Settings:
    sources: str
    db_url: str
    archive: str
    timezone: str | None  # None: the source config's timezone

    @classmethod
    def load(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        sources: str | None = None,
        db_url: str | None = None,
        archive: str | None = None,
        timezone: str | None = None,
    ) -> Settings:
        e = os.environ if env is None else env
        return cls(
            sources=sources or e.get("BRIEFING_SOURCES") or "config/sources.yaml",
            db_url=db_url or e.get("BRIEFING_DB_URL") or sqlite_url("briefing.sqlite"),
            archive=archive or e.get("BRIEFING_ARCHIVE") or "archive",
            timezone=timezone or e.get("BRIEFING_TIMEZONE") or None,
        )
