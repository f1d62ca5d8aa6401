"""What the weekly_briefing DAG's tasks hand on to each other: small XComs (the week, ids, counts and
paths); the stories themselves stay in the store. Each task returns one of these, and the next one takes it.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = ["Checked", "Clustered", "Draft", "Enriched", "Selected", "Themed"]


class Checked(TypedDict):
    """What ``check_sources`` found: the week goes on, with how many sources worked."""

    week: str
    summary: str


class Clustered(TypedDict):
    week: str
    stories: int
    clusters: int
    earlier: int


class Themed(TypedDict):
    week: str
    stories: int
    per_theme: dict[str, int]


class Selected(TypedDict):
    week: str
    per_section: dict[str, int]


class Enriched(TypedDict):
    week: str
    model: str
    events: int
    calls: int
    cached: int
    rejected: int
    failed: int


class Draft(TypedDict):
    """What ``render`` made; the approval request and the *Draft briefing* link read it."""

    week: str
    html: str
    pdf: str
    stories: int
    events: int
    outlets: int
    shown: int
    lead: str
    failed: list[str]
    revision: str
    #: the drafts' file names (``briefing.publish.file_names``), for the approval request's links
    html_name: str
    pdf_name: str
