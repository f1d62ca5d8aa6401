"""Classify stories by theme with a weighted bilingual lexicon.

The taxonomy (``config/themes.yaml``, or a file of the deployment's) gives every theme
weighted terms in English and Chinese. English terms match whole words case-insensitively (a trailing
``*`` makes the last word a prefix); Chinese terms match as substrings. Both lexicons run over every
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

import yaml

from .errors import ConfigError
from .records import Classification, Story, Theme, ThemeScore
from .resources import resource
from .text import normalise

__all__ = ["DEFAULT_THEMES", "Classifier", "classify", "load_themes"]

DEFAULT_THEMES = resource("config/themes.yaml")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def load_themes(path: str | Path = DEFAULT_THEMES) -> tuple[Theme, ...]:
    """Read and validate a taxonomy file."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the theme file: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from e
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
        unknown = set(item) - {"id", "name", "name_zh", "description", "terms"}
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
        themes.append(
            Theme(
                id=tid,
                name=str(item.get("name") or tid),
                name_zh=str(item.get("name_zh") or ""),
                description=str(item.get("description") or ""),
                terms_en=parsed["en"],
                terms_zh=parsed["zh"],
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
    """A compiled lexicon. Build once, classify many stories."""

    #: raw score at which a theme's score reaches 1 - 1/e
    scale = 7.0
    #: a theme applies from this score...
    threshold = 0.4
    #: ...and when it reaches this share of the best theme's score
    relative = 0.45

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        terms: list[_Term] = []
        en: list[str] = []
        zh: list[str] = []
        for theme in self.themes:
            for term, weight in theme.terms_en:
                en.append(self._en_pattern(term, len(terms)))
                terms.append(_Term(theme.id, term, weight))
            for term, weight in theme.terms_zh:
                if _CJK_RE.search(term):
                    zh.append(f"(?P<t{len(terms)}>{re.escape(normalise(term))})")
                else:  # a Latin acronym listed for Chinese text, e.g. PUE: match it as a word
                    en.append(self._en_pattern(term, len(terms)))
                terms.append(_Term(theme.id, term, weight))
        self._terms = terms
        # longest alternatives first so that "data centre power" wins over "data centre"
        self._en = re.compile("|".join(sorted(en, key=len, reverse=True))) if en else None
        self._zh = re.compile("|".join(sorted(zh, key=len, reverse=True))) if zh else None

    @staticmethod
    def _en_pattern(term: str, index: int) -> str:
        text = normalise(term)
        prefix = text.endswith("*")
        body = r"\s+".join(re.escape(w) for w in text.rstrip("*").split())
        tail = r"[a-z0-9-]*" if prefix else ""
        # ASCII boundaries: a Latin term next to Chinese characters ("DeepSeek发布") still matches
        return rf"(?P<t{index}>(?<![a-z0-9_-]){body}{tail}(?![a-z0-9_]))"

    def _hits(self, text: str) -> dict[int, int]:
        found: dict[int, int] = {}
        if not text:
            return found
        for regex in (self._en, self._zh):
            if regex is None:
                continue
            for m in regex.finditer(text):
                assert m.lastgroup is not None
                i = int(m.lastgroup[1:])
                found[i] = found.get(i, 0) + 1
        return found

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


@lru_cache(maxsize=4)
def _default_classifier(path: str) -> Classifier:
    return Classifier(load_themes(path))


def classify(stories: Iterable[Story], themes_path: str | Path = DEFAULT_THEMES) -> list[Classification]:
    """Classify every story, in order."""
    classifier = _default_classifier(str(themes_path))
    return [classifier.classify(s) for s in stories]


def explain(classification: Classification) -> dict[str, Any]:
    """A JSON-ready account of why each theme applies."""
    return {
        t.id: {"score": t.score, "terms": [{"term": term, "weight": w, "in": where} for term, w, where in t.evidence]}
        for t in classification.themes
    }
