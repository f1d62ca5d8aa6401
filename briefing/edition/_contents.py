"""What an edition carries, counted and indexed: its events once each, and the archive search's entries."""

from __future__ import annotations

from ..records import Edition, Item, SearchEntry

__all__ = ["carried", "carried_items", "search_entries"]


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
