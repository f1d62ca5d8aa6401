"""The dedup of a batch of stories: ``Deduplicator.run`` and its passes in order, and the choice of a
cluster's representative.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from ..records import Cluster, Fingerprint, Story
from ..text import nfkc
from ..urls import canonical_url
from ._candidates import EVENT_WINDOW_HOURS
from ._copies import COPY_WINDOW_DAYS, _similar
from ._events import EventWords, batch_weight, event_words, tokens, weigh
from ._frequencies import load_frequencies
from ._genres import STANDFIRST_CHARS, Headed, is_digest, is_preview, standfirst_copies, standfirst_key
from ._keywords import KeywordReader
from ._linkage import _join_events, _join_within, _UnionFind
from ._signer import _Signer

__all__ = ["DedupResult", "Deduplicator", "dedup", "representative"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DedupResult:
    clusters: list[Cluster]
    fingerprints: dict[str, Fingerprint]  # every story's, given or computed


def dedup(
    stories: Sequence[Story], weights: Mapping[str, float] | None = None, keywords: KeywordReader | None = None
) -> list[Cluster]:
    """Cluster ``stories``; every story is in exactly one cluster. Clusters come in input order.

    ``weights`` are the source weights that choose a cluster's representative; ``keywords`` reads the
    stories' keywords with a name dictionary (by default ``config/names.yaml``)."""
    return Deduplicator(weights, keywords).run(stories).clusters


class Deduplicator:
    """Dedup with one set of source weights and one name dictionary; ``run`` as often as needed."""

    def __init__(self, weights: Mapping[str, float] | None = None, keywords: KeywordReader | None = None) -> None:
        self.weights = dict(weights or {})
        self.reader = keywords or KeywordReader()

    def run(
        self,
        stories: Sequence[Story],
        *,
        fingerprints: Mapping[str, Fingerprint] | None = None,
        fresh: Collection[str] | None = None,
        joined: Mapping[str, str] | None = None,
        pairwise: bool = False,
    ) -> DedupResult:
        """Cluster ``stories``.

        - ``fingerprints``: stories' fingerprints from an earlier run, used instead of hashing their texts
          again (the result is the same);
        - ``fresh``: only pairs with at least one of these stories are compared; how the others relate is
          given by ``joined`` (story id -> a label shared by the stories of one cluster), as an earlier
          run found it. URLs are compared among the fresh stories only: the others come from a store,
          which keeps one story per canonical URL. Only the clusters with a fresh story are returned.
          The figures and keywords of a story that is not fresh are read only when it was published
          within the event window of a fresh one.

        - ``pairwise``: whether two stories are one event depends on those two stories alone (words weighed
          by their rarity in general news, not in the batch; every candidate pair compared; clusters are
          the connected stories), so that a store-wide index built week by week, in any order of weeks,
          holds the same clusters. A week's own clusters use the batch (its common words, average linkage).

        For the fastest runs, put the stories with fingerprints first.
        """
        with _collector_paused():
            return _dedup(stories, self.weights, self.reader, fingerprints or {}, fresh, joined or {}, pairwise)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. Dedup makes millions of small objects and no reference
    cycles; left on, the collector would walk every one of them again and again (a sixth of the time
    at 100,000 stories). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _dedup(
    stories: Sequence[Story],
    weights: Mapping[str, float],
    reader: KeywordReader,
    given: Mapping[str, Fingerprint],
    fresh_ids: Collection[str] | None,
    joined: Mapping[str, str],
    pairwise: bool = False,
) -> DedupResult:
    """The passes in order, joining stories in one union-find: what an earlier run joined, the same URL or
    the same words, near duplicates, reports of one event."""
    n = len(stories)
    uf = _UnionFind(n)
    times = [s.when.timestamp() if s.when else None for s in stories]
    fresh = [True] * n if fresh_ids is None else [s.id in fresh_ids for s in stories]
    everything = fresh_ids is None
    read = _near_fresh(times, fresh) if not everything else fresh
    signer = _Signer(lambda i: _signer_text(stories[i]))
    words = _read(stories, reader, given, joined, fresh, read, uf, signer)
    signer.finish()
    _same_content(stories, signer.content, times, fresh, uf)

    # pass 2: near duplicates
    pairs = list(signer.candidates(times, COPY_WINDOW_DAYS * 86400, None if everything else fresh))
    signer.hash_known({k for pair in pairs for k in pair})
    roundup = [is_digest(nfkc(s.title)) for s in stories]
    for i, j in pairs:
        # a roundup holds many reports whole: holding one does not make it that report's copy
        whole = not (roundup[i] or roundup[j])
        if uf.find(i) == uf.find(j) or not _similar(signer.shingles(i), signer.shingles(j), whole):
            continue
        if _copies(stories[i], stories[j]):
            uf.union(i, j)
    prints = {s.id: f for s, f in zip(stories, signer.fingerprints(), strict=True)}
    del signer

    # pass 3: the same event in other words, or in the other language (``events``)
    weight = load_frequencies().weight if pairwise else batch_weight([w for w in words if w is not None])
    texts = [weigh(w, weight) if w is not None else None for w in words]
    del words  # the vectors hold what the model needs
    _join_events(stories, texts, times, fresh, uf, pairwise)
    return DedupResult(_clusters(stories, uf, None if everything else fresh, weights), prints)


