"""Figures with units pulled from story text, in English and Chinese, normalised to compare.

"50,000 PFLOPS" and "5万PFLOPS" are the same figure; so are "8 GW" and "800万千瓦", "30 trillion tokens"
and "30万亿Token", "5.2 billion dollars" and "52亿美元". Each figure becomes a ``Quantity`` whose
``key`` (unit and value to three significant figures) is language-blind: the dedup stage uses shared
figures to recognise one event told in other words or another language, and the briefing lists the
week's figures in "Numbers of the week".
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Quantity", "quantities"]


@dataclass(frozen=True)
class Quantity:
    value: float  # in the base unit
    unit: str  # base unit: FLOPS, W, Wh, V, m, tokens, CNY, USD, %, nm, qubits, GPUs; "" for a bare count
    text: str  # as written

    @property
    def key(self) -> tuple[str, float]:
        if self.value == 0:
            return (self.unit, 0.0)
        digits = 3 - int(math.floor(math.log10(abs(self.value)))) - 1
        return (self.unit, round(self.value, digits))


_EN_MULT = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_ZH_MULT = {"千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10}

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
    # Chinese units
    "千瓦时": ("Wh", 1e3), "度": ("Wh", 1e3), "千瓦": ("W", 1e3), "兆瓦": ("W", 1e6), "吉瓦": ("W", 1e9), "瓦": ("W", 1.0),
    "千伏": ("V", 1e3), "公里": ("m", 1e3), "千米": ("m", 1e3), "元": ("CNY", 1.0), "元人民币": ("CNY", 1.0), "美元": ("USD", 1.0),
    "纳米": ("nm", 1.0), "量子比特": ("qubits", 1.0), "比特": ("qubits", 1.0), "卡": ("GPUs", 1.0), "张卡": ("GPUs", 1.0),
}

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EN_UNIT = r"(?P<unit>eflops|pflops|tflops|twh|gwh|mwh|kwh|tw|gw|mw|kw|kv|km|kilomet(?:re|er)s|tokens?|yuan|rmb|dollars|usd|per ?cent|%|nm|nanomet(?:re|er)s?|qubits?|gpus|accelerators)"
_EN_RE = re.compile(
    r"(?P<cur>us\$|\$|¥|rmb ?)?" + _NUM + r"(?:\s*(?P<mult>thousand|million|billion|trillion|bn|mn|tn)\b)?(?:\s*-?\s*" + _EN_UNIT + r"(?![a-z]))?",
    re.IGNORECASE,
)
_ZH_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS if re.search(r"[\u4e00-\u9fff]", u)), key=len, reverse=True))
_ZH_RE = re.compile(
    _NUM + r"\s*(?P<mult>万亿|千亿|百亿|千万|百万|十万|亿|万|千)?\s*(?P<unit>" + _ZH_UNIT + r"|eflops|pflops|tflops|token|%|gw|mw|kw|kwh|twh|kv|km|nm|p)(?![a-z])",
    re.IGNORECASE,
)

_ZH_COUNT_RE = re.compile(_NUM + r"(?P<mult>万亿|千亿|百亿|千万|百万|亿|万)")


def quantities(text: str) -> list[Quantity]:
    """Every figure with a unit (or a currency sign) in ``text``, in order."""
    norm = unicodedata.normalize("NFKC", text)
    found: dict[tuple[int, int], Quantity] = {}
    for m in _ZH_RE.finditer(norm):
        unit = m.group("unit").lower()
        if unit == "p":  # "5万P" is shorthand for PFLOPS
            unit = "pflops"
        base, factor = _UNITS[unit]
        mult = _ZH_MULT.get(m.group("mult") or "", 1.0)
        value = float(m.group("num").replace(",", "")) * mult * factor
        found[m.span()] = Quantity(value=value, unit=base, text=m.group(0).strip())
    for m in _ZH_COUNT_RE.finditer(norm):  # "30万亿": a count with a Chinese multiplier
        if not any(s <= m.start() < e for s, e in found):
            found[m.span()] = Quantity(value=float(m.group("num").replace(",", "")) * _ZH_MULT[m.group("mult")], unit="", text=m.group(0))
    for m in _EN_RE.finditer(norm):
        if any(s <= m.start() < e for s, e in found):
            continue
        unit = (m.group("unit") or "").lower()
        cur = (m.group("cur") or "").strip().lower()
        if not unit and not cur:
            if m.group("mult") and m.group("mult").lower() in ("million", "billion", "trillion"):
                value = float(m.group("num").replace(",", "")) * _EN_MULT[m.group("mult").lower()]
                found[m.span()] = Quantity(value=value, unit="", text=m.group(0).strip())
            continue
        unit = unit.replace(" ", "") if unit.startswith("per") else unit
        if unit.startswith("per"):
            unit = "percent"
        if unit.startswith("kilomet"):
            unit = "km"
        if unit.startswith("nanomet"):
            unit = "nm"
        if not unit:
            unit = "usd" if cur in ("$", "us$") else "yuan"
        base, factor = _UNITS.get(unit, ("", 1.0))
        if not base:
            continue
        mult = _EN_MULT.get((m.group("mult") or "").lower(), 1.0)
        value = float(m.group("num").replace(",", "")) * mult * factor
        found[m.span()] = Quantity(value=value, unit=base, text=m.group(0).strip())
    return [found[k] for k in sorted(found)]
