"""The taxonomy's themes, how a story scores on them, and events counted per theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Classification", "Theme", "ThemeCount", "ThemeScore", "WeekCounts"]


@dataclass(frozen=True)
class Theme:
    """A theme of the taxonomy (SPEC, "Themes")."""

    id: str
    name: str
    name_zh: str
    description: str
    terms_en: tuple[tuple[str, int], ...] = ()
    terms_zh: tuple[tuple[str, int], ...] = ()
    #: terms that, in a title, make this theme the primary one when it applies
    lead_terms: tuple[str, ...] = ()
    #: longer words and names that hold one of the terms but are not the theme (新智元, a media outlet,
    #: holds 智元; 化石燃料 holds 化石): where one matches, the term inside it does not count
    exclude: tuple[str, ...] = ()
    #: terms that count (weight 1, double in the headline; not beyond the lead) only when the theme's own
    #: terms were found: who acts ("premier", "White House") says Policy only beside what is done (a rule, a
    #: ban, a fund)
    context: tuple[str, ...] = ()
    #: what the theme acts on: when listed, the theme applies only where one of these words, or another
    #: theme's own terms, stand in the headline or the lead (the state acting on technology, energy or
    #: science is Policy; a census of cultural relics or a housing subsidy is none of the six themes)
    subject: tuple[str, ...] = ()
    #: terms of the theme's own that name who does the work and where (researchers, a university, a paper):
    #: they count only where no other theme's own terms stand in the headline or the lead (an AI paper by
    #: university researchers is about AI, not science)
    setting: tuple[str, ...] = ()
    #: the ids of sources whose beat is this theme (a science journal's news desk): their stories count the
    #: beat like one decisive term in the lead, so one more term of the theme is enough; alone it decides only
    #: where the headline names no theme's terms and no one acts in the headline or the lead
    sources: tuple[str, ...] = ()
    #: the theme applies only where its own terms (or its beat) stand in the headline or the lead: beyond them
    #: they are a passing mention (a phone's chip in its spec sheet, a roundup's telescope item), however dense
    head_only: bool = False
    #: words that, in a headline, say the state meets rather than acts (会见: a minister receives a company's
    #: president or an ambassador): there the theme does not apply, unless one of its lead terms stands in
    #: the headline too
    meeting: tuple[str, ...] = ()
    #: who acts (context terms) that names a person, a head of state or government: opening a headline, the
    #: one who acts is the headline's subject, and a leader's talks and visits are no more the state acting on
    #: the subject than before; an institution (a government, a court, senators) opening it is
    persons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeScore:
    id: str
    score: float
    #: The terms that decided the score, as ``(term, weight, where)`` with where "title" or "text".
    evidence: tuple[tuple[str, int, str], ...] = ()


@dataclass(frozen=True)
class Classification:
    story_id: str
    themes: tuple[ThemeScore, ...]

    @property
    def primary(self) -> str | None:
        return self.themes[0].id if self.themes else None


class ThemeCount(NamedTuple):
    """Events of one primary theme (a bar of the charts)."""

    theme: str
    events: int


class WeekCounts(NamedTuple):
    """A week's events per primary theme (a column of the trend chart)."""

    week: str
    counts: tuple[ThemeCount, ...]
