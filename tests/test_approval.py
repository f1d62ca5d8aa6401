"""The editor's approval (plugins/briefing_approval.py): a rejection, or no answer in time, withdraws the
draft, says so in the run's note and fails the task; an approval goes on. The run's note goes to a REST
API that is not there (a closed port on 127.0.0.1): the rejection must not depend on it."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from airflow.sdk.exceptions import AirflowFailException  # noqa: E402
from briefing_approval import EditionApproval, hours  # noqa: E402


@dataclass
class FakeRun:
    dag_id: str = "weekly_briefing"
    run_id: str = "week__2026-W47"
    note: str | None = None


class FakeTI:
    def xcom_pull(self, task_ids: str) -> str:
        assert task_ids == "resolve_week"
        return "2026-W47"


@pytest.fixture(autouse=True)
def no_api(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # the run note's API: a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", f"http://127.0.0.1:{port}")


def _approval(withdrawn: list[str], **kw: Any) -> EditionApproval:
    def on_reject(week: str) -> list[str]:
        withdrawn.append(week)
        return [f"/archive/.rejected/briefing-{week}.html"]

    return EditionApproval(
        task_id="approve",
        week_task="resolve_week",
        on_reject=on_reject,
        subject="s",
        body="b",
        response_timeout=timedelta(hours=48),
        **kw,
    )


def _answer(option: str, user: str = "ana") -> dict[str, Any]:
    return {
        "chosen_options": [option],
        "params_input": {},
        "responded_at": datetime(2026, 11, 23, tzinfo=UTC),
        "responded_by_user": {"id": user, "name": user},
    }


CONTEXT = {"ti": FakeTI(), "dag_run": FakeRun()}


def test_a_rejection_withdraws_the_draft_and_fails() -> None:
    withdrawn: list[str] = []
    with pytest.raises(AirflowFailException, match="2026-W47: the draft was rejected by ana; it is withdrawn"):
        _approval(withdrawn).execute_complete(CONTEXT, _answer("Reject"))
    assert withdrawn == ["2026-W47"]


def test_no_answer_in_time_is_a_rejection() -> None:
    withdrawn: list[str] = []
    approval = _approval(withdrawn)
    assert approval.defaults is None, (
        "no default answer: Reject is neither written as the editor's answer nor the primary button"
    )
    with pytest.raises(AirflowFailException, match="not approved within 48 hours"):
        approval.execute_complete(CONTEXT, {"error": "timed out", "error_type": "timeout"})
    assert withdrawn == ["2026-W47"]


def test_an_approval_goes_on() -> None:
    withdrawn: list[str] = []
    assert _approval(withdrawn).execute_complete(CONTEXT, _answer("Approve"))["chosen_options"] == ["Approve"]
    assert withdrawn == []


def test_approving_on_timeout_makes_approve_the_default() -> None:
    assert _approval([], reject_on_timeout=False).defaults == ["Approve"]


@pytest.mark.parametrize(
    ("span", "text"),
    [
        pytest.param(timedelta(hours=48), "48 hours", id="48h"),
        pytest.param(timedelta(hours=1), "1 hour", id="1h"),
        pytest.param(timedelta(minutes=90), "90 minutes", id="90m"),
        pytest.param(timedelta(days=3), "72 hours", id="3d"),
    ],
)
def test_timeouts_read_as_people_write_them(span: timedelta, text: str) -> None:
    assert hours(span) == text
