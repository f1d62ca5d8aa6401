"""Dedup: what a headline says of the kind of piece keeps pieces apart that share words but not an event:
an explainer and the reports it explains, two issues of one column, two numbered parts of a series, two
teasers that carry one boilerplate standfirst."""

from __future__ import annotations

import itertools

import pytest

from briefing.dedup import KeywordReader, dedup, event_text, same_event_probability
from briefing.dedup._genres import (
    Genre,
    column,
    first_item,
    genre,
    is_digest,
    is_explainer,
    is_preview,
    series_part,
    without_label,
)
from briefing.records import Story

from .dedup_stories import story as _story


def _together(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in dedup(stories)}


@pytest.mark.parametrize(
    ("title", "explainer"),
    [
        pytest.param("K5 versus K4: how the new Kestrel laptops compare", True, id="versus"),
        pytest.param("Kestrel K5 vs. Lumen L2 on battery life", True, id="vs"),
        pytest.param("How the new Kestrel laptops compare with last year's", True, id="how-compare"),
        pytest.param("解读 2025 年十大技术趋势", True, id="zh-reading"),
        pytest.param("Explainer: what the chip rules cover", True, id="explainer"),
        pytest.param("Kestrel launches K5 laptop with a faster chip", False, id="report"),
        pytest.param("AI实时解读脑电信号，延迟仅0.3秒", False, id="zh-word-inside"),
    ],
)
def test_an_explainer_is_told_by_its_headline(title: str, explainer: bool) -> None:
    assert is_explainer(title) is explainer


def test_an_explainer_never_joins_the_reports_it_explains() -> None:
    lead = "Kestrel announced the K5 laptop on Monday with its new K5 chip, a larger battery and a brighter screen."
    one = _story("one", "Kestrel unveils K5 laptop with new K5 chip", lead, source="wire")
    two = _story(
        "two",
        "Kestrel's new K5 laptop brings the K5 chip and a brighter screen",
        lead.replace("Monday", "Monday evening"),
        source="desk",
        hours=2,
    )
    versus = _story(
        "vs",
        "K4 versus K5: how the new Kestrel laptops compare",
        "Kestrel announced the K5 laptop on Monday; here is how it compares.",
        source="desk",
        hours=5,
    )
    assert _together([one, two, versus]) == {frozenset({"one", "two"}), frozenset({"vs"})}


def test_two_issues_of_one_column_are_two_pieces() -> None:
    reader = KeywordReader()
    a = event_text(
        "Science briefs: neutrino detectors, a gene-therapy setback",
        "The week in science and policy, in short.",
        reader,
    )
    b = event_text("Science briefs: bird flu, a telescope delay", "The week in science and policy, in short.", reader)
    assert same_event_probability(a, b, 24, True, False) == 0.0
    assert column("Science briefs: bird flu") == frozenset({"p:science briefs"})
    assert column("智谱发布新模型 | 最前线") == frozenset({"s:最前线"})


def test_one_column_label_in_two_outlets_is_no_column() -> None:
    first = genre("Briefing: Kestrel unveils K5 laptop")
    second = genre("Briefing: Kestrel K5 laptop unveiled")
    assert first.apart(second, same_source=True, same_headline=False)
    assert not first.apart(second, same_source=False, same_headline=False)
    assert not first.apart(first, same_source=True, same_headline=True)


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [
        pytest.param(
            "评论员文章：坚定信心稳增长——经济观察③", "评论员文章：扩大开放促发展——经济观察④", True, id="circled"
        ),
        pytest.param(
            "Chip supply chains, part 2: the tools", "Chip supply chains, part 3: the materials", True, id="part"
        ),
        pytest.param("芯片产业链（一）：设备", "芯片产业链（一）：设备", False, id="same-part"),
        pytest.param("芯片产业链（一）：设备", "能源转型（二）：电网", False, id="other-series"),
    ],
)
def test_numbered_parts_of_one_series_are_other_pieces(first: str, second: str, apart: bool) -> None:
    assert genre(first).apart(genre(second), same_source=False, same_headline=first == second) is apart
    assert series_part("经济观察③") == ("经济观察", "③")
    assert Genre().apart(Genre(), same_source=True, same_headline=False) is False


