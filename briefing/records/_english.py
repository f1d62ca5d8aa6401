"""English beside the Chinese stories (``briefing.enrich``): the lines, the model's answers, the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["English", "EnglishBy", "EnglishReport", "EventEnglish", "LlmAnswer"]


EnglishBy = Literal["model", "offline", "report"]


@dataclass(frozen=True)
class English:
    """English beside a Chinese story, and why an event matters (``briefing.enrich``).

    ``by`` says who wrote it: ``model``, the configured language model (verified, machine-written);
    ``offline``, the project itself from what it knows (the English names of ``config/names.yaml``, the
    figures with their units, the theme), which is a note and not a translation; ``report``, the headline
    of an English report of the same event, written by its outlet.
    """

    headline: str
    gist: str = ""
    #: one sentence on why the event matters (the model's, for the lead and the top events)
    why: str = ""
    by: EnglishBy = "offline"
    #: the model that wrote it, when ``by`` is ``model``; the outlet, when ``report``
    author: str = ""


@dataclass(frozen=True)
class EnglishReport:
    """How one edition's English lines were made, for its colophon and health appendix."""

    model: str = ""  # the language model asked, "" when there is none (the briefing is built offline)
    by_model: int = 0  # events with the model's verified English
    offline: int = 0  # Chinese events with the offline note instead
    rejected: int = 0  # events whose answers failed verification twice, and fell back
    failed: int = 0  # events the endpoint could not answer (errors, budget, circuit open), and fell back


@dataclass(frozen=True)
class LlmAnswer:
    """A language model's answer as the store keeps it (``briefing.enrich``): its status and the answer's JSON."""

    status: str  # "ok": verified fields; "rejected": failed verification twice, the JSON holds the reason
    answer: str


@dataclass(frozen=True)
class EventEnglish:
    """The English the enrich step stored for one of a week's events, and whether it fell back."""

    story_id: str
    english: English
    fallback: str = ""  # "" (the model's), "rejected" or "failed": the event carries the offline line
