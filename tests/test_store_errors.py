"""The store translates every database error at its boundary (issue 16, item 4): whatever goes wrong
reading or writing a real SQLite store reaches the caller as a ``StoreError``, never as a driver's or
SQLAlchemy's exception, and a row the store cannot read names the store it came from."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.dedup import Fingerprint
from briefing.errors import StoreError
from briefing.records import (
    Classification,
    Cluster,
    Decision,
    English,
    EventEnglish,
    Fetched,
    LedgerEntry,
    Pick,
    SourceResult,
    Story,
    SubscriberEntry,
    Validators,
)
from briefing.store import Store, metadata

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
STORY = Story(
    id="s1",
    source="wire",
    url="https://news.example.com/a.html",
    title="A",
    summary="",
    text="t",
    lang="en",
    published=WHEN,
    fetched=WHEN,
)
FINGERPRINT = Fingerprint(content=1, signable=True, bands=b"\0" * 8, minhash=b"\0" * 4)
SENT = LedgerEntry(recipient="ana@example.org", status="sent", updated=WHEN, owner="h:1:0:t")
ANA = SubscriberEntry(email="ana@example.org", token_id="tok")

#: every public method of Store that touches the database, with arguments it accepts
CALLS: dict[str, Callable[[Store], Any]] = {
    "add_stories": lambda s: s.add_stories([Fetched(STORY, STORY.url, "h")]),
    "existing_ids": lambda s: s.existing_ids(["s1"]),
    "stories_between": lambda s: s.stories_between(WHEN, WHEN.replace(day=27)),
    "count_stories": lambda s: s.count_stories(),
    "record_fetch": lambda s: s.record_fetch("run", SourceResult(source="wire", status="ok"), WHEN),
    "fetch_results": lambda s: s.fetch_results("run"),
    "latest_health": lambda s: s.latest_health(),
    "source_history": lambda s: s.source_history("wire"),
    "validators": lambda s: s.validators("https://news.example.com/feed"),
    "save_validators": lambda s: s.save_validators("https://news.example.com/feed", Validators(etag='"e"'), WHEN),
    "indexed": lambda s: s.indexed(["s1"]),
    "indexed_between": lambda s: s.indexed_between(WHEN, WHEN.replace(day=27)),
    "cluster_members": lambda s: s.cluster_members(["s1"]),
    "save_index": lambda s: s.save_index([(STORY, FINGERPRINT, "s1")]),
    "count_indexed": lambda s: s.count_indexed(),
    "save_clusters": lambda s: s.save_clusters("2026-W47", [Cluster(id="s1", members=("s1",))]),
    "load_clusters": lambda s: s.load_clusters("2026-W47"),
    "save_classifications": lambda s: s.save_classifications("2026-W47", [Classification(story_id="s1", themes=())]),
    "load_classifications": lambda s: s.load_classifications("2026-W47"),
    "theme_counts": lambda s: s.theme_counts(["2026-W47"]),
    "save_selection": lambda s: s.save_selection("2026-W47", [Pick("s1", "compute", True, 1.0)]),
    "load_selection": lambda s: s.load_selection("2026-W47"),
    "record_edition": lambda s: s.record_edition("2026-W47", "a.html", "a.pdf", 1, 1, WHEN),
    "published": lambda s: s.published("2026-W47"),
    "ledger": lambda s: s.ledger("2026-W47", "full"),
    "ledger_entry": lambda s: s.ledger_entry("2026-W47", SENT.recipient, "full"),
    "swap_delivery": lambda s: s.swap_delivery("2026-W47", "full", None, SENT),
    "delivered": lambda s: s.delivered("2026-W47"),
    "subscriber": lambda s: s.subscriber(ANA.email),
    "subscriber_by_token": lambda s: s.subscriber_by_token("tok"),
    "subscribers": lambda s: s.subscribers(),
    "keep_week_mailing": lambda s: s.keep_week_mailing("2026-W47", {"active": 1}),
    "subscriber_counts": lambda s: s.subscriber_counts(),
    "add_subscriber": lambda s: s.add_subscriber(ANA),
    "remove_subscriber": lambda s: s.remove_subscriber(ANA.email),
    "set_subscriber_status": lambda s: s.set_subscriber_status(ANA.email, "unsubscribed", why="asked", when=WHEN),
    "record_bounce": lambda s: s.record_bounce(ANA.email, "2026-W47", threshold=3, why="550", when=WHEN),
    "clear_bounces": lambda s: s.clear_bounces([ANA.email]),
    "add_decisions": lambda s: s.add_decisions(
        "2026-W47", [Decision(kind="drop", target="s1", value="", by="ed", at=WHEN)]
    ),
    "load_decisions": lambda s: s.load_decisions("2026-W47"),
    "llm_answers": lambda s: s.llm_answers(["k"]),
    "save_llm_answer": lambda s: s.save_llm_answer(
        "k", model="m", prompt_version=1, status="ok", answer="{}", when=WHEN
    ),
    "save_week_english": lambda s: s.save_week_english("2026-W47", [EventEnglish("s1", English(headline="A"))]),
    "load_week_english": lambda s: s.load_week_english("2026-W47"),
}


def test_the_calls_cover_every_public_method() -> None:
    public = {name for name in dir(Store) if not name.startswith("_") and callable(getattr(Store, name))}
    assert public - {"close"} == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_store_without_its_tables_fails_as_a_store_error(tmp_path: Path, name: str) -> None:
    db = tmp_path / "s.sqlite"
    with Store(f"sqlite:///{db}") as store:
        with sqlite3.connect(db) as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(f"DROP TABLE {table.name}")
        with pytest.raises(StoreError, match="no such table"):
            CALLS[name](store)


#: (what to spoil, with SQL run on the file, the call that then reads it)
SPOILT = {
    "a story's date": (
        "UPDATE stories SET published = 'garbage'",
        lambda s: s.stories_between(WHEN.replace(day=1), WHEN.replace(day=27)),
    ),
    "a decision's date": ("UPDATE decisions SET made_at = 'garbage'", lambda s: s.load_decisions("2026-W47")),
    "a fetch's warnings": ("UPDATE fetch_runs SET warnings = 'not json'", lambda s: s.latest_health()),
    "a subscriber's change": ("UPDATE subscribers SET changed = 'garbage'", lambda s: s.subscriber(ANA.email)),
    "a ledger row's time": (
        "UPDATE deliveries SET updated = 'garbage'",
        lambda s: s.ledger_entry("2026-W47", SENT.recipient, "full"),
    ),
    "a week's themes": ("UPDATE classifications SET themes = '[['", lambda s: s.load_classifications("2026-W47")),
}


@pytest.mark.parametrize("what", sorted(SPOILT))
def test_a_row_the_store_cannot_read_fails_as_a_store_error_naming_the_store(tmp_path: Path, what: str) -> None:
    """Before, these reached the caller as ValueError (a date SQLite's dialect cannot parse, JSON that
    does not decode), from outside the store."""
    db = tmp_path / "s.sqlite"
    with Store(f"sqlite:///{db}") as store:
        for name in (
            "add_stories",
            "add_decisions",
            "record_fetch",
            "add_subscriber",
            "swap_delivery",
            "save_classifications",
        ):
            CALLS[name](store)
        store.record_fetch("run", SourceResult(source="wire", status="ok", warnings=("w",)), WHEN)
        store.save_classifications("2026-W47", [Classification(story_id="s1", themes=())])
        spoil, read = SPOILT[what]
        with sqlite3.connect(db) as conn:
            conn.execute(spoil)
        with pytest.raises(StoreError, match=f"the store at sqlite:///{db} failed: ") as info:
            read(store)
        assert not isinstance(info.value.__cause__, StoreError)


NAIVE = WHEN.replace(tzinfo=None)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.indexed_between(NAIVE, NAIVE),
        lambda s: s.record_fetch("run", SourceResult(source="wire", status="ok"), NAIVE),
        lambda s: s.save_validators("https://news.example.com/feed", Validators(etag='"e"'), NAIVE),
        lambda s: s.record_bounce(ANA.email, "2026-W47", threshold=3, why="550", when=NAIVE),
        lambda s: s.save_llm_answer("k", model="m", prompt_version=1, status="ok", answer="{}", when=NAIVE),
    ],
    ids=["indexed_between", "record_fetch", "save_validators", "record_bounce", "save_llm_answer"],
)
def test_a_callers_naive_datetime_stays_the_callers_value_error(store: Store, call: Callable[[Store], Any]) -> None:
    """The boundary translates what the database does, not what the caller got wrong."""
    with pytest.raises(ValueError, match="store needs aware datetimes"):
        call(store)
