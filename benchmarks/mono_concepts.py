"""The concept list within one language as same-event evidence: ``fit_events.py`` with one more feature.

Two reports of one event in one language often say it in other words ("EU reaches deal on landmark AI bill" and
"EU agrees to landmark rules on artificial intelligence"; "bans use of AI tools for campaigning" and "won't let
politicians use its tech for campaigning"). The shipped model compares a pair of one language on its words alone
(``EventText.plain``); the bilingual concept list (``config/concepts.yaml``), which maps such words to one
``~id``, counts only between two languages. This adds ``mono_concepts``, the cosine of the two stories'
concept vectors (``EventText.concepts``: the headline's concepts twice, the lead's once) for a pair of one
language (0 for two languages), and runs ``fit_events.py`` with it: the weights fitted on every week, then
each week's dedup with the weights of the other weeks. Nothing that ships changes (the feature is patched in
at run time). docs/evaluation.md has the figures and why it is not shipped.

    python benchmarks/mono_concepts.py [--threshold 0.45] [--link 0.35]     # with the feature
    python benchmarks/mono_concepts.py --happenings                         # without the topics' concepts
    python benchmarks/fit_events.py [--threshold 0.45] [--link 0.35]        # the same without it
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_events

import briefing.dedup._events as events
from briefing.dedup._concepts import CONCEPT, DEFAULT_CONCEPTS
from briefing.dedup._events import EventText

_shipped = events.features
#: the concept list's sections of what a story is about (a chip, a model, a battery), not what happened;
#: ``--happenings`` leaves their concepts out
TOPICS = ("technology", "energy-and-science")
#: the concepts ``mono_concepts`` leaves out (``--happenings``)
_left_out: frozenset[str] = frozenset()


def topic_concepts(path: Path = DEFAULT_CONCEPTS) -> frozenset[str]:
    """The tokens (``~id``) of the concepts in ``TOPICS``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return frozenset(CONCEPT + concept for section in TOPICS for concept in data.get(section, {}))


def _kept(v: dict[str, float]) -> dict[str, float]:
    if not _left_out:
        return v
    kept = {w: x for w, x in v.items() if w not in _left_out}
    norm = math.sqrt(sum(x * x for x in kept.values())) or 1.0
    return {w: x / norm for w, x in kept.items()}


def mono_concepts(a: EventText, b: EventText, cross_language: bool) -> float:
    """The cosine of two stories' concepts when they are in one language; 0 for two languages."""
    if cross_language or not a.concepts or not b.concepts:
        return 0.0
    return events.cosine(_kept(a.concepts), _kept(b.concepts))


def features(a: EventText, b: EventText, hours: float, same_source: bool, cross_language: bool) -> tuple[float, ...]:
    """The shipped features, then ``mono_concepts``."""
    return (*_shipped(a, b, hours, same_source, cross_language), mono_concepts(a, b, cross_language))


def main() -> int:
    global _left_out
    if "--happenings" in sys.argv:
        sys.argv.remove("--happenings")
        _left_out = topic_concepts()
    # same_event_probability reads features, FEATURES and WEIGHTS from its module when called
    events.features = features
    events.FEATURES = (*events.FEATURES, "mono_concepts")  # type: ignore[assignment]  # one feature more
    events.WEIGHTS = (*events.WEIGHTS, 0.0)  # type: ignore[assignment]
    return fit_events.main()


if __name__ == "__main__":
    sys.exit(main())
