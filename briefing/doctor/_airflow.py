"""Inside Airflow: its command line asked as an operator would (``AirflowCommand``), what it said
(``AirflowFacts``), and the checks of it: the metadata database, the plugin, the DAG file, the fetch pool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefingError, ConfigError
from ._check import Check, fail, ok
from ._smtp import DKIM_CONN, SMTP_CONN

#: the environment variable that names an Airflow pool for the DAG's fetch tasks (default: none, the default pool)
FETCH_POOL_ENV = "BRIEFING_FETCH_POOL"
#: how many fetch tasks run at once without a pool (``BRIEFING_FETCH_CONCURRENCY``)
FETCH_CONCURRENCY = 4
PLUGIN = "briefing"
DAG_FILE = "weekly_briefing.py"

POOL_FIX = 'airflow pools set {pool} 4 "concurrent source fetches of the weekly briefing"'


@dataclass(frozen=True)
class AirflowCommand:
    """Airflow's command line, run as an operator runs it (in this environment, so the same AIRFLOW_HOME)."""

    executable: str
    env: Mapping[str, str] | None = None
    timeout: float = 180.0

    @classmethod
    def find(cls, env: Mapping[str, str] | None = None) -> AirflowCommand | None:
        """The ``airflow`` next to this Python (the same install), else on PATH; None outside Airflow."""
        beside = Path(sys.executable).with_name("airflow")
        if beside.is_file() and os.access(beside, os.X_OK):
            return cls(str(beside), env)
        found = shutil.which("airflow")
        return cls(found, env) if found else None

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [self.executable, *args],
                env=None if self.env is None else dict(self.env),
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            return subprocess.CompletedProcess([self.executable, *args], 1, "", f"{type(e).__name__}: {e}")

    def json(self, *args: str) -> object:
        """The JSON that ``airflow ... -o json`` prints (log lines before it are skipped)."""
        out = self.run(*args)
        if out.returncode != 0:
            raise ConfigError(_last_line(out.stderr) or _last_line(out.stdout) or f"exit status {out.returncode}")
        text = out.stdout
        start = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
        if start < 0:
            raise ConfigError(f"no JSON in the output of airflow {' '.join(args)}")
        value, _ = json.JSONDecoder().raw_decode(text[start:])
        return value


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


@dataclass(frozen=True)
class AirflowFacts:
    """What Airflow's command line said, each as a value or the error it gave."""

    version: str | BriefingError
    migrated: str | BriefingError
    plugins: object | BriefingError
    dags_folder: str | BriefingError
    plugins_folder: str | BriefingError
    pool: object | BriefingError | None  # None: no pool named
    smtp: str | BriefingError  # the connection's URI
    variables: dict[str, str] | BriefingError
    dkim: bool | BriefingError = False  # whether the connection briefing_dkim is defined (its key is not read here)


def airflow_facts(airflow: AirflowCommand, pool: str | None) -> AirflowFacts:
    """Ask Airflow's command line everything at once (each command takes seconds to start)."""
    jobs: dict[str, Callable[[], object]] = {
        "version": lambda: _text(airflow, "version"),
        "migrated": lambda: _text(airflow, "db", "check-migrations", "--migration-wait-timeout", "1"),
        "plugins": lambda: airflow.json("plugins", "-o", "json"),
        "folders": lambda: _folders(airflow),
        "smtp": lambda: _smtp_uri(airflow),
        "variables": lambda: _variables(airflow),
        # an error when it is not defined
        "dkim": lambda: bool(airflow.json("connections", "get", DKIM_CONN, "-o", "json")),
    }
    if pool:
        jobs["pool"] = lambda: airflow.json("pools", "get", pool, "-o", "json")
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool_of_threads:
        futures = {name: pool_of_threads.submit(job) for name, job in jobs.items()}
    values = {name: _value(f) for name, f in futures.items()}
    config = values.pop("folders")
    for key in ("dags_folder", "plugins_folder"):
        values[key] = config[key] if isinstance(config, dict) else config
    return AirflowFacts(
        version=values["version"],  # type: ignore[arg-type]
        migrated=values["migrated"],  # type: ignore[arg-type]
        plugins=values["plugins"],
        dags_folder=values["dags_folder"],  # type: ignore[arg-type]
        plugins_folder=values["plugins_folder"],  # type: ignore[arg-type]
        pool=values.get("pool"),
        smtp=values["smtp"],  # type: ignore[arg-type]
        variables=values["variables"],  # type: ignore[arg-type]
        dkim=values["dkim"],  # type: ignore[arg-type]
    )


def _text(airflow: AirflowCommand, *args: str) -> str:
    """The last line ``airflow ARGS`` prints; its error as a ConfigError."""
    out = airflow.run(*args)
    if out.returncode != 0:
        raise ConfigError(
            _last_line(out.stderr)
            or _last_line(out.stdout)
            or f"airflow {' '.join(args)}: exit status {out.returncode}"
        )
    return _last_line(out.stdout)


def _smtp_uri(airflow: AirflowCommand) -> str:
    """The URI of the connection smtp_default."""
    rows = airflow.json("connections", "get", SMTP_CONN, "-o", "json")
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        raise ConfigError(f"the connection {SMTP_CONN} is not defined")
    return str(rows[0].get("get_uri") or "")


