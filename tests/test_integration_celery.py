"""A real Airflow deployment: api-server, scheduler, dag-processor and a Celery worker, with the
metadata and the story store in PostgreSQL and Redis as the broker, against the demo web and an SMTP
server on 127.0.0.1.

It is set up as "Set up" (docs/operations.md) says and nothing more (no pool: the fetches run in the default
pool). It backfills 2026-W44 to 2026-W46 with ``airflow backfill create`` (three briefings, no email), then
triggers 2026-W47, approves the draft through the REST API (one email per subscriber), then reprocesses
the backfill and proves that no story row, archive file or email was duplicated. Every process it
starts is stopped. Skipped, with the reason, only where PostgreSQL or Redis cannot be reached.
tests/test_integration_celery_runs.py runs degraded, empty and rejected weeks on a cluster of its own,
so that make test's workers run the two side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from briefing.demo import DemoServer
from briefing.editorial import FORM_FIELDS
from briefing.store import Store

from .smtp_server import Inbox, smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = "postgresql+psycopg2://postgres@127.0.0.1:5432"
REDIS_DB = 11
SUBSCRIBERS = "ana@example.org\nbo@example.org,Bo,chips;energy\n"
ALERTS = "ops@example.org"
#: a GET of the API is asked this many times, each given this many seconds, before the test gives up on it
READ_ATTEMPTS, READ_TIMEOUT = 3, 60
#: what the editor writes in the approval form of 2026-W47
NOTE = "A quiet week for chips, a loud one for power: read the energy pages first."
DEMO_SOURCES = [
    "harbour-tech-wire",
    "east-compute-review",
    "grid-and-power-weekly",
    "silicon-strait-journal",
    "zhongguancun-daily",
    "huabei-energy-news",
]


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _admin_sql(*statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    conn.close()


@dataclass
class Cluster:
    env: dict[str, str]
    api: str
    inbox: Inbox
    archive: Path
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def airflow(self, *args: str, timeout: float = 300) -> str:
        out = subprocess.run(
            [str(BIN / "airflow"), *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert out.returncode == 0, f"airflow {' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
        return out.stdout

    def get(self, path: str) -> Any:
        """The API's answer to a GET of ``path``. A read is asked again when the answer is slow to come: on a
        loaded machine (two clusters and the tests' workers on two cores) the API server once took more than
        30 seconds to answer a poll, and that is not what these tests are about."""
        for attempt in range(READ_ATTEMPTS):
            try:
                r = requests.get(f"{self.api}/api/v2{path}", timeout=READ_TIMEOUT)
                break
            except requests.Timeout:
                if attempt == READ_ATTEMPTS - 1:
                    raise
        r.raise_for_status()
        return r.json()

    def runs(self) -> list[dict[str, Any]]:
        return list(self.get("/dags/weekly_briefing/dagRuns?limit=100")["dag_runs"])

    def wait(self, what: str, ready: Callable[[], bool], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except requests.Timeout:
                pass  # a slow answer is not an answer: ask again until the deadline
            for p in self.processes:
                assert p.poll() is None, f"{p.args} exited with {p.returncode}; logs in {self.logs}\n{self.tail()}"
            time.sleep(3)
        pytest.fail(f"timed out waiting for {what}; runs: {json.dumps(self.runs(), default=str)[:3000]}\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.logs.glob("*.log"))
        )

    def screenshot(self, path: str, name: str) -> None:
        """With ``BRIEFING_SCREENSHOTS=<dir>``, a headless Chromium screenshot of the UI page ``path`` as
        ``<dir>/<name>.png``, for a person to look at (the UI of this deployment, on 127.0.0.1; nothing is asserted
        of the picture)."""
        folder = os.environ.get("BRIEFING_SCREENSHOTS")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not folder or not chromium:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1440,1000",
             "--virtual-time-budget=20000", f"--screenshot={Path(folder) / name}.png", f"{self.api}{path}"],
            capture_output=True, timeout=180, check=False,
        )

    def failed_runs(self) -> list[str]:
        return [r["dag_run_id"] for r in self.runs() if r["state"] == "failed"]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for p in processes:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    for p in processes:
        try:
            p.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not _reachable(5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (start it: pg_ctlcluster <version> main start)")
    if not _reachable(6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (start it: redis-server --daemonize yes)")
    tmp = tmp_path_factory.mktemp("cluster")
    tag = uuid.uuid4().hex[:8]
    meta_db, store_db = f"it_airflow_{tag}", f"it_store_{tag}"
    _admin_sql(f"CREATE DATABASE {meta_db}", f"CREATE DATABASE {store_db}")
    api_port = _free_port()
    with DemoServer(0) as web, smtp_server() as (inbox, smtp_url):
        config = tmp / "demo.yaml"
        demo = (
            (ROOT / "config" / "demo.yaml").read_text(encoding="utf-8").replace("http://127.0.0.1:8765", web.base_url)
        )
        dead = (
            "  - id: dead-wire\n    name: Dead Wire\n    kind: feed\n"
            f"    url: http://127.0.0.1:{_free_port()}/feed.xml\n"
            "    lang: en\n    allow_private: true\n    enabled: false\n"
        )
        config.write_text(demo + dead, encoding="utf-8")  # a source at a closed port, fetched only when a run names it
        (tmp / "subscribers.txt").write_text(SUBSCRIBERS, encoding="utf-8")
        env = dict(os.environ)
        env.update(
            AIRFLOW_HOME=str(tmp / "airflow"),
            AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
            AIRFLOW__CORE__PLUGINS_FOLDER=str(ROOT / "plugins"),
            AIRFLOW__CORE__LOAD_EXAMPLES="False",
            AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
            AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"{PG}/{meta_db}",
            AIRFLOW__CELERY__BROKER_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
            AIRFLOW__CELERY__RESULT_BACKEND=f"db+{PG}/{meta_db}",
            AIRFLOW__CELERY__WORKER_CONCURRENCY="4",
            # a queue of its own: no other worker on this broker takes its tasks
            AIRFLOW__OPERATORS__DEFAULT_QUEUE=f"briefing-it-{tag}",
            AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{api_port}/execution/",
            AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{api_port}",
            AIRFLOW__API__PORT=str(api_port),
            AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(
                _free_port()
            ),  # not 8793, which another Airflow on this machine may hold
            AIRFLOW__API_AUTH__JWT_SECRET=f"briefing-it-{tag}",
            AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
            AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
            # no scheduled run of "this week": only what the test asks for
            AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
            BRIEFING_SOURCES=str(config),
            BRIEFING_DB_URL=f"{PG}/{store_db}",
            BRIEFING_ARCHIVE=str(tmp / "archive"),
            BRIEFING_SUBSCRIBERS=str(tmp / "subscribers.txt"),
            BRIEFING_FROM="China Tech Briefing <briefing@example.org>",
            BRIEFING_ALERT_EMAIL=ALERTS,
        )
        logs = tmp / "logs"
        logs.mkdir()
        c = Cluster(env=env, api=f"http://127.0.0.1:{api_port}", inbox=inbox, archive=tmp / "archive", logs=logs)
        try:
            c.airflow("db", "migrate")
            host, port = smtp_url.removeprefix("smtp://").split(":")
            c.airflow(
                "connections",
                "add",
                "smtp_default",
                "--conn-type",
                "smtp",
                "--conn-host",
                host,
                "--conn-port",
                port,
                "--conn-extra",
                json.dumps({"disable_ssl": True, "disable_tls": True, "from_email": "briefing@example.org"}),
            )
            for name, args in [
                ("api-server", ["api-server", "--port", str(api_port)]),
                ("scheduler", ["scheduler"]),
                ("dag-processor", ["dag-processor"]),
                ("worker", ["celery", "worker", "--queues", f"briefing-it-{tag}"]),
            ]:
                with open(logs / f"{name}.log", "wb") as log:  # the child keeps its own copy of the descriptor
                    c.processes.append(
                        subprocess.Popen(
                            [str(BIN / "airflow"), *args],
                            env=env,
                            stdout=log,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )

            def dag_ready() -> bool:
                try:
                    return bool(c.get("/dags/weekly_briefing")["dag_id"])
                except requests.RequestException:
                    return False

            c.wait("the API server and the parsed DAG", dag_ready, timeout=180)
            requests.patch(
                f"{c.api}/api/v2/dags/weekly_briefing", json={"is_paused": False}, timeout=READ_TIMEOUT
            ).raise_for_status()
            yield c
        finally:
            _stop(c.processes)
            _admin_sql(
                f"DROP DATABASE IF EXISTS {meta_db} WITH (FORCE)", f"DROP DATABASE IF EXISTS {store_db} WITH (FORCE)"
            )
            _forget_queue(f"briefing-it-{tag}")


def _forget_queue(queue: str) -> None:
    """Remove this cluster's queue from the broker, and nothing else: other clusters share its database
    (the other Celery test file, another checkout's tests on this machine)."""
    try:
        import redis

        broker = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
        for key in broker.scan_iter(f"*{queue}*"):
            broker.delete(key)
        for key in broker.scan_iter("_kombu.binding.*"):
            for member in broker.smembers(key):
                if queue.encode() in member:
                    broker.srem(key, member)
    except Exception:  # the broker's leftovers are harmless; never fail teardown on them
        pass


def _story_count(c: Cluster) -> tuple[int, int]:
    with Store(c.env["BRIEFING_DB_URL"]) as store:
        import sqlalchemy as sa

        with store.engine.connect() as conn:
            total = conn.execute(sa.text("select count(*), count(distinct canonical_url) from stories")).one()
    return int(total[0]), int(total[1])


def _archive_files(c: Cluster) -> list[str]:
    return sorted(p.name for p in c.archive.iterdir() if p.is_file())


def test_backfill_approve_email_and_reprocess_without_duplicates(cluster: Cluster) -> None:
    c = cluster
    weeks = ["2026-W44", "2026-W45", "2026-W46"]

    # 0. the operator's check after set-up (it reads and writes nothing the runs use: it runs beside the backfill)
    doctor = subprocess.Popen(
        [str(BIN / "briefing"), "doctor"], env=c.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )

    # 1. backfill three past weeks: three successful runs, three briefings, no email
    c.airflow(
        "backfill",
        "create",
        "--dag-id",
        "weekly_briefing",
        "--from-date",
        "2026-10-26T00:00:00+08:00",
        "--to-date",
        "2026-11-09T00:00:00+08:00",
    )

    def backfilled(n: int) -> Callable[[], bool]:
        """The n-th backfill has completed and its three runs succeeded (a reprocess reruns the same runs)."""

        def done() -> bool:
            backfills = c.get("/backfills?dag_id=weekly_briefing")["backfills"]
            runs = [r for r in c.runs() if r["run_type"] == "backfill"]
            assert not c.failed_runs(), f"failed runs: {c.failed_runs()}\n{c.tail()}"
            return (
                len(backfills) == n
                and all(b["completed_at"] for b in backfills)
                and len(runs) == 3
                and all(r["state"] == "success" for r in runs)
            )

        return done

    c.wait("three successful backfill runs", backfilled(1))
    out, err = doctor.communicate(timeout=300)
    assert doctor.returncode == 0, out + err[-2000:]  # every step of "Set up" (docs/operations.md) is done
    assert "fetches run in default_pool, at most 4 at once" in out  # no pool to set up
    for week in weeks:
        assert (c.archive / f"briefing-{week}.pdf").stat().st_size > 10_000
        assert (c.archive / f"briefing-{week}.html").exists()
    assert "briefing-2026-W47.html" not in _archive_files(c)
    assert c.inbox.messages == []
    backfill_notes = sorted(r["note"] or "" for r in c.runs() if r["run_type"] == "backfill")
    assert backfill_notes == [f"Week **{week}**" for week in weeks], (
        "a backfill's run (named by Airflow) names its week in its note"
    )
    stories = _story_count(c)
    assert stories[0] == stories[1] >= 80

    # 2. the week's run waits for an editor; approving through the REST API publishes and emails
    run_id = f"manual_w47_{uuid.uuid4().hex[:6]}"
    requests.post(
        f"{c.api}/api/v2/dags/weekly_briefing/dagRuns",
        json={"dag_run_id": run_id, "logical_date": None, "conf": {"week": "2026-W47"}},
        timeout=READ_TIMEOUT,
    ).raise_for_status()

    def awaiting() -> bool:
        ti = c.get(f"/dags/weekly_briefing/dagRuns/{run_id}/taskInstances/approve")
        assert ti["state"] not in ("failed", "upstream_failed", "skipped"), ti
        return ti["state"] == "awaiting_input"

    c.wait("the approval request", awaiting)
    assert (c.archive / ".drafts" / "briefing-2026-W47.pdf").exists()
    assert "briefing-2026-W47.html" not in _archive_files(c)  # not published before approval
    draft = requests.get(f"{c.api}/briefing/drafts/briefing-2026-W47.html", timeout=READ_TIMEOUT)
    assert draft.status_code == 200 and "2026-W47" in draft.text  # the archive app inside the API server
    requests.patch(
        f"{c.api}/api/v2/dags/weekly_briefing/dagRuns/{run_id}/taskInstances/approve/-1/hitlDetails",
        json={
            "chosen_options": ["Approve"],
            "params_input": dict.fromkeys(FORM_FIELDS, "") | {"note": NOTE},
        },  # the form, with an editor's note
        timeout=READ_TIMEOUT,
    ).raise_for_status()
    c.wait("the approved run", lambda: c.get(f"/dags/weekly_briefing/dagRuns/{run_id}")["state"] == "success")
    assert NOTE in (c.archive / "briefing-2026-W47.html").read_text(encoding="utf-8")
    assert c.inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1}
    assert run_id and (c.archive / "briefing-2026-W47.pdf").exists()
    published = requests.get(f"{c.api}/briefing/weeks/briefing-2026-W47.pdf", timeout=READ_TIMEOUT)
    assert published.status_code == 200 and published.content.startswith(b"%PDF")
    events = c.get("/assets/events?limit=10")["asset_events"]
    assert any(e["extra"].get("week") == "2026-W47" for e in events), events
    files = _archive_files(c)
    stories = _story_count(c)

    # 3. reprocess the backfill: same stories, same files, no email
    c.airflow(
        "backfill", "create", "--dag-id", "weekly_briefing", "--from-date", "2026-10-26T00:00:00+08:00",
        "--to-date", "2026-11-09T00:00:00+08:00", "--reprocess-behavior", "completed",
    )
    c.wait("the reprocessed backfill", backfilled(2))
    assert _story_count(c) == stories
    assert _archive_files(c) == files
    assert c.inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1}

    # 4. a backfill of the approved week rebuilds it as it was published, the editor's note included,
    # byte for byte, and emails no one
    published_html = (c.archive / "briefing-2026-W47.html").read_bytes()
    c.airflow(
        "backfill",
        "create",
        "--dag-id",
        "weekly_briefing",
        "--from-date",
        "2026-11-16T00:00:00+08:00",
        "--to-date",
        "2026-11-16T00:00:00+08:00",
    )

    def rebuilt() -> bool:
        assert not c.failed_runs(), f"failed runs: {c.failed_runs()}\n{c.tail()}"
        runs = [
            r for r in c.runs() if r["run_type"] == "backfill" and (r["note"] or "").startswith("Week **2026-W47**")
        ]
        return bool(runs) and all(r["state"] == "success" for r in runs)

    c.wait("the backfill of the approved week", rebuilt)
    assert (c.archive / "briefing-2026-W47.html").read_bytes() == published_html
    assert c.inbox.per_recipient() == {"ana@example.org": 1, "bo@example.org": 1}
