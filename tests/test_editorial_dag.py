"""An editor's decisions made in the approval form reach the published edition, and a rebuild of the week
reproduces them byte for byte.

The real weekly_briefing DAG runs with dag.test() (approval required: it waits in the approval step);
the editor answers through Airflow's own REST route for Human-in-the-loop answers (the public API app,
served in-process by FastAPI's TestClient, on the same metadata database), with decisions in the form:
a merge of two reports of one event the algorithm kept apart, a pinned lead, a "why it matters" line and
an editor's note. The published PDF and HTML carry them; a second run of the week without approval (as a
backfill runs) gives the same HTML, byte for byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.editorial import FORM_FIELDS, short_id
from briefing.store import Store

from .airflow_home import demo_airflow_env

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-W47"

# three whole-DAG runs (draft, approved, rebuilt): about a minute of one worker, so CI's integration tier runs
# them and make test keeps its time; test_pipeline checks a rebuild's determinism without Airflow
pytestmark = [pytest.mark.slow, pytest.mark.integration]

_RUN = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
assert not bag.import_errors, bag.import_errors
run = bag.dags["weekly_briefing"].test(run_conf=json.loads(sys.argv[2]))
print(json.dumps({
    "state": str(run.state),
    "tis": {f"{ti.task_id}[{ti.map_index}]": str(ti.state) for ti in run.get_task_instances()},
}))
"""

#: waits for the approval request, then answers it through the REST API's route; prints the request's body
_ANSWER = r"""
import json, sys, time
from fastapi.testclient import TestClient
from airflow.api_fastapi.app import create_app
from airflow.models.taskinstance import TaskInstance
from airflow.utils.session import create_session

deadline = time.monotonic() + 600
while True:
    with create_session() as session:
        ti = session.query(TaskInstance).filter_by(dag_id="weekly_briefing", task_id="approve").one_or_none()
        state, run_id = (str(ti.state), ti.run_id) if ti else (None, None)
    if state == "awaiting_input":
        break
    assert state not in ("failed", "upstream_failed", "skipped"), state
    assert time.monotonic() < deadline, "no approval request"
    time.sleep(1)
with TestClient(create_app()) as client:
    url = f"/api/v2/dags/weekly_briefing/dagRuns/{run_id}/taskInstances/approve/-1/hitlDetails"
    detail = client.get(url)
    assert detail.status_code == 200, detail.text
    r = client.patch(url, json={"chosen_options": ["Approve"], "params_input": json.loads(sys.argv[1])})
    assert r.status_code == 200, r.text
print(json.dumps({
    "body": detail.json()["body"], "params": sorted(detail.json().get("params") or []), "keys": sorted(detail.json())
}))
"""


