"""Figures with units pulled from story text, in English and Chinese, normalised to compare.

"50,000 PFLOPS" and "5万PFLOPS" are the same figure; so are "8 GW" and "800万千瓦", "30 trillion tokens"
and "30万亿Token", "5.2 billion dollars" and "52亿美元". Each figure becomes a ``Quantity`` whose
``key`` (unit and value to three significant figures) is language-blind: the dedup stage uses shared
figures to recognise one event told in other words or another language, and the briefing lists the
week's figures in "Numbers of the week".

Dedup reads the figures of every story, so this is kept quick: the patterns are tried only where a
figure can start (a run of digits, a currency sign) instead of at every character, ``quantity_keys``
gives the keys without building the records, and ``nfkc`` skips the normaliser for text that needs
nothing, or only its full-width punctuation replaced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple, overload

from ..text import is_chinese, nfkc

__all__ = ["FigureKey", "FigureKeys", "Quantity", "headline_and_story_keys", "quantities", "quantity_keys"]


class FigureKey(NamedTuple):
    """A figure as compared across stories: its base unit and its value to three significant digits."""

    unit: str
    value: float


class FigureKeys(NamedTuple):
    """The figures' keys of a story's headline, and of its headline and body together."""

    headline: list[FigureKey]
    story: list[FigureKey]


@dataclass(frozen=True)
class Quantity:
    value: float  # in the base unit
    unit: str  # base unit: FLOPS, W, Wh, V, m, t, kg, m³, m², tokens, CNY, USD, HKD, %, nm, qubits, GPUs; "" a count
    text: str  # as written

    @property
    def key(self) -> FigureKey:
        return _key(self.unit, self.value)


_EN_MULT = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_ZH_MULT = {
    "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10,
}  # fmt: skip

# unit as written -> (base unit, factor)
_UNITS: dict[str, tuple[str, float]] = {
    "eflops": ("FLOPS", 1e18), "pflops": ("FLOPS", 1e15), "tflops": ("FLOPS", 1e12),
    "tw": ("W", 1e12), "gw": ("W", 1e9), "mw": ("W", 1e6), "kw": ("W", 1e3),
    "twh": ("Wh", 1e12), "gwh": ("Wh", 1e9), "mwh": ("Wh", 1e6), "kwh": ("Wh", 1e3),
    "kv": ("V", 1e3), "km": ("m", 1e3), "kilometres": ("m", 1e3), "kilometers": ("m", 1e3),
    "tokens": ("tokens", 1.0), "token": ("tokens", 1.0),
    "yuan": ("CNY", 1.0), "rmb": ("CNY", 1.0), "dollars": ("USD", 1.0), "usd": ("USD", 1.0),
    "percent": ("%", 1.0), "per cent": ("%", 1.0), "%": ("%", 1.0),
    "nm": ("nm", 1.0), "nanometre": ("nm", 1.0), "nanometer": ("nm", 1.0),
    "qubits": ("qubits", 1.0), "qubit": ("qubits", 1.0), "gpus": ("GPUs", 1.0), "accelerators": ("GPUs", 1.0),
    "tonnes": ("t", 1.0), "kg": ("kg", 1.0), "cubic metres": ("m³", 1.0), "square metres": ("m²", 1.0),
    "square kilometres": ("m²", 1e6), "hkd": ("HKD", 1.0),
    # Chinese units
    "千瓦时": ("Wh", 1e3), "度": ("Wh", 1e3), "千瓦": ("W", 1e3), "兆瓦": ("W", 1e6),
    "吉瓦": ("W", 1e9), "瓦": ("W", 1.0), "千伏": ("V", 1e3), "公里": ("m", 1e3), "千米": ("m", 1e3),
    "元": ("CNY", 1.0), "元人民币": ("CNY", 1.0), "美元": ("USD", 1.0), "纳米": ("nm", 1.0),
    "量子比特": ("qubits", 1.0), "比特": ("qubits", 1.0), "卡": ("GPUs", 1.0), "张卡": ("GPUs", 1.0),
    "吨": ("t", 1.0), "公斤": ("kg", 1.0), "千克": ("kg", 1.0), "立方米": ("m³", 1.0), "平方米": ("m²", 1.0),
    "平方公里": ("m²", 1e6), "平方千米": ("m²", 1e6), "港元": ("HKD", 1.0), "港币": ("HKD", 1.0), "美金": ("USD", 1.0),
}

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EN_UNIT = (
    r"(?P<unit>eflops|pflops|tflops|twh|gwh|mwh|kwh|tw|gw|mw|kw|kv|km|kilomet(?:re|er)s|tokens?|yuan|rmb|dollars|usd"
    r"|per ?cent|%|nm|nanomet(?:re|er)s?|qubits?|gpus|accelerators|(?:metric )?(?:tonnes?|tons?)|kg|kilograms?"
    r"|cubic met(?:re|er)s?|square met(?:re|er)s?|square kilomet(?:re|er)s?|sq ?km)"
)
_EN_RE = re.compile(
    r"(?P<cur>us\$|hk\$|\$|¥|rmb ?)?"
    + _NUM
    + r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|mn|tn)\b)?(?:\s*-?\s*"
    + _EN_UNIT
    + r"(?![a-z]))?",
    re.IGNORECASE,
)
_ZH_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS if is_chinese(u)), key=len, reverse=True))
_ZH_RE = re.compile(
    _NUM
    + r"\s*(?P<mult>万亿|千亿|百亿|千万|百万|十万|亿|万|千)?\s*(?P<unit>"
    + _ZH_UNIT
    + r"|eflops|pflops|tflops|token|%|gw|mw|kw|kwh|twh|kv|km|nm|p)(?![a-z])",
    re.IGNORECASE,
)

#: the lines of a video picture: "1080p" and "1440P" are resolutions, not PFLOPS
_VIDEO_LINES = frozenset({"360", "480", "540", "576", "720", "1080", "1440", "2160", "4320"})

_ZH_COUNT_RE = re.compile(_NUM + r"(?P<mult>万亿|千亿|百亿|千万|百万|亿|万)")

# Where a match can start. Every figure begins with a digit (in English, or a currency sign), so the
# scans below try the patterns only there and skip the rest of the text: the same matches as
# ``finditer``. A Chinese pattern (it needs a unit or a multiplier after the number) that fails at the
# first digit of a run of digits can only match inside the run through a thousands group, so it is tried
# there only when a comma follows the run.
_NON_DIGITS_RE = re.compile(r"(\D+)")
_SIGN_RE = re.compile(r"[$¥]")
_RMB_RE = re.compile(r"[rR][mM][bB]")
_US_RE = re.compile(r"(?i:us|hk)")  # US$, HK$
#: the full-width forms of ASCII and the ideographic space, and what NFKC makes of them


def _digit_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the runs of digits in ``text`` (splitting on the rest is quicker than finding them)."""
    runs = []
    end = 0
    for k, piece in enumerate(_NON_DIGITS_RE.split(text)):
        start, end = end, end + len(piece)
        if piece and not k % 2:
            runs.append((start, end))
    return runs


