"""Editors' decisions (briefing.editorial) over a real store and the demo web: kept with who and when,
applied by select and render and by every rebuild, bad input refused with nothing changed; and what the
edition now says of itself: This week in five, coverage, Only in the Chinese press, follow-ups, the chart
of every week the store holds, the archive's search."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefing.editorial import FORM_FIELDS, Edit, EditError, apply, event_menu, parse_form, record, short_id
from briefing.pipeline import (
    Pipeline,
    build_edition,
    classify_week,
    dedup_week,
    fetch,
    publish_week,
    record_form,
    redraft,
    render_week,
    select_week,
    withdraw_draft,
)
from briefing.records import Cluster, Decision
from briefing.settings import Settings
from briefing.week import parse_week

ROOT = Path(__file__).resolve().parent.parent
WEEK = parse_week("2026-W47")
WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(demo_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the demo fetched and W47 built up to its draft: copied for each test."""
    tmp = tmp_path_factory.mktemp("built")
    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp / 'b.sqlite'}", archive=str(tmp / "archive")
    )
    with Pipeline.open(settings) as p:
        fetch(p, "run")
        dedup_week(p, WEEK)
        classify_week(p, WEEK)
        select_week(p, WEEK)
    return tmp / "b.sqlite"


@pytest.fixture
def pipeline(built: Path, demo_config: Path, tmp_path: Path) -> Iterator[Pipeline]:
    (tmp_path / "b.sqlite").write_bytes(built.read_bytes())
    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", archive=str(tmp_path / "archive")
    )
    with Pipeline.open(settings) as p:
        yield p


def _id(p: Pipeline, title_start: str) -> str:
    """The short id of the event that holds the story whose title starts so."""
    story = next(s for s in p.week_stories(WEEK) if s.title.startswith(title_start))
    return short_id(next(c.id for c in p.store.load_clusters(str(WEEK)) if story.id in c.members))


def _story(p: Pipeline, title_start: str) -> str:
    return short_id(next(s.id for s in p.week_stories(WEEK) if s.title.startswith(title_start)))


