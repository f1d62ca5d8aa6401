"""docker-compose.yaml and the Dockerfile: Docker does not run here, so check what can be checked.

The file parses; it has the services of Airflow's official 3.x compose file plus a mail catcher; its
settings agree with the code (the settings' names, the executor, the drivers, the pool the DAG uses,
the SMTP connection the DAG sends through); its init job ends with ``briefing doctor``; and the image
is built on the Airflow version we pin. tests/test_install.py runs the image's pip step.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.enrich.endpoint import ENV_NAMES as LLM_ENV_NAMES
from briefing.settings import ENV_NAMES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _env(compose: dict[str, Any]) -> dict[str, str]:
    return compose["x-airflow-common"]["environment"]  # type: ignore[no-any-return]


def test_it_has_the_services_of_airflows_compose_and_a_mail_catcher(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "mailpit",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-worker",
        "airflow-triggerer",
        "airflow-init",
    }
    commands = {name: svc.get("command") for name, svc in compose["services"].items()}
    assert commands["airflow-apiserver"] == "api-server" and commands["airflow-worker"] == "celery worker"
    assert commands["airflow-dag-processor"] == "dag-processor" and commands["airflow-scheduler"] == "scheduler"
    for name in (
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-worker",
        "airflow-triggerer",
    ):
        assert compose["services"][name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        assert "healthcheck" in compose["services"][name]


def test_settings_agree_with_the_code(compose: dict[str, Any]) -> None:
    env = _env(compose)
    briefing = {k for k in env if k.startswith("BRIEFING_")}
    assert (
        set(ENV_NAMES)
        <= briefing
        <= set(ENV_NAMES) | {"BRIEFING_ALERT_EMAIL", "BRIEFING_FETCH_POOL"} | set(LLM_ENV_NAMES)
    )
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "BRIEFING_DB_URL"):
        assert env[key].startswith("postgresql+psycopg2://") and "@postgres/" in env[key]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith(
        "db+postgresql+psycopg2://"
    )  # SQLAlchemy 2.1 maps bare postgresql:// to psycopg 3
    assert (
        env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
        and "@redis:6379" in env["AIRFLOW__CELERY__BROKER_URL"]
    )
    mounts = {m.split(":")[1]: m.split(":")[0] for m in compose["x-airflow-common"]["volumes"]}
    assert mounts["/opt/airflow/dags"] == "./dags" and mounts["/opt/airflow/plugins"] == "./plugins"
    for key in ("BRIEFING_SOURCES", "BRIEFING_ARCHIVE", "BRIEFING_SUBSCRIBERS"):
        assert any(env[key].startswith(inside) for inside in mounts), f"{key}={env[key]} is not on a mounted volume"
    assert (ROOT / mounts["/opt/airflow/config"] / Path(env["BRIEFING_SOURCES"]).name).exists()


def test_email_goes_to_the_mail_catcher_through_smtp_default(compose: dict[str, Any]) -> None:
    conn = json.loads(_env(compose)["AIRFLOW_CONN_SMTP_DEFAULT"])
    assert conn["conn_type"] == "smtp" and conn["host"] == "mailpit"
    assert str(conn["port"]) in [str(p) for p in compose["services"]["mailpit"]["expose"]]
    # the DAG's email step sends through the deployment's smtp_default (plugins/briefing_deployment.py)
    assert 'SmtpHook(smtp_conn_id="smtp_default")' in (ROOT / "plugins" / "briefing_deployment.py").read_text(
        encoding="utf-8"
    )


def test_init_makes_the_database_any_named_pool_and_ends_with_the_doctor(compose: dict[str, Any]) -> None:
    init = compose["services"]["airflow-init"]
    script = init["command"][1]
    store_db = _env(compose)["BRIEFING_DB_URL"].rsplit("/", 1)[1]
    assert f"CREATE DATABASE {store_db}" in script
    assert (
        _env(compose)["BRIEFING_FETCH_POOL"] == "${BRIEFING_FETCH_POOL:-}"
    )  # by default none: the DAG uses the default pool
    assert 'airflow pools set "$$BRIEFING_FETCH_POOL" 4' in script  # a pool the operator names is made
    steps = [line.strip() for line in script.splitlines()]
    assert steps.index("airflow db migrate") < next(i for i, s in enumerate(steps) if s.startswith("briefing doctor"))
    assert init["depends_on"]["mailpit"]["condition"] == "service_started"  # the doctor greets smtp_default's server


def test_the_image_is_built_on_the_pinned_airflow_with_a_cjk_font() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = next(
        d for d in pyproject["project"]["optional-dependencies"]["airflow"] if d.startswith("apache-airflow==")
    )
    assert f"FROM apache/airflow:{pinned.split('==')[1]}" in dockerfile
    assert "fonts-noto-cjk" in dockerfile and "libpango" in dockerfile
    for path in re.findall(r"^COPY --chown=\S+ (.+) /opt/briefing/", dockerfile, re.M):
        for part in path.split():
            assert (ROOT / part).exists(), part
    assert (
        "/opt/briefing[airflow,postgres]" in dockerfile and "--constraint /opt/briefing/constraints.txt" in dockerfile
    )
    assert "libharfbuzz-subset0" in dockerfile
