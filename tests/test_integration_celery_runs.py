"""Degraded, empty and rejected weeks on a real Airflow deployment (the cluster of
tests/test_integration_celery.py, one of its own, so that make test's workers run the two side by side):
a run with a source down publishes and says so, a week without stories stops before approval, and a
draft an editor rejects is withdrawn. No subscriber gets anything from these runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

# cluster: the fixture, one per module
from .test_integration_celery import ALERTS, DEMO_SOURCES, READ_TIMEOUT, Cluster, cluster  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _trigger(c: Cluster, conf: dict[str, Any]) -> str:
    r = requests.post(
        f"{c.api}/api/v2/dags/weekly_briefing/dagRuns", json={"logical_date": None, "conf": conf}, timeout=READ_TIMEOUT
    )
    r.raise_for_status()
    return str(r.json()["dag_run_id"])


def _finished(c: Cluster, run_id: str) -> Callable[[], bool]:
    return lambda: c.get(f"/dags/weekly_briefing/dagRuns/{run_id}")["state"] in ("success", "failed")


def _states(c: Cluster, run_id: str) -> dict[str, str]:
    tis = c.get(f"/dags/weekly_briefing/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]
    return {f"{t['task_id']}[{t['map_index']}]": str(t["state"]) for t in tis}


def test_degraded_empty_and_rejected_runs_look_like_what_they_are(
    cluster: Cluster,  # noqa: F811  (the imported fixture)
) -> None:
    c = cluster
    sent = c.inbox.per_recipient()

    # 1. one source down: the run publishes, and says it is degraded in its note; the operators get an alert
    degraded = _trigger(
        c, {"week": "2026-W46", "sources": [*DEMO_SOURCES, "dead-wire"], "approval": "automatic", "send_email": False}
    )
    c.wait("the degraded run", _finished(c, degraded))
    run = c.get(f"/dags/weekly_briefing/dagRuns/{degraded}")
    states = _states(c, degraded)
    assert run["state"] == "success", states
    assert states["publish[-1]"] == "success" and "failed" in states.values()
    assert (
        "**Degraded**: 6 of 7 sources worked (86%)" in (run["note"] or "")
        and "`dead-wire` (unreachable)" in run["note"]
    )
    assert run["note"].startswith("Week **2026-W46** · **Degraded**"), (
        "the run (named by Airflow, not by the week) says its week, then its state"
    )
    alerts = lambda: [  # noqa: E731
        m for m in c.inbox.messages if ALERTS in str(m["To"]) and "degraded run" in str(m["Subject"])
    ]
    c.wait("the degraded run's alert", lambda: bool(alerts()), timeout=60)
    body = "".join(
        part.get_payload(decode=True).decode("utf-8")
        for part in alerts()[0].walk()
        if part.get_content_type() == "text/html"
    )
    assert "dead-wire" in body
    html = (c.archive / "briefing-2026-W46.html").read_text(encoding="utf-8")
    assert "Errno" not in html and "RFC 9309" not in html and "Connection refused" not in html

    # 2. a week without stories stops before approval: no draft, no request, no email
    empty = _trigger(c, {"week": "2026-W40", "sources": DEMO_SOURCES})
    c.wait("the empty week's run", _finished(c, empty))
    run = c.get(f"/dags/weekly_briefing/dagRuns/{empty}")
    states = _states(c, empty)
    assert run["state"] == "failed" and states["render[-1]"] == "failed", states
    assert states["approve[-1]"] == "upstream_failed" and states["email[-1]"] == "upstream_failed"
    assert "**Stopped**: 2026-W40: too little news to publish: 0 events from 0 sources" in (run["note"] or "")
    assert not (c.archive / ".drafts" / "briefing-2026-W40.html").exists()

    # 3. an editor rejects: the draft is withdrawn, the run fails and its note says who rejected it
    rejected = _trigger(c, {"week": "2026-W45", "sources": DEMO_SOURCES})

    def awaiting() -> bool:
        ti = c.get(f"/dags/weekly_briefing/dagRuns/{rejected}/taskInstances/approve")
        assert ti["state"] not in ("failed", "upstream_failed", "skipped"), ti
        return ti["state"] == "awaiting_input"

    c.wait("the approval request", awaiting)
    c.screenshot("/required_actions", "approval-requests")
    c.screenshot(f"/dags/weekly_briefing/runs/{rejected}/tasks/approve/required_actions", "approval-request")
    c.screenshot(f"/dags/weekly_briefing/runs/{degraded}", "degraded-run")
    c.screenshot(f"/dags/weekly_briefing/runs/{degraded}/tasks/check_sources", "check-sources-log")
    detail = c.get(f"/dags/weekly_briefing/dagRuns/{rejected}/taskInstances/approve/-1/hitlDetails")
    assert (
        "48 hours" in detail["body"]
        and "2:00:00" not in detail["body"]
        and "stories in" in detail["body"]
        and "Lead:" in detail["body"]
    )
    assert detail["defaults"] is None, "Reject is not the request's default"
    assert (c.archive / ".drafts" / "briefing-2026-W45.html").exists()
    requests.patch(
        f"{c.api}/api/v2/dags/weekly_briefing/dagRuns/{rejected}/taskInstances/approve/-1/hitlDetails",
        json={"chosen_options": ["Reject"], "params_input": {}},
        timeout=READ_TIMEOUT,
    ).raise_for_status()
    c.wait("the rejected run", _finished(c, rejected))
    run = c.get(f"/dags/weekly_briefing/dagRuns/{rejected}")
    states = _states(c, rejected)
    assert run["state"] == "failed" and states["approve[-1]"] == "failed", states
    assert states["publish[-1]"] == "upstream_failed" and states["email[-1]"] == "upstream_failed"
    assert "**Rejected**: the draft of 2026-W45 was rejected by" in (run["note"] or "")
    assert not (c.archive / ".drafts" / "briefing-2026-W45.html").exists()
    assert (c.archive / ".rejected" / "briefing-2026-W45.html").exists()
    assert "drafts/briefing-2026-W45" not in requests.get(f"{c.api}/briefing/", timeout=READ_TIMEOUT).text

    c.screenshot("/dags/weekly_briefing", "grid")
    c.screenshot(f"/dags/weekly_briefing/runs/{rejected}", "rejected-run")
    c.screenshot("/briefing/", "archive-app")

    # 4. each run's links open what that run made, kept as a revision: the rejected draft too
    draft_link = c.get(f"/dags/weekly_briefing/dagRuns/{rejected}/taskInstances/render/links")["extra_links"][
        "Draft briefing"
    ]
    published_link = c.get(f"/dags/weekly_briefing/dagRuns/{degraded}/taskInstances/publish/links")["extra_links"][
        "Published briefing"
    ]
    for link, week in ((draft_link, "2026-W45"), (published_link, "2026-W46")):
        assert link.startswith(f"{c.api}/briefing/revisions/briefing-{week}."), link
        assert (c.archive / ".revisions" / link.rsplit("/", 1)[1]).is_file()

    subscribers = {k: v for k, v in c.inbox.per_recipient().items() if k != ALERTS}
    assert subscribers == {k: v for k, v in sent.items() if k != ALERTS}, "no subscriber got anything from these runs"
