"""When two stories are copies: their shingle sets, and how alike two of them must be.

``shingles`` is the definition, over text; ``_Signer`` (``_signer``) computes the same sets as hashes,
a chunk of stories at a time, and ``_similar`` compares two of those.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..text import HAN_RE

if TYPE_CHECKING:
    from ._hashing import U64

__all__ = ["CONTAINMENT", "COPY_WINDOW_DAYS", "JACCARD", "shingles"]

#: candidates from LSH are merged when their shingle sets are this similar...
JACCARD = 0.5
#: ...or when this share of the smaller story's shingles is in the larger one (a trimmed copy)
CONTAINMENT = 0.7
#: copies and edited reposts are looked for among stories published this close together
COPY_WINDOW_DAYS = 14.0
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


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


def _similar(a: U64, b: U64, containment: bool = True) -> bool:
    """Whether two sorted shingle-hash sets are similar enough: Jaccard, or containment of the smaller
    (unless not ``containment``)."""
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
    return inter / (len(a) + len(b) - inter) >= JACCARD or (containment and inter / len(a) >= CONTAINMENT)
