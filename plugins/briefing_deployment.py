"""What the weekly_briefing DAG's tasks read from the Airflow deployment they run in.

The settings (``BRIEFING_*`` from the environment, a Variable of the same name in lower case over each),
the language model endpoint (the connection ``briefing_llm`` over ``BRIEFING_LLM_*``), the store the
settings name, whether the run is a backfill, the operators' failure alerts, and the glue of the two
steps that call back into the library: the approval's callbacks and the email step's outbox (the
connection ``smtp_default``, the DKIM key of ``briefing_dkim``). Kept free of heavy imports at its top
because the DAG file imports it: the library is imported inside each function, when a task runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for the annotations only
    from briefing.enrich import Endpoint
    from briefing.pipeline import Pipeline
    from briefing.publish.mail import Mailer, Outbox
    from briefing.records import SourceResult
    from briefing.settings import Settings

__all__ = [
    "apply_edits",
    "event_menu",
    "failure_alerts",
    "fetch_results",
    "is_backfill",
    "llm_endpoint",
    "open_pipeline",
    "settings",
    "smtp_outbox",
    "withdraw",
]


def _with_variables(names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The environment, with each of ``names`` overridden by the Variable of its lower-case name."""
    from airflow.sdk import Variable

    env = dict(os.environ)
    for name in names:
        value = Variable.get(name.lower(), default=None)
        if value:
            env[name] = value
    return env


def settings() -> Settings:
    """The deployment's settings; Variables (lower-case names) override the environment."""
    from briefing.settings import ENV_NAMES, Settings

    return Settings.load(_with_variables(list(ENV_NAMES)))


def llm_endpoint() -> Endpoint | None:
    """The language model endpoint: ``BRIEFING_LLM_*`` (a Variable of the same name in lower case
    overrides each), with the connection ``briefing_llm`` over them; None builds the week offline."""
    from airflow.sdk import Connection

    from briefing.enrich import Endpoint, connection_settings
    from briefing.enrich.endpoint import ENV_NAMES as LLM_ENV_NAMES

    env = _with_variables(list(LLM_ENV_NAMES))
    try:
        conn = Connection.get("briefing_llm")
    except Exception:  # no such connection: the environment's settings, or none
        conn = None
    if conn is not None:
        env.update(
            connection_settings(
                host=conn.host, port=conn.port, schema=conn.schema, password=conn.password, extra=conn.extra_dejson
            )
        )
    return Endpoint.from_env(env)


def open_pipeline() -> Pipeline:
    """The stages' context over the store of the deployment's settings (use it in a ``with``)."""
    from briefing.pipeline import Pipeline

    return Pipeline.open(settings())


def is_backfill() -> bool:
    """Whether the running task's DAG run is a backfill's."""
    from airflow.sdk import get_current_context

    run_type = get_current_context()["dag_run"].run_type
    return str(getattr(run_type, "value", run_type)) == "backfill"


def failure_alerts(address: str) -> dict[str, Any]:
    """``default_args`` whose failure callback emails ``address`` over ``smtp_default``; none without one."""
    if not address:
        return {}
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    notifier = SmtpNotifier(
        to=address,
        smtp_conn_id="smtp_default",
        subject="[briefing] {{ dag.dag_id }} failed: {{ ti.task_id }} ({{ run_id }})",
        html_content=(
            "Task <b>{{ ti.task_id }}</b> of run {{ run_id }} failed. "
            "Log: <a href='{{ ti.log_url }}'>{{ ti.log_url }}</a>"
        ),
    )
    return {"on_failure_callback": notifier}


def fetch_results(run_id: str, source_ids: list[str]) -> list[SourceResult]:
    """What the run's fetches recorded in the store; a source whose task never ran counts as failed."""
    from briefing.records import SourceResult

    with open_pipeline() as p:
        recorded = {r.source: r for r in p.store.fetch_results(run_id)}
    missing = "no result recorded (the task did not run)"
    return [recorded.get(i) or SourceResult(source=i, status="error", error=missing) for i in source_ids]


# -- the approval's callbacks (plugins/briefing_approval.py) ------------------------------------------------


def withdraw(week: str) -> list[str]:
    """The approval's ``on_reject``: the rejected draft is withdrawn."""
    from briefing.pipeline import withdraw_draft
    from briefing.week import parse_week

    with open_pipeline() as p:
        return withdraw_draft(p, parse_week(week))


def apply_edits(week: str, answers: Mapping[str, Any], by: str) -> list[str]:
    """The approval's ``on_approve``: the editor's form becomes stored decisions and a new draft."""
    from briefing.editorial import describe
    from briefing.pipeline import record_form
    from briefing.week import parse_week

    with open_pipeline() as p:
        return [describe(d) for d in record_form(p, parse_week(week), answers, by=by)]


def event_menu(week: str) -> list[str]:
    """The approval's ``menu``: the week's events by short id."""
    from briefing.editorial import event_menu as menu
    from briefing.week import parse_week

    with open_pipeline() as p:
        return menu(p, parse_week(week))


# -- the email step's outbox (briefing.publish.mail.email_week) -----------------------------------------------


@contextmanager
def _smtp_default() -> Iterator[Mailer]:
    """A mailer over the connection ``smtp_default``, open for the ``with`` block."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook
    from briefing_mail import HookMailer

    with SmtpHook(smtp_conn_id="smtp_default") as hook:
        yield HookMailer(hook)


@contextmanager
def smtp_outbox(week: str) -> Iterator[Outbox]:
    """What ``email_week`` sends ``week`` through: the store's ledger and subscribers, ``smtp_default``,
    and the DKIM key of the connection ``briefing_dkim`` (else ``BRIEFING_DKIM_KEY_FILE``)."""
    from briefing_mail import dkim_key

    from briefing.pipeline import deliver_week
    from briefing.publish.mail import Delivery, Outbox
    from briefing.week import parse_week

    deployment = settings()
    with open_pipeline() as p:

        def send(*, mailer: Mailer | None, dry_run: bool, resend: list[str]) -> Delivery:
            dkim = dkim_key(deployment.sender)
            return deliver_week(p, parse_week(week), mailer=mailer, dry_run=dry_run, resend=resend, dkim=dkim)

        yield Outbox(
            has_subscribers=lambda: bool(deployment.subscribers) or bool(p.store.subscribers()),
            send=send,
            mail_server=_smtp_default,
        )
