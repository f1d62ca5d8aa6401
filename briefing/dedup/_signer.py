"""The near-duplicate pass's hashing of stories: shingle sets, content keys, MinHash signatures, LSH
band keys and the candidate pairs they propose, a chunk of stories at a time (``_Signer``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..records import Fingerprint
from ._hashing import (
    _ALNUM,
    _BANDS,
    _BASE,
    _BINS,
    _CHAR,
    _HAN,
    _HASH_BITS,
    _ROWS,
    _SALT,
    _char_kinds,
    _mix3,
    _mix64,
    _power_table,
    _probe_table,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ._hashing import U64

#: an LSH candidate is compared only if this share of the MinHash values agree (estimated Jaccard 0.15)
_MIN_AGREEMENT = 0.15
_SMALL_BUCKET = 16  # LSH buckets up to this size yield all their pairs; bigger ones are walked in time order
_CHUNK = 2048  # stories signed at a time, which bounds the temporary arrays


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
                Fingerprint(
                    self.content[start + r],
                    self._signable[start + r],
                    band_bytes[r * b : (r + 1) * b],
                    minhash_bytes[r * m : (r + 1) * m],
                )
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
        self._bands.append(
            np.frombuffer(b"".join(f.bands for f in batch), dtype="<u8").astype(np.uint64).reshape(len(batch), _BANDS)
        )
        self._signatures_kept.append(
            np.frombuffer(b"".join(f.minhash for f in batch), dtype="<u4").astype(np.uint32).reshape(len(batch), _BINS)
        )
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
        values, owner = _story_grams(((chars, char_story), (words, word_story)), count)
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

    def candidates(
        self, times: Sequence[float | None], window: float, fresh: Sequence[bool] | None = None
    ) -> Iterator[tuple[int, int]]:
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
            for start, length in zip(
                starts[lengths > _SMALL_BUCKET].tolist(), lengths[lengths > _SMALL_BUCKET].tolist(), strict=True
            ):
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
            yield from zip(
                i[agree >= _MIN_AGREEMENT * _BINS].tolist(), j[agree >= _MIN_AGREEMENT * _BINS].tolist(), strict=True
            )


def _story_grams(runs: tuple[tuple[U64, npt.NDArray[np.int32]], ...], count: int) -> tuple[U64, npt.NDArray[np.intp]]:
    """The 3-grams of each run of tokens (Chinese characters, words: their hashes and their stories), and
    the story of each 3-gram: each story's 3-grams, story by story, as 48-bit hashes (repeats included)."""
    import numpy as np

    grams: list[U64] = []
    owners: list[npt.NDArray[np.int32]] = []
    for tokens, owner in runs:
        inside = owner[:-2] == owner[2:]  # a 3-gram never spans two stories
        a, b, c = tokens[:-2][inside], tokens[1:-1][inside], tokens[2:][inside]
        grams.append(_mix3(a, b, c))
        owners.append(owner[:-2][inside])
    gram_story = np.concatenate(owners).astype(np.uint16 if count <= 2**16 else np.intp)
    order = np.argsort(gram_story, kind="stable")
    values = (np.concatenate(grams) >> np.uint64(64 - _HASH_BITS))[order]
    return values, gram_story[order].astype(np.intp)


def _run_pairs(
    members: npt.NDArray[np.intp], signable: npt.NDArray[np.intp], when: npt.NDArray[np.float64], window: float
) -> npt.NDArray[np.intp]:
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
