"""Summaries are the story's own news: two or three sentences, never a byline, a credit, an editor's note,
a caption, a keyword line or a promotion. The cases are real openings of the real development set."""

from __future__ import annotations

import pytest

from briefing.records import Story
from briefing.select import summarise


def _story(text: str, lang: str = "zh") -> Story:
    return Story(id="x", source="s", url="", title="t", text=text, lang=lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang", "starts"),
    [
        pytest.param(
            "文 | 周鑫雨\n编辑 | 邓咏仪\n2023年10月17日，百度在世界大会上对AI成果做了全面的复盘。\n"
            "李彦宏 图源：百度\n他宣布文心大模型更新到4.0版本。",
            "zh",
            "2023年10月17日",
            id="byline-and-editor",
        ),
        pytest.param(
            "作者｜邓咏仪编辑｜苏建勋\n36氪获悉，百川智能已完成A1轮3亿美元战略融资。",
            "zh",
            "36氪获悉",
            id="credits-on-one-line",
        ),
        pytest.param(  # 2023-W37, 腾讯新闻 (棱镜): a contributing author's credit
            "特约作者｜苏沪 编辑｜陈弗也 出品｜棱镜·腾讯小满工作室。如何评价张勇执掌阿里巴巴权柄的四年时光？\n"
            "9月10日，张勇卸任阿里巴巴集团董事会主席兼首席执行官。",
            "zh",
            "9月10日",
            id="contributing-author",
        ),
        pytest.param(  # 2023-W38, 腾讯新闻: the outlet's byline run into the first sentence
            "腾讯科技 文/吴彬。北京时间9月22日，iPhone 15系列在经过一周的预售后正式开售。",
            "zh",
            "北京时间9月22日",
            id="outlet-byline",
        ),
        pytest.param(
            "图片来源：环球音乐官网\n2023年10月18日，环球音乐集团起诉Anthropic。",
            "zh",
            "2023年10月18日",
            id="image-credit",
        ),
        pytest.param(
            "神译局是36氪旗下编译团队，关注科技、商业、职场、生活等领域。\n编者按：这篇文章有一个一致的主题：信念。\n"
            "OpenAI 在招人的时候刻意选择了持有这种信念的人。",
            "zh",
            "OpenAI 在招人",
            id="promotion-and-editors-note",
        ),
        pytest.param(
            "编者注：\n关键词：大模型，融资\n智谱AI完成超25亿人民币融资。",
            "zh",
            "智谱AI完成",
            id="empty-note-and-keywords",
        ),
        pytest.param(
            "作者：王福重\n来源：整理自中信出版社\n三分钟热度的本质\n很多时候，我们会面临的一种情况是想法太多。",
            "zh",
            "很多时候",
            id="heading-skipped",
        ),
        pytest.param(
            "The 24-inch iMac is back with a refresh. | Image: Apple\nApple's first prime-time launch kicked off with "
            "the M3.",
            "en",
            "Apple's first",
            id="caption-line",
        ),
        pytest.param(
            "By Jane Doe\nThe regulator fined the company on Monday.", "en", "The regulator", id="english-byline"
        ),
        pytest.param(  # The Verge's feeds: the picture's credit, run into the text (2023-W37, W38, W41, W42-W44)
            "Illustration by Alex Castro / The Verge President Joe Biden signed an executive order on AI.",
            "en",
            "President Joe Biden",
            id="image-credit-run-in",
        ),
        pytest.param(
            "The $999 Pixel 8 Pro takes good photos. | Photo by Eddie Costas / The Verge Google's phones are on sale.",
            "en",
            "Google's phones",
            id="caption-and-credit",
        ),
        pytest.param(
            "Photo by Jakub Porzycki / NurPhoto via Getty Images Stability AI launched a text-to-audio platform.",
            "en",
            "Stability AI launched",
            id="agency-credit",
        ),
        pytest.param(
            "Screenshot from Vincent Zhong's iPhone 15 Pro review. An Apple executive said the phone runs cool.",
            "en",
            "An Apple executive",
            id="caption-sentence",
        ),
        pytest.param(  # 2023-W36, 腾讯新闻: the source and the author before the news, in one paragraph
            "本文来源：时代财经 作者：徐晓倩。两天前，张勇出现在杭州西子湖畔，接过了亚运会火炬。",
            "zh",
            "两天前",
            id="source-and-author-run-in",
        ),
        pytest.param(  # 2023-W36, Engadget: a photo illustration's credit, capitalised
            "Photo Illustration by Sheldon Cooper / SOPA Images / LightRocket via Getty Images Microsoft is telling "
            "customers it will defend them.",
            "en",
            "Microsoft is telling",
            id="photo-illustration-credit",
        ),
    ],
)
def test_the_summary_is_the_news(text: str, lang: str, starts: str) -> None:
    assert summarise(_story(text, lang)).startswith(starts)


def test_a_text_of_boilerplate_alone_gives_no_summary() -> None:
    assert summarise(_story("Also in this newsletter: Why the EU is fighting over AI rules", "en")) == ""


def test_a_bracketed_source_note_never_ends_a_summary() -> None:
    """2023-W38, 腾讯新闻: an excerpt closes with its source in brackets, inside the summary's last sentence."""
    text = "9月22日，苹果直营店门口排起长队。华为手机的强势回归能否冲击苹果的地位……（来源：证券时报，节选）"
    summary = summarise(_story(text, "zh"))
    assert "来源" not in summary and summary.startswith("9月22日")
