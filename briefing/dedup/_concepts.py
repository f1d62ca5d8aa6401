"""The general news words a Chinese and an English report of one event share: a bilingual concept list.

Names (``config/names.yaml``), product codes and figures are written alike in both languages; everything
else a headline says is not. "Biden signs executive order on AI safety" and "拜登签署AI安全行政命令" share
a name and a code, but "signs" and "签署", "safety" and "安全" are other words. The concept list
(``config/concepts.yaml``) maps the common vocabulary of technology, economy, policy and science news,
in either language, to one concept token (``~id``: "signs", "signed" and "签署" are ``~signing``), so that
the same-event model can compare what two stories in different languages say (``_events``), and the
candidate search can propose such pairs (``_candidates``). The words are found as the names are
(``_keywords._NameFinder``: whole English words, a trailing ``*`` a prefix; Chinese substrings).
"""

from __future__ import annotations

import re
from collections.abc import Container
from pathlib import Path
from typing import cast

from ..errors import ConfigError
from ..resources import read_yaml, resource

__all__ = ["CONCEPT", "DEFAULT_CONCEPTS", "checked_entry", "load_concepts"]

DEFAULT_CONCEPTS = resource("config/concepts.yaml")
#: the first character of a concept token
CONCEPT = "~"


def load_concepts(path: str | Path = DEFAULT_CONCEPTS) -> tuple[tuple[str, str], ...]:
    """Every alias of a concept list with its token (``~id``): sections of any name, each mapping an id
    to its English and Chinese aliases; ids unique across sections."""
    p, data = Path(path), read_yaml(path, "concept list")
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{p}: expected sections, each a mapping of id: {{en: [...], zh: [...]}}")
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise ConfigError(f"{p}: section {section!r} must be a mapping of id: {{en: [...], zh: [...]}}")
        for concept, aliases in entries.items():
            checked = checked_entry(f"{p}: {section} {concept!r}", concept, aliases, seen, concept=True)
            seen.add(concept)
            out.extend((term, CONCEPT + concept) for terms in checked.values() for term in terms)
    return tuple(out)


def checked_entry(
    where: str, entry_id: object, aliases: object, seen: Container[str], *, concept: bool = False
) -> dict[str, list[str]]:
    """An entry of a bilingual list (the name dictionary, ``_keywords.load_names``, or the concept list),
    checked, and its aliases by language: ``entry_id`` of lowercase letters, digits and '-', not among the
    ids ``seen``; ``aliases`` a mapping of 'en' and 'zh', or one of them, to lists of non-empty aliases.
    A ``concept`` has both languages, each with an alias, and no Chinese alias of one character. Each
    error begins with ``where``."""
    if not isinstance(entry_id, str) or not re.match(r"^[a-z0-9-]+$", entry_id):
        raise ConfigError(f"{where}: an id must be lowercase letters, digits and '-'")
    if entry_id in seen:
        raise ConfigError(f"{where}: the id is listed twice")
    if concept and (not isinstance(aliases, dict) or set(aliases) != {"en", "zh"}):
        raise ConfigError(f"{where}: expected 'en' and 'zh', each a list of aliases (a concept has both)")
    if not isinstance(aliases, dict) or not aliases or set(aliases) - {"en", "zh"}:
        raise ConfigError(f"{where}: expected a mapping of 'en' and 'zh' to lists of aliases")
    for lang, terms in aliases.items():
        if (
            not isinstance(terms, list)
            or (concept and not terms)
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise ConfigError(f"{where}: '{lang}' must be a list of non-empty aliases")
        if concept and lang == "zh" and any(len(t.strip()) < 2 for t in terms):
            raise ConfigError(f"{where}: a single character is part of too many Chinese words")
    return cast(dict[str, list[str]], aliases)
