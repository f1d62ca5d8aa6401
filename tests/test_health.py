"""The source-health report (briefing.health) over a real store: latest status, failures in a row, the
"every item new" flag, and the printed table with its callouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from briefing.health import SourceHealth, callouts, health_table, source_health
from briefing.records import SourceResult
from briefing.store import Store

T0 = datetime(2026, 11, 16, tzinfo=UTC)


def ok(source: str, stories: int = 10, new: int = 2, **kw: object) -> SourceResult:
    fields: dict[str, object] = {"http_status": 200, "seconds": 1.5, **kw}
    return SourceResult(source=source, status="ok", stories=stories, new=new, **fields)  # type: ignore[arg-type]


def failed(source: str, error: str = "http://x.example/feed.xml: HTTP 503 Service Unavailable", status: int | None = 503) -> SourceResult:
    return SourceResult(source=source, status="error", error=error, http_status=status, seconds=0.4)


def record(store: Store, runs: list[list[SourceResult]]) -> None:
    for n, results in enumerate(runs):
        for r in results:
            store.record_fetch(f"run-{n}", r, T0 + timedelta(days=n))


def test_report_per_source(store: Store) -> None:
    record(
        store,
        [
            [ok("steady"), ok("flaky"), ok("dead"), ok("rolling", stories=20, new=20)],
            [ok("steady", new=0), failed("flaky"), failed("dead"), ok("rolling", stories=20, new=20)],
            [ok("steady", new=3), ok("flaky", new=1), failed("dead"), ok("rolling", stories=20, new=20)],
            [ok("steady", new=1, warnings=("1 article page(s) not read",)), failed("flaky", "timed out", None), failed("dead", "HTTP 404 Not Found", 404), ok("rolling", stories=20, new=20)],
        ],
    )
    report = {h.source: h for h in source_health(store)}
    assert sorted(report) == ["dead", "flaky", "rolling", "steady"]
    assert report["steady"] == SourceHealth(
        source="steady", status="ok", http_status=200, warnings=("1 article page(s) not read",), stories=10, new=1, seconds=1.5, consecutive_failures=0, every_item_new=False, runs=4
    )
    assert report["steady"].warning == "1 article page(s) not read"
    assert report["flaky"].consecutive_failures == 1 and report["flaky"].error == "timed out" and report["flaky"].warning is None
    assert report["dead"].consecutive_failures == 3 and report["dead"].http_status == 404
    assert report["rolling"].every_item_new
    lines = callouts(list(report.values()))
    assert lines == [
        "dead: failed 3 runs in a row (last: HTTP 404 Not Found)",
        "rolling: all 20 items of the last run were new: it may publish faster than it is read, so items were probably missed",
    ]


def test_first_run_of_a_source_is_not_flagged_for_all_new(store: Store) -> None:
    record(store, [[ok("fresh", stories=12, new=12)]])
    [health] = source_health(store)
    assert not health.every_item_new and health.callouts() == ()


def test_a_source_never_fetched_and_the_order_asked_for(store: Store) -> None:
    record(store, [[ok("b"), ok("a")]])
    report = source_health(store, ["b", "never", "a"])
    assert [h.source for h in report] == ["b", "never", "a"]
    assert report[1] == SourceHealth(source="never", status="never")


def test_failing_threshold_is_a_parameter(store: Store) -> None:
    record(store, [[failed("x")], [failed("x")]])
    [health] = source_health(store)
    assert health.callouts() == ()
    assert health.callouts(failing_runs=2) == ("x: failed 2 runs in a row (last: http://x.example/feed.xml: HTTP 503 Service Unavailable)",)


def test_health_table(store: Store) -> None:
    record(store, [[ok("steady"), failed("dead")], [ok("steady", new=0, stories=0, http_status=304), failed("dead")], [ok("steady"), failed("dead")]])
    table = health_table(source_health(store))
    lines = table.splitlines()
    assert lines[0].split() == ["source", "status", "http", "seen", "new", "seconds", "fails", "note"]
    assert lines[1].split()[:7] == ["dead", "error", "503", "0", "0", "0.4", "3"]
    assert lines[2].split() == ["steady", "ok", "200", "10", "2", "1.5", "0"]
    assert "Needs attention:" in table and "  - dead: failed 3 runs in a row" in table


def test_empty_store_has_an_empty_report(store: Store) -> None:
    assert source_health(store) == []
    assert health_table([]).splitlines() == ["source  status  http  seen  new  seconds  fails  note"]
