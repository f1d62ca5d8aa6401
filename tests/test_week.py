"""The briefing week (briefing.week): parsing ``YYYY-Www``, UTC bounds in the briefing's timezone, ISO
week 53 and year ends, the week of a moment and the latest complete week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from briefing.errors import ConfigError
from briefing.week import Week, latest_complete_week, parse_week, week_of, week_of_run

UTC = UTC
SHANGHAI = "Asia/Shanghai"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]




# -- parse_week -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2026-W47", Week(2026, 47), id="plain"),
        pytest.param("2026-W01", Week(2026, 1), id="first-week"),
        pytest.param("2026-W53", Week(2026, 53), id="week-53-in-a-53-week-year"),
        pytest.param("2020-W53", Week(2020, 53), id="week-53-of-2020"),
        pytest.param("  2026-W47\n", Week(2026, 47), id="surrounding-whitespace"),
    ],
)
def test_parse_week_accepts(text: str, expected: Week) -> None:
    assert parse_week(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("2026-47", id="no-W"),
        pytest.param("2026-W7", id="one-digit-week"),
        pytest.param("2026W47", id="no-dash"),
        pytest.param("26-W47", id="two-digit-year"),
        pytest.param("2026-W47-1", id="week-date-with-day"),
        pytest.param("2026-11-16", id="calendar-date"),
        pytest.param("last week", id="words"),
        pytest.param("2026-W00", id="week-zero"),
        pytest.param("2026-W54", id="week-54"),
        pytest.param("2025-W53", id="week-53-in-a-52-week-year"),
        pytest.param("2026-W99", id="week-99"),
    ],
)
def test_parse_week_rejects_and_names_the_value(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_week(text)
    assert text.strip() in str(info.value), f"error does not name the value {text!r}: {info.value}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2025-W53", id="week-53-in-a-52-week-year"),
        pytest.param("2026-W00", id="week-zero"),
    ],
)
def test_parse_week_out_of_range_says_how_many_weeks_the_year_has(text: str) -> None:
    with pytest.raises(ConfigError, match=r"ISO weeks 1 to 5[23]"):
        parse_week(text)


def test_week_str_round_trips() -> None:
    for text in ("2026-W01", "2026-W09", "2026-W47", "2026-W53", "2027-W01"):
        assert str(parse_week(text)) == text


def test_weeks_order_chronologically() -> None:
    weeks = [Week(2027, 1), Week(2026, 53), Week(2026, 2), Week(2025, 52)]
    assert sorted(weeks) == [Week(2025, 52), Week(2026, 2), Week(2026, 53), Week(2027, 1)]


# -- bounds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "tz", "start", "end"),
    [
        pytest.param(
            Week(2026, 47),
            SHANGHAI,
            utc(2026, 11, 15, 16),
            utc(2026, 11, 22, 16),
            id="shanghai-monday-is-sunday-16h-utc",
        ),
        pytest.param(Week(2026, 47), "UTC", utc(2026, 11, 16), utc(2026, 11, 23), id="utc"),
        pytest.param(
            Week(2026, 53), SHANGHAI, utc(2026, 12, 27, 16), utc(2027, 1, 3, 16), id="week-53-across-new-year"
        ),
        pytest.param(Week(2027, 1), SHANGHAI, utc(2027, 1, 3, 16), utc(2027, 1, 10, 16), id="first-week-of-2027"),
        pytest.param(Week(2026, 1), SHANGHAI, utc(2025, 12, 28, 16), utc(2026, 1, 4, 16), id="2026-W01-starts-in-2025"),
        # Europe moves to summer time on Sunday 29 March 2026: that week is 167 hours long.
        pytest.param(Week(2026, 13), "Europe/Berlin", utc(2026, 3, 22, 23), utc(2026, 3, 29, 22), id="dst-week-berlin"),
        pytest.param(
            Week(2026, 45), "America/New_York", utc(2026, 11, 2, 5), utc(2026, 11, 9, 5), id="after-dst-new-york"
        ),
    ],
)
def test_bounds_are_monday_midnight_in_the_timezone_as_utc(week: Week, tz: str, start: datetime, end: datetime) -> None:
    got_start, got_end = week.bounds(tz)
    assert (got_start, got_end) == (start, end)
    assert got_start.utcoffset() == timedelta(0) and got_end.utcoffset() == timedelta(0)
    local = got_start.astimezone(ZoneInfo(tz))
    assert (local.weekday(), local.hour, local.minute) == (0, 0, 0)


def test_consecutive_weeks_tile_time_without_gaps() -> None:
    week = Week(2026, 44)
    for _ in range(12):  # across W53 and the new year
        assert week.bounds(SHANGHAI)[1] == week.next().bounds(SHANGHAI)[0]
        week = week.next()


def test_bounds_with_unknown_timezone_names_it() -> None:
    with pytest.raises(ConfigError, match="Mars/Olympus_Mons"):
        Week(2026, 47).bounds("Mars/Olympus_Mons")


# -- ISO week 53 and year ends -----------------------------------------------------------------------


def test_2026_has_53_weeks_and_2025_has_52() -> None:
    assert Week(2026, 53).monday == date(2026, 12, 28)
    assert Week(2026, 53).sunday == date(2027, 1, 3)
    with pytest.raises(ConfigError):
        Week(2025, 53)


@pytest.mark.parametrize(
    ("week", "after"),
    [
        pytest.param(Week(2026, 52), Week(2026, 53), id="52-to-53"),
        pytest.param(Week(2026, 53), Week(2027, 1), id="53-to-next-year"),
        pytest.param(Week(2025, 52), Week(2026, 1), id="52-to-next-year"),
        pytest.param(Week(2026, 47), Week(2026, 48), id="mid-year"),
    ],
)
def test_next_and_previous(week: Week, after: Week) -> None:
    assert week.next() == after
    assert after.previous() == week


def test_previous_n_weeks() -> None:
    assert Week(2027, 2).previous(3) == Week(2026, 52)
    assert Week(2026, 47).previous(4) == Week(2026, 43)


@pytest.mark.parametrize(
    ("moment", "tz", "expected"),
    [
        pytest.param(utc(2026, 11, 18, 12), SHANGHAI, Week(2026, 47), id="midweek"),
        pytest.param(
            datetime(2027, 1, 1, 9, tzinfo=ZoneInfo(SHANGHAI)), SHANGHAI, Week(2026, 53), id="2027-01-01-is-in-2026-W53"
        ),
        pytest.param(utc(2026, 12, 31, 17), SHANGHAI, Week(2026, 53), id="new-year-in-shanghai-still-W53"),
        pytest.param(utc(2027, 1, 3, 15, 59, 59), SHANGHAI, Week(2026, 53), id="last-second-of-W53"),
        pytest.param(utc(2027, 1, 3, 16), SHANGHAI, Week(2027, 1), id="first-instant-of-2027-W01"),
        # Sunday 16:30 UTC is already Monday 00:30 in Shanghai, but still Sunday in UTC.
        pytest.param(utc(2026, 11, 22, 16, 30), SHANGHAI, Week(2026, 48), id="sunday-utc-is-monday-shanghai"),
        pytest.param(utc(2026, 11, 22, 16, 30), "UTC", Week(2026, 47), id="same-moment-in-utc"),
        pytest.param(utc(2026, 11, 15, 15, 59, 59), SHANGHAI, Week(2026, 46), id="just-before-the-week"),
        pytest.param(
            datetime(2026, 11, 16, 0, 0, tzinfo=timezone(timedelta(hours=8))),
            SHANGHAI,
            Week(2026, 47),
            id="fixed-offset-input",
        ),
    ],
)
def test_week_of(moment: datetime, tz: str, expected: Week) -> None:
    assert week_of(moment, tz) == expected


def test_week_of_agrees_with_bounds() -> None:
    start, end = Week(2026, 53).bounds(SHANGHAI)
    assert week_of(start, SHANGHAI) == Week(2026, 53)
    assert week_of(end - timedelta(microseconds=1), SHANGHAI) == Week(2026, 53)
    assert week_of(end, SHANGHAI) == Week(2027, 1)


def test_week_of_rejects_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        week_of(datetime(2026, 11, 18, 12), SHANGHAI)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(utc(2026, 11, 23, 2), Week(2026, 47), id="monday-after-the-week"),
        pytest.param(utc(2026, 11, 22, 16), Week(2026, 47), id="the-instant-the-week-ends"),
        pytest.param(utc(2026, 11, 22, 15, 59), Week(2026, 46), id="a-minute-before-it-ends"),
        pytest.param(utc(2027, 1, 5), Week(2026, 53), id="after-week-53"),
        pytest.param(utc(2027, 1, 12), Week(2027, 1), id="after-2027-W01"),
    ],
)
def test_latest_complete_week(moment: datetime, expected: Week) -> None:
    got = latest_complete_week(moment, SHANGHAI)
    assert got == expected
    assert got.bounds(SHANGHAI)[1] <= moment


@pytest.mark.parametrize(
    ("param", "interval_start", "week"),
    [
        pytest.param("2026-W40", utc(2026, 11, 15, 16), Week(2026, 40), id="the-week-param-wins"),
        pytest.param(None, utc(2026, 11, 15, 16), Week(2026, 47), id="else-the-data-interval-in-the-timezone"),
        pytest.param("", None, Week(2026, 47), id="else-the-last-complete-week-at-run-after"),
    ],
)
def test_a_runs_week_is_its_param_else_its_data_interval_never_the_clock(
    param: str | None, interval_start: datetime | None, week: Week
) -> None:
    # run_after: Wednesday 25 November 2026, in 2026-W48; Monday 16 November 00:00 Shanghai is 15 November 16:00 UTC
    assert week_of_run(param, interval_start, utc(2026, 11, 25, 3), SHANGHAI) == week
