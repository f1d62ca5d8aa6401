"""The bilingual concept list: general news words that a Chinese and an English report of one event share
(``config/concepts.yaml``, ``briefing/dedup/_concepts.py``), and what the same-event pass does with them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.dedup import KeywordReader, dedup, event_text
from briefing.dedup._candidates import _event_candidates
from briefing.dedup._concepts import load_concepts
from briefing.dedup._events import FEATURES, features
from briefing.errors import ConfigError
from briefing.records import Story
from briefing.text import nfkc


@pytest.fixture(scope="module")
def reader() -> KeywordReader:
    return KeywordReader()


def test_a_concept_is_one_token_in_both_languages(reader: KeywordReader) -> None:
    en = reader.concepts(nfkc("Chipmaker signs deal as quarterly earnings drop; founder resigns"))
    zh = reader.concepts(nfkc("芯片厂商签署协议，财报业绩下滑，创始人辞职"))
    assert {"~chip", "~signing", "~agreement", "~earnings", "~decline", "~founder", "~resignation"} <= en & zh
    assert "~launch" in reader.concepts("Apple unveils new laptops") & reader.concepts("苹果发布新款笔记本")
    # whole words: a prefix alias finds its forms and nothing else
    assert "~signing" not in reader.concepts("a significant signal")
    assert "~signing" in reader.concepts("Leaders signed the pact")


def test_the_concept_list_is_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("news:\n  summit: {en: [summit*], zh: [峰会]}\n", encoding="utf-8")
    assert set(load_concepts(good)) == {("summit*", "~summit"), ("峰会", "~summit")}
    for text in (
        "news:\n  war: {en: [war], zh: [战]}\n",  # one Chinese character is part of too many words
        "news:\n  war: {en: [war]}\n",  # a concept has both languages
        "a:\n  war: {en: [war], zh: [战争]}\nb:\n  war: {en: [wars], zh: [战事]}\n",  # ids are unique
        "news:\n  War: {en: [war], zh: [战争]}\n",
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_concepts(bad)
    # every shipped entry passes, and there are hundreds
    assert len({token for _, token in load_concepts()}) >= 250


_EN = ("Chipmaker's quarterly earnings drop as demand slumps", "Profit fell in the third quarter.")
_ZH = ("芯片厂商季度财报业绩下滑 需求萎缩", "该公司第三季度利润下降。")


def test_two_languages_share_concepts_in_the_model(reader: KeywordReader) -> None:
    bridge = FEATURES.index("cross_bridge")
    en, zh = event_text(nfkc(_EN[0]), _EN[1], reader), event_text(nfkc(_ZH[0]), _ZH[1], reader)
    assert features(en, zh, 3.0, False, True)[bridge] > 0.5
    blind = KeywordReader(concepts=())  # without concepts, two languages share nothing here
    en0, zh0 = event_text(nfkc(_EN[0]), _EN[1], blind), event_text(nfkc(_ZH[0]), _ZH[1], blind)
    assert features(en0, zh0, 3.0, False, True)[bridge] == 0.0
    assert features(en, zh, 3.0, False, True)[FEATURES.index("headline")] > 0.0  # concepts are words across


def test_one_language_is_compared_on_its_words_alone(reader: KeywordReader) -> None:
    """Concepts join synonyms of one language too ("drop", "falls"); within a language the words say more,
    so the model's word cosines are what they would be without concepts."""
    a = ("Chipmaker's quarterly earnings drop as demand slumps", "Profit fell in the third quarter.")
    b = ("Chip stocks fall after weak earnings from chipmaker", "Shares dropped on Thursday.")
    blind = KeywordReader(concepts=())
    with_concepts = features(event_text(*a, reader), event_text(*b, reader), 3.0, False, False)
    without = features(event_text(*a, blind), event_text(*b, blind), 3.0, False, False)
    for name in ("headline", "both", "headline_lead"):
        k = FEATURES.index(name)
        assert with_concepts[k] == pytest.approx(without[k], abs=1e-9)
    assert with_concepts[FEATURES.index("cross_bridge")] == 0.0


def test_shared_concepts_propose_pairs_of_two_languages_only(reader: KeywordReader) -> None:
    texts = [
        event_text(nfkc("Astronauts land safely after six-month mission"), "The crew touched down.", reader),
        event_text(nfkc("航天员乘组平安着陆 任务圆满成功"), "返回舱成功着陆。", reader),
        event_text(nfkc("Crew returns to Earth as mission ends"), "The astronauts landed.", reader),
    ]
    times = [0.0, 3600.0, 7200.0]
    pairs = set(_event_candidates(texts, times))
    assert (0, 1) in pairs and (1, 2) in pairs  # English and Chinese, sharing only concepts
    blind = KeywordReader(concepts=())
    texts0 = [event_text(nfkc(t), b, blind) for t, b in (("Astronauts land safely", "x"), ("航天员乘组平安着陆", "y"))]
    assert not _event_candidates(texts0, times[:2])


def test_a_translation_with_no_name_is_joined(reader: KeywordReader) -> None:
    when = datetime(2023, 10, 31, 8, tzinfo=UTC)
    en = Story(
        id="en", source="wire", url="https://example.org/en", lang="en", published=when,
        title="Astronauts land safely after six-month mission aboard the space station",
        summary="The three astronauts touched down in the Gobi desert after a six-month mission.",
    )  # fmt: skip
    zh = Story(
        id="zh", source="daily", url="https://example.org/zh", lang="zh", published=when,
        title="三名航天员结束六个月任务 在空间站返回后平安着陆",
        summary="三名航天员在戈壁着陆场平安着陆，六个月的任务圆满成功。",
    )  # fmt: skip
    clusters = dedup([en, zh])
    assert len(clusters) == 1
