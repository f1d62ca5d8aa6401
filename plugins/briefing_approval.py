"""The editor's approval of a week's draft, where a rejection looks like one.

Airflow's ``ApprovalOperator`` ends a rejection in *success* and skips what follows, so a rejected
edition looked like a good run. ``EditionApproval`` withdraws the rejected draft (``on_reject``, given
the week), writes why in the run's note, and fails, so the run is *failed* and publish and email never
run. No answer within the timeout is a rejection too, unless the deployment approves on timeout.

The request's only default is Approve when the timeout approves; when the timeout rejects there is no
default at all (Airflow 3.3 would otherwise write "Reject" as the editor's answer and show Reject as
the primary button), and ``execute_complete`` turns the timeout into the rejection.

The request is also the editor's form (issue 15): ``edit_form`` holds its fields (give them as the
task's ``params``) (pin the lead, drop,
merge, split, move, English headlines and gists, why it matters, the editor's note, what to watch), and
the body lists the week's events by short id (``menu``, given the week). On Approve, ``on_approve`` is
given the week, the answers and who gave them: it stores them as decisions and renders the draft again,
so what is published is what the editor decided. Answers that cannot be applied (an unknown id, a merge
of an event with itself) fail the task with the reason, store nothing and publish nothing.

``edition_approval`` is the weekly_briefing DAG's approval task: its request (the draft's links and counts
from what ``render`` returned), the deployment's timeout (``BRIEFING_APPROVAL_TIMEOUT_HOURS``, 48) and
what no answer means (``BRIEFING_APPROVAL_ON_TIMEOUT``: reject, or approve), and the store's callbacks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from airflow.providers.standard.exceptions import HITLRejectException
from airflow.providers.standard.operators.hitl import ApprovalOperator

if TYPE_CHECKING:  # for the annotations only
    from airflow.sdk import Context


def hours(span: timedelta) -> str:
    """A timeout as people write it: "48 hours", "1 hour", "90 minutes"."""
    minutes = span.total_seconds() / 60
    if minutes % 60:
        return f"{minutes:g} minutes"
    n = minutes / 60
    return f"{n:g} hour" + ("" if n == 1 else "s")


#: the form's fields: name -> (title, help, multi-line); the names are briefing.editorial.FORM_FIELDS's
EDIT_FIELDS: dict[str, tuple[str, str, bool]] = {
    "lead": ("Pin the lead", "the short id of the event to lead the edition", False),
    "drop": ("Drop events", "short ids of events to leave out, separated by spaces", False),
    "merge": ("Merge events", "a line per merge: two ids, the first absorbs the second (a1b2c3 d4e5f6)", True),
    "split": ("Split stories out", "short ids of stories to take out of their events, as events of their own", False),
    "move": (
        "Move to another section",
        "a line per move: an id and a section: compute, energy, policy, chips, ai-models or science",
        True,
    ),
    "headline": ("English headlines", "a line per event: id: headline", True),
    "gist": ("English gists", "a line per event: id: gist", True),
    "why": ("Why it matters", "a line per event: id: why it matters", True),
    "note": ("Editor's note", "for the cover", True),
    "watch": ("What to watch next week", "a line per item", True),
}


def edit_form() -> dict[str, Any]:
    """The approval form's fields, as Airflow params: all optional text."""
    from airflow.sdk import Param

    return {
        name: Param(
            None,
            type=["null", "string"],
            title=title,
            description=help_,
            source="task",
            **({"format": "multiline"} if multiline else {}),
        )
        for name, (title, help_, multiline) in EDIT_FIELDS.items()
    }


