"""Dedup: copies, edits and rewrites of one event cluster together; different events never merge."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from briefing.dedup import KeywordReader, dedup, event_text, quantities, same_event_probability
from briefing.records import Story
from briefing.week import week_of

from .dedup_stories import story as _story
from .demo_gold import Gold, demo_gold


def _pairs_by_week() -> list[tuple[Gold, Gold, bool]]:
    weeks: dict[str, list[Gold]] = defaultdict(list)
    for g in demo_gold():
        assert g.story.published is not None
        weeks[str(week_of(g.story.published, "Asia/Shanghai"))].append(g)
    out = []
    for golds in weeks.values():
        clusters = dedup([g.story for g in golds], {"harbour-tech-wire": 1.3})
        cluster_of = {m: c.id for c in clusters for m in c.members}
        for a, b in itertools.combinations(golds, 2):
            out.append((a, b, cluster_of[a.story.id] == cluster_of[b.story.id]))
    return out


@pytest.fixture(scope="module")
def demo_pairs() -> list[tuple[Gold, Gold, bool]]:
    return _pairs_by_week()


def test_no_false_merges_on_the_demo_web(demo_pairs: list[tuple[Gold, Gold, bool]]) -> None:
    false = [(a.story.id, b.story.id) for a, b, same in demo_pairs if same and a.event != b.event]
    assert false == []


def test_every_copy_and_edit_is_found(demo_pairs: list[tuple[Gold, Gold, bool]]) -> None:
    missed = [
        (a.story.id, b.story.id)
        for a, b, same in demo_pairs
        if a.event == b.event and not same and {a.kind, b.kind} & {"copy", "edit"} and a.story.lang == b.story.lang
    ]
    assert missed == []


def test_most_rewrites_are_found(demo_pairs: list[tuple[Gold, Gold, bool]]) -> None:
    rewrites = [(a, b, same) for a, b, same in demo_pairs if a.event == b.event and "rewrite" in {a.kind, b.kind}]
    found = sum(same for _, _, same in rewrites)
    assert len(rewrites) >= 10
    assert found / len(rewrites) >= 0.8, f"{found} of {len(rewrites)} rewrite pairs found"


def test_representative_is_the_fullest_text_of_the_most_authoritative_source() -> None:
    text = (
        "The Ningxia hub passed 50,000 PFLOPS of intelligent computing capacity on Tuesday, with 18 data centres "
        "running. "
        * 3
    )
    wire = _story("wire", "Ningxia hub passes 50,000 PFLOPS", text, source="wire")
    copy = _story(
        "copy",
        "Ningxia hub tops 50,000 PFLOPS",
        "YINCHUAN, Nov 17 (Wire) -- " + text + " (Editing by A. Editor)",
        source="blog",
        hours=2,
    )
    [cluster] = dedup([copy, wire], {"wire": 2.0, "blog": 1.0})
    assert cluster.id == "wire"
    assert cluster.members == ("wire", "copy")


def test_every_story_is_in_exactly_one_cluster_in_input_order() -> None:
    topics = [
        "quantum link",
        "grid battery",
        "lithography tool",
        "model prices",
        "space probe",
        "cloud region",
        "nuclear unit",
        "memory fab",
        "robot maker",
        "export rule",
    ]
    stories = [
        _story(
            f"s{i}",
            f"{topic.title()} news",
            f"Today's report concerns the {topic} alone, nothing else at all.",
            hours=i,
        )
        for i, topic in enumerate(topics)
    ]
    clusters = dedup(stories)
    assert [c.id for c in clusters] == [s.id for s in stories]
    assert sorted(m for c in clusters for m in c.members) == sorted(s.id for s in stories)


def test_same_company_different_results_stay_apart() -> None:
    q2 = _story(
        "q2",
        "SMIC second-quarter revenue rises",
        "SMIC reported revenue of US$2.2 billion for the second quarter, up 16%, with gross margin of 20.4% and "
        "utilisation of 92%.",
    )
    q3 = _story(
        "q3",
        "SMIC third-quarter revenue rises",
        "SMIC reported revenue of US$2.5 billion for the third quarter, up 19%, with gross margin of 22.1% and "
        "utilisation of 94%.",
        hours=30,
    )
    assert [c.members for c in dedup([q2, q3])] == [("q2",), ("q3",)]


def test_reports_whose_headlines_state_one_figure_join_whatever_else_they_count() -> None:
    """A funding round's report and its follow-up: each gives figures of its own (an earlier round,
    the valuation, the staff), but both headlines state the round's figure, which is the news."""
    first = _story(
        "first",
        "Zhipu AI raises 2.5 billion yuan this year",
        "Zhipu AI said it has raised 2.5 billion yuan this year. It was valued at 10 billion yuan in its last round, "
        "has 800 staff and sold 30 million yuan of licences.",
        source="one",
    )
    follow_up = _story(
        "follow-up",
        "Zhipu AI's 2.5 billion yuan round: what it raises the money for",
        "The 2.5 billion yuan Zhipu AI raised goes to its models. Its earlier round brought 400 million yuan, "
        "its rival raised 1.2 billion yuan and 6 million users try its chatbot.",
        source="two",
        hours=3,
    )
    assert [c.members for c in dedup([first, follow_up])] == [("first", "follow-up")]


