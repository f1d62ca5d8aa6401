"""Group stories that report the same event into clusters.

Four passes, each close to linear in the number of stories, joined by union-find:

1. exact: the same canonical URL or the same content hash;
2. near duplicates (wire copies, lightly edited reposts) published within ``COPY_WINDOW_DAYS`` of each
   other: MinHash LSH over shingles (word 3-grams for English, character 3-grams for Chinese, after
   NFKC), candidates confirmed by their true Jaccard similarity or containment, so a trimmed copy still
   matches;
3. reports of one event in other words or in the other language, published within
   ``EVENT_WINDOW_HOURS``: ``events.same_event_probability`` weighs what their headlines and leads say
   (words weighted by their rarity in general news, names of the bilingual name dictionary, figures, hours
   apart; a model fitted on hand-labelled real news). Pairs are taken strongest first, and two clusters
   join only when their stories are on average ``LINK`` alike, so that one pair never chains two
   different events together. Whether two stories are one event depends on those two stories alone.

How the cost stays close to linear (about 0.2 ms a story; see benchmarks/perf.py):

- the texts are hashed a chunk of stories at a time with numpy (``_Signer``): words and Chinese
  characters, 3-grams, and each story's one-permutation MinHash (the smallest shingle hash in each of 111
  ranges, empty ranges filled by optimal densification), so that signing costs one pass over the
  shingles instead of one per permutation;
- LSH buckets (37 bands of 3 rows) are found by sorting each band's keys; a pair is compared only when
  its stories were published within the window and agree on ``_MIN_AGREEMENT`` of their MinHash values;
- reports of one event are looked for through posting lists of each story's rarest words, walked in
  time order with a sliding window; a word carried by more than 200 stories a week (``_MAX_POSTING``
  within the window before a story) says nothing and proposes no pair.

A cluster's representative is the best original report: the most authoritative source (source weight),
then a headline that says what happened (not a question), then the first report, then the id.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

from .events import SAME_EVENT, EventText, EventWords, batch_weight, event_words, load_frequencies, same_event_probability, weigh
from .facts import nfkc
from .keywords import KeywordReader
from .records import Cluster, Story
from .text import HAN_RANGES, HAN_RE, is_han
from .urls import canonical_url

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    U64 = npt.NDArray[np.uint64]

__all__ = [
    "CONTAINMENT",
    "COPY_WINDOW_DAYS",
    "EVENT_WINDOW_HOURS",
    "FINGERPRINT_VERSION",
    "JACCARD",
    "LINK",
    "DedupResult",
    "Deduplicator",
    "Fingerprint",
    "dedup",
    "representative",
    "shingles",
]

#: candidates from LSH are merged when their shingle sets are this similar...
JACCARD = 0.5
#: ...or when this share of the smaller story's shingles is in the larger one (a trimmed copy)
CONTAINMENT = 0.7
#: copies and edited reposts are looked for among stories published this close together
COPY_WINDOW_DAYS = 14.0
#: reports of one event are looked for among stories published this close together
EVENT_WINDOW_HOURS = 72.0

# LSH: 37 bands of 3 rows, the banding datasketch picks for a Jaccard threshold of 0.3 and 128
# permutations: a pair at J = 0.5 becomes a candidate with probability 0.993, at 0.3 with 0.64.
_BANDS = 37
_ROWS = 3
_BINS = _BANDS * _ROWS
#: an LSH candidate is compared only if this share of the MinHash values agree (estimated Jaccard 0.15)
_MIN_AGREEMENT = 0.15
_SMALL_BUCKET = 16  # LSH buckets up to this size yield all their pairs; bigger ones are walked in time order
_CHUNK = 2048  # stories signed at a time, which bounds the temporary arrays
_HASH_BITS = 48  # shingle hashes kept per story; the story's index in its chunk takes the top 16 bits
# Hash constants (odd 64-bit numbers), fixed so that hashes and signatures never change from run to run
_BASE = 0x9E3779B97F4A7C15  # of the polynomial hash of words and texts
_CHAR = 0xD6E8FEB86659FD93  # for a Chinese character's hash
_GRAM = (0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3)  # for a 3-gram's or a band's
_SALT = 0xA0761D6478BD642F
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def shingles(text: str) -> set[str]:
    """Word 3-grams of the Latin text and character 3-grams of the Chinese text."""
    norm = unicodedata.normalize("NFKC", text).lower()
    out: set[str] = set()
    cjk = "".join(HAN_RE.findall(norm))
    for i in range(len(cjk) - 2):
        out.add(cjk[i : i + 3])
    words = [w for w in _WORD_RE.findall(HAN_RE.sub(" ", norm))]
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


#: the version of ``Fingerprint``: stored fingerprints of another version are computed again (2: a Chinese
#: character is ``text.HAN_RANGES``, so the 12 compatibility ideographs NFKC keeps count and the Yijing hexagrams do not)
FINGERPRINT_VERSION = 2


@dataclass(frozen=True)
class Fingerprint:
    """What the near-duplicate passes need of a story, kept so that it is never computed twice.

    A deterministic function of the story's title and text (fixed hash constants, no random seed), so a
    fingerprint kept in the store stands for the story in any later run.
    """

    content: int  # the content key (pass 1)
    signable: bool  # three distinct shingles at least (pass 2 compares only those)
    bands: bytes  # the LSH band keys: _BANDS little-endian uint64
    minhash: bytes  # the low 32 bits of the MinHash values: _BINS little-endian uint32


@dataclass(frozen=True)
class DedupResult:
    clusters: list[Cluster]
    fingerprints: dict[str, Fingerprint]  # every story's, given or computed


def dedup(stories: Sequence[Story], weights: Mapping[str, float] | None = None, keywords: KeywordReader | None = None) -> list[Cluster]:
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
          which keeps one story per canonical URL. Only the clusters with a fresh story are returned. The figures and keywords of a story that is not fresh are read only when it was
          published within the event window of a fresh one.

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
    n = len(stories)
    uf = _UnionFind(n)
    times = [s.when.timestamp() if s.when else None for s in stories]
    fresh = [True] * n if fresh_ids is None else [s.id in fresh_ids for s in stories]
    everything = fresh_ids is None
    read = _near_fresh(times, fresh) if not everything else fresh
    words: list[EventWords | None] = []
    signer = _Signer(lambda i: _signer_text(stories[i]))
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
    signer.finish()
    by_content: dict[int, int] = {}
    for i, key in enumerate(signer.content):  # ...or the same words (text.content_hash)
        if key in by_content:
            if fresh[i] or fresh[by_content[key]]:
                uf.union(by_content[key], i)
        else:
            by_content[key] = i

    # pass 2: near duplicates
    pairs = list(signer.candidates(times, COPY_WINDOW_DAYS * 86400, None if everything else fresh))
    signer.hash_known({k for pair in pairs for k in pair})
    for i, j in pairs:
        if uf.find(i) != uf.find(j) and _similar(signer.shingles(i), signer.shingles(j)):
            uf.union(i, j)
    prints = {s.id: f for s, f in zip(stories, signer.fingerprints(), strict=True)}
    del signer

    # pass 3: the same event in other words, or in the other language (``events``)
    weight = load_frequencies().weight if pairwise else batch_weight([w for w in words if w is not None])
    texts = [weigh(w, weight) if w is not None else None for w in words]
    del words  # the vectors hold what the model needs
    _join_events(stories, texts, times, fresh, uf, pairwise)

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(uf.find(i), []).append(i)
    if not everything:  # what an earlier run found stays as it was: only the clusters with a fresh story
        groups = {root: members for root, members in groups.items() if any(fresh[i] for i in members)}
    clusters = []
    for root in sorted(groups):
        members = [stories[i] for i in groups[root]]
        rep = representative(members, weights)
        ordered = [rep.id] + [s.id for s in members if s.id != rep.id]
        clusters.append(Cluster(id=rep.id, members=tuple(ordered)))
    return DedupResult(clusters, prints)


def representative(members: Sequence[Story], weights: Mapping[str, float]) -> Story:
    """The story that stands for a cluster: the best original report, never merely the longest text. The
    most authoritative source (its weight) first; then a headline that says what happened (not a
    question); then the first report; then the id, so the choice is deterministic."""
    return min(members, key=lambda s: _rank_key(s, weights))


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


# --------------------------------------------------------------------------------- near duplicates


class _Signer:
    """Shingle sets, content keys and LSH band keys of stories, computed a chunk of stories at a time.

    A chunk's texts become one array of code points, and the rest is array arithmetic: the words (runs of
    letters and digits that are not Chinese characters) and the Chinese characters; a 64-bit hash of
    every word (a polynomial hash of its code points, mixed) and character; a hash of every 3-gram, kept
    per story as 48-bit values (two different shingles share one with probability 2**-48: the exact
    similarity of two candidates is computed on these); each story's MinHash signature and band keys;
    and its content key, the polynomial hash of its letters and digits in order (64 bits where
    ``text.content_hash`` keeps 256). The shingle sets are those of ``shingles()``, and two stories have
    the same content key when they have the same content hash.
    """

    def __init__(self, texts: Callable[[int], tuple[str, str, bool]] | None = None) -> None:
        import numpy as np

        self._texts = texts  # story i's text as ``add`` takes it, for a story added by its fingerprint
        self._pending: list[tuple[str, str, bool]] = []
        self._pending_known: list[Fingerprint] = []
        self._chunk_starts: list[int] = []  # the index of each chunk's first story
        self._grams: list[U64] = []  # per chunk, every story's 3-gram hashes, story after story...
        self._bounds: list[tuple[int, int, int]] = []  # ...and each story's (chunk, start, end) in it
        self._sets: dict[int, U64] = {}  # shingle sets made from them, for the stories compared
        self._bands: list[U64] = []  # per chunk: (stories, _BANDS) band keys
        self._signatures_kept: list[npt.NDArray[np.uint32]] = []  # per chunk: (stories, _BINS)
        self._signable: list[bool] = []  # three shingles at least, as the LSH pass has always required
        self.content: list[int] = []  # per story: its content key
        self._probe = _probe_table()
        self._powers = self._inverse_powers = np.ones(1, dtype=np.uint64)  # P**i and P**-i, i = 0, 1, ...

    def add(self, title: str, body: str, content_is_body: bool) -> None:
        """Add a story's NFKC, lower-cased title and body; its content key is taken from the body or the title."""
        if self._pending_known:
            self._flush_known()
        self._pending.append((title, body, content_is_body))
        if len(self._pending) == _CHUNK:
            self._flush()

    def add_known(self, fingerprint: Fingerprint) -> None:
        """Add a story by the fingerprint an earlier run made of it."""
        if self._pending:
            self._flush()
        self._pending_known.append(fingerprint)

    def fingerprints(self) -> list[Fingerprint]:
        """Every story's fingerprint, in order, to keep."""
        self.finish()
        out: list[Fingerprint] = []
        for chunk, bands in enumerate(self._bands):
            count = len(bands)
            start = self._chunk_starts[chunk]
            band_bytes = bands.astype("<u8").tobytes()
            minhash_bytes = self._signatures_kept[chunk].astype("<u4").tobytes()
            b, m = _BANDS * 8, _BINS * 4
            out.extend(
                Fingerprint(self.content[start + r], self._signable[start + r], band_bytes[r * b : (r + 1) * b], minhash_bytes[r * m : (r + 1) * m])
                for r in range(count)
            )
        return out

    def _flush_known(self) -> None:
        import numpy as np

        batch, self._pending_known = self._pending_known, []
        if not batch:
            return
        chunk = len(self._grams)
        self._chunk_starts.append(len(self.content))
        self._grams.append(np.zeros(0, dtype=np.uint64))
        self._bounds.extend((chunk, -1, -1) for _ in batch)
        self._bands.append(np.frombuffer(b"".join(f.bands for f in batch), dtype="<u8").astype(np.uint64).reshape(len(batch), _BANDS))
        self._signatures_kept.append(np.frombuffer(b"".join(f.minhash for f in batch), dtype="<u4").astype(np.uint32).reshape(len(batch), _BINS))
        self._signable.extend(f.signable for f in batch)
        self.content.extend(f.content for f in batch)

    def shingles(self, i: int) -> U64:
        """Story ``i``'s shingle set, as sorted 48-bit hashes."""
        import numpy as np

        found = self._sets.get(i)
        if found is None and self._bounds[i][1] < 0:  # added by its fingerprint: hash its text now
            self.hash_known([i])
            found = self._sets[i]
        if found is None:
            chunk, start, end = self._bounds[i]
            found = np.sort(self._grams[chunk][start:end])
            found = found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found
            self._sets[i] = found
        return found

    def hash_known(self, stories: Iterable[int]) -> None:
        """Make the shingle sets of those ``stories`` added by their fingerprints, in one batch."""
        wanted = sorted(i for i in stories if i not in self._sets and self._bounds[i][1] < 0)
        if not wanted:
            return
        if self._texts is None:
            raise ValueError("stories were added by their fingerprints and the signer has no text for them")
        batch = _Signer()
        for i in wanted:
            batch.add(*self._texts(i))
        batch.finish()
        for k, i in enumerate(wanted):
            self._sets[i] = batch.shingles(k)

    def finish(self) -> None:
        self._flush()
        self._flush_known()

    def _flush(self) -> None:
        import numpy as np

        batch, self._pending = self._pending, []
        if not batch:
            return
        count = len(batch)
        self._chunk_starts.append(len(self.content))
        # the chunk's titles and bodies, one after the other, each followed by a newline
        parts = [text for title, body, _ in batch for text in (title, body)]
        cp = np.frombuffer("\n".join(parts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        lengths = np.fromiter(map(len, parts), dtype=np.int32, count=len(parts)) + 1
        part = np.repeat(np.arange(len(parts), dtype=np.int32), lengths)[: len(cp)]
        kind = _char_kinds(cp)
        han = np.flatnonzero(kind & _HAN)  # Chinese characters
        alnum = np.flatnonzero(kind & _ALNUM)  # letters and digits of any script (``[^\W_]``)
        # polynomial hashes: prefix sums of (code point + 1) * P**i over the letters and digits, so that
        # any run of them hashes (prefix[end] - prefix[start]) * P**-start, wherever it is
        prefix = self._prefix_sums(cp[alnum])
        in_word = np.flatnonzero((kind[alnum] & _HAN) == 0)  # the letters and digits of words
        at = alnum[in_word]
        first = np.ones(len(at), dtype=bool)
        first[1:] = at[1:] != at[:-1] + 1  # a word ends where the text has something else
        begin = np.flatnonzero(first)
        starts = in_word[begin]
        ends = in_word[np.append(begin[1:], len(at)) - 1] + 1 if len(at) else starts
        words = _mix64(self._run_hashes(prefix, starts, ends))
        word_story = part[alnum[starts]] >> 1
        chars = _mix64(cp[han].astype(np.uint64) * np.uint64(_CHAR) + np.uint64(_SALT))
        char_story = part[han] >> 1

        grams: list[U64] = []
        owners: list[npt.NDArray[np.int32]] = []
        for tokens, owner in ((chars, char_story), (words, word_story)):
            inside = owner[:-2] == owner[2:]  # a 3-gram never spans two stories
            a, b, c = tokens[:-2][inside], tokens[1:-1][inside], tokens[2:][inside]
            grams.append(_mix3(a, b, c))
            owners.append(owner[:-2][inside])
        # each story's 3-grams, story by story, as 48-bit hashes (repeats included)
        gram_story = np.concatenate(owners).astype(np.uint16 if count <= 2**16 else np.intp)
        order = np.argsort(gram_story, kind="stable")
        values = (np.concatenate(grams) >> np.uint64(64 - _HASH_BITS))[order]
        owner = gram_story[order].astype(np.intp)
        ends = np.cumsum(np.bincount(owner, minlength=count))
        begins = ends - np.bincount(owner, minlength=count)
        chunk = len(self._grams)
        self._grams.append(values)
        self._bounds.extend(zip([chunk] * count, begins.tolist(), ends.tolist(), strict=True))
        signatures, filled = self._signatures(owner, values, count)
        # the LSH pass has always left out stories with fewer than three distinct shingles: three filled
        # bins prove three; a story with fewer is counted exactly
        signable = filled >= 3
        for i in np.flatnonzero(~signable & (ends - begins >= 3)).tolist():
            signable[i] = len(np.unique(values[begins[i] : ends[i]])) >= 3
        self._signable.extend(signable.tolist())
        self._bands.append(self._band_keys(signatures))
        self._signatures_kept.append(signatures.astype(np.uint32))  # the low 32 bits, to count agreements

        # content keys: the letters and digits (Chinese characters too) of the body, or else the title
        bounds = np.searchsorted(part[alnum], np.arange(len(parts) + 1, dtype=np.int32))
        chosen = 2 * np.arange(count) + np.fromiter((is_body for _, _, is_body in batch), dtype=np.intp, count=count)
        self.content.extend(_mix64(self._run_hashes(prefix, bounds[chosen], bounds[chosen + 1])).tolist())

    def _prefix_sums(self, cp: npt.NDArray[np.uint32]) -> U64:
        """0, then the running sums (mod 2**64) of (code point + 1) * P**i."""
        import numpy as np

        self._grow_powers(len(cp) + 1)
        terms = (cp + np.uint32(1)).astype(np.uint64) * self._powers[: len(cp)]
        return np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(terms, dtype=np.uint64)))

    def _run_hashes(self, prefix: U64, starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> U64:
        """The polynomial hash of each run of code points ``[start, end)``: the same for the same text."""
        return (prefix[ends] - prefix[starts]) * self._inverse_powers[starts]

    def _grow_powers(self, length: int) -> None:
        import numpy as np

        if len(self._powers) < length:
            length = max(length, 2 * len(self._powers))
            self._powers = _power_table(np.uint64(_BASE), length)
            self._inverse_powers = _power_table(np.uint64(pow(_BASE, -1, 2**64)), length)

    def _signatures(self, story: npt.NDArray[np.intp], values: U64, count: int) -> tuple[U64, npt.NDArray[np.intp]]:
        """One-permutation MinHash: the smallest hash in each of ``_BINS`` equal ranges, densified; and
        how many ranges each story filled."""
        import numpy as np

        empty = np.uint64(2**64 - 1)
        sig = np.full((count, _BINS), empty, dtype=np.uint64)
        bins = ((values >> np.uint64(_HASH_BITS - 16)) * np.uint64(_BINS)) >> np.uint64(16)
        np.minimum.at(sig.reshape(-1), story * _BINS + bins.astype(np.intp), values)
        filled = np.count_nonzero(sig != empty, axis=1)
        # optimal densification (Shrivastava 2017): an empty bin takes the value of the first non-empty
        # bin along its own fixed probe sequence, which keeps Pr[bins agree] = Jaccard
        rows, cols = np.nonzero((sig == empty) & (filled > 0)[:, None])
        dense = sig.copy()
        step = 0
        while rows.size:
            donor = sig[rows, self._probe[cols, step]]
            ok = donor != empty
            dense[rows[ok], cols[ok]] = donor[ok]
            rows, cols = rows[~ok], cols[~ok]
            step += 1
        return dense, filled

    def _band_keys(self, sig: U64) -> U64:
        rows = sig.reshape(len(sig), _BANDS, _ROWS)
        return _mix3(rows[:, :, 0], rows[:, :, 1], rows[:, :, 2])

    def candidates(self, times: Sequence[float | None], window: float, fresh: Sequence[bool] | None = None) -> Iterator[tuple[int, int]]:
        """Pairs ``(i, j)``, ``i < j``, that share an LSH bucket, agree on ``_MIN_AGREEMENT`` of their
        MinHash values and were published within ``window`` seconds of each other (or have no time), each
        once, in order; with ``fresh``, only the pairs with a fresh story."""
        import numpy as np

        self.finish()
        if not self._bands:
            return
        bands = np.concatenate(self._bands)
        signable = np.flatnonzero(np.array(self._signable, dtype=bool))
        when = np.array([math.nan if t is None else t for t in times], dtype=np.float64)
        is_fresh = np.array(fresh if fresh is not None else [], dtype=bool)
        n = len(times)
        found: list[npt.NDArray[np.int64]] = []
        for band in range(_BANDS):
            keys = bands[signable, band]
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            same = ordered[1:] == ordered[:-1]
            if not same.any():
                continue
            # runs of equal keys (buckets): every pair in a small one, pairs within the window in a big one
            starts = np.flatnonzero(np.concatenate(([True], ~same)))
            lengths = np.diff(np.append(starts, len(ordered)))
            pairs = [np.zeros((0, 2), dtype=np.intp)]
            for length in np.unique(lengths[(lengths > 1) & (lengths <= _SMALL_BUCKET)]).tolist():
                first, second = np.triu_indices(length, 1)
                at = starts[lengths == length][:, None]
                pairs.append(np.stack((order[at + first].ravel(), order[at + second].ravel()), axis=1))
            for start, length in zip(starts[lengths > _SMALL_BUCKET].tolist(), lengths[lengths > _SMALL_BUCKET].tolist(), strict=True):
                pairs.append(_run_pairs(order[start : start + length], signable, when, window))
            both = signable[np.concatenate(pairs)]
            i, j = both.min(axis=1), both.max(axis=1)
            gap = np.abs(when[i] - when[j])
            keep = ~(gap > window)  # NaN (no time) keeps the pair
            if fresh is not None:
                keep &= is_fresh[i] | is_fresh[j]
            found.append(i[keep].astype(np.int64) * n + j[keep])
        if not found:
            return
        codes = np.sort(np.concatenate(found))
        if not codes.size:  # every pair of every bucket was outside the window (issue 11's crash)
            return
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
        # a pair that met in one band by chance agrees on few other MinHash values: drop it unless its
        # estimated Jaccard similarity reaches _MIN_AGREEMENT
        signatures = np.concatenate(self._signatures_kept)
        for part in np.array_split(codes, max(1, len(codes) // 65536)):
            i, j = part // n, part % n
            agree = np.count_nonzero(signatures[i] == signatures[j], axis=1)
            yield from zip(i[agree >= _MIN_AGREEMENT * _BINS].tolist(), j[agree >= _MIN_AGREEMENT * _BINS].tolist(), strict=True)


@cache
def _probe_table() -> npt.NDArray[np.intp]:
    """Each bin's own probe sequence for densification: all the bins, in an order fixed by a hash."""
    import numpy as np

    cells = np.arange(_BINS * _BINS, dtype=np.uint64).reshape(_BINS, _BINS)
    return np.argsort(_mix64(cells + np.uint64(_SALT)), axis=1)


def _run_pairs(members: npt.NDArray[np.intp], signable: npt.NDArray[np.intp], when: npt.NDArray[np.float64], window: float) -> npt.NDArray[np.intp]:
    """All pairs of positions in one LSH bucket whose stories were published within ``window``."""
    import numpy as np

    t = when[signable[members]]
    timed = ~np.isnan(t)
    order = np.argsort(t[timed], kind="stable")
    dated, stamps = members[timed][order].tolist(), t[timed][order].tolist()
    untimed = members[~timed].tolist()
    out: list[tuple[int, int]] = []
    for x, a in enumerate(untimed):  # a story with no time is compared with every other
        out.extend((a, b) for b in untimed[x + 1 :] + dated)
    lo = 0
    for hi, (b, tb) in enumerate(zip(dated, stamps, strict=True)):
        while stamps[lo] < tb - window:
            lo += 1
        out.extend((a, b) for a in dated[lo:hi])
    return np.array(out, dtype=np.intp).reshape(-1, 2)


_ALNUM, _HAN = 1, 2  # bits of a character's kind


@cache
def _kind_table() -> npt.NDArray[np.uint8]:
    """The kind of every code point of the Basic Multilingual Plane (see ``_char_kinds``)."""
    import numpy as np

    table = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=np.uint8)
    for lo, hi in HAN_RANGES:
        if hi <= 0xFFFF:
            table[lo : hi + 1] |= _HAN
    return table


def _char_kinds(cp: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint8]:
    """What each code point is, as bits: _ALNUM for a letter or digit of any script (``[^\\W_]``,
    ``str.isalnum``), _HAN for a Chinese character (``text.HAN_RANGES``)."""
    import numpy as np

    kinds = _kind_table()[np.minimum(cp, 0xFFFF)]
    astral = np.flatnonzero(cp > 0xFFFF)
    if astral.size:
        kinds[astral] = [chr(c).isalnum() | (_HAN if is_han(chr(c)) else 0) for c in cp[astral].tolist()]
    return kinds


def _power_table(base: np.uint64, length: int) -> U64:
    """``base ** i`` (mod 2**64) for i = 0 .. length - 1, doubling the filled part at each step."""
    import numpy as np

    table = np.empty(length, dtype=np.uint64)
    table[0] = 1
    filled = 1
    while filled < length:
        step = min(filled, length - filled)
        table[filled : filled + step] = table[:step] * (table[filled - 1 : filled] * base)  # arrays wrap silently
        filled += step
    return table


def _rotl(x: U64, r: int) -> U64:
    import numpy as np

    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def _mix3(a: U64, b: U64, c: U64) -> U64:
    """One 64-bit hash of three in order (a 3-gram of tokens, a band of three MinHash values)."""
    import numpy as np

    return _mix64(a * np.uint64(_GRAM[0]) + _rotl(b, 21) * np.uint64(_GRAM[1]) + _rotl(c, 42) * np.uint64(_GRAM[2]))


def _mix64(x: U64) -> U64:
    """The splitmix64 finaliser: every output bit depends on every input bit."""
    import numpy as np

    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _similar(a: U64, b: U64) -> bool:
    """Whether two sorted shingle-hash sets are similar enough: Jaccard, or containment of the smaller."""
    import numpy as np

    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return False
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    inter = int(np.count_nonzero(b[at] == a))
    if not inter:
        return False
    return inter / (len(a) + len(b) - inter) >= JACCARD or inter / len(a) >= CONTAINMENT


# ------------------------------------------------------------------------------------------ events

#: a word carried by more than 200 stories a week says nothing: more than 86 within the event window
#: before a story (the pipeline dedups a week at a time; this keeps that density at any size)
_MAX_POSTING = math.ceil(200 * EVENT_WINDOW_HOURS / (7 * 24))
#: a story proposes pairs through the words of its headline, its names, and this many of its lead's rarest words
_EVENT_PREFIX = 4
#: ...and is compared with at most this many other stories, those that share the most with it
_EVENT_FANOUT = 20
#: a headline word this common in news (its weight, ``events.Frequencies.weight``: carried by more than
#: about one item in eight) proposes no pair: "China", "AI", "new"
_COMMON_WORD = 3.0
#: two clusters join only when the average same-event probability of their stories' pairs reaches this:
#: one strong pair is not enough to join two groups that are otherwise about other things (no chains)
LINK = 0.35


def _join_events(
    stories: Sequence[Story], texts: Sequence[EventText | None], times: Sequence[float | None], fresh: Sequence[bool], uf: _UnionFind, pairwise: bool = False
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
            found = cache[key] = same_event_probability(a, b, hours, s.source == t.source and bool(s.source), s.lang != t.lang)
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
    edges.sort()
    members: dict[int, list[int]] = {}
    for k in {x for *_, i, j in edges for x in (i, j)}:
        members.setdefault(uf.find(k), [])
    for k in range(len(stories)):
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


def _event_candidates(texts: Sequence[EventText | None], times: Sequence[float | None], fanout: int | None = _EVENT_FANOUT) -> list[tuple[int, int]]:
    """Pairs of stories published within the event window that share two words of their headlines, or a
    name, or a rare word of their leads.

    Each story is indexed by the words of its headline, its names and its lead's ``_EVENT_PREFIX``
    rarest words (by their rarity in general news, so the choice depends on the story alone); a posting
    list is walked in time order, and a word carried by more than ``_MAX_POSTING`` stories within the
    window before a story proposes no pair for it. One shared headline word alone ("China", "AI") proposes
    nothing."""
    freq = load_frequencies()
    n = len(times)
    timed = sorted((t, i) for i, t in enumerate(times) if t is not None and texts[i] is not None)
    when = [0.0] * n
    for t, i in timed:
        when[i] = t
    postings: dict[str, list[int]] = {}
    for _, i in timed:
        text = texts[i]
        assert text is not None
        lead = sorted(text.lead.keys() - text.headline.keys() - text.names.keys(), key=lambda w: (-freq.weight(w), w))[:_EVENT_PREFIX]
        headline = (w for w in text.headline if freq.weight(w) >= _COMMON_WORD)
        for w in dict.fromkeys(chain(headline, text.names, (f"lead:{w}" for w in lead))):
            postings.setdefault(w, []).append(i)
    # each pair's evidence: the weights of the words it shares, and whether one is a name or a rare lead
    # word (one of those is enough) or only headline words (two are needed); kept in arrays, since a
    # templated corpus proposes millions of codes
    import numpy as np

    chunks: list[tuple[npt.NDArray[np.int64], float, bool]] = []
    crowded: set[int] = set()
    for word, members in postings.items():
        if len(members) < 2:
            continue
        codes: list[int] = []
        _window_pairs(members, when, EVENT_WINDOW_HOURS * 3600, n, codes, crowded)
        if codes:
            lead_word = word.startswith("lead:")
            chunks.append((np.array(codes, dtype=np.int64), freq.weight(word[5:] if lead_word else word), word[0] == "@" or lead_word))
    if not chunks:
        return []
    all_codes = np.concatenate([c for c, _, _ in chunks])
    weights = np.concatenate([np.full(len(c), w) for c, w, _ in chunks])
    strong = np.concatenate([np.full(len(c), f) for c, _, f in chunks])
    del chunks
    codes_u, inverse = np.unique(all_codes, return_inverse=True)
    score = np.bincount(inverse, weights=weights)
    is_strong = np.bincount(inverse, weights=strong) > 0
    headline_words = np.bincount(inverse, weights=~strong)
    del all_codes, weights, strong, inverse
    keep = is_strong | (headline_words >= 2)
    codes_u, score = codes_u[keep], score[keep]
    if fanout is None:
        return [divmod(int(code), n) for code in codes_u]
    # a story is compared with at most _EVENT_FANOUT others, those with the most evidence, so that a
    # templated corpus (every headline sharing words with hundreds of others) costs no more per story
    ends = np.concatenate((codes_u // n, codes_u % n))
    pair = np.concatenate((np.arange(len(codes_u)), np.arange(len(codes_u))))
    order = np.lexsort((np.concatenate((codes_u, codes_u)), -np.concatenate((score, score)), ends))
    ends, pair = ends[order], pair[order]
    first = np.searchsorted(ends, ends, side="left")  # where each story's run starts
    rank = np.arange(len(ends)) - first
    chosen = np.unique(pair[rank < fanout])
    return [divmod(int(code), n) for code in codes_u[chosen]]


def _window_pairs(members: list[int], when: Sequence[float], window: float, n: int, out: list[int], crowded: set[int]) -> None:
    """Append to ``out`` the pairs (as ``i * n + j``, ``i < j``) of stories of one posting list (in time
    order) published within ``window`` of each other.

    A key carried by more than ``_MAX_POSTING`` stories within the window before a story proposes no
    pair for that story with the earlier ones, and the story goes into ``crowded``.
    """
    lo = 0
    for hi, j in enumerate(members):
        t = when[j]
        while when[members[lo]] < t - window:
            lo += 1
        if hi - lo > _MAX_POSTING:
            crowded.add(j)
        else:
            out.extend(i * n + j if i < j else j * n + i for i in members[lo:hi])


def _rank_key(s: Story, weights: Mapping[str, float]) -> tuple[float, bool, float, str]:
    when = s.when.timestamp() if s.when else _EPOCH.timestamp()
    return (-weights.get(s.source, 1.0), _QUESTION_RE.search(s.title) is not None, when, s.id)


_QUESTION_RE = re.compile(r"[?？]\s*$|[?？][”\"」』]?\s*$|吗[？?]?\s*$")
