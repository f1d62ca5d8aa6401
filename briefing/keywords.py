"""What a story is about, as a set of words, to recognise one event told in other words or languages.

A rewrite of an event shares few sentences with the original but most of its rare words: the names of
the companies, agencies and places, the product, the instrument ("anti-dumping", "光刻机"), the figures.
A story's keywords are read from its headline and the lead of its text (``LEAD_CHARS``, where a news
story says what happened):

- English words (stop words dropped, a plural's ``s`` cut) and Chinese character pairs;
- ``@id`` for each name of the name dictionary (``config/names.yaml``) found, so that "SMIC" and
  "中芯国际", or "anti-dumping" and "反倾销", are one word in both languages;
- ``#figure`` for each figure with its unit (``facts``: "1,200 km" and "1200公里" are one);
- product codes: Latin tokens with a digit ("glm-5", "s5000", "qwen3.5"), written alike in both
  languages.

The names, figures and codes are also kept apart as the story's ``neutral`` words: the ones a report in
the other language can share. The dedup stage weights each word by its rarity in the batch and compares
stories by the weighted share of their words (``weighted_jaccard``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ConfigError
from .facts import quantity_keys
from .lexicon import Lexicon
from .resources import resource
from .text import normalise

__all__ = ["DEFAULT_NAMES", "LEAD_CHARS", "NAME_KINDS", "KeywordReader", "Keywords", "Names", "load_names", "rarity", "weighted_jaccard"]

DEFAULT_NAMES = resource("config/names.yaml")
#: how much of a story's text, after the headline, is read for keywords
LEAD_CHARS = 600

_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]+")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9.'’-]*[a-z0-9]|[a-z]")
_CODE_RE = re.compile(r"^(?=.*[a-z])(?=.*\d)[a-z0-9.-]+$")
_STOP = frozenset(  # one string, so that the list reads as prose; split once at import
    """
    about above across after again against also among and another any are around because been before being
    between both but can could did does doing down during each either few for from further had has have
    having here how however into its itself just last least less made make makes many may more most much must
    near next not now off once only other others our out over own per same says said say should since some
    still such than that the their them then there these they this those through under until upon very was
    were what when where which while who whom whose why will with within without would year years yet you
    your week weeks month months day days today yesterday monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december china chinese
    company companies group firm firms told according percent cent first new one two three
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Keywords:
    words: frozenset[str]  # every keyword
    neutral: frozenset[str]  # the names, figures and codes among them: what the other language can share
    headline_who: frozenset[str] = frozenset()  # the organisations the headline names
    headline_where: frozenset[str] = frozenset()  # the places the headline names
    headline_figures: frozenset[tuple[str, float]] = frozenset()  # the headline's figures, (unit, value)

    def told_apart(self, other: Keywords) -> bool:
        """Whether two headlines name different news: each names an organisation, or each a place, that
        the other story never mentions ("China Telecom … in Urumqi" against "Sugon … in Shenzhen"), or
        both give a figure in one unit and none of them agree ("88.3 billion yuan" against "126.6
        billion yuan")."""
        for a, b in ((self.headline_who, other.headline_who), (self.headline_where, other.headline_where)):
            if a and b and not (a & other.neutral) and not (b & self.neutral):
                return True
        units = {u for u, _ in self.headline_figures} & {u for u, _ in other.headline_figures}
        return bool(units) and not any(f in other.headline_figures for f in self.headline_figures if f[0] in units)


#: the sections of a name dictionary; names of the first two tell stories apart (``Keywords.told_apart``)
NAME_KINDS = ("organisations", "places", "things")


@dataclass(frozen=True)
class Names:
    """A name dictionary, compiled: every alias maps to ``@id``."""

    lexicon: Lexicon[str]
    #: the ids (as ``@id``) of organisations and of places
    who: frozenset[str]
    where: frozenset[str]


