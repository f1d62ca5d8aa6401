"""The dedup's short cuts read what the plain rules would: a text's reading put together from its parts
(``_scan.joined``), a name finder that remembers the words it has looked up, the candidate pairs of
all posting lists made at once in arrays (``_candidates._window_codes``), and a story's headline-and-lead
counts added without ``Counter`` (``_events._twice_and``)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.dedup import _candidates, _keywords
from briefing.dedup._candidates import EVENT_WINDOW_HOURS, _window_codes
from briefing.dedup._events import _twice_and
from briefing.dedup._keywords import KeywordReader
from briefing.dedup._scan import joined, scan, tokens

# Latin letters and digits, Chinese characters, the Greek capital and small sigmas (whose small form
# depends on the next letter), a curly apostrophe, spaces and a line break
text = st.text(alphabet="aZ9 -’\nΣσς中文字", max_size=12)


@settings(max_examples=400, deadline=None)
@given(text, text)
def test_two_texts_read_apart_and_joined_are_read_as_one(first: str, second: str) -> None:
    assert joined(scan(first), scan(second)) == scan(first + second)
    assert joined(scan(first), scan(second), "\n") == scan(f"{first}\n{second}")


def test_a_word_or_a_run_across_the_join_is_one() -> None:
    whole = joined(scan("Huawei Ma"), scan("te 60 发布新"), "")
    assert whole.words == ["huawei", "mate", "60"] and "ma" not in whole.tokens
    han = joined(scan("中芯国"), scan("际发布"))
    assert han.runs == ["中芯国际发布"] and "国际" in han.pairs
    with pytest.raises(ValueError, match="line break"):
        joined(scan("a"), scan("b"), " ")


def test_a_plural_and_its_singular_are_one_word() -> None:
    """W35: "OpenAI introduces ChatGPT Enterprise for businesses" and "OpenAI Launches Business Version of
    ChatGPT" shared no "business": a plural's "es" was cut to "e" ("businesse", "launche")."""
    assert tokens("Launches businesses, batteries and taxes") == tokens("launch business battery tax")
    assert tokens("chips news class gas processes") == ["chip", "new", "class", "gas", "process"]


def test_a_finder_that_forgets_what_it_looked_up_finds_the_same() -> None:
    texts = ["Leaders signed the pact", "a significant signal", "Chipmaker signs deal; founder resigns"]
    remembering = [KeywordReader().concepts(t) for t in texts * 2]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_keywords, "_SEEN_LIMIT", 1)  # forgets at every other text
        forgetting = KeywordReader(concepts=_keywords.load_concepts())
        assert [forgetting.concepts(t) for t in texts * 2] == remembering
        assert len(forgetting._concepts._seen) <= 1 + max(len(scan(t).tokens) for t in texts)


def _rule(lists: list[list[int]], when: list[float], n: int, side: list[bool] | None) -> tuple[list[int], list[int]]:
    """The pairs of each posting list by the rule: each story with the earlier ones published within the
    window before it, unless more than ``_MAX_POSTING`` were (with ``side``, only those of the other side)."""
    window = EVENT_WINDOW_HOURS * 3600
    codes, counts = [], []
    for members in lists:
        before = len(codes)
        for hi, j in enumerate(members):
            lo = next(k for k, i in enumerate(members) if when[i] >= when[j] - window)
            if hi - lo <= _candidates._MAX_POSTING:
                codes.extend(min(i, j) * n + max(i, j) for i in members[lo:hi] if side is None or side[i] != side[j])
        counts.append(len(codes) - before)
    return codes, counts


@st.composite
def postings(draw: st.DrawFn) -> tuple[list[list[int]], list[float], list[bool]]:
    n = draw(st.integers(min_value=2, max_value=25))
    # hours, so that some stories are exactly the window apart
    when = [3600.0 * draw(st.sampled_from([0, 1, 24, 48, 71, 72, 73, 96, 144, 145])) for _ in range(n)]
    order = sorted(range(n), key=lambda i: (when[i], i))
    lists = [
        [i for i in order if i in chosen]
        for chosen in draw(st.lists(st.sets(st.integers(0, n - 1), min_size=2), min_size=1, max_size=6))
    ]
    return lists, when, draw(st.lists(st.booleans(), min_size=n, max_size=n))


@settings(max_examples=200, deadline=None)
@given(postings(), st.booleans())
def test_the_pairs_of_posting_lists_are_those_of_the_rule(
    case: tuple[list[list[int]], list[float], list[bool]], sides: bool
) -> None:
    import numpy as np

    lists, when, side = case
    n = len(when)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_candidates, "_MAX_POSTING", 3)  # so that small lists are crowded too
        codes, counts = _window_codes(lists, np.array(when), n, np.array(side) if sides else None)
        assert (codes.tolist(), counts.tolist()) == _rule(lists, when, n, side if sides else None)


counts = st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=-1, max_value=3), max_size=8)


@settings(max_examples=200, deadline=None)
@given(counts, counts)
def test_a_headline_twice_and_its_lead_count_as_counters_add_them(head: dict[str, int], lead: dict[str, int]) -> None:
    expected = Counter(head) + Counter(head) + Counter(lead)
    assert list(_twice_and(head, lead).items()) == list(expected.items())  # the same counts in the same order
