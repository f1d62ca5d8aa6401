"""Summaries are the story's own news: two or three sentences, never a byline, a credit, an editor's note,
a caption, a keyword line or a promotion. The cases are real openings of the real development set."""

from __future__ import annotations

import pytest

from briefing.records import Story
from briefing.select import summarise


def _story(text: str, lang: str = "zh") -> Story:
    return Story(id="x", source="s", url="", title="t", text=text, lang=lang)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "lang", "starts"),
    [
        pytest.param(
            "文 | 周鑫雨\n编辑 | 邓咏仪\n2023年10月17日，百度在世界大会上对AI成果做了全面的复盘。\n"
            "李彦宏 图源：百度\n他宣布文心大模型更新到4.0版本。",
            "zh",
            "2023年10月17日",
            id="byline-and-editor",
        ),
        pytest.param(
            "作者｜邓咏仪编辑｜苏建勋\n36氪获悉，百川智能已完成A1轮3亿美元战略融资。",
            "zh",
            "36氪获悉",
            id="credits-on-one-line",
        ),
        pytest.param(  # 2023-W37, 腾讯新闻 (棱镜): a contributing author's credit
            "特约作者｜苏沪 编辑｜陈弗也 出品｜棱镜·腾讯小满工作室。如何评价张勇执掌阿里巴巴权柄的四年时光？\n"
            "9月10日，张勇卸任阿里巴巴集团董事会主席兼首席执行官。",
            "zh",
            "9月10日",
            id="contributing-author",
        ),
        pytest.param(  # 2023-W38, 腾讯新闻: the outlet's byline run into the first sentence
            "腾讯科技 文/吴彬。北京时间9月22日，iPhone 15系列在经过一周的预售后正式开售。",
            "zh",
            "北京时间9月22日",
            id="outlet-byline",
        ),
        pytest.param(
            "图片来源：环球音乐官网\n2023年10月18日，环球音乐集团起诉Anthropic。",
            "zh",
            "2023年10月18日",
            id="image-credit",
        ),
        pytest.param(
            "神译局是36氪旗下编译团队，关注科技、商业、职场、生活等领域。\n编者按：这篇文章有一个一致的主题：信念。\n"
            "OpenAI 在招人的时候刻意选择了持有这种信念的人。",
            "zh",
            "OpenAI 在招人",
            id="promotion-and-editors-note",
        ),
        pytest.param(
            "编者注：\n关键词：大模型，融资\n智谱AI完成超25亿人民币融资。",
            "zh",
            "智谱AI完成",
            id="empty-note-and-keywords",
        ),
        pytest.param(
            "作者：王福重\n来源：整理自中信出版社\n三分钟热度的本质\n很多时候，我们会面临的一种情况是想法太多。",
            "zh",
            "很多时候",
            id="heading-skipped",
        ),
        pytest.param(
            "The 24-inch iMac is back with a refresh. | Image: Apple\nApple's first prime-time launch kicked off with "
            "the M3.",
            "en",
            "Apple's first",
            id="caption-line",
        ),
        pytest.param(
            "By Jane Doe\nThe regulator fined the company on Monday.", "en", "The regulator", id="english-byline"
        ),
        pytest.param(  # The Verge's feeds: the picture's credit, run into the text (2023-W37, W38, W41, W42-W44)
            "Illustration by Alex Castro / The Verge President Joe Biden signed an executive order on AI.",
            "en",
            "President Joe Biden",
            id="image-credit-run-in",
        ),
        pytest.param(
            "The $999 Pixel 8 Pro takes good photos. | Photo by Eddie Costas / The Verge Google's phones are on sale.",
            "en",
            "Google's phones",
            id="caption-and-credit",
        ),
        pytest.param(
            "Photo by Jakub Porzycki / NurPhoto via Getty Images Stability AI launched a text-to-audio platform.",
            "en",
            "Stability AI launched",
            id="agency-credit",
        ),
        pytest.param(
            "Screenshot from Vincent Zhong's iPhone 15 Pro review. An Apple executive said the phone runs cool.",
            "en",
            "An Apple executive",
            id="caption-sentence",
        ),
        pytest.param(  # 2023-W36, 腾讯新闻: the source and the author before the news, in one paragraph
            "本文来源：时代财经 作者：徐晓倩。两天前，张勇出现在杭州西子湖畔，接过了亚运会火炬。",
            "zh",
            "两天前",
            id="source-and-author-run-in",
        ),
        pytest.param(  # 2023-W36, Engadget: a photo illustration's credit, capitalised
            "Photo Illustration by Sheldon Cooper / SOPA Images / LightRocket via Getty Images Microsoft is telling "
            "customers it will defend them.",
            "en",
            "Microsoft is telling",
            id="photo-illustration-credit",
        ),
    ],
)
def test_the_summary_is_the_news(text: str, lang: str, starts: str) -> None:
    assert summarise(_story(text, lang)).startswith(starts)