def _read(
    stories: Sequence[Story],
    reader: KeywordReader,
    given: Mapping[str, Fingerprint],
    joined: Mapping[str, str],
    fresh: Sequence[bool],
    read: Sequence[bool],
    uf: _UnionFind,
    signer: _Signer,
) -> list[EventWords | None]:
    """Passes 0 and 1 (what an earlier run joined; the same canonical URL) as the stories are read; each
    story's text added to ``signer`` (or its fingerprint, when ``given``), and the words of those ``read``
    for the same-event pass."""
    words: list[EventWords | None] = []
    by_url: dict[str, int] = {}
    first_of: dict[str, int] = {}  # pass 0: what an earlier run joined
    for i, s in enumerate(stories):
        if (label := joined.get(s.id)) is not None:
            uf.union(first_of.setdefault(label, i), i)
        if s.url and fresh[i]:  # pass 1: the same canonical URL (a store keeps one story per URL)...
            url = canonical_url(s.url)
            if url in by_url:
                uf.union(by_url[url], i)
            else:
                by_url[url] = i
        if (known := given.get(s.id)) is not None:
            signer.add_known(known)
        if known is None or read[i]:
            title = nfkc(s.title)
            body = nfkc(s.body) if s.body else ""
            low_title = title.lower()
            if known is None:
                signer.add(low_title, body.lower(), bool(s.body))
        words.append(event_words(title, body, reader) if read[i] else None)
    return words


def _same_content(
    stories: Sequence[Story],
    content: Sequence[int],
    times: Sequence[float | None],
    fresh: Sequence[bool],
    uf: _UnionFind,
) -> None:
    """Pass 1, continued: stories with the same content key (the same words, ``text.content_hash``); when
    those words are a standfirst, only those with the same headline words too (``genres.standfirst_key``).
    Like copies, only within ``COPY_WINDOW_DAYS`` of each other (``_linkage._join_within``)."""
    groups: dict[int, list[int]] = {}
    for i, key in enumerate(content):  # ...or the same words (text.content_hash)
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        by_head: dict[frozenset[str] | None, list[int]] = {}
        for i in members:
            s = stories[i]
            head = standfirst_key(nfkc(s.title), nfkc((s.body or "")[:STANDFIRST_CHARS]), tokens)
            by_head.setdefault(head, []).append(i)
        for alike in by_head.values():
            if len(alike) > 1:
                _join_within(alike, times, fresh, COPY_WINDOW_DAYS * 86400, uf)


def _copies(a: Story, b: Story) -> bool:
    """Whether two stories whose texts are alike are copies (``genres.standfirst_copies``)."""
    first = Headed(nfkc(a.title), nfkc((a.body or "")[:STANDFIRST_CHARS]))
    return standfirst_copies(first, Headed(nfkc(b.title), nfkc((b.body or "")[:STANDFIRST_CHARS])), tokens)


def _clusters(
    stories: Sequence[Story], uf: _UnionFind, fresh: Sequence[bool] | None, weights: Mapping[str, float]
) -> list[Cluster]:
    """The clusters of the union-find, in input order, each led by its representative; with ``fresh``,
    only those with a fresh story (what an earlier run found stays as it was)."""
    groups: dict[int, list[int]] = {}
    for i in range(len(stories)):
        groups.setdefault(uf.find(i), []).append(i)
    if fresh is not None:  # what an earlier run found stays as it was: only the clusters with a fresh story
        groups = {root: members for root, members in groups.items() if any(fresh[i] for i in members)}
    clusters = []
    for root in sorted(groups):
        members = [stories[i] for i in groups[root]]
        rep = representative(members, weights)
        ordered = [rep.id] + [s.id for s in members if s.id != rep.id]
        clusters.append(Cluster(id=rep.id, members=tuple(ordered)))
    return clusters


def representative(members: Sequence[Story], weights: Mapping[str, float]) -> Story:
    """The story that stands for a cluster: the best original report, never merely the longest text. A
    report of the event, not a roundup that mentions it (``_genres.is_digest``); then a report of what
    happened, not a preview, a service piece or a schedule (``_genres.is_preview``: "How to watch …",
    "将于…发射"); then the most authoritative source (its weight); then a headline that says what
    happened (not a question); then the first report; then the id, so the choice is deterministic."""
    return min(members, key=lambda s: _rank_key(s, weights))


def ranked(members: Sequence[Story], weights: Mapping[str, float]) -> list[Story]:
    """A cluster's stories in the order ``representative`` prefers them: the representative first, then
    the story it would take were the representative gone, and so on (whatever the input order)."""
    return sorted(members, key=lambda s: _rank_key(s, weights))


def _signer_text(s: Story) -> tuple[str, str, bool]:
    return nfkc(s.title).lower(), (nfkc(s.body) if s.body else "").lower(), bool(s.body)


def _near_fresh(times: Sequence[float | None], fresh: Sequence[bool]) -> list[bool]:
    """Which stories can meet a fresh one in the rewrite passes: the fresh ones, those with no time, and
    those published within the event window of one."""
    stamps = sorted(t for t, f in zip(times, fresh, strict=True) if f and t is not None)
    window = EVENT_WINDOW_HOURS * 3600
    out = []
    for t, f in zip(times, fresh, strict=True):
        if f or t is None:
            out.append(True)
            continue
        k = bisect_left(stamps, t)
        out.append((k < len(stamps) and stamps[k] - t <= window) or (k > 0 and t - stamps[k - 1] <= window))
    return out


def _rank_key(s: Story, weights: Mapping[str, float]) -> tuple[bool, bool, float, bool, float, str]:
    when = s.when.timestamp() if s.when else _EPOCH.timestamp()
    title = nfkc(s.title)
    question = _QUESTION_RE.search(title) is not None
    return (is_digest(title), is_preview(title), -weights.get(s.source, 1.0), question, when, s.id)


_QUESTION_RE = re.compile(r"[?？]\s*$|[?？][”\"」』]?\s*$|吗[？?]?\s*$")
