"""Is this deployment ready to build a briefing? ``briefing doctor`` checks every set-up step.

``diagnose`` runs one check per step of "Set up" (docs/operations.md) and returns a ``Check`` for each: its
status (``ok``, ``fail``, or ``skip`` where the step does not apply, such as email without
subscribers), what it found, and, for a failure, the fix. A deployment is ready when no check failed
(``ready``). Nothing is changed and no email is sent: the store is read, not created or migrated; the
archive gets a probe file that is removed at once; the SMTP server is greeted and left.

The steps: Python and the installed packages (each of briefing's requirements at a version in its
range, and article pages readable, which needs ``lxml_html_clean``); a font that covers Chinese, one for
CJK Extension B, and Pango (a small PDF with Chinese is rendered); the settings (source config valid,
timezone known, store reachable with its schema version, archive writable, subscribers file valid);
the SMTP server reachable; what a mail provider wants of a bulk sender (``check_delivery``: a sender on
a real domain, one-click unsubscribe, DKIM, a link to the web edition), a ``warn`` naming each missing
piece. Inside Airflow, also: the metadata database migrated, the plugin registered,
the DAG file in the DAGs folder, the fetch pool (only when ``BRIEFING_FETCH_POOL`` names one), the
connection ``smtp_default``, and the Variables that override the settings.

briefing knows nothing of Airflow's code: inside a deployment (the ``airflow`` command next to this
Python, or on ``PATH``) the doctor asks the ``airflow`` command line, as an operator would, through
``AirflowCommand``.

The checks live in private modules named for what they check: ``_python`` (Python and the packages),
``_fonts`` (fonts and Pango), ``_settings`` (source config, store, archive, subscribers), ``_smtp`` (the SMTP
server and what a bulk sender needs), ``_llm`` (the language model), ``_airflow`` (Airflow's side);
``_check`` holds the ``Check`` record and the report, ``_diagnose`` runs them all.
"""

from __future__ import annotations

from importlib import metadata as metadata  # the tests stand in for a package left out: doctor.metadata.version

from ._airflow import (
    FETCH_CONCURRENCY,
    FETCH_POOL_ENV,
    AirflowCommand,
    AirflowFacts,
    airflow_checks,
    airflow_facts,
    check_pool,
)
from ._check import Check, Status, fail, ok, ready, report, skip
from ._diagnose import diagnose
from ._fonts import check_fonts, check_pango
from ._llm import check_llm
from ._python import check_articles, check_packages, check_python
from ._settings import check_archive, check_sources, check_store, check_subscribers
from ._smtp import MIN_SECRET, SmtpTarget, check_delivery, check_smtp, probe_smtp

__all__ = [
    "FETCH_CONCURRENCY",
    "FETCH_POOL_ENV",
    "MIN_SECRET",
    "AirflowCommand",
    "AirflowFacts",
    "Check",
    "SmtpTarget",
    "Status",
    "airflow_checks",
    "airflow_facts",
    "check_archive",
    "check_articles",
    "check_delivery",
    "check_fonts",
    "check_llm",
    "check_packages",
    "check_pango",
    "check_pool",
    "check_python",
    "check_smtp",
    "check_sources",
    "check_store",
    "check_subscribers",
    "diagnose",
    "fail",
    "ok",
    "probe_smtp",
    "ready",
    "report",
    "skip",
]
