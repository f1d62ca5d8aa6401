"""Verify a language model's English against the story it was asked about: never invented.

An answer is rejected (``Rejected``, naming the reason) when:

- a field is not English: any Chinese character, or fewer than nine in ten of its letters Latin;
- it is too long: a headline over ``MAX_HEADLINE_WORDS`` words, a gist over two sentences or
  ``MAX_GIST_WORDS`` words, a "why it matters" over one sentence or ``MAX_WHY_WORDS`` words;
- it holds a URL, or reads like an instruction or a model talking about itself ("ignore previous
  instructions", "as an AI", "click", "subscribe"): story text is data, and an injected instruction
  that the model obeyed shows here;
- a figure is not in the source: every figure with a unit must be one of the source's figures
  (``facts``: 50,000 PFLOPS is 5万PFLOPS, $5.2 billion is 52亿美元), and every other number one of
  the source's numbers, read with its multiplier (50,000 is 5万, 1.2 billion is 12亿);
- an organisation is not in the source: a name of ``config/names.yaml`` that the source never
  mentions; an acronym or CamelCase name ("CATL", "DeepSeek"), or capitalised words ending in a word
  that names an organisation ("Zhejiang Power Group", "Ministry of Energy"), found neither in the
  source nor in ``config/names.yaml`` (nor holding a name of the story's: "Huawei Technologies").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ..dedup import quantities
from ..errors import BriefingError
from ..text import HAN, nfkc
from .offline import NameBook

__all__ = ["MAX_GIST_WORDS", "MAX_HEADLINE_WORDS", "MAX_WHY_WORDS", "Rejected", "verify_answer"]

MAX_HEADLINE_WORDS = 14
MAX_GIST_WORDS = 60
MAX_WHY_WORDS = 40


class Rejected(BriefingError):
    """An answer failed verification; the message says why."""


#: Chinese in a line meant to be English: a Chinese character, CJK punctuation or a full-width form
_CJK_RE = re.compile(f"[\u3000-\u303f\uff00-\uffef{HAN}]")
_URL_RE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|cn|net|org|io|ai|ly|gov|edu)\b(?:/|\b)", re.IGNORECASE)
_INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,30}\b(?:instructions?|prompts?|rules|above)\b"
    r"|\bsystem prompt\b|\bas an ai\b|\bas a language model\b|\byou are now\b"
    r"|\bI (?:cannot|can't|am unable)\b|\bI'm sorry\b"
    r"|\b(?:click|subscribe|sign up|follow us|visit|buy now|download)\b|\bjailbreak\b|\bprompt injection\b",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\bvs)(?<!\bNo)[.!?](?=\s|$)")
_WORD_RE = re.compile(r"[\w$%'’.-]+")
_NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*((?:trillion|billion|million|thousand)\b|万亿|千亿|百亿|千万|百万|十万|亿|万|千))?",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "千": 1e3,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "百亿": 1e10,
    "千亿": 1e11,
    "万亿": 1e12,
}
#: capitalised words that are not organisations: units, common abbreviations of the field
_COMMON = frozenset(
    [
        "AI", "US", "USA", "EU", "UK", "UN", "GPU", "GPUs", "CPU", "CPUs", "NPU", "HBM", "DRAM", "NAND", "EDA", "EV",
        "EVs", "IPO", "API", "APIs", "GDP", "LLM", "LLMs", "UHV", "CEO", "CFO", "CTO", "R&D", "PFLOPS", "EFLOPS",
        "TFLOPS", "GW", "MW", "kW", "TWh", "GWh", "MWh", "kWh", "kV", "km", "nm", "TV", "PC", "PCs", "IT", "ICT",
        "AGI", "AIGC", "OK", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "5G", "6G", "3D",
    ]
)
#: an organisation written in words: capitalised words ending in a word that names one ("Zhejiang Power Group")
_ORG_RE = re.compile(
    r"\b(?:[A-Z][\w&'.-]*\s+(?:of\s+|and\s+|for\s+)?)+"
    r"(?:Group|Corp|Corporation|Co|Company|Ltd|Limited|Inc|Holdings|Technologies|Technology|"
    r"Semiconductor|Semiconductors|Electric|Electronics|Power|Energy|Bank|Fund|Ministry|Bureau|Administration|"
    r"Commission|Council|Agency|Authority|Office|Institute|Academy|University|Laboratory|Lab|Labs|Exchange|"
    r"Association|Alliance|Committee|Department|Grid)\b"
)
_ACRONYM_RE = re.compile(r"\b(?:[A-Z][A-Za-z0-9&-]*[A-Z][A-Za-z0-9&-]*|[a-z]+[A-Z][A-Za-z0-9]*)\b")


def _sig(value: float) -> float:
    """``value`` to three significant figures, to compare figures written differently."""
    if value == 0:
        return 0.0
    return round(value, 2 - int(math.floor(math.log10(abs(value)))))


def _numbers(text: str) -> set[float]:
    """Every number of ``text``, with its multiplier read (50,000; 5万 is 50,000; 1.2 billion)."""
    out: set[float] = set()
    for m in _NUMBER_RE.finditer(text):
        raw = float(m.group(1).replace(",", ""))
        out.add(_sig(raw))
        if m.group(2):
            out.add(_sig(raw * _MULTIPLIERS[m.group(2).lower()]))
    return out


def _sentences(text: str) -> int:
    return max(1, len(_SENTENCE_END_RE.findall(text.strip())))


def _english(field: str, text: str) -> None:
    if _CJK_RE.search(text):
        raise Rejected(f"the {field} is not in English (it holds Chinese)")
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) < 0.9 * len(letters):
        raise Rejected(f"the {field} is not in English")


def verify_answer(
    answer: Mapping[str, str], *, source: str, book: NameBook, want_english: bool, want_why: bool
) -> dict[str, str]:
    """The answer's ``headline``, ``gist`` and ``why``, checked against ``source`` (the headline and text
    the model was given); Rejected naming the first rule broken. Fields not asked for come back empty."""
    headline = " ".join(str(answer.get("headline") or "").split()) if want_english else ""
    gist = " ".join(str(answer.get("gist") or "").split()) if want_english else ""
    why = " ".join(str(answer.get("why_it_matters") or "").split()) if want_why else ""
    fields = {"headline": headline, "gist": gist, "why it matters": why}
    if want_english and not (headline and gist):
        raise Rejected("the headline or the gist is empty")
    if want_why and not why:
        raise Rejected("'why it matters' is empty")
    for name, text in fields.items():
        if not text:
            continue
        _english(name, text)
        if _URL_RE.search(text):
            raise Rejected(f"the {name} holds a URL")
        if _INSTRUCTION_RE.search(text):
            raise Rejected(f"the {name} reads like an instruction, not news: {text[:80]!r}")
    if len(_WORD_RE.findall(headline)) > MAX_HEADLINE_WORDS:
        raise Rejected(f"the headline has more than {MAX_HEADLINE_WORDS} words")
    if gist and (_sentences(gist) > 2 or len(_WORD_RE.findall(gist)) > MAX_GIST_WORDS):
        raise Rejected(f"the gist is longer than two sentences or {MAX_GIST_WORDS} words")
    if why and (_sentences(why) > 1 or len(_WORD_RE.findall(why)) > MAX_WHY_WORDS):
        raise Rejected(f"'why it matters' is longer than one sentence or {MAX_WHY_WORDS} words")
    written = " \n ".join(t for t in fields.values() if t)
    _check_figures(written, source)
    _check_organisations(written, source, book)
    return {"headline": headline, "gist": gist, "why": why}


def _check_figures(written: str, source: str) -> None:
    source_keys = {q.key for q in quantities(source)}
    rest = nfkc(written)
    for q in quantities(written):
        if q.key not in source_keys:
            raise Rejected(f"the figure {q.text!r} is not in the story")
        rest = rest.replace(q.text, " ")
    known = _numbers(nfkc(source))
    for m in _NUMBER_RE.finditer(rest):
        raw = float(m.group(1).replace(",", ""))
        value = raw * _MULTIPLIERS[m.group(2).lower()] if m.group(2) else raw
        if _sig(value) not in known:
            raise Rejected(f"the number {m.group(0).strip()!r} is not in the story")


def _check_organisations(written: str, source: str, book: NameBook) -> None:
    in_source = set(book.found(source))
    for name_id in book.found(written):
        if name_id in book.names.who and name_id not in in_source:
            raise Rejected(f"{book.english.get(name_id, name_id)} is named, but the story does not mention it")
    low_source = nfkc(source).lower()
    known = {e.lower() for e in book.english.values()} | {t for terms in book.aliases.values() for t in terms}
    for m in _ORG_RE.finditer(written):
        phrase = re.sub(r"^(?:The|A|An|In|On|At|By|For|From|With|As)\s+", "", m.group(0))
        if len(phrase.split()) < 2 or phrase.lower() in low_source or phrase.lower() in known:
            continue
        if in_source & set(book.found(phrase)) & book.names.who:
            continue  # "Huawei Technologies": a name of the story's, said in full
        raise Rejected(f"{phrase!r} is named, but neither the story nor the name dictionary knows it")
    for m in _ACRONYM_RE.finditer(written):
        word = m.group(0)
        if word in _COMMON or word.rstrip("s") in _COMMON:
            continue
        low = word.lower()
        if low in low_source or low in known or any(low in k.split() for k in known):
            continue
        raise Rejected(f"{word!r} is named, but neither the story nor the name dictionary knows it")
