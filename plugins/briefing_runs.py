"""What a run tells its operators beyond task states: the run's note, and an alert email.

A task cannot write its run's note through the Task SDK (Airflow 3.3's execution API reads it, never
writes it), so ``add_run_note`` goes through Airflow's public REST API, as the UI does:
``PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}`` with ``{"note": ...}`` on ``[api] base_url``. Where the
API needs a login, the HTTP connection ``briefing_api`` holds the user and password it is asked for a
token with (``POST /auth/token``); without it, the request goes unauthenticated (as with the simple auth
manager's ``all_admins``). The note is Markdown and appended to what the run's note already says, on the
same line (the UI shows a note's first line: "Week **2026-W46** · **Degraded**: ..."); a note
that cannot be written is a warning in the log, never a failed task: the log line says the same.

``alert`` emails ``BRIEFING_ALERT_EMAIL`` through the connection ``smtp_default`` when it is set;
``degraded_run`` does both for a run that goes on without some of its sources.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only
    from airflow.sdk import Context

    from briefing.health import SourcesCheck

log = logging.getLogger(__name__)

#: the REST API keeps a run's note up to this many characters
NOTE_LIMIT = 1000


def _api_base() -> str:
    from airflow.configuration import conf

    base = str(conf.get("api", "base_url", fallback="") or "").rstrip("/")
    return base or f"http://localhost:{conf.get('api', 'port', fallback='8080')}"


def _auth_headers(base: str) -> dict[str, str]:
    from airflow.sdk import Connection

    try:
        conn = Connection.get("briefing_api")
    except Exception:  # no such connection: the API is open to this deployment's workers
        return {}
    import requests

    r = requests.post(f"{base}/auth/token", json={"username": conn.login, "password": conn.password}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def add_run_note(context: Context, text: str) -> bool:
    """Append ``text`` to the note of the context's run; True when the API took it.

    The note is read from the API first: the context's copy is the note as the task started, without
    what a task running beside it, or the operator, has written since."""
    import requests

    dag_run = context["dag_run"]
    base = _api_base()
    url = f"{base}/api/v2/dags/{dag_run.dag_id}/dagRuns/{dag_run.run_id}"
    try:
        headers = _auth_headers(base)
        current = requests.get(url, headers=headers, timeout=10)
        current.raise_for_status()
        before = str(current.json().get("note") or "").strip()
        note = f"{before} · {text}" if before and text not in before else (before or text)
        if len(note) > NOTE_LIMIT:
            note = note[: NOTE_LIMIT - 1] + "…"
        r = requests.patch(url, json={"note": note}, params={"update_mask": "note"}, headers=headers, timeout=10)
        r.raise_for_status()
    except Exception as e:
        log.warning("Could not set the run's note through %s (%s); the note would have read: %s", base, e, text)
        return False
    log.info("Run note: %s", text)
    return True


def alert(context: Context, subject: str, html: str) -> bool:
    """Email the operators (``BRIEFING_ALERT_EMAIL``) through ``smtp_default``; False when none is set."""
    to = os.environ.get("BRIEFING_ALERT_EMAIL", "")
    if not to:
        log.info("No alert email: BRIEFING_ALERT_EMAIL is not set")
        return False
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    SmtpNotifier(to=to, smtp_conn_id="smtp_default", subject=subject, html_content=html)(context)
    log.info("Alert sent to %s: %s", to, subject)
    return True


def degraded_run(context: Context, checked: SourcesCheck) -> None:
    """A run that goes on without some sources: its note names them, and the operators get an alert."""
    from html import escape

    log.warning("Degraded run: %s", checked.summary())
    add_run_note(context, checked.note())
    alert(
        context,
        f"[briefing] degraded run {context['run_id']}: {len(checked.failed)} of {checked.tried} sources failed",
        f"<p>{escape(checked.summary())}</p><p>The briefing goes on with the sources that worked.</p>",
    )