def test_teasers_with_one_boilerplate_standfirst_are_not_copies() -> None:
    boiler = "Welcome to the Morning Dispatch, the day's political news in brief."
    a = _story("a", "Ministers clash over port tariffs", boiler, source="paper")
    b = _story("b", "Rail strike halts northern freight", boiler, source="paper", hours=24)
    again = _story("c", "Ministers clash over port tariffs", boiler, source="paper", hours=1)
    assert _together([a, b, again]) == {frozenset({"a", "c"}), frozenset({"b"})}


def test_one_real_lead_under_two_headlines_is_one_story() -> None:
    lead = "With a free library card and the right app, readers can borrow e-books and audiobooks from a local branch."
    a = _story("a", "Borrow library e-books on your phone", lead, source="paper")
    b = _story("b", "How to use a library card for audiobooks and e-books", lead, source="paper", hours=1)
    assert _together([a, b]) == {frozenset({"a", "b"})}


def test_executive_order_is_one_word_in_both_languages() -> None:
    reader = KeywordReader()
    en = reader.read("White House signs executive order on chip exports", "")
    zh = reader.read("白宫签署芯片出口行政命令", "")
    assert "@executive-order" in en.neutral
    assert "@executive-order" in zh.neutral


def test_stories_with_one_text_cluster_alike_in_any_order() -> None:
    """A standfirst is a copy only under the same headline, whichever story comes first (found by the
    order property: a story without a body once joined both teasers, or one of them, by the order)."""
    a = _story("a", "Kestrel K5 tops chip charts", "Sign up for our daily newsletter.", source="paper")
    b = _story("b", "Port strike halts freight", "Sign up for our daily newsletter.", source="paper", hours=1)
    bare = _story("c", "Sign up for our daily newsletter.", "", source="paper", hours=2)
    partitions = {frozenset(_together(list(order))) for order in itertools.permutations([a, b, bare])}
    assert len(partitions) == 1
    assert frozenset({"a", "b"}) not in next(iter(partitions))


@pytest.mark.parametrize(
    ("title", "digest"),
    [
        # roundups of the real weeks: items separated by slashes or semicolons, a list before a colon, a label
        ("早报|诺贝尔奖颁给新冠疫苗功臣 / 华为将推超低功率 5G 基站 / 国庆机票跳水部分线路票价低于 200 元", True),
        ("早报|Meta 将苹果头显视为 2007 年 iPhone/华为手机显微镜专利曝光/微软明年或将推出 Win12 系统", True),
        (
            "极氪汽车否认安全气囊故障消息；英伟达与鸿海集团共建AI工厂；奇瑞汽车与半导体公司共建“汽车芯片联合实验室”｜汽车技术资讯",
            True,
        ),
        ("Li Keqiang, GDP and trade pick up, belt and road forum: 8 things from China's economy in October", True),
        ("国内联播快讯", True),
        ("派早报：Microsoft 面向企业客户推出 365 Copilot", True),
        ("医疗健康行业周报 | 「扬奇医芯」获数千万元战略投资；「固源医疗」获数千万元Pre-A轮融资", True),
        ("News at a glance: Avian flu, a gene-therapy setback, and an opera about a fraudulent scientist", True),
        ("The Morning After: US government announces AI Safety Institute", True),
        # reports: a slash inside a word, two items, a paper's name that holds a roundup's word
        ("Huawei's TCP/IP stack and 24/7 support win a Shenzhen contract", False),
        ("Rocket Report: China launches 3-man crew; SpaceX adds to busy manifest", False),
        ("人民日报评论员文章：中国将始终是世界发展的重要机遇——中国经济观察③", False),
        ("OpenAI 决定造芯，和 Nvidia「抢蛋糕」", False),
        ("快讯：英伟达发布新一代 AI 芯片 H200", False),  # a breaking report flagged as such
        ("TikTok owner ByteDance's valuation down 26 per cent to US$223.5 billion in stock buy-back", False),
        ("Zhipu AI raises 2.5 billion yuan: investors include Alibaba, Tencent and Meituan", False),
    ],
)
def test_a_roundup_is_told_by_its_headline(title: str, digest: bool) -> None:
    assert is_digest(title) is digest


