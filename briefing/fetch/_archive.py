"""Backfill from archive pages: the archive URLs of a past week from a source's date-templated ``archive_url``."""

from __future__ import annotations

import string
from datetime import date, timedelta

from ..errors import ConfigError
from ..week import Week, zone

__all__ = ["archive_pages"]

_DAY_FIELDS = {"date", "day"}
_MONTH_FIELDS = {"month"}
_FIELDS = {"date", "year", "month", "day", "week", "isoyear", "isoweek"}


def archive_pages(template: str, week: Week, tz: str = "UTC") -> list[str]:
    """The archive URLs of ``week`` from a date-templated ``archive_url``, in order, without repeats.

    Fields: ``{date}`` (a date: ``{date:%Y/%m/%d}``), ``{year}``, ``{month}``, ``{day}`` (numbers:
    ``{month:02d}``), ``{week}`` (``2026-W47``), ``{isoyear}``, ``{isoweek}``. A template with a day
    field gives one page per day of the week; with a month but no day, one per month the week touches;
    otherwise one page for the week. Raises ConfigError for an unknown field or a bad format.
    """
    zone(tz)
    try:
        used = {
            name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name is not None
        }
    except ValueError as e:
        raise ConfigError(f"archive_url {template!r}: {e}") from e
    unknown = used - _FIELDS
    if unknown:
        raise ConfigError(
            f"archive_url {template!r}: unknown field(s) {', '.join(sorted(unknown))} (known: "
            f"{', '.join(sorted(_FIELDS))})"
        )
    days = [week.monday + timedelta(days=i) for i in range(7)]
    if not used & _DAY_FIELDS:
        days = (
            days[:1]
            if not used & _MONTH_FIELDS
            else [d for i, d in enumerate(days) if i == 0 or d.month != days[i - 1].month]
        )
    pages: list[str] = []
    for day in days:
        page = _format_archive(template, day, week)
        if page not in pages:
            pages.append(page)
    return pages


def _format_archive(template: str, day: date, week: Week) -> str:
    try:
        return template.format(
            date=day,
            year=day.year,
            month=day.month,
            day=day.day,
            week=str(week),
            isoyear=week.year,
            isoweek=week.number,
        )
    except (ValueError, KeyError, IndexError, AttributeError) as e:
        raise ConfigError(f"archive_url {template!r}: {e}") from e
