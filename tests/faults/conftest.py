"""Fixtures of the fault suite: one demo week built once, and copies of its store and archive to break."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.settings import Settings

from ..smtp_server import Inbox, smtp_server

SUBSCRIBERS = """\
email,name,themes
ana@example.org,Ana,
bo@example.org,Bo Li,chips;energy
chen@example.org,陈晨,
"""
WEEK = "2026-W47"


@dataclass(frozen=True)
class Built:
    """A copy of the built demo week: its config, store, archive and subscribers file."""

    config: str
    db: Path
    archive: Path
    subscribers: Path

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db}"

    def settings(self) -> Settings:
        return Settings.load(
            {}, sources=self.config, db_url=self.db_url, archive=str(self.archive), subscribers=str(self.subscribers)
        )

    def argv(self, *extra: str) -> list[str]:
        """``briefing run`` of the week on this copy."""
        return [
            "run",
            "--week",
            WEEK,
            "--config",
            self.config,
            "--db",
            self.db_url,
            "--archive",
            str(self.archive),
            "--subscribers",
            str(self.subscribers),
            *extra,
        ]


@pytest.fixture(scope="session")
def built_week(demo_config: Path, demo_week: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The demo week 2026-W47 built once for the session (fetched, rendered, published; no email): the
    session's ``demo_week``, with a subscribers file."""
    subscribers = tmp_path_factory.mktemp("faults-built") / "subscribers.csv"
    subscribers.write_text(SUBSCRIBERS, encoding="utf-8")
    return Built(
        config=str(demo_config), db=demo_week / "b.sqlite", archive=demo_week / "archive", subscribers=subscribers
    )


@pytest.fixture
def week_copy(built_week: Built, tmp_path: Path) -> Built:
    """A copy of the built week that a test may break."""
    shutil.copy(built_week.db, tmp_path / "b.sqlite")
    shutil.copytree(built_week.archive, tmp_path / "archive")
    subscribers = tmp_path / "subscribers.csv"
    shutil.copy(built_week.subscribers, subscribers)
    return Built(
        config=built_week.config, db=tmp_path / "b.sqlite", archive=tmp_path / "archive", subscribers=subscribers
    )


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as server:
        yield server
