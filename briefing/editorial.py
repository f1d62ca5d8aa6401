"""Editors' decisions about a week's edition: kept in the store with who and when, applied by select and
render, and so applied again by every rebuild and backfill of the week (a past week rebuilt is the week
as published).

An editor names events and stories by a short id: the first ``SHORT`` characters of a story's id (an
event's id is its representative story's). The decisions:

========  ======================================  ===========================================
kind      target                                  value
========  ======================================  ===========================================
lead      the event to lead the edition           ""
drop      an event to leave out                   ""
merge     the event that absorbs the other        the other event
split     a story to take out of its event        ""
move      an event                                the theme id of its new section
headline  an event                                its English headline ("" restores the outlet's)
gist      an event                                its English gist ("" restores the summary)
why       an event                                a "why it matters" line ("" removes it)
note      ""                                      the editor's note on the cover
watch     ""                                      "what to watch next week", a line per item
========  ======================================  ===========================================

Decisions are appended, never rewritten; the last one of a kind about an event wins. An event is found
by any story it holds, so a decision made before a merge still finds its event after it. ``record``
checks a whole batch against the week as the earlier decisions left it before storing any of it: an
unknown id, a merge of an event with itself, a section that is no theme or a week already published is
an ``EditError`` that changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .errors import BriefingError
from .records import Classification, Cluster, Decision, Item, Story, ThemeScore

if TYPE_CHECKING:
    from .context import Pipeline
    from .week import Week

__all__ = [
    "FORM_FIELDS",
    "KINDS",
    "SHORT",
    "Applied",
    "Edit",
    "EditError",
    "apply",
    "edit_items",
    "event_menu",
    "move_classifications",
    "parse_form",
    "record",
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


def apply(clusters: Sequence[Cluster], decisions: Sequence[Decision]) -> Applied:
    """The week's events after ``decisions``, in order; an event is found by any story it holds."""
    state: dict[str, list[str]] = {c.id: list(c.members) for c in clusters}
    dropped: set[str] = set()

    def find(story_id: str) -> str | None:
        return next((cid for cid, members in state.items() if story_id in members), None)

    for d in decisions:
        if d.kind == "split":
            cid = find(d.target)
            if cid is None or len(state[cid]) < 2:
                continue
            rest = [m for m in state[cid] if m != d.target]
            if cid == d.target:  # the representative leaves: the next story represents the rest
                del state[cid]
                state[rest[0]] = rest
                if cid in dropped:
                    dropped.add(rest[0])
            else:
                state[cid] = rest
            state[d.target] = [d.target]
            dropped.discard(d.target)
        elif d.kind == "merge":
            a, b = find(d.target), find(d.value)
            if a is None or b is None or a == b:
                continue
            state[a] = state[a] + state.pop(b)
            dropped.discard(b)
        elif d.kind == "drop":
            cid = find(d.target)
            if cid is not None:
                dropped.add(cid)
    final = [Cluster(id=cid, members=tuple(members)) for cid, members in state.items()]
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
        eid: replace(it, headline=applied.headline.get(eid) or None, gist=applied.gist.get(eid) or None, why=applied.why.get(eid) or None)
        for eid, it in items.items()
    }


# -- recording: checked as a batch, stored all or none -----------------------------------------------


def _resolve(short: str, stories: Mapping[str, Story]) -> str:
    text = short.strip().lower()
    if not text:
        raise EditError("an id is missing")
    if not re.fullmatch(r"[0-9a-f]{4,32}", text):
        raise EditError(f"{short!r} is not an id (ids are the hexadecimal codes the event list shows, e.g. {next(iter(sorted(stories)), 'a1b2c3')[:SHORT]})")
    found = [sid for sid in stories if sid.startswith(text)]
    if not found:
        raise EditError(f"unknown id {short!r}: no story or event of the week has it (list them: briefing edit --week … --list)")
    if len(found) > 1:
        raise EditError(f"the id {short!r} is ambiguous: {', '.join(sorted(found))}; give more characters")
    return found[0]


def _week_state(p: Pipeline, week: Week) -> tuple[dict[str, Story], list[Cluster], list[Decision]]:
    stories = {s.id: s for s in p.week_stories(week)}
    clusters = [c for c in p.store.load_clusters(str(week)) if c.id in stories]
    if not clusters:
        raise EditError(f"{week}: the week has not been built yet (no events to edit): run it first")
    return stories, clusters, p.store.load_decisions(str(week))


def record(p: Pipeline, week: Week, edits: Sequence[Edit], *, by: str, now: datetime | None = None) -> list[Decision]:
    """Check ``edits`` against the week as its earlier decisions left it, then store them, all or none."""
    from .classify import load_themes

    if p.store.published(str(week)):
        raise EditError(f"{week} is already published: its edition is final, decisions can no longer change it")
    if not by.strip():
        raise EditError("who decides? (give --by NAME)")
    stories, clusters, earlier = _week_state(p, week)
    themes = [t.id for t in load_themes(p.themes_path)]
    at = now or datetime.now(UTC)
    made: list[Decision] = []
    for e in edits:
        state = apply(clusters, earlier + made)
        made.append(_check(e, stories, state, themes, by.strip(), at))
    p.store.add_decisions(str(week), made)
    return made


