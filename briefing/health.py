"""The health of the sources, from the fetch results the store keeps for every run.

``source_health(store)`` gives one ``SourceHealth`` per source: its latest status, HTTP code, error (or,
for a source that worked, what went wrong without failing it), stories seen and new, seconds taken, how
many runs in a row it has failed, and whether every item it returned was new. Two things are called out
(``callouts``): a source that has failed ``failing_runs`` runs in a row, and a source whose every item
was new although it had been read before (the feed rolls over faster than it is read: items were
probably missed). ``health_table`` prints the report for ``briefing sources check`` and the logs.

Readers of the briefing get plain words instead (``reader_note``): "unreachable", "refused our reader",
"its feed could not be read", never the exception text, an errno or a URL; the detail stays in the log
and the health command. ``health_rows`` makes an edition's appendix: each source shown, as a ``HealthRow``
holding its ``SourceHealth``, its stories of the week and those plain words. ``SourcesCheck`` is one
run's account of its sources: which worked, which failed, and whether the run is degraded (some failed)
or untrustworthy (fewer than half worked).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .records import FAILING_RUNS, HealthRow, Source, SourceHealth, SourceResult

__all__ = [
    "FAILING_RUNS",
    "MIN_OK_SHARE",
    "HealthStore",
    "SourceHealth",
    "SourcesCheck",
    "callouts",
    "failure_kind",
    "health_rows",
    "health_table",
    "reader_note",
    "source_health",
]


class HealthStore(Protocol):
    """What the report needs of the store (``briefing.store.Store`` has it)."""

    def latest_health(self) -> list[SourceResult]: ...

    def source_history(self, source: str, limit: int = 10) -> list[SourceResult]: ...


def source_health(
    store: HealthStore, sources: Sequence[str] | None = None, *, history: int = 20
) -> list[SourceHealth]:
    """The health of ``sources`` (default: every source with a recorded run), in the order given or by id."""
    ids = list(sources) if sources is not None else [r.source for r in store.latest_health()]
    return [_health(sid, store.source_history(sid, limit=history)) for sid in ids]


def health_rows(store: HealthStore, shown: Sequence[Source], per_source: Mapping[str, int]) -> tuple[HealthRow, ...]:
    """The source-health appendix of an edition: each of the ``shown`` sources with its stories this week
    (``per_source``), its health and the reader's words for its last fetch."""
    report = {h.source: h for h in source_health(store, [s.id for s in shown])}
    rows = []
    for source in shown:
        h, stories = report[source.id], per_source.get(source.id, 0)
        note = reader_note(
            h.status,
            http_status=h.http_status,
            error=h.error,
            failures_in_a_row=h.consecutive_failures,
            stories=stories,
        )
        rows.append(HealthRow(source=source, stories=stories, health=h, note=note))
    return tuple(rows)


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


#: a run fails loudly when fewer than this share of the sources it tried worked
MIN_OK_SHARE = 0.5

# What a failure was, read from the error the fetch recorded (its wording is ours: briefing.fetch
# and its client), first match wins; the words are for readers of the briefing.
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), words)
    for pattern, words in (
        (
            r"\bis down\b|connection failed|connection broke|timed out|cannot resolve|unreachable|time budget ran out",
            "unreachable",
        ),
        (r"disallowed by|RFC 9309", "does not allow automated reading"),
        (
            r"not an RSS or Atom feed|cannot parse|undecodable|no article text|not valid .* data",
            "its feed could not be read",
        ),
        (r"larger than|redirect", "its feed could not be read"),
    )
)


def failure_kind(error: str | None, http_status: int | None = None) -> str:
    """A failed fetch in plain words for readers, from its HTTP status and our own error message."""
    if http_status is not None and http_status >= 400:
        if http_status in (404, 410):
            return "its feed has moved or gone"
        if http_status in (401, 403, 451):
            return "refused our reader"
        if http_status == 429:
            return "asked us to slow down"
        if http_status >= 500:
            return "its server was failing"
    for pattern, words in _KINDS:
        if error and pattern.search(error):
            return words
    return "could not be read"


def reader_note(
    status: str,
    *,
    http_status: int | None = None,
    error: str | None = None,
    failures_in_a_row: int = 0,
    stories: int = 0,
) -> str:
    """A source's last fetch in plain words for the briefing's readers: no exception text, errno or URL."""
    if status == "ok":
        return "read normally"
    if status != "error":
        return "not read yet"
    words = failure_kind(error, http_status)
    if failures_in_a_row > 1:
        words += f" at the last {failures_in_a_row} reads"
    else:
        words += " at the last read"
    if stories:
        words += f"; the {stories} {'story' if stories == 1 else 'stories'} shown came from earlier reads this week"
    return words


@dataclass(frozen=True)
class SourcesCheck:
    """One run's sources: the ids that worked and the results that failed, in the order tried."""

    worked: tuple[str, ...]
    failed: tuple[SourceResult, ...]
    min_share: float = MIN_OK_SHARE

    @classmethod
    def of(cls, results: Sequence[SourceResult], min_share: float = MIN_OK_SHARE) -> SourcesCheck:
        return cls(
            worked=tuple(r.source for r in results if r.status == "ok"),
            failed=tuple(r for r in results if r.status != "ok"),
            min_share=min_share,
        )

    @property
    def tried(self) -> int:
        return len(self.worked) + len(self.failed)

    @property
    def share(self) -> float:
        """The share of the sources tried that worked, 0 to 1."""
        return len(self.worked) / self.tried if self.tried else 0.0

    @property
    def degraded(self) -> bool:
        """Some sources failed: the briefing goes on, and the run says so."""
        return bool(self.failed)

    @property
    def trustworthy(self) -> bool:
        """Enough sources worked for a briefing (at least one, and at least ``min_share`` of them)."""
        return bool(self.worked) and len(self.worked) >= self.min_share * self.tried

    def summary(self) -> str:
        """One line for the operator's log, with each failure's detail."""
        line = f"{len(self.worked)} of {self.tried} sources worked ({self.share:.0%})"
        if self.failed:
            line += "; failed: " + "; ".join(f"{r.source} ({_short(r.error or r.status, 160)})" for r in self.failed)
        return line

    def note(self) -> str:
        """A short note for the run (Markdown): the share that worked and the failed sources in plain words."""
        if not self.failed:
            return f"All {self.tried} sources worked."
        failed = ", ".join(f"`{r.source}` ({failure_kind(r.error, r.http_status)})" for r in self.failed)
        verdict = "Degraded" if self.trustworthy else "Failed"
        return f"**{verdict}**: {len(self.worked)} of {self.tried} sources worked ({self.share:.0%}). Failed: {failed}."