@pytest.fixture(scope="module")
def airflow_env(
    demo_config: Path, migrated_airflow_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    env = demo_airflow_env(tmp_path_factory.mktemp("editorial"), migrated_airflow_db, demo_config)
    env.update(
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
        AIRFLOW__API_AUTH__JWT_SECRET="briefing-tests-editorial",
        AIRFLOW__API__BASE_URL="http://127.0.0.1:1",  # the run notes' API: nothing there, the notes are best effort
    )
    return env


def _dag(env: dict[str, str], conf: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, str(ROOT / "dags"), json.dumps(conf)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, (out[-2000:], err[-4000:])
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _draft_ids(env: dict[str, str]) -> tuple[str, str, str]:
    """Once the draft is rendered: the short ids of the English and Chinese reports of San'ao unit 1's
    commercial operation (two events to the algorithm), and of the UHV line's event, to pin as the lead."""
    draft = Path(env["BRIEFING_ARCHIVE"]) / ".drafts" / f"briefing-{WEEK}.html"
    deadline = time.monotonic() + 600
    while not draft.exists():
        assert time.monotonic() < deadline, "no draft"
        time.sleep(1)
    with Store(env["BRIEFING_DB_URL"]) as store:
        clusters = {m: c.id for c in store.load_clusters(WEEK) for m in c.members}
        titles = {
            s.id: s.title
            for s in store.stories_between(
                *__import__("briefing.week", fromlist=["parse_week"]).parse_week(WEEK).bounds("Asia/Shanghai")
            )
        }
    english = next(i for i, t in titles.items() if t.startswith("San'ao unit 1 enters commercial operation"))
    chinese = next(i for i, t in titles.items() if t == "三澳核电1号机组投入商业运行")
    uhv = next(i for i, t in titles.items() if t.startswith("Sichuan-to-Jiangsu"))
    assert clusters[english] != clusters[chinese], "the demo's two San'ao reports should be two events to the algorithm"
    return short_id(clusters[english]), short_id(clusters[chinese]), short_id(clusters[uhv])


@pytest.fixture(scope="module")
def approved(airflow_env: dict[str, str]) -> dict[str, object]:
    run = _dag(airflow_env, {"week": WEEK, "approval": "required"})
    try:
        english, chinese, uhv = _draft_ids(airflow_env)
        answers = dict.fromkeys(FORM_FIELDS, "")
        answers |= {
            "lead": uhv,
            "merge": f"{english} {chinese}",
            "why": f"{uhv}: Western hydropower now reaches the coastal data centres.",
            "note": "A week of power lines and reactors.",
        }
        out = subprocess.run(
            [sys.executable, "-c", _ANSWER, json.dumps(answers)],
            env=airflow_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert out.returncode == 0, (out.stdout[-2000:], out.stderr[-4000:])
        request = json.loads(out.stdout.strip().splitlines()[-1])
        result = _finish(run)
    finally:
        if run.poll() is None:
            run.kill()
    return {"request": request, "run": result, "ids": (english, chinese, uhv)}


def test_the_form_lists_the_events_by_short_id(approved: dict[str, object]) -> None:
    request = approved["request"]
    assert isinstance(request, dict)
    assert request["params"] == sorted(FORM_FIELDS), request["keys"]
    english, chinese, uhv = approved["ids"]  # type: ignore[misc]
    for short in (english, chinese, uhv):
        assert f"`{short}`" in request["body"]
    assert f"/briefing/drafts/briefing-{WEEK}.html" in request["body"]


def test_the_published_edition_applies_the_form(approved: dict[str, object], airflow_env: dict[str, str]) -> None:
    run = approved["run"]
    assert isinstance(run, dict) and run["state"] == "success", run
    archive = Path(airflow_env["BRIEFING_ARCHIVE"])
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(archive / f"briefing-{WEEK}.pdf").pages
    )
    assert "Why it matters: Western hydropower now reaches the coastal data centres." in text
    assert "A week of power lines and reactors." in text
    assert "THIS WEEK IN FIVE" in text.upper()
    html = (archive / f"briefing-{WEEK}.html").read_text(encoding="utf-8")
    lead = html.split('<section id="lead"', 1)[1].split("</section>", 1)[0]
    assert "Sichuan-to-Jiangsu" in lead
    [sanao] = [
        a
        for a in html.split("<article")[1:]
        if "San&#39;ao unit 1 enters commercial operation" in a.split("</h3>", 1)[0]
    ]
    assert "2 outlets · 1 Chinese, 1 English" in sanao  # one event now
    assert "三澳核电1号机组投入商业运行</a></h3>" not in html
    with Store(airflow_env["BRIEFING_DB_URL"]) as store:
        made = store.load_decisions(WEEK)
    assert {d.kind for d in made} == {"lead", "merge", "why", "note"} and {d.by for d in made} == {
        "Anonymous"
    }  # who answered: the API's user (all admins, no login)


def test_a_rebuild_of_the_week_reproduces_it_byte_for_byte(
    approved: dict[str, object], airflow_env: dict[str, str]
) -> None:
    archive = Path(airflow_env["BRIEFING_ARCHIVE"])
    before = (archive / f"briefing-{WEEK}.html").read_bytes()
    again = _finish(_dag(airflow_env, {"week": WEEK, "approval": "automatic"}))
    assert again["state"] == "success", again
    assert (archive / f"briefing-{WEEK}.html").read_bytes() == before
