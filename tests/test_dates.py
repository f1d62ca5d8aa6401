"""Publication times as feeds and pages print them (briefing.dates): RFC 822, ISO 8601, Chinese forms and
relative ones, read in the source's timezone against a fixed "now"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from briefing.fetch import find_date, parse_date, parse_feed

NOW = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)  # Saturday 12:00 in Shanghai
SH = "Asia/Shanghai"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        pytest.param("Tue, 17 Nov 2026 09:30:00 +0800", SH, utc(2026, 11, 17, 1, 30), id="rfc822-offset"),
        pytest.param("Tue, 17 Nov 2026 09:30:00 GMT", SH, utc(2026, 11, 17, 9, 30), id="rfc822-gmt"),
        pytest.param("Tue, 17 Nov 2026 09:30:00", SH, utc(2026, 11, 17, 1, 30), id="rfc822-no-zone-is-the-source-zone"),
        pytest.param(
            "Fri, 20 Nov 2026 14:30:00 CST", SH, utc(2026, 11, 20, 6, 30), id="rfc822-cst-is-china-for-a-chinese-source"
        ),
        pytest.param(
            "Fri, 20 Nov 2026 14:30:00 CST",
            "America/Chicago",
            utc(2026, 11, 20, 20, 30),
            id="rfc822-cst-is-us-central-elsewhere",
        ),
        pytest.param("2026-11-20T14:30:00+08:00", "UTC", utc(2026, 11, 20, 6, 30), id="iso-offset"),
        pytest.param("2026-11-20T06:30:00Z", SH, utc(2026, 11, 20, 6, 30), id="iso-zulu"),
        pytest.param(
            "2026-11-20T06:30:00.123Z", SH, utc(2026, 11, 20, 6, 30).replace(microsecond=123000), id="iso-fraction"
        ),
        pytest.param("2026-11-20 14:30", SH, utc(2026, 11, 20, 6, 30), id="iso-space-naive"),
        pytest.param("2026-11-20", SH, utc(2026, 11, 19, 16, 0), id="iso-date-is-local-midnight"),
        pytest.param("2026/11/20 14:30", SH, utc(2026, 11, 20, 6, 30), id="slashes"),
        pytest.param("2026.11.20", SH, utc(2026, 11, 19, 16, 0), id="dots"),
        pytest.param("2026年11月20日 14:30", SH, utc(2026, 11, 20, 6, 30), id="zh-full"),
        pytest.param("2026年11月20日14:30:15", SH, utc(2026, 11, 20, 6, 30, 15), id="zh-no-space-seconds"),
        pytest.param("2026年11月20日 14时30分", SH, utc(2026, 11, 20, 6, 30), id="zh-shi-fen"),
        pytest.param("2026年11月20日", SH, utc(2026, 11, 19, 16, 0), id="zh-date"),
        pytest.param("2026 年 11 月 20 日", SH, utc(2026, 11, 19, 16, 0), id="zh-spaced"),
        pytest.param("2026年11月20日 星期五", SH, utc(2026, 11, 19, 16, 0), id="zh-with-weekday"),
        pytest.param("北京时间2026年11月20日 14:30", SH, utc(2026, 11, 20, 6, 30), id="zh-beijing-time"),
        pytest.param("11月20日", SH, utc(2026, 11, 19, 16, 0), id="zh-no-year-is-this-year"),
        pytest.param("11月20日 下午2:30", SH, utc(2026, 11, 20, 6, 30), id="zh-afternoon"),
        pytest.param("12月30日", SH, utc(2025, 12, 29, 16, 0), id="zh-no-year-in-the-future-is-last-year"),
        pytest.param("11-20 14:30", SH, utc(2026, 11, 20, 6, 30), id="month-day-time"),
        pytest.param("3小时前", SH, utc(2026, 11, 21, 1, 0), id="hours-ago"),
        pytest.param("5 分钟前", SH, utc(2026, 11, 21, 3, 55), id="minutes-ago"),
        pytest.param("半小时前", SH, utc(2026, 11, 21, 3, 30), id="half-an-hour-ago"),
        pytest.param("2天前", SH, utc(2026, 11, 19, 4, 0), id="days-ago"),
        pytest.param("刚刚", SH, NOW, id="just-now"),
        pytest.param("昨天 14:30", SH, utc(2026, 11, 20, 6, 30), id="yesterday-time"),
        pytest.param("昨天", SH, utc(2026, 11, 19, 16, 0), id="yesterday"),
        pytest.param("前天 08:00", SH, utc(2026, 11, 19, 0, 0), id="day-before-yesterday"),
        pytest.param("今天 09:00", SH, utc(2026, 11, 21, 1, 0), id="today"),
        pytest.param("2 hours ago", SH, utc(2026, 11, 21, 2, 0), id="english-ago"),
        pytest.param("yesterday", SH, utc(2026, 11, 19, 16, 0), id="english-yesterday"),
    ],
)
def test_parse_date(text: str, tz: str, expected: datetime) -> None:
    found = parse_date(text, tz, NOW)
    assert found == expected
    assert found is not None and found.tzinfo == UTC


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param("not a date", id="words"),
        pytest.param("2026-13-45", id="impossible"),
        pytest.param("2099-01-01", id="far-future"),
        pytest.param("1970-01-01T00:00:00Z", id="epoch-placeholder"),
        pytest.param("2月30日", id="no-such-day"),
    ],
)
def test_unreadable_or_implausible_dates_are_none(text: str | None) -> None:
    assert parse_date(text, SH, NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("来源：新华社  2026年11月20日 14:30  作者：张三", utc(2026, 11, 20, 6, 30), id="zh-byline"),
        pytest.param("发布时间：2026-11-19 08:00:00 浏览次数：123", utc(2026, 11, 19, 0, 0), id="numeric-byline"),
        pytest.param("Posted 3 hours ago by the desk", utc(2026, 11, 21, 1, 0), id="english-relative"),
        pytest.param("特高压工程投运 3小时前", utc(2026, 11, 21, 1, 0), id="zh-relative-in-a-line"),
        pytest.param("no date here, only version 3.2 and 50,000 PFLOPS", None, id="none"),
    ],
)
def test_find_date_in_text(text: str, expected: datetime | None) -> None:
    assert find_date(text, SH, NOW) == expected


def test_feed_dates_are_read_in_the_source_timezone() -> None:
    feed = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>\
<link>https://e.cn/</link><description>d</description>
<item><title>中文日期</title><link>https://e.cn/1.html</link><pubDate>2026年11月20日 14:30</pubDate></item>
<item><title>相对时间</title><link>https://e.cn/2.html</link><pubDate>3小时前</pubDate></item>
<item><title>Naive ISO</title><link>https://e.cn/3.html</link><pubDate>2026-11-19 08:00:00</pubDate></item>
<item><title>No date at all</title><link>https://e.cn/4.html</link></item>
</channel></rss>"""
    published = [e.published for e in parse_feed(feed, "https://e.cn/feed.xml", SH, NOW)]
    assert published == [utc(2026, 11, 20, 6, 30), utc(2026, 11, 21, 1, 0), utc(2026, 11, 19, 0, 0), None]
