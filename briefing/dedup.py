"""Group stories that report the same event into clusters.

Three passes, each cheap enough for a year of news, joined by union-find:

1. exact: the same canonical URL or the same content hash;
2. near duplicates (wire copies, lightly edited reposts): MinHash LSH over shingles (word 3-grams for
   English, character 3-grams for Chinese, after NFKC), candidates confirmed by their true Jaccard
   similarity or containment, so a trimmed copy still matches;
3. rewrites (the same event in other words, or in the other language): stories published within three
   days that report the same figures ("50,000 PFLOPS" = "5万PFLOPS", see ``facts``) or carry closely
   similar headlines. Figures also hold the line between one event and another about the same company:
   two stories that each report several figures but share few of them are different news.

A cluster's representative is the fullest text from the most authoritative source (source weight,
then text length, then the earliest report, then id), so the choice is deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone

from .facts import quantities
from .records import Cluster, Story
from .text import content_hash, normalise
from .urls import canonical_url

__all__ = ["CONTAINMENT", "EVENT_WINDOW_HOURS", "JACCARD", "dedup", "same_event", "shingles"]

NUM_PERM = 128
#: candidates from LSH are merged when their shingle sets are this similar...
JACCARD = 0.5
#: ...or when this share of the smaller story's shingles is in the larger one (a trimmed copy)
CONTAINMENT = 0.7
_LSH_THRESHOLD = 0.3
_CJK_CHAR_RE = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def shingles(text: str) -> set[str]:
    """Word 3-grams of the Latin text and character 3-grams of the Chinese text."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out: set[str] = set()
    cjk = "".join(_CJK_CHAR_RE.findall(norm))
    for i in range(len(cjk) - 2):
        out.add(cjk[i : i + 3])
    words = [w for w in _WORD_RE.findall(_CJK_CHAR_RE.sub(" ", norm))]
    for i in range(len(words) - 2):
        out.add(" ".join(words[i : i + 3]))
    if not out:
        out.update(words or ([cjk] if cjk else []))
    return out


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


def dedup(stories: Sequence[Story], weights: Mapping[str, float] | None = None) -> list[Cluster]:
    """Cluster ``stories``; every story is in exactly one cluster. Clusters come in input order."""
    from datasketch import MinHash, MinHashLSH

    weights = weights or {}
    uf = _UnionFind(len(stories))
    by_key: dict[str, int] = {}
    for i, s in enumerate(stories):
        for key in (f"url:{canonical_url(s.url)}" if s.url else "", f"hash:{content_hash(s.title, s.body)}"):
            if not key:
                continue
            if key in by_key:
                uf.union(by_key[key], i)
            else:
                by_key[key] = i

    sets = [shingles(f"{s.title}\n{s.body}") for s in stories]
    lsh = MinHashLSH(threshold=_LSH_THRESHOLD, num_perm=NUM_PERM)
    for i, shingle_set in enumerate(sets):
        if len(shingle_set) < 3:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=7)
        m.update_batch([x.encode("utf-8") for x in shingle_set])
        for j in lsh.query(m):
            if _similar(sets[i], sets[int(j)]):
                uf.union(i, int(j))
        lsh.insert(str(i), m)

    for i, j in _same_events(stories):
        uf.union(i, j)

    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(uf.find(i), []).append(i)
    clusters = []
    for root in sorted(groups):
        members = [stories[i] for i in groups[root]]
        rep = min(members, key=lambda s: _rank_key(s, weights))
        ordered = [rep.id] + [s.id for s in members if s.id != rep.id]
        clusters.append(Cluster(id=rep.id, members=tuple(ordered)))
    return clusters


#: rewrites are looked for among stories published this close together
EVENT_WINDOW_HOURS = 72.0
_STOP = frozenset("a an the of to in on for and or with by from at as is are was were be its it new after over into than more says said".split())
_LATIN_RE = re.compile(r"[a-z0-9]+")
_MAX_POSTING = 200  # a figure or title word shared by more stories than this says nothing


def _title_tokens(title: str) -> frozenset[str]:
    norm = unicodedata.normalize("NFKC", title).lower()
    cjk = "".join(_CJK_CHAR_RE.findall(norm))
    tokens = {cjk[i : i + 2] for i in range(len(cjk) - 1)}
    tokens.update(w for w in _LATIN_RE.findall(_CJK_CHAR_RE.sub(" ", norm)) if w not in _STOP)
    return frozenset(tokens)


def _figures(s: Story) -> frozenset[tuple[str, float]]:
    return frozenset(("%" if q.unit == "%" else "", q.key[1]) for q in quantities(f"{s.title}\n{s.body}"))


def same_event(fa: frozenset[tuple[str, float]], fb: frozenset[tuple[str, float]], ta: frozenset[str], tb: frozenset[str]) -> bool:
    """Whether two stories published close together report the same event, by figures and headline."""
    shared = len(fa & fb)
    smaller = min(len(fa), len(fb))
    ratio = shared / smaller if smaller else 0.0
    if smaller >= 3 and ratio < 0.34:
        return False  # both report several figures, mostly different ones: different news
    title = len(ta & tb) / len(ta | tb) if ta and tb else 0.0
    return (shared >= 3 and ratio >= 0.5) or (shared >= 2 and ratio >= 0.75) or (title >= 0.3 and (ratio >= 0.34 or smaller < 2))


def _same_events(stories: Sequence[Story]) -> list[tuple[int, int]]:
    figures = [_figures(s) for s in stories]
    titles = [_title_tokens(s.title) for s in stories]
    times = [s.when.timestamp() if s.when else None for s in stories]
    postings: dict[object, list[int]] = {}
    for i in range(len(stories)):
        for key in figures[i]:
            postings.setdefault(("f", key), []).append(i)
        for tok in titles[i]:
            postings.setdefault(("t", tok), []).append(i)
    candidates: set[tuple[int, int]] = set()
    window = EVENT_WINDOW_HOURS * 3600
    for members in postings.values():
        if len(members) < 2 or len(members) > _MAX_POSTING:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                ti, tj = times[i], times[j]
                if ti is not None and tj is not None and abs(ti - tj) <= window:
                    candidates.add((i, j))
    return sorted((i, j) for i, j in candidates if same_event(figures[i], figures[j], titles[i], titles[j]))


def _similar(a: set[str], b: set[str]) -> bool:
    inter = len(a & b)
    if not inter:
        return False
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


def _rank_key(s: Story, weights: Mapping[str, float]) -> tuple[float, int, float, str]:
    when = s.when.timestamp() if s.when else _EPOCH.timestamp()
    return (-weights.get(s.source, 1.0), -len(normalise(s.body)), when, s.id)
