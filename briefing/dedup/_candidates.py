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
from ._events import EventText, Weights
from ._frequencies import Frequencies, load_frequencies

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
#: a headline word this common in news (its weight, ``_frequencies.Frequencies.weight``: carried by more than
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

    stamps = np.array(when, dtype=np.float64)
    words = [(w, m) for w, m in postings.items() if len(m) > 1 and w[0] != CONCEPT]
    codes, counts = _window_codes([m for _, m in words], stamps, n)
    weights = [freq.weight(w[5:] if w.startswith("lead:") else w) for w, _ in words]
    strong = [w[0] == "@" or w.startswith("lead:") for w, _ in words]
    chosen = _choose(codes, np.repeat(weights, counts), np.repeat(np.array(strong, dtype=bool), counts), n, fanout)
    concepts = [(w, m) for w, m in postings.items() if len(m) > 1 and w[0] == CONCEPT]
    if concepts:  # a concept proposes only pairs of two languages
        chinese = np.array([t is not None and t.chinese for t in texts], dtype=bool)
        codes, counts = _window_codes([m for _, m in concepts], stamps, n, chinese)
        weights = [freq.weight(w) for w, _ in concepts]
        no = np.zeros(len(codes), dtype=bool)
        fewer = None if fanout is None else _CONCEPT_FANOUT
        chosen = np.union1d(chosen, _choose(codes, np.repeat(weights, counts), no, n, fewer))
    return [divmod(int(code), n) for code in chosen]


def _choose(
    all_codes: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    strong: npt.NDArray[np.bool_],
    n: int,
    fanout: int | None,
) -> npt.NDArray[np.int64]:
    """The pairs (codes ``i * n + j``) with enough evidence: ``all_codes`` a pair for each word its two
    stories share, with the word's weight and whether it is ``strong`` (one strong word is enough, two
    others are needed); at most ``fanout`` a story, those with the most evidence."""
    import numpy as np

    if not len(all_codes):
        return np.zeros(0, dtype=np.int64)
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
    weight = Weights(freq)  # each word weighed once: the stories share most of their words
    for _, i in timed:
        text = texts[i]
        assert text is not None
        lead = sorted(text.lead.keys() - text.headline.keys() - text.names.keys(), key=lambda w: (-weight[w], w))[
            :_EVENT_PREFIX
        ]
        headline = (w for w in text.headline if weight[w] >= _COMMON_WORD)
        concepts = (w for w in text.concepts if weight[w] >= _COMMON_WORD)
        for w in dict.fromkeys(chain(headline, text.names, (f"lead:{w}" for w in lead), concepts)):
            postings.setdefault(w, []).append(i)
    return when, postings


def _window_codes(
    lists: Sequence[list[int]],
    when: npt.NDArray[np.float64],
    n: int,
    side: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The pairs (codes ``i * n + j``, ``i < j``) of stories of each posting list (in time order) published
    within the event window of each other, list by list, each story with the earlier ones in order; and
    how many pairs each list gave. With ``side`` (a flag per story), only pairs of stories whose flags
    differ.

    A key carried by more than ``_MAX_POSTING`` stories within the window before a story proposes no
    pair for that story with the earlier ones. All lists are walked at once in arrays.
    """
    import numpy as np

    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(sizes.sum()))
    group = np.repeat(np.arange(len(lists), dtype=np.int64), sizes)
    stamps = when[flat]
    # where each story's window opens in its list: the first member published no earlier than the window
    # before it. Times are replaced by their ranks, exactly, so that one search over (list, rank) finds it.
    distinct = np.unique(stamps)
    width = len(distinct) + 1
    keys = group * width + np.searchsorted(distinct, stamps)
    opens = np.searchsorted(keys, group * width + np.searchsorted(distinct, stamps - EVENT_WINDOW_HOURS * 3600))
    here = np.arange(len(flat), dtype=np.int64)
    crowded = here - opens > _MAX_POSTING
    if side is None:  # the partners of a story: the members before it in its window
        pool, first, last = here, opens, here
    else:  # ...those of the other side
        flags = side[flat]
        a, b = np.flatnonzero(~flags), np.flatnonzero(flags)
        pool = np.concatenate((a, b))
        first = np.where(flags, np.searchsorted(a, opens), len(a) + np.searchsorted(b, opens))
        last = np.where(flags, np.searchsorted(a, here), len(a) + np.searchsorted(b, here))
    count = np.where(crowded, 0, last - first)
    total = int(count.sum())
    at = np.repeat(first - (np.cumsum(count) - count), count)
    at += np.arange(total, dtype=np.int64)
    i, j = flat[pool[at]], np.repeat(flat, count)
    del at
    codes = np.minimum(i, j) * n + np.maximum(i, j)
    return codes, np.bincount(group, weights=count, minlength=len(lists)).astype(np.int64)
