"""The numbers of the week are figures the week's stories state: never a chip's process node (a name),
a figure asked about or a figure denied. The cases are real headlines of the real development set."""

from __future__ import annotations

import pytest

from briefing.records import Item, Story
from briefing.select import numbers_of_the_week


def _item(title: str, summary: str = "", lang: str = "zh") -> Item:
    story = Story(id="a", source="s", url="", title=title, text=summary, lang=lang)  # type: ignore[arg-type]
    return Item(story=story, source_name="O", summary=summary, themes=(), score=1.0)


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("没有EUV光刻机，造不了3nm，国产芯片如何突破？", id="denied-node"),  # 2023-W38
        pytest.param("台积电将获得特斯拉更多DOJO超级计算机订单，D1采用7纳米制程", id="process-node"),
        pytest.param("13 个字母价值 4 万美元？21 岁大学生用 AI 破译千年古卷", id="asked"),  # 2023-W42
        pytest.param("Can a $400 Box Keep Your Packages Safe from Porch Pirates?", id="asked-en"),  # 2023-W44
        pytest.param("Apple did not pay $3 billion for the startup", id="denied-en"),
    ],
)
def test_a_figure_named_asked_about_or_denied_is_no_number_of_the_week(title: str) -> None:
    assert numbers_of_the_week([_item(title)]) == ()


def test_a_stated_figure_beside_a_question_stays() -> None:
    """2023-W36: the question's figure goes; the summary's stated one is the number."""
    item = _item("上市前考虑融资100亿-200亿元？阿里云：不予置评", "有消息称，阿里云考虑融资至多28亿美元。")
    [figure] = numbers_of_the_week([item])
    assert figure.text == "28亿美元"
    [figure] = numbers_of_the_week([_item("Nvidia's revenue hit $13.5 billion, and it was not alone", lang="en")])
    assert figure.text == "$13.5 billion"


def test_a_video_resolution_is_no_computing_power() -> None:
    """2023-W36: "AMD Radeon RX 7800 XT and 7700 XT review: a nudge into the 1440p era" gave 1440p as a
    number of the week, read as 1,440 PFLOPS ("5万P" is Chinese shorthand for PFLOPS; "1080p" is a picture's lines)."""
    from briefing.dedup import quantities

    assert numbers_of_the_week([_item("AMD Radeon RX 7800 XT review: a nudge into the 1440p era", lang="en")]) == ()
    assert quantities("支持1080P录像，算力规模达到5万P") == quantities("算力规模达到5万P") != []


def test_a_figure_in_excerpts_comes_with_its_own_excerpt() -> None:
    """2023-W40: 862万千瓦 came with a whole run of excerpts joined by "……"."""
    summary = (
        "9月29日，廉江核电1号机组核岛浇筑完成，标志着一期工程进入全新阶段……项目规划建设6台机组，总装机容量862万千瓦。"
    )
    [figure] = numbers_of_the_week([_item("广东廉江核电一期工程开工", summary)])
    assert figure.sentence == "项目规划建设6台机组，总装机容量862万千瓦。"