def _scan(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only the positions in ``starts`` (ascending)."""
    pos = 0
    for start in starts:
        if start >= pos and (m := pattern.match(text, start)):
            yield m
            pos = m.end()


def _scan_en(text: str, runs: list[int]) -> Iterator[re.Match[str]]:
    """``_EN_RE.finditer(text)``, given where the runs of digits start.

    A match can start at a digit or a currency sign ("$", "¥", "US$", "RMB" in any case); at a digit the
    pattern always matches, and it takes the whole run unless a thousands group stops it inside one
    ("1,2345" ends after "1,234"), in which case the next match starts right there.
    """
    starts = runs
    if "$" in text or "¥" in text or "rmb" in text.lower():
        signs = {m.start() for m in _SIGN_RE.finditer(text)}
        signs.update(
            start - 2
            for start in list(signs)
            if start >= 2 and text[start] == "$" and _US_RE.fullmatch(text, start - 2, start)
        )
        signs.update(m.start() for m in _RMB_RE.finditer(text))
        starts = sorted(signs.union(runs))
    pos = next_start = 0
    while True:
        if 0 < pos < len(text) and text[pos].isdecimal() and text[pos - 1].isdecimal():
            start = pos  # inside a run of digits, after a match that stopped there
        else:
            while next_start < len(starts) and starts[next_start] < pos:
                next_start += 1
            if next_start == len(starts):
                return
            start = starts[next_start]
            next_start += 1
        m = _EN_RE.match(text, start)
        if m:  # no match only at a currency sign without a number
            yield m
            pos = m.end()


def quantities(text: str) -> list[Quantity]:
    """Every figure with a unit (or a currency sign) in ``text``, in order."""
    return [Quantity(value=value, unit=unit, text=written) for value, unit, written in _figures(text)]


def quantity_keys(text: str) -> list[FigureKey]:
    """The ``key`` of every figure in ``text``, in order: ``quantities`` without building them."""
    return [_key(unit, value) for value, unit, _ in _figures(text)]


def headline_and_story_keys(title: str, body: str) -> FigureKeys:
    """The keys of the figures of a title, and of the title and body together, read in one pass over
    ``title + "\n" + body`` (no figure spans the line break)."""
    found = _figures(f"{title}\n{body}", spans=True)
    cut = len(nfkc(title))
    return FigureKeys(
        [_key(unit, value) for start, value, unit, _ in found if start < cut],
        [_key(unit, value) for _, value, unit, _ in found],
    )


def _key(unit: str, value: float) -> FigureKey:
    if value == 0:
        return FigureKey(unit, 0.0)
    return FigureKey(unit, round(value, 3 - int(math.floor(math.log10(abs(value)))) - 1))


@overload
def _figures(text: str) -> list[tuple[float, str, str]]: ...
@overload
def _figures(text: str, spans: Literal[True]) -> list[tuple[int, float, str, str]]: ...
def _figures(text: str, spans: bool = False) -> list[tuple[float, str, str]] | list[tuple[int, float, str, str]]:
    """(value, base unit, text as written) of every figure in ``text``, in order; with ``spans``, each
    preceded by where it starts in ``nfkc(text)``."""
    norm = nfkc(text)
    runs = _digit_runs(norm)
    if not runs:
        return []
    run_starts = [start for start, _ in runs]
    starts = run_starts
    if "," in norm:
        starts = sorted(
            {
                *starts,
                *(p for start, end in runs if norm[end : end + 1] == "," for p in range(max(start, end - 3), end)),
            }
        )
    found: dict[tuple[int, int], tuple[float, str, str]] = {}
    for m in _scan(_ZH_RE, norm, starts):
        unit = m.group("unit").lower()
        if unit == "p":  # "5万P" is shorthand for PFLOPS
            if not m.group("mult") and m.group("num") in _VIDEO_LINES:
                continue  # "1080p", "1440p": a picture's lines, not computing power
            unit = "pflops"
        base, factor = _UNITS[unit]
        mult = _ZH_MULT.get(m.group("mult") or "", 1.0)
        found[m.span()] = (float(m.group("num").replace(",", "")) * mult * factor, base, m.group(0).strip())
    for m in _scan(_ZH_COUNT_RE, norm, starts if "万" in norm or "亿" in norm else []):  # "30万亿": a count
        if not any(s <= m.start() < e for s, e in found):
            found[m.span()] = (float(m.group("num").replace(",", "")) * _ZH_MULT[m.group("mult")], "", m.group(0))
    for m in _scan_en(norm, run_starts):
        if m.span() == m.span("num") or any(s <= m.start() < e for s, e in found):
            continue  # a bare number: no currency, multiplier or unit; or inside a Chinese figure
        figure = _english_figure(m)
        if figure is not None:
            found[m.span()] = figure
    if spans:
        return [(k[0], *found[k]) for k in sorted(found)]
    return [found[k] for k in sorted(found)]


def _english_figure(m: re.Match[str]) -> tuple[float, str, str] | None:
    """(value, base unit, text as written) of an English match of ``_EN_RE``; None for a bare number."""
    unit = (m.group("unit") or "").lower()
    cur = (m.group("cur") or "").strip().lower()
    mult = (m.group("mult") or "").lower()
    value = float(m.group("num").replace(",", ""))
    if not unit and not cur:  # a count in millions, billions or trillions, else a bare number
        return (value * _EN_MULT[mult], "", m.group(0).strip()) if mult in ("million", "billion", "trillion") else None
    unit = unit.replace(" ", "") if unit.startswith("per") else unit
    if unit.startswith("per"):
        unit = "percent"
    if unit.startswith("kilomet"):
        unit = "km"
    if unit.startswith("nanomet"):
        unit = "nm"
    if unit.endswith(("ton", "tons", "tonne", "tonnes")):
        unit = "tonnes"
    if unit.startswith("kilogram"):
        unit = "kg"
    if unit.startswith(("cubic", "square", "sq")):
        kind = "cubic" if unit.startswith("cubic") else "square"
        unit = f"{kind} {'kilometres' if 'k' in unit else 'metres'}"
    if not unit:
        unit = {"$": "usd", "us$": "usd", "hk$": "hkd"}.get(cur, "yuan")
    base, factor = _UNITS.get(unit, ("", 1.0))
    if not base:
        return None
    return value * _EN_MULT.get(mult, 1.0) * factor, base, m.group(0).strip()
