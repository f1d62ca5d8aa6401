"""Whether two stories report the same event: what their headlines and leads say, weighed by a model
fitted on hand-labelled real news.

A rewrite of an event shares few sentences with the original, but its headline and first lines name the
same actors, products and figures. Each story becomes an ``EventText``: word vectors of its headline and of
its lead (the first ``LEAD_CHARS`` characters; half as many of Chinese), where a word is an English word
(stop words dropped, a plural's ``s`` cut), a Chinese character pair, a name of the bilingual name
dictionary (``@id``: "SMIC" and "中芯国际" alike), a product code ("m3", "glm-4") or a concept of the
bilingual concept list (``~id``: "signs" and "签署" alike, ``_concepts``). Concepts count only between
two languages: a story is compared with one of its own language on its words alone (``EventText.plain``),
where a concept would only repeat a word it already shares. Words are weighted by
their rarity in general news (``FREQUENCIES``: document frequencies counted once over a few thousand real
feed items, shipped with the package), and, for a word that three stories of the batch carry, by its
rarity in the batch when that is lower (``batch_weight``: a template's boilerplate, the week's common
words).

``same_event_probability`` turns the cosine similarities of headlines, leads and names, the figures
they share, the hours between them and a few flags into a probability with a logistic model. Its weights
were fitted on the real development set (``benchmarks/fit_events.py`` refits them and prints the
cross-validated figures, week by week): the headline-against-lead similarity and the lead similarity
carry most of it, and between two languages the cosine of names and concepts (``cross_bridge``); hours
apart, two stories of one source (a column's next instalment) and headlines that
name different organisations, places or figures (``Keywords.told_apart``) count against.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..text import HAN_RUN_RE, headline_tokens
from ._concepts import CONCEPT
from ._facts import headline_and_story_keys
from ._frequencies import Frequencies, load_frequencies
from ._genres import Genre, first_item, genre
from ._keywords import KeywordReader, Keywords
from ._scan import scan, scan_words, tokens

__all__ = [
    "BATCH_MINIMUM",
    "FEATURES",
    "INTERCEPT",
    "LEAD_CHARS",
    "MILESTONES",
    "SAME_EVENT",
    "WEIGHTS",
    "EventText",
    "EventWords",
    "batch_weight",
    "event_text",
    "event_words",
    "features",
    "same_event_probability",
    "tokens",
    "weigh",
]

#: the lead read after the headline: about two English sentences; a Chinese character says about as much
#: as two Latin letters, so half as many of them
LEAD_CHARS = 200
#: two stories are one event from this probability: 0.45, not 0.4, for precision on a week the model was not
#: fitted on (benchmarks/fit_events.py, week-out over 2023-W41..W44: precision 0.949 -> 0.957, recall 0.448 -> 0.439)
SAME_EVENT = 0.45


Vector = dict[str, float]


@dataclass(frozen=True)
class EventText:
    """What the same-event model reads of a story: unit vectors of its headline, its lead, both (the
    headline counted twice) and its names; its figures with units; its keywords for the vetoes."""

    headline: Vector
    lead: Vector
    both: Vector
    names: Vector
    figures: frozenset[str]
    keywords: Keywords
    long: bool  # a long text (a feature, an interview, a full article), more than 1,500 characters
    milestones: frozenset[int] = frozenset()  # the milestones its headline names (``MILESTONES``)
    every_figure: frozenset[str] = frozenset()  # its figures, percentages too
    genre: Genre = Genre()  # the kind of piece its headline says it is
    title: str = ""  # its headline, lower case, to tell a column's issues apart
    #: unit vector of its concepts (``~id``, the general news words of ``_concepts``; headline counted twice)
    concepts: Vector = field(default_factory=dict)
    #: what another language can share: its names and its concepts, each half of a unit vector
    bridge: Vector = field(default_factory=dict)
    #: how much of the headline, lead and both vectors (their squared norm) is words, not concepts: a
    #: story is compared with one of its own language on its words alone (``cosine``, ``plain``)
    plain: tuple[float, float, float] = (1.0, 1.0, 1.0)
    chinese: bool = False  # its headline is Chinese


#: milestones of one story that are different news: a reactor's grid connection and its commercial
#: operation, a model's release and its price cut, a company's results and its expansion. Headline
#: words (English) and character pairs (Chinese), as ``text.headline_tokens`` makes them. Two headlines
#: that name different milestones, and neither the other's, are never one event.
MILESTONES: tuple[frozenset[str], ...] = (
    frozenset({"grid", "connected", "connection", "synchronised", "synchronized", "并网"}),
    frozenset({"commercial", "商运", "商业"}),
    frozenset({"groundbreaking", "breaks", "construction", "开工", "动工"}),
    frozenset({"price", "prices", "cut", "cuts", "降价", "价格"}),
    frozenset({"results", "revenue", "profit", "quarter", "业绩", "营收", "财报", "季度"}),
    frozenset({"expansion", "expands", "expand", "扩产", "扩建"}),
    frozenset({"ipo", "listing", "上市"}),
    frozenset({"sample", "samples", "sampling", "送样", "样品"}),
    frozenset(
        {"release", "released", "releases", "launch", "launches", "launched", "unveils", "unveiled"}
        | {"发布", "推出", "发射"}
    ),
    frozenset({"rehearsal", "rehearsals", "drill", "drills", "合练", "演练", "彩排"}),
    frozenset({"production", "量产"}),
)
_MILESTONE_OF = {word: n for n, words in enumerate(MILESTONES) for word in words}


def _vector(counts: Mapping[str, int], weight: Callable[[str], float]) -> Vector:
    v = {w: (1.0 + math.log(c)) * weight(w) for w, c in counts.items() if c > 0}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items()}


@dataclass(frozen=True)
class EventWords:
    """The words of a story's headline, lead and names, before they are weighed (``weigh``)."""

    headline: Counter[str]
    lead: Counter[str]
    names: tuple[str, ...]
    figures: frozenset[str]
    keywords: Keywords
    long: bool
    milestones: frozenset[int]
    every_figure: frozenset[str]  # percentages too
    genre: Genre
    title: str
    concepts: Counter[str] = field(default_factory=Counter)  # headline concepts twice, the lead's once


