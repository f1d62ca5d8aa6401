"""Decisions recorded: checked as a batch against the week as the earlier ones left it, stored all or
none; and the week's events and decisions listed for an editor (``event_menu``, ``describe``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..records import Cluster, Decision, Story
from ._decisions import KINDS, SHORT, TEXT_KINDS, Applied, Edit, EditError, apply, short_id

if TYPE_CHECKING:
    from ..context import Pipeline
    from ..week import Week

__all__ = ["describe", "event_menu", "record"]


# -- recording: checked as a batch, stored all or none -----------------------------------------------


def _resolve(short: str, stories: Mapping[str, Story]) -> str:
    text = short.strip().lower()
    if not text:
        raise EditError("an id is missing")
    if not re.fullmatch(r"[0-9a-f]{4,32}", text):
        example = next(iter(sorted(stories)), "a1b2c3")[:SHORT]
        raise EditError(f"{short!r} is not an id (ids are the hexadecimal codes the event list shows, e.g. {example})")
    found = [sid for sid in stories if sid.startswith(text)]
    if not found:
        raise EditError(
            f"unknown id {short!r}: no story or event of the week has it (list them: briefing edit --week … --list)"
        )
    if len(found) > 1:
        raise EditError(f"the id {short!r} is ambiguous: {', '.join(sorted(found))}; give more characters")
    return found[0]


def _week_state(p: Pipeline, week: Week) -> tuple[dict[str, Story], list[Cluster], list[Decision]]:
    stories = {s.id: s for s in p.week_stories(week)}
    clusters = [c for c in p.store.load_clusters(str(week)) if c.id in stories]
    if not clusters:
        raise EditError(f"{week}: the week has not been built yet (no events to edit): run it first")
    return stories, clusters, p.store.load_decisions(str(week))


def _weights(p: Pipeline) -> dict[str, float]:
    """The source weights dedup chose representatives by (an event split from its own gets one likewise)."""
    return {s.id: s.weight for s in p.config.sources}


def record(p: Pipeline, week: Week, edits: Sequence[Edit], *, by: str, now: datetime | None = None) -> list[Decision]:
    """Check ``edits`` against the week as its earlier decisions left it, then store them, all or none."""
    from ..classify import load_themes

    if p.store.published(str(week)):
        raise EditError(f"{week} is already published: its edition is final, decisions can no longer change it")
    if not by.strip():
        raise EditError("who decides? (give --by NAME)")
    stories, clusters, earlier = _week_state(p, week)
    themes = [t.id for t in load_themes(p.themes_path)]
    at = now or datetime.now(UTC)
    made: list[Decision] = []
    for e in edits:
        state = apply(clusters, earlier + made, stories, _weights(p))
        made.append(_check(e, stories, state, themes, by.strip(), at))
    p.store.add_decisions(str(week), made)
    return made


def _check(
    e: Edit, stories: Mapping[str, Story], state: Applied, themes: Sequence[str], by: str, at: datetime
) -> Decision:
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


def event_menu(p: Pipeline, week: Week, *, others: int = 30) -> list[str]:
    """The week's events by short id, as Markdown lines: the carried ones in the edition's order (with
    the short ids of their other stories, for a split), then up to ``others`` events not carried."""
    stories, clusters, earlier = _week_state(p, week)
    state = apply(clusters, earlier, stories, _weights(p))
    names = {s.id: s.name for s in p.config.sources}
    selection = p.store.load_selection(str(week))
    carried = [pick.story_id for pick in selection]
    events = {c.id: c for c in state.clusters}
    lines: list[str] = []

    def line(c: Cluster, section: str) -> str:
        rep = stories[c.id]
        title = state.headline.get(c.id) or rep.title
        more = ", ".join(
            f"`{short_id(m)}` {names.get(stories[m].source, stories[m].source)}" for m in c.members[1:] if m in stories
        )
        also = f" · also {more}" if more else ""
        return f"- `{short_id(c.id)}` {section}{title} ({names.get(rep.source, rep.source)}){also}"

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
    shown = repr(value) if d.kind in (*TEXT_KINDS, "note", "watch") else value
    what = " ".join(x for x in (d.kind, target, shown) if x)
    return f"{d.at:%Y-%m-%d %H:%M} {d.by}: {what}"
