"""The week's edition assembled from the store: the stored selection read whole, the editors' decisions
and the English laid over it, the appendix beside it. Nothing is ranked again here: the select step's
picks (``records.Pick``) hold every item as it was chosen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..classify import load_themes
from ..dedup import KeywordReader
from ..editorial import Applied, edit_items
from ..editorial import apply as apply_decisions
from ..errors import BriefingError
from ..records import Cluster, Edition, EnglishReport, Item, Pick, Section, Story, Theme
from ..select import numbers_of_the_week
from ..text import nfkc
from ._appendix import health_rows, mailing, trend

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["IN_FIVE", "build_edition"]

#: the cover's "This week in five"
IN_FIVE = 5


def build_edition(p: Pipeline, week: Week) -> Edition:
    """Assemble the week's edition from the store, in the order the select step stored."""
    stories = {s.id: s for s in p.week_stories(week)}
    applied = apply_decisions(
        [c for c in p.store.load_clusters(str(week)) if c.id in stories],
        p.store.load_decisions(str(week)),
        stories,
        {s.id: s.weight for s in p.config.sources},
    )
    clusters = {c.id: c for c in applied.clusters}
    selection = _stored_selection(p, week, bool(stories))
    themes = load_themes(p.themes_path)
    items = edit_items(_chosen(selection, stories, clusters, themes), applied)
    items, english = _with_english(p, week, items, stories, clusters, themes)
    items = {sid: _editor_over_machine(it) for sid, it in items.items()}
    lead = next((items[pick.story_id] for pick in selection if pick.lead and pick.story_id in items), None)
    sections = tuple(
        Section(
            theme=theme,
            items=tuple(
                items[pick.story_id]
                for pick in selection
                if pick.section == theme.id and not pick.lead and pick.story_id in items
            ),
        )
        for theme in themes
    )
    per_source = Counter(s.source for s in stories.values())
    shown = [s for s in p.config.sources if s.enabled or per_source.get(s.id)]
    selected = list(
        {it.story.id: it for it in ([lead] if lead else []) + [it for sec in sections for it in sec.items]}.values()
    )
    return Edition(
        week=str(week),
        timezone=p.timezone,
        first_day=f"{week.monday.day} {week.monday:%B %Y}",
        last_day=f"{week.sunday.day} {week.sunday:%B %Y}",
        lead=lead,
        sections=sections,
        sources=tuple((s, per_source.get(s.id, 0)) for s in shown),
        story_count=len(stories),
        cluster_count=_events(applied),
        health=health_rows(p, shown, per_source),
        numbers=numbers_of_the_week(selected),
        trend=trend(p, week, themes),
        mailing=mailing(p, week),
        editor_note=applied.note,
        watch=applied.watch,
        in_five=_in_five(lead, selected),
        chinese_only=tuple(
            sorted(
                (it for it in selected if it.outlets_zh and not it.outlets_en), key=lambda it: (-it.score, it.story.id)
            )
        ),
        english=english,
    )


def _events(applied: Applied) -> int:
    """The week's events: its clusters after the editors' merges and splits, the dropped ones included."""
    return len(applied.clusters) + len(applied.dropped)


def _stored_selection(p: Pipeline, week: Week, has_stories: bool) -> list[Pick]:
    """The week's picks as the select step stored them; BriefingError when there are none, or when they
    were stored before the store kept them whole (schema 9)."""
    selection = p.store.load_selection(str(week))
    if has_stories and not selection:
        raise BriefingError(f"{week}: no selection stored yet (run the dedup, classify and select steps first)")
    if any(not pick.whole for pick in selection):
        raise BriefingError(
            f"{week}: the selection was stored by an older briefing, not whole (store schema 8): run the select step "
            f"again"
        )
    return selection


def _chosen(
    selection: Sequence[Pick], stories: Mapping[str, Story], clusters: Mapping[str, Cluster], themes: Sequence[Theme]
) -> dict[str, Item]:
    """The chosen events' items by event id, section by section, each section in order of importance."""
    position = {t.id: n for n, t in enumerate(themes)}
    items = {pick.story_id: pick.item(stories[pick.story_id]) for pick in selection if pick.story_id in clusters}
    ordered = sorted(
        (it for it in items.values() if it.primary in position),
        key=lambda it: (
            position[it.primary or ""],
            -it.score,
            -(it.story.when.timestamp() if it.story.when else 0),
            it.story.id,
        ),
    )
    return {it.story.id: it for it in ordered}


def _in_five(lead: Item | None, selected: Sequence[Item]) -> tuple[Item, ...]:
    """The cover's "This week in five": the lead, then the most important of the others, five happenings
    rather than one company's day five times. An item whose headline names an organisation that a chosen
    item's headline names, published within ``IN_FIVE_APART_HOURS`` of it (a keynote's launches, a
    conference's announcements, one event that dedup left apart), waits: it is listed only if fewer than
    five others are."""
    others = sorted(
        (it for it in selected if not lead or it.story.id != lead.story.id), key=lambda it: (-it.score, it.story.id)
    )
    reader = KeywordReader()
    chosen = [lead] if lead else []
    who = {it.story.id: _organisations(reader, it) for it in chosen}
    waiting = []
    for it in others:
        if len(chosen) == IN_FIVE:
            break
        who[it.story.id] = _organisations(reader, it)
        if any(who[it.story.id] & who[c.story.id] and _hours_apart(it, c) <= IN_FIVE_APART_HOURS for c in chosen):
            waiting.append(it)
        else:
            chosen.append(it)
    return tuple(chosen + waiting)[:IN_FIVE]


#: two stories of one organisation this close are likely one company's one day, for the cover's five
IN_FIVE_APART_HOURS = 48.0


def _organisations(reader: KeywordReader, item: Item) -> frozenset[str]:
    """The organisations (companies, agencies, institutes) an item's original headline names."""
    keywords = reader.read(nfkc(item.story.title), "")
    return frozenset(w for w in keywords.neutral if w in reader.names.who)


def _hours_apart(a: Item, b: Item) -> float:
    if a.story.when is None or b.story.when is None:
        return 0.0
    return abs((a.story.when - b.story.when).total_seconds()) / 3600


def _editor_over_machine(item: Item) -> Item:
    """An editor's English headline, gist or "why it matters" stands in place of the machine's (``briefing.enrich``)."""
    if item.english is None or not (item.headline or item.gist or item.why):
        return item
    if item.headline:
        return replace(item, english=None)
    return replace(
        item,
        english=replace(
            item.english, gist="" if item.gist else item.english.gist, why="" if item.why else item.english.why
        ),
    )


def _with_english(
    p: Pipeline,
    week: Week,
    items: dict[str, Item],
    stories: Mapping[str, Story],
    clusters: Mapping[str, Cluster],
    themes: Sequence[Theme],
) -> tuple[dict[str, Item], EnglishReport]:
    """The items with their English: the model's, as the enrich step stored it, else the offline line."""
    from ..enrich import attach_english

    done = attach_english(
        items,
        stored=p.store.load_week_english(str(week)),
        stories=stories,
        clusters=clusters,
        sources={s.id: s for s in p.config.sources},
        theme_names={t.id: t.name for t in themes},
    )
    return done.items, done.report