@pytest.mark.parametrize(
    ("text", "starts"),
    [  # outlets' datelines, from the real development set (2023-W35..W44)
        pytest.param("财联社9月18日电，台积电将获得特斯拉更多DOJO超级计算机订单。", "台积电", id="cls-dian"),
        pytest.param("IT之家 9 月 27 日消息，天风国际分析师郭明錤今日发文。", "天风国际", id="ithome-xiaoxi"),
        pytest.param("腾讯科技讯 9月20日消息，华为今日举办全联接大会。", "华为今日", id="qq-xun-xiaoxi"),
        pytest.param("新京报讯 9月19日，商务部条约法律司负责人发表谈话。", "9月19日", id="bjnews-xun"),
        pytest.param("【环球网报道 记者 索炎琦】华为在美国芯片封锁下推出新手机。", "华为在美国", id="huanqiu-bracket"),
        pytest.param("（观察者网讯）据路透社9月22日报道，欧盟贸易专员将访问上海。", "据路透社", id="guancha-xun"),
        pytest.param(
            "《科创板日报》9月17日讯（记者 朱凌）苹果手机的辐射问题，正在引起多国监管机构的注意。",
            "苹果手机",
            id="star-daily-and-reporter",
        ),
        pytest.param(
            "中新网北京8月28日电 (梁晓辉 谢雁冰)学位法草案28日提请全国人大常委会审议。", "学位法草案", id="chinanews"
        ),
        pytest.param(
            "【iPhone 15系列开售10分钟内官网崩溃】财联社9月15日电，iPhone 15系列开售10分钟内，苹果官网一度崩溃。",
            "iPhone 15系列开售",
            id="headline-then-dateline",
        ),
        pytest.param("【导读】微软研究人员发表新论文，提出STOP系统。", "微软研究人员", id="lead-label"),
        pytest.param("划重点：1 鉴于搜索是手机上最常用的工具之一，苹果考虑推出搜索引擎。", "鉴于搜索", id="key-points"),
        pytest.param("腾讯新闻《一线》 作者 刘鹏。9月4日，任正非的一次最新讲话向全体员工群发。", "9月4日", id="byline"),
        pytest.param("本报记者 尹丽梅 北京报道。无人驾驶背后的技术驱动力量是人工智能。", "无人驾驶", id="byline-2"),
        pytest.param(
            "“芯事重重”是腾讯科技半导体产业研究策划，本期聚焦先进封装。当制程微缩走到尽头，先进封装成为胜负手。",
            "当制程微缩",
            id="column-note",
        ),
        pytest.param(  # 2023-W38, 腾讯新闻: the credit's name has a space in it
            "文 / 腾讯科技 苏扬。北京时间9月20日，英特尔举办技术创新峰会。", "北京时间9月20日", id="credit-to-its-stop"
        ),
        pytest.param(
            "文 |《财经》特派记者 金焱 发自华盛顿。美国商务部公布了《美国芯片法》最后的执行细则。",
            "美国商务部",
            id="credit-sent-from",
        ),
        pytest.param(
            "编辑：腾讯科技 /郝博阳 郭晓静 翻译：金鹿。在过去的一个世纪里，《时代》杂志的封面反映了塑造社会的力量。",
            "在过去的一个世纪里",
            id="editor-and-translator",
        ),
        # attributions and ordinary openings stay
        pytest.param("据路透社9月8日报道，英伟达宣布与印度信实工业合作。", "据路透社", id="attribution-stays"),
        pytest.param("三星电子预计，第三季度营业利润为1.8万亿韩元。", "三星电子", id="electronics-is-no-dateline"),
        pytest.param("外交部发言人毛宁主持例行记者会。有记者提问。", "外交部发言人", id="press-conference-stays"),
    ],
)
def test_a_chinese_dateline_or_byline_never_opens_a_summary(text: str, starts: str) -> None:
    assert summarise(_story(text, "zh")).startswith(starts)


