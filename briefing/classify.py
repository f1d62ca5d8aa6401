"""Classify stories by theme with a weighted bilingual lexicon.

The taxonomy (``config/themes.yaml``, or a file of the deployment's) gives every theme
weighted terms in English and Chinese. English terms match whole words case-insensitively (a trailing
``*`` makes the last word a prefix), also next to Chinese characters; Chinese terms match as substrings. Both lexicons run over every
story, so English, Chinese and mixed titles are classified alike. A theme's raw score adds the weights of
the distinct terms found (a title match counts double, repeats in the text add a little) and is squashed
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
from .text import normalise

__all__ = ["DEFAULT_THEMES", "Classifier", "classify", "load_themes"]

DEFAULT_THEMES = resource("config/themes.yaml")


def load_themes(path: str | Path = DEFAULT_THEMES) -> tuple[Theme, ...]:
    """Read and validate a taxonomy file."""
    p, data = read_yaml(path, "theme file")
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
        unknown = set(item) - {"id", "name", "name_zh", "description", "terms", "lead_terms"}
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
        themes.append(
            Theme(
                id=tid,
                name=str(item.get("name") or tid),
                name_zh=str(item.get("name_zh") or ""),
                description=str(item.get("description") or ""),
                terms_en=parsed["en"],
                terms_zh=parsed["zh"],
                lead_terms=tuple(lead.get("en", [])) + tuple(lead.get("zh", [])),
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


class Classifier:
    """A compiled lexicon (see ``lexicon.Lexicon``). Build once, classify many stories."""

    #: raw score at which a theme's score reaches 1 - 1/e
    scale = 7.0
    #: a theme applies from this score...
    threshold = 0.4
    #: ...and when it reaches this share of the best theme's score
    relative = 0.45

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._lexicon: Lexicon[_Term] = Lexicon()
        for theme in self.themes:
            for term, weight in theme.terms_en + theme.terms_zh:
                self._lexicon.add(term, _Term(theme.id, term, weight))
        self._terms = self._lexicon.payloads
        self._hits = self._lexicon.hits
        self._leads = {theme.id: _LeadTerms(theme.lead_terms) for theme in self.themes if theme.lead_terms}

    def classify_all(self, stories: Sequence[Story]) -> list[Classification]:
        """Classify every story, in order; a large batch on every core, with the same results."""
        return chunked_map(self._classify_chunk, stories)

    def _classify_chunk(self, stories: Sequence[Story]) -> list[Classification]:
        return [self.classify(s) for s in stories]

    def classify(self, story: Story) -> Classification:
        title = normalise(story.title)
        body = normalise(story.body)
        title_hits = self._hits(title)
        body_hits = self._hits(body)
        raw: dict[str, float] = {}
        evidence: dict[str, list[tuple[str, int, str]]] = {}
        for i in sorted(set(title_hits) | set(body_hits)):
            t = self._terms[i]
            points = 0.0
            if i in title_hits:
                points += 2 * t.weight
                evidence.setdefault(t.theme, []).append((t.term, t.weight, "title"))
            if i in body_hits:
                points += t.weight * (1 + 0.25 * (min(body_hits[i], 5) - 1))
                if i not in title_hits:
                    evidence.setdefault(t.theme, []).append((t.term, t.weight, "text"))
            raw[t.theme] = raw.get(t.theme, 0.0) + points
        scores = {tid: 1 - math.exp(-r / self.scale) for tid, r in raw.items()}
        for tid, lead in self._leads.items():
            # a lead term in the title makes an applicable theme the primary one
            if scores.get(tid, 0.0) >= self.threshold and (term := lead.search(title)):
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
                evidence=tuple(sorted(evidence[tid], key=lambda e: (-e[1] * (2 if e[2] == "title" else 1), e[0]))),
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
