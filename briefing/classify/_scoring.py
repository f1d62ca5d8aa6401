"""Score a story against every theme of a taxonomy with its weighted bilingual lexicon.

A theme's raw score adds the weights of the distinct terms found, by where they stand: in the headline
double, in the lead (the first 300 characters, 150 of Chinese) once, and in the rest of the text by how
densely it mentions them, at most ``rest_cap`` points, so that a passing mention in a long article gives no
theme. Context terms (who acts) count only beside the theme's own terms, and only in the headline and the
lead: a minister named deep in a long article is a passing mention. Setting terms (who does research
and where: researchers, a university, a paper) count only where no other theme's own terms stand in the
headline or the lead: an AI paper by university researchers is about AI, not science. A source whose beat
is the theme (the theme's ``sources``) counts like one decisive term in the lead, and decides alone where
the headline names no theme's terms (another theme's word in the lead is the setting) and no one acts. A
roundup whose headline names its items ("早报｜A / B / C") is read by its headline and lead only: the rest of
its text runs through items the headline leaves out, each in passing (a roundup is about none of them), and a
contents list that opens its text leads with its first entry alone (``Scorer.lead``); its
label ("｜AI一周资讯") names the column, issue after issue, and is read as no part of the headline. The raw
score is squashed into [0, 1]. Every score keeps the terms that made it, so each decision can be explained.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..dedup import first_entry, lists_items, without_label
from ..records import Story, Theme
from ..text import is_chinese, nfkc, normalise
from ._lexicon import Lexicon

__all__ = ["Evidence", "LexiconScores", "Scorer"]

#: where a piece of evidence stood: "title", "lead" or "text" (the rest of the text)
Evidence = tuple[str, int, str]

_PLACE_WEIGHT = {"title": 2.0, "lead": 1.0}

#: an English headline's circumstance: a clause from "amid" or "while" ("Sandberg to leave board amid AI boom")
_CIRCUMSTANCE = re.compile(r"\s(?:amid|while)\s")

#: an English headline's list of three or more ("thinner, lighter, and sprinkled with AI"; "A, B, and C"): its
#: last item, after the last of two or more commas (not a number's) and an "and", "or" or "more"
_LAST_ITEM = re.compile(r"^(?=(?:[^,]*,(?!\d)){2})(.*,(?!\d))\s*((?:and|or|more)\b[^,]*)$")

#: a lead's examples: "from A to B (to C)" opening a sentence or set off by a dash, before a comma or a dash ("From
#: AI-powered robots to face-scanning smart locks, the gadgets…", "— from scooters to TikTok to ChatGPT —")
_EXAMPLES = re.compile(r"(?:^|(?<=[.!?|—] ))from [^.;:—,]{1,80}? to [^.;:—,]{1,80}?(?: to [^.;:—,]{1,60})?(?=,|\s—)")

#: a Chinese clause that names the source of figures: "工业和信息化部最新数据显示", "国务院国资委最新数据显示",
#: "国家统计局今天（10月27日）发布数据显示" (the source, from the last punctuation or space, then the frame)
_SOURCE_OF_FIGURES = re.compile(
    r"([^，。、；：！？,.;:!?\s]{2,20}?)(?:今天[（(][^）)]{0,12}[）)])?(?:最新)?(?:统计)?(?:发布|公布)?的?(?:多项)?(?:经济)?数据显示"
)


@dataclass(frozen=True)
class _Term:
    theme: str
    term: str
    weight: int
    context: bool = False  # counts only beside the theme's own terms
    setting: bool = False  # counts only where no other theme's own terms are in the headline or lead


@dataclass
class _Tally:
    """The points of one story, per theme, as the terms are counted."""

    raw: dict[str, float] = field(default_factory=dict)  # own terms in the title and lead
    rest: dict[str, float] = field(default_factory=dict)  # own terms beyond the lead, before the cap
    context: dict[str, float] = field(default_factory=dict)
    title: dict[str, float] = field(default_factory=dict)  # own terms' points in the title alone
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)


@dataclass(frozen=True)
class LexiconScores:
    """What the lexicon found in one story: per theme the parts of its raw score, its squashed score, and
    the terms that made it (``(term, weight, where)``, strongest first)."""

    title: dict[str, float]  # own terms' points in the headline
    lead: dict[str, float]  # own terms' points in the title and lead together, less the title's
    rest: dict[str, float]  # own terms' points beyond the lead, capped
    context: dict[str, float]  # who acts, counted whether or not the theme's own terms were found
    scores: dict[str, float]  # the squashed score of each theme with own terms
    evidence: dict[str, tuple[Evidence, ...]]
    chinese: bool
    chars: int  # the length of the text after the headline


class Scorer:
    """A compiled lexicon: build once, score many stories."""

    #: raw score at which a theme's score reaches 1 - 1/e
    scale = 7.0
    #: the lead: the first characters of the text after the headline, where a news story says what it
    #: is about (about two English sentences; a Chinese character says about as much as two Latin letters)
    lead_chars = 300
    #: beyond the lead, a term counts in full from this many mentions per 1,000 characters (500 of
    #: Chinese), and in proportion below: a passing mention in a long article adds little
    dense = 2.0
    #: ...and all the terms of a theme beyond the lead add at most this many points: the text alone,
    #: without the headline or the lead, does not make a story's theme
    rest_cap = 4.0
    #: a source whose beat is the theme (the theme's ``sources``) counts like one decisive term (weight 3)
    #: in the lead: with one more of the theme's terms its story has the theme
    beat = 3.0
    #: ...and where its headline names no theme's own terms, its lead none of the beat's, and no one acts (in
    #: the headline or the lead), the beat decides alone: the desk's one-sentence teaser on earthworms or
    #: elephants' trunks is its beat's story, and so is its antimatter teaser whose lead names hydrogen: the
    #: headline says what the story is about
    beat_alone = 4.0

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._lexicon: Lexicon[_Term] = Lexicon()
        for theme in self.themes:
            setting = {word.casefold() for word in theme.setting}
            for term, weight in theme.terms_en + theme.terms_zh:
                self._lexicon.add(term, _Term(theme.id, term, weight, setting=term.casefold() in setting))
            for word in theme.exclude:  # matched like a term, longest first, and scores nothing
                self._lexicon.add(word, _Term("", word, 0))
            for term in theme.context:
                self._lexicon.add(term, _Term(theme.id, term, 1, context=True))
        self._terms = self._lexicon.payloads
        self._state = frozenset(theme.id for theme in self.themes if theme.subject)  # the state acting: Policy
        self._beats: dict[str, tuple[str, ...]] = {}
        for theme in self.themes:
            for source in theme.sources:
                self._beats[source] = (*self._beats.get(source, ()), theme.id)

    def beats(self, source: str) -> tuple[str, ...]:
        """The themes that are a source's beat."""
        return self._beats.get(source, ())

    def lead(self, story: Story) -> str:
        """The lead, normalised: the first ``lead_chars`` of the text after the headline (half as many of Chinese).
        A roundup whose headline names its items (``lists_items``: "早报｜A / B / C") and whose text opens with a
        contents list of all of them ("墨西哥或成为…的国家 华为和小米达成… 富士康…") leads with its first entry
        alone: the labels give a daily brief its first item's theme, and the list's other entries, like the text
        beyond the lead, are in passing. So are the examples a lead runs through ("From AI-powered robots to
        face-scanning smart locks, the gadgets…"), left out, and a state body named as the source of figures
        (``_unquoted``)."""
        return self._lead_of(normalise(story.body), story.title)

    def _lead_of(self, body: str, title: str) -> str:
        """``lead`` of a text already normalised (``body``), under the headline ``title``."""
        lead = body[: self.lead_chars // 2 if is_chinese(body[:60]) else self.lead_chars]
        lead = first_entry(lead) if lists_items(nfkc(title)) else lead
        lead = _EXAMPLES.sub(" ", lead) if "from " in lead else lead  # examples, in passing: "From A to B, …"
        return _SOURCE_OF_FIGURES.sub(self._unquoted, lead) if "数据显示" in lead else lead

    def _unquoted(self, clause: re.Match[str]) -> str:
        """A clause that names the source of figures ("工业和信息化部最新数据显示，截至2023年底…"), less the source
        where it is the state (only the terms of a theme with subject words, Policy, stand in it): a ministry
        quoted for its figures is not acting. A company or a grid operator quoted for figures keeps its name
        (国家电网最新数据显示)."""
        themes = {self._terms[i].theme for i in self._lexicon.hits(clause.group(1))}
        return clause.group(0)[len(clause.group(1)) :] if themes and themes <= self._state else clause.group(0)

    def who_acts(self, text: str) -> tuple[tuple[str, str], ...]:
        """The context terms (who acts) found in ``text``, as ``(theme, term)``."""
        found = (self._terms[i] for i in self._lexicon.hits(normalise(text)))
        return tuple((t.theme, t.term) for t in found if t.context)

    def score(self, story: Story) -> LexiconScores:
        """Count each theme's terms in the headline, the lead and the rest of the text."""
        title = normalise(without_label(nfkc(story.title)))  # a roundup's label names its column, not its items
        body = normalise(story.body)
        chinese = is_chinese(body[:60])
        cut = self.lead_chars // 2 if chinese else self.lead_chars
        rest = "" if lists_items(nfkc(story.title)) else body[cut:]  # a roundup's later items are in passing
        per_thousand = max(1.0, len(rest) / (500 if chinese else 1000))  # in units of ~1,000 Latin characters
        hits = self._lexicon.hits
        title, passing = _in_passing(title)
        in_title, in_lead = hits(title), hits(self._lead_of(body, story.title))  # the text normalised once
        for i, n in hits(passing).items():  # the headline's circumstance and last listed item: once, as in the lead
            in_lead[i] = in_lead.get(i, 0) + n
        terms = [self._terms[i] for i in (*in_title, *in_lead)]
        subjects = {t.theme for t in terms if t.theme and not (t.context or t.setting)}
        tally = self._tally(in_title, in_lead, hits(rest), per_thousand, subjects)
        capped = {tid: min(points, self.rest_cap) for tid, points in tally.rest.items()}
        raw = dict(tally.raw)
        for tid, points in capped.items():
            raw[tid] += points
        for tid, points in tally.context.items():  # who acts counts only beside what is done
            if tid in raw:
                raw[tid] += points
        acting = any(t.context for t in terms)
        for tid in self.beats(story.source):  # the outlet's beat
            named = bool(tally.title) or tid in subjects  # another theme's word in the lead alone is the setting
            beat = self.beat if acting or named else self.beat_alone
            raw[tid] = raw.get(tid, 0.0) + beat
            tally.evidence.setdefault(tid, []).append((f"source: {story.source}", int(beat), "lead"))
        return LexiconScores(
            title=tally.title,
            lead={tid: points - tally.title.get(tid, 0.0) for tid, points in tally.raw.items()},
            rest=capped,
            context=tally.context,
            scores={tid: 1 - math.exp(-r / self.scale) for tid, r in raw.items()},
            evidence={tid: tuple(sorted(ev, key=_strength)) for tid, ev in tally.evidence.items()},
            chinese=chinese,
            chars=len(body),
        )

    def _tally(
        self, title: dict[int, int], lead: dict[int, int], rest: dict[int, int], per_thousand: float, subjects: set[str]
    ) -> _Tally:
        """Each theme's points; ``subjects``: the themes whose own terms stand in the headline or the lead."""
        tally = _Tally()
        for i in sorted(set(title) | set(lead) | set(rest)):
            t = self._terms[i]
            if not t.theme or (t.setting and subjects - {t.theme}):
                continue
            points = 0.0
            where = ""
            if i in title:
                points += 2 * t.weight
                where = "title"
                if not t.context:
                    tally.title[t.theme] = tally.title.get(t.theme, 0.0) + 2 * t.weight
            if i in lead:
                points += t.weight
                where = where or "lead"
            if i in rest and not t.context:  # who acts beyond the lead is a passing mention
                mentions = t.weight * min(1.0, rest[i] / per_thousand / self.dense)
                tally.rest[t.theme] = tally.rest.get(t.theme, 0.0) + mentions
                where = where or "text"
            if not where:
                continue
            tally.evidence.setdefault(t.theme, []).append((t.term, t.weight, where))
            if t.context:
                tally.context[t.theme] = tally.context.get(t.theme, 0.0) + points
            else:
                tally.raw[t.theme] = tally.raw.get(t.theme, 0.0) + points
        return tally


def _in_passing(title: str) -> tuple[str, str]:
    """An English headline (normalised) less what it names in passing, and that: its circumstance, a clause from
    "amid" or "while" ("Former Meta COO Sheryl Sandberg to leave board amid AI boom", "Wi-Fi 7 quietly took off
    while everyone was looking at AI"), and the last item of a list of three or more (``_last_item``). A Chinese
    headline is whole."""
    if is_chinese(title):
        return title, ""
    found = _CIRCUMSTANCE.search(title)
    head, circumstance = (title[: found.start()], title[found.start() :]) if found else (title, "")
    head, last = _last_item(head)
    return head, f"{last} {circumstance}".strip()


def _last_item(title: str) -> tuple[str, str]:
    """An English headline (normalised) less the last item of a list of three or more it holds, and that item:
    "razer upgrades blades: new chips, new displays," and "and a smidge of ai". A list puts its subject first; the
    last item is named in passing ("Asus' latest gaming phone is thinner, lighter, and sprinkled with AI", a science
    desk's "News at a glance: …, and a crackdown on lead"). A headline with no such list is whole."""
    found = _LAST_ITEM.match(title)
    return (found.group(1), found.group(2)) if found else (title, "")


def _strength(evidence: Evidence) -> tuple[float, str]:
    """Strongest first: the weight, doubled in the headline, halved beyond the lead; then by term."""
    term, weight, where = evidence
    return (-weight * _PLACE_WEIGHT.get(where, 0.5), term)