def test_a_roundup_never_stands_for_the_event_it_mentions() -> None:
    """2023-W40: an ifanr morning roundup that mentions ByteDance's buy-back joined the reports of it and,
    from the more authoritative source, stood for them: the briefing led with a roundup's headline."""
    from briefing.dedup import representative

    roundup = _story(
        "roundup",
        "早报|诺贝尔奖颁给新冠疫苗功臣 / 华为将推超低功率 5G 基站 / 国庆机票跳水部分线路票价低于 200 元",
        "字节跳动回购美国雇员持股，估值降至2235亿美元。",
        source="zh-ifanr",
    )
    report = _story("report", "字节跳动回购美国雇员持股，估值传降至2235亿美元", "字节跳动回购美国雇员持股。", hours=3)
    assert representative([roundup, report], {"zh-ifanr": 2.0}).id == "report"
    assert representative([roundup], {}).id == "roundup"  # a roundup alone stands for itself


@pytest.mark.parametrize(
    ("title", "body", "item"),
    [
        (
            "早报|诺贝尔奖颁给新冠疫苗功臣 / 华为将推超低功率 5G 基站 / 国庆机票跳水部分线路票价低于 200 元",
            "",
            "诺贝尔奖颁给新冠疫苗功臣",
        ),
        (
            "News at a glance: Endangered plants, diversity in clinical trials, and testing fusion",
            "",
            "Endangered plants",
        ),
        (
            "The Morning After: US government announces AI Safety Institute",
            "",
            "US government announces AI Safety Institute",
        ),
        ("派早报：小米 14 系列发布、微软宣布 Surface 整合 Secured core PCs 方案", "", "小米 14 系列发布"),
        (
            "本周双碳大事：全国统一CCER交易系统即将上线运行；阳光电源等多家公司披露三季报；宁德时代宣布储能合作",
            "",
            "全国统一CCER交易系统即将上线运行",
        ),
        ("Li Keqiang, GDP and trade pick up, belt and road forum: 8 things from China's economy", "", "Li Keqiang"),
        (
            "国内联播快讯",
            "国家航天局发布嫦娥八号国际合作机遇公告。国家航天局日前发布了公告。",
            "国家航天局发布嫦娥八号国际合作机遇公告",
        ),
    ],
)
def test_a_roundup_says_first_its_first_item(title: str, body: str, item: str) -> None:
    assert first_item(title, body) == item


@pytest.mark.parametrize(
    ("title", "left"),
    [
        (
            "字节宣布除夕放假；Redis 创始人写出聊天服务器；高通拟裁员｜AI一周资讯",
            "字节宣布除夕放假；Redis 创始人写出聊天服务器；高通拟裁员｜",
        ),
        ("早报｜iPhone 15 发售 / GPT-4 接入 Win11 / 高铁增开", "｜iPhone 15 发售 / GPT-4 接入 Win11 / 高铁增开"),
        ("News at a glance: Big neutrino detectors, and lead", ": Big neutrino detectors, and lead"),
        ("OpenAI: the board fires its chief executive", "OpenAI: the board fires its chief executive"),
        ("AI 大模型的尽头，是发电厂吗？｜焦点分析", "AI 大模型的尽头，是发电厂吗？｜焦点分析"),
    ],
)
def test_a_roundups_label_is_left_out_and_other_headlines_kept_whole(title: str, left: str) -> None:
    """The label of a roundup ("AI一周资讯", "早报", "News at a glance") is taken out of its headline; a company's
    name before a colon, or a column's label that names no roundup ("焦点分析"), is kept."""
    assert without_label(title) == left


