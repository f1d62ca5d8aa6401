"""Dedup: what a headline says of the kind of piece keeps pieces apart that share words but not an event:
an explainer and the reports it explains, two issues of one column, two numbered parts of a series, two
teasers that carry one boilerplate standfirst."""

from __future__ import annotations

import itertools

import pytest

from briefing.dedup import KeywordReader, dedup, event_text, same_event_probability
from briefing.dedup._genres import Genre, column, genre, is_explainer, series_part
from briefing.records import Story

from .dedup_stories import story as _story


def _together(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in dedup(stories)}


@pytest.mark.parametrize(
    ("title", "explainer"),
    [
        pytest.param("K5 versus K4: how the new Kestrel laptops compare", True, id="versus"),
        pytest.param("Kestrel K5 vs. Lumen L2 on battery life", True, id="vs"),
        pytest.param("How the new Kestrel laptops compare with last year's", True, id="how-compare"),
        pytest.param("解读 2025 年十大技术趋势", True, id="zh-reading"),
        pytest.param("Explainer: what the chip rules cover", True, id="explainer"),
        pytest.param("Kestrel launches K5 laptop with a faster chip", False, id="report"),
        pytest.param("AI实时解读脑电信号，延迟仅0.3秒", False, id="zh-word-inside"),
    ],
)
def test_an_explainer_is_told_by_its_headline(title: str, explainer: bool) -> None:
    assert is_explainer(title) is explainer


def test_an_explainer_never_joins_the_reports_it_explains() -> None:
    lead = "Kestrel announced the K5 laptop on Monday with its new K5 chip, a larger battery and a brighter screen."
    one = _story("one", "Kestrel unveils K5 laptop with new K5 chip", lead, source="wire")
    two = _story(
        "two",
        "Kestrel's new K5 laptop brings the K5 chip and a brighter screen",
        lead.replace("Monday", "Monday evening"),
        source="desk",
        hours=2,
    )
    versus = _story(
        "vs",
        "K4 versus K5: how the new Kestrel laptops compare",
        "Kestrel announced the K5 laptop on Monday; here is how it compares.",
        source="desk",
        hours=5,
    )
    assert _together([one, two, versus]) == {frozenset({"one", "two"}), frozenset({"vs"})}


def test_two_issues_of_one_column_are_two_pieces() -> None:
    reader = KeywordReader()
    a = event_text(
        "Science briefs: neutrino detectors, a gene-therapy setback",
        "The week in science and policy, in short.",
        reader,
    )
    b = event_text("Science briefs: bird flu, a telescope delay", "The week in science and policy, in short.", reader)
    assert same_event_probability(a, b, 24, True, False) == 0.0
    assert column("Science briefs: bird flu") == frozenset({"p:science briefs"})
    assert column("智谱发布新模型 | 最前线") == frozenset({"s:最前线"})


def test_one_column_label_in_two_outlets_is_no_column() -> None:
    first = genre("Briefing: Kestrel unveils K5 laptop")
    second = genre("Briefing: Kestrel K5 laptop unveiled")
    assert first.apart(second, same_source=True, same_headline=False)
    assert not first.apart(second, same_source=False, same_headline=False)
    assert not first.apart(first, same_source=True, same_headline=True)


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [
        pytest.param(
            "评论员文章：坚定信心稳增长——经济观察③", "评论员文章：扩大开放促发展——经济观察④", True, id="circled"
        ),
        pytest.param(
            "Chip supply chains, part 2: the tools", "Chip supply chains, part 3: the materials", True, id="part"
        ),
        pytest.param("芯片产业链（一）：设备", "芯片产业链（一）：设备", False, id="same-part"),
        pytest.param("芯片产业链（一）：设备", "能源转型（二）：电网", False, id="other-series"),
    ],
)
def test_numbered_parts_of_one_series_are_other_pieces(first: str, second: str, apart: bool) -> None:
    assert genre(first).apart(genre(second), same_source=False, same_headline=first == second) is apart
    assert series_part("经济观察③") == ("经济观察", "③")
    assert Genre().apart(Genre(), same_source=True, same_headline=False) is False


def test_teasers_with_one_boilerplate_standfirst_are_not_copies() -> None:
    boiler = "Welcome to the Morning Dispatch, the day's political news in brief."
    a = _story("a", "Ministers clash over port tariffs", boiler, source="paper")
    b = _story("b", "Rail strike halts northern freight", boiler, source="paper", hours=24)
    again = _story("c", "Ministers clash over port tariffs", boiler, source="paper", hours=1)
    assert _together([a, b, again]) == {frozenset({"a", "c"}), frozenset({"b"})}


def test_one_real_lead_under_two_headlines_is_one_story() -> None:
    lead = "With a free library card and the right app, readers can borrow e-books and audiobooks from a local branch."
    a = _story("a", "Borrow library e-books on your phone", lead, source="paper")
    b = _story("b", "How to use a library card for audiobooks and e-books", lead, source="paper", hours=1)
    assert _together([a, b]) == {frozenset({"a", "b"})}


def test_executive_order_is_one_word_in_both_languages() -> None:
    reader = KeywordReader()
    en = reader.read("White House signs executive order on chip exports", "")
    zh = reader.read("白宫签署芯片出口行政命令", "")
    assert "@executive-order" in en.neutral
    assert "@executive-order" in zh.neutral


def test_stories_with_one_text_cluster_alike_in_any_order() -> None:
    """A standfirst is a copy only under the same headline, whichever story comes first (found by the
    order property: a story without a body once joined both teasers, or one of them, by the order)."""
    a = _story("a", "Kestrel K5 tops chip charts", "Sign up for our daily newsletter.", source="paper")
    b = _story("b", "Port strike halts freight", "Sign up for our daily newsletter.", source="paper", hours=1)
    bare = _story("c", "Sign up for our daily newsletter.", "", source="paper", hours=2)
    partitions = {frozenset(_together(list(order))) for order in itertools.permutations([a, b, bare])}
    assert len(partitions) == 1
    assert frozenset({"a", "b"}) not in next(iter(partitions))
