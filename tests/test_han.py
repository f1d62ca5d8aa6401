"""What a Chinese character is (briefing.text.HAN_RANGES), defined once: its edges, and every stage that
reads Chinese agreeing with it, the regular expressions and dedup's table of code points alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from briefing.cli import _read_records
from briefing.dedup import _hashing as dedup
from briefing.fetch import find_listing_entries
from briefing.text import HAN_RANGES, HAN_RE, HAN_RUN_RE, is_chinese, is_han


@pytest.mark.parametrize(
    ("char", "han"),
    [
        ("\u3400", True),  # Extension A, first
        ("\u4dbf", True),  # Extension A, last
        ("\u4dc0", False),  # a Yijing hexagram, between Extension A and the unified block
        ("\u4e00", True),  # 一
        ("\u9fff", True),
        ("\ufa11", True),  # 﨑, a compatibility ideograph that NFKC keeps
        ("\U00020bb7", True),  # 𠮷, Extension B
        ("\U0002ffff", True),
        ("\U00030000", False),
        ("\u3002", False),  # 。 punctuation
        ("\uff01", False),  # ！ a full-width form
        ("A", False),
        ("ア", False),  # katakana
    ],
)
def test_the_edges_of_a_chinese_character(char: str, han: bool) -> None:
    assert is_han(char) is han
    assert (HAN_RE.fullmatch(char) is not None) is han
    assert is_chinese(f"ab{char}cd") is han


def test_a_run_is_the_chinese_characters_together() -> None:
    assert HAN_RUN_RE.findall("DeepSeek发布𠮷野家 V4，深度求索") == ["发布𠮷野家", "深度求索"]


def test_dedups_table_of_code_points_says_what_the_definition_says() -> None:
    codes = np.arange(0x110000, dtype=np.uint32)
    codes = codes[(codes < 0xD800) | (codes > 0xDFFF)]  # no lone surrogates in text
    table = dedup._char_kinds(codes) & dedup._HAN != 0
    expected = np.zeros(codes.size, dtype=bool)
    for lo, hi in HAN_RANGES:
        expected |= (codes >= lo) & (codes <= hi)
    assert np.array_equal(table, expected)


def test_a_title_in_extension_a_is_read_as_chinese(tmp_path: Path) -> None:
    """The command line guesses a story record's language from its title, by the same definition."""
    path = tmp_path / "stories.jsonl"
    path.write_text('{"title": "㐀㐁"}\n{"title": "A headline"}\n', encoding="utf-8")
    assert [story.lang for story, _ in _read_records(str(path))] == ["zh", "en"]


def test_five_chinese_characters_make_a_listing_headline_even_in_extension_b() -> None:
    html = '<ul><li><a href="/a/1">𠮷𠮷𠮷𠮷𠮷</a></li><li><a href="/a/2">菜单</a></li></ul>'
    entries = find_listing_entries(html, "https://news.example.com/", None, "Asia/Shanghai")
    assert [e.title for e in entries] == ["𠮷𠮷𠮷𠮷𠮷"]