def event_words(title: str, body: str, reader: KeywordReader) -> EventWords:
    """What the same-event model reads of a story; ``title`` and ``body`` in NFKC (``text.nfkc``)."""
    in_title, quantities = headline_and_story_keys(title, body)
    lead = body[:LEAD_CHARS]
    if HAN_RUN_RE.search(lead[:40]):
        lead = lead[: LEAD_CHARS // 2]
    title_scan, lead_scan = scan(title), scan(lead)  # each read once, for names, concepts and words
    keywords = reader.read(title, body, quantities, in_title, (title_scan, lead_scan))
    names = tuple(sorted(w for w in keywords.neutral if not w.startswith("#")))
    kind = genre(title)
    if kind.digest:
        # a roundup's headline, to this model, is its first item: what it lists next, it mentions in passing
        item = first_item(title, body)
        item_scan = scan(item)
        head = Counter(scan_words(item_scan))
        head.update(reader.named_in([w for w in names if w.startswith("@")], item.lower()))
        title_concepts = reader.concepts(item_scan)
    else:
        head = Counter(scan_words(title_scan))
        head.update(w for w in names if w.startswith("@"))
        title_concepts = reader.concepts(title_scan)
    lead_words = Counter(scan_words(lead_scan))
    lead_words.update(names)
    lead_concepts = reader.concepts(lead_scan)
    head.update(title_concepts)
    lead_words.update(lead_concepts)
    concepts = Counter(title_concepts)
    concepts.update(title_concepts)
    concepts.update(lead_concepts)
    return EventWords(
        headline=head,
        lead=lead_words,
        names=names,
        figures=frozenset(w for w in keywords.neutral if w.startswith("#") and not w.startswith("#%")),
        keywords=keywords,
        long=len(body) > 1500,
        milestones=frozenset(_MILESTONE_OF[w] for w in headline_tokens(title) if w in _MILESTONE_OF),
        every_figure=frozenset(w for w in keywords.neutral if w.startswith("#")),
        genre=kind,
        title=title.lower(),
        concepts=concepts,
    )


#: a word carried by this many stories of a batch is weighed by its rarity in the batch too, when that is
#: lower than its rarity in general news: a template's boilerplate, or the week's own common words
BATCH_MINIMUM = 3


def batch_weight(batch: Sequence[EventWords], freq: Frequencies | None = None) -> Callable[[str], float]:
    """A word's weight for stories of ``batch``: its rarity in general news, or in the batch when the
    batch carries it ``BATCH_MINIMUM`` times or more and it is commoner there."""
    freq = freq or load_frequencies()
    counts: Counter[str] = Counter()
    for words in batch:
        counts.update(words.headline.keys() | words.lead.keys() | words.concepts.keys())
    n = len(batch)
    common = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in counts.items() if c >= BATCH_MINIMUM}

    return Weights(freq, common).__getitem__