def test_a_wire_dateline_with_a_plain_hyphen_is_cut() -> None:
    summary = summarise(_story("BEIJING, Sept 5 (Reuters) - China's exports fell for a fourth month.", "en"))
    assert summary.startswith("China's exports")


def test_a_reporter_credited_in_brackets_never_ends_a_summary() -> None:
    """2023-W37, 财联社: the reporter's name closes the item, after its last sentence."""
    text = "iPhone 15系列开售10分钟内，苹果官方网站一度崩溃。首批iPhone 15 Pro售罄。（记者 高梦阳）"
    assert "记者" not in summarise(_story(text, "zh"))


def test_an_article_run_into_one_line_keeps_its_news_past_a_promotion() -> None:
    """2023-W36..W41 (~200 stories): feeds that run a whole article into one line, with a promotion or a
    caption's credit somewhere in it, once gave no summary at all."""
    text = (
        "10月13日，华为概念股涨疯了！ 欧菲光、硕贝德等多股涨停。 △图源：小红书 事实上华为带火了整个供应链。 "
        "欢迎关注我们的公众号。"
    )
    summary = summarise(_story(text, "zh"))
    assert summary.startswith("10月13日，华为概念股涨疯了！") and "欢迎关注" not in summary and "图源" not in summary
    assert summarise(_story("编者按：这篇文章有一个主题。什么主题？信念。", "zh")) == ""  # a note is all note


def test_a_run_of_headlines_is_no_sentence() -> None:
    """A roundup's items run together without a stop are no summary; excerpts joined by "……" give the first."""
    items = " ".join(f"第{i}家公司发布新款手机并宣布涨价" for i in range(30))
    assert summarise(_story(items, "zh")) == ""
    excerpts = "央行决定下调存款准备金率0.25个百分点……" + "本次下调预计将释放长期流动性" * 30
    assert summarise(_story(excerpts, "zh")) == "央行决定下调存款准备金率0.25个百分点……"


def test_a_text_of_boilerplate_alone_gives_no_summary() -> None:
    assert summarise(_story("Also in this newsletter: Why the EU is fighting over AI rules", "en")) == ""


def test_a_caption_and_its_credit_alone_give_no_summary() -> None:
    """2023-W49, The Verge: a feed item whose whole text is the picture's caption and credit; the headline stands
    alone rather than over a caption."""
    text = "Do you trust this man to know a good joke? | Illustration by Laura Normand / The Verge"
    assert summarise(_story(text, "en")) == ""


def test_a_bracketed_source_note_never_ends_a_summary() -> None:
    """2023-W38, 腾讯新闻: an excerpt closes with its source in brackets, inside the summary's last sentence."""
    text = "9月22日，苹果直营店门口排起长队。华为手机的强势回归能否冲击苹果的地位……（来源：证券时报，节选）"
    summary = summarise(_story(text, "zh"))
    assert "来源" not in summary and summary.startswith("9月22日")


def test_a_summary_never_opens_with_the_headline_again() -> None:
    """2023-W36 (新闻联播), W38 (财联社): the text's first sentence is the headline, which the page already shows."""
    story = Story(
        id="x",
        source="s",
        url="",
        title="台积电将获得特斯拉更多DOJO超级计算机订单",
        text="台积电将获得特斯拉更多DOJO超级计算机订单。特斯拉传将扩大与台积电合作。",
        lang="zh",
    )
    assert summarise(story) == "特斯拉传将扩大与台积电合作。"
    dated = Story(
        id="x", source="s", url="", title="关于颁发奖章的决定", text="关于颁发奖章的决定（2023年9月7日）。", lang="zh"
    )
    assert summarise(dated) == ""  # the headline alone: it stands alone


