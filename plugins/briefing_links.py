"""Extra links from a run's render and publish tasks to that week's briefing, served by the archive app.

In Airflow 3 the worker computes each link when the task ends and stores it; the UI shows a button.
The link reads the week from the task's own return value (``{"week": ...}``).
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


def _week_of(ti_key: Any) -> str | None:
    try:
        value = ti_key.xcom_pull(task_ids=ti_key.task_id)
    except Exception:
        return None
    return value.get("week") if isinstance(value, dict) else None


class DraftLink(BaseOperatorLink):
    """The rendered draft of the run's week, before approval."""

    name = "Draft briefing"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        week = _week_of(ti_key)
        return f"{_base_url()}{ARCHIVE_PREFIX}/drafts/briefing-{week}.html" if week else ""


class PublishedLink(BaseOperatorLink):
    """The published briefing of the run's week."""

    name = "Published briefing"

    def get_link(self, operator: Any, *, ti_key: Any) -> str:
        week = _week_of(ti_key)
        return f"{_base_url()}{ARCHIVE_PREFIX}/weeks/briefing-{week}.html" if week else ""


class RenderOperator(PythonOperator):
    """A PythonOperator whose task links to the week's draft."""

    operator_extra_links = (DraftLink(),)


class PublishOperator(PythonOperator):
    """A PythonOperator whose task links to the week's published briefing."""

    operator_extra_links = (PublishedLink(),)