def _variables(airflow: AirflowCommand) -> dict[str, str]:
    """Airflow's Variables, as ``airflow variables export`` writes them."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "variables.json"
        out = airflow.run("variables", "export", str(path))
        if out.returncode != 0:
            raise ConfigError(_last_line(out.stderr) or "airflow variables export failed")
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _folders(airflow: AirflowCommand) -> dict[str, str]:
    """The ``[core]`` settings, among them ``dags_folder`` and ``plugins_folder``."""
    out = airflow.run("config", "list", "--section", "core", "--show-values", "--hide-sensitive", "--color", "off")
    if out.returncode != 0:
        raise ConfigError(_last_line(out.stderr) or "airflow config list failed")
    values = dict(line.split(" = ", 1) for line in out.stdout.splitlines() if " = " in line)
    missing = [k for k in ("dags_folder", "plugins_folder") if not values.get(k)]
    if missing:
        raise ConfigError(f"airflow config list names no {' or '.join(missing)}")
    return values


def _value(future: Future[object]) -> object:
    try:
        return future.result()
    except BriefingError as e:
        return e
    except (ValueError, OSError) as e:  # unreadable JSON or a file that went away
        return ConfigError(f"{type(e).__name__}: {e}")


def airflow_checks(facts: AirflowFacts, pool: str | None, concurrency: str) -> list[Check]:
    """Airflow's side: the command runs, its database is migrated, the plugin and the DAG file are where it
    looks, and the fetch pool."""
    if isinstance(facts.version, BriefingError):
        return [
            fail(
                "airflow",
                f"the airflow command does not run: {facts.version}",
                "reinstall Airflow, or run the doctor where Airflow runs (its AIRFLOW_HOME and settings)",
            )
        ]
    if isinstance(facts.migrated, BriefingError):
        database = fail(
            "airflow",
            f"Airflow {facts.version}: its metadata database is not ready: {facts.migrated}",
            "airflow db migrate",
        )
    else:
        database = ok("airflow", f"Airflow {facts.version}: metadata database migrated")
    return [database, _plugin_check(facts), _dag_check(facts), check_pool(pool, facts.pool, concurrency)]


def _plugin_check(facts: AirflowFacts) -> Check:
    """The plugin ``briefing`` registered, with its week timetable."""
    folder = facts.plugins_folder if isinstance(facts.plugins_folder, str) else "the plugins folder"
    plugin_fix = (
        f"copy plugins/*.py of briefing's source into {folder} (AIRFLOW__CORE__PLUGINS_FOLDER), "
        "then restart the Airflow components"
    )
    if isinstance(facts.plugins, BriefingError):
        return fail("plugins", f"airflow plugins failed: {facts.plugins}", plugin_fix)
    found = (
        [p for p in facts.plugins if isinstance(p, dict) and p.get("name") == PLUGIN]
        if isinstance(facts.plugins, list)
        else []
    )
    if not found:
        return fail("plugins", f"the plugin {PLUGIN!r} is not registered", plugin_fix)
    if not any("BriefingWeekTimetable" in str(t) for t in found[0].get("timetables") or []):
        return fail("plugins", f"the plugin {PLUGIN!r} has no BriefingWeekTimetable", plugin_fix)
    return ok(
        "plugins",
        f"{PLUGIN!r} registered from {found[0].get('source', folder)}: the week timetable, the run links, "
        "the archive app",
    )


def _dag_check(facts: AirflowFacts) -> Check:
    """The DAG file in Airflow's DAGs folder."""
    if isinstance(facts.dags_folder, BriefingError):
        return fail(
            "dag", f"cannot read Airflow's DAGs folder: {facts.dags_folder}", "check AIRFLOW_HOME and airflow.cfg"
        )
    dags = Path(facts.dags_folder)
    found_dag = next(iter(sorted(dags.rglob(DAG_FILE))), None) if dags.is_dir() else None
    if found_dag is None:
        return fail(
            "dag",
            f"no {DAG_FILE} in the DAGs folder {dags}",
            f"copy dags/{DAG_FILE} of briefing's source into {dags} (AIRFLOW__CORE__DAGS_FOLDER)",
        )
    return ok("dag", f"{found_dag}")


def check_pool(pool: str | None, found: object | BriefingError | None, concurrency: str) -> Check:
    """The fetch tasks' pool: none to set up unless ``BRIEFING_FETCH_POOL`` names one, which must exist
    (``found``: what ``airflow pools get`` said of it)."""
    if pool is None:
        return ok(
            "pool",
            f"{FETCH_POOL_ENV} names no pool: fetches run in default_pool, at most {concurrency} at once "
            "(BRIEFING_FETCH_CONCURRENCY)",
        )
    if isinstance(found, BriefingError) or found is None:
        return fail(
            "pool",
            f"{FETCH_POOL_ENV}={pool}, but that pool does not exist ({found}): every weekly run would fail at its "
            "start",
            POOL_FIX.format(pool=pool) + f", or unset {FETCH_POOL_ENV}",
        )
    rows = found if isinstance(found, list) else []
    slots = rows[0].get("slots", "?") if rows and isinstance(rows[0], dict) else "?"
    return ok("pool", f"{pool}: {slots} slots")
