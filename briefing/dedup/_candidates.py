"""Which pairs of stories the same-event pass compares: those published within the event window that
share two words of their headlines, or a name, or a rare word of their leads, found through posting
lists walked in time order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING

from ._concepts import CONCEPT
from ._events import EventText, Frequencies, load_frequencies

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["EVENT_WINDOW_HOURS"]

#: reports of one event are looked for among stories published this close together
EVENT_WINDOW_HOURS = 72.0

#: a word carried by more than 200 stories a week says nothing: more than 86 within the event window
#: before a story (the pipeline dedups a week at a time; this keeps that density at any size)
_MAX_POSTING = math.ceil(200 * EVENT_WINDOW_HOURS / (7 * 24))
#: a story proposes pairs through the words of its headline, its names, and this many of its lead's rarest words
_EVENT_PREFIX = 4
#: ...and is compared with at most this many other stories, those that share the most with it
_EVENT_FANOUT = 20
#: ...and with at most this many stories of the other language that share two of its concepts
_CONCEPT_FANOUT = 5
#: a headline word this common in news (its weight, ``events.Frequencies.weight``: carried by more than
#: about one item in eight) proposes no pair: "China", "AI", "new"
_COMMON_WORD = 3.0


def _event_candidates(
    texts: Sequence[EventText | None], times: Sequence[float | None], fanout: int | None = _EVENT_FANOUT
) -> list[tuple[int, int]]:
    """Pairs of stories published within the event window that share two words of their headlines, or a
    name, or a rare word of their leads; and pairs of stories in two languages that share two concepts
    (``_concepts``) that are not ``_COMMON_WORD``.

    Each story is indexed by the words of its headline, its names, its lead's ``_EVENT_PREFIX`` rarest
    words (by their rarity in general news, so the choice depends on the story alone) and its concepts;
    a posting list is walked in time order, and a word carried by more than ``_MAX_POSTING`` stories
    within the window before a story proposes no pair for it. One shared headline word alone ("China",
    "AI") proposes nothing. The pairs that concepts propose are chosen apart, ``_CONCEPT_FANOUT`` a story,
    so that they never crowd out the pairs of one language."""
    freq = load_frequencies()
    n = len(times)
    when, postings = _postings(texts, times, freq)
    # each pair's evidence: the weights of the words it shares, and whether one is a name or a rare lead
    # word (one of those is enough) or only headline words or concepts (two are needed); kept in arrays,
    # since a templated corpus proposes millions of codes
    import numpy as np

    chinese = np.array([t is not None and t.chinese for t in texts], dtype=bool)
    chunks: list[tuple[npt.NDArray[np.int64], float, bool]] = []
    concept_chunks: list[tuple[npt.NDArray[np.int64], float, bool]] = []
    crowded: set[int] = set()
    for word, members in postings.items():
        if len(members) < 2:
            continue
        codes: list[int] = []
        _window_pairs(members, when, EVENT_WINDOW_HOURS * 3600, n, codes, crowded)
        if not codes:
            continue
        found = np.array(codes, dtype=np.int64)
        if word[0] == CONCEPT:  # a concept proposes only pairs of two languages
            concept_chunks.append((found[chinese[found // n] != chinese[found % n]], freq.weight(word), False))
        else:
            lead_word = word.startswith("lead:")
            chunks.append((found, freq.weight(word[5:] if lead_word else word), word[0] == "@" or lead_word))
    chosen = _choose(chunks, n, fanout)
    if concept_chunks:
        chosen = np.union1d(chosen, _choose(concept_chunks, n, None if fanout is None else _CONCEPT_FANOUT))
    return [divmod(int(code), n) for code in chosen]


def _choose(
    chunks: list[tuple[npt.NDArray[np.int64], float, bool]], n: int, fanout: int | None
) -> npt.NDArray[np.int64]:
    """The pairs (codes ``i * n + j``) with enough evidence in ``chunks`` (pairs that share a word, its
    weight, whether it is strong: one strong word is enough, two others are needed), at most ``fanout``
    a story, those with the most evidence."""
    import numpy as np

    if not chunks:
        return np.zeros(0, dtype=np.int64)
    all_codes = np.concatenate([c for c, _, _ in chunks])
    weights = np.concatenate([np.full(len(c), w) for c, w, _ in chunks])
    strong = np.concatenate([np.full(len(c), f) for c, _, f in chunks])
    codes_u, inverse = np.unique(all_codes, return_inverse=True)
    score = np.bincount(inverse, weights=weights)
    is_strong = np.bincount(inverse, weights=strong) > 0
    headline_words = np.bincount(inverse, weights=~strong)
    del all_codes, weights, strong, inverse
    keep = is_strong | (headline_words >= 2)
    codes_u, score = codes_u[keep], score[keep]
    if fanout is None:
        return codes_u
    # a story is compared with at most ``fanout`` others, those with the most evidence, so that a
    # templated corpus (every headline sharing words with hundreds of others) costs no more per story
    ends = np.concatenate((codes_u // n, codes_u % n))
    pair = np.concatenate((np.arange(len(codes_u)), np.arange(len(codes_u))))
    order = np.lexsort((np.concatenate((codes_u, codes_u)), -np.concatenate((score, score)), ends))
    ends, pair = ends[order], pair[order]
    first = np.searchsorted(ends, ends, side="left")  # where each story's run starts
    rank = np.arange(len(ends)) - first
    return codes_u[np.unique(pair[rank < fanout])]


def _postings(
    texts: Sequence[EventText | None], times: Sequence[float | None], freq: Frequencies
) -> tuple[list[float], dict[str, list[int]]]:
    """Each story's time (0 for one with no time or no text), and the posting lists, in time order: the
    stories by each word of their headlines that is not ``_COMMON_WORD``, each of their names, and each of
    their lead's ``_EVENT_PREFIX`` rarest words (as ``lead:word``)."""
    n = len(times)
    timed = sorted((t, i) for i, t in enumerate(times) if t is not None and texts[i] is not None)
    when = [0.0] * n
    for t, i in timed:
        when[i] = t
    postings: dict[str, list[int]] = {}
    for _, i in timed:
        text = texts[i]
        assert text is not None
        lead = sorted(text.lead.keys() - text.headline.keys() - text.names.keys(), key=lambda w: (-freq.weight(w), w))[
            :_EVENT_PREFIX
        ]
        headline = (w for w in text.headline if freq.weight(w) >= _COMMON_WORD)
        concepts = (w for w in text.concepts if freq.weight(w) >= _COMMON_WORD)
        for w in dict.fromkeys(chain(headline, text.names, (f"lead:{w}" for w in lead), concepts)):
            postings.setdefault(w, []).append(i)
    return when, postings


def _window_pairs(
    members: list[int], when: Sequence[float], window: float, n: int, out: list[int], crowded: set[int]
) -> None:
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
