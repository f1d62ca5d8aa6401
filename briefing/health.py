"""The health of the sources, from the fetch results the store keeps for every run.

``source_health(store)`` gives one ``SourceHealth`` per source: its latest status, HTTP code, error (or,
for a source that worked, what went wrong without failing it), stories seen and new, seconds taken, how
many runs in a row it has failed, and whether every item it returned was new. Two things are called out
(``callouts``): a source that has failed ``failing_runs`` runs in a row, and a source whose every item
was new although it had been read before (the feed rolls over faster than it is read: items were
probably missed). ``health_table`` prints the report for ``briefing sources check`` and the logs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .records import SourceResult

__all__ = ["FAILING_RUNS", "HealthStore", "SourceHealth", "callouts", "health_table", "source_health"]

#: A source that has failed this many runs in a row is called out.
FAILING_RUNS = 3


class HealthStore(Protocol):
    """What the report needs of the store (``briefing.store.Store`` has it)."""

    def latest_health(self) -> list[SourceResult]: ...

    def source_history(self, source: str, limit: int = 10) -> list[SourceResult]: ...


@dataclass(frozen=True)
class SourceHealth:
    """One source's health: its latest fetch and what its recent history says."""

    source: str
    #: "ok" or "error" as in the latest run; "never" for a source with no recorded run
    status: str
    http_status: int | None = None
    #: the latest run's error
    error: str | None = None
    #: for a run that worked, what went wrong without failing it
    warnings: tuple[str, ...] = ()
    stories: int = 0
    new: int = 0
    seconds: float = 0.0
    #: failed runs in a row, up to the latest
    consecutive_failures: int = 0
    #: the latest run worked and every item it saw was new, though the source had been read before
    every_item_new: bool = False
    #: runs looked at
    runs: int = 0

    @property
    def warning(self) -> str | None:
        return "; ".join(self.warnings) if self.status == "ok" and self.warnings else None

    def callouts(self, failing_runs: int = FAILING_RUNS) -> tuple[str, ...]:
        found = []
        if self.consecutive_failures >= failing_runs:
            found.append(f"{self.source}: failed {self.consecutive_failures} runs in a row (last: {self.error})")
        if self.every_item_new:
            found.append(
                f"{self.source}: all {self.stories} items of the last run were new: it may publish faster than it is read, so items were probably missed"
            )
        return tuple(found)


def source_health(
    store: HealthStore, sources: Sequence[str] | None = None, *, history: int = 20
) -> list[SourceHealth]:
    """The health of ``sources`` (default: every source with a recorded run), in the order given or by id."""
    ids = list(sources) if sources is not None else [r.source for r in store.latest_health()]
    return [_health(sid, store.source_history(sid, limit=history)) for sid in ids]


def _health(source: str, runs: list[SourceResult]) -> SourceHealth:
    """``runs`` newest first."""
    if not runs:
        return SourceHealth(source=source, status="never")
    latest = runs[0]
    failures = 0
    for r in runs:
        if r.status == "ok":
            break
        failures += 1
    read_before = any(r.status == "ok" for r in runs[1:])
    return SourceHealth(
        source=source,
        status=latest.status,
        http_status=latest.http_status,
        error=latest.error,
        warnings=latest.warnings,
        stories=latest.stories,
        new=latest.new,
        seconds=latest.seconds,
        consecutive_failures=failures,
        every_item_new=latest.status == "ok" and latest.stories > 0 and latest.new >= latest.stories and read_before,
        runs=len(runs),
    )


def callouts(rows: Sequence[SourceHealth], failing_runs: int = FAILING_RUNS) -> list[str]:
    """Every source that needs an operator's eye, one line each."""
    return [line for row in rows for line in row.callouts(failing_runs)]


def health_table(rows: Sequence[SourceHealth], failing_runs: int = FAILING_RUNS) -> str:
    """A plain-text table of ``rows``, with the callouts under it."""
    header = ("source", "status", "http", "seen", "new", "seconds", "fails", "note")
    lines = [
        (
            r.source,
            r.status,
            str(r.http_status or "-"),
            str(r.stories),
            str(r.new),
            f"{r.seconds:.1f}",
            str(r.consecutive_failures),
            _short(r.error or r.warning or ("every item new" if r.every_item_new else "")),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *lines]]
    notes = callouts(rows, failing_runs)
    if notes:
        out += ["", "Needs attention:", *(f"  - {n}" for n in notes)]
    return "\n".join(out)


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