#: 2023-W40: ifanr's morning roundup lists the Nobel prize first and carries ByteDance's buy-back whole in
#: its text, a teaser among a dozen; two reports of the buy-back
ROUNDUP = (
    "早报|诺贝尔奖颁给新冠疫苗功臣 / 华为将推超低功率 5G 基站 / 国庆机票跳水部分线路票价低于 200 元",
    "2023 年诺贝尔生理学或医学奖揭晓 消息称 Apple Pencil 3 将配备可互换的磁性笔尖 字节跳动计划回购股票 "
    "据知情人士透露，字节跳动计划以每股160美元的价格回购美国员工持有的股票，对公司估值约为2235亿美元。"
    "华为将推出超低功率 5G 基站。国庆假期机票价格跳水，部分线路票价低于 200 元。",
)
BUYBACK = (
    "字节跳动回购美国雇员持股，估值传降至2235亿美元",
    "据知情人士透露，字节跳动计划以每股160美元的价格回购美国员工持有的股票，对公司估值约为2235亿美元。",
)


def test_a_roundup_never_joins_a_report_of_what_it_lists_later() -> None:
    """The roundup held the report's text whole (a copy by containment) and shared its names and figures
    (the same-event model); labelled with its first item, it was a false merge that led the briefing."""
    found = dedup(
        [
            _story("roundup", *ROUNDUP, source="zh-ifanr", lang="zh"),
            _story("a", *BUYBACK, source="zh-qqnews", lang="zh", hours=3),
            _story("b", BUYBACK[0].replace("估值传", "传估值"), BUYBACK[1], source="zh-qqnews", lang="zh", hours=3),
        ]
    )
    assert sorted(c.members for c in found) == [("a", "b"), ("roundup",)]


def test_a_roundup_joins_the_reports_of_its_first_item() -> None:
    """2023-W44: "The Morning After" leads with the AI Safety Institute and the labels join it to the reports."""
    found = dedup(
        [
            _story(
                "roundup",
                "The Morning After: US government announces AI Safety Institute",
                "Vice President Kamala Harris announced the US AI Safety Institute on Wednesday, to evaluate the "
                "risks of frontier AI models. Also: Apple's M3 MacBook Pros, and the final Beatles song.",
                source="en-engadget",
            ),
            _story(
                "report",
                "Kamala Harris announces AI Safety Institute to protect American consumers",
                "Vice President Kamala Harris announced the United States AI Safety Institute, which will evaluate "
                "known and emerging risks of frontier AI models.",
                source="en-wapo-tech",
                hours=-14,
            ),
        ]
    )
    assert [sorted(c.members) for c in found] == [["report", "roundup"]]


