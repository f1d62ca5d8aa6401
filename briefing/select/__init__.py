"""The select stage: the week's clusters ranked, the lead picked, each theme's section filled, summarised.

A cluster's importance grows with the number of outlets that reported it, the weight of its sources
and how clearly it belongs to its theme. The lead story is the most important cluster of the week; each
theme's section holds its clusters (by primary theme) in order of importance, up to a cap. Summaries are
extractive: the first two or three sentences of the representative's text, with datelines and editor
lines removed. Stories an earlier briefing carried are left out, and follow-ups are marked; those
earlier events come from the store's dedup index. The selection is stored whole, as ``Pick`` records,
and render reads it: nothing is ranked twice.

The public face of the stage; its private modules:

- ``_ranking``: ``importance`` and ``select`` (an event's ``Item``, the lead and the sections), and
  ``cluster_themes`` (an event's themes: its representative's, else those most of its stories carry);
- ``_summaries``: ``summarise``, and ``opening`` (a text past its outlet's dateline);
- ``_numbers``: ``numbers_of_the_week``;
- ``_earlier``: ``earlier_reports``, what earlier briefings carried (repeats and follow-ups);
- ``_week``: ``choose_week``, the stage over the store (the editors' decisions applied, the picks made).
"""

from __future__ import annotations

from ._earlier import FOLLOW_UP_SIMILARITY, EarlierReports, EarlierStory, earlier_reports
from ._numbers import numbers_of_the_week
from ._ranking import SECTION_CAP, ClusterThemes, cluster_themes, importance, select
from ._summaries import opening, summarise
from ._week import FOLLOW_UP_WEEKS, WeekPicks, choose_week, earlier_published

__all__ = [
    "FOLLOW_UP_SIMILARITY",
    "FOLLOW_UP_WEEKS",
    "SECTION_CAP",
    "ClusterThemes",
    "EarlierReports",
    "EarlierStory",
    "WeekPicks",
    "choose_week",
    "cluster_themes",
    "earlier_published",
    "earlier_reports",
    "importance",
    "numbers_of_the_week",
    "opening",
    "select",
    "summarise",
]
