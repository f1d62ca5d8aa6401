"""The select stage over the store: a week's clusters ranked into the lead and its sections, as picks.

The editors' decisions are applied, stories an earlier briefing carried are left out (their events come
from the dedup index), follow-ups are marked, and each chosen event becomes a ``Pick`` that holds all
render needs of it, so that render reads the selection and never ranks again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..classify import load_themes
from ..editorial import apply as apply_decisions
from ..editorial import move_classifications
from ..errors import BriefingError
from ..records import Classification, Cluster, Item, Pick, Section, Story, ThemeCount
from ._earlier import EarlierStory, earlier_reports
from ._follow_ups import headline_follow_ups, index_follow_ups
from ._ranking import cluster_themes, select

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["FOLLOW_UP_WEEKS", "WeekPicks", "choose_week", "earlier_published"]

log = logging.getLogger("briefing.pipeline")  # the name the select step's log lines have always had

#: earlier briefings looked at for stories already published and for follow-ups
FOLLOW_UP_WEEKS = 4


@dataclass(frozen=True)
class WeekPicks:
    """The week's selection, in reading order (the lead first), and what it was chosen from."""

    week: str
    picks: tuple[Pick, ...]
    stories: int
    clusters: int  # the events ranked (after the editors' decisions, without the repeats)
    per_theme: tuple[ThemeCount, ...]  # items per section


def choose_week(p: Pipeline, week: Week) -> WeekPicks:
    """Rank the week's clusters from the store and pick the lead and each section's stories."""
    stories = {s.id: s for s in p.week_stories(week)}
    clusters = [c for c in p.store.load_clusters(str(week)) if c.id in stories]
    if stories and not clusters:
        raise BriefingError(f"{week}: the stories have not been deduplicated yet (run the dedup step first)")
    classified = p.store.load_classifications(str(week))
    if stories and not classified:
        raise BriefingError(f"{week}: the stories have not been classified yet (run the classify step first)")
    weights = {s.id: s.weight for s in p.config.sources}
    applied = apply_decisions(
        clusters, p.store.load_decisions(str(week)), stories, weights
    )  # the editors' decisions (briefing.editorial)
    clusters = list(applied.clusters)
    classified = move_classifications(classified, applied)
    current = [stories[c.id] for c in clusters]
    earlier = earlier_published(p, week)
    indexed = p.store.indexed([s.id for s in [*current, *(e.story for e in earlier)]])
    index = {sid: found.cluster for sid, found in indexed.items()}
    repeated, follow_ups = earlier_reports(current, earlier, clusters=index)
    follow_ups = (
        headline_follow_ups(p, week, clusters, stories, FOLLOW_UP_WEEKS)
        | index_follow_ups(p, week, clusters, stories)
        | follow_ups
    )
    if repeated:
        titles = "; ".join(stories[i].title for i in sorted(repeated) if i in stories)
        log.info("%s: %d stories were in an earlier briefing and are left out: %s", week, len(repeated), titles)
    clusters = [c for c in clusters if not (set(c.members) & repeated)]
    themes = load_themes(p.themes_path)
    sources = {s.id: s for s in p.config.sources}
    lead, sections, folds = select(stories, clusters, classified, themes, sources)
    for fold in folds:
        log.info(
            "%s: one event shown once: %s is folded into %s (same-event probability %.2f: %s)",
            week,
            stories[fold.folded].title,
            stories[fold.kept].title,
            fold.probability,
            fold.why,
        )
    _log_themes(week, sections, clusters, stories, classified, weights)
    pinned = [c for c in clusters if c.id == applied.lead]
    if pinned:  # the editor's lead, whatever its rank
        lead = select(stories, pinned, classified, themes, sources).lead or lead
    picks = _picks(lead, sections, follow_ups)
    for sid, note in sorted(follow_ups.items()):
        log.info("%s: follow-up: %s follows %s", week, stories[sid].title, note)
    per_theme = tuple(ThemeCount(sec.theme.id, len(sec.items)) for sec in sections)
    log.info(
        "%s: the briefing carries %d events: the lead (%s, also heading its section) and per section %s",
        week,
        len({pick.story_id for pick in picks}),
        lead.story.title if lead else "none",
        dict(per_theme),
    )
    return WeekPicks(week=str(week), picks=picks, stories=len(stories), clusters=len(clusters), per_theme=per_theme)


def _log_themes(
    week: Week,
    sections: tuple[Section, ...],
    clusters: list[Cluster],
    stories: dict[str, Story],
    classified: Mapping[str, Classification],
    weights: dict[str, float],
) -> None:
    """Say, for each chosen event whose representative has no theme, where its theme came from."""
    by_id = {c.id: c for c in clusters}
    for sid in sorted({it.story.id for sec in sections for it in sec.items}):
        why = cluster_themes(by_id[sid], stories, classified, weights).why() if sid in by_id else ""
        if why:
            log.info("%s: %s: %s", week, stories[sid].title, why)


def _picks(lead: Item | None, sections: tuple[Section, ...], follow_ups: dict[str, str]) -> tuple[Pick, ...]:
    """The selection in reading order: the lead (under its primary theme), then each section's items."""
    rows = [_pick(lead, lead.primary or "", True, follow_ups)] if lead else []
    rows += [_pick(it, sec.theme.id, False, follow_ups) for sec in sections for it in sec.items]
    return tuple(rows)


def _pick(item: Item, section: str, lead: bool, follow_ups: dict[str, str]) -> Pick:
    return Pick(
        story_id=item.story.id,
        section=section,
        lead=lead,
        score=item.score,
        follow_up=follow_ups.get(item.story.id),
        source_name=item.source_name,
        summary=item.summary,
        themes=item.themes,
        also=item.also,
        outlets_zh=item.outlets_zh,
        outlets_en=item.outlets_en,
    )


def earlier_published(p: Pipeline, week: Week) -> list[EarlierStory]:
    """The stories the briefings of the ``FOLLOW_UP_WEEKS`` weeks before ``week`` published."""
    out: list[EarlierStory] = []
    for n in range(1, FOLLOW_UP_WEEKS + 1):
        earlier = week.previous(n)
        chosen = {pick.story_id for pick in p.store.load_selection(str(earlier))}
        if chosen:
            out.extend(EarlierStory(str(earlier), s) for s in p.week_stories(earlier) if s.id in chosen)
    return out
