"""Under ``CI=true``, a test skipped for want of PostgreSQL, Redis or Chromium fails the run.

Locally such a test is skipped with its reason (the service is not there); in CI it must run, so a
skip whose reason names one of these services is reported as a failure that says so. The conftest
imports this hook; ``tests/test_ci.py`` loads it with ``-p tests.ci_services`` around a test of its own.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

#: the services CI provides (.ci/run starts them); a skip naming one of them fails under CI=true
SERVICES = ("PostgreSQL", "Redis", "Chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and in_ci():
        reason = skip_reason(report)
        missing = [s for s in SERVICES if s in reason]
        if missing:
            report.outcome = "failed"
            report.longrepr = (
                f"CI=true, but this test was skipped for want of {', '.join(missing)}: {reason}. "
                "In CI it must run (.ci/run starts the services)."
            )
    return report
