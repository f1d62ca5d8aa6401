"""The numbers of the week: one figure with its unit from each of the most important stories."""

from __future__ import annotations

from collections.abc import Sequence

from ..dedup import is_digest, quantities
from ..records import Figure, Item
from ..text import nfkc, sentences

__all__ = ["numbers_of_the_week"]


def numbers_of_the_week(items: Sequence[Item], limit: int = 8) -> tuple[Figure, ...]:
    """The week's figures with units, one per story, from the most important stories first, each with
    the sentence that carries it.

    A figure in the headline wins; otherwise the first figure with a unit in the summary: the story's
    own news, never a figure from deep in the text, which may be another company's. Bare percentages
    and counts without a unit are passed over, and no figure appears twice. A roundup's headline gives
    none: it lists items it does not explain (``dedup.is_digest``); its summary's sentences do.
    """
    out: list[Figure] = []
    seen: set[tuple[str, float]] = set()
    for item in sorted(items, key=lambda it: (-it.score, it.story.id)):
        headline = () if is_digest(nfkc(item.story.title)) else (item.story.title,)
        for text in (*headline, *sentences(item.summary)):
            figures = [q for q in quantities(text) if q.unit and q.unit != "%" and q.key not in seen]
            if figures:
                seen.add(figures[0].key)
                out.append(Figure(text=figures[0].text, story=item, sentence=text.strip()))
                break
        if len(out) >= limit:
            break
    return tuple(out)