def test_a_caption_credited_to_the_outlet_alone_never_opens_a_summary() -> None:
    """2023-W49, The Verge (the EU's AI Act): the picture's caption, credited "| The Verge", opened the summary
    and ran into the news ("…come into force is 2025. | The Verge Following a round of intense negotiations")."""
    text = (
        "The earliest that we will likely see these rules come into force is 2025. | The Verge\n"
        "Following a round of intense negotiations this week, lawmakers in Brussels have now reached a "
        "“provisional agreement” on the European Union’s proposed Artificial Intelligence Act (AI Act)."
    )
    assert summarise(_story(text, "en")).startswith("Following a round")
    assert summarise(_story("Chips | Compute | Energy. Nvidia sold more GPUs.", "en")).startswith("Chips |")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(  # 2023-W50, 腾讯新闻: 划重点 before the article, its items run together
            "划重点：1 英特尔正式推出了AI PC处理器。2 酷睿Ultra处理器分为三种不同配置。3 酷睿Ultra处理器有三大改进。\n"
            "腾讯科技讯 12月15日消息，据外媒报道，英特尔正式推出了AI PC处理器。",
            "英特尔正式推出了AI PC处理器。酷睿Ultra处理器分为三种不同配置。酷睿Ultra处理器有三大改进。",
            id="key-points",
        ),
        pytest.param(  # 2023-W50, 腾讯新闻 (对话大师): 核心要点 is such a list's label too
            "核心要点：1 我们断言GPT-4为超智能前，不妨先暂时观望。2 人工智能可以帮助我们“提防”人工智能。",
            "我们断言GPT-4为超智能前，不妨先暂时观望。人工智能可以帮助我们“提防”人工智能。",
            id="core-points",
        ),
        pytest.param(  # 2023-W41, 腾讯新闻: one item a line
            "划重点\n1 苹果已经开始研发下一代Vision Pro。\n2 Meta计划明年推出更便宜的混合现实头显。",
            "苹果已经开始研发下一代Vision Pro。Meta计划明年推出更便宜的混合现实头显。",
            id="item-a-line",
        ),
        pytest.param(  # a figure after a sentence is no item: no list opened with 1
            "今年2月，辛顿经历了一次“缓慢的顿悟”。76 岁的辛顿在 2013 年加入谷歌。",
            "今年2月，辛顿经历了一次“缓慢的顿悟”。76 岁的辛顿在 2013 年加入谷歌。",
            id="an-age",
        ),
    ],
)
def test_a_numbered_list_gives_its_items_without_their_numbers(text: str, expected: str) -> None:
    assert summarise(_story(text, "zh")) == expected


def test_a_summary_never_ends_in_a_broken_off_sentence() -> None:
    """2023-W49, The Verge: the lead story's feed excerpt is cut at a length ("…have rarely seemed to rival what
    you"), and so was its summary, on the cover too; a sentence that ends on a clause's mark (a colon before a
    list) ends no summary either, and one left alone is closed with an ellipsis."""
    cut = (
        "While OpenAI’s ChatGPT has become a worldwide phenomenon and one of the fastest-growing consumer products "
        "ever, Google’s Bard has been something of an afterthought. The chatbot has steadily gained new features, "
        "including access to your data across other Google products, but its answers and information have rarely "
        "seemed to rival what you"
    )
    assert summarise(_story(cut, "en")).endswith("something of an afterthought.")
    # a standfirst of a line or two is whole without its full stop (2023-W40, Science News)
    dek = "Finding could reopen debate on how and when humans arrived. But some researchers remain skeptical"
    assert summarise(_story(dek, "en")) == dek
    colon = (
        "今年的开发者节承载着更多的期待。他给出了百度对文心大模型综合能力的判断：\n" + "理解能力明显提升，" * 20 + "。"
    )
    assert summarise(_story(colon, "zh")) == "今年的开发者节承载着更多的期待。"
    war = "国庆假期的余温刚刚退去，虽然10月的天气正一天天转凉，然而在AI绘画领域，却悄然开始了新一波的战火"
    alone = war + "：\n10月1日，DALL·E 3在微软Bing实装，直接免费；"  # 2023-W42 (../shared/real, 36氪)
    assert summarise(_story(alone, "zh")) == war + "……"


def test_a_thanks_for_a_readers_tip_never_opens_a_summary() -> None:
    """2023-W41 (英特尔酷睿 Ultra 9 185H), W43 (../shared/real), IT之家: "感谢IT之家网友 软媒新友1933769 的线索投递！"
    opened the summary, and the outlet's dateline after it stayed."""
    text = (
        "感谢IT之家网友 软媒新友1933769 的线索投递！IT之家 10 月 15 日消息，在英特尔 ON 技术创新峰会上，"
        "英特尔宣布代号为 Meteor Lake 的第一代酷睿 Ultra 处理器将在 12 月 14 日上市。"
    )
    assert summarise(_story(text, "zh")).startswith("在英特尔 ON 技术创新峰会上")
    line = "感谢IT之家网友 很宅很怕生 的线索投递！\nIT之家 10 月 29 日消息，海贝现上架了一款四单元动铁入耳式耳机。"
    assert summarise(_story(line, "zh")) == "海贝现上架了一款四单元动铁入耳式耳机。"  # the thanks a line of its own


