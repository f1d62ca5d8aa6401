"""The DAG file at parse time: it imports, builds the expected DAG, and does nothing heavy.

Like Airflow's own checks of its example DAGs: no import error in a DagBag, no database query and no
network connection while parsing, and none of the heavy libraries imported at the top of the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("weasyprint", "trafilatura", "lxml", "numpy", "datasketch", "feedparser", "jinja2", "sqlalchemy", "briefing")

_PROBE = r"""
import importlib.util, json, socket, sys, time
import airflow, airflow.sdk  # Airflow already loaded, as in the DAG processor
import sqlalchemy.engine
def refuse(*a, **k):
    raise AssertionError("the DAG file opened a connection at parse time")
socket.socket.connect = refuse
before = set(sys.modules)
engine_connect = sqlalchemy.engine.Engine.connect
sqlalchemy.engine.Engine.connect = refuse
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("weekly_briefing", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
seconds = time.perf_counter() - start
new = sorted({m.split(".")[0] for m in set(sys.modules) - before})
print(json.dumps({"seconds": seconds, "new": new}))
"""


def _airflow_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(ROOT / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path}/no-such-dir/airflow.db",
    )
    return env


def test_dag_file_parses_without_heavy_imports_db_or_network(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "dags" / "weekly_briefing.py")],
        env=_airflow_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    heavy = [m for m in report["new"] if m in HEAVY]
    assert heavy == [], f"the DAG file imports heavy modules at parse time: {heavy}"


_DAGBAG = r"""
import json
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=__import__("sys").argv[1])
dag = bag.dags.get("weekly_briefing")
print(json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "dags": sorted(bag.dags),
    "tasks": sorted(t.task_id for t in dag.tasks) if dag else [],
    "tags": sorted(dag.tags) if dag else [],
    "owner": dag.owner if dag else None,
    "doc": bool(dag and dag.doc_md),
    "params": sorted(dag.params.keys()) if dag else [],
    "timetable": type(dag.timetable).__name__ if dag else None,
    "mapped": [
        t.task_id for t in dag.tasks if getattr(t, "is_mapped", False) or type(t).__name__.endswith("MappedOperator")
    ] if dag else [],
    "interval": [
        x.isoformat()
        for x in dag.timetable.infer_manual_data_interval(
            run_after=__import__("pendulum").datetime(2026, 11, 25, tz="Asia/Shanghai")
        )
    ] if dag else [],
}))
"""


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("dagbag")
    out = subprocess.run(
        [sys.executable, "-c", _DAGBAG, str(ROOT / "dags")],
        env=_airflow_env(tmp),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_dagbag_has_no_import_errors(dagbag: dict[str, object]) -> None:
    assert dagbag["errors"] == {}
    assert dagbag["dags"] == ["weekly_briefing"]


def test_dag_reads_as_the_pipeline(dagbag: dict[str, object]) -> None:
    assert dagbag["tasks"] == sorted(
        [
            "resolve_week",
            "list_sources",
            "fetch_source",
            "check_sources",
            "dedup",
            "classify",
            "select",
            "enrich",
            "render",
            "approval_gate",
            "approve",
            "publish",
            "email",
        ]
    )
    assert dagbag["mapped"] == ["fetch_source"]
    assert dagbag["owner"] == "briefing"
    assert dagbag["doc"] is True
    assert {
        "week", "sources", "dry_run", "resend", "approval", "send_email"
    } <= set(dagbag["params"])  # type: ignore[arg-type]
    assert dagbag["timetable"] == "BriefingWeekTimetable"


def test_data_interval_is_the_iso_week(dagbag: dict[str, object]) -> None:
    # a manual run on Wednesday 25 November 2026 covers the last complete week, 2026-W47:
    # Monday 16 November 00:00 to Monday 23 November 00:00 in Asia/Shanghai
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    start, end = (datetime.fromisoformat(x) for x in dagbag["interval"])  # type: ignore[attr-defined]
    assert start == datetime(2026, 11, 16, tzinfo=shanghai)
    assert end == datetime(2026, 11, 23, tzinfo=shanghai)
