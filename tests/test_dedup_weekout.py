"""What the same-event model does on a week it was not fitted on: the errors of the blind week 2023-W41
(benchmarks/data/real-2023-W41), as cases. The threshold and the weights are set for precision on such a
week (benchmarks/fit_events.py prints the week-out figures)."""

from __future__ import annotations

from briefing.dedup import KeywordReader, dedup, event_text, same_event_probability
from briefing.dedup._events import SAME_EVENT

from .dedup_stories import story

#: two reports of one day about US export controls and Chinese chips that are two events: a report that
#: chip makers seek permanent US licences for their China plants, and the customs figures for chip imports
LICENCES = (
    "TSMC, Samsung seeking permanent US licenses to operate China chip plants",
    "Report: US weighing new export controls to block China's access to AI chips.",
)
IMPORTS = (
    "China's chip imports decline 15 per cent in first nine months of 2023 as the country braces for a new "
    "round of US tech export controls",
    "This trend reflects the quandary many Chinese tech firms find themselves in, as they continue to pursue "
    "development projects amid stifling export restrictions imposed by the US and its allies.",
)


def test_two_reports_that_share_a_subject_but_not_the_news_stay_apart() -> None:
    """A false merge of the blind week at the old threshold (0.4): the two share "China", "chip", "US" and
    "export controls". Eight hours apart, alone (weighed by general news, not by a week's batch), the model
    gives them a little over 0.4; from ``SAME_EVENT`` (0.45) they stay apart, as pairs near the line do in
    the week-out figures over four weeks."""
    reader = KeywordReader()
    a, b = event_text(*LICENCES, reader), event_text(*IMPORTS, reader)
    p = same_event_probability(a, b, 8, False, False)
    assert 0.4 <= p < SAME_EVENT, p  # joined at 0.4, apart now
    found = dedup(
        [
            story("licences", *LICENCES, source="en-arstechnica", hours=8),
            story("imports", *IMPORTS, source="en-scmp-china"),
        ]
    )
    assert len(found) == 2, [c.members for c in found]


def test_a_report_and_its_rewrite_still_join_at_the_higher_threshold() -> None:
    """The threshold does not cost a plain rewrite: the same news told by two outlets in other words."""
    found = dedup(
        [
            story(
                "wsj",
                "Microsoft's Activision Deal Gets Green Light From U.K. Regulator",
                "Britain's competition authority approved Microsoft's restructured $69 billion takeover of Activision "
                "Blizzard, clearing the last hurdle to the deal.",
                source="en-wsj-tech",
            ),
            story(
                "ft",
                "UK regulator clears Microsoft's $69bn Activision takeover",
                "The Competition and Markets Authority approved Microsoft's restructured $69bn deal for Activision "
                "Blizzard, the final regulatory hurdle.",
                source="en-ft",
                hours=1.5,
            ),
        ]
    )
    assert len(found) == 1, [c.members for c in found]


def test_a_translation_joins_by_its_names_and_concepts_with_the_four_week_weights() -> None:
    """The weights refitted on four weeks (W41 too) weigh what two languages share (``cross_bridge``) more:
    an English and a Chinese report of the last Beatles song, made with AI, 14 hours apart, are one event
    (0.38 with the weights of three weeks, 0.46 now)."""
    found = dedup(
        [
            story(
                "en",
                "The Morning After: The final Beatles song was made with a little help from AI",
                "The Beatles have released another song, the first since 1995. \u201cNow and Then\u201d is being "
                "advertised as the final Beatles track, given that two of the members have passed and the other two "
                "are well over 80 years old. But then again, millionaires do love money.\nThe song grew from a John "
                "Lennon demo track",
                source="en-engadget",
            ),
            story(
                "zh",
                "披头士搁置 30 年的\u201c最后一曲\u201d，因为 AI 重生了",
                "11月2日，披头士乐队（the Beatles）上线了他们的\u201c新\u201d歌。"
                "但这支伟大摇滚乐队，早在 1970 年就解散了啊！"
                "也有两名成员早不在人世：约翰·列侬 1980 年遇害，乔治·哈里森 2001 年死于癌症。"
                "\n原来，上线的这首 Now And Then，是因为用上了 AI，"
                "才让原本音源质量不佳而被搁置 30 年的 demo，得到重生。",
                source="zh-36kr-tech",
                lang="zh",
                hours=13.8,
            ),
        ]
    )
    assert len(found) == 1, [c.members for c in found]


def test_an_analysis_of_an_order_and_a_later_announcement_stay_apart() -> None:
    """An analysis of the US executive order's watermarking and the Vice President's announcement of an AI
    Safety Institute two days later share "Biden", "executive order" and "AI": two events (0.47 with the
    weights of three weeks, 0.43 now)."""
    found = dedup(
        [
            story(
                "harris",
                "Kamala Harris announces AI Safety Institute to protect American consumers",
                "Just days after President Joe Biden unveiled a sweeping executive order retasking the federal "
                "government with regards to AI development, Vice President Kamala Harris announced at the UK AI "
                "Safety Summit on Tuesday a half dozen more machine learning initiatives that the administration is "
                "undertaking.",
                source="en-engadget",
                hours=11.9,
            ),
            story(
                "watermarks",
                "Watermarks aren\u2019t the silver bullet for AI misinformation",
                "Photo by Demetrius Freeman / The Washington Post via Getty Images\n"
                "President Joe Biden\u2019s executive order on artificial intelligence is a first-of-its-kind "
                "action from the government to tackle some of "
                "the technology\u2019s greatest challenges \u2014 like how to identify if an image is real or fake.",
                source="en-theverge",
            ),
        ]
    )
    assert len(found) == 2, [c.members for c in found]
