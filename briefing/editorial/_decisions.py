"""What editors' decisions do to a week's events: the kinds, and ``apply``, which regroups the events
(merges, splits, drops) and gathers the lead, the sections and the texts that select and render use. An
event whose representative an editor splits off is represented by the story dedup's own choice
(``dedup.representative``) takes among the rest, as if dedup had found the rest alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..dedup import representative
from ..errors import BriefingError
from ..records import Classification, Cluster, Decision, Item, Story, ThemeScore

__all__ = [
    "EVENT_KINDS",
    "KINDS",
    "SHORT",
    "TEXT_KINDS",
    "Applied",
    "Edit",
    "EditError",
    "apply",
    "edit_items",
    "move_classifications",
    "short_id",
]

#: what each kind of decision does (the CLI's and the form's help)
KINDS: Mapping[str, str] = {
    "lead": "pin the lead: the event that leads the edition",
    "drop": "drop an event from the edition",
    "merge": "merge two events: the first absorbs the second",
    "split": "split a story out of its event, as an event of its own",
    "move": "move an event to another section (a theme id)",
    "headline": "replace an event's headline with an English one",
    "gist": "replace an event's gist with an English one",
    "why": "a 'why it matters' line under an event",
    "note": "the editor's note on the cover",
    "watch": "what to watch next week, a line per item",
}
#: kinds that name an event (by any of its stories); split names a story; note and watch name nothing
EVENT_KINDS = ("lead", "drop", "merge", "move", "headline", "gist", "why")
TEXT_KINDS = ("headline", "gist", "why")

#: characters of a story id that name it
SHORT = 6


class EditError(BriefingError):
    """An editor's decision that cannot be applied: nothing of its batch was stored."""


@dataclass(frozen=True)
class Edit:
    """A decision as an editor wrote it, ids short, before it is checked."""

    kind: str
    target: str = ""
    value: str = ""


def short_id(story_id: str) -> str:
    return story_id[:SHORT]


@dataclass(frozen=True)
class Applied:
    """A week's events after the decisions: what select and render use."""

    clusters: tuple[Cluster, ...]  # after merges and splits, the dropped left out
    dropped: tuple[Cluster, ...] = ()
    lead: str | None = None  # an event id
    sections: Mapping[str, str] = field(default_factory=dict)  # event id -> theme id
    headline: Mapping[str, str] = field(default_factory=dict)  # event id -> text
    gist: Mapping[str, str] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    watch: tuple[str, ...] = ()

    def event_of(self, story_id: str) -> Cluster | None:
        """The event (dropped or not) that holds ``story_id``."""
        return next((c for c in self.clusters + self.dropped if story_id in c.members), None)


@dataclass
class _Events:
    """The week's events as the merges, splits and drops regroup them: members by event id, the dropped."""

    members: dict[str, list[str]]
    dropped: set[str] = field(default_factory=set)
    stories: Mapping[str, Story] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)

    def _representative(self, members: list[str]) -> str:
        """dedup's choice among ``members`` (``dedup.representative``); without their stories, the first."""
        known = [self.stories[m] for m in members if m in self.stories]
        return representative(known, self.weights).id if len(known) == len(members) else members[0]

    def find(self, story_id: str) -> str | None:
        return next((cid for cid, members in self.members.items() if story_id in members), None)

    def split(self, story_id: str) -> None:
        cid = self.find(story_id)
        if cid is None or len(self.members[cid]) < 2:
            return
        rest = [m for m in self.members[cid] if m != story_id]
        if cid == story_id:  # the representative leaves: dedup's choice among the rest represents them
            rep = self._representative(rest)
            del self.members[cid]
            self.members[rep] = [rep] + [m for m in rest if m != rep]
            if cid in self.dropped:
                self.dropped.add(rep)
        else:
            self.members[cid] = rest
        self.members[story_id] = [story_id]
        self.dropped.discard(story_id)

    def merge(self, target: str, other: str) -> None:
        a, b = self.find(target), self.find(other)
        if a is None or b is None or a == b:
            return
        self.members[a] = self.members[a] + self.members.pop(b)
        self.dropped.discard(b)

    def drop(self, story_id: str) -> None:
        cid = self.find(story_id)
        if cid is not None:
            self.dropped.add(cid)

    def clusters(self) -> list[Cluster]:
        return [Cluster(id=cid, members=tuple(members)) for cid, members in self.members.items()]


def apply(
    clusters: Sequence[Cluster],
    decisions: Sequence[Decision],
    stories: Mapping[str, Story] | None = None,
    weights: Mapping[str, float] | None = None,
) -> Applied:
    """The week's events after ``decisions``, in order; an event is found by any story it holds. With the
    week's ``stories`` and the source ``weights`` (dedup's), an event whose representative is split off is
    represented by dedup's choice among the rest; without them, by the next of its stories."""
    events = _Events({c.id: list(c.members) for c in clusters}, stories=stories or {}, weights=weights or {})
    for d in decisions:
        if d.kind == "split":
            events.split(d.target)
        elif d.kind == "merge":
            events.merge(d.target, d.value)
        elif d.kind == "drop":
            events.drop(d.target)
    final, dropped = events.clusters(), events.dropped
    kept = tuple(c for c in final if c.id not in dropped)
    gone = tuple(c for c in final if c.id in dropped)

    def event(story_id: str) -> str | None:
        return next((c.id for c in final if story_id in c.members), None)

    lead: str | None = None
    per_kind: dict[str, dict[str, str]] = {k: {} for k in ("move", *TEXT_KINDS)}
    note, watch = "", ""
    for d in decisions:
        if d.kind == "note":
            note = d.value
        elif d.kind == "watch":
            watch = d.value
        elif d.kind in per_kind or d.kind == "lead":
            eid = event(d.target)
            if eid is None:
                continue
            if d.kind == "lead":
                lead = eid
            elif d.value:
                per_kind[d.kind][eid] = d.value
            else:
                per_kind[d.kind].pop(eid, None)
    return Applied(
        clusters=kept,
        dropped=gone,
        lead=lead if lead not in dropped else None,
        sections=per_kind["move"],
        headline=per_kind["headline"],
        gist=per_kind["gist"],
        why=per_kind["why"],
        note=note.strip(),
        watch=tuple(line.strip(" -•\t") for line in watch.splitlines() if line.strip(" -•\t")),
    )


def move_classifications(classified: Mapping[str, Classification], applied: Applied) -> dict[str, Classification]:
    """``classified`` with each moved event's new section as its primary theme, at the top score."""
    out = dict(classified)
    for eid, theme in applied.sections.items():
        themes = out[eid].themes if eid in out else ()
        top = themes[0].score if themes else 0.0
        own = next((t for t in themes if t.id == theme), None)
        first = replace(own, score=max(own.score, top)) if own else ThemeScore(id=theme, score=top)
        out[eid] = Classification(story_id=eid, themes=(first, *(t for t in themes if t.id != theme)))
    return out


def edit_items(items: Mapping[str, Item], applied: Applied) -> dict[str, Item]:
    """``items`` (by event id) with the editors' headlines, gists and "why it matters" lines."""
    return {
        eid: replace(
            it,
            headline=applied.headline.get(eid) or None,
            gist=applied.gist.get(eid) or None,
            why=applied.why.get(eid) or None,
        )
        for eid, it in items.items()
    }