class Weights(dict[str, float]):
    """Words' weights, each computed when first asked for (a batch weighs the same words many times):
    their rarity in general news (``Frequencies.weight``), or in the batch where ``common`` has it lower."""

    def __init__(self, freq: Frequencies, common: Mapping[str, float] | None = None) -> None:
        super().__init__()
        self.freq, self.common = freq, common or {}

    def __missing__(self, word: str) -> float:
        general = self.freq.weight(word)
        here = self.common.get(word)
        w = self[word] = general if here is None or here > general else here
        return w


def _vector_sum(a: Vector, b: Vector) -> Vector:
    """The unit vector of the sum of two vectors."""
    v = dict(a)
    for w, x in b.items():
        v[w] = v.get(w, 0.0) + x
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items()}


def _twice_and(head: Mapping[str, int], lead: Mapping[str, int]) -> dict[str, int]:
    """``head + head + lead`` as ``Counter`` adds them (the same counts, in the same order), faster."""
    twice = {w: c + c for w, c in head.items() if c > 0}
    out = {w: total for w, c in twice.items() if (total := c + lead.get(w, 0)) > 0}
    out.update({w: c for w, c in lead.items() if c > 0 and w not in twice})
    return out


def weigh(words: EventWords, weight: Callable[[str], float]) -> EventText:
    """A story's ``EventText``: its words as unit vectors, each word weighed by ``weight``."""
    names = _vector(Counter(words.names), weight) if words.names else {}
    concepts = _vector(words.concepts, weight)
    headline = _vector(words.headline, weight)
    lead = _vector(words.lead, weight)
    both = _vector(_twice_and(words.headline, words.lead), weight)
    return EventText(
        headline=headline,
        lead=lead,
        both=both,
        names=names,
        figures=words.figures,
        keywords=words.keywords,
        long=words.long,
        milestones=words.milestones,
        every_figure=words.every_figure,
        genre=words.genre,
        title=words.title,
        concepts=concepts,
        bridge=_vector_sum(names, concepts),
        plain=(_plain(headline), _plain(lead), _plain(both)),
        chinese=bool(HAN_RUN_RE.search(words.title)),
    )


def event_text(title: str, body: str, reader: KeywordReader, freq: Frequencies | None = None) -> EventText:
    """A story's ``EventText`` on its own, its words weighed by their rarity in general news; ``title``
    and ``body`` in NFKC (``text.nfkc``)."""
    return weigh(event_words(title, body, reader), (freq or load_frequencies()).weight)


def cosine(a: Vector, b: Vector, plain: tuple[float, float] | None = None) -> float:
    """The cosine of two unit vectors: the words they share, intersected in C; with ``plain`` (the share of
    each vector that is not concepts, ``EventText.plain``), the cosine of their words alone, as if the
    vectors carried no concept."""
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    if plain is None:
        return sum(a[w] * b[w] for w in shared)
    words = sum(a[w] * b[w] for w in shared if w[0] != CONCEPT)
    return words / math.sqrt(plain[0] * plain[1]) if words else 0.0


def _plain(v: Vector) -> float:
    """The share of a unit vector's squared norm that is words, not concepts (at least a little)."""
    return max(1.0 - sum(x * x for w, x in v.items() if w[0] == CONCEPT), 1e-6)


#: the model's features, in order (``features``), and its weights, fitted on the real development set by
#: benchmarks/fit_events.py
FEATURES = (
    "headline",  # cosine of the headlines
    "both",  # cosine of headline and lead together
    "names",  # cosine of the names alone (already counted in the two above)
    "shared_names",  # names and codes both carry, up to 4
    "shared_figures",  # figures with units (not percentages) both carry, up to 3
    "hours",  # log(1 + hours between them)
    "same_source",  # one outlet rarely reports one event twice
    "cross_language",  # two languages: their word vectors share less for the same event
    "long",  # how many of the two are long texts
    "told_apart",  # the headlines name different organisations, places or figures
    "headline_lead",  # the best cosine of one's headline with the other's lead
    "cross_names",  # in two languages, the cosine of the names: what a translation shares
    "cross_figures",  # in two languages, the figures both carry, up to 3
    "cross_bridge",  # in two languages, the cosine of names and concepts together: what a translation shares
)
INTERCEPT = -3.17
WEIGHTS = (4.37, 6.81, -0.35, 0.64, 0.68, -0.86, -0.32, -0.11, 0.14, -1.16, 5.48, -0.37, 0.55, 4.24)


