"""The names, figures and codes of a story: what a report in the other language shares with it, and what
tells two headlines about the same company or place apart.

A story's keywords are read from its headline and the lead of its text (``LEAD_CHARS``, where a news
story says what happened):

- ``@id`` for each name of the name dictionary (``config/names.yaml``) found, so that "SMIC" and
  "中芯国际", or "anti-dumping" and "反倾销", are one word in both languages;
- ``#figure`` for each figure with its unit (``facts``: "1,200 km" and "1200公里" are one);
- product codes: Latin tokens with a digit ("glm-5", "s5000", "qwen3.5"), written alike in both
  languages.

These are the story's ``neutral`` words. The same-event model of ``events`` weighs them beside the
headline's and the lead's words, and ``Keywords.told_apart`` holds two headlines apart that name other
organisations, places or figures. Beside them, ``KeywordReader.concepts`` reads a text's general news
words with the bilingual concept list (``_concepts``: "signs" and "签署" are ``~signing``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from ..resources import read_yaml, resource
from ..text import HAN_RUN_RE, is_chinese, normalise
from ._concepts import DEFAULT_CONCEPTS, checked_entry, load_concepts
from ._facts import FigureKey, quantity_keys
from ._scan import NAME_TOKEN_RE, STOP_WORDS, Scan, joined, scan

__all__ = [
    "DEFAULT_NAMES",
    "LEAD_CHARS",
    "NAME_KINDS",
    "STOP_WORDS",
    "KeywordReader",
    "Keywords",
    "Names",
    "load_names",
]

DEFAULT_NAMES = resource("config/names.yaml")
#: how much of a story's text, after the headline, is read for keywords: about the first two sentences
#: in English; a Chinese character says about as much as two Latin letters, so half as many of them
LEAD_CHARS = 300

_DIGIT_RE = re.compile(r"\d")
#: product codes: a run of letters, digits, dots and hyphens with a letter and a digit ("glm-5", "s5000")
_CODE_RE = re.compile(r"(?<![a-z0-9.-])(?=[a-z.-]*[0-9])(?=[0-9.-]*[a-z])[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Keywords:
    neutral: tuple[str, ...]  # the names, figures and codes: what the other language can share
    headline_who: frozenset[str] = frozenset()  # the organisations the headline names
    headline_where: frozenset[str] = frozenset()  # the places the headline names
    headline_figures: frozenset[FigureKey] = frozenset()  # the headline's figures

    def told_apart(self, other: Keywords) -> bool:
        """Whether two headlines name different news: each names an organisation, or each a place, that
        the other story never mentions ("China Telecom … in Urumqi" against "Sugon … in Shenzhen"), or
        both give a figure in one unit and none of them agree ("88.3 billion yuan" against "126.6
        billion yuan")."""
        for a, b in ((self.headline_who, other.headline_who), (self.headline_where, other.headline_where)):
            if a and b and a.isdisjoint(other.neutral) and b.isdisjoint(self.neutral):
                return True
        units = {u for u, _ in self.headline_figures} & {u for u, _ in other.headline_figures}
        return bool(units) and not any(f in other.headline_figures for f in self.headline_figures if f[0] in units)


#: the sections of a name dictionary; names of the first two tell stories apart (``Keywords.told_apart``)
NAME_KINDS = ("organisations", "places", "things")


@dataclass(frozen=True)
class Names:
    """A name dictionary: every alias with its ``@id``, and which ids are organisations and places."""

    #: the ids (as ``@id``) of organisations and of places
    who: frozenset[str]
    where: frozenset[str]
    #: every alias as written, with its ``@id``
    aliases: tuple[tuple[str, str], ...] = ()
    #: the dictionary's ``words``: longer Chinese words and names that hold an alias but are not its name
    #: (中国网, a news site, holds 国网; 昆士兰 holds 兰州), matched like aliases, longest first, naming no one
    words: tuple[str, ...] = ()
    #: ``@id`` -> the English an offline note gives the name (an entry's ``note``), where its first English
    #: alias says more than its Chinese aliases do (榜单 is any ranking, not a benchmark leaderboard)
    notes: tuple[tuple[str, str], ...] = ()


def load_names(path: str | Path = DEFAULT_NAMES) -> Names:
    """Read a name dictionary (``config/names.yaml``): sections ``organisations``, ``places`` and
    ``things``, each mapping an id to its English and Chinese aliases (and, optionally, ``note``: the
    English an offline note gives it); and, optionally, ``words``: a list of longer Chinese words that hold
    an alias but are not that name."""
    p, data = Path(path), read_yaml(path, "name dictionary")
    if not isinstance(data, dict) or not data or set(data) - {*NAME_KINDS, "words"}:
        raise ConfigError(
            f"{p}: expected the sections {', '.join(NAME_KINDS)}, each a mapping of id: {{en: [...], zh: [...]}},"
            " and optionally words: a list of Chinese words"
        )
    every_alias: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    kinds: dict[str, set[str]] = {kind: set() for kind in NAME_KINDS}
    seen: set[str] = set()
    for kind in NAME_KINDS:
        section = data.get(kind) or {}
        if not isinstance(section, dict):
            raise ConfigError(f"{p}: section {kind!r} must be a mapping of id: {{en: [...], zh: [...]}}")
        for name_id, aliases in section.items():
            if isinstance(aliases, dict) and "note" in aliases:
                aliases = dict(aliases)
                note = aliases.pop("note")
                if not isinstance(note, str) or not note.strip():
                    raise ConfigError(f"{p}: {kind} {name_id!r}: 'note' must be a non-empty English name")
                notes.append(("@" + str(name_id), note.strip()))
            checked = checked_entry(f"{p}: {kind} {name_id!r}", name_id, aliases, seen)
            seen.add(name_id)
            every_alias.extend((term, "@" + name_id) for terms in checked.values() for term in terms)
            kinds[kind].add("@" + name_id)
    words = data.get("words") or []
    if not isinstance(words, list) or not all(isinstance(w, str) and is_chinese(w) and len(w) > 1 for w in words):
        raise ConfigError(f"{p}: 'words' must be a list of Chinese words of two or more characters")
    return Names(
        frozenset(kinds["organisations"]), frozenset(kinds["places"]), tuple(every_alias), tuple(words), tuple(notes)
    )


@lru_cache(maxsize=4)
def _default_names(path: str) -> Names:
    return load_names(path)


@lru_cache(maxsize=4)
def _default_finder(path: str) -> _NameFinder:
    return _NameFinder(_default_names(path).aliases)


@lru_cache(maxsize=4)
def _default_concepts(path: str) -> _NameFinder:
    return _NameFinder(load_concepts(path))


class _NameFinder:
    """Finds the names of a dictionary in lower-cased NFKC text by set lookups, not by walking the text.

    The words (Latin) and character pairs (Chinese) of a text are made once; a name is looked for only
    where its first word or first pair is among them, then confirmed in the text (a whole-word regular
    expression, or a substring). So finding 300 names costs a few set intersections per story. Which
    one-word and prefix aliases a word is (or begins with) is looked up the first time the finder meets
    the word, and remembered: news repeats its words.
    """

    def __init__(self, aliases: Iterable[tuple[str, str]]) -> None:
        self._aliases = aliases = tuple(aliases)
        self.words: dict[str, set[str]] = {}  # a one-word alias -> its ids
        self.prefixes: dict[
            str, list[tuple[str, str]]
        ] = {}  # first 3 letters of a one-word prefix alias -> (prefix, id)
        self.phrases: dict[
            str, list[tuple[frozenset[str], re.Pattern[str], str]]
        ] = {}  # the longest word a longer alias needs -> (the words it needs, pattern, id)
        self.pairs: dict[str, list[tuple[str, str]]] = {}  # first character pair of a Chinese alias -> (alias, id)
        self.chars: list[tuple[str, str]] = []  # one-character Chinese aliases
        for alias, name in aliases:
            text = normalise(alias).replace("’", "'")
            if HAN_RUN_RE.search(text):
                if len(text) == 1:
                    self.chars.append((text, name))
                else:
                    self.pairs.setdefault(text[:2], []).append((text, name))
                continue
            prefix = text.endswith("*")
            text = text.rstrip("*")
            tokens = NAME_TOKEN_RE.findall(text)
            if not tokens:
                continue
            if len(tokens) == 1 and text == tokens[0]:
                if prefix and len(text) >= 3:
                    self.prefixes.setdefault(text[:3], []).append((text, name))
                    continue
                if not prefix:
                    self.words.setdefault(text, set()).add(name)
                    continue
            # the words a text must have: all of the alias's (but a prefix's last), and its first; filed
            # under the longest of them, which fewer texts have than "in" or "the"
            needed = frozenset(tokens[:-1] if prefix else tokens) | {tokens[0]}
            key = max((t for t in tokens if t in needed), key=len)
            self.phrases.setdefault(key, []).append((needed, _alias_pattern(tokens, prefix), name))
        self._phrase_starts = set(self.phrases)
        self._by_prefix: dict[str, set[str]] = {}  # a prefix alias -> its ids
        for entries in self.prefixes.values():
            for start, name_id in entries:
                self._by_prefix.setdefault(start, set()).add(name_id)
        # the words already looked up, and those of them that are a one-word or prefix alias, with its ids
        self._seen: set[str] = set()
        self._hits: dict[str, frozenset[str]] = {}
        self._checks: dict[str, list[re.Pattern[str] | str]] | None = None  # made when first needed

    def named_in(self, names: Iterable[str], text: str) -> set[str]:
        """Those of ``names`` that one of their aliases names in ``text`` (lower-cased)."""
        checks = self._checks if self._checks is not None else self._make_checks()
        return {
            n for n in names if any((c in text) if isinstance(c, str) else c.search(text) for c in checks.get(n, ()))
        }

    def _make_checks(self) -> dict[str, list[re.Pattern[str] | str]]:
        """Every alias of a name, to check a name found in a text against a part of it (the headline)."""
        checks: dict[str, list[re.Pattern[str] | str]] = {}
        for alias, name in self._aliases:
            text = normalise(alias).replace("’", "'")
            if HAN_RUN_RE.search(text):
                checks.setdefault(name, []).append(text)
            elif tokens := NAME_TOKEN_RE.findall(text.rstrip("*")):
                checks.setdefault(name, []).append(_alias_pattern(tokens, text.endswith("*")))
        self._checks = checks
        return checks

    def find(self, scanned: Scan) -> set[str]:
        """The ids of the names in a text, as ``_scan.scan`` read it."""
        latin, tokens, text, pairs = scanned.latin, scanned.tokens, scanned.text, scanned.pairs
        found: set[str] = set()
        seen, hits = self._seen, self._hits
        if len(seen) > _SEEN_LIMIT:  # a long-lived finder forgets, rather than holding every word it met
            seen, hits = self._seen, self._hits = set(), {}
        for token in tokens.difference(seen):  # each word looked up once, the first time it is met
            seen.add(token)
            if ids := self._word_ids(token):
                hits[token] = ids
        for token in hits.keys() & tokens:
            found.update(hits[token])
        for token in self._phrase_starts.intersection(tokens):
            for needed, pattern, name in self.phrases[token]:
                if name not in found and needed.issubset(tokens) and pattern.search(latin):
                    found.add(name)
        for pair in self.pairs.keys() & pairs:
            for alias, name in self.pairs[pair]:
                if name not in found and (len(alias) == 2 or alias in text):
                    found.add(name)
        for char, name in self.chars:
            if char in text:
                found.add(name)
        return found

    def _word_ids(self, token: str) -> frozenset[str]:
        """The ids of the one-word aliases a word is, and of the prefix aliases it begins with."""
        ids = set(self.words.get(token, ()))
        if token[:3] in self.prefixes:
            for k in range(3, len(token) + 1):
                ids.update(self._by_prefix.get(token[:k], ()))
        return frozenset(ids)


#: how many words a name finder remembers having looked up before it starts again (a week's news uses
#: some tens of thousands)
_SEEN_LIMIT = 200_000


def _alias_pattern(tokens: list[str], prefix: bool) -> re.Pattern[str]:
    """A Latin alias as whole words, spaces, hyphens or apostrophes between them; ``prefix``: the last
    word may go on ("lithograph" finds "lithography")."""
    body = r"[\s\-']*".join(re.escape(t) for t in tokens)
    return re.compile(rf"(?<![a-z0-9]){body}{'[a-z0-9]*' if prefix else ''}(?![a-z0-9])")


class KeywordReader:
    """Reads stories' keywords with one name dictionary, and their general news words with one concept
    list (``_concepts``: every alias with its ``~id``; the shipped ``config/concepts.yaml`` by default)."""

    def __init__(self, names: Names | None = None, concepts: Iterable[tuple[str, str]] | None = None) -> None:
        self.names = names if names is not None else _default_names(str(DEFAULT_NAMES))
        # the shipped dictionary's finder is made once per process, as the concepts' is: a finder is the
        # dictionary's compiled aliases and a memo of the words it has looked up, the same for every reader
        self._finder = _default_finder(str(DEFAULT_NAMES)) if names is None else _NameFinder(self.names.aliases)
        self._who_where = self.names.who | self.names.where
        self._concepts = _NameFinder(concepts) if concepts is not None else _default_concepts(str(DEFAULT_CONCEPTS))

    def named_in(self, names: Iterable[str], text: str) -> set[str]:
        """Which of ``names`` (a story's, as ``read`` found them) ``text`` in NFKC names itself."""
        return self._finder.named_in(names, text)

    def concepts(self, text: str | Scan) -> set[str]:
        """The concept tokens (``~id``) of a text in NFKC (or as ``_scan.scan`` read it): what it says in
        words both languages have."""
        return self._concepts.find(scan(text) if isinstance(text, str) else text)

    def read(
        self,
        title: str,
        body: str,
        figures: Iterable[FigureKey] = (),
        headline_figures: Iterable[FigureKey] | None = None,
        scanned: tuple[Scan, Scan] | None = None,
    ) -> Keywords:
        """Keywords of a story; ``title`` and ``body`` in NFKC (``text.nfkc``), ``figures`` (of the whole
        story) and ``headline_figures`` (of the title alone, read from it if not given) as
        ``facts.quantity_keys`` gives them; ``scanned``, when the caller has read them (``_scan.scan``),
        the title and the beginning of the body (not more than the lead), which are then not read again."""
        lead = body[:LEAD_CHARS]
        if HAN_RUN_RE.search(lead[:40]):
            lead = lead[: LEAD_CHARS // 2]
        if scanned is None or scanned[0].raw != title or not lead.startswith(scanned[1].raw):
            head, opening = scan(title), scan(lead)
        else:  # the rest of the lead read, and put after what was
            head, opening = scanned[0], joined(scanned[1], scan(lead[len(scanned[1].raw) :]))
        whole = joined(head, opening, "\n")
        neutral = self._finder.find(whole)
        in_title = self._finder.named_in(neutral & self._who_where, head.text) if neutral else set()
        neutral.update(f"#{unit}{value:.3g}" for unit, value in figures)
        neutral.update(_CODE_RE.findall(whole.latin))
        return Keywords(
            tuple(map(sys.intern, neutral)),  # one string object per word, shared by every story
            frozenset(in_title & self.names.who),
            frozenset(in_title & self.names.where),
            frozenset(
                headline_figures
                if headline_figures is not None
                else quantity_keys(title)
                if _DIGIT_RE.search(title)
                else ()
            ),
        )
