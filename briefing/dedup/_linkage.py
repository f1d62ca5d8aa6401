"""How the clusters form: union-find over the stories, and the same-event pass that joins reports of
one event, strongest pair first, two clusters only when their stories are on average alike.
"""

from __future__ import annotations

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