def _everything(p: Pipeline) -> list[Edit]:
    return [
        Edit("merge", _id(p, "San'ao unit 1"), _id(p, "三澳核电1号机组投入商业运行")),
        Edit("lead", _id(p, "Sichuan-to-Jiangsu")),
        Edit("drop", _id(p, "Beijing's High Energy Photon Source")),
        Edit("split", _story(p, "Ningxia hub's AI computing capacity")),
        Edit("move", _id(p, "China issues mandatory energy-efficiency standard"), "compute"),
        Edit("headline", _id(p, "四部门印发指导意见"), "Four ministries tell computing and power to plan together"),
        Edit(
            "gist",
            _id(p, "四部门印发指导意见"),
            "A joint guideline asks for data centres and grids to be planned as one.",
        ),
        Edit("why", _id(p, "Sichuan-to-Jiangsu"), "Western hydropower now reaches the coastal data centres."),
        Edit("note", value="A week of power lines."),
        Edit("watch", value="The Wukong-2 cloud launch\nSMIC Lingang figures"),
    ]


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_every_kind_of_decision_is_kept_with_who_and_when_and_applied(pipeline: Pipeline) -> None:
    before = build_edition(pipeline, WEEK)
    made = record(pipeline, WEEK, _everything(pipeline), by="ana", now=WHEN)
    assert (
        [d.kind for d in pipeline.store.load_decisions(str(WEEK))]
        == [d.kind for d in made]
        == ["merge", "lead", "drop", "split", "move", "headline", "gist", "why", "note", "watch"]
    )
    assert {(d.by, d.at) for d in pipeline.store.load_decisions(str(WEEK))} == {("ana", WHEN)}
    select_week(pipeline, WEEK)
    e = build_edition(pipeline, WEEK)
    items = {it.story.title: it for s in e.sections for it in s.items}
    assert (
        e.lead is not None
        and e.lead.story.title.startswith("Sichuan-to-Jiangsu")
        and e.lead.why == "Western hydropower now reaches the coastal data centres."
    )
    sanao = next(it for t, it in items.items() if t.startswith("San'ao unit 1"))
    assert (sanao.outlets_zh, sanao.outlets_en) == (
        1,
        1,
    ) and "三澳核电1号机组投入商业运行" not in items  # merged: one event, two outlets
    assert not any(t.startswith("Beijing's High Energy Photon Source") for t in items)  # dropped
    assert any(t.startswith("Ningxia hub's AI computing capacity") for t in items)  # split out: an event of its own
    moved = next(s for s in e.sections if s.theme.id == "compute")
    assert any(it.story.title.startswith("China issues mandatory energy-efficiency standard") for it in moved.items)
    policy = next(it for t, it in items.items() if t.startswith("四部门印发指导意见"))
    assert (
        policy.headline == "Four ministries tell computing and power to plan together"
        and policy.gist
        and policy.gist.startswith("A joint guideline")
    )
    assert e.editor_note == "A week of power lines." and e.watch == (
        "The Wukong-2 cloud launch",
        "SMIC Lingang figures",
    )
    assert e.cluster_count == before.cluster_count  # one merged, one split out
    html, _, _ = render_week(pipeline, WEEK)
    text = Path(html).read_text(encoding="utf-8")
    for shown in (
        "Why it matters:",
        "A week of power lines.",
        "What to watch next week",
        "Four ministries tell computing and power to plan together",
        "This week in five",
    ):
        assert shown in text, shown


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_rebuild_applies_the_decisions_again_byte_for_byte(pipeline: Pipeline) -> None:
    record(pipeline, WEEK, _everything(pipeline), by="ana", now=WHEN)
    select_week(pipeline, WEEK)
    render_week(pipeline, WEEK)
    first = Path(publish_week(pipeline, WEEK).html).read_bytes()
    dedup_week(pipeline, WEEK)
    classify_week(pipeline, WEEK)
    select_week(pipeline, WEEK)
    render_week(pipeline, WEEK)
    assert Path(publish_week(pipeline, WEEK).html).read_bytes() == first


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        pytest.param(lambda p: [Edit("drop", "ffffff")], "unknown id 'ffffff'", id="unknown-id"),
        pytest.param(
            lambda p: [Edit("merge", _id(p, "San'ao unit 1"), _id(p, "San'ao unit 1"))],
            "same event",
            id="merge-with-itself",
        ),
        pytest.param(
            lambda p: [
                Edit("merge", _id(p, "San'ao unit 1"), _id(p, "三澳核电1号机组投入商业运行")),
                Edit("merge", _id(p, "三澳核电1号机组投入商业运行"), _id(p, "San'ao unit 1")),
            ],
            "same event",
            id="merged-already",
        ),
        pytest.param(
            lambda p: [Edit("move", _id(p, "San'ao unit 1"), "weather")], "no section 'weather'", id="no-such-section"
        ),
        pytest.param(
            lambda p: [Edit("note", value="fine"), Edit("drop", "zz")], "'zz' is not an id", id="a-bad-edit-in-a-batch"
        ),
        pytest.param(
            lambda p: [Edit("split", _story(p, "三澳核电1号机组投入商业运行"))],
            "nothing to split",
            id="split-a-single-story",
        ),
        pytest.param(
            lambda p: [Edit("drop", _id(p, "San'ao unit 1")), Edit("lead", _id(p, "San'ao unit 1"))],
            "was dropped",
            id="lead-a-dropped-event",
        ),
        pytest.param(lambda p: [Edit("pin", "a")], "unknown decision 'pin'", id="unknown-kind"),
    ],
)
def test_bad_input_is_a_clear_error_that_changes_nothing(pipeline: Pipeline, edits: Any, message: str) -> None:
    with pytest.raises(EditError, match=message):
        record(pipeline, WEEK, edits(pipeline), by="ana")
    assert pipeline.store.load_decisions(str(WEEK)) == []


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_published_week_takes_no_more_decisions(pipeline: Pipeline) -> None:
    render_week(pipeline, WEEK)
    publish_week(pipeline, WEEK)
    with pytest.raises(EditError, match="2026-W47 is already published"):
        record(pipeline, WEEK, [Edit("note", value="too late")], by="ana")
    assert pipeline.store.load_decisions(str(WEEK)) == []


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_rejected_draft_is_edited_and_rendered_again_without_refetching(pipeline: Pipeline) -> None:
    render_week(pipeline, WEEK)
    withdraw_draft(pipeline, WEEK)
    stories, runs = pipeline.store.count_stories(), len(pipeline.store.latest_health())
    record(pipeline, WEEK, [Edit("note", value="Second thoughts.")], by="ana")
    drafts = redraft(pipeline, WEEK)
    assert (
        "Second thoughts." in Path(drafts.html).read_text(encoding="utf-8") and Path(drafts.pdf).stat().st_size > 10_000
    )
    assert (pipeline.store.count_stories(), len(pipeline.store.latest_health())) == (stories, runs)


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_the_form_answers_become_decisions_and_a_new_draft(pipeline: Pipeline) -> None:
    uhv = _id(pipeline, "Sichuan-to-Jiangsu")
    answers = dict.fromkeys(FORM_FIELDS, None) | {"lead": uhv, "why": f"{uhv}: It matters.", "watch": "one\ntwo"}
    made = record_form(pipeline, WEEK, answers, by="bo")
    assert [(d.kind, d.by) for d in made] == [("lead", "bo"), ("why", "bo"), ("watch", "bo")]
    draft = Path(pipeline.settings.archive) / ".drafts" / "briefing-2026-W47.html"
    assert "It matters." in draft.read_text(encoding="utf-8")
    with pytest.raises(EditError, match="unknown id"):
        record_form(pipeline, WEEK, {"drop": "abcdef"}, by="bo")
    assert len(pipeline.store.load_decisions(str(WEEK))) == 3


