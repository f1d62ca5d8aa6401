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


_TOKEN_RE = re.compile(r"[a-z0-9]+|[-,']")


def _tokens(text: str) -> list[str]:
    """Latin tokens of normalised text; Chinese characters are skipped, so "DeepSeek发布" gives deepseek."""
    return _TOKEN_RE.findall(text.replace("’", "'"))


class Classifier:
    """A compiled lexicon. Build once, classify many stories.

    Latin terms are matched on tokens (a dictionary lookup per token, prefix terms by their prefixes) and
    Chinese terms as substrings (a lookup per character that can start a term), both leftmost-longest
    and without overlap, so a story costs time in proportion to its length, not to the lexicon's size.
    """

    #: raw score at which a theme's score reaches 1 - 1/e
    scale = 7.0
    #: a theme applies from this score...
    threshold = 0.4
    #: ...and when it reaches this share of the best theme's score
    relative = 0.45

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.themes = tuple(themes)
        self._terms: list[_Term] = []
        # Latin: first token -> [(pattern tokens, last token is a prefix, term indices)], longest first
        self._exact: dict[str, list[tuple[tuple[str, ...], bool, list[int]]]] = {}
        self._prefix: dict[str, list[tuple[tuple[str, ...], bool, list[int]]]] = {}
        # Chinese: term -> indices, and for each first character the term lengths that start with it
        self._zh: dict[str, list[int]] = {}
        self._zh_lengths: dict[str, list[int]] = {}
        for theme in self.themes:
            for term, weight in theme.terms_en + theme.terms_zh:
                self._add(term, _Term(theme.id, term, weight))
        for key in list(self._exact) + list(self._prefix):
            for table in (self._exact, self._prefix):
                if key in table:
                    table[key].sort(key=lambda entry: -len(entry[0]))
        for first in self._zh_lengths:
            self._zh_lengths[first] = sorted(set(self._zh_lengths[first]), reverse=True)
        self._leads = {theme.id: _LeadTerms(theme.lead_terms) for theme in self.themes if theme.lead_terms}

    def _add(self, term: str, entry: _Term) -> None:
        """Index one term; a term listed under several themes counts for each of them."""
        index = len(self._terms)
        self._terms.append(entry)
        text = normalise(term)
        if _CJK_RE.search(text):
            if text not in self._zh:
                self._zh_lengths.setdefault(text[0], []).append(len(text))
            self._zh.setdefault(text, []).append(index)
            return
        prefix = text.endswith("*")
        tokens = tuple(_tokens(text.rstrip("*")))
        if not tokens:
            return
        table = self._prefix if prefix and len(tokens) == 1 else self._exact
        entries = table.setdefault(tokens[0], [])
        for pattern, is_prefix, indices in entries:
            if pattern == tokens and is_prefix == prefix:
                indices.append(index)
                return
        entries.append((tokens, prefix, [index]))

    def _hits(self, text: str) -> dict[int, int]:
        found: dict[int, int] = {}
        if not text:
            return found
        toks = _tokens(text)
        i = 0
        while i < len(toks):
            tok = toks[i]
            candidates = list(self._exact.get(tok, ()))
            for k in range(1, len(tok) + 1):
                candidates.extend(self._prefix.get(tok[:k], ()))
            best: tuple[int, list[int]] | None = None  # (length, term indices)
            for pattern, prefix, indices in candidates:
                n = len(pattern)
                if i + n > len(toks) or (best and n <= best[0]):
                    continue
                if all(toks[i + j] == pattern[j] for j in range(n - 1)) and (
                    toks[i + n - 1].startswith(pattern[-1]) if prefix else toks[i + n - 1] == pattern[-1]
                ):
                    best = (n, indices)
            if best:
                for index in best[1]:
                    found[index] = found.get(index, 0) + 1
                i += best[0]
            else:
                i += 1
        i = 0
        while i < len(text):
            lengths = self._zh_lengths.get(text[i])
            step = 1
            if lengths:
                for n in lengths:
                    found_at = self._zh.get(text[i : i + n])
                    if found_at is not None:
                        for index in found_at:
                            found[index] = found.get(index, 0) + 1
                        step = n
                        break
            i += step
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
        for tid, lead in self._leads.items():
            # a lead term in the title makes an applicable theme the primary one
            if scores.get(tid, 0.0) >= self.threshold and (term := lead.search(title)):
                top = max(scores.values())
                if scores[tid] < top:
                    scores[tid] = min(1.0, top + 0.001)
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
        self._matcher = Classifier(())
        for term in terms:
            self._matcher._add(term, _Term("", term, 1))

    def search(self, title: str) -> str | None:
        hits = self._matcher._hits(title)
        return self._matcher._terms[min(hits)].term if hits else None


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