class EditionApproval(ApprovalOperator):
    """Approve or reject the week's draft; a rejection (or no answer in time) withdraws it and fails."""

    def __init__(
        self,
        *,
        week_task: str,
        on_reject: Callable[[str], list[str]],
        reject_on_timeout: bool = True,
        on_approve: Callable[[str, Mapping[str, Any], str], list[str]] | None = None,
        menu: Callable[[str], list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.week_task = week_task
        self.on_reject = on_reject
        self.reject_on_timeout = reject_on_timeout
        self.on_approve = on_approve
        self.menu = menu
        super().__init__(defaults=None if reject_on_timeout else [self.APPROVE], fail_on_reject=True, **kwargs)

    def execute(self, context: Context) -> Any:
        if self.menu is not None:  # the week's events by short id, under the request's text
            try:
                lines = self.menu(context["ti"].xcom_pull(task_ids=self.week_task))
            except Exception as e:  # the request goes out without the list rather than not at all
                self.log.warning("Could not list the week's events for the form: %s", e)
                lines = []
            if lines:
                self.body = (
                    (self.body or "")
                    + "\n\n**The week's events** (edit them with the form, by short id):\n\n"
                    + "\n".join(lines)
                )
        return super().execute(context)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> Any:
        if event.get("error_type") == "timeout" and self.reject_on_timeout:
            span = hours(self.response_timeout) if self.response_timeout else "the time allowed"
            self._reject(context, f"not approved within {span}")
        try:
            answer = super().execute_complete(context=context, event=event)
        except HITLRejectException:
            who = (event.get("responded_by_user") or {}).get("name") or "an editor"
            self._reject(context, f"rejected by {who}")
        answers = {k: v for k, v in (event.get("params_input") or {}).items() if v not in (None, "")}
        if self.on_approve is not None and answers:
            self._apply(context, answers, (event.get("responded_by_user") or {}).get("name") or "an editor")
        return answer

    def _apply(self, context: Context, answers: Mapping[str, Any], who: str) -> None:
        """Store the editor's decisions and render the draft again with them; bad answers fail the task."""
        from airflow.sdk.exceptions import AirflowFailException
        from briefing_runs import add_run_note

        week = context["ti"].xcom_pull(task_ids=self.week_task)
        from briefing.errors import BriefingError

        try:
            made = self.on_approve(week, answers, who) if self.on_approve else []
        except BriefingError as e:  # an unknown id, a merge with itself, a week published: the editor's to fix
            add_run_note(
                context,
                f"**Not published**: the decisions about {week} could not be applied: {e}. "
                "Nothing was stored or published.",
            )
            raise AirflowFailException(
                f"{week}: the editor's decisions could not be applied: {e}; nothing was stored or published"
            ) from e
        for line in made:
            self.log.info("%s: decision by %s: %s", week, who, line)
        if made:
            add_run_note(context, f"**Edited** by {who}: {len(made)} decisions, applied to the published edition.")

    def _reject(self, context: Context, why: str) -> NoReturn:
        from airflow.sdk.exceptions import AirflowFailException
        from briefing_runs import add_run_note

        week = context["ti"].xcom_pull(task_ids=self.week_task)
        moved = self.on_reject(week)
        self.log.warning(
            "%s: the draft was %s; withdrawn%s; nothing is published or emailed",
            week,
            why,
            f" to {', '.join(moved)}" if moved else "",
        )
        add_run_note(
            context, f"**Rejected**: the draft of {week} was {why}. It is withdrawn; nothing was published or emailed."
        )
        raise AirflowFailException(f"{week}: the draft was {why}; it is withdrawn, and nothing is published or emailed")


#: how long an editor has to answer, and what no answer in that time means (the deployment's settings)
APPROVAL_TIMEOUT = timedelta(hours=float(os.environ.get("BRIEFING_APPROVAL_TIMEOUT_HOURS", "48")))
APPROVE_ON_TIMEOUT = os.environ.get("BRIEFING_APPROVAL_ON_TIMEOUT", "reject").lower() == "approve"

#: the approval request: the week, its counts, the lead and the draft (the DAG's ``render`` returns them)
APPROVAL_BODY = (
    "{% set r = ti.xcom_pull(task_ids='render') %}"
    "The draft of **{{ r.week }}** is ready: "
    "[HTML](/briefing/drafts/{{ r.html_name }}) · [PDF](/briefing/drafts/{{ r.pdf_name }})\n\n"
    "- **Lead:** {{ r.lead or 'none' }}\n"
    "- **This week:** {{ r.stories }} stories in {{ r.events }} events from {{ r.outlets }} outlets; "
    "the briefing carries {{ r.shown }} of them\n"
    "- **Failed sources:** {{ r.failed | join(', ') if r.failed else 'none' }}\n\n"
    f"Approve to publish it and email the subscribers. Without an answer in {hours(APPROVAL_TIMEOUT)}, "
    + ("it is published." if APPROVE_ON_TIMEOUT else "it is rejected and withdrawn.")
)


def edition_approval(*, task_id: str, week_task: str) -> EditionApproval:
    """The DAG's approval task: the editor's answer and form (Required Actions), over the store."""
    from briefing_deployment import apply_edits, event_menu, withdraw

    return EditionApproval(
        task_id=task_id,
        week_task=week_task,
        on_reject=withdraw,
        on_approve=apply_edits,
        menu=event_menu,
        params=edit_form(),
        reject_on_timeout=not APPROVE_ON_TIMEOUT,
        subject=f"Publish the briefing for {{{{ ti.xcom_pull(task_ids='{week_task}') }}}}?",
        body=APPROVAL_BODY,
        response_timeout=APPROVAL_TIMEOUT,
        ignore_downstream_trigger_rules=True,
        doc_md=(
            "An editor approves the draft before it is published and emailed; "
            "a rejection withdraws the draft and fails the run."
        ),
    )
