"""The briefing week: an ISO week in the briefing's timezone.

A briefing covers Monday 00:00 to the next Monday 00:00 in the configured timezone and is named
``YYYY-Www`` from the ISO calendar (SPEC, "The briefing week"). Inside the code every datetime is
timezone-aware UTC; the timezone is used only here, at the edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError

__all__ = [
    "EARLIEST_YEAR",
    "Bounds",
    "Week",
    "latest_complete_week",
    "parse_week",
    "week_of",
    "week_of_run",
    "zone",
]

_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
#: no date before this year is believed (a feed that says 1970 or year 1 says nothing, ``briefing.fetch``
#: reads it as no date), so no week before it is built
EARLIEST_YEAR = 1990
#: the years a week may fall in: a year either side stays within what ``datetime`` can count
MIN_YEAR, MAX_YEAR = 2, 9998


class Bounds(NamedTuple):
    """A half-open UTC interval [start, end): a week's (``Week.bounds``).

    A named tuple, not a dataclass: ``store.stories_between(*week.bounds(tz))`` reads as the interval it is."""

    start: datetime
    end: datetime


def zone(name: str) -> ZoneInfo:
    """Return the timezone called ``name`` or raise ConfigError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ConfigError(f"unknown timezone {name!r} (expected an IANA name such as Asia/Shanghai)") from e


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, e.g. ``Week(2026, 47)``, named ``2026-W47``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ConfigError(
                f"week {self.year:04d}-W{self.number:02d} is out of range: the year must be from {MIN_YEAR} to "
                f"{MAX_YEAR}"
            )
        last = date(self.year, 12, 28).isocalendar().week  # 28 December is always in the last week
        if not 1 <= self.number <= last:
            raise ConfigError(
                f"week {self.year}-W{self.number:02d} does not exist: {self.year} has ISO weeks 1 to {last}"
            )

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def bounds(self, tz: str) -> Bounds:
        """The week as a half-open UTC interval [start, end) of Monday 00:00 in ``tz``."""
        z = zone(tz)
        start = datetime.combine(self.monday, datetime.min.time(), tzinfo=z)
        end = datetime.combine(self.monday + timedelta(days=7), datetime.min.time(), tzinfo=z)
        return Bounds(start.astimezone(UTC), end.astimezone(UTC))

    def previous(self, n: int = 1) -> Week:
        return week_of_date(self.monday - timedelta(weeks=n))

    def next(self) -> Week:
        return week_of_date(self.monday + timedelta(weeks=1))


def week_of_date(d: date) -> Week:
    iso = d.isocalendar()
    return Week(iso.year, iso.week)


def parse_week(text: str) -> Week:
    """Parse ``2026-W47``; raise ConfigError naming the bad value.

    A week before ``EARLIEST_YEAR`` is refused: no story is dated before it.
    """
    m = _WEEK_RE.fullmatch(text.strip())
    if not m:
        raise ConfigError(f"week {text[:40]!r} is not an ISO week such as 2026-W47")
    year = int(m.group(1))
    if year < EARLIEST_YEAR:
        raise ConfigError(f"week {text.strip()} is before {EARLIEST_YEAR}: briefing keeps no story dated earlier")
    return Week(year, int(m.group(2)))


def week_of(moment: datetime, tz: str) -> Week:
    """The briefing week holding ``moment`` (an aware datetime) in timezone ``tz``."""
    if moment.tzinfo is None:
        raise ValueError("week_of needs an aware datetime")
    return week_of_date(moment.astimezone(zone(tz)).date())


def latest_complete_week(moment: datetime, tz: str) -> Week:
    """The last week that has fully ended at ``moment``."""
    return week_of(moment, tz).previous()


def week_of_run(param: str | None, interval_start: datetime | None, run_after: datetime, tz: str) -> Week:
    """The week a run builds: the ``week`` it was given, else its data interval's, else the last complete
    week at ``run_after`` (a run without a data interval); never the clock's."""
    if param:
        return parse_week(param)
    if interval_start is not None:
        return week_of(interval_start, tz)
    return latest_complete_week(run_after, tz)
