"""Read and validate a taxonomy file: the themes, each with weighted English and Chinese terms.

The default taxonomy is ``config/themes.yaml`` (its header says how editors tune it). Every error names the
file, the theme and the field, as a ``ConfigError``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records import Theme
from ..resources import parse_yaml, read_config, resource

__all__ = ["DEFAULT_THEMES", "load_themes"]

DEFAULT_THEMES = resource("config/themes.yaml")

_FIELDS = {
    "id", "name", "name_zh", "description", "terms", "lead_terms", "exclude", "context", "subject", "setting",
    "sources", "head_only", "meeting", "persons",
}
_LANGS = ("en", "zh")


def load_themes(path: str | Path = DEFAULT_THEMES) -> tuple[Theme, ...]:
    """Read and validate a taxonomy file.

    The file is read each time, but text read before is not parsed again: each of a week's steps loads the
    taxonomy, and parsing it takes far longer than reading it. The themes are immutable, made
    from the path and the text alone, so an edited file gives the edited themes."""
    return _parsed(str(path), read_config(path, "theme file"))


@lru_cache(maxsize=4)
def _parsed(path: str, text: str) -> tuple[Theme, ...]:
    p, data = Path(path), parse_yaml(text, path, "theme file")
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ConfigError(f"{p}: expected a mapping with a 'themes' list")
    themes = tuple(_theme(item, f"{p}: theme #{n}", p) for n, item in enumerate(data["themes"], start=1))
    ids = [t.id for t in themes]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{p}: theme ids must be unique")
    return themes


def _theme(item: object, where: str, p: Path) -> Theme:
    """One theme's mapping, checked field by field."""
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping")
    tid = item.get("id")
    if not isinstance(tid, str) or not re.match(r"^[a-z0-9-]+$", tid):
        raise ConfigError(f"{where}: field 'id' must be lowercase letters, digits and '-'")
    where = f"{p}: theme {tid!r}"
    unknown = set(item) - _FIELDS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    terms = _terms(item.get("terms") or {}, where)
    lead = _word_lists(item.get("lead_terms") or {}, where, "lead_terms", "lists of terms", blank_ok=True)
    exclude = _word_lists(item.get("exclude") or {}, where, "exclude", "lists of words", blank_ok=False)
    context = _word_lists(item.get("context") or {}, where, "context", "lists of terms", blank_ok=False)
    subject = _word_lists(item.get("subject") or {}, where, "subject", "lists of terms", blank_ok=False)
    setting = _word_lists(item.get("setting") or {}, where, "setting", "lists of the theme's terms", blank_ok=False)
    meeting = _word_lists(item.get("meeting") or {}, where, "meeting", "lists of words", blank_ok=False)
    persons = _word_lists(item.get("persons") or {}, where, "persons", "lists of context terms", blank_ok=False)
    own = {t.casefold() for t, _ in terms["en"] + terms["zh"]}
    if any(word.casefold() not in own for word in setting):
        raise ConfigError(f"{where}: field 'setting' lists only the theme's own terms")
    if any(word.casefold() not in {c.casefold() for c in context} for word in persons):
        raise ConfigError(f"{where}: field 'persons' lists only the theme's context terms")
    return Theme(
        id=tid,
        name=str(item.get("name") or tid),
        name_zh=str(item.get("name_zh") or ""),
        description=str(item.get("description") or ""),
        terms_en=terms["en"],
        terms_zh=terms["zh"],
        lead_terms=lead,
        exclude=exclude,
        context=context,
        subject=subject,
        setting=setting,
        sources=_sources(item.get("sources") or [], where),
        head_only=_flag(item.get("head_only", False), where, "head_only"),
        meeting=meeting,
        persons=persons,
    )


def _terms(terms: Any, where: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """``terms``: each language's mapping of term to weight (1 to 5)."""
    if not isinstance(terms, dict) or set(terms) - set(_LANGS):
        raise ConfigError(f"{where}: field 'terms' must map 'en' and 'zh' to term: weight mappings")
    parsed: dict[str, tuple[tuple[str, int], ...]] = {}
    for lang in _LANGS:
        table = terms.get(lang) or {}
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: field 'terms.{lang}' must be a mapping of term: weight")
        for term, weight in table.items():
            if not _is_weight(weight) or not isinstance(term, str) or not term.strip():
                needs = f"needs a weight from 1 to 5, not {weight!r}"
                raise ConfigError(f"{where}: term {term!r} in 'terms.{lang}' {needs}")
        parsed[lang] = tuple((str(t).strip(), int(w)) for t, w in table.items())
    return parsed


def _sources(value: Any, where: str) -> tuple[str, ...]:
    """``sources``: a list of source ids whose beat is the theme."""
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise ConfigError(f"{where}: field 'sources' must be a list of source ids")
    return tuple(s.strip() for s in value)


def _flag(value: Any, where: str, field: str) -> bool:
    """A yes-or-no field: true or false."""
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: field '{field}' must be true or false")
    return value


def _is_weight(weight: object) -> bool:
    return isinstance(weight, int) and not isinstance(weight, bool) and 1 <= weight <= 5


def _word_lists(value: Any, where: str, field: str, what: str, *, blank_ok: bool) -> tuple[str, ...]:
    """A field that maps 'en' and 'zh' to lists of words: the English words, then the Chinese."""
    ok = isinstance(value, dict) and not set(value) - set(_LANGS)
    if ok:
        for words in value.values():
            ok = ok and isinstance(words, list)
            ok = ok and all(isinstance(t, str) and (blank_ok or t.strip()) for t in words)
    if not ok:
        raise ConfigError(f"{where}: field '{field}' must map 'en' and 'zh' to {what}")
    return tuple(value.get("en", [])) + tuple(value.get("zh", []))
