"""A set-up check's record (``Check``: its status, what was found, the fix) and the report of many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "fail", "skip", "warn"]  # warn: works, but something a good deployment has is missing


@dataclass(frozen=True)
class Check:
    """One set-up step: whether it holds, what was found, and how to fix it when it does not."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def ok(name: str, detail: str) -> Check:
    return Check(name, "ok", detail)


def fail(name: str, detail: str, fix: str) -> Check:
    return Check(name, "fail", detail, fix)


def skip(name: str, detail: str) -> Check:
    return Check(name, "skip", detail)


def ready(checks: Sequence[Check]) -> bool:
    """True when no check failed: everything the deployment needs is there."""
    return not any(c.failed for c in checks)


def report(checks: Sequence[Check]) -> str:
    """The checks as the command prints them, each failure with its fix, and a summary line."""
    width = max((len(c.name) for c in checks), default=0)
    lines = []
    for c in checks:
        lines.append(f"{c.status.upper() if c.failed else c.status:<4}  {c.name:<{width}}  {c.detail}")
        if c.fix:
            lines.append(f"{'':<4}  {'':<{width}}  fix: {c.fix}")
    failed = sum(c.failed for c in checks)
    skipped = sum(c.status == "skip" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    verdict = "ready" if not failed else "not ready"
    warnings = f", {warned} with something missing" if warned else ""
    lines.append(
        f"{len(checks)} checks: {len(checks) - failed - skipped - warned} ok, {skipped} skipped, {failed} "
        f"failed{warnings}: {verdict}"
    )
    return "\n".join(lines)
