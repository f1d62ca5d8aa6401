"""Classify stories by theme with a weighted bilingual lexicon.

The taxonomy (``config/themes.yaml``, or a file of the deployment's) gives every theme
weighted terms in English and Chinese. English terms match whole words case-insensitively (a trailing
``*`` makes the last word a prefix), also next to Chinese characters; Chinese terms match as substrings, except inside a longer word
or name a theme excludes (新智元, a media outlet, holds the robot maker 智元). Both lexicons run over every
story, so English, Chinese and mixed titles are classified alike. A theme's raw score adds the weights of
the distinct terms found by where they stand: in the headline double, in the lead (the first 300
characters, 150 of Chinese) once, and in the rest of the text by how densely it mentions them, at most
``rest_cap`` points, so that a passing mention in a long article gives no theme. The score is squashed
into [0, 1]; the themes that clear the threshold apply, highest first, and the first is the primary.
Every score keeps the terms that made it, so each decision can be explained.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .lexicon import Lexicon
from .parallel import chunked_map
from .records import Classification, Story, Theme, ThemeScore
from .resources import read_yaml, resource
from .text import is_chinese, normalise

__all__ = ["DEFAULT_THEMES", "Classifier", "classify", "load_themes"]

DEFAULT_THEMES = resource("config/themes.yaml")


def load_themes(path: str | Path = DEFAULT_THEMES) -> tuple[Theme, ...]:
    """Read and validate a taxonomy file."""
    p, data = Path(path), read_yaml(path, "theme file")
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ConfigError(f"{p}: expected a mapping with a 'themes' list")
    themes: list[Theme] = []
    for n, item in enumerate(data["themes"], start=1):
        where = f"{p}: theme #{n}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a mapping")
        tid = item.get("id")
        if not isinstance(tid, str) or not re.match(r"^[a-z0-9-]+$", tid):
            raise ConfigError(f"{where}: field 'id' must be lowercase letters, digits and '-'")
        where = f"{p}: theme {tid!r}"
        unknown = set(item) - {"id", "name", "name_zh", "description", "terms", "lead_terms", "exclude", "context"}
        if unknown:
            raise ConfigError(f"{where}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
        terms = item.get("terms") or {}
        if not isinstance(terms, dict) or set(terms) - {"en", "zh"}:
            raise ConfigError(f"{where}: field 'terms' must map 'en' and 'zh' to term: weight mappings")
        parsed: dict[str, tuple[tuple[str, int], ...]] = {}
        for lang in ("en", "zh"):
            table = terms.get(lang) or {}
            if not isinstance(table, dict):
                raise ConfigError(f"{where}: field 'terms.{lang}' must be a mapping of term: weight")
            for term, weight in table.items():
                if not isinstance(term, str) or not term.strip() or not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 5:
                    raise ConfigError(f"{where}: term {term!r} in 'terms.{lang}' needs a weight from 1 to 5, not {weight!r}")
            parsed[lang] = tuple((str(t).strip(), int(w)) for t, w in table.items())
        lead = item.get("lead_terms") or {}
        if not isinstance(lead, dict) or set(lead) - {"en", "zh"} or not all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in lead.values()):
            raise ConfigError(f"{where}: field 'lead_terms' must map 'en' and 'zh' to lists of terms")
        exclude = item.get("exclude") or {}
        if not isinstance(exclude, dict) or set(exclude) - {"en", "zh"} or not all(isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v) for v in exclude.values()):
            raise ConfigError(f"{where}: field 'exclude' must map 'en' and 'zh' to lists of words")
        context = item.get("context") or {}
        if not isinstance(context, dict) or set(context) - {"en", "zh"} or not all(isinstance(v, list) and all(isinstance(t, str) and t.strip() for t in v) for v in context.values()):
            raise ConfigError(f"{where}: field 'context' must map 'en' and 'zh' to lists of terms")
        themes.append(
            Theme(
                id=tid,
                name=str(item.get("name") or tid),
                name_zh=str(item.get("name_zh") or ""),
                description=str(item.get("description") or ""),
                terms_en=parsed["en"],
                terms_zh=parsed["zh"],
                lead_terms=tuple(lead.get("en", [])) + tuple(lead.get("zh", [])),
                exclude=tuple(exclude.get("en", [])) + tuple(exclude.get("zh", [])),
                context=tuple(context.get("en", [])) + tuple(context.get("zh", [])),
            )
        )
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{p}: theme ids must be unique")
    return tuple(themes)


@dataclass(frozen=True)
class _Term:
    theme: str
    term: str
    weight: int
    context: bool = False  # counts only beside the theme's own terms


class Classifier:
    """A compiled lexicon (see ``lexicon.Lexicon``). Build once, classify many stories."""

    #: raw score at which a theme's score reaches 1 - 1/e
    scale = 7.0
    #: a theme applies from this score...
    threshold = 0.4
    #: ...and when it reaches this share of the best theme's score
    relative = 0.45

    #: the lead: the first characters of the text after the headline, where a news story says what it
    #: is about (about two English sentences; a Chinese character says about as much as two Latin letters)
    lead_chars = 300
    #: beyond the lead, a term counts in full from this many mentions per 1,000 characters (500 of
    #: Chinese), and in proportion below: a passing mention in a long article adds little
    dense = 2.0
    #: ...and all the terms of a theme beyond the lead add at most this many points: the text alone,
    #: without the headline or the lead, does not make a story's theme
    rest_cap = 4.0

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._lexicon: Lexicon[_Term] = Lexicon()
        for theme in self.themes:
            for term, weight in theme.terms_en + theme.terms_zh:
                self._lexicon.add(term, _Term(theme.id, term, weight))
            for word in theme.exclude:  # matched like a term, longest first, and scores nothing
                self._lexicon.add(word, _Term("", word, 0))
            for term in theme.context:
                self._lexicon.add(term, _Term(theme.id, term, 1, context=True))
        self._terms = self._lexicon.payloads
        self._hits = self._lexicon.hits
        self._leads = {theme.id: _LeadTerms(theme.lead_terms) for theme in self.themes if theme.lead_terms}

    def classify_all(self, stories: Sequence[Story]) -> list[Classification]:
        """Classify every story, in order; a large batch on every core, with the same results."""
        return chunked_map(self._classify_chunk, stories)

    def _classify_chunk(self, stories: Sequence[Story]) -> list[Classification]:
        return [self.classify(s) for s in stories]

    def classify(self, story: Story) -> Classification:
        """Score each theme by where its terms stand: the headline counts double, the lead once, the rest
        of the text by how densely it mentions them."""
        title = normalise(story.title)
        body = normalise(story.body)
        chinese = is_chinese(body[:60])
        cut = self.lead_chars // 2 if chinese else self.lead_chars
        lead, rest = body[:cut], body[cut:]
        title_hits = self._hits(title)
        lead_hits = self._hits(lead)
        rest_hits = self._hits(rest)
        per_thousand = max(1.0, len(rest) / (500 if chinese else 1000))  # the rest's length in units of ~1,000 Latin characters
        raw: dict[str, float] = {}
        from_context: dict[str, float] = {}
        from_rest: dict[str, float] = {}
        evidence: dict[str, list[tuple[str, int, str]]] = {}
        for i in sorted(set(title_hits) | set(lead_hits) | set(rest_hits)):
            t = self._terms[i]
            if not t.theme:
                continue
            points = 0.0
            where = ""
            if i in title_hits:
                points += 2 * t.weight
                where = "title"
            if i in lead_hits:
                points += t.weight
                where = where or "lead"
            if i in rest_hits:
                mentions = t.weight * min(1.0, rest_hits[i] / per_thousand / self.dense)
                if t.context:
                    points += mentions
                else:
                    from_rest[t.theme] = from_rest.get(t.theme, 0.0) + mentions
                where = where or "text"
            evidence.setdefault(t.theme, []).append((t.term, t.weight, where))
            if t.context:
                from_context[t.theme] = from_context.get(t.theme, 0.0) + points
            else:
                raw[t.theme] = raw.get(t.theme, 0.0) + points
        for tid, points in from_rest.items():
            raw[tid] += min(points, self.rest_cap)
        for tid, points in from_context.items():  # who acts counts only beside what is done
            if tid in raw:
                raw[tid] += points
        scores = {tid: 1 - math.exp(-r / self.scale) for tid, r in raw.items()}
        for tid, lead_terms in self._leads.items():
            # a lead term in the title makes an applicable theme the primary one
            if scores.get(tid, 0.0) >= self.threshold and (term := lead_terms.search(title)):
                top = max(scores.values())
                if round(scores[tid], 3) < round(top, 3) or sum(round(v, 3) == round(top, 3) for v in scores.values()) > 1:
                    # the primary is the highest score: raise this one above the others, or, where
                    # scores are already at 1, lower the others just below it
                    lead_score = min(1.0, round(top, 3) + 0.001)
                    scores = {k: (lead_score if k == tid else min(v, lead_score - 0.001)) for k, v in scores.items()}
                    evidence.setdefault(tid, []).insert(0, (f"lead: {term}", 0, "title"))
        best = max(scores.values(), default=0.0)
        order = {t.id: n for n, t in enumerate(self.themes)}
        kept = [
            ThemeScore(
                id=tid,
                score=round(s, 3),
                evidence=tuple(sorted(evidence[tid], key=lambda e: (-e[1] * {"title": 2, "lead": 1}.get(e[2], 0.5), e[0]))),
            )
            for tid, s in scores.items()
            if s >= self.threshold and s >= self.relative * best
        ]
        kept.sort(key=lambda ts: (-ts.score, order.get(ts.id, 99)))
        return Classification(story_id=story.id, themes=tuple(kept))


class _LeadTerms:
    """A theme's lead terms, matched like the lexicon's terms."""

    def __init__(self, terms: Sequence[str]) -> None:
        self._lexicon: Lexicon[str] = Lexicon()
        for term in terms:
            self._lexicon.add(term, term)

    def search(self, title: str) -> str | None:
        hits = self._lexicon.hits(title)
        return self._lexicon.payloads[min(hits)] if hits else None


@lru_cache(maxsize=4)
def _default_classifier(path: str) -> Classifier:
    return Classifier(load_themes(path))


def classify(stories: Iterable[Story], themes_path: str | Path = DEFAULT_THEMES) -> list[Classification]:
    """Classify every story, in order; a large batch (a backfill's) on every core (``parallel``)."""
    return _default_classifier(str(themes_path)).classify_all(list(stories))


def explain(classification: Classification) -> dict[str, Any]:
    """A JSON-ready account of why each theme applies."""
    return {
        t.id: {"score": t.score, "terms": [{"term": term, "weight": w, "in": where} for term, w, where in t.evidence]}
        for t in classification.themes
    }
