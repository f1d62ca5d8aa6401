"""The outlets read (the source config), what fetching one did, and its health over the runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._stories import Lang

__all__ = [
    "FAILING_RUNS",
    "HealthRow",
    "Selectors",
    "Source",
    "SourceConfig",
    "SourceHealth",
    "SourceKind",
    "SourceResult",
    "Validators",
]


SourceKind = Literal["feed", "html"]


@dataclass(frozen=True)
class Selectors:
    """CSS selectors for an ``html`` listing source."""

    link: str
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Source:
    """One outlet of the source config (SPEC, "Source config")."""

    id: str
    name: str
    kind: SourceKind
    url: str
    lang: Lang
    weight: float = 1.0
    fetch_articles: bool = False
    archive_url: str | None = None
    selectors: Selectors | None = None
    #: loopback (True) or loopback and these networks (CIDR strings) besides public addresses: http.AllowPrivate
    allow_private: bool | tuple[str, ...] = False
    rate_limit: float | None = None
    enabled: bool = True


@dataclass(frozen=True)
class SourceConfig:
    """A loaded source config file."""

    path: str
    timezone: str
    sources: tuple[Source, ...]

    def get(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(source_id)

    @property
    def enabled(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.enabled)


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified last seen for a URL (None: not given)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class SourceResult:
    """What fetching one source did; a failure is a value, not an exception."""

    source: str
    status: Literal["ok", "error"]
    stories: int = 0
    new: int = 0
    error: str | None = None
    http_status: int | None = None
    seconds: float = 0.0
    skipped: int = 0
    #: what went wrong without failing the source (a malformed feed recovered, links refused, articles unread)
    warnings: tuple[str, ...] = ()


#: A source that has failed this many runs in a row is called out (``SourceHealth.callouts``).
FAILING_RUNS = 3


@dataclass(frozen=True)
class SourceHealth:
    """One source's health (``briefing.health``): its latest fetch and what its recent history says."""

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
                f"{self.source}: all {self.stories} items of the last run were new: it may publish faster than it "
                "is read, so items were probably missed"
            )
        return tuple(found)


@dataclass(frozen=True)
class HealthRow:
    """One source's line in the source-health appendix: the source, its stories this week, and its health
    as the operators' report has it (``briefing.health.health_rows``), with the reader's words for it."""

    source: Source
    stories: int  # stories of this week from the source
    health: SourceHealth
    note: str = ""  # the last fetch in plain words for readers (``briefing.health.reader_note``)

    @property
    def status(self) -> str:
        """ok | error | never fetched"""
        return "never fetched" if self.health.status == "never" else self.health.status
