"""What an edition carries, counted and indexed: its events once each, the archive search's entries and
what the archive's index says of it (``edition_info``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..publish import EditionInfo
from ..records import Edition, Item, SearchEntry
from ._assembly import build_edition

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["carried", "carried_items", "edition_info", "search_entries"]


def carried_items(edition: Edition) -> tuple[Item, ...]:
    """The events the briefing carries, each once: the lead first, then the sections' items (the lead
    heads its section too)."""
    every = ([edition.lead] if edition.lead else []) + [it for s in edition.sections for it in s.items]
    return tuple({it.story.id: it for it in every}.values())


def search_entries(edition: Edition) -> tuple[SearchEntry, ...]:
    """What the archive's search finds the edition by: each carried event's headline (the editor's and the
    outlet's), its section, its outlets and its anchor in the edition."""
    names = {s.theme.id: s.theme.name for s in edition.sections}
    out = []
    for it in carried_items(edition):
        title = f"{it.headline} ({it.story.title})" if it.headline else it.story.title
        outlets = ", ".join([it.source_name, *(name for name, _ in it.also)])
        out.append(
            SearchEntry(
                title=title, section=names.get(it.primary or "", ""), outlets=outlets, anchor=f"story-{it.story.id}"
            )
        )
    return tuple(out)


def carried(edition: Edition) -> int:
    """The events the briefing carries: the lead and the sections' items, each once (the lead heads its section)."""
    return len(carried_items(edition))


def edition_info(p: Pipeline, week: Week) -> EditionInfo:
    """What the archive's index and search say of the week's edition: its lead's headline (the editor's, as
    the edition prints it, else the outlet's), its stories and events, its search entries."""
    clusters = p.store.load_clusters(str(week))
    lead_id = next((pick.story_id for pick in p.store.load_selection(str(week)) if pick.lead), None)
    lead_title = next((s.title for s in p.week_stories(week) if s.id == lead_id), "") if lead_id else ""
    edition = build_edition(p, week)
    if edition.lead and edition.lead.headline:  # the editor's headline, as the edition prints it
        lead_title = edition.lead.headline
    return EditionInfo(
        week=str(week),
        lead=lead_title,
        stories=sum(len(c.members) for c in clusters),
        events=len(clusters),
        entries=search_entries(edition),
    )
