"""The source-health report (briefing.health) over a real store: latest status, failures in a row, the
"every item new" flag, and the printed table with its callouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefing.health import SourceHealth, SourcesCheck, callouts, failure_kind, health_table, reader_note, source_health
from briefing.records import SourceResult
from briefing.store import Store

T0 = datetime(2026, 11, 16, tzinfo=UTC)


def ok(source: str, stories: int = 10, new: int = 2, **kw: object) -> SourceResult:
    fields: dict[str, object] = {"http_status": 200, "seconds": 1.5, **kw}
    return SourceResult(source=source, status="ok", stories=stories, new=new, **fields)  # type: ignore[arg-type]


def failed(
    source: str, error: str = "http://x.example/feed.xml: HTTP 503 Service Unavailable", status: int | None = 503
) -> SourceResult:
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
            [
                ok("steady", new=1, warnings=("1 article page(s) not read",)),
                failed("flaky", "timed out", None),
                failed("dead", "HTTP 404 Not Found", 404),
                ok("rolling", stories=20, new=20),
            ],
        ],
    )
    report = {h.source: h for h in source_health(store)}
    assert sorted(report) == ["dead", "flaky", "rolling", "steady"]
    assert report["steady"] == SourceHealth(
        source="steady",
        status="ok",
        http_status=200,
        warnings=("1 article page(s) not read",),
        stories=10,
        new=1,
        seconds=1.5,
        consecutive_failures=0,
        every_item_new=False,
        runs=4,
    )
    assert report["steady"].warning == "1 article page(s) not read"
    assert (
        report["flaky"].consecutive_failures == 1
        and report["flaky"].error == "timed out"
        and report["flaky"].warning is None
    )
    assert report["dead"].consecutive_failures == 3 and report["dead"].http_status == 404
    assert report["rolling"].every_item_new
    lines = callouts(list(report.values()))
    assert lines == [
        "dead: failed 3 runs in a row (last: HTTP 404 Not Found)",
        "rolling: all 20 items of the last run were new: it may publish faster than it is read, so items were probably "
        "missed",
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
    assert health.callouts(failing_runs=2) == (
        "x: failed 2 runs in a row (last: http://x.example/feed.xml: HTTP 503 Service Unavailable)",
    )


def test_health_table(store: Store) -> None:
    record(
        store,
        [
            [ok("steady"), failed("dead")],
            [ok("steady", new=0, stories=0, http_status=304), failed("dead")],
            [ok("steady"), failed("dead")],
        ],
    )
    table = health_table(source_health(store))
    lines = table.splitlines()
    assert lines[0].split() == ["source", "status", "http", "seen", "new", "seconds", "fails", "note"]
    assert lines[1].split()[:7] == ["dead", "error", "503", "0", "0", "0.4", "3"]
    assert lines[2].split() == ["steady", "ok", "200", "10", "2", "1.5", "0"]
    assert "Needs attention:" in table and "  - dead: failed 3 runs in a row" in table


def test_empty_store_has_an_empty_report(store: Store) -> None:
    assert source_health(store) == []
    assert health_table([]).splitlines() == ["source  status  http  seen  new  seconds  fails  note"]


@pytest.mark.parametrize(
    ("error", "http_status", "words"),
    [
        pytest.param(
            "http://10.0.0.5/f.xml: not fetched: 10.0.0.5 is down (connection failed: [Errno 111] Connection refused "
            "(tried 3 times))",
            None,
            "unreachable",
            id="down",
        ),
        pytest.param("http://x/f.xml: timed out (tried 3 times)", None, "unreachable", id="timeout"),
        pytest.param(
            "http://x/f.xml: cannot resolve x: [Errno -2] Name or service not known", None, "unreachable", id="dns"
        ),
        pytest.param(
            "http://x/f.xml: not fetched: http://x/robots.txt is unreachable (HTTP 503), so RFC 9309 says to assume "
            "everything is disallowed",
            None,
            "unreachable",
            id="robots-5xx",
        ),
        pytest.param(
            'http://x/f.xml: disallowed by http://x/robots.txt ("Disallow: /" for user agent briefing)',
            None,
            "does not allow automated reading",
            id="robots-rule",
        ),
        pytest.param("http://x/f.xml: HTTP 404 Not Found", 404, "its feed has moved or gone", id="404"),
        pytest.param("http://x/f.xml: HTTP 403 Forbidden", 403, "refused our reader", id="403"),
        pytest.param(
            "http://x/f.xml: HTTP 503 Service Unavailable (tried 3 times)", 503, "its server was failing", id="503"
        ),
        pytest.param(
            "http://x/f.xml: not an RSS or Atom feed: got an HTML page",
            200,
            "its feed could not be read",
            id="not-a-feed",
        ),
        pytest.param("KeyError: 'title'", None, "could not be read", id="unknown"),
    ],
)
def test_a_failure_in_plain_words(error: str, http_status: int | None, words: str) -> None:
    assert failure_kind(error, http_status) == words
    note = reader_note("error", http_status=http_status, error=error, failures_in_a_row=1)
    assert note == f"{words} at the last read"
    for leak in ("http", "Errno", "RFC", "10.0.0.5", "[", "KeyError"):
        assert leak not in note


def test_reader_note_counts_failures_and_explains_earlier_stories() -> None:
    assert reader_note("ok") == "read normally"
    assert reader_note("never") == "not read yet"
    assert reader_note("error", error="x: timed out", failures_in_a_row=3, stories=5) == (
        "unreachable at the last 3 reads; the 5 stories shown came from earlier reads this week"
    )


def test_sources_check_says_degraded_and_the_share_that_worked() -> None:
    check = SourcesCheck.of([ok("a"), ok("b"), ok("c"), failed("d", "http://10.1.1.1/f: timed out", None)])
    assert check.degraded and check.trustworthy and check.share == 0.75
    assert check.note() == "**Degraded**: 3 of 4 sources worked (75%). Failed: `d` (unreachable)."
    assert check.summary() == "3 of 4 sources worked (75%); failed: d (http://10.1.1.1/f: timed out)"
    healthy = SourcesCheck.of([ok("a")])
    assert not healthy.degraded and healthy.note() == "All 1 sources worked."
    assert not SourcesCheck.of([ok("a"), failed("b"), failed("c")]).trustworthy
    assert not SourcesCheck.of([]).trustworthy
