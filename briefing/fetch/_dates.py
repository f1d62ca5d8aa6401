"""Read the publication times that feeds and pages print, in English and Chinese.

``parse_date`` reads one date string: RFC 822 (``Tue, 17 Nov 2026 09:30:00 +0800``), ISO 8601 and its
common relatives (``2026-11-20 14:30``, ``2026/11/20``), Chinese forms (``2026年11月20日 14:30``,
``11月20日``, ``下午3点``), and relative ones (``3小时前``, ``昨天 08:00``, ``刚刚``, ``2 hours ago``).
``find_date`` looks for the first such date inside free text (a listing line, a byline). A time without
an offset is read in the source's timezone; relative and year-less forms are read against ``now``. Both
return an aware UTC datetime, or None when nothing plausible is found: a caller falls back to the time
the story was first fetched and flags it as estimated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..week import EARLIEST_YEAR

__all__ = ["find_date", "parse_date", "plausible"]

#: Zones where a bare "CST" means China Standard Time (UTC+8), not US Central.
_CHINA_ZONES = {
    "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC", "Asia/Hong_Kong", "Asia/Macau",
    "Asia/Taipei",
}
_FUTURE_SLACK = timedelta(days=2)  # a clock skew or a timezone slip, not a story from the future

_TIME = (
    r"(?:\s*(?P<ampm>上午|中午|下午|晚上|凌晨|早上)?\s*(?P<hour>\d{1,2})\s*(?:[:：]|时|点)\s*(?P<minute>\d{1,2})?\s*分?"
    r"(?:\s*[:：]\s*(?P<second>\d{1,2})\s*秒?)?)?"
)
_ZH_DATE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]" + _TIME)
_NUMERIC_DATE = re.compile(
    r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2}|UTC|GMT)?"
)
_MONTH_DAY = re.compile(r"^(?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?$")
_RELATIVE_ZH = re.compile(
    r"(?P<n>\d+|半|一|两|二|三|四|五|六|七|八|九|十)\s*(?P<unit>秒|分钟|分|小时|个小时|天|日|周|星期|个月)\s*(?:之)?前"
)
_RELATIVE_EN = re.compile(
    r"(?P<n>\d+|an?|one)\s+(?P<unit>second|minute|min|hour|hr|day|week|month)s?\s+ago", re.IGNORECASE
)
_DAY_WORD = re.compile(r"(?P<word>今天|今日|昨天|昨日|前天|today|yesterday)" + _TIME, re.IGNORECASE)
_JUST_NOW = re.compile(r"^(?:刚刚|刚才|just now|now)$", re.IGNORECASE)
_ZH_NUMBERS = {
    "半": 0.5,
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_UNITS = {
    "秒": timedelta(seconds=1),
    "second": timedelta(seconds=1),
    "分钟": timedelta(minutes=1),
    "分": timedelta(minutes=1),
    "minute": timedelta(minutes=1),
    "min": timedelta(minutes=1),
    "小时": timedelta(hours=1),
    "个小时": timedelta(hours=1),
    "hour": timedelta(hours=1),
    "hr": timedelta(hours=1),
    "天": timedelta(days=1),
    "日": timedelta(days=1),
    "day": timedelta(days=1),
    "周": timedelta(weeks=1),
    "星期": timedelta(weeks=1),
    "week": timedelta(weeks=1),
    "个月": timedelta(days=30),
    "month": timedelta(days=30),
}
_DAYS_BACK = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_date(value: str | None, tz: str = "UTC", now: datetime | None = None) -> datetime | None:
    """The moment ``value`` names, as aware UTC, or None; naive times are in ``tz``, relative ones before ``now``."""
    if not value:
        return None
    text = " ".join(str(value).replace("\u3000", " ").split())
    if not text or len(text) > 120:
        return None
    zone = _zone(tz)
    current = (now or datetime.now(UTC)).astimezone(zone)
    for reader in (_relative, _chinese, _iso, _rfc822, _numeric, _month_day):
        found = reader(text, zone, current)
        if found is not None:
            return _plausible(found, current)
    m = _ZH_DATE.search(text)  # a Chinese date with words around it: 2026年11月20日 星期五
    found = _from_match(m, zone, current) if m else None
    return _plausible(found, current) if found is not None else None


def find_date(text: str, tz: str = "UTC", now: datetime | None = None) -> datetime | None:
    """The first date printed inside ``text`` (a byline, a listing line), as aware UTC, or None."""
    if not text:
        return None
    zone = _zone(tz)
    current = (now or datetime.now(UTC)).astimezone(zone)
    flat = " ".join(text.replace("\u3000", " ").split())
    candidates: list[tuple[int, datetime]] = []
    for pattern in (_ZH_DATE, _NUMERIC_DATE):
        for m in pattern.finditer(flat):
            moment = _from_match(m, zone, current)
            if moment is not None and _plausible(moment, current) is not None:
                candidates.append((m.start(), moment))
                break
    for found in (_RELATIVE_ZH.search(flat), _RELATIVE_EN.search(flat), _DAY_WORD.search(flat)):
        if found is not None:
            moment = _relative(found.group(0), zone, current)
            if moment is not None:
                candidates.append((found.start(), moment))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1].astimezone(UTC)


# -- the readers, each for one family of forms ------------------------------------------------------------


def _relative(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    if _JUST_NOW.match(text):
        return now
    for pattern in (_RELATIVE_ZH, _RELATIVE_EN):
        m = pattern.fullmatch(text) if pattern is _RELATIVE_EN else pattern.fullmatch(text.replace(" ", ""))
        if m:
            raw = m.group("n").lower()
            n = float(raw) if raw.isdigit() else _ZH_NUMBERS.get(raw, 1.0)
            return now - _UNITS[m.group("unit").lower()] * n
    m2 = _DAY_WORD.fullmatch(text)
    if m2:
        day = (now - timedelta(days=_DAYS_BACK[m2.group("word").lower()])).date()
        hour, minute, second = _clock(m2)
        try:
            return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
        except ValueError:
            return None
    return None


def _chinese(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    m = _ZH_DATE.fullmatch(text) or _ZH_DATE.fullmatch(text.replace("北京时间", "").strip())
    return _from_match(m, zone, now) if m else None


def _iso(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _rfc822(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    local = text
    if zone.key in _CHINA_ZONES and re.search(r"\s(?:CST|Beijing Time)$", text):
        local = re.sub(r"\s(?:CST|Beijing Time)$", "", text)  # China Standard Time, not US Central
    try:
        moment = parsedate_to_datetime(local)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _numeric(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    m = _NUMERIC_DATE.fullmatch(text)
    return _from_match(m, zone, now) if m else None


def _month_day(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    m = _MONTH_DAY.fullmatch(text)
    return _from_match(m, zone, now) if m else None


# -- helpers --------------------------------------------------------------------------------------------------


def _clock(m: re.Match[str]) -> tuple[int, int, int]:
    groups = m.groupdict()
    hour = int(groups.get("hour") or 0)
    minute = int(groups.get("minute") or 0)
    second = int(groups.get("second") or 0)
    ampm = groups.get("ampm")
    if ampm in ("下午", "晚上") and hour < 12 or ampm == "中午" and hour < 11:
        hour += 12
    elif ampm == "凌晨" and hour == 12:
        hour = 0
    return hour, minute, second


def _from_match(m: re.Match[str], zone: ZoneInfo, now: datetime) -> datetime | None:
    groups = m.groupdict()
    hour, minute, second = _clock(m)
    month, day = int(groups["month"]), int(groups["day"])
    year_text = groups.get("year")
    year = int(year_text) if year_text else now.year
    offset = groups.get("offset")
    tzinfo: timezone | ZoneInfo = zone
    if offset:
        if offset in ("Z", "UTC", "GMT"):
            tzinfo = UTC
        else:
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            tzinfo = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=tzinfo)
    except ValueError:
        return None
    if not year_text and moment > now + _FUTURE_SLACK:
        try:
            moment = moment.replace(year=year - 1)  # "12月30日" read on 2 January is last year's
        except ValueError:
            return None
    return moment


def plausible(moment: datetime, now: datetime | None = None) -> datetime | None:
    """``moment`` (aware) as UTC if a story can have been published then: from ``EARLIEST_YEAR`` to two
    days after ``now``; otherwise None."""
    return _plausible(moment, now or datetime.now(UTC))


def _plausible(moment: datetime, now: datetime) -> datetime | None:
    if moment.year < EARLIEST_YEAR or moment > now + _FUTURE_SLACK:
        return None
    return moment.astimezone(UTC)
