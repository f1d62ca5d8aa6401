"""The dedup stage: stories that report the same event grouped into clusters, within a week and across weeks.

Four passes, each close to linear in the number of stories, joined by union-find:

0. what an earlier run joined (the store's dedup index, ``update_index``);
1. exact: the same canonical URL or the same content hash;
2. near duplicates (wire copies, lightly edited reposts) published within ``COPY_WINDOW_DAYS`` of each
   other: MinHash LSH over shingles (word 3-grams for English, character 3-grams for Chinese, after
   NFKC), candidates confirmed by their true Jaccard similarity or containment, so a trimmed copy still
   matches;
3. reports of one event in other words or in the other language, published within
   ``EVENT_WINDOW_HOURS``: ``same_event_probability`` weighs what their headlines and leads say
   (words weighted by their rarity in general news, names of the bilingual name dictionary, figures, hours
   apart, and between two languages the general news words of the bilingual concept list; a model fitted
   on hand-labelled real news). Pairs are taken strongest first, and two clusters
   join only when their stories are on average ``LINK`` alike, so that one pair never chains two
   different events together. Whether two stories are one event depends on those two stories alone.

How the cost stays close to linear (about 0.2 ms a story; see benchmarks/perf.py):

- the texts are hashed a chunk of stories at a time with numpy (``_Signer``): words and Chinese
  characters, 3-grams, and each story's one-permutation MinHash (the smallest shingle hash in each of 111
  ranges, empty ranges filled by optimal densification), so that signing costs one pass over the
  shingles instead of one per permutation;
- LSH buckets (37 bands of 3 rows) are found by sorting each band's keys; a pair is compared only when
  its stories were published within the window and agree on ``_MIN_AGREEMENT`` of their MinHash values;
- a story's headline and lead are read once each (``_scan``) for names, concepts and words, and a name
  finder looks each word up once;
- reports of one event are looked for through posting lists of each story's rarest words (and, for
  two languages, of its concepts), walked in time order with a sliding window, all lists at once in
  numpy arrays; a word carried by more than 200 stories a week (``_MAX_POSTING`` within the window
  before a story) says nothing and proposes no pair.

A cluster's representative is the best original report: a report, not a roundup (``is_digest``), then a
report of what happened, not a preview, a service piece or a schedule (``is_preview``), then the most
authoritative source (source weight), then a headline that says what happened (not a question), then the
first report, then the id.

The public face of the stage; its private modules, in the order a story passes through them:

- ``_deduplicator``: ``Deduplicator`` and ``dedup``, the passes in order, and a cluster's ``representative``
  (and its stories in the order it prefers them, ``ranked``);
- ``_copies``: the rules of copies (``shingles``, ``JACCARD``, ``CONTAINMENT``, ``COPY_WINDOW_DAYS``);
  ``_signer``: the stories hashed a chunk at a time into content keys, MinHash signatures, LSH band keys
  and candidate pairs (their ``Fingerprint``, ``records``), with the arithmetic of ``_hashing``;
- ``_scan``: a headline or a lead read once (its words, its Chinese character pairs), and two readings
  joined; ``_facts``: figures with units (``quantities``); ``_keywords``: names of the name dictionary, figures
  and product codes (``KeywordReader``), and the general news words of the concept list (``_concepts``);
  ``_events``: the same-event model over them (``same_event_probability``), weighing words by their
  frequencies in general news (``_frequencies``); ``_genres``: what a headline says of
  the kind of piece (an explainer, a column's issue, a series' part, a boilerplate standfirst), which keeps
  pieces apart that share words but not an event, and (a roundup, a preview) which never represents one;
- ``_candidates``: which pairs the same-event pass compares; ``_linkage``: union-find and the joining of
  reports of one event (average linkage, or ``pairwise``);
- ``_index``: the store's dedup index, clusters across weeks, kept up to date at the cost of the new
  stories alone (``update_index``).
"""

from __future__ import annotations

from ..records import FINGERPRINT_VERSION, Fingerprint
from ._candidates import EVENT_WINDOW_HOURS
from ._copies import CONTAINMENT, COPY_WINDOW_DAYS, JACCARD, shingles
from ._deduplicator import Deduplicator, DedupResult, dedup, ranked, representative
from ._events import LEAD_CHARS as EVENT_LEAD_CHARS
from ._events import (
    SAME_EVENT,
    EventText,
    EventWords,
    batch_weight,
    event_text,
    event_words,
    same_event_probability,
    tokens,
    weigh,
)
from ._facts import FigureKey, Quantity, quantities, quantity_keys
from ._frequencies import FREQUENCIES, Frequencies, load_frequencies
from ._genres import first_entry, is_digest, lists_items, without_label
from ._index import IndexUpdate, update_index
from ._keywords import DEFAULT_NAMES, KeywordReader, Keywords, Names, load_names
from ._keywords import LEAD_CHARS as KEYWORD_LEAD_CHARS
from ._linkage import LINK

__all__ = [
    "CONTAINMENT",
    "COPY_WINDOW_DAYS",
    "DEFAULT_NAMES",
    "EVENT_LEAD_CHARS",
    "EVENT_WINDOW_HOURS",
    "FINGERPRINT_VERSION",
    "FREQUENCIES",
    "JACCARD",
    "KEYWORD_LEAD_CHARS",
    "LINK",
    "SAME_EVENT",
    "DedupResult",
    "Deduplicator",
    "EventText",
    "EventWords",
    "Fingerprint",
    "Frequencies",
    "IndexUpdate",
    "KeywordReader",
    "Keywords",
    "Names",
    "FigureKey",
    "Quantity",
    "batch_weight",
    "dedup",
    "event_text",
    "event_words",
    "first_entry",
    "is_digest",
    "lists_items",
    "load_frequencies",
    "load_names",
    "quantities",
    "quantity_keys",
    "ranked",
    "representative",
    "same_event_probability",
    "shingles",
    "tokens",
    "update_index",
    "weigh",
    "without_label",
]