def features(a: EventText, b: EventText, hours: float, same_source: bool, cross_language: bool) -> tuple[float, ...]:
    """The model's inputs for a pair, in the order of ``FEATURES``."""
    ap, bp = a.plain, b.plain
    if cross_language:  # concepts count; in one language, the words themselves say more
        heads, boths, head_lead, lead_head = None, None, None, None
    else:
        heads, boths, head_lead, lead_head = (ap[0], bp[0]), (ap[2], bp[2]), (ap[0], bp[1]), (bp[0], ap[1])
    return (
        cosine(a.headline, b.headline, heads),
        cosine(a.both, b.both, boths),
        cosine(a.names, b.names) if a.names and b.names else 0.0,
        float(min(len(a.names.keys() & b.names.keys()), 4)),
        float(min(len(a.figures & b.figures), 3)),
        math.log1p(abs(hours)),
        float(same_source),
        float(cross_language),
        float(a.long + b.long),
        float(a.keywords.told_apart(b.keywords)),
        max(cosine(a.headline, b.lead, head_lead), cosine(b.headline, a.lead, lead_head)),
        (cosine(a.names, b.names) if a.names and b.names else 0.0) if cross_language else 0.0,
        float(min(len(a.figures & b.figures), 3)) if cross_language else 0.0,
        cosine(a.bridge, b.bridge) if cross_language else 0.0,
    )


def _roundup_elsewhere(a: EventText, b: EventText, cross_language: bool) -> bool:
    """Whether one of two stories is a roundup (``_genres.is_digest``) whose headline (to this model, its
    first item: ``event_words``) meets neither the other's headline nor its lead: the event they share is
    one the roundup lists later or mentions in passing."""
    for digest, other in ((a, b), (b, a)):
        if digest.genre.digest:
            plain = None if cross_language else (digest.plain[0], other.plain[0])
            lead = None if cross_language else (digest.plain[0], other.plain[1])
            if not cosine(digest.headline, other.headline, plain) and not cosine(digest.headline, other.lead, lead):
                return True
    return False


def _headline_figure(a: EventText, b: EventText) -> bool:
    """Whether both headlines state one figure that is not a percentage: the news itself ("raises 2.5
    billion yuan"), which the two stories' other figures (background, earlier rounds) do not tell apart."""
    return any(f.unit != "%" for f in a.keywords.headline_figures & b.keywords.headline_figures)


def same_event_probability(a: EventText, b: EventText, hours: float, same_source: bool, cross_language: bool) -> float:
    """The probability that two stories published ``hours`` apart report the same event; 0 for two
    headlines that name different milestones, or different organisations, places or figures
    (``Keywords.told_apart``), or pieces of kinds that are never one event (``Genre.apart``), or two
    stories that each report three figures or more and share few of them (two quarters' results of one
    company), unless both headlines state one of them (a follow-up that restates the news's figure), or
    a roundup and a story its first item does not meet (``_roundup_elsewhere``)."""
    if (
        a.milestones
        and b.milestones
        and a.milestones.isdisjoint(b.milestones)
        or (not cross_language and a.keywords.told_apart(b.keywords))
    ):
        return 0.0
    if a.genre.apart(b.genre, same_source, a.title == b.title):
        return 0.0
    fewer = min(len(a.every_figure), len(b.every_figure))
    if (
        fewer >= 3 and len(a.every_figure & b.every_figure) < 0.34 * fewer and not _headline_figure(a, b)
    ):  # each reports several figures, mostly others, and their headlines state none in common
        return 0.0
    if _roundup_elsewhere(a, b, cross_language):
        return 0.0
    z = INTERCEPT + sum(w * x for w, x in zip(WEIGHTS, features(a, b, hours, same_source, cross_language), strict=True))
    return 1.0 / (1.0 + math.exp(-z))
