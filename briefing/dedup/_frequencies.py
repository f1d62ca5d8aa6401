"""How common each word is in general news: document frequencies counted once over a few thousand real
feed items and shipped with the package (``scripts/build_frequencies.py`` recounts them), which weigh
the words of the same-event model (``_events``) and choose the candidate pairs (``_candidates``).
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["FREQUENCIES", "Frequencies", "load_frequencies"]

FREQUENCIES = Path(__file__).resolve().parent.parent / "data" / "document_frequencies.tsv.gz"


@dataclass(frozen=True)
class Frequencies:
    """How many of ``documents`` news items carried each word; a word never seen is as rare as can be."""

    documents: int
    counts: Mapping[str, int]

    def weight(self, word: str) -> float:
        """Inverse document frequency, ``ln((n + 1) / (df + 1)) + 1``."""
        return math.log((self.documents + 1) / (self.counts.get(word, 0) + 1)) + 1.0


@cache
def load_frequencies(path: Path = FREQUENCIES) -> Frequencies:
    """The shipped document frequencies: a first line ``documents<TAB>N``, then ``word<TAB>df``."""
    counts: dict[str, int] = {}
    documents = 1
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            word, _, df = line.rstrip("\n").rpartition("\t")
            if n == 0:
                documents = int(df)
            else:
                counts[word] = int(df)
    return Frequencies(documents, counts)
