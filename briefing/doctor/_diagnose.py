"""All of it: ``diagnose`` runs every check of the deployment the settings describe."""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..errors import BriefingError, ConfigError
from ..settings import ENV_NAMES, Settings
from ._airflow import FETCH_CONCURRENCY, FETCH_POOL_ENV, AirflowCommand, AirflowFacts, airflow_checks, airflow_facts
from ._check import Check, fail, skip
from ._fonts import check_fonts, check_pango
from ._llm import check_llm
from ._python import check_articles, check_packages, check_python
from ._settings import check_archive, check_sources, check_store, check_subscribers, store_has_subscribers
from ._smtp import SMTP_CONN, SMTP_CONN_FIX, SmtpTarget, check_delivery, check_smtp


def diagnose(
    env: Mapping[str, str] | None = None,
    *,
    sources: str | None = None,
    db_url: str | None = None,
    archive: str | None = None,
    subscribers: str | None = None,
    smtp: str | None = None,
    airflow: AirflowCommand | None = None,
) -> list[Check]:
    """Every check of the deployment the settings describe (``env`` and the explicit arguments, as
    ``Settings.load``); with ``airflow``, also Airflow's side, and its Variables override the settings."""
    e = dict(os.environ if env is None else env)
    checks = [check_python(), check_packages(("airflow",) if airflow else ())]
    pool = e.get(FETCH_POOL_ENV) or None
    facts = airflow_facts(airflow, pool) if airflow else None
    if facts is not None and isinstance(facts.variables, dict):
        for name in ENV_NAMES:  # as the DAG reads them: a Variable of the lower-case name wins
            value = e.get(f"AIRFLOW_VAR_{name}") or facts.variables.get(name.lower())
            if value:
                e[name] = value
    settings = Settings.load(e, sources=sources, db_url=db_url, archive=archive, subscribers=subscribers)
    checks += [
        check_articles(),
        check_fonts(),
        check_pango(),
        check_sources(settings),
        check_store(settings),
        check_archive(settings),
        check_subscribers(settings),
        check_llm(e),
    ]
    alerts = bool(airflow and e.get("BRIEFING_ALERT_EMAIL"))
    checks += _email_checks(settings, smtp, facts, alerts=alerts)
    concurrency = e.get("BRIEFING_FETCH_CONCURRENCY") or str(FETCH_CONCURRENCY)
    return checks + _airflow_side(facts, pool, concurrency)


def _email_checks(settings: Settings, smtp: str | None, facts: AirflowFacts | None, *, alerts: bool) -> list[Check]:
    """The SMTP server (needed with subscribers or alerts), and what a bulk sender needs."""
    try:
        target = _smtp_target(smtp, facts)
    except (BriefingError, ValueError) as err:
        fix = SMTP_CONN_FIX if not smtp else "give --smtp as smtp://[user:pass@]host:port (smtps:// for TLS)"
        server = fail("smtp", str(err), fix)
    else:
        server = check_smtp(target, bool(settings.subscribers) or alerts)
    dkim_connection = facts is not None and facts.dkim is True
    needed = bool(settings.subscribers) or store_has_subscribers(settings)
    return [server, check_delivery(settings, needed, dkim_connection)]


def _airflow_side(facts: AirflowFacts | None, pool: str | None, concurrency: str) -> list[Check]:
    """Airflow's checks, with its Variables; a skip outside Airflow."""
    if facts is None:
        return [
            skip(
                "airflow",
                "not inside Airflow (no airflow command here): the pool, smtp_default and the plugins are not checked",
            )
        ]
    checks = []
    if isinstance(facts.variables, BriefingError) and not isinstance(facts.version, BriefingError):
        checks.append(
            fail(
                "variables",
                f"cannot read Airflow's Variables: {facts.variables}",
                "check that the metadata database is reachable (airflow db check)",
            )
        )
    return checks + airflow_checks(facts, pool, concurrency)


def _smtp_target(smtp: str | None, facts: AirflowFacts | None) -> SmtpTarget | None:
    """The server to greet: ``--smtp``, else Airflow's smtp_default; None when there is neither."""
    if smtp:
        return SmtpTarget.from_url(smtp)
    if facts is None or isinstance(facts.smtp, BriefingError):
        return None  # not in Airflow, or no smtp_default: check_smtp says whether email needs one
    try:
        return SmtpTarget.from_airflow_uri(facts.smtp)
    except (BriefingError, ValueError) as e:
        raise ConfigError(f"the connection {SMTP_CONN} cannot be read: {e}") from e