def test_english_and_chinese_reports_of_one_event_join_by_their_figures() -> None:
    en = _story(
        "en", "UHV line enters service", "A ±800 kV line able to carry 8 GW over 2,080 km entered service on Friday."
    )
    zh = _story(
        "zh", "特高压工程投运", "±800千伏特高压直流工程投运，输电能力800万千瓦，全长2080公里。", lang="zh", hours=3
    )
    assert [c.members for c in dedup([en, zh])] == [("en", "zh")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("50,000 PFLOPS", ("FLOPS", 5e19), id="pflops"),
        pytest.param("5万PFLOPS", ("FLOPS", 5e19), id="wan-pflops"),
        pytest.param("8 GW", ("W", 8e9), id="gw"),
        pytest.param("800万千瓦", ("W", 8e9), id="wan-kilowatt"),
        pytest.param("30万亿", ("", 3e13), id="wan-yi-count"),
        pytest.param("US$5.2 billion", ("USD", 5.2e9), id="dollars"),
        pytest.param("52亿美元", ("USD", 5.2e9), id="yi-dollars"),
        pytest.param("912 TWh", ("Wh", 9.12e14), id="twh"),
        pytest.param("65%", ("%", 65.0), id="percent"),
    ],
)
def test_figures_are_normalised_across_languages(text: str, expected: tuple[str, float]) -> None:
    [q] = quantities(text)
    assert q.key == expected


def test_a_shared_figure_alone_never_makes_one_event() -> None:
    """Two unrelated stories that share "70%" and "3nm" (a phone chip review and an analysis of a laptop
    chip, the real false merge of issue 11) are not one event; the same headline told twice is."""
    reader = KeywordReader()
    a = event_text(
        "Snapdragon X Elite hands-on: 70% faster on 4nm",
        "The new laptop chip runs 70% faster than rivals on a 3nm-class node.",
        reader,
    )
    b = event_text(
        "Why Apple's M3 matters for the Mac", "Apple moved to 3nm, and the M3 is 70% quicker in some tests.", reader
    )
    assert same_event_probability(a, b, 2, False, False) < 0.4
    assert same_event_probability(a, a, 2, False, False) > 0.9


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            "San'ao unit 1 connected to the grid", "San'ao unit 1 enters commercial operation", id="grid-vs-commercial"
        ),
        pytest.param("三澳核电1号机组首次并网发电", "三澳核电1号机组投入商业运行", id="zh-grid-vs-commercial"),
        pytest.param("Kimi K3 released with open weights", "Kimi K3 API prices cut by half", id="release-vs-price-cut"),
        pytest.param(
            "SMIC third-quarter results beat forecasts",
            "SMIC expansion in Lingang adds capacity",
            id="results-vs-expansion",
        ),
        pytest.param("天舟九号完成全系统合练", "天舟九号发射窗口确定", id="zh-rehearsal-vs-launch"),
        pytest.param(
            "Tianzhou-9 crew completes full-system rehearsal",
            "Tianzhou-9 launches from Wenchang",
            id="rehearsal-vs-launch",
        ),
    ],
)
def test_another_milestone_of_the_same_subject_is_another_event(first: str, second: str) -> None:
    a = _story(
        "a", first, "The 1,210 MW unit reached this step on Monday, the operator said in a statement to the exchange."
    )
    b = _story(
        "b",
        second,
        "Engineers marked the step with the 1,210 MW unit after weeks of tests, according to the company.",
        hours=20,
    )
    assert [c.members for c in dedup([a, b])] == [("a",), ("b",)]