@pytest.mark.parametrize(
    ("title", "preview"),
    [
        pytest.param("How to watch Samsung’s Galaxy S24 event", True, id="how-to-watch"),  # 2024-W03, The Verge
        pytest.param("Where to preorder Samsung’s new Galaxy S24, S24 Plus, and S24 Ultra", True, id="preorder"),
        pytest.param("How to Watch Amazon Launch the First 2 Project Kuiper Satellites", True, id="nyt-watch"),
        pytest.param("What to expect from Microsoft’s ‘special’ Surface and AI event", True, id="expect"),
        pytest.param("U.S. v. Google: What to Know About the Biggest Antitrust Trial in 20 Years", True, id="know"),
        pytest.param("Microsoft Surface and AI event: live coverage from the keynote", True, id="live"),
        pytest.param("Amazon is set to supercharge Alexa with generative AI", True, id="set-to"),
        pytest.param("Intel will launch Meteor Lake on December 14th", True, id="will-launch"),
        pytest.param("New report reveals details on the three M3 chips Apple may launch Monday night", True, id="may"),
        pytest.param("Here’s where you can preorder Apple’s new M3-powered Macs", True, id="where-you-can"),
        pytest.param("Microsoft’s Surface and AI event: all the news and announcements", True, id="event-page"),
        pytest.param("All the news from Amazon’s September 2023 product launch event", True, id="event-page-2"),
        pytest.param("天舟七号货运飞船瞄准今天22时27分发射", True, id="zh-aim"),  # 2024-W03, qqnews
        pytest.param("天舟七号货运飞船将于今日发射", True, id="zh-will"),  # 2024-W03, xwlb
        pytest.param("“天宫课堂”第四课将于9月21日开课", True, id="zh-schedule"),  # 2023-W38, xwlb
        pytest.param("首届“一带一路”科技交流大会将在重庆举办", True, id="zh-held-in"),
        pytest.param("华为秋季全场景发布会前瞻：Mate60 RS归位，新车品牌或亮相", True, id="zh-preview"),
        pytest.param("Samsung’s new Galaxy S24 translates live phone calls with AI", False, id="live-word"),
        pytest.param("How to get started with Cinebench 2024", False, id="how-to-use"),
        pytest.param("All the news on Google’s Pixel 8 lineup", False, id="product-page"),  # no event: a subject's
        pytest.param("Samsung may charge users for Galaxy S24 AI features after 2 years", False, id="may-charge"),
        pytest.param("Google’s Antitrust Loss to Epic Could Preview Its Legal Fate in 2024", False, id="preview-verb"),
        pytest.param("天舟七号货运飞船发射任务取得圆满成功", False, id="zh-report"),
        pytest.param("【新时代新征程新伟业——实干笃行】天津瞄准新领域 塑造高质量发展新动能", False, id="zh-aim-at"),
        pytest.param("月球之后瞄准太阳，印度计划9月2日发射首个太阳探测器", False, id="zh-aim-clause"),
        pytest.param("中国空间站第四次太空授课活动取得圆满成功", False, id="zh-done"),
    ],
)
def test_a_preview_is_told_by_its_headline(title: str, preview: bool) -> None:
    assert is_preview(title) is preview


# 2024-W03: The Verge's service piece, published before Samsung's event, and the reports of the launch
_SAMSUNG = [
    ("watch", "How to watch Samsung’s Galaxy S24 event", "en-theverge", 0.0),
    ("verge", "Samsung’s S24 and S24 Plus put new AI smarts in a polished package", "en-theverge", 6.0),
    ("wapo", "Samsung’s new Galaxy S24 translates live phone calls with AI", "en-wapo-tech", 6.0),
    ("wsj", "Samsung's Galaxy S24 Phones Go Heavy on Industry's Next Big Hope: Generative AI", "en-wsj-tech", 6.0),
    ("preorder", "Where to preorder Samsung’s new Galaxy S24, S24 Plus, and S24 Ultra", "en-theverge", 10.0),
]
# 2024-W03: the launch time announced, the launch announced for the day, and the launch reported, at the
# feeds' one time of the day (ids chosen so that the earliest id is the announcement's)
_TIANZHOU = [
    ("a-aim", "天舟七号货运飞船瞄准今天22时27分发射", "zh-qqnews", 0.0),
    ("b-done", "天舟七号货运飞船发射任务取得圆满成功", "zh-qqnews", 0.0),
    ("a-will", "天舟七号货运飞船将于今日发射", "zh-xwlb", 7.0),
    ("c-docked", "天舟七号货运飞船发射任务取得圆满成功 与空间站完成交会对接", "zh-xwlb", 31.0),
]
# 2023-W38 and 2023-W40: a schedule and a how-to-watch piece published before the report
_TIANGONG = [
    ("will", "“天宫课堂”第四课将于9月21日开课", "zh-xwlb", 0.0),
    ("done", "中国空间站第四次太空授课活动取得圆满成功", "zh-xwlb", 72.0),
]
# 2023-W38: The Verge's page of the event's news, opened before the keynote; 2023-W44 (Oct 30): a rumour of
# what Apple "may launch Monday night", published the day before the reports of the launch
_SURFACE = [
    ("page", "Microsoft’s Surface and AI event: all the news and announcements", "en-theverge", 0.0),
    ("live", "Microsoft Surface and AI event: live coverage from the keynote", "en-theverge", 0.3),
    ("verge", "Microsoft announces the Surface Laptop Studio 2 with upgraded chips and ports", "en-theverge", 1.6),
    ("ars", "Microsoft overhauls its pricey Surface Laptop Studio with new CPU, GPU, and RAM", "en-arstechnica", 3.9),
]
_M3 = [
    ("rumour", "New report reveals details on the three M3 chips Apple may launch Monday night", "en-engadget", 0.0),
    ("verge", "Apple’s new M3 chips have big GPU upgrades focused on gaming and pro apps", "en-theverge", 28.1),
    ("ars", "Apple introduces new M3 chip lineup, starting with the M3, M3 Pro, and M3 Max", "en-arstechnica", 28.1),
    ("preorder", "Here’s where you can preorder Apple’s new M3-powered Macs", "en-theverge", 28.4),
]
# 2023-W37: WSJ's guide to the trial, published the night before its report that the trial got under way
_TRIAL = [
    ("guide", "U.S. v. Google: What to Know About the Biggest Antitrust Trial in 20 Years", "en-wsj-tech", 0.0),
    ("wsj", "Google's Antitrust Trial Gets Under Way in Washington", "en-wsj-tech", 11.0),
    ("nyt", "In Antitrust Trial, Former Google Employee Details History of Search Deals", "en-nyt-tech", 42.1),
]
_KUIPER = [
    ("nyt", "How to Watch Amazon Launch the First 2 Project Kuiper Satellites", "en-nyt-tech", 0.0),
    ("wsj", "Amazon Launches First Satellites in Bid to Challenge SpaceX's Starlink", "en-wsj-tech", 3.0),
]


