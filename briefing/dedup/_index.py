"""The store's dedup index: every story's fingerprint and its cluster across all weeks, kept up to date
at the cost of the new stories alone.

A week's briefing clusters the week's stories (``pipeline.dedup_week``); the index answers the question
across weeks: which of this week's stories report what an earlier week's stories reported, at any size
of store. Adding stories reads from the store only what can meet them, since every dedup rule holds
within a time window: the indexed stories published within ``COPY_WINDOW_DAYS`` of a new one, with
their fingerprints (so their texts are never hashed again) and their clusters (so pairs of them are
never compared again). A new story can join an earlier cluster, or join two; the members of the clusters
it touched are relabelled with their representative, in the same transaction as the new rows.

Rerunning on stories already indexed changes nothing. Fingerprints of an older ``FINGERPRINT_VERSION``
count as missing, so a change of the hashing reindexes the stories as they come up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ..records import Indexed, IndexEntry, Story
from ._copies import COPY_WINDOW_DAYS
from ._deduplicator import Deduplicator, representative
from ._keywords import KeywordReader

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["IndexUpdate", "update_index"]

log = logging.getLogger("briefing.dedup_index")  # the name Airflow task logs have always shown


@dataclass(frozen=True)
class IndexUpdate:
    added: int  # stories indexed by this call
    context: int  # indexed stories read because they could meet the new ones
    joined_earlier: int  # new stories that joined a cluster of stories indexed before
    relabelled: int  # earlier stories whose cluster changed (two clusters joined by a new story)
    #: the fingerprints and store-wide clusters of the stories given, after the update
    entries: Mapping[str, Indexed]


def update_index(
    store: Store,
    stories: Sequence[Story],
    weights: Mapping[str, float] | None = None,
    keywords: KeywordReader | None = None,
) -> IndexUpdate:
    """Add the ``stories`` not indexed yet to the store's dedup index."""
    weights = dict(weights or {})
    known = store.indexed([s.id for s in stories])
    new = [s for s in stories if s.id not in known]
    if not new:
        return IndexUpdate(0, 0, 0, 0, known)
    new_ids = {s.id for s in new}
    context = _context(store, new, new_ids)
    label = {story.id: earlier for story, _, earlier in context}
    run = Deduplicator(weights, keywords).run(
        [story for story, _, _ in context] + new,
        fingerprints={story.id: fp for story, fp, _ in context},
        fresh=new_ids,
        joined=label,
        pairwise=True,
    )
    touched = [c for c in run.clusters if new_ids.intersection(c.members)]
    # a touched cluster may have members outside the window: they carry its earlier label
    earlier_labels = sorted({label[m] for c in touched for m in c.members if m in label})
    loaded = {story.id for story, _, _ in context} | new_ids
    outside = (
        [row for row in store.cluster_members(earlier_labels) if row[0].id not in loaded] if earlier_labels else []
    )
    by_id = {story.id: story for story, _, _ in [*context, *outside]} | {s.id: s for s in new}
    prints = {story.id: fp for story, fp, _ in outside} | run.fingerprints
    label |= {story.id: earlier for story, _, earlier in outside}
    outside_by_label: dict[str, list[Story]] = {}
    for story, _, earlier in outside:
        outside_by_label.setdefault(earlier, []).append(story)
    rows: list[IndexEntry] = []
    joined_earlier = relabelled = 0
    for cluster in touched:
        labels = sorted({label[m] for m in cluster.members if m in label})
        members = [by_id[m] for m in cluster.members] + [s for lab in labels for s in outside_by_label.get(lab, ())]
        rep = representative(members, weights).id
        for story in members:
            if story.id in new_ids or label[story.id] != rep:
                joined_earlier += story.id in new_ids and bool(labels)
                relabelled += story.id not in new_ids
                rows.append(IndexEntry(story, prints[story.id], rep))
    store.save_index(rows)
    log.info(
        "dedup index: %d stories added (%d indexed stories around them read), %d joined earlier clusters,"
        " %d relabelled",
        len(new), len(context), joined_earlier, relabelled,
    )
    entries = dict(known)
    entries.update((story.id, Indexed(fp, rep)) for story, fp, rep in rows if story.id in new_ids or story.id in known)
    return IndexUpdate(len(new), len(context), joined_earlier, relabelled, entries)


def _context(store: Store, new: Sequence[Story], new_ids: set[str]) -> list[IndexEntry]:
    """The indexed stories that could meet the ``new`` ones: published within the copy window of them
    (``_EDGE``)."""
    times = [s.when for s in new if s.when is not None]
    if not times:
        return []
    window = timedelta(days=COPY_WINDOW_DAYS) + _EDGE
    return [row for row in store.indexed_between(min(times) - window, max(times) + window) if row[0].id not in new_ids]


#: a rule's window holds its ends (two stories exactly ``COPY_WINDOW_DAYS`` apart can be copies) and the
#: store's [start, end) does not: reading a second more on each side reads every story a rule can join,
#: whichever of two stories is added first (and whatever the rounding of their times as floats)
_EDGE = timedelta(seconds=1)
