"""The numbers of the week: one figure with its unit from each of the most important stories."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..dedup import Quantity, is_digest, quantities
from ..records import Figure, Item
from ..text import nfkc, sentences

__all__ = ["numbers_of_the_week"]

#: what ends a clause: a figure is read with the clause it stands in
_CLAUSE_END_RE = re.compile(r"[，,；;。！!？?：:]")
#: a clause that denies what it says ("没有EUV光刻机，造不了3nm", "Apple did not pay $3 billion", "否认收购")
_DENIAL_RE = re.compile(
    r"没有|没能|未能|并未|尚未|不会|不能|不了|不是|并非|无法|否认|辟谣|不实|纯属"
    r"|\bnot\b|n't\b|\bnever\b|\bden(?:y|ies|ied)\b",
    re.IGNORECASE,
)
#: units that name rather than count: a chip's process node ("3nm", "7纳米") is what a process is called,
#: not a quantity of the week's news
_NAMING_UNITS = frozenset({"nm"})


def _clause(text: str, written: str) -> str:
    """The clause of ``text`` (NFKC) that holds the figure written ``written``, with the mark that ends it."""
    norm = nfkc(text)
    at = norm.find(written)
    if at < 0:
        return norm
    start = max((m.end() for m in _CLAUSE_END_RE.finditer(norm, 0, at)), default=0)
    end = _CLAUSE_END_RE.search(norm, at + len(written))
    return norm[start : end.end() if end else len(norm)]


def _stated(text: str, q: Quantity) -> bool:
    """Whether ``text`` states the figure: not in a question ("13 个字母价值 4 万美元？", "Can a $400 box keep
    packages safe?") nor in a clause that denies it ("造不了3nm")."""
    clause = _clause(text, q.text)
    return not (clause.rstrip().endswith(("?", "？")) or _DENIAL_RE.search(clause))


def _excerpt(text: str, q: Quantity) -> str:
    """The sentence that carries a figure; of excerpts joined by "……" (a roundup, a 节选), the one with it."""
    pieces = [p.strip() for p in text.split("……") if p.strip()]
    if len(pieces) > 1:
        for piece in pieces:
            if q.text in nfkc(piece):
                return piece
    return text.strip()


def numbers_of_the_week(items: Sequence[Item], limit: int = 8) -> tuple[Figure, ...]:
    """The week's figures with units, one per story, from the most important stories first, each with
    the sentence that carries it.

    A figure in the headline wins; otherwise the first figure with a unit in the summary: the story's
    own news, never a figure from deep in the text, which may be another company's. Bare percentages
    and counts without a unit are passed over, and so are a chip's process node (a name, not a count), a
    figure asked about and a figure denied; no figure appears twice. A roundup's headline gives none: it
    lists items it does not explain (``dedup.is_digest``); its summary's sentences do.
    """
    out: list[Figure] = []
    seen: set[tuple[str, float]] = set()
    for item in sorted(items, key=lambda it: (-it.score, it.story.id)):
        headline = () if is_digest(nfkc(item.story.title)) else (item.story.title,)
        for text in (*headline, *sentences(item.summary)):
            figures = [
                q
                for q in quantities(text)
                if q.unit and q.unit != "%" and q.unit not in _NAMING_UNITS and q.key not in seen and _stated(text, q)
            ]
            if figures:
                seen.add(figures[0].key)
                out.append(Figure(text=figures[0].text, story=item, sentence=_excerpt(text, figures[0])))
                break
        if len(out) >= limit:
            break
    return tuple(out)
