"""
### Weekly briefing

Builds the week's **China Tech Briefing** (AI, compute, energy, policy, chips, science) and publishes it
to the archive.

The data interval is the briefing week: Monday 00:00 to the next Monday 00:00 in the briefing's
timezone (`BRIEFING_TIMEZONE`, default Asia/Shanghai). A scheduled run starts once its week is over.
Trigger a run by hand with the `week` param (e.g. `2026-W47`) to rebuild any past week from the store.

| task | what it does |
|---|---|
| `resolve_week` | the ISO week of this run: the `week` param, else the data interval |
| `list_sources` | the enabled sources of `BRIEFING_SOURCES` (or the `sources` param) |
| `fetch_source` | one mapped task per source: fetch it into the store (a failed source fails only its own task) |
| `check_sources` | fails the run loudly when fewer than half of the sources worked |
| `dedup` | groups copies and rewrites of one event into clusters |
| `classify` | gives every story its themes |
| `render` | renders the HTML and PDF drafts |
| `publish` | moves the drafts into the archive and refreshes its index |

Settings come from the environment (`BRIEFING_SOURCES`, `BRIEFING_DB_URL`, `BRIEFING_ARCHIVE`,
`BRIEFING_TIMEZONE`); an Airflow Variable of the same name in lower case overrides each one.
Tasks pass ids, counts and paths through XCom; the stories themselves go through the store.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import CronDataIntervalTimetable, Param, TriggerRule, dag, get_current_context, task

TIMEZONE = os.environ.get("BRIEFING_TIMEZONE", "Asia/Shanghai")


def _settings() -> Any:
    """The deployment's settings; Variables (lower-case names) override the environment."""
    from airflow.sdk import Variable

    from briefing.settings import ENV_NAMES, Settings

    env = dict(os.environ)
    for name in ENV_NAMES:
        value = Variable.get(name.lower(), default=None)
        if value:
            env[name] = value
    return Settings.load(env)


def _pipeline() -> Any:
    from briefing.pipeline import Pipeline

    return Pipeline.open(_settings())


@dag(
    dag_id="weekly_briefing",
    schedule=CronDataIntervalTimetable("0 0 * * 1", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 10, 26, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    tags=["briefing", "news", "weekly"],
    doc_md=__doc__,
    default_args={
        "owner": "briefing",
        "retries": 1,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(minutes=20),
    },
    params={
        "week": Param(None, type=["null", "string"], pattern=r"^\d{4}-W\d{2}$", description="ISO week to build, e.g. 2026-W47; empty: the run's data interval"),
        "sources": Param([], type="array", description="source ids to fetch; empty: every enabled source"),
    },
)
def weekly_briefing() -> None:
    @task
    def resolve_week() -> str:
        """The ISO week of this run, from the `week` param or the data interval, never from the clock."""
        from briefing.week import latest_complete_week, parse_week, week_of

        ctx = get_current_context()
        tz = _settings().timezone or TIMEZONE
        if ctx["params"].get("week"):
            return str(parse_week(ctx["params"]["week"]))
        start = ctx.get("data_interval_start")
        if start is not None:
            return str(week_of(start, tz))
        return str(latest_complete_week(ctx["dag_run"].run_after, tz))

    @task
    def list_sources() -> list[str]:
        """The ids of the sources to fetch."""
        from briefing.sources import load_sources

        config = load_sources(_settings().sources)
        wanted = get_current_context()["params"].get("sources") or []
        ids = [s.id for s in config.sources if (s.id in wanted if wanted else s.enabled)]
        missing = sorted(set(wanted) - {s.id for s in config.sources})
        if missing:
            raise ValueError(f"{config.path}: no source with id {', '.join(missing)}")
        print(f"{len(ids)} sources to fetch: {', '.join(ids)}")
        return ids

    @task(map_index_template="{{ source_label }}", retries=2, retry_delay=timedelta(seconds=20), execution_timeout=timedelta(minutes=10))
    def fetch_source(source_id: str) -> dict[str, Any]:
        """Fetch one source into the store and record its health."""
        from briefing.pipeline import fetch

        ctx = get_current_context()
        with _pipeline() as p:
            ctx["source_label"] = f"{p.config.get(source_id).name} ({source_id})"  # type: ignore[typeddict-unknown-key]
            [result] = fetch(p, ctx["run_id"], [source_id])
        print(f"{source_id}: {result.status}; {result.stories} stories seen, {result.new} new, {result.skipped} already stored; {result.seconds:.1f}s")
        if result.status != "ok":
            raise RuntimeError(f"{source_id}: {result.error}")
        return {"source": result.source, "stories": result.stories, "new": result.new}

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def check_sources(source_ids: list[str]) -> str:
        """Fail loudly when too few sources worked; a single failed source does not sink the run."""
        from briefing.pipeline import check_sources as check
        from briefing.records import SourceResult

        ctx = get_current_context()
        with _pipeline() as p:
            recorded = {r.source: r for r in p.store.fetch_results(ctx["run_id"])}
        results = [recorded.get(i) or SourceResult(source=i, status="error", error="no result recorded (task did not run)") for i in source_ids]
        line = check(results)
        print(line)
        return line

    @task
    def dedup(week: str) -> dict[str, Any]:
        """Cluster the week's stories: one event, one cluster."""
        from briefing.pipeline import dedup_week
        from briefing.week import parse_week

        with _pipeline() as p:
            s = dedup_week(p, parse_week(week))
        print(f"{week}: {s.stories} stories, {s.clusters} clusters")
        return {"week": week, "stories": s.stories, "clusters": s.clusters}

    @task
    def classify(week: str) -> dict[str, Any]:
        """Give every story of the week its themes."""
        from briefing.pipeline import classify_week
        from briefing.week import parse_week

        with _pipeline() as p:
            s = classify_week(p, parse_week(week))
        print(f"{week}: {s.stories} stories classified; by primary theme: {dict(s.per_theme)}")
        return {"week": week, "stories": s.stories, "per_theme": dict(s.per_theme)}

    @task
    def render(week: str) -> dict[str, str]:
        """Render the week's HTML and PDF drafts."""
        from briefing.pipeline import render_week
        from briefing.week import parse_week

        with _pipeline() as p:
            html, pdf, edition = render_week(p, parse_week(week))
        print(f"{week}: drafts {html} and {pdf}; {edition.story_count} stories, {edition.cluster_count} events")
        return {"week": week, "html": str(html), "pdf": str(pdf)}

    @task
    def publish(week: str) -> dict[str, str]:
        """Publish the drafts into the archive and refresh the index."""
        from briefing.pipeline import publish_week
        from briefing.week import parse_week

        with _pipeline() as p:
            done = publish_week(p, parse_week(week))
        print(f"Published {week}:\n  PDF:  {done.pdf}\n  HTML: {done.html}\n  index: {done.index}")
        return {"week": week, "html": str(done.html), "pdf": str(done.pdf), "index": str(done.index)}

    week = resolve_week()
    ids = list_sources()
    fetched = fetch_source.expand(source_id=ids)
    checked = check_sources(ids)
    fetched >> checked
    clustered = dedup(week)
    checked >> clustered
    themed = classify(week)
    clustered >> themed
    drafts = render(week)
    themed >> drafts
    drafts >> publish(week)


weekly_briefing()
