"""CI cannot pass without testing what it claims.

Under ``CI=true`` a test skipped because PostgreSQL, Redis or Chromium is missing fails the run, while
other skips stay skips; without CI the same test is skipped with its reason. ``.ci/run`` starts the
PostgreSQL cluster that listens on 5432 whichever versions are installed, fails when a service cannot
start, and only then runs ``make test`` with ``CI=true``. The services themselves are shared by the
machine, so the script runs here against stand-ins for the PostgreSQL and Redis commands it calls.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_TESTS = '''
import pytest

def test_needs_postgres():
    pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (start it: pg_ctlcluster <version> main start)")

def test_needs_chromium():
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")

def test_one_core():
    pytest.skip("this machine gives the process one core, so nothing runs in parallel")

def test_works():
    assert True
'''


def _pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_services.py").write_text(_TESTS, encoding="utf-8")
    env = (
        {k: v for k, v in os.environ.items() if k != "CI"}
        | {"PYTHONPATH": str(ROOT)}
        | ({"CI": ci} if ci is not None else {})
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.ci_services",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rfs",
            "-p",
            "no:xdist",
            str(tmp_path / "test_services.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_under_ci_a_skip_for_want_of_a_service_fails_the_run(tmp_path: Path) -> None:
    out = _pytest(tmp_path, "true")
    assert out.returncode == 1, out.stdout
    assert "2 failed, 1 passed, 1 skipped" in out.stdout
    assert "CI=true, but this test was skipped for want of PostgreSQL" in out.stdout
    assert "for want of Chromium" in out.stdout and "SKIPPED" in out.stdout and "one core" in out.stdout


def test_without_ci_the_same_tests_are_skipped(tmp_path: Path) -> None:
    out = _pytest(tmp_path, None)
    assert out.returncode == 0, out.stdout
    assert "1 passed, 3 skipped" in out.stdout


# --- .ci/run ----------------------------------------------------------------------------------

_TOOL = """#!/usr/bin/env bash
# a stand-in: records its call, answers from the state directory
echo "$(basename "$0") $*" >> "$STATE/calls"
case "$(basename "$0")" in
  pg_isready) test -e "$STATE/pg-up" ;;
  pg_lsclusters) printf '13  main    5433 down   postgres /var/lib/postgresql/13/main \
/var/log/postgresql/postgresql-13-main.log\\n15  main    5432 down   postgres /var/lib/postgresql/15/main \
/var/log/postgresql/postgresql-15-main.log\\n' ;;
  pg_ctlcluster) test -e "$STATE/pg-broken" && { echo "could not start server" >&2; exit 1; }; touch "$STATE/pg-up" ;;
  redis-cli) test -e "$STATE/redis-up" && echo PONG ;;
  redis-server) test -e "$STATE/redis-broken" && exit 1; touch "$STATE/redis-up" ;;
  make) echo "CI=$CI" >> "$STATE/calls" ;;
esac
"""


def _ci_run(tmp_path: Path, *state: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    tools, states = tmp_path / "bin", tmp_path / "state"
    tools.mkdir()
    states.mkdir()
    for name in ("pg_isready", "pg_lsclusters", "pg_ctlcluster", "redis-cli", "redis-server", "make"):
        (tools / name).write_text(_TOOL, encoding="utf-8")
        (tools / name).chmod(stat.S_IRWXU)
    for name in state:
        (states / name).touch()
    env = {"PATH": f"{tools}:/usr/bin:/bin", "STATE": str(states), "CI_WAIT_SECONDS": "2"}
    out = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    calls = (states / "calls").read_text().splitlines() if (states / "calls").exists() else []
    return out, calls


def test_ci_starts_the_postgresql_on_5432_among_several_versions_then_tests_with_ci_true(tmp_path: Path) -> None:
    out, calls = _ci_run(tmp_path)
    assert out.returncode == 0, out.stderr
    assert "pg_ctlcluster --skip-systemctl-redirect 15 main start" in calls
    assert not any(c.startswith("pg_ctlcluster") and " 13 " in c for c in calls)
    assert any(c.startswith("redis-server --daemonize yes") for c in calls)
    assert calls[-4:] == ["make test", "CI=true", "make test-integration", "CI=true"]


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        pytest.param("pg-broken", "could not start PostgreSQL 15 main", id="postgresql"),
        pytest.param("redis-broken", "could not start Redis", id="redis"),
    ],
)
def test_ci_fails_when_a_service_cannot_start(tmp_path: Path, broken: str, says: str) -> None:
    out, calls = _ci_run(tmp_path, broken, *(["pg-up"] if broken == "redis-broken" else []))
    assert out.returncode != 0
    assert says in out.stderr
    assert not any(c.startswith("make") for c in calls)  # no test run that would only skip
