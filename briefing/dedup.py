"""Group stories that report the same event into clusters.

Three passes, each cheap enough for a year of news:

1. exact: the same canonical URL or the same content hash;
2. near duplicates (wire copies, lightly edited reposts): MinHash LSH over shingles (word 3-grams for
   English, character 3-grams for Chinese, after NFKC), candidates confirmed by their true Jaccard
   similarity or containment, so a trimmed copy still matches;
3. union-find over the pairs found gives the clusters.

A cluster's representative is the fullest text from the most authoritative source (source weight,
then text length, then the earliest report, then id), so the choice is deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone

from .records import Cluster, Story
from .text import content_hash, normalise
from .urls import canonical_url

__all__ = ["JACCARD", "CONTAINMENT", "dedup", "shingles"]

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


def _similar(a: set[str], b: set[str]) -> bool:
    inter = len(a & b)
    if not inter:
        return False
    return inter / len(a | b) >= JACCARD or inter / min(len(a), len(b)) >= CONTAINMENT


def _rank_key(s: Story, weights: Mapping[str, float]) -> tuple[float, int, float, str]:
    when = s.when.timestamp() if s.when else _EPOCH.timestamp()
    return (-weights.get(s.source, 1.0), -len(normalise(s.body)), when, s.id)
