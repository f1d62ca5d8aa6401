"""Follow-ups: this week's events that continue events of earlier weeks, found through the dedup index
and through the headlines of the weeks before.

``index_follow_ups``: an event whose stories share a store-wide cluster of the dedup index with stories
of earlier weeks continues an event those weeks reported: it is a follow-up of the latest of them,
"2026-W45: its headline"; ``headline_follow_ups`` finds the same through the headlines of the stories
of the weeks before, built or not (a week never built is not in the index).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..records import Cluster, Story
from ..text import headline_tokens
from ..week import week_of
from ._earlier import FOLLOW_UP_SIMILARITY

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["headline_follow_ups", "index_follow_ups"]


def index_follow_ups(
    p: Pipeline, week: Week, clusters: Sequence[Cluster], stories: Mapping[str, Story]
) -> dict[str, str]:
    """Event id -> "week: headline" of the latest earlier-week story in the same store-wide cluster."""
    ids = [m for c in clusters for m in c.members if m in stories]
    if not ids:
        return {}
    labels = {sid: found.cluster for sid, found in p.store.indexed(ids).items()}
    wanted = sorted(set(labels.values()))
    if not wanted:
        return {}
    start, _ = week.bounds(p.timezone)
    earlier: dict[str, list[Story]] = {}
    for story, _, label in p.store.cluster_members(wanted):
        if story.id not in stories and story.when is not None and story.when < start:
            earlier.setdefault(label, []).append(story)
    out: dict[str, str] = {}
    for c in clusters:
        before = [s for label in sorted({labels[m] for m in c.members if m in labels}) for s in earlier.get(label, ())]
        if before:
            latest = max(before, key=lambda s: (s.when, s.id))
            assert latest.when is not None
            out[c.id] = f"{week_of(latest.when, p.timezone)}: {latest.title}"
    return out


def headline_follow_ups(
    p: Pipeline, week: Week, clusters: Sequence[Cluster], stories: Mapping[str, Story], weeks: int = 4
) -> dict[str, str]:
    """Event id -> "week: headline" of the closest earlier story of the ``weeks`` before, built or not,
    whose headline shares ``FOLLOW_UP_SIMILARITY`` of its words with the event's (``earlier_reports``'s test)."""
    heads = [
        (str(week.previous(n)), s, headline_tokens(s.title))
        for n in range(1, weeks + 1)
        for s in p.week_stories(week.previous(n))
    ]
    out: dict[str, str] = {}
    for c in clusters:
        mine = headline_tokens(stories[c.id].title)
        best: tuple[float, str, str] | None = None
        for w, s, theirs in heads:
            if not mine or not theirs:
                continue
            similarity = len(mine & theirs) / len(mine | theirs)
            if similarity >= FOLLOW_UP_SIMILARITY and (best is None or (similarity, w) > (best[0], best[1])):
                best = (similarity, w, s.title)
        if best:
            out[c.id] = f"{best[1]}: {best[2]}"
    return out
