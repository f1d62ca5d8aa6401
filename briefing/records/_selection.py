"""Events (clusters of stories) and what the select step chose of them: picks, items, sections, figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ._english import English
from ._stories import Story
from ._themes import Theme, ThemeScore

__all__ = ["Cluster", "Figure", "Fold", "Item", "Pick", "Section", "Selection"]


@dataclass(frozen=True)
class Cluster:
    """Stories that report the same event; ``id`` is the representative story's id."""

    id: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """A selected cluster, ready to render."""

    story: Story
    source_name: str
    summary: str
    themes: tuple[ThemeScore, ...]
    also: tuple[tuple[str, str], ...] = ()  # (source name, url) of the other reports
    score: float = 0.0
    #: a new development of a story an earlier briefing carried: "2026-W44: its headline"
    follow_up: str | None = None
    #: outlets that reported the event, by language (the representative's included)
    outlets_zh: int = 0
    outlets_en: int = 0
    #: an editor's English headline and gist, in place of the outlet's, and their "why it matters"
    headline: str | None = None
    gist: str | None = None
    why: str | None = None
    #: English for a reader who reads no Chinese, and why it matters (``briefing.enrich``)
    english: English | None = None

    @property
    def primary(self) -> str | None:
        return self.themes[0].id if self.themes else None

    @property
    def outlets(self) -> int:
        return self.outlets_zh + self.outlets_en


@dataclass(frozen=True)
class Section:
    theme: Theme
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Fold:
    """A picked event shown under an earlier pick instead of on its own: the two report one event
    (``select._folds``); the folded cluster's outlets join the kept item's "also reported by"."""

    kept: str  # the earlier pick's representative
    folded: str  # the later pick's representative, no longer an item of its own
    probability: float  # what the same-event model says of the pair
    why: str  # the pair of stories that said so, for the log


class Selection(NamedTuple):
    """What ranking chose: the lead item and one section per theme (the lead also heads its section), and
    the picks folded into earlier ones as one event."""

    lead: Item | None
    sections: tuple[Section, ...]
    folds: tuple[Fold, ...] = ()


@dataclass(frozen=True)
class Pick:
    """One event of a week's selection, stored whole by the select step and read, never redone, by render.

    ``item`` makes the rendered ``Item`` from it and the representative ``Story``. A row stored before
    schema 9 holds the first five fields alone (``whole`` is False): render asks for the select step again.
    """

    story_id: str  # the cluster's representative
    section: str  # a theme id
    lead: bool
    score: float
    follow_up: str | None = None  # "2026-W44: its headline" of the story it follows up
    source_name: str = ""
    summary: str = ""
    themes: tuple[ThemeScore, ...] = ()
    also: tuple[tuple[str, str], ...] = ()  # as ``Item.also``
    outlets_zh: int = 0
    outlets_en: int = 0
    whole: bool = True

    def item(self, story: Story) -> Item:
        """The item the select step chose, for ``story`` (the representative, ``story_id``)."""
        return Item(
            story=story, source_name=self.source_name, summary=self.summary, themes=self.themes, also=self.also,
            score=self.score, follow_up=self.follow_up, outlets_zh=self.outlets_zh, outlets_en=self.outlets_en,
        )


@dataclass(frozen=True)
class Figure:
    """A number of the week: a figure with its unit, from a selected story."""

    text: str  # as written, e.g. "50,000 PFLOPS" or "5万PFLOPS"
    story: Item
    #: the sentence of the story that carries the figure (its headline, or a sentence of its summary)
    sentence: str = ""
