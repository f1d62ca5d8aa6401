"""
### Weekly briefing

Builds the week's **China Tech Briefing** (AI, compute, energy, policy, chips, science), publishes it
to the archive and emails it to subscribers.

**Schedule.** The data interval is the briefing week: Monday 00:00 to the next Monday 00:00 in the
briefing's timezone (`BRIEFING_TIMEZONE`, default Asia/Shanghai). A run starts once its week is over,
at 07:00 on the Monday after. Any past week can be rebuilt from the store: trigger with the `week`
param, or `airflow backfill create --dag-id weekly_briefing --from-date ... --to-date ...`.

The tasks, in order:

- `resolve_week`: the ISO week of this run: the `week` param, else the data interval
- `list_sources`: the enabled sources of `BRIEFING_SOURCES`, or the `sources` param
- `fetch_source`: one mapped task per source, named after it: fetch it into the store (a failed source
  fails only its own task)
- `check_sources`: fails the run loudly when fewer than half of the sources worked; when some failed,
  the run goes on *degraded*: its note names them and the share that worked, and the operators get an
  alert
- `dedup`: adds the week's stories to the store's dedup index (clusters across weeks), then groups
  copies and rewrites of one event into the week's clusters
- `classify`: gives every story its themes
- `select`: ranks the events, picks the lead story and each section
- `enrich`: English for the selected Chinese stories, and why the top events matter, from the language
  model of the connection `briefing_llm` or `BRIEFING_LLM_*` (cached, budgeted, verified); without one,
  or where it fails, the offline English line
- `render`: renders the HTML and PDF drafts (link: *Draft briefing*); a week below `BRIEFING_MIN_EVENTS`
  events or `BRIEFING_MIN_SOURCES` sources stops the run here, before approval, with the reason in its
  note
- `approval_gate`: scheduled and manual runs wait for an editor; backfills and dry runs go straight on
- `approve`: an editor approves or rejects the draft in the UI (Required Actions); a rejection (or no
  answer in time, by default) withdraws the draft and fails the run, with the reason in its note. The
  request's form takes the editor's decisions (lead, drop, merge, split, move, English headline and
  gist, why it matters, editor's note, what to watch) about the events it lists by short id: on Approve
  they are stored and the draft rendered again with them, so the published edition (and every rebuild of
  the week) applies them
- `publish`: puts the briefing in the archive, updates its index and feed, emits the `briefing-edition`
  asset (link: *Published briefing*)
- `email`: emails each subscriber once (ledger in the store); backfills send nothing unless `send_email`
  is on

**Params** (the trigger form says what each does): `week`, `sources`, `dry_run`, `resend`, `send_email`, `approval`.

**Settings** come from the environment (`BRIEFING_SOURCES`, `BRIEFING_DB_URL`, `BRIEFING_ARCHIVE`,
`BRIEFING_TIMEZONE`, `BRIEFING_SUBSCRIBERS`, `BRIEFING_FROM`, `BRIEFING_UNSUBSCRIBE`); an Airflow Variable
of the same name in lower case overrides each one. Email goes through the connection `smtp_default`.
The fetches run in the default pool, at most `BRIEFING_FETCH_CONCURRENCY` (4) at once, or in the pool
`BRIEFING_FETCH_POOL` names (a run whose pool is missing fails at its start). `briefing doctor` checks
the whole set-up. Each task takes what the one before returned (small XComs); the stories stay in the store.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pendulum
from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task
from briefing_approval import edition_approval
from briefing_deployment import (
    failure_alerts,
    fetch_results,
    is_backfill,
    llm_endpoint,
    open_pipeline,
    settings,
    smtp_outbox,
)
from briefing_handoffs import Checked, Clustered, Draft, Enriched, Selected, Themed
from briefing_links import PublishOperator, RenderOperator
from briefing_runs import add_run_note, degraded_run
from briefing_timetable import BriefingWeekTimetable

if TYPE_CHECKING:  # for the annotations only: the DAG file imports nothing heavy at its top
    from airflow.sdk.definitions.xcom_arg import XComArg
    from pydantic.types import JsonValue

TIMEZONE = os.environ.get("BRIEFING_TIMEZONE", "Asia/Shanghai")
RUN_AT = os.environ.get("BRIEFING_RUN_AT", "07:00")
#: Airflow's default pool unless the operator names one; a run whose named pool is missing fails at its
#: start (plugins/briefing_pool_guard.py) instead of waiting for ever
FETCH_POOL = os.environ.get("BRIEFING_FETCH_POOL") or None
#: at most this many fetches at once, across all runs (a backfill runs several weeks), with no set-up
FETCH_CONCURRENCY = int(os.environ.get("BRIEFING_FETCH_CONCURRENCY") or "4")
ALERT_EMAIL = os.environ.get("BRIEFING_ALERT_EMAIL", "")

log = logging.getLogger("briefing.dag")

#: emitted by `publish` with the week, paths and counts as the event's extra
BRIEFING_EDITION = Asset(name="briefing-edition", uri="briefing://archive/editions")

# The tasks, in the order they run: each body calls the library's function for its stage; each takes what
# the one before it returned (plugins/briefing_handoffs.py).


@task(execution_timeout=timedelta(minutes=2))
def resolve_week() -> str:
    """The ISO week of this run, from the `week` param or the data interval, never from the clock."""
    from briefing.week import week_of_run

    ctx = get_current_context()
    tz = settings().timezone or TIMEZONE
    week = week_of_run(ctx["params"].get("week"), ctx.get("data_interval_start"), ctx["dag_run"].run_after, tz)
    start, end = week.bounds(tz)
    log.info("Building %s: %s to %s (UTC), timezone %s", week, start.isoformat(), end.isoformat(), tz)
    if str(week) not in ctx["dag_run"].run_id:  # a backfill's run (Airflow names it), or a week given as a param
        add_run_note(ctx, f"Week **{week}**")
    return str(week)


@task(execution_timeout=timedelta(minutes=2))
def list_sources() -> list[str]:
    """The ids of the sources to fetch: the `sources` param, else every enabled source."""
    from briefing.sources import chosen_ids, load_sources

    ids = chosen_ids(load_sources(settings().sources), get_current_context()["params"].get("sources") or [])
    log.info("%d sources to fetch: %s", len(ids), ", ".join(ids))
    return ids


@task(
    map_index_template="{{ source_label }}",
    pool=FETCH_POOL,
    max_active_tis_per_dag=FETCH_CONCURRENCY,
    retries=2,
    retry_delay=timedelta(seconds=20),
    execution_timeout=timedelta(minutes=10),
)
def fetch_source(source_id: str, week: str) -> dict[str, Any]:
    """Fetch one source into the store and record its health; a failure fails this task only.

    For a past week, a source with an archive_url is read from its archive pages for that week."""
    from briefing.pipeline import fetch
    from briefing.week import parse_week

    ctx = get_current_context()
    with open_pipeline() as p:
        ctx["source_label"] = f"{p.config.get(source_id).name} ({source_id})"  # type: ignore[typeddict-unknown-key]
        [result] = fetch(p, ctx["run_id"], [source_id], week=parse_week(week))
    if result.status != "ok":
        raise RuntimeError(f"{source_id}: {result.error}")
    return {"source": result.source, "stories": result.stories, "new": result.new}


@task(trigger_rule=TriggerRule.ALL_DONE, execution_timeout=timedelta(minutes=2))
def check_sources(week: str, source_ids: list[str]) -> Checked:
    """Fail loudly when too few sources worked; a single failed source does not sink the run."""
    from briefing.pipeline import SourcesFailed
    from briefing.pipeline import check_sources as check

    ctx = get_current_context()
    try:
        checked = check(fetch_results(ctx["run_id"], source_ids))
    except SourcesFailed as e:
        add_run_note(ctx, f"**Failed**: {e}")
        raise
    if checked.degraded:
        degraded_run(ctx, checked)
    else:
        log.info("%s", checked.summary())
    return {"week": week, "summary": checked.summary()}


@task
def dedup(checked: Checked) -> Clustered:
    """Cluster the week's stories: one event, one cluster."""
    from briefing.pipeline import dedup_week
    from briefing.week import parse_week

    week = checked["week"]
    with open_pipeline() as p:
        s = dedup_week(p, parse_week(week))
    return {"week": week, "stories": s.stories, "clusters": s.clusters, "earlier": s.earlier}


