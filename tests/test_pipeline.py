"""The pipeline's steps over a real store and the demo web: fetch, check, dedup, classify, render, publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.errors import BriefingError, ConfigError
from briefing.fetch import Client, fetch_source
from briefing.pipeline import (
    Pipeline,
    SourcesFailed,
    TooLittleNews,
    build_edition,
    check_content,
    check_sources,
    classify_week,
    dedup_week,
    fetch,
    publish_week,
    render_week,
    run_week,
    select_week,
    withdraw_draft,
)
from briefing.records import Edition, Source, SourceResult
from briefing.settings import Settings
from briefing.week import parse_week


@pytest.fixture
def pipeline(demo_config: Path, tmp_path: Path) -> Pipeline:
    settings = Settings.load(
        {}, sources=str(demo_config), db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", archive=str(tmp_path / "archive")
    )
    with Pipeline.open(settings) as p:
        yield p  # type: ignore[misc]


def test_fetch_stores_every_demo_story_once_with_text_and_dates(pipeline: Pipeline) -> None:
    results = fetch(pipeline, "run-1")
    assert [r.status for r in results] == ["ok"] * 6
    assert pipeline.store.count_stories() == sum(r.new for r in results) >= 80
    again = fetch(pipeline, "run-2")
    assert sum(r.new for r in again) == 0 and pipeline.store.count_stories() == sum(r.new for r in results)
    week = pipeline.week_stories(parse_week("2026-W47"))
    assert all(s.published and not s.date_estimated for s in week)
    by_source = {s.source: s for s in week}
    # teaser-only feeds got their text from the article pages, boilerplate removed
    for source in ("grid-and-power-weekly", "huabei-energy-news", "silicon-strait-journal"):
        assert len(by_source[source].text) > 200, source
        assert "Privacy" not in by_source[source].text and "Subscribe" not in by_source[source].text
    # GB18030 served as GB2312: the GBK-only characters survive
    huabei = " ".join(
        s.text
        for s in pipeline.store.stories_between(*parse_week("2026-W44").bounds("Asia/Shanghai")) + week
        if s.source == "huabei-energy-news"
    )
    assert "\ufffd" not in huabei
    assert pipeline.store.fetch_results("run-1") == sorted(
        (
            SourceResult(
                source=r.source,
                status=r.status,
                stories=r.stories,
                new=r.new,
                error=r.error,
                http_status=r.http_status,
                seconds=r.seconds,
            )
            for r in results
        ),
        key=lambda r: r.source,
    )


def test_gbk_only_characters_are_read_from_the_gb2312_source(pipeline: Pipeline) -> None:
    fetch(pipeline, "run", ["huabei-energy-news"])
    text = "".join(
        s.title + s.text
        for w in ("2026-W44", "2026-W45", "2026-W46", "2026-W47")
        for s in pipeline.week_stories(parse_week(w))
    )
    for char in "镕喆堃":
        assert char in text


def test_a_failing_source_is_a_value_and_the_others_still_work(pipeline: Pipeline, tmp_path: Path) -> None:
    dead = Source(id="dead", name="Dead", kind="feed", url="http://127.0.0.1:9/feed.xml", lang="en", allow_private=True)
    result = fetch_source(dead, client=Client(attempts=1), store=pipeline.store, tz="Asia/Shanghai")
    assert result.status == "error" and "127.0.0.1:9" in (result.error or "")
    results = fetch(pipeline, "run")
    assert all(r.status == "ok" for r in results)


@pytest.mark.parametrize(
    ("statuses", "fails"),
    [
        pytest.param(["ok"] * 6, False, id="all-ok"),
        pytest.param(["ok"] * 5 + ["error"], False, id="one-failed"),
        pytest.param(["ok"] * 3 + ["error"] * 3, False, id="half"),
        pytest.param(["ok"] * 2 + ["error"] * 4, True, id="too-few"),
        pytest.param([], True, id="none"),
    ],
)
def test_check_sources_fails_only_when_too_few_worked(statuses: list[str], fails: bool) -> None:
    results = [
        SourceResult(source=f"s{i}", status=s, error=None if s == "ok" else "HTTP 500")  # type: ignore[arg-type]
        for i, s in enumerate(statuses)
    ]
    if fails:
        with pytest.raises(SourcesFailed, match="too few sources worked"):
            check_sources(results)
    else:
        checked = check_sources(results)
        assert checked.summary().startswith(f"{statuses.count('ok')} of {len(statuses)} sources worked")
        assert checked.degraded == ("error" in statuses)


def test_a_week_holds_only_its_own_stories(pipeline: Pipeline) -> None:
    fetch(pipeline, "run")
    start, end = parse_week("2026-W47").bounds("Asia/Shanghai")
    week = pipeline.week_stories(parse_week("2026-W47"))
    assert week and all(s.published and start <= s.published < end for s in week)
    counts = [len(pipeline.week_stories(parse_week(w))) for w in ("2026-W44", "2026-W45", "2026-W46", "2026-W47")]
    assert sum(counts) == pipeline.store.count_stories()


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_steps_are_idempotent_and_the_briefing_deterministic(pipeline: Pipeline) -> None:
    week = parse_week("2026-W47")
    fetch(pipeline, "run")
    first = (dedup_week(pipeline, week), classify_week(pipeline, week), select_week(pipeline, week))
    html1, pdf1, edition = render_week(pipeline, week)
    published = publish_week(pipeline, week)
    text1 = Path(published.html).read_bytes()
    assert (dedup_week(pipeline, week), classify_week(pipeline, week), select_week(pipeline, week)) == first
    render_week(pipeline, week)
    publish_week(pipeline, week)
    assert Path(published.html).read_bytes() == text1
    assert edition.cluster_count < edition.story_count  # copies folded
    assert all(s.items for s in edition.sections), [s.theme.id for s in edition.sections if not s.items]


def test_steps_out_of_order_are_clear_errors(pipeline: Pipeline) -> None:
    fetch(pipeline, "run")
    week = parse_week("2026-W47")
    with pytest.raises(BriefingError, match="not been deduplicated"):
        select_week(pipeline, week)
    with pytest.raises(BriefingError, match="no selection stored yet"):
        render_week(pipeline, week)
    dedup_week(pipeline, week)
    with pytest.raises(BriefingError, match="not been classified"):
        select_week(pipeline, week)


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_run_week_builds_a_past_week(pipeline: Pipeline) -> None:
    published, delivery = run_week(pipeline, "2026-W44")
    assert delivery is None
    assert Path(published.pdf).name == "briefing-2026-W44.pdf" and Path(published.pdf).stat().st_size > 10_000


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_story_of_an_earlier_briefing_is_not_repeated_and_a_follow_up_is_marked(pipeline: Pipeline) -> None:
    run_week(pipeline, "2026-W44")
    run_week(pipeline, "2026-W47")
    edition = build_edition(pipeline, parse_week("2026-W47"))
    items = [it for sec in edition.sections for it in sec.items]
    follow = [it for it in items if it.follow_up]
    assert any("三澳核电1号机组" in it.story.title and it.follow_up.startswith("2026-W44: ") for it in follow), [
        (it.story.title, it.follow_up) for it in follow
    ]
    html = (Path(pipeline.settings.archive) / "briefing-2026-W47.html").read_text(encoding="utf-8")
    assert "Follow-up to 2026-W44" in html


def _closed_port() -> int:
    import socket

    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_source_that_is_down_is_reported_in_plain_words_never_as_an_exception(
    demo_config: Path, tmp_path: Path
) -> None:
    port = _closed_port()
    config = tmp_path / "with-dead.yaml"
    config.write_text(
        demo_config.read_text(encoding="utf-8")
        + (
            "  - id: dead-wire\n    name: Dead Wire\n    kind: feed\n"
            f"    url: http://127.0.0.1:{port}/feed.xml\n    lang: en\n    allow_private: true\n"
        ),
        encoding="utf-8",
    )
    settings = Settings.load(
        {}, sources=str(config), db_url=f"sqlite:///{tmp_path / 'b.sqlite'}", archive=str(tmp_path / "archive")
    )
    with Pipeline.open(settings) as p:
        results = fetch(p, "run-1", client=Client(attempts=1))
        checked = check_sources(results)
        assert checked.degraded and checked.trustworthy and [r.source for r in checked.failed] == ["dead-wire"]
        assert f"127.0.0.1:{port} is down" in (checked.failed[0].error or ""), (
            "the operator's detail says the host is down"
        )
        assert "RFC 9309" not in (checked.failed[0].error or "")
        assert checked.note() == "**Degraded**: 6 of 7 sources worked (86%). Failed: `dead-wire` (unreachable)."
        week = parse_week("2026-W47")
        dedup_week(p, week)
        classify_week(p, week)
        select_week(p, week)
        _, _, edition = render_week(p, week)
        [row] = [h for h in edition.health if h.source.id == "dead-wire"]
        assert row.note == "unreachable at the last read"
        published = publish_week(p, week)
        html = Path(published.html).read_text(encoding="utf-8")
        pdf_text = "".join(page.extract_text() for page in PdfReader(published.pdf).pages)
    for text in (html, pdf_text):
        assert "unreachable at the last read" in " ".join(text.split())
        for leak in (
            f"127.0.0.1:{port}",
            "Errno",
            "errno",
            "RFC 9309",
            "Connection refused",
            "connection failed",
            "Traceback",
        ):
            assert leak not in text, leak


def test_an_empty_week_stops_before_anything_is_rendered(pipeline: Pipeline) -> None:
    fetch(pipeline, "run")
    empty = parse_week("2026-W50")  # after the demo web's weeks: no story
    dedup_week(pipeline, empty)
    classify_week(pipeline, empty)
    select_week(pipeline, empty)
    with pytest.raises(
        TooLittleNews,
        match=(
            r"2026-W50: too little news to publish: 0 events from 0 sources, below the minimum of 3 events from 2 "
            r"sources"
        ),
    ):
        render_week(pipeline, empty)
    assert not (Path(pipeline.settings.archive) / ".drafts" / "briefing-2026-W50.html").exists()
    with pytest.raises(BriefingError, match="no rendered draft"):
        publish_week(pipeline, empty)


@pytest.mark.parametrize(
    ("events", "sources", "stops"),
    [
        pytest.param(3, 2, False, id="at-the-minimum"),
        pytest.param(2, 2, True, id="too-few-events"),
        pytest.param(9, 1, True, id="one-source"),
        pytest.param(0, 0, True, id="empty"),
    ],
)
def test_check_content_has_a_configurable_minimum(events: int, sources: int, stops: bool) -> None:
    src = [Source(id=f"s{i}", name=f"S{i}", kind="feed", url=f"https://s{i}.example/feed", lang="en") for i in range(3)]
    edition = Edition(
        week="2026-W47",
        timezone="UTC",
        first_day="",
        last_day="",
        lead=None,
        sections=(),
        sources=tuple((s, 1 if i < sources else 0) for i, s in enumerate(src)),
        story_count=events,
        cluster_count=events,
    )
    if stops:
        with pytest.raises(TooLittleNews, match="too little news"):
            check_content(edition, min_events=3, min_sources=2)
    else:
        check_content(edition, min_events=3, min_sources=2)
    check_content(edition, min_events=0, min_sources=0)  # a deployment may turn it off


def test_the_minimum_is_read_from_the_environment() -> None:
    settings = Settings.load({"BRIEFING_MIN_EVENTS": "10", "BRIEFING_MIN_SOURCES": "0"})
    assert (settings.min_events, settings.min_sources) == (10, 0)
    assert (Settings.load({}).min_events, Settings.load({}).min_sources) == (3, 2)
    with pytest.raises(ConfigError, match="BRIEFING_MIN_EVENTS='many': not a whole number"):
        Settings.load({"BRIEFING_MIN_EVENTS": "many"})


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_a_rejected_draft_is_withdrawn_and_cannot_be_published(pipeline: Pipeline) -> None:
    fetch(pipeline, "run")
    week = parse_week("2026-W47")
    dedup_week(pipeline, week)
    classify_week(pipeline, week)
    select_week(pipeline, week)
    html, pdf, _ = render_week(pipeline, week)
    archive = Path(pipeline.settings.archive)
    moved = withdraw_draft(pipeline, week)
    assert sorted(Path(m).name for m in moved) == ["briefing-2026-W47.html", "briefing-2026-W47.pdf"]
    assert not Path(html).exists() and not Path(pdf).exists()
    assert (archive / ".rejected" / "briefing-2026-W47.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(BriefingError, match="no rendered draft"):
        publish_week(pipeline, week)
    assert withdraw_draft(pipeline, week) == [], "withdrawing again is harmless"