def test_a_photographers_credit_after_a_bar_closes_a_caption_line() -> None:
    """2024-W02, The Verge: the picture's caption, credited "| Photo by" a photographer and an agency that no list
    names ("for Microsoft", "NurPhoto via Getty Image", cut short by the feed), opened the summary."""
    battery = (
        "Samples of the new solid electrolyte discovered by Microsoft AI and HPC tools. | Photo by Dan DeLong for "
        "Microsoft.\nArtificial intelligence (AI) and large-scale cloud computing is speeding up the search for new "
        "battery materials."
    )
    assert summarise(_story(battery, "en")).startswith("Artificial intelligence (AI)")
    heat = (
        "Crowds of people swimming at Jinshan City Beach in Shanghai, China, on August 13th, 2023, during a heatwave "
        "after the government issued an orange alarm to warn people to take precautions against the heat. | Photo "
        "by Ying Tang / NurPhoto via Getty Image\n2023 was a record-breaking scorcher, final numbers now show. While "
        "many of us felt the heat last year, it’s still mind-blowing to see the data."
    )
    assert summarise(_story(heat, "en")).startswith("2023 was a record-breaking scorcher")
    # a credit run into the news on one line is cut, the news after it kept (2023-W41, The Verge)
    run_in = (
        "The Pixel 8 Pro takes good photos. | Photo by Eddie Costas / The Verge The $999 Google Pixel 8 Pro takes "
        "good photos with its 50-megapixel main sensor, and Google has now made it better."
    )
    assert summarise(_story(run_in, "en")).startswith("The $999 Google Pixel 8 Pro")


def test_a_dated_scene_opening_a_teaser_is_a_caption() -> None:
    """2024-W02, The Verge (the heat of 2023): a news agency's caption, a scene in a city and its country on a
    dated day, opens the teaser; without its credit it is known by that shape. A news lead dates its own week's
    events without the year, and a text of that one paragraph keeps it."""
    caption = (
        "Crowds of people swimming at Jinshan City Beach in Shanghai, China, on August 13th, 2023, during a heatwave "
        "after the government issued an orange alarm to warn people to take precautions against the heat."
    )
    teaser = caption + "\n2023 was a record-breaking scorcher, final numbers now show."
    assert summarise(_story(teaser, "en")) == "2023 was a record-breaking scorcher, final numbers now show."
    assert summarise(_story(caption, "en")) == caption
    lead = "Huawei unveiled the Mate 60 in Shenzhen on Tuesday.\nIt sold out within minutes."
    assert summarise(_story(lead, "en")).startswith("Huawei unveiled")


def test_a_source_credit_is_no_summary() -> None:
    """2023-W51, 腾讯新闻 (ZAKER's apology): the feed's whole text is a picture's title and its source,
    "关于小米汽车信息泄露事件的致歉声明（图片）\\n来源：ZAKER微博"; neither is the story's news, and the headline
    stands alone. A short text keeps its news line without the credit."""
    for text, expected in [
        ("关于小米汽车信息泄露事件的致歉声明（图片）\n来源：ZAKER微博", ""),
        ("华为发布Mate 60手机\n来源：新浪科技", "华为发布Mate 60手机"),
    ]:
        story = Story(id="x", source="zh-qqnews", url="", title="t", summary=text, text=text, lang="zh")
        assert summarise(story) == expected


def test_a_heading_line_never_runs_into_the_news() -> None:
    """2024-W02 (新闻联播), 2023-W44 (../shared/real, 国家能源局), and twenty more: a heading of 25 to 40
    characters without a stop, above its news, ran into it ("…同比增长近6%国务院国资委最新数据显示，…"); a line
    that goes on into the next with a clause's mark is the news ("…投资方阵容豪华——", 2023-W42, 投资界)."""
    heading = (
        "国家能源局：前三季度全国可再生能源新增装机同比增长93%\n10月30日，国家能源局举行新闻发布会，发布2023年三季度能源"
        "形势、可再生能源发展情况。"
    )
    assert summarise(_story(heading, "zh")).startswith("10月30日，国家能源局举行新闻发布会")
    goes_on = (
        "投资界获悉，今日智谱AI宣布今年累计获得超25亿人民币融资，投资方阵容豪华——\n社保基金中关村自主创新基金、美团、"
        "蚂蚁、阿里、腾讯等多家机构跟投。"
    )
    assert summarise(_story(goes_on, "zh")).startswith("投资界获悉，今日智谱AI宣布")