@task
def classify(checked: Checked) -> Themed:
    """Give every story of the week its themes (independent of dedup: the two run side by side)."""
    from briefing.pipeline import classify_week
    from briefing.week import parse_week

    week = checked["week"]
    with open_pipeline() as p:
        s = classify_week(p, parse_week(week))
    return {"week": week, "stories": s.stories, "per_theme": dict(s.per_theme)}


@task
def select(clustered: Clustered, themed: Themed) -> Selected:
    """Rank the week's events; pick the lead story and each section's stories."""
    from briefing.pipeline import select_week
    from briefing.week import parse_week

    week = clustered["week"]
    log.info("%s: %d events of %d stories", week, clustered["clusters"], themed["stories"])
    with open_pipeline() as p:
        s = select_week(p, parse_week(week))
    return {"week": week, "per_section": dict(s.per_theme)}


@task(execution_timeout=timedelta(minutes=30))
def enrich(selected: Selected) -> Enriched:
    """English for the week's Chinese stories, and why the top events matter (briefing.enrich)."""
    from briefing.pipeline import enrich_week
    from briefing.week import parse_week

    week = selected["week"]
    with open_pipeline() as p:
        s = enrich_week(p, parse_week(week), llm_endpoint())
    return {
        "week": week,
        "model": s.model,
        "events": s.events,
        "calls": s.calls,
        "cached": s.cached,
        "rejected": s.rejected,
        "failed": s.failed,
    }


