"""The context every stage of the pipeline runs in: the settings, the source config and the store.

``Pipeline`` is what each step of ``briefing.pipeline`` takes, and what the stages that read the store
for a week (``briefing.select``, ``briefing.edition``, ``briefing.editorial``) are handed. It lives
apart from the steps, and imports none of them, so a stage can name it without importing the
orchestration that calls the stage. ``briefing.pipeline`` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .classify import DEFAULT_THEMES
from .records import SourceConfig, Story
from .settings import Settings
from .sources import load_sources
from .store import Store
from .week import Week

__all__ = ["Pipeline"]


@dataclass
class Pipeline:
    """A run's settings, source config and store (and the themes file): what every step works in."""

    settings: Settings
    config: SourceConfig
    store: Store
    themes_path: Path = DEFAULT_THEMES

    @classmethod
    def open(cls, settings: Settings | None = None) -> Pipeline:
        s = settings or Settings.load()
        return cls(settings=s, config=load_sources(s.sources), store=Store(s.db_url))

    @property
    def timezone(self) -> str:
        return self.settings.timezone or self.config.timezone

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def week_stories(self, week: Week) -> list[Story]:
        start, end = week.bounds(self.timezone)
        return self.store.stories_between(start, end, sources=[s.id for s in self.config.sources])
