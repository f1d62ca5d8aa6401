"""The Airflow plugins: the week timetable (year ends, ISO week 53) and the archive app's safety."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from airflow.timetables.base import DataInterval, TimeRestriction  # noqa: E402
from briefing_timetable import BriefingWeekTimetable  # noqa: E402

from briefing.week import parse_week, week_of  # noqa: E402

SH = "Asia/Shanghai"


def local(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=SH)


@pytest.fixture
def timetable() -> BriefingWeekTimetable:
    return BriefingWeekTimetable(timezone=SH, run_at="07:00")


def _week(interval: DataInterval) -> str:
    return str(week_of(interval.start, SH))


@pytest.mark.parametrize(
    ("after", "week"),
    [
        pytest.param(local(2026, 11, 25, 12), "2026-W47", id="midweek"),
        pytest.param(local(2026, 11, 23, 0, 30), "2026-W47", id="monday-just-after-midnight"),
        pytest.param(local(2026, 11, 22, 23, 59), "2026-W46", id="sunday-night"),
        pytest.param(local(2027, 1, 2, 10), "2026-W52", id="inside-week-53"),
        pytest.param(local(2027, 1, 5, 10), "2026-W53", id="after-week-53"),
        pytest.param(local(2021, 1, 6), "2020-W53", id="2020-week-53"),
        pytest.param(local(2026, 1, 6), "2026-W01", id="year-starting-on-thursday"),
    ],
)
def test_a_manual_run_covers_the_latest_week_that_ended(
    timetable: BriefingWeekTimetable, after: pendulum.DateTime, week: str
) -> None:
    interval = timetable.infer_manual_data_interval(run_after=after.in_timezone("UTC"))
    assert _week(interval) == week
    start, end = parse_week(week).bounds(SH)
    assert (interval.start, interval.end) == (start, end)


@pytest.mark.parametrize(
    ("last", "next_week", "run_after"),
    [
        pytest.param("2026-W47", "2026-W48", local(2026, 11, 30, 7), id="ordinary"),
        pytest.param("2026-W52", "2026-W53", local(2027, 1, 4, 7), id="into-week-53"),
        pytest.param("2026-W53", "2027-W01", local(2027, 1, 11, 7), id="across-the-year-end"),
        pytest.param("2025-W52", "2026-W01", local(2026, 1, 5, 7), id="52-week-year"),
    ],
)
def test_the_next_run_is_the_next_week_after_it_ends(
    timetable: BriefingWeekTimetable, last: str, next_week: str, run_after: pendulum.DateTime
) -> None:
    start, end = parse_week(last).bounds(SH)
    info = timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(pendulum.instance(start), pendulum.instance(end)),
        restriction=TimeRestriction(None, None, True),
    )
    assert info is not None and info.data_interval is not None
    assert _week(info.data_interval) == next_week
    assert info.run_after == run_after
    assert info.data_interval.end - info.data_interval.start == pendulum.duration(days=7)


def test_the_first_run_is_the_first_whole_week_after_the_start_date(timetable: BriefingWeekTimetable) -> None:
    info = timetable.next_dagrun_info(
        last_automated_data_interval=None, restriction=TimeRestriction(local(2026, 10, 28), None, True)
    )
    assert info is not None and info.data_interval is not None and _week(info.data_interval) == "2026-W45"
    on_monday = timetable.next_dagrun_info(
        last_automated_data_interval=None, restriction=TimeRestriction(local(2026, 10, 26), None, True)
    )
    assert (
        on_monday is not None and on_monday.data_interval is not None and _week(on_monday.data_interval) == "2026-W44"
    )


def test_no_run_after_the_end_date_or_without_a_start(timetable: BriefingWeekTimetable) -> None:
    start, end = parse_week("2026-W47").bounds(SH)
    last = DataInterval(pendulum.instance(start), pendulum.instance(end))
    assert (
        timetable.next_dagrun_info(
            last_automated_data_interval=last, restriction=TimeRestriction(local(2026, 1, 1), local(2026, 11, 22), True)
        )
        is None
    )
    assert (
        timetable.next_dagrun_info(last_automated_data_interval=None, restriction=TimeRestriction(None, None, True))
        is None
    )


def test_it_serialises_and_says_what_it_does(timetable: BriefingWeekTimetable) -> None:
    again = BriefingWeekTimetable.deserialize(timetable.serialize())
    assert isinstance(again, BriefingWeekTimetable) and again.serialize() == {"timezone": SH, "run_at": "07:00"}
    assert timetable.summary == "Weekly: ISO week, runs Mon 07:00 Asia/Shanghai"
    assert "Monday to Monday in Asia/Shanghai" in timetable.description
    timetable.validate()


# -- the archive app -------------------------------------------------------------------------------------


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from fastapi.testclient import TestClient

    (tmp_path / "archive" / ".drafts").mkdir(parents=True)
    (tmp_path / "archive" / "briefing-2026-W47.html").write_text("<p>W47</p>", encoding="utf-8")
    (tmp_path / "archive" / "briefing-2026-W47.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "archive" / ".drafts" / "briefing-2026-W48.html").write_text("<p>draft</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_ARCHIVE", str(tmp_path / "archive"))
    from briefing_archive_app import app

    with TestClient(app) as c:
        yield c


def test_archive_app_serves_published_weeks_to_anyone(client: object) -> None:
    index = client.get("/")  # type: ignore[attr-defined]
    assert index.status_code == 200 and "2026-W47" in index.text
    assert "2026-W48" not in index.text  # a draft: for signed-in users only (tests/faults/test_store_and_archive.py)
    html = client.get("/weeks/briefing-2026-W47.html")  # type: ignore[attr-defined]
    assert (
        html.status_code == 200 and html.text == "<p>W47</p>" and html.headers["content-type"].startswith("text/html")
    )
    pdf = client.get("/weeks/briefing-2026-W47.pdf")  # type: ignore[attr-defined]
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert client.get("/drafts/briefing-2026-W48.html").status_code == 401  # type: ignore[attr-defined]
    listing = client.get("/").text  # type: ignore[attr-defined]
    assert "<style>" in listing and "drafts/" in listing  # the styled page, with the way to the drafts


def test_a_signed_in_user_sees_a_draft_marked_draft(client: object) -> None:
    from briefing_archive_app import app, signed_in

    app.dependency_overrides[signed_in] = lambda: "editor"
    try:
        draft = client.get("/drafts/briefing-2026-W48.html").text  # type: ignore[attr-defined]
        listing = client.get("/drafts/").text  # type: ignore[attr-defined]
    finally:
        app.dependency_overrides.clear()
    assert "<p>draft</p>" in draft and draft.index("DRAFT") < draft.index("<p>draft</p>"), "a draft is marked DRAFT"
    assert "briefing-2026-W48.html" in listing


def test_a_revision_is_what_one_run_made_for_signed_in_users_only(client: object, tmp_path: Path) -> None:
    from briefing_archive_app import app, signed_in

    from briefing.publish import Archive, keep_revision

    archive = Archive(tmp_path / "archive")
    first = keep_revision(archive, ".drafts/briefing-2026-W48.html")
    archive.write(
        ".drafts/briefing-2026-W48.html", b"<body><p>draft, rebuilt</p></body>"
    )  # a later run renders the week again
    second = keep_revision(archive, ".drafts/briefing-2026-W48.html")
    assert first != second and keep_revision(archive, ".drafts/briefing-2026-W48.html") == second
    assert client.get(f"/revisions/{first}").status_code == 401  # type: ignore[attr-defined]
    app.dependency_overrides[signed_in] = lambda: "editor"
    try:
        page = client.get(f"/revisions/{first}").text  # type: ignore[attr-defined]
        assert client.get("/revisions/briefing-2026-W48.html").status_code == 404  # type: ignore[attr-defined]
        assert client.get(  # type: ignore[attr-defined]
            "/revisions/briefing-2026-W48.0123456789ab.html"
        ).status_code == 404
    finally:
        app.dependency_overrides.clear()
    assert "<p>draft</p>" in page and "rebuilt" not in page, "the first run's link still opens what it made"
    assert page.index("As this run made it") < page.index("<p>draft</p>") and "weeks/briefing-2026-W48.html" in page


@pytest.mark.parametrize(
    "task, returned, opens",
    [
        pytest.param(
            "render",
            {"week": "2026-W47", "revision": "briefing-2026-W47.0123456789ab.html"},
            "/briefing/revisions/briefing-2026-W47.0123456789ab.html",
            id="draft-revision",
        ),
        pytest.param(
            "publish",
            {"week": "2026-W47", "revision": "briefing-2026-W47.ba9876543210.html"},
            "/briefing/revisions/briefing-2026-W47.ba9876543210.html",
            id="published-revision",
        ),
        pytest.param(
            "render", {"week": "2026-W47"}, "/briefing/drafts/briefing-2026-W47.html", id="run-before-revisions"
        ),
        pytest.param("publish", None, "", id="nothing-returned"),
    ],
)
def test_a_runs_link_opens_the_revision_it_made(task: str, returned: dict[str, str] | None, opens: str) -> None:
    from briefing_links import DraftLink, PublishedLink

    class Returned:  # what Airflow hands a link: something that pulls the task's return value
        task_id = task

        def xcom_pull(self, task_ids: str) -> object:
            assert task_ids == task
            return returned

    link = (DraftLink() if task == "render" else PublishedLink()).get_link(None, ti_key=Returned())
    assert link.endswith(opens) if opens else link == ""


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/weeks/../secret.txt", id="dotdot"),
        pytest.param("/weeks/%2e%2e%2fsecret.txt", id="encoded-dotdot"),
        pytest.param("/weeks/..%2F..%2Fsecret.txt", id="encoded-slash"),
        pytest.param("/weeks/briefing-2026-W46.html", id="missing-week"),
        pytest.param("/weeks/.drafts", id="drafts-dir"),
        pytest.param("/drafts/../briefing-2026-W47.pdf", id="draft-escape"),
        pytest.param("/weeks/%2Fetc%2Fpasswd", id="absolute"),
    ],
)
def test_archive_app_never_serves_outside_the_archive(client: object, path: str) -> None:
    response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 404
    assert "secret" not in response.text


def test_archive_app_is_read_only(client: object) -> None:
    assert client.post("/weeks/briefing-2026-W47.html").status_code == 405  # type: ignore[attr-defined]
    assert client.delete("/weeks/briefing-2026-W47.html").status_code == 405  # type: ignore[attr-defined]


def test_plugin_registers_the_timetable_links_and_app() -> None:
    from briefing_plugin import BriefingPlugin

    assert BriefingPlugin.timetables == [BriefingWeekTimetable]
    assert [link.name for link in BriefingPlugin.operator_extra_links] == ["Draft briefing", "Published briefing"]
    assert BriefingPlugin.fastapi_apps[0]["url_prefix"] == "/briefing"


def test_run_ids_name_the_week(timetable: BriefingWeekTimetable) -> None:
    from airflow.utils.types import DagRunType

    interval = timetable.infer_manual_data_interval(run_after=local(2026, 11, 25, 12))
    assert (
        timetable.generate_run_id(
            run_type=DagRunType.SCHEDULED, run_after=local(2026, 11, 30, 7), data_interval=interval
        )
        == "scheduled__2026-W47"
    )
    manual = timetable.generate_run_id(
        run_type=DagRunType.MANUAL, run_after=local(2026, 11, 25, 12), data_interval=interval
    )
    assert manual == "manual__2026-W47_2026-11-25T04:00:00+00:00"
    backfill = timetable.generate_run_id(
        run_type=DagRunType.BACKFILL_JOB, run_after=local(2026, 11, 30, 7), data_interval=interval
    )
    assert backfill.startswith("backfill__2026-W47_")
    assert timetable.generate_run_id(
        run_type=DagRunType.MANUAL, run_after=local(2026, 11, 25, 12), data_interval=None
    ).startswith("manual__2026-11-25")