# ------------------------------------------------------------- pass 4: other words, other languages

_BACKGROUND = [  # a week's other news, so that rarity means something
    (
        "Tencent opens liquid-cooled data centre in Qingyuan",
        "Tencent said the Qingyuan site runs AI training halls with a PUE of 1.15.",
    ),
    ("State Grid starts UHV line to Shandong", "The line will carry wind and solar power east from Gansu."),
    ("Zhipu cuts GLM API prices", "Zhipu said developers will pay less for its coding models from Monday."),
    ("CATL begins sodium-ion battery deliveries", "CATL said carmakers in Anhui will get the first packs."),
    (
        "USTC team reports quantum processor result",
        "The University of Science and Technology of China team published in a journal.",
    ),
    ("Baidu releases new ERNIE model for agents", "Baidu said the model can plan tasks over several apps."),
    ("Hua Hong starts Wuxi fab phase two", "The 12-inch line in Wuxi makes power chips."),
    ("NEA reports October power consumption", "Power consumption rose as factories picked up in October."),
]


def _week_with(*stories: Story) -> list[Story]:
    background = [_story(f"bg{i}", t, b, source="bg", hours=-30 + 7 * i) for i, (t, b) in enumerate(_BACKGROUND)]
    return background + list(stories)


def _cluster_of(stories: list[Story]) -> dict[str, str]:
    return {m: c.id for c in dedup(stories) for m in c.members}


def test_a_rewrite_without_shared_figures_or_headline_words_joins_by_its_rare_words() -> None:
    original = _story(
        "a",
        "China opens anti-dumping probe into US analog chips",
        "The Ministry of Commerce said it would investigate interface chips and gate drivers made by Texas Instruments "
        "and other US firms, "
        "which it said were sold in China below normal value and hurt domestic analog chipmakers.",
        source="wire",
    )
    rewrite = _story(
        "b",
        "Beijing targets American analogue chipmakers with dumping investigation",
        "Commerce officials will examine whether gate drivers and interface chips from Texas Instruments and its "
        "American rivals were dumped, "
        "a move that domestic analog chipmakers had sought for a year.",
        source="post",
        hours=8,
    )
    of = _cluster_of(_week_with(original, rewrite))
    assert of["a"] == of["b"]


def test_a_translation_joins_by_names_from_the_bilingual_dictionary() -> None:
    en = _story(
        "en",
        "LandSpace lands Zhuque-3 booster in first Chinese orbital rocket recovery",
        "LandSpace said the first stage of its Zhuque-3 rocket landed on a pad in the Gobi desert minutes after "
        "launch, "
        "the first recovery of an orbital booster by a Chinese company. The stainless-steel stage could fly again next "
        "year.",
        source="wire",
    )
    zh = _story(
        "zh", "朱雀三号一子级成功回收",
        "蓝箭航天宣布，朱雀三号遥二运载火箭一子级在完成飞行任务后，成功降落在戈壁着陆场，这是我国商业航天首次实现轨道级火箭回收。"
        "公司表示，这枚不锈钢箭体检测后有望复用。",
        source="zh-wire", lang="zh", hours=1,
    )
    of = _cluster_of(_week_with(en, zh))
    assert of["en"] == of["zh"]


