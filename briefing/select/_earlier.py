"""What earlier briefings already carried: this week's repeats of their stories, and follow-ups to them.

A current story in the same event as a story an earlier briefing published (a copy, an edit or a
rewrite that came out days later) was published already. The events come from the store's dedup index,
which holds clusters across weeks (``clusters``: story id -> store-wide cluster); only a caller with no
index (a list of stories alone) has them deduplicated here. A current story of another event whose
headline is close to an earlier one's is a follow-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from ..records import Story
from ..text import headline_tokens

__all__ = ["FOLLOW_UP_SIMILARITY", "EarlierReports", "EarlierStory", "earlier_reports"]

#: a story whose headline shares this much with one an earlier briefing carried is its follow-up
FOLLOW_UP_SIMILARITY = 0.25


class EarlierStory(NamedTuple):
    """A story an earlier briefing published, and that briefing's week."""

    week: str
    story: Story


class EarlierReports(NamedTuple):
    """This week's stories an earlier briefing carried (to leave out), and the follow-ups of others."""

    repeated: set[str]
    follow_ups: dict[str, str]  # story id -> "week: earlier headline"


def earlier_reports(
    current: Sequence[Story],
    earlier: Sequence[EarlierStory],
    *,
    clusters: Mapping[str, str],
) -> EarlierReports:
    """Which of this week's stories an earlier briefing already carried, and which follow one up.

    ``earlier`` holds ``(week, story)`` for the stories earlier briefings published. A current story in
    the same event cluster as one of them (``clusters``: the dedup index's store-wide clusters, by story id)
    and close enough to it was published already: its id is in
    ``repeated``. A current story of another event whose headline is close to an earlier one's (the same
    reactor's commercial operation after its grid connection) is a follow-up: ``follow_ups`` maps its
    id to ``"week: earlier headline"``.
    """
    if not earlier or not current:
        return EarlierReports(set(), {})
    repeated = _repeated(current, earlier, clusters)
    follow_ups: dict[str, str] = {}
    heads = [(week, s, headline_tokens(s.title)) for week, s in earlier]
    for story in current:
        if story.id in repeated:
            continue
        note = _follow_up_of(headline_tokens(story.title), heads)
        if note:
            follow_ups[story.id] = note
    return EarlierReports(repeated, follow_ups)


def _follow_up_of(mine: AbstractSet[str], heads: Sequence[tuple[str, Story, AbstractSet[str]]]) -> str | None:
    """``"week: headline"`` of the earlier story whose headline words (``heads``: week, story, words) are
    closest to ``mine``, when they share ``FOLLOW_UP_SIMILARITY`` of them; else None."""
    best: tuple[float, str, str] | None = None
    for week, s, theirs in heads:
        if not mine or not theirs:
            continue
        similarity = len(mine & theirs) / len(mine | theirs)
        if similarity >= FOLLOW_UP_SIMILARITY and (best is None or similarity > best[0]):
            best = (similarity, week, s.title)
    return f"{best[1]}: {best[2]}" if best else None


def _repeated(
    current: Sequence[Story],
    earlier: Sequence[EarlierStory],
    clusters: Mapping[str, str],
) -> set[str]:
    """The current stories in one event with a story of ``earlier`` and close enough to it."""
    from ..dedup import SAME_EVENT, EventText, KeywordReader, event_text, same_event_probability
    from ..text import nfkc

    earlier_ids = {s.id for _, s in earlier}
    by_id = {s.id: s for _, s in earlier} | {s.id: s for s in current}
    reader = KeywordReader()
    texts: dict[str, EventText] = {}

    def text(s: Story) -> EventText:
        if s.id not in texts:
            texts[s.id] = event_text(nfkc(s.title), nfkc(s.body), reader)
        return texts[s.id]

    def same(a: Story, b: Story) -> bool:
        if (a.url and a.url == b.url) or (a.title, a.body) == (b.title, b.body):
            return True
        hours = abs(a.when.timestamp() - b.when.timestamp()) / 3600 if a.when and b.when else 0.0
        return same_event_probability(text(a), text(b), hours, a.source == b.source, a.lang != b.lang) >= SAME_EVENT

    repeated: set[str] = set()
    for members in _events([s for _, s in earlier], current, clusters):
        before = [by_id[x] for x in members if x in earlier_ids]
        for m in members:
            if m not in earlier_ids and before and any(same(by_id[m], b) for b in before):
                repeated.add(m)
    return repeated


def _events(earlier: Sequence[Story], current: Sequence[Story], clusters: Mapping[str, str]) -> list[list[str]]:
    """The stories' ids grouped by event: by the dedup index's store-wide clusters (a story it lacks is an
    event of its own)."""
    everything = [*earlier, *current]
    groups: dict[str, list[str]] = {}
    for s in everything:
        groups.setdefault(clusters.get(s.id, s.id), []).append(s.id)
    return list(groups.values())
