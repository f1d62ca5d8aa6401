"""The select stage: earlier briefings' events come from the dedup index, and the selection is stored
whole (``records.Pick``, store schema 9) and read back as it was chosen; a selection row of schema 8
stays readable after the migration, as a pick that is not whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from briefing.records import Fetched, Pick, ThemeScore
from briefing.store import SCHEMA_VERSION, Store


def _pick(**kw: object) -> Pick:
    base: dict[str, object] = {
        "story_id": "a1", "section": "compute", "lead": True, "score": 1.2345,
        "follow_up": "2026-W44: 三澳核电1号机组并网",
        "source_name": "Wire <Agency>", "summary": "两句话。第二句。", "outlets_zh": 2, "outlets_en": 1,
        "themes": (ThemeScore("compute", 0.9, (("算力", 3, "title"),)), ThemeScore("energy", 0.25)),
        "also": (("Other & Co", "https://other.example/b"), ("另一家", "https://zh.example/c")),
    }  # fmt: skip
    return Pick(**{**base, **kw})  # type: ignore[arg-type]


def test_a_pick_is_stored_whole_and_read_back_as_chosen(store: Store) -> None:
    picks = [
        _pick(),
        _pick(lead=False, follow_up=None, also=(), themes=()),
        _pick(story_id="b2", section="energy", lead=False),
    ]
    store.save_selection("2026-W47", picks)
    assert store.load_selection("2026-W47") == picks
    store.save_selection("2026-W47", picks[:1])  # replaced whole
    assert store.load_selection("2026-W47") == picks[:1]


def test_a_selection_row_of_schema_8_is_readable_after_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:  # back to schema 8: a selection row had five columns of its own
        for column in ("source_name", "summary", "themes", "also", "outlets_zh", "outlets_en"):
            conn.execute(f"ALTER TABLE selections DROP COLUMN {column}")
        conn.execute(
            "INSERT INTO selections (week, position, story_id, section, lead, score, follow_up) "
            "VALUES ('2026-W46', 0, 'a1', 'chips', 1, 2.5, NULL)"
        )
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    with Store(f"sqlite:///{path}") as store:
        assert store.load_selection("2026-W46") == [Pick("a1", "chips", True, 2.5, None, whole=False)]
        store.save_selection("2026-W47", [_pick()])
        assert store.load_selection("2026-W47") == [_pick()]
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            == str(SCHEMA_VERSION)
            == "9"
        )


def test_earlier_briefings_repeats_come_from_the_dedup_index(store: Store) -> None:
    """The events of earlier weeks are the dedup index's store-wide clusters: nothing is deduplicated again."""
    from datetime import UTC, datetime

    from briefing.dedup import update_index
    from briefing.records import Story
    from briefing.select import EarlierStory, earlier_reports
    from briefing.text import content_hash
    from briefing.urls import canonical_url

    def story(sid: str, title: str, text: str, day: int) -> Story:
        return Story(
            id=sid,
            source="s",
            url=f"https://s.example/{sid}",
            title=title,
            text=text,
            lang="en",
            published=datetime(2026, 11, day, 3, tzinfo=UTC),
            fetched=datetime(2026, 11, day, 4, tzinfo=UTC),
        )

    body = (
        "Unit 1 of the San'ao nuclear plant was connected to the grid on Monday, delivering 1,210 MW after six years "
        "of construction by CGN Power. "
        * 2
    )
    grid = story("grid", "San'ao unit 1 connected to the grid", body, 6)
    current = [
        story("copy", "San'ao unit 1 is on the grid", "ZHEJIANG (Wire) -- " + body, 9),
        story(
            "later",
            "San'ao unit 1 enters commercial operation",
            "The unit entered commercial operation after a 168-hour run at full power.",
            10,
        ),
        story(
            "other",
            "Quantum network links three cities",
            "A quantum key distribution network now links three cities.",
            10,
        ),
    ]
    for week in ([grid], current):  # each week fetched, then indexed by its dedup step
        store.add_stories([Fetched(s, canonical_url(s.url), content_hash(s.title, s.body)) for s in week])
        update_index(store, week)
    clusters = {sid: entry[1] for sid, entry in store.indexed(["grid", "copy", "later", "other"]).items()}
    assert clusters["copy"] == clusters["grid"] != clusters["other"]
    repeated, follow_ups = earlier_reports(current, [EarlierStory("2026-W45", grid)], clusters=clusters)
    assert repeated == {"copy"}
    assert follow_ups == {"later": "2026-W45: San'ao unit 1 connected to the grid"}
    alone = {sid: sid for sid in clusters}  # an index that holds every story alone: no repeat
    assert earlier_reports(current, [EarlierStory("2026-W45", grid)], clusters=alone).repeated == set()


def test_render_reads_the_stored_picks_and_asks_for_select_when_they_are_not_whole(
    demo_config: Path, tmp_path: Path
) -> None:
    """The edition shows what the select step stored (its summary, not one made again); a selection of an
    older store (not whole) is refused with the step to run, never ranked again."""
    from dataclasses import replace

    import pytest

    from briefing.errors import BriefingError
    from briefing.pipeline import Pipeline, build_edition, classify_week, dedup_week, fetch, select_week
    from briefing.settings import Settings
    from briefing.week import parse_week

    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", archive=str(tmp_path / "archive")
    )
    week = parse_week("2026-W47")
    with Pipeline.open(settings) as p:
        fetch(p, "run-1", week=week)
        dedup_week(p, week)
        classify_week(p, week)
        select_week(p, week)
        picks = p.store.load_selection(str(week))
        assert picks and all(pick.whole and pick.summary for pick in picks)
        stored = [replace(pick, summary=f"stored: {pick.story_id}") for pick in picks]
        p.store.save_selection(str(week), stored)
        edition = build_edition(p, week)
        assert edition.lead is not None and edition.lead.summary == f"stored: {edition.lead.story.id}"
        assert all(it.summary == f"stored: {it.story.id}" for sec in edition.sections for it in sec.items)
        with sqlite3.connect(tmp_path / "b.sqlite") as conn:  # as a store of schema 8 left it
            conn.execute("UPDATE selections SET source_name = NULL, summary = NULL, themes = NULL, also = NULL")
        with pytest.raises(BriefingError, match="not whole .*run the select step again"):
            build_edition(p, week)
