"""Ranking: an event's weight is the outlets that reported it, never how many stories one outlet ran."""

from __future__ import annotations

from briefing.records import Story
from briefing.select import importance


def test_importance_grows_with_outlets_not_stories() -> None:
    story = Story(id="a", source="wire", url="", title="t")
    one_outlet = importance(story, 1, 0.9, {})
    three_outlets = importance(story, 3, 0.9, {})
    assert three_outlets > one_outlet


def test_select_counts_one_outlets_three_reports_as_one() -> None:
    from briefing.classify import load_themes
    from briefing.records import Classification, Cluster, Source, ThemeScore
    from briefing.select import select

    def s(i: str, src: str) -> Story:
        return Story(id=i, source=src, url=f"https://{src}.example/{i}", title=f"story {i}")

    stories = {x.id: x for x in [s("a1", "one"), s("a2", "one"), s("a3", "one"), s("b1", "one"), s("b2", "two")]}
    clusters = [Cluster("a1", ("a1", "a2", "a3")), Cluster("b1", ("b1", "b2"))]
    verdict = {c.id: Classification(c.id, (ThemeScore("compute", 0.9),)) for c in clusters}
    sources = {x: Source(id=x, name=x, kind="feed", url=f"https://{x}.example/", lang="en") for x in ("one", "two")}
    lead, _, _ = select(stories, clusters, verdict, load_themes(), sources)
    assert lead is not None and lead.story.id == "b1"  # two outlets beat one outlet's three stories


def test_a_roundup_ranks_below_every_report_and_never_leads() -> None:
    """A roundup (``dedup.is_digest``) with more outlets and a better theme fit still comes after a report."""
    from briefing.classify import load_themes
    from briefing.records import Classification, Cluster, Source, ThemeScore
    from briefing.select import select

    roundup = Story(
        id="r", source="one", url="https://one.example/r", title="早报｜小米汽车 / 微软 Bing / 诺贝尔物理学奖"
    )
    report = Story(id="n", source="two", url="https://two.example/n", title="OpenAI explores making its own AI chips")
    assert importance(roundup, 5, 1.0, {}) < importance(report, 1, 0.1, {})
    stories = {x.id: x for x in (roundup, report)}
    clusters = [Cluster("r", ("r",)), Cluster("n", ("n",))]
    verdict = {
        "r": Classification("r", (ThemeScore("chips", 0.9),)),
        "n": Classification("n", (ThemeScore("chips", 0.2),)),
    }
    sources = {x: Source(id=x, name=x, kind="feed", url=f"https://{x}.example/", lang="en") for x in ("one", "two")}
    lead, sections, _ = select(stories, clusters, verdict, load_themes(), sources)
    assert lead is not None and lead.story.id == "n"
    [chips] = [s for s in sections if s.theme.id == "chips"]
    assert [it.story.id for it in chips.items] == ["n", "r"]  # the roundup stays in its section, last
