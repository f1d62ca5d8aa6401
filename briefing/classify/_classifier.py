"""Decide a story's themes from the lexicon's scores: which apply, and which is the primary.

The themes that clear the threshold, and a share of the best theme's score, apply, highest first; the
first is the primary. Who acts (a theme's context terms) also counts beside another applicable theme: the
state acting on its subject; and beside the theme's own terms where its subject words stand in the headline
or the lead (a ministry's ban on iPhones); and the state acting (a lead term) in the headline or the lead
counts a point more on the theme's subject named in the headline (regulators' rule on Apple's iPhone).
A theme with subject words (Policy: the state acting on technology, energy or science) applies only where
its subject stands in the headline or the lead: one of those words, or another theme's own terms; a theme named
only beyond the lead applies only if the taxonomy lets it (``head_only``: chips and science do not); a theme
whose meeting words stand in the headline (会见) applies only with one of its lead terms there. A theme's
lead term in the headline (the state acting: "export controls", 印发) makes that theme the primary when it
applies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..parallel import chunked_map
from ..records import Classification, Story, Theme, ThemeScore
from ..text import is_chinese, normalise
from ._lexicon import Lexicon
from ._scoring import Evidence, LexiconScores, Scorer, _strength

__all__ = ["Classifier"]


class Classifier:
    """A compiled taxonomy. Build once, classify many stories."""

    #: a theme applies from this score...
    threshold = 0.4
    #: ...and when it reaches this share of the best theme's score
    relative = 0.45
    #: who acts (a theme's context terms: "Senate", "White House", 国务院) in a story that another theme
    #: applies to says the state acts on that subject: the context terms then count this many times over,
    #: with or without the theme's own terms ("US Senate begins collecting evidence on how AI could thwart
    #: robocalls"); alone, in a story about none of the themes, they still count for nothing
    beside_other = 2.0
    #: the state acting (a theme's lead term: regulators, antitrust, sanctions, rules) in the headline or the lead,
    #: on the theme's subject named in the headline ("Apple Unveils iPhone 15 With Changes to Its USB-C Charger",
    #: "European regulators passed a rule"), counts this many points more: the headline names what the state
    #: acts on, the lead that it acts
    on_subject = 1.0
    #: the headline's opening, where who acts is its grammatical subject ("Senators Probe TikTok…", "Supreme
    #: Court to Hear…", 印尼政府：…): its first two words, or four characters of Chinese (a place and an office,
    #: 德国政府)
    opening_words = 2
    opening_chars = 4

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self.scorer = Scorer(self.themes)
        self._leads = {theme.id: _LeadTerms(theme.lead_terms) for theme in self.themes if theme.lead_terms}
        self._subjects = {theme.id: _LeadTerms(theme.subject) for theme in self.themes if theme.subject}
        self._order = {t.id: n for n, t in enumerate(self.themes)}
        self._head_only = {t.id for t in self.themes if t.head_only}
        self._meetings = {theme.id: _LeadTerms(theme.meeting) for theme in self.themes if theme.meeting}
        self._persons = {theme.id: {p.casefold() for p in theme.persons} for theme in self.themes}

    def classify_all(self, stories: Sequence[Story]) -> list[Classification]:
        """Classify every story, in order; a large batch on every core, with the same results."""
        return chunked_map(self._classify_chunk, stories)

    def _classify_chunk(self, stories: Sequence[Story]) -> list[Classification]:
        return [self.classify(s) for s in stories]

    def classify(self, story: Story) -> Classification:
        """Score each theme by where its terms stand: the headline counts double, the lead once, the rest
        of the text by how densely it mentions them."""
        found = self.scorer.score(story)
        evidence = {tid: list(ev) for tid, ev in found.evidence.items()}
        scores = self._on_subject(self._state_acting(found, story), found, story, evidence)
        scores = self._lead(self._about(scores, found, story), story.title, evidence)
        best = max(scores.values(), default=0.0)
        kept = [
            ThemeScore(id=tid, score=round(s, 3), evidence=tuple(sorted(evidence[tid], key=_strength)))
            for tid, s in scores.items()
            if s >= self.threshold and s >= self.relative * best
        ]
        kept.sort(key=lambda ts: (-ts.score, self._order.get(ts.id, 99)))
        return Classification(story_id=story.id, themes=tuple(kept))

    def _state_acting(self, found: LexiconScores, story: Story) -> dict[str, float]:
        """The lexicon's scores, with who acts counted ``beside_other`` times beside another applicable theme,
        whether or not the theme's own terms were found (a ministry's guideline on robots is no weaker a
        Policy story than the ministry alone); and as many times beside the theme's own terms where its subject
        words stand in the headline or the lead, with no other theme applicable ("China denies iPhone ban for
        officials", the Foreign Ministry in the lead: the ban and the ministry on a phone maker's product).
        Who acts beside the subject alone, without the theme's own terms, counts only where it opens the headline,
        the headline's subject ("Senators Probe TikTok's Executive Transfers", "Supreme Court to Hear Challenges to
        State Laws on Social Media"), and is no person (the theme's ``persons``: a leader's talks and visits);
        elsewhere it counts for nothing: a spy agency's warning, a company's "policy", "government emails"."""
        scores = dict(found.scores)
        scale = self.scorer.scale
        for tid, points in found.context.items():
            beside = max((s for t, s in found.scores.items() if t != tid), default=0.0) >= self.threshold
            if not beside and tid in self._subjects and (tid in found.scores or self._opens(tid, story)):
                beside = self._subjects[tid].search(self._head(story, found)) is not None
            if not beside:
                continue
            raw = -scale * math.log(1 - scores[tid]) if tid in scores else 0.0  # own terms and who acts, once
            scores[tid] = 1 - math.exp(-(raw + points * (self.beside_other - (tid in scores))) / scale)
        return scores

    def _opens(self, tid: str, story: Story) -> bool:
        """Whether one who acts for ``tid``, other than a person, opens the headline."""
        title = normalise(story.title)
        words = title.split()
        opening = title[: self.opening_chars] if is_chinese(title) else " ".join(words[: self.opening_words])
        persons = self._persons.get(tid, set())
        return any(t == tid and term.casefold() not in persons for t, term in self.scorer.who_acts(opening))

    def _on_subject(
        self, scores: dict[str, float], found: LexiconScores, story: Story, evidence: dict[str, list[Evidence]]
    ) -> dict[str, float]:
        """A theme with its own terms and one of its lead terms (the state acting) in the headline or the lead,
        and its subject named in the headline, scores ``on_subject`` points more. A ministry quoted for data
        (no lead term) or a law named in passing ("the videos violate copyright laws") does not."""
        for tid, words in self._subjects.items():
            if tid not in scores or tid not in self._leads or found.title.get(tid, 0.0) + found.lead.get(tid, 0.0) <= 0:
                continue
            subject = words.search(normalise(story.title))
            if subject is None or self._leads[tid].search(self._head(story, found)) is None:
                continue
            raw = -self.scorer.scale * math.log(1 - scores[tid])
            scores = {**scores, tid: 1 - math.exp(-(raw + self.on_subject) / self.scorer.scale)}
            evidence.setdefault(tid, []).append((f"subject: {subject}", int(self.on_subject), "title"))
        return scores

    def _about(self, scores: dict[str, float], found: LexiconScores, story: Story) -> dict[str, float]:
        """Leave out a theme with subject words whose subject is not in the headline or the lead: neither
        one of those words nor another theme's own terms (a ministry's census of cultural relics); and a
        theme named only beyond the lead where it must be named in the headline or the lead (``head_only``:
        a phone's chip in the spec sheet of its launch story, a digest's telescope item further down); and a
        theme whose meeting words stand in the headline without one of its lead terms (a minister 会见 a company's
        president: the state meets, it does not act)."""
        beats = self.scorer.beats(story.source)
        for tid in self._head_only & scores.keys():
            named = found.title.get(tid, 0.0) + found.lead.get(tid, 0.0) + found.context.get(tid, 0.0) > 0
            if not named and tid not in beats:
                scores = {k: v for k, v in scores.items() if k != tid}
        title = normalise(story.title)
        for tid, words in self._meetings.items():
            met = tid in scores and words.search(title) is not None
            if met and (tid not in self._leads or self._leads[tid].search(title) is None):
                scores = {k: v for k, v in scores.items() if k != tid}
        for tid, words in self._subjects.items():
            if tid not in scores:
                continue
            if any(found.title.get(t, 0.0) + found.lead.get(t, 0.0) > 0 for t in found.lead if t != tid):
                continue
            if words.search(self._head(story, found)) is None:
                scores = {k: v for k, v in scores.items() if k != tid}
        return scores

    def _head(self, story: Story, found: LexiconScores) -> str:
        """The headline and the lead, normalised."""
        return normalise(story.title) + "\n" + self.scorer.lead(story)

    def _lead(self, scores: dict[str, float], title: str, evidence: dict[str, list[Evidence]]) -> dict[str, float]:
        """A lead term in the title makes an applicable theme the primary one: the primary is the highest
        score, so raise this one above the others, or, where scores are already at 1, lower the others
        just below it."""
        normal = None
        for tid, lead_terms in self._leads.items():
            if scores.get(tid, 0.0) < self.threshold:
                continue
            normal = normal if normal is not None else normalise(title)
            term = lead_terms.search(normal)
            if term is None:
                continue
            top = round(max(scores.values()), 3)
            if round(scores[tid], 3) < top or sum(round(v, 3) == top for v in scores.values()) > 1:
                lead_score = min(1.0, top + 0.001)
                scores = {k: (lead_score if k == tid else min(v, lead_score - 0.001)) for k, v in scores.items()}
                evidence.setdefault(tid, []).insert(0, (f"lead: {term}", 0, "title"))
        return scores


class _LeadTerms:
    """A theme's lead terms (or its subject words), matched like the lexicon's terms."""

    def __init__(self, terms: Sequence[str]) -> None:
        self._lexicon: Lexicon[str] = Lexicon()
        for term in terms:
            self._lexicon.add(term, term)

    def search(self, title: str) -> str | None:
        hits = self._lexicon.hits(title)
        return self._lexicon.payloads[min(hits)] if hits else None
