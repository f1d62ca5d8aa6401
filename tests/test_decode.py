"""Decoding fetched bytes (briefing.decode): declared charsets from the HTTP header, BOM, XML declaration
and <meta>, GB2312 read as its superset GB18030 (GBK-only 镕 and 喆 survive), Big5, and detection when
nothing is declared."""

from __future__ import annotations

import codecs

import pytest

from briefing.fetch import declared_charset, decode, garbled, normalise_charset

# 镕 (as in 朱镕基) and 喆 are in GBK but not in GB2312: a strict GB2312 codec cannot read them.
GBK_ONLY = "国家电网能源研究院专家王镕表示，中国科学院研究员李喆团队发表了论文。"
ZH_LONG = (
    "国家电网能源研究院专家王镕表示，截至9月底，全国已投运新型储能装机约1.6亿千瓦，规模增长很快，但部分项目存在利用率偏低的问题。"
    "中国科学院电工研究所研究员李喆团队在《自然·能源》发表论文，报告了一种用于钠离子电池的新型层状氧化物正极材料。"
)
BIG5 = "臺灣積體電路製造公司宣布擴產，先進製程產能持續增加。"


def test_gbk_only_characters_are_not_in_gb2312() -> None:
    """The premise of the GB2312 cases below: a literal GB2312 decoder would lose these characters."""
    with pytest.raises(UnicodeEncodeError):
        "镕喆".encode("gb2312")


def _padded_html(meta: str, body: str) -> str:
    """An HTML page whose <meta charset> comes after the first 1,024 bytes."""
    filler = "<!-- " + "layout filler " * 120 + "-->"
    return f"<!doctype html><html><head>{filler}{meta}<title>储能</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(
            (
                '<?xml version="1.0" encoding="gb2312"?>\n<rss version="2.0">'
                f"<channel><title>{GBK_ONLY}</title></channel></rss>"
            ).encode("gb18030"),
            "application/rss+xml",
            id="xml-declaration",
        ),
        pytest.param(f"<p>{GBK_ONLY}</p>".encode("gb18030"), "text/html; charset=GB2312", id="http-header"),
        pytest.param(f"<p>{GBK_ONLY}</p>".encode("gb18030"), 'text/html; charset="gb2312"', id="http-header-quoted"),
        pytest.param(
            _padded_html('<meta charset="gb2312">', GBK_ONLY).encode("gb18030"),
            "text/html",
            id="meta-charset-after-1024-bytes",
        ),
        pytest.param(
            _padded_html('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', GBK_ONLY).encode(
                "gb18030"
            ),
            "",
            id="meta-http-equiv-after-1024-bytes",
        ),
        pytest.param(_padded_html('<meta charset="GBK">', GBK_ONLY).encode("gb18030"), "", id="meta-gbk"),
    ],
)
def test_gb2312_declared_text_with_gbk_only_characters(content: bytes, content_type: str) -> None:
    decoded = decode(content, content_type)
    text, encoding = decoded.text, decoded.encoding
    assert GBK_ONLY in text
    assert "\ufffd" not in text
    assert encoding == "gb18030"


def test_meta_is_really_past_the_first_1024_bytes() -> None:
    content = _padded_html('<meta charset="gb2312">', GBK_ONLY).encode("gb18030")
    assert content.index(b"<meta") > 1024


def test_http_header_outranks_the_document() -> None:
    content = '<?xml version="1.0" encoding="utf-8"?><p>臺灣</p>'.encode("big5")
    decoded = decode(content, "text/xml; charset=big5")
    text, encoding = decoded.text, decoded.encoding
    assert "臺灣" in text and encoding == "big5hkscs"


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        pytest.param("text/html; charset=big5", f"<p>{BIG5}</p>".encode("big5"), id="header"),
        pytest.param("text/html", f'<meta charset="big5"><p>{BIG5}</p>'.encode("big5"), id="meta"),
    ],
)
def test_big5(content_type: str, content: bytes) -> None:
    decoded = decode(content, content_type)
    text, encoding = decoded.text, decoded.encoding
    assert BIG5 in text
    assert encoding == "big5hkscs"


@pytest.mark.parametrize(
    "content_type",
    [pytest.param("", id="no-header"), pytest.param("text/html", id="header-without-charset")],
)
def test_utf8_bom_is_used_and_stripped(content_type: str) -> None:
    decoded = decode(codecs.BOM_UTF8 + "<p>算力 • café</p>".encode(), content_type)
    text, encoding = decoded.text, decoded.encoding
    assert (text, encoding) == ("<p>算力 • café</p>", "utf-8")


def test_utf8_bom_outranks_a_contradicting_http_charset() -> None:
    decoded = decode(codecs.BOM_UTF8 + "<p>算力</p>".encode(), "text/html; charset=iso-8859-1")
    text, encoding = decoded.text, decoded.encoding
    assert (text, encoding) == ("<p>算力</p>", "utf-8")