def test_headlines_naming_other_companies_or_places_stay_apart() -> None:
    # formulaic headlines that share most words: the organisations and places in them tell them apart
    stories = [
        _story(
            "a",
            "China Telecom opens liquid-cooled computing hub in Lanzhou",
            "China Telecom said the Lanzhou hub adds capacity for AI training.",
            source="one",
        ),
        _story(
            "b",
            "Sugon opens liquid-cooled computing hub in Shenzhen",
            "Sugon said its Shenzhen hub will rent capacity to model makers.",
            source="two",
            hours=3,
        ),
        _story(
            "c",
            "Sugon opens liquid-cooled computing hub in Urumqi",
            "The Urumqi hub, built by Sugon, serves customers in Xinjiang.",
            source="three",
            hours=5,
        ),
    ]
    of = _cluster_of(_week_with(*stories))
    assert len({of["a"], of["b"], of["c"]}) == 3


def test_headlines_with_different_figures_in_one_unit_stay_apart() -> None:
    a = _story(
        "a",
        "JD Cloud completes grid battery project, 88.3 billion yuan",
        "JD Cloud said the grid battery project was complete.",
        source="one",
    )
    b = _story(
        "b",
        "JD Cloud: 126.6 billion yuan grid battery project completed",
        "JD Cloud said its grid battery project was complete.",
        source="two",
        hours=2,
    )
    of = _cluster_of(_week_with(a, b))
    assert of["a"] != of["b"]


# ----------------------------------------------------------------- fingerprints and fresh stories


def _labelled_corpus(n: int) -> list[Story]:
    from benchmarks.corpus import corpus

    return [x.story for x in corpus(n, seed=3, per_week=1000)]


def test_fingerprints_stand_for_the_texts() -> None:
    from briefing.dedup import Deduplicator

    stories = _labelled_corpus(1500)
    first = Deduplicator().run(stories)
    again = Deduplicator().run(stories, fingerprints=first.fingerprints)
    assert again.clusters == first.clusters
    assert again.fingerprints == first.fingerprints
    half = dict(list(first.fingerprints.items())[:700])  # some known, some hashed again
    assert Deduplicator().run(stories, fingerprints=half).clusters == first.clusters


def test_fresh_stories_meet_what_an_earlier_run_found() -> None:
    from briefing.dedup import Deduplicator

    stories = _labelled_corpus(1500)
    whole = Deduplicator().run(stories)
    cut = len(stories) * 2 // 3
    earlier = Deduplicator().run(stories[:cut])
    label = {m: c.id for c in earlier.clusters for m in c.members}
    later = Deduplicator().run(
        stories, fingerprints=earlier.fingerprints, fresh={s.id for s in stories[cut:]}, joined=label
    )
    as_sets = lambda clusters: {frozenset(c.members) for c in clusters}  # noqa: E731
    touched = {m for c in later.clusters for m in c.members}  # a run with fresh stories gives their clusters
    after = as_sets(later.clusters) | {g for g in as_sets(earlier.clusters) if not g & touched}
    assert set().union(*after) == {s.id for s in stories}
    same = as_sets(whole.clusters) & after
    # pass 4 weighs words by their rarity in the run, so a rewrite may differ; copies and edits never
    assert len(same) / len(as_sets(whole.clusters)) > 0.98
    of = {m: c.id for c in later.clusters for m in c.members} | {
        m: c.id for c in earlier.clusters for m in c.members if m not in touched
    }
    whole_of = {m: c.id for c in whole.clusters for m in c.members}
    for s in stories:  # every story near the cut that the whole run joined by its text is joined again
        for other in (x for x in stories if whole_of[x.id] == whole_of[s.id]):
            if _similar_texts(s, other):
                assert of[s.id] == of[other.id], (s.title, other.title)


def _similar_texts(a: Story, b: Story) -> bool:
    from briefing.dedup import JACCARD, shingles

    sa, sb = shingles(f"{a.title}\n{a.body}"), shingles(f"{b.title}\n{b.body}")
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= JACCARD