def test_a_roundups_summary_is_its_first_items_news() -> None:
    """2024-W02, 新闻联播 ("国内联播快讯"): under the roundup's first item (南水北调), the summary went on to the
    next item's excerpt ("……全国总工会日前印发《女职工数字技能提升方案》……"), another story's news; and the
    excerpts' "……" stood twice in a row ("…同比增长16.7%。…………")."""
    text = (
        "南水北调工程2023年超额完成年度调水任务\n记者从水利部了解到，2023年，南水北调东、中线一期工程调水85.37亿立方米，"
        "超额完成年度调水任务。……\n全国总工会印发《女职工数字技能提升方案》\n全国总工会日前印发《女职工数字技能提升方案》"
        "……\n胜利油田2023年原油产量超2345万吨\n……"
    )
    story = Story(id="x", source="zh-xwlb", url="", title="国内联播快讯", text=text, lang="zh")
    assert summarise(story) == (
        "记者从水利部了解到，2023年，南水北调东、中线一期工程调水85.37亿立方米，超额完成年度调水任务。"
    )
    first = "国务院国资委最新数据显示，地方国企营业收入突破35万亿元。"
    then = "记者从国铁集团获悉，CR450动车组将完成样车制造。"
    assert summarise(_story(first + "……\n……\n" + then, "zh")) == first + "……" + then  # an excerpt's "……" once


def test_a_briefings_summary_is_the_answer_not_the_reporters_question() -> None:
    """2024-W02 (商务部 on ECFA, on ASML), W51, W50, W40, W39, W37 (商务部, 外交部): a spokesperson's answer to a
    reporter was summarised by the question ("有记者问：…请问有何进展？"); the answer is the news. Without an
    answer after it, a question stays."""
    answer = "自2024年1月1日起，大陆方面已对原产于台湾地区的12个税目进口产品中止适用ECFA协定税率。"
    text = "有记者问：国务院关税税则委员会决定中止ECFA部分产品关税减让。请问有何进展？后续有何安排？\n答：" + answer
    assert summarise(_story(text, "zh")) == answer
    met = "1月11日，商务部召开例行新闻发布会。"
    said = "商务部新闻发言人束珏婷表示，我们高度关注美方干扰荷兰企业对华出口光刻机问题。"
    asked = "有记者提出，阿斯麦称有些光刻系统无法向中国企业提供。请问商务部对此有何回应？\n"
    assert summarise(_story(met + asked + said, "zh")) == met + said
    unanswered = "有记者问：欧盟委员会决定对进口自中国的纯电动汽车发起反补贴调查。请问中方对此有何评论？"
    assert summarise(_story(unanswered, "zh")).startswith("有记者问")


def test_a_line_without_a_stop_never_runs_into_the_next_sentence() -> None:
    """2024-W02, 腾讯新闻 (中国电池产业的灵魂三问): the standfirst, a line with no stop, ran into the article's first
    sentence ("…落后产能就越快被淘汰的认知产能过剩不仅是…"); it is closed with a stop. A sentence that runs on
    from it ("——摇一摇广告。", 2023-W43, ../shared/real) follows it as it stands."""
    text = (
        "一方面产能过剩明显，一方面头部企业加速扩产，这反映了行业内先进产能越快投产，落后产能就越快被淘汰的认知\n"
        "产能过剩不仅是2023年全球制造业的热门话题，也将是2024年的焦点问题。"
    )
    assert "被淘汰的认知。产能过剩不仅是" in summarise(_story(text, "zh"))
    dash = "最近，差评君刷到了这样的段子。如果你没 get 到啥意思，"
    dash += "咱也不卖关子了，这些话就是嘲讽现在 App 开屏广告里的王者"
    dash += "\n——摇一摇广告。"
    assert summarise(_story(dash, "zh")).endswith("王者——摇一摇广告。")