def test_utf16_bom() -> None:
    decoded = decode("<p>算力网络</p>".encode("utf-16"))
    text, encoding = decoded.text, decoded.encoding
    assert text == "<p>算力网络</p>"
    assert encoding == "utf-16"


def test_undeclared_utf8() -> None:
    decoded = decode(f"<html><body><p>{ZH_LONG} Café, naïve — “quotes”.</p></body></html>".encode())
    text, encoding = decoded.text, decoded.encoding
    assert ZH_LONG in text and "Café, naïve — “quotes”." in text
    assert encoding == "utf-8"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(ZH_LONG.encode("gb18030"), id="bare-text"),
        pytest.param(
            f"<html><head><title>储能</title></head><body><p>{ZH_LONG}</p></body></html>".encode("gb18030"),
            id="html-without-meta",
        ),
    ],
)
def test_undeclared_gb18030_is_detected(content: bytes) -> None:
    decoded = decode(content)
    text, encoding = decoded.text, decoded.encoding
    assert ZH_LONG in text
    assert encoding == "gb18030"


def test_undecodable_bytes_become_replacement_characters() -> None:
    decoded = decode(b"abc \xff\xfe def", "text/html; charset=utf-8")
    text, encoding = decoded.text, decoded.encoding
    assert text.startswith("abc ") and text.endswith(" def") and "\ufffd" in text
    assert encoding == "utf-8"


def test_unknown_declared_charset_is_ignored() -> None:
    decoded = decode("<p>算力</p>".encode(), "text/html; charset=x-no-such-charset")
    text, encoding = decoded.text, decoded.encoding
    assert (text, encoding) == ("<p>算力</p>", "utf-8")


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        pytest.param("gb2312", "gb18030", id="gb2312"),
        pytest.param("GBK", "gb18030", id="gbk-upper"),
        pytest.param(" cp936 ", "gb18030", id="cp936-spaces"),
        pytest.param("big5", "big5hkscs", id="big5"),
        pytest.param("ISO-8859-1", "cp1252", id="latin1-is-windows-1252"),
        pytest.param("UTF8", "utf-8", id="utf8-alias"),
        pytest.param("x-no-such-charset", None, id="unknown"),
    ],
)
def test_normalise_charset(name: str, codec: str | None) -> None:
    assert normalise_charset(name) == codec


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        pytest.param(b"<p>x</p>", "", None, id="nothing-declared"),
        pytest.param(b"<p>x</p>", "text/html; charset=gb2312", "gb18030", id="header"),
        pytest.param(b'<?xml version="1.0" encoding=\'GB2312\'?><rss/>', "", "gb18030", id="xml-single-quotes"),
        pytest.param(b'<meta charset=utf-8><p>x</p>', "", "utf-8", id="meta-unquoted"),
        pytest.param(b'<meta charset="big5"><meta charset="utf-8">', "", "big5hkscs", id="first-meta-wins"),
    ],
)
def test_declared_charset(content: bytes, content_type: str, expected: str | None) -> None:
    assert declared_charset(content, content_type) == expected


# -- text that is lost, and a declaration that is wrong ----------------------------------------------------


def test_a_wrong_http_charset_gives_way_to_a_clean_reading() -> None:
    # Chinese sites often send "charset=utf-8" from a server default while the page is GBK
    content = f"<html><head><title>储能</title></head><body><p>{ZH_LONG}</p></body></html>".encode("gb18030")
    decoded = decode(content, "text/html; charset=utf-8")
    text, encoding = decoded.text, decoded.encoding
    assert ZH_LONG in text and encoding == "gb18030"


def test_a_wrong_http_charset_gives_way_to_the_documents_own_declaration() -> None:
    content = f'<html><head><meta charset="big5"></head><body><p>{BIG5 * 4}</p></body></html>'.encode("big5")
    decoded = decode(content, "text/html; charset=utf-8")
    text, encoding = decoded.text, decoded.encoding
    assert BIG5 in text and encoding == "big5hkscs"


@pytest.mark.parametrize(
    ("text", "replaced", "mostly", "noticeably"),
    [
        pytest.param("plain ASCII text", 0, False, False, id="ascii"),
        pytest.param("算力" * 50 + "\ufffd" * 3, 3, False, False, id="a-stray-byte-or-three"),
        pytest.param("算力" * 100 + "\ufffd" * 20, 20, False, True, id="noticeable"),
        pytest.param("\ufffd" * 30 + "算力" * 5, 30, True, True, id="mostly-lost"),
        pytest.param("\ufffd" * 10, 10, False, False, id="too-few-to-judge"),
    ],
)
def test_garbled(text: str, replaced: int, mostly: bool, noticeably: bool) -> None:
    found = garbled(text)
    assert (found.replaced, found.mostly, found.noticeably) == (replaced, mostly, noticeably)


def test_text_that_is_lost_for_good_stays_replacement_characters() -> None:
    content = ("<p>" + "\ufffd" * 40 + "</p>").encode()
    decoded = decode(content, "text/html; charset=utf-8")
    text, encoding = decoded.text, decoded.encoding
    assert garbled(text).mostly and encoding == "utf-8"
