"""Plain-text helpers (briefing.text) and canonical URLs and story ids (briefing.urls)."""

from __future__ import annotations

import re

import pytest

from briefing.text import content_hash, html_to_text, normalise, sentences, squash
from briefing.urls import canonical_url, story_id

# -- sentences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Mr. Li said capacity rose to 3.5 GW. The grid is ready! Is it? Yes.",
            ["Mr. Li said capacity rose to 3.5 GW.", "The grid is ready!", "Is it?", "Yes."],
            id="english-abbreviation-and-decimal",
        ),
        pytest.param(
            "Dr. Wang and Prof. Zhao met U.S. officials on Nov. 17. They agreed.",
            ["Dr. Wang and Prof. Zhao met U.S. officials on Nov. 17.", "They agreed."],
            id="several-abbreviations",
        ),
        pytest.param(
            "The cluster cost $1.25 billion. It holds 10,000 GPUs.",
            ["The cluster cost $1.25 billion.", "It holds 10,000 GPUs."],
            id="money-and-thousands",
        ),
        pytest.param(
            "Power use rose 7.2%. 2027 will be higher.",
            ["Power use rose 7.2%.", "2027 will be higher."],
            id="next-sentence-starts-with-a-digit",
        ),
        pytest.param(
            '"It works," she said. "We are done."',
            ['"It works," she said.', '"We are done."'],
            id="quoted-sentence",
        ),
        pytest.param(
            "国家算力网正式上线。首批节点已接入！这意味着什么？专家表示乐观。",
            ["国家算力网正式上线。", "首批节点已接入！", "这意味着什么？", "专家表示乐观。"],
            id="chinese",
        ),
        pytest.param(
            "他说：“项目已完工。”随后离开。",
            ["他说：“项目已完工。”", "随后离开。"],
            id="chinese-closing-quote-stays",
        ),
        pytest.param(
            "装机容量达到3.5吉瓦。同比增长12.5%！",
            ["装机容量达到3.5吉瓦。", "同比增长12.5%！"],
            id="chinese-decimals",
        ),
        pytest.param(
            "华为发布了新芯片。The chip uses 7 nm. 它将于明年上市。",
            ["华为发布了新芯片。", "The chip uses 7 nm.", "它将于明年上市。"],
            id="mixed-languages",
        ),
        pytest.param(
            "First paragraph without a stop\n\nSecond paragraph.",
            ["First paragraph without a stop", "Second paragraph."],
            id="paragraphs-never-merge",
        ),
        pytest.param("", [], id="empty"),
        pytest.param(
            "He said no. The ministry declined.",
            ["He said no.", "The ministry declined."],
            id="the-word-no-ends-a-sentence"
        ),
        pytest.param(  # 2023-W38, The Verge: "George R.R." ended the summary
            "Authors like John Grisham, George R.R. Martin and John F. Kennedy Jr. sued. Elon Musk owns X. It grew.",
            [
                "Authors like John Grisham, George R.R. Martin and John F. Kennedy Jr. sued.",
                "Elon Musk owns X.",
                "It grew.",
            ],
            id="initials-end-no-sentence",
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_lose_no_words() -> None:
    text = "Mr. Li said capacity rose to 3.5 GW. The grid is ready! 国家算力网正式上线。首批节点已接入！"
    assert "".join(sentences(text)).replace(" ", "") == text.replace(" ", "")


# -- html_to_text, squash, normalise --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        pytest.param("<p>One.</p><p>Two.</p>", "One.\n\nTwo.", id="paragraphs"),
        pytest.param(
            "<p>One &amp; two&nbsp;&lt;three&gt; &#8212; &quot;four&quot;</p>",
            'One & two <three> — "four"',
            id="entities",
        ),
        pytest.param("line one<br>line two<br/>line three", "line one\n\nline two\n\nline three", id="br"),
        pytest.param("<ul><li>a</li><li>b</li></ul>", "a\n\nb", id="list-items"),
        pytest.param("<h2>Title</h2><div>Body   text\t here</div>", "Title\n\nBody text here", id="heading-and-spaces"),
        pytest.param(
            "<p>Text</p><script>var x = '<p>bad</p>';</script><style>p { color: red }</style>",
            "Text",
            id="script-and-style-dropped",
        ),
        pytest.param("no markup at all", "no markup at all", id="plain"),
        pytest.param("R&amp;D", "R&D", id="entity-without-tags"),
        pytest.param("<p>国家算力网</p>\n\n\n<p>正式上线</p>", "国家算力网\n\n正式上线", id="chinese-paragraphs"),
        pytest.param("<p>国家<strong>算力</strong>网</p>", "国家算力网", id="inline-tag-inside-chinese-word"),
        pytest.param(
            "<p>Shares of <a href='/smic'>SMIC</a>, the foundry, rose.</p>",
            "Shares of SMIC, the foundry, rose.",
            id="inline-link-before-comma",
        ),
    ],
)
def test_html_to_text(fragment: str, expected: str) -> None:
    assert html_to_text(fragment) == expected


def test_squash_keeps_one_blank_line_between_paragraphs() -> None:
    assert squash("  a \u00a0 b\r\n\r\n\r\n\n c\u3000d  \n") == "a b\n\nc d"