def test_parse_form_reads_each_field() -> None:
    edits = parse_form(
        {
            "lead": " a1b2c3 ",
            "drop": "d4e5f6, 0a0a0a",
            "merge": "a1b2c3 + d4e5f6\n",
            "move": "a1b2c3: chips",
            "headline": "a1b2c3: A headline: with a colon",
            "note": "",
            "watch": "x\ny",
        }
    )
    assert edits == [
        Edit("lead", "a1b2c3"),
        Edit("drop", "d4e5f6"),
        Edit("drop", "0a0a0a"),
        Edit("merge", "a1b2c3", "d4e5f6"),
        Edit("move", "a1b2c3", "chips"),
        Edit("headline", "a1b2c3", "A headline: with a colon"),
        Edit("watch", value="x\ny"),
    ]
    with pytest.raises(EditError, match="give two ids"):
        parse_form({"merge": "a1b2c3"})


def test_the_approval_form_has_the_fields_the_library_reads() -> None:
    sys.path.insert(0, str(ROOT / "plugins"))
    from briefing_approval import EDIT_FIELDS

    assert list(EDIT_FIELDS) == list(FORM_FIELDS)


def test_decisions_find_their_event_after_a_merge_and_the_last_one_wins() -> None:
    clusters = [Cluster("a", ("a", "b")), Cluster("c", ("c",)), Cluster("d", ("d",))]

    def d(kind: str, target: str, value: str = "") -> Decision:
        return Decision(kind, target, value, "ana", WHEN)

    applied = apply(
        clusters,
        [
            d("why", "c", "first"),
            d("merge", "a", "c"),
            d("why", "b", "second"),
            d("split", "a"),
            d("drop", "d"),
            d("move", "c", "chips"),
        ],
    )
    assert [c.members for c in applied.clusters] == [("b", "c"), ("a",)]
    assert (
        applied.why == {"b": "second"}
        and applied.sections == {"b": "chips"}
        and [c.id for c in applied.dropped] == ["d"]
    )


def test_the_menu_lists_the_events_by_short_id(pipeline: Pipeline) -> None:
    lines = event_menu(pipeline, WEEK)
    assert any(f"`{_id(pipeline, 'Sichuan-to-Jiangsu')}`" in line and "**" in line for line in lines)
    assert any("Not carried" in line for line in lines) or all("**" in line for line in lines)


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_the_edition_says_who_reported_what_and_where_it_stands(pipeline: Pipeline) -> None:
    e = build_edition(pipeline, WEEK)
    assert e.lead is not None and len(e.in_five) == 5 and e.in_five[0] is e.lead
    assert e.chinese_only and all(it.outlets_zh and not it.outlets_en for it in e.chinese_only)
    assert [w for w, _ in e.trend] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
    ]  # weeks never built counted on the fly
    assert all(sum(n for _, n in counts) > 0 for _, counts in e.trend)
    follow = [it for s in e.sections for it in s.items if it.follow_up]
    assert any(
        "三澳核电1号机组" in it.story.title and it.follow_up and it.follow_up.startswith("2026-W44: ") for it in follow
    )  # W44 never built
    html, _, _ = render_week(pipeline, WEEK)
    text = Path(html).read_text(encoding="utf-8")
    assert "Only in the Chinese press" in text and "4 outlets · " in text and "target-counter(attr(href), page)" in text
    for it in e.chinese_only:
        assert f'<a href="#story-{it.story.id}">' in text.split('id="chinese-only"', 1)[1]


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_the_archive_index_searches_every_week(pipeline: Pipeline) -> None:
    render_week(pipeline, WEEK)
    published = publish_week(pipeline, WEEK)
    index = Path(published.index).read_text(encoding="utf-8")
    data = json.loads(index.split('<script type="application/json" id="search-data">', 1)[1].split("</script>", 1)[0])
    assert len(data) == 1 and any(
        e[1] == "Energy" and "Grid & Power Weekly" in e[2] and e[3].startswith("story-") for e in data[0]
    )
    assert 'id="search-input"' in index


@dataclass
class _Run:
    dag_id: str = "weekly_briefing"
    run_id: str = "manual__2026-W47"
    note: str | None = None


