"""What an operator meets in a fresh Airflow, and the pieces Airflow calls from the plugins folder.

A fresh Airflow with only the settings of docs/operations.md needs no pool: the fetch tasks run in the default pool,
at most four at once (the Celery cluster test runs whole weeks that way). When the operator names a pool
that does not exist, a real scheduler fails the run as it starts, with the fix in the run's note,
instead of leaving the fetch tasks scheduled for ever. The DAG's mailer sends briefing's message
through the SMTP hook's public ``send_email_smtp`` to a real SMTP server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.publish.mail import Subscriber, build_message

from .airflow_home import AIRFLOW, ROOT, airflow_env
from .smtp_server import Inbox, smtp_server

sys.path.insert(0, str(ROOT / "plugins"))

from briefing_mail import HookMailer
from briefing_pool_guard import missing_pools_message

_FETCH_TASK = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
dag = DagBag(dag_folder=sys.argv[1]).dags["weekly_briefing"]
task = dag.get_task("fetch_source")
print(json.dumps({"pool": task.pool, "max_active_tis_per_dag": task.max_active_tis_per_dag}))
"""


@pytest.mark.parametrize(
    ("settings", "pool", "at_once"),
    [
        pytest.param({}, None, 4, id="readme-settings-only"),  # None: Airflow's default pool
        pytest.param(
            {"BRIEFING_FETCH_POOL": "briefing_fetch", "BRIEFING_FETCH_CONCURRENCY": "2"},
            "briefing_fetch",
            2,
            id="a-named-pool",
        ),
    ],
)
def test_fetches_run_in_the_default_pool_unless_one_is_named(
    settings: dict[str, str], pool: str | None, at_once: int, tmp_path: Path
) -> None:
    parse_only = airflow_env(
        tmp_path / "airflow", tmp_path / "no-such-dir" / "airflow.db"
    )  # parsing queries no database
    env = {k: v for k, v in parse_only.items() if not k.startswith("BRIEFING_FETCH_")} | settings
    out = subprocess.run(
        [sys.executable, "-c", _FETCH_TASK, str(ROOT / "dags")], env=env, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"pool": pool, "max_active_tis_per_dag": at_once}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _airflow(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([str(AIRFLOW), *args], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"airflow {' '.join(args)}:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out.stdout


@pytest.fixture
def scheduler(fresh_airflow: dict[str, str], tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A fresh Airflow whose DAG names a pool that does not exist, and a way to start its scheduler."""
    env = dict(fresh_airflow)
    env.update(
        BRIEFING_FETCH_POOL="briefing_fetch",
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",  # only the run the test triggers
        AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(_free_port()),
    )
    yield env, tmp_path / "scheduler.log"


@pytest.mark.slow
@pytest.mark.integration
def test_a_missing_named_pool_fails_the_run_at_its_start_with_the_fix(scheduler: tuple[dict[str, str], Path]) -> None:
    env, log_path = scheduler
    _airflow(env, "dags", "reserialize")
    _airflow(env, "dags", "unpause", "weekly_briefing")
    _airflow(env, "dags", "trigger", "weekly_briefing", "--run-id", "w47", "-c", json.dumps({"week": "2026-W47"}))
    db = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].removeprefix("sqlite:///")

    def run_state() -> str:
        with sqlite3.connect(db) as conn:
            return str(conn.execute("select state from dag_run where run_id = 'w47'").fetchone()[0])

    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(AIRFLOW), "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 240
        while run_state() == "queued" and time.monotonic() < deadline and process.poll() is None:
            time.sleep(1)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    scheduler_log = log_path.read_text(errors="replace")
    assert run_state() == "failed", scheduler_log[-4000:]
    with sqlite3.connect(db) as conn:
        note = conn.execute(
            "select content from dag_run_note join dag_run on dag_run.id = dag_run_note.dag_run_id where run_id = 'w47'"
        ).fetchone()[0]
        ran = conn.execute("select count(*) from task_instance where run_id = 'w47' and state is not null").fetchone()[
            0
        ]
    assert note == missing_pools_message(["briefing_fetch"])
    assert 'airflow pools set briefing_fetch 4 "' in note and "unset BRIEFING_FETCH_POOL" in note
    assert ran == 0  # no task started, none left scheduled
    assert "Failed at its start: the pool briefing_fetch" in scheduler_log


@pytest.fixture
def smtp_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Inbox]:
    """The connection smtp_default, as an operator defines it in the environment, to a real SMTP server."""
    with smtp_server() as (inbox, url):
        host, port = url.removeprefix("smtp://").split(":")
        monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
        monkeypatch.setenv(
            "AIRFLOW_CONN_SMTP_DEFAULT",
            json.dumps(
                {
                    "conn_type": "smtp",
                    "host": host,
                    "port": int(port),
                    "extra": {"disable_ssl": True, "disable_tls": True},
                }
            ),
        )
        yield inbox


def test_the_dags_mailer_sends_over_smtp_default_through_the_hooks_public_interface(smtp_default: Inbox) -> None:
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    message = build_message(
        subject="China Tech Briefing 2026-W47: 中芯国际 starts HBM production",
        sender="China Tech Briefing <briefing@example.org>",
        subscriber=Subscriber("bo@example.org", "Li, Bo"),
        text="The week in text.",
        html="<h1>The week</h1><p>中关村科技日报</p>",
        pdf=b"%PDF-1.7 the briefing",
        pdf_name="briefing-2026-W47.pdf",
        unsubscribe="mailto:briefing@example.org?subject=unsubscribe",
    )
    with SmtpHook(smtp_conn_id="smtp_default") as hook:
        committed = []
        HookMailer(hook).send(message, lambda: committed.append(True))
    assert committed == [True]  # the ledger was told just before the body went out
    [received] = smtp_default.messages
    assert received["Subject"] == "China Tech Briefing 2026-W47: 中芯国际 starts HBM production"
    assert (
        received["From"] == "China Tech Briefing <briefing@example.org>"
        and received["To"] == '"Li, Bo" <bo@example.org>'
    )  # the message as briefing built it
    assert received["Message-ID"] == message["Message-ID"]  # the id the delivery ledger records
    assert received["List-Unsubscribe"] == "<mailto:briefing@example.org?subject=unsubscribe>"
    html = received.get_body(("html",))
    assert html is not None and "中关村科技日报" in html.get_content()
    [pdf] = list(received.iter_attachments())
    assert pdf.get_filename() == "briefing-2026-W47.pdf" and pdf.get_payload(decode=True) == b"%PDF-1.7 the briefing"


def test_the_dag_uses_no_private_member_of_a_hook() -> None:
    for path in [ROOT / "dags" / "weekly_briefing.py", *sorted((ROOT / "plugins").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert "._smtp_client" not in text and "hook._" not in text, path
