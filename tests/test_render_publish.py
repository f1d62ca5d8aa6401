"""Rendering and publishing: escaped untrusted text, a renderer that fetches nothing, atomic archive files."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from briefing.classify import load_themes
from briefing.errors import PublishError
from briefing.publish import atomic_write, publish_edition, write_index
from briefing.records import Edition, Item, Section, Source, Story, ThemeScore
from briefing.render import render_html, render_pdf

HOSTILE_TITLE = '<script>alert("x")</script><img src="file:///etc/passwd"> 算力 <b>bold</b>'


def _edition(
    title: str = "Ningxia hub passes 50,000 PFLOPS", url: str = "https://example.org/a", summary: str = "A summary."
) -> Edition:
    themes = load_themes()
    story = Story(
        id="s1",
        source="wire",
        url=url,
        title=title,
        text=summary,
        lang="en",
        published=datetime(2026, 11, 17, 1, tzinfo=UTC),
    )
    item = Item(
        story=story,
        source_name="Wire <Agency>",
        summary=summary,
        themes=(ThemeScore("compute", 0.9),),
        also=(("Other & Co", "https://other.example/b"),),
        score=1.0,
    )
    zh = Story(
        id="s2",
        source="zh",
        url="https://zh.example/b",
        title="宁夏枢纽智算规模突破5万PFLOPS",
        text="中卫枢纽。",
        lang="zh",
        published=datetime(2026, 11, 17, 2, tzinfo=UTC),
    )
    zh_item = Item(
        story=zh,
        source_name="中关村科技日报",
        summary="中卫枢纽的智能算力规模已经突破5万PFLOPS。镕喆",
        themes=(ThemeScore("compute", 0.8),),
    )
    sections = tuple(Section(theme=t, items=(zh_item,) if t.id == "compute" else ()) for t in themes)
    return Edition(
        week="2026-W47",
        timezone="Asia/Shanghai",
        first_day="16 November 2026",
        last_day="22 November 2026",
        lead=item,
        sections=sections,
        sources=(
            (Source(id="wire", name="Wire <Agency>", kind="feed", url="https://wire.example/feed", lang="en"), 1),
        ),
        story_count=2,
        cluster_count=2,
    )


def test_untrusted_text_is_escaped_everywhere() -> None:
    html = render_html(
        _edition(title=HOSTILE_TITLE, url='javascript:alert(1)" onmouseover="x', summary="<iframe src=//evil>")
    )
    assert "<script>" not in html and "<iframe" not in html and "<img" not in html and 'onmouseover="x' not in html
    assert "&lt;script&gt;" in html and "Wire &lt;Agency&gt;" in html and "Other &amp; Co" in html


def test_the_renderer_fetches_nothing_a_story_names(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    html = render_html(_edition()).replace(
        "</body>",
        f'<img src="file://{secret}"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="http://169.254.169.254/latest"></body>',
    )
    before = os.stat(secret).st_atime_ns
    pdf = render_pdf(html, week="2026-W47")  # a fetch would raise or be logged; it must simply not happen
    assert pdf.startswith(b"%PDF")
    assert os.stat(secret).st_atime_ns == before


def test_a_page_rendered_again_in_the_same_process_is_not_laid_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import uuid

    from briefing.render import _fonts, _pdf

    _fonts.check_fonts()  # fonts and glyphs are looked up once a process (fc-list, fc-match): not what is counted
    _fonts.missing_glyphs("你好再见")
    children: list[object] = []
    run = subprocess.run

    def counted_run(*args: object, **kwargs: object) -> object:
        children.append(args)
        return run(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(_pdf.subprocess, "run", counted_run)
    page = f"<!doctype html><html lang='en'><body><p>{uuid.uuid4().hex} 你好</p></body></html>"
    first = render_pdf(page, week="2026-W47")
    assert render_pdf(page, week="2026-W47") == first and len(children) == 1  # the same bytes, no second child
    assert render_pdf(page.replace("你好", "再见"), week="2026-W47").startswith(b"%PDF") and len(children) == 2
    render_pdf(page, week="2026-W47", timeout=100)  # other bounds: rendered again, under them
    assert len(children) == 3


def test_html_is_deterministic_and_self_contained() -> None:
    a, b = render_html(_edition()), render_html(_edition())
    assert a == b
    assert not re.search(r"""<(link|script|img)\b[^>]*(href|src)=["']https?:""", a)
    assert '<html lang="en">' in a and 'lang="zh"' in a