def render(enriched: XComArg) -> XComArg:
    """The `render` task: the drafts, with a link to them (plugins/briefing_links.py); its result is the draft."""
    return RenderOperator(
        task_id="render",
        python_callable=render_draft,
        op_kwargs={"enriched": enriched},
        doc_md="Render the week's HTML and PDF drafts.",
    ).output


def render_draft(enriched: Enriched) -> Draft:
    """Render the week's HTML and PDF drafts; a week with too little news stops the run here."""
    from airflow.sdk.exceptions import AirflowFailException

    from briefing.pipeline import TooLittleNews, carried, keep_revisions, render_week
    from briefing.publish import file_names
    from briefing.week import parse_week

    week = enriched["week"]
    names = file_names(week)
    with open_pipeline() as p:
        try:
            html, pdf, edition = render_week(p, parse_week(week))
        except TooLittleNews as e:  # an empty week stops here, before approval: no retry, no email
            add_run_note(get_current_context(), f"**Stopped**: {e}")
            raise AirflowFailException(str(e)) from e
        revision = keep_revisions(p, parse_week(week), draft=True)  # what this run's Draft link opens
    return {
        "week": week,
        "html": str(html),
        "pdf": str(pdf),
        "stories": edition.story_count,
        "events": edition.cluster_count,
        "outlets": sum(1 for _, n in edition.sources if n),
        "shown": carried(edition),
        "lead": edition.lead.story.title if edition.lead else "",
        "failed": [h.source.name for h in edition.health if h.status == "error"],
        "revision": revision.html,
        "html_name": names.html,
        "pdf_name": names.pdf,
    }


@task.branch(execution_timeout=timedelta(minutes=2))
def approval_gate(draft: Draft) -> str:
    """Scheduled and manual runs wait for an editor; backfills, dry runs and `approval: automatic` don't."""
    params = get_current_context()["params"]
    if is_backfill() or params.get("dry_run") or params.get("approval") == "automatic":
        log.info("%s: no approval needed (backfill, dry run or automatic approval): publishing.", draft["week"])
        return "publish"
    log.info("%s: waiting for an editor to approve the draft (Required Actions in the UI).", draft["week"])
    return "approve"