class _TI:
    def xcom_pull(self, task_ids: str) -> str:
        return "2026-W47"


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_bad_answers_in_the_approval_form_fail_the_task_and_store_nothing(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    sys.path.insert(0, str(ROOT / "plugins"))
    from airflow.sdk.exceptions import AirflowFailException
    from briefing_approval import EditionApproval, edit_form

    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://127.0.0.1:1")  # the run note's API: nothing there

    def on_approve(week: str, answers: Any, by: str) -> list[str]:
        return [d.kind for d in record_form(pipeline, parse_week(week), answers, by=by)]

    def approval() -> EditionApproval:  # an operator per answer, as Airflow runs it
        return EditionApproval(
            task_id="approve",
            week_task="resolve_week",
            on_reject=lambda w: [],
            on_approve=on_approve,
            params=edit_form(),
            subject="s",
            body="b",
            response_timeout=timedelta(hours=1),
        )

    def answer(**fields: str) -> dict[str, Any]:
        return {
            "chosen_options": ["Approve"],
            "params_input": dict.fromkeys(FORM_FIELDS) | fields,
            "responded_at": WHEN,
            "responded_by_user": {"id": "ana", "name": "ana"},
        }

    with pytest.raises(AirflowFailException, match="could not be applied: unknown id 'ffffff'"):
        approval().execute_complete({"ti": _TI(), "dag_run": _Run()}, answer(merge="ffffff 000000"))
    assert pipeline.store.load_decisions(str(WEEK)) == []
    approval().execute_complete({"ti": _TI(), "dag_run": _Run()}, answer(note="Fine."))
    assert [(d.kind, d.by) for d in pipeline.store.load_decisions(str(WEEK))] == [("note", "ana")]


def test_a_hostile_headline_cannot_break_out_of_the_index_search_data(tmp_path: Path) -> None:
    from briefing.publish import EditionInfo, publish_edition

    hostile = '</script><script>alert("x")</script>'
    info = EditionInfo(
        week="2026-W47",
        lead="lead",
        stories=1,
        events=1,
        entries=((hostile, "Energy", "Outlet", "story-0123456789abcdef"),),
    )
    published = publish_edition(tmp_path, "2026-W47", "<html></html>", b"%PDF-1.7", info)
    index = Path(published.index).read_text(encoding="utf-8")
    assert hostile not in index and index.count("<script") == 2
    data = json.loads(index.split('<script type="application/json" id="search-data">', 1)[1].split("</script>", 1)[0])
    assert data == [[[hostile, "Energy", "Outlet", "story-0123456789abcdef"]]]


def test_briefing_edit_records_lists_and_refuses_bad_input(
    pipeline: Pipeline, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing.cli import main

    base = [
        "edit",
        "--week",
        "2026-W47",
        "--config",
        str(pipeline.config.path),
        "--db",
        pipeline.settings.db_url,
        "--archive",
        str(pipeline.settings.archive),
    ]
    uhv = _id(pipeline, "Sichuan-to-Jiangsu")
    assert main([*base, "--merge", uhv, uhv]) == 1
    assert "cannot merge" in capsys.readouterr().err and pipeline.store.load_decisions(str(WEEK)) == []
    assert main([*base]) == 1 and "nothing to do" in capsys.readouterr().err
    assert main([*base, "--by", "ana", "--lead", uhv, "--why", uhv, "It matters."]) == 0
    assert f"ana: lead {uhv}" in capsys.readouterr().out
    assert main([*base, "--list"]) == 0
    out = capsys.readouterr().out
    assert f"- {uhv} lead, energy Sichuan-to-Jiangsu" in out and "Decisions (2):" in out


def test_a_store_of_schema_5_gets_the_decisions_table(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from briefing.store import SCHEMA_VERSION, Store, schema_version

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the store as schema 5 left it: no decisions table
        conn.exec_driver_sql("DROP TABLE decisions")
        conn.exec_driver_sql("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    engine.dispose()
    with Store(url) as store:
        store.add_decisions("2026-W47", [Decision("note", "", "Migrated.", "ana", WHEN)])
        assert store.load_decisions("2026-W47") == [Decision("note", "", "Migrated.", "ana", WHEN)]
    assert schema_version(url) == SCHEMA_VERSION


def test_an_editors_english_headline_stands_in_place_of_the_machines(pipeline: Pipeline) -> None:
    title = "四部门印发指导意见"

    def policy(e: Any) -> Any:
        return next(it for s in e.sections for it in s.items if it.story.title.startswith(title))

    before = policy(build_edition(pipeline, WEEK))
    assert before.headline is None and before.english is not None and before.english.by == "offline"
    record(
        pipeline,
        WEEK,
        [Edit("headline", _id(pipeline, title), "Four ministries tell computing and power to plan together")],
        by="ana",
        now=WHEN,
    )
    select_week(pipeline, WEEK)
    after = policy(build_edition(pipeline, WEEK))
    assert after.headline == "Four ministries tell computing and power to plan together"
    assert after.english is None, "the editor's English replaces the offline note, not printed beside it"
