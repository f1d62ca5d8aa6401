"""Dedup and the dedup index never raise and always return a partition, whatever the batch: property-based
tests (Hypothesis) over random small batches of English and Chinese stories, dates (some missing) and
the order in which weeks are built.

Issue 11's crash (an empty candidate list indexed in the dedup index, when a week was built after a
later one) belongs to this class of bug; these tests explore it rather than one example of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.dedup import dedup, update_index
from briefing.records import Fetched, Story
from briefing.store import Store
from briefing.text import content_hash
from briefing.urls import canonical_url
from briefing.week import week_of

pytestmark = pytest.mark.slow  # hundreds of random batches: part of make test, not of the quick loop

T0 = datetime(2023, 10, 16, tzinfo=UTC)
WORDS = [
    "Apple",
    "M3",
    "chip",
    "Biden",
    "order",
    "AI",
    "model",
    "Zhipu",
    "raises",
    "70%",
    "3nm",
    "$2.5 billion",
    "Qualcomm",
    "苹果",
    "芯片",
    "发布",
    "大模型",
    "智谱",
    "融资",
    "25亿",
    "美国",
    "监管",
    "新智元",
    "骁龙",
    "华为",
    "3纳米",
]

headline = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
body = st.lists(st.sampled_from(WORDS + ["。", ".", "\n"]), min_size=0, max_size=40).map(" ".join)


@st.composite
def stories(draw: st.DrawFn, max_size: int = 14) -> list[Story]:
    n = draw(st.integers(min_value=0, max_value=max_size))
    out = []
    for i in range(n):
        hours = draw(st.floats(min_value=0, max_value=21 * 24, allow_nan=False))
        dated = draw(st.booleans()) or i == 0
        when = T0 + timedelta(hours=hours)
        out.append(
            Story(
                id=f"s{i}",
                source=draw(st.sampled_from(["a", "b", "c", ""])),
                url=draw(st.sampled_from([f"https://example.org/{i}", "https://example.org/same", ""])),
                title=draw(headline),
                text=draw(body),
                lang=draw(st.sampled_from(["en", "zh"])),
                published=when if dated else None,
                fetched=when,
            )
        )
    return out


def _by_week(batch: list[Story]) -> dict[str, list[Story]]:
    weeks: dict[str, list[Story]] = {}
    for s in batch:
        assert s.when is not None
        weeks.setdefault(str(week_of(s.when, "Asia/Shanghai")), []).append(s)
    return weeks


def _partition(clusters: list[tuple[str, tuple[str, ...]]]) -> set[frozenset[str]]:
    return {frozenset(members) for _, members in clusters}


@settings(max_examples=150, deadline=None)
@given(stories())
def test_dedup_returns_a_partition(batch: list[Story]) -> None:
    clusters = dedup(batch)
    members = [m for c in clusters for m in c.members]
    assert sorted(members) == sorted(s.id for s in batch)
    assert all(c.id == c.members[0] and c.id in c.members for c in clusters)


@settings(max_examples=100, deadline=None)
@given(stories(), st.randoms(use_true_random=False))
def test_dedup_does_not_depend_on_the_input_order(batch: list[Story], random: object) -> None:
    shuffled = list(batch)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = _partition([(c.id, c.members) for c in dedup(batch)])
    assert _partition([(c.id, c.members) for c in dedup(shuffled)]) == first


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories(max_size=12), st.randoms(use_true_random=False))
def test_the_index_takes_weeks_in_any_order(batch: list[Story], random: object) -> None:
    """Weeks added to the index in any order: no error, every story indexed once, in one cluster."""
    weeks = _by_week(batch)
    order = list(weeks)
    random.shuffle(order)  # type: ignore[attr-defined]
    with Store("sqlite://") as store:
        kept = set(
            store.add_stories([Fetched(s, canonical_url(s.url) or s.id, content_hash(s.title, s.body)) for s in batch])
        )
        for week in order:
            update_index(store, [s for s in weeks[week] if s.id in kept])
            update_index(store, [s for s in weeks[week] if s.id in kept])  # again: nothing changes, nothing breaks
        indexed = store.indexed(sorted(kept))
        assert set(indexed) == kept


def test_a_bucket_whose_pairs_are_all_outside_the_window_is_no_error() -> None:
    """Issue 11's crash: two copies 14 days apart share every LSH bucket, and no pair is left to compare."""
    when = datetime(2023, 10, 16, tzinfo=UTC)
    a = Story(
        id="a",
        source="x",
        url="https://example.org/a",
        title="",
        text="Apple Apple Apple M3 Apple",
        published=when,
        fetched=when,
    )
    b = Story(
        id="b",
        source="x",
        url="https://example.org/b",
        title="",
        text="Apple Apple Apple M3 Apple M3",
        fetched=when + timedelta(days=14, hours=1),
    )
    assert sorted(c.members for c in dedup([a, b])) == [("a",), ("b",)]


def _index_partition(batch: list[Story], order: list[str], weeks: dict[str, list[Story]]) -> set[frozenset[str]]:
    with Store("sqlite://") as store:
        kept = set(
            store.add_stories([Fetched(s, canonical_url(s.url) or s.id, content_hash(s.title, s.body)) for s in batch])
        )
        for week in order:
            update_index(store, [s for s in weeks[week] if s.id in kept])
        groups: dict[str, set[str]] = {}
        for sid, (_, cluster) in store.indexed(sorted(kept)).items():
            groups.setdefault(cluster, set()).add(sid)
        return {frozenset(g) for g in groups.values()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories(max_size=12), st.randoms(use_true_random=False))
def test_weeks_built_in_any_order_give_the_clusters_of_time_order(batch: list[Story], random: object) -> None:
    """A backfill builds past weeks after later ones: the store-wide clusters are those of time order."""
    weeks = _by_week(batch)
    in_time = sorted(weeks)
    shuffled = list(in_time)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _index_partition(batch, shuffled, weeks) == _index_partition(batch, in_time, weeks)
