"""An event's themes come from the event, not from its representative's headline alone (``select.cluster_themes``),
on real stories of the development weeks; and an editor's split hands the rest of an event to dedup's own
choice of representative (``editorial.apply``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.classify import classify, load_themes
from briefing.editorial import apply
from briefing.records import Cluster, Decision, Story
from briefing.select import cluster_themes, select

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"
THEMES = load_themes(Path(__file__).resolve().parent.parent / "config" / "themes.yaml")


def _stories(week: str, ids: list[str]) -> dict[str, Story]:
    wanted, out = set(ids), {}
    for line in (DATA / f"real-{week}" / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        if raw["id"] in wanted:
            out[raw["id"]] = Story(
                id=raw["id"], source=raw["source"], url=raw["url"], title=raw["title"],
                summary=raw.get("summary") or "", text=raw.get("text") or "", lang=raw["lang"],
                published=datetime.fromisoformat(raw["published"]),
            )  # fmt: skip
    assert set(out) == wanted
    return out


#: 2024-W03: Samsung's Galaxy S24 launch, nine stories of four outlets. Four of them, at 18:00 UTC, tie in the
#: representative ranking, so the id decides; under some ids (a build's) "The Galaxy S24 Ultra is smarter,
#: pricier…", a review's headline with no theme, stands for the event, and the event fell out of the briefing
GALAXY = [
    "cdeb3fa8650d",  # The Galaxy S24 Ultra is smarter, pricier, and just as big as ever (no theme)
    "2cc5a4720be5", "d3c247ba0d17", "7130797b99d9", "93787f352929",
    "3dc60af58d34",  # Where to preorder Samsung's new Galaxy S24, S24 Plus, and S24 Ultra (no theme)
    "5c1044e6224e", "9f4ff222aec1", "e1c4c9b06113",
]  # fmt: skip


def test_an_event_whose_representative_has_no_theme_takes_the_theme_most_of_its_stories_carry() -> None:
    stories = _stories("2024-W03", GALAXY)
    classified = {c.story_id: c for c in classify(stories.values())}
    assert classified["cdeb3fa8650d"].primary is None
    cluster = Cluster("cdeb3fa8650d", tuple(GALAXY))
    found = cluster_themes(cluster, stories, classified, {})
    assert found.why() == "theme ai-models from 7 of 9 stories (the representative has none)"
    backwards = Cluster("cdeb3fa8650d", (GALAXY[0], *reversed(GALAXY[1:])))  # the input order never decides
    assert cluster_themes(backwards, stories, classified, {}) == found
    lead, sections, _ = select(stories, [cluster], classified, THEMES, {})
    assert lead is not None and lead.story.id == "cdeb3fa8650d" and lead.primary == "ai-models"
    assert [it.story.id for s in sections if s.theme.id == "ai-models" for it in s.items] == ["cdeb3fa8650d"]


def test_two_of_three_stories_give_the_event_its_theme() -> None:
    # 2023-W38: Amazon's fall event; its representative is the Fire TV sticks (no theme), the other two
    # report the new Alexa with generative AI (labelled ai-models, as the event is)
    ids = ["caf1723fed0a", "cbd1012b43f9", "86977505953d"]
    stories = _stories("2023-W38", ids)
    classified = {c.story_id: c for c in classify(stories.values())}
    found = cluster_themes(Cluster(ids[0], tuple(ids)), stories, classified, {})
    assert found.themes[0].id == "ai-models" and (found.carriers, found.members) == (2, 3)


@pytest.mark.parametrize(
    ("week", "ids"),
    [
        # one story of two is that story's theme, not the event's (both labelled no theme): RFK Jr.'s views,
        # a "data dumping" headline for Policy; a new party secretary of the science ministry, his career for Science
        pytest.param("2023-W37", ["92568e28a0e6", "b6aee660d3d6"], id="rfk-jr"),
        pytest.param("2023-W40", ["36b4d6393dfa", "b0118539f509"], id="most-secretary"),
    ],
)
def test_one_story_of_two_does_not_give_the_event_its_theme(week: str, ids: list[str]) -> None:
    stories = _stories(week, ids)
    classified = {c.story_id: c for c in classify(stories.values())}
    assert classified[ids[0]].primary is None and classified[ids[1]].primary is not None
    found = cluster_themes(Cluster(ids[0], tuple(ids)), stories, classified, {})
    assert found.themes == () and found.why() == ""


def test_the_rest_of_a_split_event_is_represented_by_dedups_choice_not_the_next_story() -> None:
    # the preview "How to watch Samsung's Galaxy S24 event" comes next; the Post's report represents the rest
    ids = ["2cc5a4720be5", "7130797b99d9", "5c1044e6224e"]
    stories = _stories("2024-W03", ids)
    split = [Decision("split", "2cc5a4720be5", "", "ana", datetime(2024, 1, 20, tzinfo=UTC))]
    applied = apply([Cluster(ids[0], tuple(ids))], split, stories, {})
    assert [c.members for c in applied.clusters] == [("5c1044e6224e", "7130797b99d9"), ("2cc5a4720be5",)]
    assert apply([Cluster(ids[0], tuple(ids))], split).clusters[0].id == "7130797b99d9"  # without the stories