def test_normalise_folds_width_case_and_space() -> None:
    assert normalise("  ＨＵＡＷＥＩ　Ａｓｃｅｎｄ\t９１０  ") == "huawei ascend 910"


# -- content_hash -------------------------------------------------------------------------------------

BODY = "Huawei's Ascend 910C enters mass production, the company said on Tuesday."


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(BODY.upper(), id="case"),
        pytest.param(
            "  Huawei's   Ascend\n\n910C enters mass production,\tthe company said on Tuesday.  ", id="spacing"
        ),
        pytest.param("Huawei s Ascend 910C enters mass production -- the company said on Tuesday!!", id="punctuation"),
        pytest.param(
            "Ｈｕａｗｅｉ's Ａｓｃｅｎｄ ９１０Ｃ enters mass production，the company said on Tuesday。",
            id="full-width",
        ),
    ],
)
def test_content_hash_ignores_case_spacing_punctuation_and_width(variant: str) -> None:
    assert content_hash("title", variant) == content_hash("title", BODY)


def test_content_hash_chinese_full_width_punctuation() -> None:
    assert content_hash("", "国家算力网正式上线，首批节点已接入。") == content_hash(
        "", "国家算力网 正式上线. 首批节点已接入"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(BODY, BODY.replace("910C", "910B"), id="one-word-differs"),
        pytest.param("国家算力网正式上线", "国家算力网尚未上线", id="chinese-differs"),
    ],
)
def test_content_hash_tells_different_text_apart(a: str, b: str) -> None:
    assert content_hash("t", a) != content_hash("t", b)


def test_content_hash_uses_title_when_there_is_no_body() -> None:
    assert content_hash("Hub passes 50,000 PFLOPS", "") == content_hash("x", "hub passes 50000 pflops")
    assert content_hash("Hub passes 50,000 PFLOPS", "") != content_hash("Another headline", "")
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash("a", "b"))


# -- canonical_url and story_id -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://example.com/news/a?utm_source=rss&utm_medium=feed&utm_campaign=x",
            "https://example.com/news/a",
            id="utm",
        ),
        pytest.param(
            "https://example.com/a?fbclid=1&gclid=2&spm=a.b.c&from=timeline&share_token=9&mc_cid=3&id=7",
            "https://example.com/a?id=7",
            id="other-tracking-params",
        ),
        pytest.param("https://example.com/a#comments", "https://example.com/a", id="fragment"),
        pytest.param("https://example.com/news/a/", "https://example.com/news/a", id="trailing-slash"),
        pytest.param("https://www.example.com/a", "https://example.com/a", id="www"),
        pytest.param("https://m.example.com/a", "https://example.com/a", id="mobile-m"),
        pytest.param("http://example.com/a", "https://example.com/a", id="http-to-https"),
        pytest.param("https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3", id="sorted-query"),
        pytest.param("HTTPS://WWW.Example.COM/News/A", "https://example.com/News/A", id="host-lowercased-path-kept"),
        pytest.param("http://example.com:80/a", "https://example.com/a", id="default-port-dropped"),
        pytest.param("http://127.0.0.1:8765/feed/a.html", "https://127.0.0.1:8765/feed/a.html", id="other-port-kept"),
        pytest.param("https://example.com", "https://example.com/", id="empty-path-is-root"),
        pytest.param("https://example.com/", "https://example.com/", id="root-kept"),
        pytest.param(
            "https://www.sina.com.cn/tech/x.shtml", "https://sina.com.cn/tech/x.shtml", id="www-on-a-cn-domain"
        ),
        pytest.param("https://www.com/a", "https://www.com/a", id="bare-www-domain-kept"),
        pytest.param("https://example.com/a?q=&id=3", "https://example.com/a?id=3&q=", id="blank-value-kept"),
        pytest.param("  https://example.com/a  ", "https://example.com/a", id="surrounding-space"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected, "canonical_url is not idempotent"


VARIANTS = [
    "https://example.com/news/2026/11/17/hub.html",
    "http://example.com/news/2026/11/17/hub.html",
    "https://www.example.com/news/2026/11/17/hub.html?utm_source=rss",
    "https://m.example.com/news/2026/11/17/hub.html#top",
    "http://WWW.EXAMPLE.COM/news/2026/11/17/hub.html/?utm_medium=feed&fbclid=abc",
]


def test_story_id_is_the_same_for_every_variant_of_a_link() -> None:
    assert {story_id(u) for u in VARIANTS} == {story_id(VARIANTS[0])}


def test_story_id_is_stable_and_16_hex_digits() -> None:
    # A golden value: changing the id scheme would duplicate every stored story on the next fetch.
    assert story_id("https://example.com/news/1") == "3eaea8abd01c3643"
    assert re.fullmatch(r"[0-9a-f]{16}", story_id(VARIANTS[0]))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("https://example.com/news/1", "https://example.com/news/2", id="path"),
        pytest.param("https://example.com/a?id=1", "https://example.com/a?id=2", id="meaningful-query"),
        pytest.param("https://example.com/a", "https://example.org/a", id="host"),
        pytest.param("https://example.com/A", "https://example.com/a", id="path-case"),
    ],
)
def test_story_id_tells_different_articles_apart(a: str, b: str) -> None:
    assert story_id(a) != story_id(b)
