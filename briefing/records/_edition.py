"""A week's edition: its contents as the renderer needs them, its search entries, and its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ._english import EnglishReport
from ._mail import MailingHealth
from ._selection import Figure, Item, Section
from ._sources import HealthRow, Source
from ._themes import WeekCounts

__all__ = ["Edition", "Revision", "SearchEntry"]


class SearchEntry(NamedTuple):
    """What the archive's search finds an edition's event by."""

    title: str  # the editor's headline and the outlet's, or the outlet's
    section: str  # the section's name
    outlets: str  # the outlets that reported it, comma-separated
    anchor: str  # its anchor in the edition: "story-<id>"


@dataclass(frozen=True)
class Edition:
    """The contents of one week's briefing, as the renderer needs them."""

    week: str
    timezone: str
    first_day: str
    last_day: str
    lead: Item | None
    sections: tuple[Section, ...]
    sources: tuple[tuple[Source, int], ...]  # each source and its stories this week
    story_count: int
    cluster_count: int
    health: tuple[HealthRow, ...] = field(default=())
    numbers: tuple[Figure, ...] = field(default=())
    #: clusters per primary theme over the last weeks, oldest first: (week, ((theme id, count), ...))
    trend: tuple[WeekCounts, ...] = field(default=())
    #: the mailing list when the edition was built, for the operators' appendix (None: no list kept)
    mailing: MailingHealth | None = None
    #: the editor's note for the cover, and what to watch next week (one line each)
    editor_note: str = ""
    watch: tuple[str, ...] = field(default=())
    #: "This week in five": the top events, the lead first
    in_five: tuple[Item, ...] = field(default=())
    #: the carried events no English-language outlet reported
    chinese_only: tuple[Item, ...] = field(default=())
    #: how the edition's English lines were made (``briefing.enrich``): the model, and how many fell back
    english: EnglishReport | None = None


@dataclass(frozen=True)
class Revision:
    """A week's HTML and PDF as one run rendered or published them, kept in the archive's ``.revisions/``
    under names of their content (``briefing.publish.keep_revision``), so that run's links open them."""

    week: str
    html: str
    pdf: str
