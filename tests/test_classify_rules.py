"""The classifier's rules from the labelling guide (../shared/real/GUIDE.md and its weekly notes), each on a story
of its own making: the rule holds, and its counter-case does not fire."""

from __future__ import annotations

import pytest

from briefing.classify import Classifier, load_themes
from briefing.records import Story


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_themes())


def _story(title: str, text: str = "", lang: str = "en") -> Story:
    return Story(id="x", source="s", url="", title=title, text=text, lang=lang)  # type: ignore[arg-type]


def _themes(classifier: Classifier, story: Story) -> list[str]:
    return [t.id for t in classifier.classify(story).themes]


# ------------------------------------------------------------------------------------------- who acts


def test_who_acts_named_only_deep_in_a_long_article_is_a_passing_mention(classifier: Classifier) -> None:
    """Context terms count in the headline and the lead only: a ministry and a government named in the last
    paragraphs of a long chatbot story do not make it a Policy story, as they would in its lead."""
    lead = "Chatbot makers follow a voluntary guideline on labelling as they add voice to their assistants. "
    filler = "The assistants answer questions, draft email and summarise meetings for millions of users. " * 12
    tail = "The ministry has welcomed it. The government and the minister say the Senate will look at it."
    deep = _story("Chatbot makers race to add voice to their assistants", lead + filler + tail)
    assert "ai-models" in _themes(classifier, deep)
    assert "policy" not in _themes(classifier, deep)
    early = _story("Chatbot makers race to add voice to their assistants", lead + tail + " " + filler)
    assert "policy" in _themes(classifier, early)
