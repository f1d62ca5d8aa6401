"""The editor's approval of a week's draft, where a rejection looks like one.

Airflow's ``ApprovalOperator`` ends a rejection in *success* and skips what follows, so a rejected
edition looked like a good run. ``EditionApproval`` withdraws the rejected draft (``on_reject``, given
the week), writes why in the run's note, and fails, so the run is *failed* and publish and email never
run. No answer within the timeout is a rejection too, unless the deployment approves on timeout.

The request's only default is Approve when the timeout approves; when the timeout rejects there is no
default at all (Airflow 3.3 would otherwise write "Reject" as the editor's answer and show Reject as
the primary button), and ``execute_complete`` turns the timeout into the rejection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, NoReturn

from airflow.providers.standard.exceptions import HITLRejectException
from airflow.providers.standard.operators.hitl import ApprovalOperator


def hours(span: timedelta) -> str:
    """A timeout as people write it: "48 hours", "1 hour", "90 minutes"."""
    minutes = span.total_seconds() / 60
    if minutes % 60:
        return f"{minutes:g} minutes"
    n = minutes / 60
    return f"{n:g} hour" + ("" if n == 1 else "s")


class EditionApproval(ApprovalOperator):
    """Approve or reject the week's draft; a rejection (or no answer in time) withdraws it and fails."""

    def __init__(
        self,
        *,
        week_task: str,
        on_reject: Callable[[str], list[str]],
        reject_on_timeout: bool = True,
        **kwargs: Any,
    ) -> None:
        self.week_task = week_task
        self.on_reject = on_reject
        self.reject_on_timeout = reject_on_timeout
        super().__init__(defaults=None if reject_on_timeout else [self.APPROVE], fail_on_reject=True, **kwargs)

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        if event.get("error_type") == "timeout" and self.reject_on_timeout:
            span = hours(self.response_timeout) if self.response_timeout else "the time allowed"
            self._reject(context, f"not approved within {span}")
        try:
            return super().execute_complete(context=context, event=event)
        except HITLRejectException:
            who = (event.get("responded_by_user") or {}).get("name") or "an editor"
            self._reject(context, f"rejected by {who}")

    def _reject(self, context: Any, why: str) -> NoReturn:
        from airflow.sdk.exceptions import AirflowFailException
        from briefing_runs import add_run_note

        week = context["ti"].xcom_pull(task_ids=self.week_task)
        moved = self.on_reject(week)
        self.log.warning("%s: the draft was %s; withdrawn%s; nothing is published or emailed", week, why, f" to {', '.join(moved)}" if moved else "")
        add_run_note(context, f"**Rejected**: the draft of {week} was {why}. It is withdrawn; nothing was published or emailed.")
        raise AirflowFailException(f"{week}: the draft was {why}; it is withdrawn, and nothing is published or emailed")
