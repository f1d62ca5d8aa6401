"""Rank the week's clusters, pick the lead and fill each theme's section.

A cluster's importance grows with the number of outlets that reported it, the weight of its sources
and how clearly it belongs to its theme; a roundup of several items (``dedup.is_digest``) ranks below
every report, so it never leads while a report can. An event's themes are its representative's; when the
classifier gave the representative none (a teaser, a review's headline), they are those of the primary
theme more than half of the event's stories carry, from the story of it the representative ranking
prefers (``cluster_themes``), so that an event five outlets reported does not fall out of the briefing for
the headline that stands for it. The lead story is the most important cluster of the week; each
theme's section holds its clusters (by primary theme) in order of importance, up to a cap. A cluster that
reports the event of an earlier pick (``_folds``) is shown as that pick's "also reported by", and the
section takes the next cluster instead: each event once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from ..dedup import is_digest, ranked
from ..records import Classification, Cluster, Fold, Item, Section, Selection, Source, Story, Theme, ThemeScore
from ..text import nfkc
from ._folds import FOLD_SAME_EVENT, Folder
from ._summaries import summarise

__all__ = ["SECTION_CAP", "ClusterThemes", "cluster_themes", "importance", "select"]

SECTION_CAP = 8
#: what a roundup's importance loses: more than any report's importance (a few points) can hold
DIGEST_PENALTY = 10.0


def importance(story: Story, outlets: int, theme_score: float, weights: Mapping[str, float]) -> float:
    """The score that orders clusters: how many outlets reported the event (not how many stories: one
    outlet's three reports are one voice), the representative's source weight, theme fit; a roundup
    (a cluster whose every story is one: its representative is a report when it has one) below all."""
    weight = weights.get(story.source, 1.0)
    penalty = DIGEST_PENALTY if is_digest(nfkc(story.title)) else 0.0
    return round(theme_score * 0.5 + math.log2(1 + outlets) * 0.6 + weight * 0.3 - penalty, 4)


class ClusterThemes(NamedTuple):
    """An event's themes and where they came from: the representative's own (``carriers`` 0), or
    (``from_members``) those of the best-ranked of the ``carriers`` stories (of ``members``, more than half)
    that share a primary."""

    themes: tuple[ThemeScore, ...]
    carriers: int
    members: int
    from_members: bool = False

    def why(self) -> str:
        """Where the themes came from, for the log: "" for the representative's own."""
        if not self.from_members:
            return ""
        return f"theme {self.themes[0].id} from {self.carriers} of {self.members} stories (the representative has none)"


def cluster_themes(
    cluster: Cluster,
    stories: Mapping[str, Story],
    classified: Mapping[str, Classification],
    weights: Mapping[str, float],
) -> ClusterThemes:
    """The event's themes: its representative's when the classifier gave it any; else, when more than half
    of the event's stories (the representative counted) carry one primary theme, the themes (scores,
    evidence) of the story of that primary that the representative ranking (``dedup.ranked``) prefers. One
    story of two is that story's theme, not the event's: none, as before. The input order never decides."""
    present = [stories[m] for m in cluster.members if m in stories]
    own = classified.get(cluster.id)
    if own is not None and own.themes:
        return ClusterThemes(own.themes, 0, len(present))
    order = ranked(present, weights)
    primaries = [v.primary for s in order if (v := classified.get(s.id)) is not None and v.primary]
    if not primaries:
        return ClusterThemes((), 0, len(present))
    chosen, most = Counter(primaries).most_common(1)[0]
    if 2 * most <= len(present):  # no majority: at most one primary can hold more than half
        return ClusterThemes((), 0, len(present))
    first = next(s for s in order if (v := classified.get(s.id)) is not None and v.primary == chosen)
    return ClusterThemes(classified[first.id].themes, most, len(present), from_members=True)


def select(
    stories: Mapping[str, Story],
    clusters: Sequence[Cluster],
    classified: Mapping[str, Classification],
    themes: Sequence[Theme],
    sources: Mapping[str, Source],
    cap: int = SECTION_CAP,
    fold: float | None = FOLD_SAME_EVENT,
) -> Selection:
    """The lead item and one section per theme (the lead also heads its own theme's section); with
    ``fold`` (a same-event probability; None: never), a pick that reports an earlier pick's event is
    folded into it and the next cluster is picked instead."""
    weights = {sid: s.weight for sid, s in sources.items()}
    by_id = {c.id: c for c in clusters}
    items = [_item(cluster, stories, classified, sources, weights) for cluster in clusters]
    ordered = sorted(
        items, key=lambda it: (-it.score, -(it.story.when.timestamp() if it.story.when else 0), it.story.id)
    )
    folder = Folder(stories, threshold=fold) if fold is not None else None
    chosen: dict[str, list[Item]] = {theme.id: [] for theme in themes}
    picked: list[Cluster] = []  # in the order picked, each with the clusters folded into it
    folds: list[Fold] = []
    for it in ordered:
        if it.primary not in chosen or len(chosen[it.primary]) >= cap:
            continue
        found = folder.fold_into(by_id[it.story.id], picked) if folder else None
        if found is None:
            chosen[it.primary].append(it)
            picked.append(by_id[it.story.id])
            continue
        folds.append(found)
        n = next(n for n, c in enumerate(picked) if c.id == found.kept)
        picked[n] = Cluster(found.kept, picked[n].members + by_id[found.folded].members)
        for row in chosen.values():  # the kept item's outlets grow; its place (its score, its themes) stays
            row[:] = [
                replace(_item(picked[n], stories, classified, sources, weights), score=x.score, themes=x.themes)
                if x.story.id == found.kept
                else x
                for x in row
            ]
    final = {x.story.id: x for row in chosen.values() for x in row}
    first = next((it for it in ordered if it.primary), None)
    lead = final.get(first.story.id, first) if first else None
    sections = tuple(Section(theme=theme, items=tuple(chosen[theme.id])) for theme in themes)
    return Selection(lead, sections, tuple(folds))


def _item(
    cluster: Cluster,
    stories: Mapping[str, Story],
    classified: Mapping[str, Classification],
    sources: Mapping[str, Source],
    weights: Mapping[str, float],
) -> Item:
    """The cluster as an item: its representative, summary, themes (``cluster_themes``), other outlets and
    importance."""
    rep = stories[cluster.id]
    themes_of = cluster_themes(cluster, stories, classified, weights).themes
    outlets = len({stories[m].source for m in cluster.members if m in stories})
    langs = _outlet_langs(sources, [stories[m] for m in cluster.members if m in stories])
    score = importance(rep, outlets, themes_of[0].score if themes_of else 0.0, weights)
    also = []
    seen_sources = {rep.source}
    for mid in cluster.members[1:]:
        other = stories[mid]
        if other.source in seen_sources:
            continue
        seen_sources.add(other.source)
        also.append((_name(sources, other.source), other.url))
    return Item(
        story=rep,
        source_name=_name(sources, rep.source),
        summary=summarise(rep),
        themes=themes_of,
        also=tuple(also),
        score=score,
        outlets_zh=langs.count("zh"),
        outlets_en=langs.count("en"),
    )


def _outlet_langs(sources: Mapping[str, Source], members: Sequence[Story]) -> list[str]:
    """The language of each outlet that reported an event, once per outlet: the outlet's, else its story's."""
    first: dict[str, Story] = {}
    for story in members:
        first.setdefault(story.source, story)
    return [sources[sid].lang if sid in sources else story.lang for sid, story in first.items()]


def _name(sources: Mapping[str, Source], source_id: str) -> str:
    s = sources.get(source_id)
    return s.name if s else source_id
