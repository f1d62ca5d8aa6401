"""How the clusters form: union-find over the stories, and the same-event pass that joins reports of
one event, strongest pair first, two clusters only when their stories are on average alike.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from ..records import Story
from ._candidates import _EVENT_FANOUT, _event_candidates
from ._events import SAME_EVENT, EventText, same_event_probability

__all__ = ["LINK"]

#: two clusters join only when the average same-event probability of their stories' pairs reaches this:
#: one strong pair is not enough to join two groups that are otherwise about other things (no chains)
LINK = 0.35


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _join_within(
    members: Sequence[int], times: Sequence[float | None], fresh: Sequence[bool], window: float, uf: _UnionFind
) -> None:
    """Join the pairs of ``members`` (stories one rule calls alike at any distance) that were published
    within ``window`` seconds of each other (or that have no time) and hold a fresh story: the rule then
    depends on the pair alone, so that the store's index, which compares a new story only with those
    within the window, finds every pair whatever the order of the weeks. Linear in the members: a fresh
    story's partners are a run of them in time order, and a run is joined link by link, each link once."""
    untimed = [i for i in members if times[i] is None]
    fresh_ones = [i for i in members if fresh[i]]
    if untimed and fresh_ones:  # no time: alike to every member
        if any(fresh[i] for i in untimed):
            fresh_ones = list(members)
        for i in (*untimed, *fresh_ones):
            uf.union(fresh_ones[0], i)
    timed = sorted((t, i) for i in members if (t := times[i]) is not None)
    stamps = [t for t, _ in timed]
    reach = 0  # the links of positions below this are joined
    for p, (t, i) in enumerate(timed):
        if not fresh[i]:
            continue
        lo, hi = bisect_left(stamps, t - window), bisect_right(stamps, t + window) - 1
        while lo > 0 and t - stamps[lo - 1] <= window:  # the pair's own gap decides, as in ``abs(a - b)``
            lo -= 1
        while lo < p and t - stamps[lo] > window:
            lo += 1
        while hi + 1 < len(stamps) and stamps[hi + 1] - t <= window:
            hi += 1
        while hi > p and stamps[hi] - t > window:
            hi -= 1
        for k in range(max(lo, reach), hi):
            uf.union(timed[k][1], timed[k + 1][1])
        reach = max(reach, hi)


def _join_events(
    stories: Sequence[Story],
    texts: Sequence[EventText | None],
    times: Sequence[float | None],
    fresh: Sequence[bool],
    uf: _UnionFind,
    pairwise: bool = False,
) -> None:
    """Join the stories that ``events.same_event_probability`` calls one event, strongest pair first,
    and two clusters only when their stories are, on average, ``LINK`` alike (average linkage); or,
    ``pairwise``, every pair the model joins (connected stories: independent of the order)."""
    cache: dict[tuple[int, int], float] = {}

    def probability(i: int, j: int) -> float | None:
        a, b = texts[i], texts[j]
        if a is None or b is None:
            return None
        key = (i, j) if i < j else (j, i)
        found = cache.get(key)
        if found is None:
            ti, tj = times[i], times[j]
            hours = abs(ti - tj) / 3600 if ti is not None and tj is not None else 0.0
            s, t = stories[i], stories[j]
            found = cache[key] = same_event_probability(
                a, b, hours, s.source == t.source and bool(s.source), s.lang != t.lang
            )
        return found

    edges: list[tuple[float, str, str, int, int]] = []  # strongest first, ties by the stories' ids, not their order
    for i, j in _event_candidates(texts, times, fanout=None if pairwise else _EVENT_FANOUT):
        if (fresh[i] or fresh[j]) and uf.find(i) != uf.find(j):
            p = probability(i, j)
            if p is not None and p >= SAME_EVENT:
                first, second = sorted((stories[i].id, stories[j].id))
                edges.append((-p, first, second, i, j))
    if not edges:
        return
    if pairwise:
        for *_, i, j in edges:
            uf.union(uf.find(i), uf.find(j))
        return
    _average_linkage(sorted(edges), len(stories), uf, cache)


def _average_linkage(
    edges: Sequence[tuple[float, str, str, int, int]], count: int, uf: _UnionFind, cache: dict[tuple[int, int], float]
) -> None:
    """Join two clusters along the ``edges`` (strongest first) only when their stories are, on average,
    ``LINK`` alike (the scores in ``cache``)."""
    members: dict[int, list[int]] = {}
    for k in {x for *_, i, j in edges for x in (i, j)}:
        members.setdefault(uf.find(k), [])
    for k in range(count):
        root = uf.find(k)
        if root in members:
            members[root].append(k)
    for *_, i, j in edges:
        a, b = uf.find(i), uf.find(j)
        if a == b:
            continue
        # unscored pairs (never proposed: they share no rare word) count as 0
        total = sum(cache.get((u, v) if u < v else (v, u), 0.0) for u in members[a] for v in members[b])
        if total < LINK * len(members[a]) * len(members[b]):
            continue
        uf.union(a, b)
        root = uf.find(a)
        merged = members.pop(a) + members.pop(b)
        members[root] = merged