def _check(e: Edit, stories: Mapping[str, Story], state: Applied, themes: Sequence[str], by: str, at: datetime) -> Decision:
    if e.kind not in KINDS:
        raise EditError(f"unknown decision {e.kind!r}: one of {', '.join(KINDS)}")
    if e.kind in ("note", "watch"):
        return Decision(kind=e.kind, target="", value=e.value.strip(), by=by, at=at)
    sid = _resolve(e.target, stories)
    event = state.event_of(sid)
    if event is None:
        raise EditError(f"{e.target!r} names a story that is in no event of the week")
    if e.kind == "split":
        if len(event.members) < 2:
            raise EditError(f"{e.target!r} is an event of one story: there is nothing to split it from")
        return Decision(kind="split", target=sid, value="", by=by, at=at)
    value = e.value.strip()
    if e.kind == "merge":
        other = state.event_of(_resolve(value, stories))
        if other is None:
            raise EditError(f"{value!r} names a story that is in no event of the week")
        if other.id == event.id:
            raise EditError(f"cannot merge {e.target!r} with {value!r}: they are the same event ({short_id(event.id)})")
        value = other.id
    elif e.kind == "move":
        if value not in themes:
            raise EditError(f"no section {value!r}: the sections are {', '.join(themes)}")
    elif e.kind == "lead" and event in state.dropped:
        raise EditError(f"{e.target!r} was dropped: it cannot lead")
    return Decision(kind=e.kind, target=event.id, value=value, by=by, at=at)


# -- the approval form ----------------------------------------------------------------------------

#: the fields of the approval form: name -> (title, help); every field is optional text
FORM_FIELDS: Mapping[str, tuple[str, str]] = {
    "lead": ("Pin the lead", "the id of the event to lead the edition"),
    "drop": ("Drop events", "ids of events to leave out, separated by spaces"),
    "merge": ("Merge events", "a line per merge: two ids, the first absorbs the second (a1b2c3 d4e5f6)"),
    "split": ("Split stories out", "ids of stories to take out of their events, as events of their own"),
    "move": ("Move to another section", "a line per move: an id and a section (a1b2c3 chips)"),
    "headline": ("English headlines", "a line per event: id: headline"),
    "gist": ("English gists", "a line per event: id: gist"),
    "why": ("Why it matters", "a line per event: id: why it matters"),
    "note": ("Editor's note", "for the cover"),
    "watch": ("What to watch next week", "a line per item"),
}


def parse_form(values: Mapping[str, Any]) -> list[Edit]:
    """The edits an approval form's answers hold (empty fields hold none), in the form's order."""
    out: list[Edit] = []
    for name in FORM_FIELDS:
        raw = values.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if name in ("note", "watch"):
            out.append(Edit(name, value=text))
        elif name in ("lead", "drop", "split"):
            out.extend(Edit(name, target=i) for i in re.split(r"[\s,;]+", text) if i)
        else:
            for line in (ln.strip() for ln in text.splitlines()):
                if not line:
                    continue
                if name == "merge":
                    ids = [i for i in re.split(r"[\s,;+<>=-]+", line) if i]
                    if len(ids) != 2:
                        raise EditError(f"merge: {line!r}: give two ids, the first absorbs the second")
                    out.append(Edit("merge", target=ids[0], value=ids[1]))
                elif name == "move":
                    parts = line.replace(":", " ").split()
                    if len(parts) != 2:
                        raise EditError(f"move: {line!r}: give an id and a section")
                    out.append(Edit("move", target=parts[0], value=parts[1]))
                else:
                    target, sep, text_ = line.partition(":")
                    if not sep:
                        raise EditError(f"{name}: {line!r}: write the id, a colon and the text")
                    out.append(Edit(name, target=target.strip(), value=text_.strip()))
    return out


def event_menu(p: Pipeline, week: Week, *, others: int = 30) -> list[str]:
    """The week's events by short id, as Markdown lines: the carried ones in the edition's order (with
    the short ids of their other stories, for a split), then up to ``others`` events not carried."""
    stories, clusters, earlier = _week_state(p, week)
    state = apply(clusters, earlier)
    names = {s.id: s.name for s in p.config.sources}
    selection = p.store.load_selection(str(week))
    carried = [pick.story_id for pick in selection]
    events = {c.id: c for c in state.clusters}
    lines: list[str] = []

    def line(c: Cluster, section: str) -> str:
        rep = stories[c.id]
        title = state.headline.get(c.id) or rep.title
        more = ", ".join(f"`{short_id(m)}` {names.get(stories[m].source, stories[m].source)}" for m in c.members[1:] if m in stories)
        return f"- `{short_id(c.id)}` {section}{title} ({names.get(rep.source, rep.source)})" + (f" · also {more}" if more else "")

    seen: set[str] = set()
    for pick in selection:
        if pick.story_id in events and pick.story_id not in seen:
            seen.add(pick.story_id)
            lines.append(line(events[pick.story_id], f"**{'lead, ' if pick.lead else ''}{pick.section}** "))
    rest = sorted((c for c in state.clusters if c.id not in seen), key=lambda c: (-len(c.members), c.id))
    if rest:
        lines.append(f"\nNot carried ({len(rest)}):" if carried else f"Events ({len(rest)}):")
        lines.extend(line(c, "") for c in rest[:others])
        if len(rest) > others:
            lines.append(f"- … {len(rest) - others} more: `briefing edit --week {week} --list`")
    if state.dropped:
        lines.append("\nDropped: " + ", ".join(f"`{short_id(c.id)}`" for c in state.dropped))
    return lines


def describe(d: Decision, stories: Mapping[str, Story] | None = None) -> str:
    """One decision in a line: "2026-11-23 09:12 ana: merge a1b2c3 d4e5f6"."""
    target = short_id(d.target) if d.target else ""
    value = short_id(d.value) if d.kind == "merge" else d.value
    what = " ".join(x for x in (d.kind, target, repr(value) if d.kind in (*TEXT_KINDS, "note", "watch") else value) if x)
    return f"{d.at:%Y-%m-%d %H:%M} {d.by}: {what}"