def test_pdf_sets_chinese_in_an_embedded_cjk_font(tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(render_pdf(render_html(_edition()), week="2026-W47"))
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "宁夏枢纽智算规模突破5万PFLOPS" in text and "镕喆" in text
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("CJK" in f for f in fonts)
    assert path.stat().st_size < 2_000_000
    root = reader.trailer["/Root"]
    assert (
        root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "en"
    )  # PDF/UA: tagged, with a language


def test_publish_writes_both_files_and_an_index_newest_first(tmp_path: Path) -> None:
    for week in ("2026-W45", "2026-W47", "2026-W46"):
        publish_edition(tmp_path, week, f"<p>{week}</p>", b"%PDF-1.7 fake")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert [m for m in re.findall(r'href="briefing-(\d{4}-W\d{2})\.html"', index)] == [
        "2026-W47",
        "2026-W46",
        "2026-W45",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["index.html", "feed.xml"]
        + [f"briefing-2026-W4{n}.{ext}" for n in (5, 6, 7) for ext in ("html", "pdf", "json")]
    )


def test_the_atom_feed_lists_every_week_newest_first_and_is_deterministic(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    from briefing.publish import EditionInfo

    for week, lead in (("2026-W46", "SMIC adds capacity"), ("2026-W47", "Ningxia hub passes 50,000 PFLOPS")):
        publish_edition(
            tmp_path,
            week,
            f"<p>{week}</p>",
            b"%PDF",
            EditionInfo(week=week, lead=lead, stories=20, events=15),
            public_url="https://briefing.example/archive/",
        )
    first = (tmp_path / "feed.xml").read_bytes()
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(first)
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == [
        "China Tech Briefing 2026-W47: Ningxia hub passes 50,000 PFLOPS",
        "China Tech Briefing 2026-W46: SMIC adds capacity",
    ]
    links = {link.get("rel"): link.get("href") for link in entries[0].findall(f"{atom}link")}
    assert links == {
        "alternate": "https://briefing.example/archive/briefing-2026-W47.html",
        "enclosure": "https://briefing.example/archive/briefing-2026-W47.pdf",
    }
    assert entries[0].findtext(f"{atom}updated") == "2026-11-23T00:00:00Z"
    publish_edition(
        tmp_path,
        "2026-W47",
        "<p>2026-W47</p>",
        b"%PDF",
        EditionInfo(week="2026-W47", lead="Ningxia hub passes 50,000 PFLOPS", stories=20, events=15),
        public_url="https://briefing.example/archive/",
    )
    assert (tmp_path / "feed.xml").read_bytes() == first
    assert "Ningxia hub passes 50,000 PFLOPS" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_republishing_a_week_replaces_its_files(tmp_path: Path) -> None:
    publish_edition(tmp_path, "2026-W47", "<p>first</p>", b"%PDF one")
    publish_edition(tmp_path, "2026-W47", "<p>second</p>", b"%PDF two")
    assert (tmp_path / "briefing-2026-W47.html").read_text(encoding="utf-8") == "<p>second</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "briefing-2026-W47.html",
        "briefing-2026-W47.json",
        "briefing-2026-W47.pdf",
        "feed.xml",
        "index.html",
    ]


def test_a_week_without_its_pdf_is_not_listed(tmp_path: Path) -> None:
    (tmp_path / "briefing-2026-W40.html").write_text("half", encoding="utf-8")
    write_index(tmp_path)
    assert "2026-W40" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "briefing-2026-W47.pdf"
    atomic_write(target, b"old")
    os.chmod(tmp_path, 0o500)
    try:
        if os.access(tmp_path, os.W_OK):  # root ignores permissions: use a path whose parent is a file
            blocker = tmp_path / "file"
            blocker.write_bytes(b"")
            with pytest.raises(PublishError):
                atomic_write(blocker / "x.pdf", b"new")
        else:
            with pytest.raises(PublishError):
                atomic_write(target, b"new")
    finally:
        os.chmod(tmp_path, 0o700)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_extension_b_characters_render_in_the_pdf(tmp_path: Path) -> None:
    edition = _edition(title="Rare names: 𠀀𠀁 and 𪚥 in a headline")
    path = tmp_path / "b.pdf"
    path.write_bytes(render_pdf(render_html(edition), week="2026-W47"))
    reader = PdfReader(path)
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "𠀀" in text and "𪚥" in text
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("HanaMin" in f for f in fonts), fonts


def test_a_character_no_font_can_draw_fails_the_render() -> None:
    from briefing.errors import RenderError

    with pytest.raises(RenderError, match=r"no installed font has a glyph for .* \(U\+E000\)"):
        render_pdf(render_html(_edition(title="Private use \ue000 character")), week="2026-W47")


def test_a_hostile_page_makes_no_request(tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        edition = _edition(
            title=f'<img src="{base}/title.png">',
            url=f"{base}/link",
            summary=f'<img src="{base}/summary.png"><link rel=stylesheet href="{base}/x.css">',
        )
        html = render_html(edition).replace(
            "</body>", f'<img src="{base}/injected.png"><iframe src="{base}/frame"></iframe></body>'
        )
        render_pdf(html, week="2026-W47")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_publishing_to_object_storage(tmp_path: Path) -> None:
    import fsspec

    from briefing.publish import Archive, EditionInfo

    url = f"memory://briefing-test-{tmp_path.name}/archive"
    published = publish_edition(
        url, "2026-W47", "<p>W47</p>", b"%PDF-1.7 w47", EditionInfo(week="2026-W47", lead="Lead", stories=3, events=2)
    )
    assert published.pdf.startswith("memory://") and published.pdf.endswith(
        f"{tmp_path.name}/archive/briefing-2026-W47.pdf"
    )
    fs = fsspec.filesystem("memory")
    assert fs.cat_file(f"{url}/briefing-2026-W47.pdf") == b"%PDF-1.7 w47"
    assert Archive(url).names() == [
        "briefing-2026-W47.html",
        "briefing-2026-W47.json",
        "briefing-2026-W47.pdf",
        "feed.xml",
        "index.html",
    ]
    assert "2026-W47" in fs.cat_file(f"{url}/index.html").decode("utf-8")
    assert not [n for n in fs.find(url) if n.endswith(".tmp")]  # no temporary object left behind


def test_a_theme_with_no_story_gets_a_line_not_a_page() -> None:
    edition = _edition()
    html = render_html(edition)
    quiet = [s.theme for s in edition.sections if not s.items]
    assert quiet and len(quiet) < len(edition.sections)
    assert all(f'id="theme-{t.id}"' not in html for t in quiet)  # no section, so no page of its own
    assert html.count('<section class="theme theme-') == len(edition.sections) - len(quiet)
    assert "No stories this week in Energy, Policy, Chips, AI models or Science." in html


def test_a_headline_is_shown_without_the_outlets_column() -> None:
    """36氪 and 腾讯新闻 name their column after the headline ("… | 最前线", "… | 焦点分析", "…｜深网"; 2023-W36..W44,
    ~45 stories): the briefing shows the headline alone; a roundup's leading label ("早报｜") stays."""
    from briefing.render import shown_headline

    assert shown_headline("国内首艘氢能动力船完成首航 | 最前线") == "国内首艘氢能动力船完成首航"
    assert (
        shown_headline("在杭州，我们看到了阿里AI生态的近百种应用 | 焦点分析")
        == "在杭州，我们看到了阿里AI生态的近百种应用"
    )
    assert shown_headline("早报｜华为发布会定档 / iPhone 15 开售") == "早报｜华为发布会定档 / iPhone 15 开售"
    assert shown_headline("高通拟在加州裁逾1200人｜AI一周资讯").endswith("AI一周资讯")  # says it is a roundup
    assert shown_headline("短标题 | 最前线") == "短标题 | 最前线"  # nothing left to show but the column
    html = render_html(_edition(title="Ningxia hub passes 50,000 PFLOPS | 最前线"))
    assert "最前线" not in html and "Ningxia hub passes 50,000 PFLOPS" in html


def test_a_trend_of_one_week_is_not_drawn() -> None:
    """A first edition (2023-W36..W43 built alone) drew one column under "Events per theme, last 1 weeks":
    the share bar again. A trend needs two weeks."""
    from dataclasses import replace

    from briefing.records import ThemeCount, WeekCounts

    week = WeekCounts("2026-W47", (ThemeCount("compute", 2),))
    one = render_html(replace(_edition(), trend=(week,)))
    assert "last 1 weeks" not in one and "trend-title" not in one
    two = render_html(replace(_edition(), trend=(week._replace(week="2026-W46"), week)))
    assert "last 2 weeks" in two and "trend-title" in two


def test_a_number_of_the_week_comes_with_the_sentence_that_carries_it() -> None:
    from briefing.select import numbers_of_the_week

    story = Story(id="a", source="s", url="https://example.org/a", title="Zhipu raises more funds", text="", lang="en")
    item = Item(
        story=story,
        source_name="Outlet",
        summary="The round values it at 20 billion yuan. Rivals raised less.",
        themes=(),
        score=1.0,
    )
    [figure] = numbers_of_the_week([item])
    assert figure.text == "20 billion yuan"
    assert figure.sentence == "The round values it at 20 billion yuan."
    deep = Item(
        story=Story(
            id="b", source="s", url="", title="Lenovo shows an AI PC", text="Apple's M3 uses 3nm. " * 3, lang="en"
        ),
        source_name="O",
        summary="Lenovo showed a PC.",
        themes=(),
        score=2.0,
    )
    assert numbers_of_the_week([deep]) == ()  # a figure deep in the text may be another company's
    roundup = Item(
        story=Story(
            id="c",
            source="s",
            url="",
            title="早报｜华为新基站 / 国庆机票跳水部分线路票价低于 200 元 / 诺贝尔奖",
            lang="zh",
        ),
        source_name="O",
        summary="中企承建的阿联酋风电项目投入运营，总装机容量为117.5兆瓦。",
        themes=(),
        score=3.0,
    )
    [figure] = numbers_of_the_week([roundup])  # a roundup's headline lists what it does not explain
    assert figure.text == "117.5兆瓦" and figure.sentence.startswith("中企承建")


def test_english_quotes_and_apostrophes_are_set_proportional_and_chinese_ones_full_width() -> None:
    """The CJK fonts the stylesheet names first draw ’ “ ” full width, as Chinese sets them: in English
    text ("Microsoft’s") that reads as a gap. The stylesheet asks English for the proportional forms."""
    import weasyprint

    from briefing.resources import resource

    css = resource("templates/briefing.css").read_text(encoding="utf-8")

    def width(lang: str) -> float:
        page = (
            f"<html lang='en'><head><meta charset='utf-8'><style>{css} p {{ font-size: 20px }}</style></head>"
            f"<body><p><span lang='{lang}'>{'’' * 10}</span></p></body></html>"
        )
        boxes = weasyprint.HTML(string=page).render().pages[0]._page_box.descendants()
        return next(float(b.width) for b in boxes if type(b).__name__ == "TextBox" and "’" in b.text)

    assert width("en") < 10 * 20 * 0.5  # proportional: about a quarter of an em each
    assert width("zh") >= 10 * 20 * 0.9  # full width, as Chinese sets them


def test_a_roundup_headlined_by_its_label_alone_says_what_it_holds() -> None:
    """2023-W41, 新闻联播: "国内联播快讯" headed a story in Compute and a line of "Only in the Chinese press"; the
    label names the column, not the news. Its first item's sentence follows the label, and the summary goes on
    from there rather than repeat it."""
    from briefing.render import item_headline, item_summary

    story = Story(id="r", source="zh-xwlb", url="https://tv.example/r", title="国内联播快讯", text="", lang="zh")
    first = "中国物流与采购联合会今天（10月9日）公布，9月份中国大宗商品指数为103.6%，较上月上升0.9个百分点。"
    item = Item(story=story, source_name="zh-xwlb", summary=first + "指数连续两个月环比上升。", themes=())
    assert item_headline(item) == "国内联播快讯：" + first.rstrip("。")
    assert item_summary(item) == "指数连续两个月环比上升。"
    report = Item(story=replace(story, title="李强在浙江调研"), source_name="zh-xwlb", summary=first, themes=())
    assert (item_headline(report), item_summary(report)) == ("李强在浙江调研", first)
    listed = replace(story, title="早报｜华为发布会定档 / iPhone 15 开售")  # names its items: shown as it is
    assert item_headline(replace(report, story=listed)) == listed.title
    edition = _edition()
    compute = next(s for s in edition.sections if s.theme.id == "compute")
    html = render_html(replace(edition, sections=(replace(compute, items=(item,)),)))
    assert "国内联播快讯：中国物流与采购联合会" in html and html.count("较上月上升0.9个百分点") == 1


def test_a_roundup_headlined_by_its_label_alone_takes_its_first_items_heading() -> None:
    """2024-W02, 新闻联播: "国内联播快讯" over "南水北调工程2023年超额完成年度调水任务" and its news; the label was
    followed by the whole first sentence (a headline of three lines) and the summary went on to the next item
    ("……全国总工会日前印发《女职工数字技能提升方案》……"). The first item's heading follows the label, and
    its news is the summary."""
    from briefing.render import item_headline, item_summary

    news = "记者从水利部了解到，2023年，南水北调东、中线一期工程调水85.37亿立方米，超额完成年度调水任务。"
    text = f"南水北调工程2023年超额完成年度调水任务\n{news}……\n全国总工会印发《女职工数字技能提升方案》\n……"
    story = Story(id="r", source="zh-xwlb", url="https://tv.example/r", title="国内联播快讯", text=text, lang="zh")
    item = Item(story=story, source_name="zh-xwlb", summary=news, themes=())
    assert item_headline(item) == "国内联播快讯：南水北调工程2023年超额完成年度调水任务"
    assert item_summary(item) == news
    # a first item with no news under its heading: the summary's sentence follows the label, as before
    bare = replace(story, text="全国总工会拨付9.6亿元中央财政资金\n前7个月深圳市累计进出口2.01万亿元\n" + news)
    assert item_headline(replace(item, story=bare)) == "国内联播快讯：" + news.rstrip("。")


def test_a_number_of_the_week_in_chinese_is_given_in_english_and_never_carried_by_its_headline_again() -> None:
    """2024-W03 (腾讯新闻) and W02 (新闻联播): "1100亿美元" and "35万亿元" stood beside Chinese headlines with
    nothing a reader of English could read; "35万亿元" was carried by its headline's own words, printed twice
    ("…同比增长近6%国务院国资委…" above "国内联播快讯：…同比增长近6%国务院国资委…")."""
    from briefing.records import Figure
    from briefing.render import figure_carrier, figure_english

    title = "2024年第一大收购案，1100亿美元“芯片设计巨头”诞生"
    deal = Item(
        story=Story(id="d", source="zh-qqnews", url="https://zh.example/d", title=title, text="", lang="zh"),
        source_name="zh-qqnews",
        summary="在芯片设计领域，一个更大的玩家正在诞生。",
        themes=(),
    )
    figure = Figure(text="1100亿美元", story=deal, sentence=title)
    assert figure_english(figure) == "$110 billion" and figure_carrier(figure) == ""
    assert figure_english(Figure(text="$35 billion", story=deal)) == ""  # in English already
    sentence = "国务院国资委最新数据显示，2023年前11个月，地方国企营业收入突破35万亿元。"
    assert figure_carrier(Figure(text="35万亿元", story=deal, sentence=sentence)) == sentence
    edition = _edition()
    html = render_html(replace(edition, numbers=(figure,)))
    assert '<span class="figure-english" lang="en">$110 billion</span>' in html
    assert html.count("1100亿美元“芯片设计巨头”诞生") == 1  # the headline, not its carrier too


def _laid_out(html: str) -> list[Any]:
    """The text boxes of a page as WeasyPrint lays it out for print, each page's in order."""
    import weasyprint

    document = weasyprint.HTML(string=html).render()
    return [
        (n, b)
        for n, page in enumerate(document.pages)
        for b in page._page_box.descendants()
        if type(b).__name__ == "TextBox"
    ]


def test_the_contents_page_numbers_stand_at_the_margin_and_the_cover_counts_clear_its_list() -> None:
    """2024-W02 and W03, the PDF: a theme's page number stood before its count ("Compute 算力 ….3 1 story"), left
    of the other lines' numbers; and on a full cover the counts ("192 stories read") touched "This week in
    five" above them."""
    edition = _edition()
    lead = edition.lead
    assert lead is not None
    long = "A headline long enough to take most of the line on the cover of the briefing"
    five = tuple(replace(lead, story=replace(lead.story, id=f"f{i}", title=f"{long} {i}")) for i in range(5))
    boxes = _laid_out(render_html(replace(edition, in_five=five)))
    contents = [b for n, b in boxes if n == 1 and b.text.strip().isdigit()]  # the page numbers of the contents
    rights = {round(float(b.position_x + b.width)) for b in contents}
    assert len(contents) >= 3 and len(rights) == 1, rights
    last_item = max(float(b.position_y + b.height) for n, b in boxes if n == 0 and long in b.text)
    counts = min(float(b.position_y) for n, b in boxes if n == 0 and b.text.strip() == str(edition.story_count))
    assert counts - last_item >= 5 * 96 / 25.4, (last_item, counts)  # at least 5 mm between them


def test_a_chinese_headline_in_a_list_carries_its_english_line() -> None:
    """2024-W02 and W03, the cover's "This week in five" (three Chinese headlines of five in W03) and "Only in the
    Chinese press" (21 lines): Chinese headlines alone, nothing a reader of English could read. Each carries its
    English line: an English outlet's headline, or the offline note, said to be one (without the theme the list
    gives beside it, and none when it has nothing in English)."""
    from briefing.records import English

    edition = _edition()
    compute = next(s for s in edition.sections if s.theme.id == "compute")
    zh = compute.items[0]
    noted = replace(zh, english=English(headline="Compute · Ningxia · 50,000 PFLOPS", by="offline"))
    reported = replace(
        zh,
        story=replace(zh.story, id="s3"),
        english=English(headline="Ningxia's hub tops 50,000 PFLOPS", by="report", author="Wire"),
    )
    nothing = replace(
        zh,
        story=replace(zh.story, id="s4"),
        english=English(headline="Compute · a Chinese report (no names or figures …)", by="offline"),
    )
    html = render_html(replace(edition, in_five=(noted, reported), chinese_only=(noted, nothing)))
    note = '<span class="list-english list-english-offline" lang="en">'
    assert html.count(note + "Compute · Ningxia · 50,000 PFLOPS") == 1  # on the cover
    assert html.count(note + "Ningxia · 50,000 PFLOPS") == 1  # beside its theme in "Only in the Chinese press"
    assert "(offline note)" in html and html.count(note) == 2  # a note with nothing in English is left out
    assert '<span class="list-english list-english-report" lang="en">Ningxia&#39;s hub tops 50,000 PFLOPS' in html
