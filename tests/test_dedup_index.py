"""The store's dedup index: stories added week by week cluster as one run over all of them would, on
SQLite and on PostgreSQL; adding again changes nothing; a week added out of order still meets its
neighbours; a new representative relabels the cluster; fingerprints of another version are redone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from benchmarks.corpus import Labelled, corpus
from briefing.dedup import Deduplicator, update_index
from briefing.records import Fetched, Story
from briefing.store import Store
from briefing.text import content_hash
from briefing.urls import canonical_url
from briefing.week import week_of


@pytest.fixture
def store(store_on_each_backend: Store) -> Store:
    return store_on_each_backend


@pytest.fixture(scope="module")
def items() -> list[Labelled]:
    """Three weeks of synthetic news with copies, edits and rewrites, some across week boundaries."""
    return [replace(x, story=replace(x.story, fetched=x.story.published)) for x in corpus(2400, seed=7, per_week=800)]


def _add(store: Store, stories: list[Story]) -> list[Story]:
    """Store the stories; returns those stored (a page fetched again under a tracking URL is not)."""
    kept = set(store.add_stories([Fetched(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in stories]))
    return [s for s in stories if s.id in kept]


def _weeks(stories: list[Story]) -> dict[str, list[Story]]:
    weeks: dict[str, list[Story]] = defaultdict(list)
    for s in stories:
        assert s.published is not None
        weeks[str(week_of(s.published, "Asia/Shanghai"))].append(s)
    return dict(sorted(weeks.items()))


def _partition(store: Store, ids: list[str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for sid, (_, cluster) in store.indexed(ids).items():
        groups[cluster].add(sid)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_week_by_week_is_one_run_over_all(store: Store, items: list[Labelled]) -> None:
    stories = _add(store, [x.story for x in items])
    weeks = _weeks(stories)
    assert len(weeks) >= 3
    for week in weeks.values():
        update = update_index(store, week)
        assert update.added == len(week)
    ids = [s.id for s in stories]
    assert store.count_indexed() == len(stories)
    whole = {frozenset(c.members) for c in Deduplicator().run(stories, pairwise=True).clusters}
    indexed = _partition(store, ids)
    assert len(whole & indexed) / len(whole) > 0.98  # the same pairwise rules over all the stories at once
    of = {sid: cluster for sid, (_, cluster) in store.indexed(ids).items()}
    derived = [x for x in items if x.kind in ("copy", "edit") and x.of in of and x.story.id in of]
    assert all(of[x.story.id] == of[x.of] for x in derived), "every copy and edit is in its original's cluster"
    crossing = [
        x
        for x in derived
        if week_of(x.story.published, "Asia/Shanghai")
        != week_of(next(y.story.published for y in items if y.story.id == x.of), "Asia/Shanghai")
    ]  # type: ignore[arg-type]
    assert crossing, "the corpus has copies published in the week after their original"
    # every cluster is labelled with its representative, which is one of its members
    assert all(of[next(iter(g))] in g for g in indexed)


def test_adding_again_changes_nothing(store: Store, items: list[Labelled]) -> None:
    stories = _add(store, [x.story for x in items[:900]])
    first = update_index(store, stories)
    before = _partition(store, [s.id for s in stories])
    again = update_index(store, stories)
    assert (first.added, again.added, again.context) == (len(stories), 0, 0)
    assert _partition(store, [s.id for s in stories]) == before
    assert again.entries == {sid: entry for sid, entry in store.indexed([s.id for s in stories]).items()}


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_week_added_out_of_order_meets_both_neighbours(store: Store, items: list[Labelled]) -> None:
    stories = _add(store, [x.story for x in items])
    weeks = list(_weeks(stories).values())
    for week in (weeks[0], weeks[2], weeks[1]):  # a backfill of the middle week, last
        update_index(store, week)
    in_order = {frozenset(c.members) for c in Deduplicator().run(stories, pairwise=True).clusters}
    assert len(in_order & _partition(store, [s.id for s in stories])) / len(in_order) > 0.98


def test_a_more_authoritative_copy_becomes_the_representative(store: Store, items: list[Labelled]) -> None:
    original = next(x.story for x in items if x.kind == "original" and x.story.lang == "en")
    assert original.published is not None
    later = original.published + timedelta(days=2)
    copy = replace(
        original, id="copy-1", source="the-wire", url="https://wire.example/copy-1", published=later, fetched=later
    )
    _add(store, [original, copy])
    update_index(store, [original], {"the-wire": 2.0})
    assert store.indexed([original.id])[original.id][1] == original.id
    update = update_index(store, [copy], {"the-wire": 2.0})
    assert (update.joined_earlier, update.relabelled) == (1, 1)
    labels = store.indexed([original.id, copy.id])
    assert labels[original.id][1] == labels[copy.id][1] == "copy-1"


def test_fingerprints_of_another_version_are_made_again(store: Store, items: list[Labelled]) -> None:
    stories = _add(store, [x.story for x in items[:50]])
    update_index(store, stories)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE dedup_index SET version = 0"))
    assert store.indexed([s.id for s in stories]) == {}
    assert update_index(store, stories).added == len(stories)
    assert len(store.indexed([s.id for s in stories])) == len(stories)
