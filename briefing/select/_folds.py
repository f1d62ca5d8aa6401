"""One event shown once: a pick that reports what an earlier pick of the edition reports is folded into it.

Dedup keeps two reports apart unless it is sure (its precision must hold over every pair of a week's
hundreds of stories), and it joins fewest across the two languages: a Chinese and an English report of one
event share names and figures rather than words, and its candidate search (posting lists of rare words
and concepts, in a week's batch weights) proposes few of those pairs. So one event can stay two clusters,
and both can be picked: the lead and a section's item, or two items of one section. Among the few dozen
picks of an edition, a new pick is asked against each earlier one whether their representatives, in two
languages and published within ``FOLD_HOURS`` of each other, report one event: the same-event model
(``dedup.same_event_probability``, with its vetoes, words weighed by their rarity in general news) at
dedup's own bar, ``SAME_EVENT``. Two picks of one language are left as they are: a same-language pair
dedup left apart scored low in the week's own weights, and on the development weeks the model's
same-language pairs among picks were as often two events as one (benchmarks/shown_twice.py,
docs/evaluation.md, "Each event once"). The clusters stay as dedup stored them: only what the edition
shows changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..dedup import EVENT_WINDOW_HOURS, SAME_EVENT, EventText, KeywordReader, event_text, same_event_probability
from ..records import Cluster, Fold, Story
from ..text import nfkc

__all__ = ["FOLD_HOURS", "FOLD_SAME_EVENT", "Folder"]

#: two picks are one event from this probability: dedup's own bar
FOLD_SAME_EVENT = SAME_EVENT
#: only reports published this close are compared: dedup's window (``EVENT_WINDOW_HOURS``)
FOLD_HOURS = EVENT_WINDOW_HOURS


@dataclass
class Folder:
    """Compares a pick with the earlier picks; reads each story once."""

    stories: Mapping[str, Story]
    reader: KeywordReader = field(default_factory=KeywordReader)
    threshold: float = FOLD_SAME_EVENT
    _texts: dict[str, EventText] = field(default_factory=dict)

    def _text(self, sid: str) -> EventText:
        if sid not in self._texts:
            s = self.stories[sid]
            self._texts[sid] = event_text(nfkc(s.title), nfkc(s.body) if s.body else "", self.reader)
        return self._texts[sid]

    def same(self, a: Story, b: Story) -> float:
        """The same-event model's probability for two stories of two languages; 0 for one language, or
        when they are more than ``FOLD_HOURS`` apart."""
        if a.lang == b.lang or a.when is None or b.when is None:
            return 0.0
        hours = abs((a.when - b.when).total_seconds()) / 3600
        if hours > FOLD_HOURS:
            return 0.0
        return same_event_probability(self._text(a.id), self._text(b.id), hours, a.source == b.source, True)

    def fold_into(self, new: Cluster, earlier: Sequence[Cluster]) -> Fold | None:
        """The first earlier pick whose representative reports one event with ``new``'s, as a ``Fold``;
        None when none does."""
        for old in earlier:
            p = self.same(self.stories[new.id], self.stories[old.id])
            if p >= self.threshold:
                why = f"{self.stories[new.id].title!r} ~ {self.stories[old.id].title!r}"
                return Fold(kept=old.id, folded=new.id, probability=round(p, 3), why=why)
        return None
