"""The hash arithmetic of the near-duplicate pass, over numpy arrays: the kind of each code point, the
polynomial hash of a run of code points, the mixing of 64-bit hashes, and the MinHash layout (bins and
LSH bands) with the probe sequences of its densification.

The constants are fixed, so that hashes, signatures and stored fingerprints never change from run to
run (``records.FINGERPRINT_VERSION`` counts the changes of this arithmetic).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ..text import HAN_RANGES, is_han

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    U64 = npt.NDArray[np.uint64]


# LSH: 37 bands of 3 rows, the banding datasketch picks for a Jaccard threshold of 0.3 and 128
# permutations: a pair at J = 0.5 becomes a candidate with probability 0.993, at 0.3 with 0.64.
_BANDS = 37
_ROWS = 3
_BINS = _BANDS * _ROWS
_HASH_BITS = 48  # shingle hashes kept per story; the story's index in its chunk takes the top 16 bits
# Hash constants (odd 64-bit numbers), fixed so that hashes and signatures never change from run to run
_BASE = 0x9E3779B97F4A7C15  # of the polynomial hash of words and texts
_CHAR = 0xD6E8FEB86659FD93  # for a Chinese character's hash
_GRAM = (0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3)  # for a 3-gram's or a band's
_SALT = 0xA0761D6478BD642F


@cache
def _probe_table() -> npt.NDArray[np.intp]:
    """Each bin's own probe sequence for densification: all the bins, in an order fixed by a hash."""
    import numpy as np

    cells = np.arange(_BINS * _BINS, dtype=np.uint64).reshape(_BINS, _BINS)
    return np.argsort(_mix64(cells + np.uint64(_SALT)), axis=1)


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
