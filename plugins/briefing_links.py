"""Extra links from a run's render and publish tasks to that week's briefing, served by the archive app.

In Airflow 3 the worker computes each link when the task ends and stores it; the UI shows a button.
The link reads the task's own return value (``{"week": ..., "revision": ...}``) and opens the revision
of the file that run made (``briefing.publish.REVISIONS``), so an older run's link never opens a later
run's edition of the same week.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import BaseOperatorLink

ARCHIVE_PREFIX = "/briefing"


def _base_url() -> str:
    try:
        from airflow.configuration import conf

        return str(conf.get("api", "base_url", fallback="") or "").rstrip("/")
    except Exception:
        return ""


def _made(ti_key: Any) -> dict[str, Any]:
    """What the task returned: its week, and the revision of the file it made (tasks of earlier versions had none)."""
    try:
        value = ti_key.xcom_pull(task_ids=ti_key.task_id)
    except Exception:
        return {}
    return value if isinstance(value, dict) else {}


def _link(area: str, ti_key: Any) -> str:
    """The file this run made, kept as a revision; for a run from before revisions were kept, the week's current
    file."""
    from briefing.publish import file_names

    made = _made(ti_key)
    if made.get("revision"):
        return f"{_base_url()}{ARCHIVE_PREFIX}/revisions/{made['revision']}"
    return f"{_base_url()}{ARCHIVE_PREFIX}/{area}/{file_names(made['week']).html}" if made.get("week") else ""


class DraftLink(BaseOperatorLink):
    """The rendered draft of the run's week, before approval."""

    name = "Draft briefing"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        return _link("drafts", ti_key)


class PublishedLink(BaseOperatorLink):
    """The published briefing of the run's week."""

    name = "Published briefing"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        return _link("weeks", ti_key)


class RenderOperator(PythonOperator):
    """A PythonOperator whose task links to the week's draft."""

    operator_extra_links = (DraftLink(),)


class PublishOperator(PythonOperator):
    """A PythonOperator whose task links to the week's published briefing."""

    operator_extra_links = (PublishedLink(),)
