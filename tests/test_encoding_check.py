"""A Chinese source served with a wrong charset never stores mojibake: a UTF-8 feed declared ISO-8859-1 or
GBK is read as UTF-8; a GBK feed declared ISO-8859-1 is read again without the header's charset, with a
warning; a Chinese source whose titles hold no Chinese at all fails, and nothing of it is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest

from briefing.fetch import Client, fetch_source
from briefing.records import Source, SourceResult
from briefing.store import Store

from .local_http import QuietHandler, serving

TITLES = ["智谱AI完成超25亿人民币融资", "宁夏中卫枢纽智算规模突破5万PFLOPS", "长鑫存储HBM3实现量产"]


def _feed(titles: list[str]) -> str:
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = "".join(
        f"<item><title>{t}</title><link>http://127.0.0.1/{n}</link><description>{t}。这是一段足够长的正文，用来说明这条新闻的内容，"
        f"不需要去抓取原文页面。{t}。</description><pubDate>{now}</pubDate></item>"
        for n, t in enumerate(titles)
    )
    return f"<rss version=\"2.0\"><channel><title>测试</title><link>http://127.0.0.1/</link>{items}</channel></rss>"


class _Feed(QuietHandler):
    body: ClassVar[bytes] = b""
    content_type: ClassVar[str] = ""

    def do_GET(self) -> None:
        self.reply(200, self.body, {"Content-Type": self.content_type})


def _fetch(tmp_path: Path, body: bytes, content_type: str) -> tuple[SourceResult, list[str]]:
    handler = type("H", (_Feed,), {"body": body, "content_type": content_type})
    with serving(handler) as port, Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        source = Source(
            id="zh-feed", name="ZH", kind="feed", url=f"http://127.0.0.1:{port}/feed.xml", lang="zh", allow_private=True
        )
        client = Client(attempts=1, obey_robots=False)
        result = fetch_source(source, client=client, store=store, tz="Asia/Shanghai")
        stored = sorted(
            s.title for s in store.stories_between(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
        )
    return result, stored


@pytest.mark.parametrize("declared", ["iso-8859-1", "gbk"])
def test_a_utf8_feed_with_a_wrong_charset_is_read_as_utf8(tmp_path: Path, declared: str) -> None:
    result, stored = _fetch(tmp_path, _feed(TITLES).encode("utf-8"), f"application/rss+xml; charset={declared}")
    assert result.status == "ok"
    assert stored == sorted(TITLES)


def test_a_gbk_feed_declared_latin1_is_read_again_and_says_so(tmp_path: Path) -> None:
    result, stored = _fetch(tmp_path, _feed(TITLES).encode("gbk"), "application/rss+xml; charset=iso-8859-1")
    assert result.status == "ok"
    assert stored == sorted(TITLES)
    assert any("gave no Chinese title" in w for w in result.warnings), result.warnings


def test_a_chinese_source_without_one_chinese_title_fails_and_stores_nothing(tmp_path: Path) -> None:
    result, stored = _fetch(
        tmp_path, _feed(["Plain ASCII title", "Another one"]).encode("utf-8"), "application/rss+xml"
    )
    assert result.status == "error" and "none of its 2 titles holds a Chinese character" in (result.error or "")
    assert stored == []