def publish(draft: XComArg) -> PublishOperator:
    """The `publish` task: after the approval, or straight after the gate; links to what it published."""
    return PublishOperator(
        task_id="publish",
        python_callable=publish_draft,
        op_kwargs={"draft": draft},
        outlets=[BRIEFING_EDITION],
        trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
        doc_md="Publish the drafts into the archive, refresh its index and feed, emit the briefing-edition asset.",
    )


def publish_draft(draft: Draft) -> dict[str, Any]:
    """Publish the week's drafts; the `briefing-edition` asset event carries the week, paths and counts."""
    from briefing.pipeline import keep_revisions, publish_week
    from briefing.week import parse_week

    week = draft["week"]
    with open_pipeline() as p:
        done = publish_week(p, parse_week(week))
        clusters = p.store.load_clusters(week)
        revision = keep_revisions(p, parse_week(week), draft=False)  # what this run's Published link opens
    extra: dict[str, JsonValue] = {
        "week": week,
        "html": str(done.html),
        "pdf": str(done.pdf),
        "index": str(done.index),
        "stories": sum(len(c.members) for c in clusters),
        "events": len(clusters),
    }
    get_current_context()["outlet_events"][BRIEFING_EDITION].extra = extra
    return {**extra, "revision": revision.html}


@task(retries=3, retry_delay=timedelta(minutes=1), execution_timeout=timedelta(minutes=30))
def email(week: str) -> dict[str, Any]:
    """Email each subscriber once (a retry sends only to those not yet served) by the library's rules
    (`briefing.publish.mail.email_week`): this task gives them the run's params and the deployment."""
    from briefing.publish.mail import EmailRequest, email_week

    params = get_current_context()["params"]
    request = EmailRequest(
        week=week,
        send_email=params.get("send_email"),
        backfill=is_backfill(),
        dry_run=bool(params.get("dry_run")),
        resend=tuple(params.get("resend") or ()),
    )
    return email_week(request, lambda: smtp_outbox(week)).counts()


@dag(
    dag_id="weekly_briefing",
    schedule=BriefingWeekTimetable(timezone=TIMEZONE, run_at=RUN_AT),
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
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(minutes=20),
        **failure_alerts(ALERT_EMAIL),
    },
    params={
        "week": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-W\d{2}$",
            title="Week",
            description="ISO week to build, e.g. 2026-W47; empty: the run's data interval",
        ),
        "sources": Param(
            [], type=["null", "array"], title="Sources", description="source ids to fetch; empty: every enabled source"
        ),
        "dry_run": Param(
            False,
            type=["null", "boolean"],
            title="Dry run",
            description="render and list the recipients, send no email",
        ),
        "resend": Param(
            [],
            type=["null", "array"],
            title="Resend",
            description=(
                "addresses to email again although they had this week's briefing or its outcome is unknown; "
                '["all"] for everyone'
            ),
        ),
        "send_email": Param(
            None, type=["null", "boolean"], title="Send email", description="empty: yes, except for backfills"
        ),
        "approval": Param(
            "required",
            type="string",
            enum=["required", "automatic"],
            title="Approval",
            description="wait for an editor before publishing",
        ),
    },
)
def weekly_briefing() -> None:
    # The pipeline as data flow: each task takes what the one before it returned. A task's result (an XComArg)
    # stands for its value when the next task runs; Airflow's stubs type a task's call with the function's own
    # parameters, so mypy sees an XComArg where a value is due (apache/airflow#39514: Airflow checks its own
    # DAGs with a mypy plugin it does not ship): [arg-type].
    week = resolve_week()
    source_ids = list_sources()
    fetched = fetch_source.partial(week=week).expand(source_id=source_ids)
    checked = fetched >> check_sources(week, source_ids)  # type: ignore[arg-type]  # all done: failed ones too
    selected = select(dedup(checked), classify(checked))  # type: ignore[arg-type]
    draft = render(enrich(selected))  # type: ignore[arg-type]
    approved, published = edition_approval(task_id="approve", week_task="resolve_week"), publish(draft)
    approval_gate(draft) >> [approved, published]  # type: ignore[arg-type]  # an editor, or straight on
    approved >> published >> email(week)  # type: ignore[arg-type]


weekly_briefing()