@pytest.mark.parametrize(
    ("rows", "weights", "report"),
    [
        pytest.param(_SAMSUNG, {"en-theverge": 1.2}, "verge", id="2024-W03-samsung"),
        pytest.param(_TIANZHOU, {}, "b-done", id="2024-W03-tianzhou"),
        pytest.param(_TIANGONG, {}, "done", id="2023-W38-tiangong"),
        pytest.param(_KUIPER, {"en-nyt-tech": 1.2}, "wsj", id="2023-W40-kuiper"),
        pytest.param(_SURFACE, {}, "verge", id="2023-W38-surface"),
        pytest.param(_TRIAL, {}, "wsj", id="2023-W37-trial"),
        pytest.param(_M3, {"en-engadget": 1.2}, "ars", id="2023-W44-m3"),
    ],
)
def test_a_preview_never_stands_for_the_event_it_announces(
    rows: list[tuple[str, str, str, float]], weights: dict[str, float], report: str
) -> None:
    """A piece before the event (how to watch it, when it will be) is not the report of what happened: the
    cluster's first report, or its most authoritative source's, stood for the event until it was told
    apart, and 2024-W03's briefing led with "How to watch Samsung's Galaxy S24 event"."""
    from briefing.dedup import representative

    lang = "zh" if rows[0][1][0] > "\u3000" else "en"
    stories = [_story(sid, title, title, source=src, lang=lang, hours=h) for sid, title, src, h in rows]
    for order in itertools.permutations(stories):  # whatever order the stories arrive in
        assert representative(order, weights).id == report


def test_a_preview_alone_stands_for_itself() -> None:
    """Without a report of what happened, a preview is the best there is, and the usual order holds."""
    from briefing.dedup import representative

    stories = [_story(sid, title, title, source=src, hours=h) for sid, title, src, h in _SAMSUNG if sid != "verge"]
    reports = [s for s in stories if s.id in {"wapo", "wsj"}]
    assert representative(reports, {"en-wsj-tech": 1.2}).id == "wsj"
    previews = [s for s in stories if s.id in {"watch", "preorder"}]
    assert representative(previews, {}).id == "watch"  # the first