def load_names(path: str | Path = DEFAULT_NAMES) -> Names:
    """Read a name dictionary (``config/names.yaml``): sections ``organisations``, ``places`` and
    ``things``, each mapping an id to its English and Chinese aliases."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the name dictionary: {e.strerror or e}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{p}: not valid YAML: {e}") from e
    if not isinstance(data, dict) or not data or set(data) - set(NAME_KINDS):
        raise ConfigError(f"{p}: expected the sections {', '.join(NAME_KINDS)}, each a mapping of id: {{en: [...], zh: [...]}}")
    lexicon: Lexicon[str] = Lexicon()
    kinds: dict[str, set[str]] = {kind: set() for kind in NAME_KINDS}
    for kind in NAME_KINDS:
        section = data.get(kind) or {}
        if not isinstance(section, dict):
            raise ConfigError(f"{p}: section {kind!r} must be a mapping of id: {{en: [...], zh: [...]}}")
        for name_id, aliases in section.items():
            where = f"{p}: {kind} {name_id!r}"
            if not isinstance(name_id, str) or not re.match(r"^[a-z0-9-]+$", name_id):
                raise ConfigError(f"{where}: an id must be lowercase letters, digits and '-'")
            if any("@" + name_id in ids for ids in kinds.values()):
                raise ConfigError(f"{where}: the id is listed twice")
            if not isinstance(aliases, dict) or not aliases or set(aliases) - {"en", "zh"}:
                raise ConfigError(f"{where}: expected a mapping of 'en' and 'zh' to lists of aliases")
            for lang, terms in aliases.items():
                if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
                    raise ConfigError(f"{where}: '{lang}' must be a list of non-empty aliases")
                for term in terms:
                    lexicon.add(term, "@" + name_id)
            kinds[kind].add("@" + name_id)
    return Names(lexicon, frozenset(kinds["organisations"]), frozenset(kinds["places"]))


@lru_cache(maxsize=4)
def _default_names(path: str) -> Names:
    return load_names(path)


class KeywordReader:
    """Reads stories' keywords with one name dictionary."""

    def __init__(self, names: Names | None = None) -> None:
        self.names = names if names is not None else _default_names(str(DEFAULT_NAMES))
        self._lexicon = self.names.lexicon

    def read(self, title: str, body: str, figures: Iterable[tuple[str, float]] = ()) -> Keywords:
        """Keywords of a story; ``title`` and ``body`` in NFKC (``facts.nfkc``), ``figures`` as
        ``facts.quantity_keys`` gives them."""
        headline = normalise(title)
        text = normalise(f"{title}\n{body[:LEAD_CHARS]}")
        found = self._lexicon.hits(headline)
        who = frozenset(n for i in found if (n := self._lexicon.payloads[i]) in self.names.who)
        where = frozenset(n for i in found if (n := self._lexicon.payloads[i]) in self.names.where)
        neutral = {self._lexicon.payloads[i] for i in self._lexicon.hits(text)}
        neutral.update(f"#{unit}{value:.3g}" for unit, value in figures)
        words = set(neutral)
        for run in _CJK_RUN_RE.findall(text):
            words.update(run[i : i + 2] for i in range(len(run) - 1))
        for word in _WORD_RE.findall(_CJK_RUN_RE.sub(" ", text)):
            word = word.replace("’", "'")
            if word.endswith("'s"):
                word = word[:-2]
            if _CODE_RE.match(word):
                neutral.add(word)
                words.add(word)
            elif len(word) > 2 and word not in _STOP:
                words.add(word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word)
        return Keywords(frozenset(words), frozenset(neutral), who, where, frozenset(quantity_keys(title)))


def rarity(document_frequency: Mapping[str, int], stories: int) -> dict[str, float]:
    """Each word's weight: its inverse document frequency ``ln((n + 1) / df)``, so that a word every story
    of the batch carries (a template's boilerplate) weighs next to nothing."""
    return {w: math.log((stories + 1) / df) for w, df in document_frequency.items()}


def weighted_jaccard(a: frozenset[str], b: frozenset[str], weight: Mapping[str, float]) -> float:
    """The weight of the words two sets share over the weight of all their words."""
    if not a or not b:
        return 0.0
    shared = sum(weight[w] for w in a & b)
    if not shared:
        return 0.0
    return shared / (sum(weight[w] for w in a) + sum(weight[w] for w in b) - shared)
