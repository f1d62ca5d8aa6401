"""The classifier's rules from the labelling guide (../shared/real/GUIDE.md and its weekly notes), each on a story
of its own making: the rule holds, and its counter-case does not fire."""

from __future__ import annotations

import pytest

from briefing.classify import Classifier, load_themes
from briefing.records import Story


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_themes())


def _story(title: str, text: str = "", lang: str = "en") -> Story:
    return Story(id="x", source="s", url="", title=title, text=text, lang=lang)  # type: ignore[arg-type]


def _themes(classifier: Classifier, story: Story) -> list[str]:
    return [t.id for t in classifier.classify(story).themes]


# ------------------------------------------------------------------------------------------- who acts


def test_who_acts_named_only_deep_in_a_long_article_is_a_passing_mention(classifier: Classifier) -> None:
    """Context terms count in the headline and the lead only: a ministry and a government named in the last
    paragraphs of a long chatbot story do not make it a Policy story, as they would in its lead."""
    lead = "Chatbot makers follow a voluntary guideline on labelling as they add voice to their assistants. "
    filler = "The assistants answer questions, draft email and summarise meetings for millions of users. " * 12
    tail = "The ministry has welcomed it. The government and the minister say the Senate will look at it."
    deep = _story("Chatbot makers race to add voice to their assistants", lead + filler + tail)
    assert "ai-models" in _themes(classifier, deep)
    assert "policy" not in _themes(classifier, deep)
    early = _story("Chatbot makers race to add voice to their assistants", lead + tail + " " + filler)
    assert "policy" in _themes(classifier, early)


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("World leaders sound the alarm on AI", id="world-leaders"),
        pytest.param("US, China and 26 other nations agree to ensure AI is safe", id="nations"),
        pytest.param("How Sunak's summit aims to shape global AI safety", id="head-of-government"),
        pytest.param("Kamala Harris to unveil a fund for AI in the public interest", id="vice-president"),
    ],
)
def test_states_acting_together_and_heads_of_government_are_the_state(classifier: Classifier, title: str) -> None:
    assert {"policy", "ai-models"} <= set(_themes(classifier, _story(title)))


def test_a_state_security_agency_acting_on_data_is_policy(classifier: Classifier) -> None:
    story = _story(
        "China's top spy agency cracks down on foreign weather stations",
        "The state security ministry says the stations send data abroad and threaten national security.",
    )
    assert _themes(classifier, story)[:1] == ["policy"]
    assert "policy" not in _themes(classifier, _story("Nations gather for the World Cup draw in Paris"))


# ------------------------------------------------------------------------------------------- policy


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("AI训练数据绕不开的著作权法难题", "zh", id="copyright-law-zh"),
        pytest.param("AI应成为新法律主体，法律框架亟需制定", "zh", id="legal-framework-zh"),
        pytest.param("Europe drafts a legal framework for online data", "en", id="legal-framework-en"),
    ],
)
def test_a_law_or_a_legal_framework_as_the_subject_is_policy(classifier: Classifier, title: str, lang: str) -> None:
    """GUIDE: policy is the state acting, or a concrete legal or regulatory framework as the subject."""
    assert "policy" in _themes(classifier, _story(title, lang=lang))


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("美国商务部将42家中国企业列入实体清单", "zh", id="entity-list-zh"),
        pytest.param("美方将部分中国实体列入出口管制清单 商务部：坚决反对", "zh", id="export-control-zh"),
        pytest.param("EU to investigate Chinese steel and aluminium, with tariffs looming", "en", id="tariffs"),
    ],
)
def test_the_states_instruments_of_trade_are_their_own_subject(classifier: Classifier, title: str, lang: str) -> None:
    """GUIDE lists export controls, tariffs and trade disputes under Policy, whatever goods they bear on: no
    word of technology is needed beside them. Sanctions over cotton and a housing voucher are not Policy."""
    assert _themes(classifier, _story(title, lang=lang)) == ["policy"]
    assert _themes(classifier, _story("US lawmaker seeks sanctions over the use of banned cotton")) == []
    assert _themes(classifier, _story("Guangzhou issues housing vouchers to families displaced by redevelopment")) == []


def test_trade_wars_count_like_a_trade_war(classifier: Classifier) -> None:
    assert _themes(classifier, _story("US-China tech trade wars reveal vulnerabilities on both sides"))[:1] == [
        "policy"
    ]


# ------------------------------------------------------------------------------------------- science


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param(
            "Octopuses have dozens of distinct sleep stages",
            "A study reveals how the species rests.",
            id="study-reveals",
        ),
        pytest.param(
            "A daily walk slows memory loss in older adults, researchers say",
            "Combining exercise with puzzles helped most.",
            id="researchers-say",
        ),
    ],
)
def test_a_finding_reported_is_science(classifier: Classifier, title: str, text: str) -> None:
    assert _themes(classifier, _story(title, text))[:1] == ["science"]


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Giant pandas in zoos are out of sync with their environment, find researchers", id="after"),
        pytest.param("How do cats purr? New finding challenges long-held assumptions", id="finding"),
    ],
)
def test_a_finding_with_its_attribution_after_it_is_science(classifier: Classifier, title: str) -> None:
    """A headline may name the finding first and who found it last ("..., find researchers"); about AI, the
    same attribution is a setting, and the story is ai-models only."""
    assert _themes(classifier, _story(title)) == ["science"]
    ai = _story("Chatbots can be coaxed into lying to their users, say researchers")
    assert _themes(classifier, ai) == ["ai-models"]


def test_what_researchers_say_about_ai_is_ai_models_only(classifier: Classifier) -> None:
    """'researchers say' names who found it, like 'researchers': beside AI it says no science."""
    assert _themes(classifier, _story("Chatbots flatter their users, researchers say")) == ["ai-models"]


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("当“上头”的脑机接口，走进现实", "zh", id="bci-zh"),
        pytest.param("神经调控赛道为何升温？", "zh", id="neuromodulation-zh"),
        pytest.param("A BCI implant lets a paralysed man speak again", "en", id="bci-en"),
    ],
)
def test_brain_computer_interfaces_are_science(classifier: Classifier, title: str, lang: str) -> None:
    """GUIDE: BCI research is science."""
    assert _themes(classifier, _story(title, lang=lang))[:1] == ["science"]


# ------------------------------------------------------------------------------------------- energy


def test_ev_charging_is_energy_and_a_battery_makers_name_alone_is_not(classifier: Classifier) -> None:
    """GUIDE notes (W44): EV charging piles are energy; EV batteries are transport, not the grid."""
    assert _themes(classifier, _story("三季度，充电桩企业闷声发财", lang="zh"))[:1] == ["energy"]
    assert _themes(classifier, _story("More EV charging stations open along motorways")) == ["energy"]
    assert "energy" not in _themes(classifier, _story("两个月蒸发2500亿元，宁德时代在跌什么？", lang="zh"))
    assert _themes(classifier, _story("宁德时代签下百亿元级储能项目", lang="zh"))[:1] == ["energy"]


def test_contract_manufacturing_alone_is_no_chip_story(classifier: Classifier) -> None:
    """代工 is contract manufacturing, of phones (Foxconn) as often as of chips: a hint, where 晶圆代工 (a
    foundry) is decisive."""
    assert _themes(classifier, _story("华为回应“拒绝富士康代工”传闻：纯属造谣", lang="zh")) == []
    assert _themes(classifier, _story("台积电晶圆代工报价明年上涨", lang="zh")) == ["chips"]


def test_fossil_fuels_are_no_fossils(classifier: Classifier) -> None:
    """The phrase "fossil fuels" holds "fossil", a science term, as 化石燃料 holds 化石: on a science desk's
    teaser it made a hydrogen story science; fossils are science all the same."""
    lead = "The hubs will make hydrogen to replace fossil fuels in heavy industry."
    title = "US hands out $7 billion for hydrogen hubs"
    hubs = Story(id="x", source="en-science-news", url="", title=title, text=lead, lang="en")
    assert _themes(classifier, hubs) == ["energy"]
    assert _themes(classifier, _story("Fossil hunters find a giant sea scorpion in China")) == ["science"]


# ------------------------------------------------------------------------------------------- ai-models


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("SoftBank's Son says artificial general intelligence will soon surpass humans", "en", id="en"),
        pytest.param("AGI is coming sooner than we think, investor says", "en", id="acronym"),
        pytest.param("通用人工智能将改变什么", "zh", id="zh"),
    ],
)
def test_artificial_general_intelligence_is_ai_models(classifier: Classifier, title: str, lang: str) -> None:
    """The phrase "artificial general intelligence" does not hold "artificial intelligence": it is a term of its
    own, in both languages."""
    assert _themes(classifier, _story(title, lang=lang)) == ["ai-models"]


def test_a_price_war_is_no_ai_story_unless_the_models_are_named(classifier: Classifier) -> None:
    assert _themes(classifier, _story("电商“价格战”中，特卖平台还有优势吗？", lang="zh")) == []
    assert _themes(classifier, _story("大模型价格战打响", lang="zh"))[:1] == ["ai-models"]


# ------------------------------------------------------------------------------------------- an outlet's beat


def test_a_science_desks_teaser_with_one_science_word_is_science(classifier: Classifier) -> None:
    """Science's news desk (a source on science's ``sources``) counts its beat like one decisive term in the
    lead: its one-sentence teaser with a single science word is science, the same teaser from another outlet
    is not. (Where the desk's headline and lead name nothing else, the beat decides alone: the next test.)"""
    title = "Killer 1918 flu did not pick on the healthy, after all"
    teaser = "Skeletal study shows frail people were more likely to perish during the influenza pandemic"
    desk = Story(id="x", source="en-science-news", url="", title=title, text=teaser, lang="en")
    other = Story(id="x", source="en-nyt-tech", url="", title=title, text=teaser, lang="en")
    assert _themes(classifier, desk) == ["science"]
    assert _themes(classifier, other) == []
    why = classifier.classify(desk).themes[0].evidence
    assert ("source: en-science-news", 3, "lead") in why


def test_a_waiver_the_state_grants_is_policy(classifier: Classifier) -> None:
    """豁免, an exemption or a waiver (an export-control waiver for chip plants), is the state acting, beside the
    chips it is about; the same chip news without the waiver is chips alone."""
    lead = "三家芯片制造商的晶圆厂可以继续进口半导体设备。"
    waived = _story("芯片制造商再获一年豁免，可继续在华工厂运营", lead, "zh")
    assert _themes(classifier, waived)[:1] == ["chips"] and "policy" in _themes(classifier, waived)
    plain = _story("芯片制造商再获一年订单，可继续在华工厂运营", lead, "zh")
    assert "policy" not in _themes(classifier, plain)


# ------------------------------------------------------------------------------------------- after W37 and W38


def test_the_state_council_executive_meeting_is_its_own_subject(classifier: Classifier) -> None:
    """国务院常务会议 decides policy item by item, in words (新型工业化, 条例) that Policy's subject list leaves out:
    the meeting is Policy without a technology word in the lead. A premier's visit to a museum is not."""
    lead = "国务院总理李强主持召开国务院常务会议，研究推进新型工业化有关工作，审议通过有关条例草案。"
    meeting = _story("李强主持召开国务院常务会议", lead, "zh")
    assert _themes(classifier, meeting) == ["policy"]
    visit = _story("李强参观博物馆", "国务院总理李强参观博物馆，了解文物保护工作。", "zh")
    assert _themes(classifier, visit) == []


def test_a_monopoly_case_against_a_tech_company_is_policy(classifier: Classifier) -> None:
    """A monopoly trial or suit (the Justice Department against a search engine) is the state acting on a tech
    company; the same story about a company's product is not."""
    lead = "The Justice Department says the company used its monopoly power to stifle rivals in online search."
    assert _themes(classifier, _story("Why is the government suing Google?", lead)) == ["policy"]
    plain = "The company says its new search page loads faster for most people."
    assert _themes(classifier, _story("Why is Google changing its search page?", plain)) == []


def test_genes_on_a_science_desk_are_science_and_gene_weapons_are_not(classifier: Classifier) -> None:
    """The words "gene" and "genes" are science's hints: with the science desk's beat a teaser about genes is science;
    a security agency's warning of gene weapons, from another outlet, is not."""
    teaser = "Discovery of a gene for robust shape could lower the price of tasty tomatoes"
    title = "How to make fresh tomatoes less squishable"
    desk = Story(id="x", source="en-science-news", url="", title=title, text=teaser, lang="en")
    assert _themes(classifier, desk) == ["science"]
    spy = _story("Spy agency warns of gene weapons able to target people", "The warning came on Monday.")
    assert "science" not in _themes(classifier, spy)


def test_energy_is_an_energy_term_and_the_department_of_energy_is_not(classifier: Classifier) -> None:
    """The theme's own name counts ("energy deals"); the US Department of Energy, which runs the science labs,
    does not, and a battery's energy density is a property of its material."""
    deals = _story("As China seeks to supercharge energy deals in the Middle East, Qatar eyes a trade pact")
    assert _themes(classifier, deals) == ["energy"]
    lab = _story("Little physics lab to tackle the Department of Energy's data problem")
    assert "energy" not in _themes(classifier, lab)
    cell = _story("New cells reach a record energy density", "The cells store more per kilogram.")
    assert "energy" not in _themes(classifier, cell)
    # the demo week: Beijing's High Energy Photon Source is a light source for physics, not an energy system
    heps = _story(
        "Beijing's High Energy Photon Source opens its first beamlines",
        "The High Energy Photon Source (HEPS) opened 14 beamlines to outside users, the Institute of High Energy "
        "Physics of the Chinese Academy of Sciences said.",
    )
    assert "energy" not in _themes(classifier, heps)


def test_ai_generated_content_is_the_content_and_a_rule_on_it_is_policy(classifier: Classifier) -> None:
    """A platform's way to label AI-generated content is an AI story: the longer phrase no longer hides
    "AI-generated" from ai-models behind a Policy term. Labelling rules the state issues stay Policy."""
    label = _story("Video app introduces a way to label AI-generated content", "Creators can tag their clips.")
    assert _themes(classifier, label) == ["ai-models"]
    rules = _story("Regulator issues labelling rules for AI-generated content", "Platforms must tag synthetic media.")
    assert "policy" in _themes(classifier, rules)


def test_regulators_in_chinese_are_policy(classifier: Classifier) -> None:
    """监管机构 (regulators) acting on a phone maker is Policy, as "regulators" is in English."""
    lead = "多国监管机构要求手机厂商就辐射问题提交情况报告。"
    assert _themes(classifier, _story("多国监管机构要求苹果提交iPhone辐射报告", lead, "zh")) == ["policy"]
    assert _themes(classifier, _story("苹果提交iPhone辐射报告", "苹果公司就辐射问题提交报告。", "zh")) == []


def test_the_social_sciences_are_not_science(classifier: Classifier) -> None:
    """The word "science" inside "social science" (an economics institute, a think tank) is no science story, in either
    language; a science institute is."""
    social = _story("Retailer closes social science institute its founder hoped would last 300 years")
    assert _themes(classifier, social) == []
    assert _themes(classifier, _story("社会科学院发布经济蓝皮书", lang="zh")) == []
    plain = _story("Retailer closes science institute its founder hoped would last 300 years")
    assert _themes(classifier, plain)[:1] == ["science"]


# ------------------------------------------------------------------------------------------- roundups


def test_a_roundup_is_read_by_its_headline_and_lead(classifier: Classifier) -> None:
    """A roundup whose headline names its items ("早报｜A / B / C") runs through other items further down, each in
    passing: a chatbot item there makes it no ai-models story. The same text under one report's headline is still
    read whole, and a roundup whose headline names an AI item is ai-models."""
    lead = "苹果新款手机今日在全国门店开售，多家门店排起长队，部分型号的发货时间已经推迟到十一月。" * 4
    later = "另外，某公司发布了新一代大模型，这款大模型支持多模态输入，大模型的参数规模也扩大了。" * 6
    roundup = _story("早报｜iPhone 15 发售日门店排长队 / 微信新增翻译功能 / 国庆增开夜间高铁", lead + later, "zh")
    assert _themes(classifier, roundup) == []
    report = _story("iPhone 15 发售日门店排长队", lead + later, "zh")
    assert _themes(classifier, report) == ["ai-models"]
    ai_item = _story("早报｜某公司发布新一代大模型 / 微信新增翻译功能 / 国庆增开夜间高铁", lead + later, "zh")
    assert _themes(classifier, ai_item)[:1] == ["ai-models"]


def test_a_daily_brief_leads_with_the_first_entry_of_its_contents_list(classifier: Classifier) -> None:
    """A daily brief ("早报｜A / B / C") opens its text with a contents list of every item, one after another with a
    space between them; the labels give it its first item's theme, and the list's later entries are in passing:
    "早报｜华为小米达成全球专利交叉许可协议 / 苹果回应法国宣布禁售 iPhone 12 / 全新问界 M7 上市" (W37), whose list names
    ChatGPT seventh, and "早报｜iPhone 15 Pro Max 发货延长至 11 月 / …" (W38), whose list names Nvidia's H100 later,
    are none of the six. The first entry still counts: an Apple modem three years behind Qualcomm's best chip (W38)."""
    chatgpt = "研究发现 ChatGPT 可在七分钟内开发出软件"
    contents = "墨西哥或成为全球首个承认外星生物存在的国家 华为和小米达成全球专利交叉许可协议 " + chatgpt
    title = "早报｜华为小米达成全球专利交叉许可协议 / 苹果回应法国宣布禁售 iPhone 12 / 全新问界 M7 上市"
    assert _themes(classifier, _story(title, contents, "zh")) == []
    modem = "苹果的 5G 调制解调器原型落后高通最佳芯片三年 余承东升任华为车 BU 董事长 " + chatgpt
    title = "早报｜余承东升任华为车 BU 董事长 / 苹果自研调制解调器受挫 / 蔚来 NIO Phone 手机 6499 元起"
    assert _themes(classifier, _story(title, modem, "zh")) == ["chips"]


def test_a_roundups_label_names_its_column_not_its_items(classifier: Classifier) -> None:
    """A weekly roundup's label ("｜AI一周资讯") stands in the headline of every issue, whatever the items are: its
    "AI" is the column's name, so an issue of company news, a programmer's fraud and a new server is no ai-models
    story. An AI item in the headline still is, and so is "AI" in a report's headline outside a label."""
    items = "字节宣布除夕放假；印度富豪要求年轻人每周工作70小时；Redis 创始人写出最小聊天服务器"
    lead = "资讯 字节跳动宣布今年除夕放假，连放九天，不占年假。"
    assert _themes(classifier, _story(items + "｜AI一周资讯", lead, "zh")) == []
    ai_item = "字节宣布除夕放假；某公司发布新一代大模型；Redis 创始人写出最小聊天服务器｜AI一周资讯"
    assert _themes(classifier, _story(ai_item, lead, "zh"))[:1] == ["ai-models"]
    assert _themes(classifier, _story("印度富豪要求年轻人每周工作70小时，AI 会取代他们吗", lead, "zh")) == ["ai-models"]


def test_chips_and_science_must_be_named_in_the_headline_or_the_lead(classifier: Classifier) -> None:
    """A phone's launch invitation whose processor, node and foundry stand only in its rumour paragraphs is no chips
    story, however densely they are named there (GUIDE: devices get chips only when the chips are the news); the
    same chip named in the lead is. A feature on a city's economy whose telescope and rocket stand only further down
    is no science story."""
    lead = "苹果公司正式对外发布了秋季发布会的邀请函，本次发布会的中文主题是“好奇心上头”，苹果重构了标志。" * 4
    specs = "根据之前爆料的消息汇总，新机的处理器将会全面更新到A17，由台积电3nm制程打造，芯片性能提升两成。"
    invite = _story("苹果发布秋季发布会邀请函：新款手机要来了", lead + specs, "zh")
    assert _themes(classifier, invite) == []
    named = _story("苹果发布秋季发布会邀请函：新款手机要来了", specs + lead, "zh")
    assert _themes(classifier, named)[:1] == ["chips"]
    city = "这座城市的老街上，糕点店的老板用粤语招呼客人，夜市一直开到凌晨，游客在古城里拍照留念。" * 4
    later = "当地还建起了天文台，望远镜对准夜空；城外的基地里，运载火箭正在总装。"
    assert _themes(classifier, _story("中国最西端的城市，藏着多少南方的味道", city + later, "zh")) == []
    telescope = _story("中国最西端的城市建起望远镜，运载火箭正在总装", city + later, "zh")
    assert _themes(classifier, telescope)[:1] == ["science"]


# ------------------------------------------------------------------------------------------- vocabulary


def test_a_chinese_term_that_holds_a_latin_one_is_the_longer_match(classifier: Classifier) -> None:
    """The longest term wins across the two scripts as within each: "AI芯片" (an AI chip) is a chips term, and the
    "AI" inside it is not an ai-models term again, so a foundry's results are chips alone. "AI" standing on its own
    in the same headline still counts."""
    lead = "台积电公布第三季度财报，营收与净利润同比双双下滑，公司称库存调整接近尾声。"
    results = _story("台积电三季度营收净利双下滑，代工AI芯片成一大收入来源", lead, "zh")
    assert _themes(classifier, results) == ["chips"]
    apart = _story("台积电三季度营收净利双下滑，AI 需求成一大收入来源", lead, "zh")
    assert "ai-models" in _themes(classifier, apart)


def test_a_company_sanctioned_years_ago_is_no_state_acting_now(classifier: Classifier) -> None:
    """被制裁 (was sanctioned) tells a company's past in passing, as "US-sanctioned Huawei" does in English: a phone's
    comeback after it is chips news, not Policy. A sanction imposed, the state acting, is Policy."""
    title, phone = "华为手机翻盘，带动新车订单暴涨", "华为手机已带着5G速度回归，新机搭载麒麟9000s芯片，采用7纳米制程。"
    past = _story(title, "被制裁四年后，" + phone, "zh")
    assert "policy" not in _themes(classifier, past)
    now = _story(title, "美国宣布对华为实施新一轮制裁，" + phone, "zh")
    assert "policy" in _themes(classifier, now)


def test_arm_the_chip_designer_is_chips_and_a_robot_arm_is_not(classifier: Classifier) -> None:
    """Arm, the chip designer, makes a chips story of its IPO; a robot's arm stays a robot, and keeping a rival at
    arm's length is nobody's chip."""
    ipo = _story("Arm IPO excites Wall Street, but challenges loom", "Investors are lining up for the listing.")
    assert _themes(classifier, ipo) == ["chips"]
    robot = _story("The robot arm that can chop up a ship", "A shipyard in Wales uses it to cut hulls.")
    assert "chips" not in _themes(classifier, robot)
    assert _themes(classifier, _story("Regulators keep the bank at arm's length")) == []
    # a company's arm is a division of it, not the chip designer
    cloud = _story("Alibaba's cloud arm cuts prices", "The cloud arm of the e-commerce group said prices would fall.")
    assert _themes(classifier, cloud) == []


def test_a_satellite_photo_of_farmland_is_no_science_story(classifier: Classifier) -> None:
    """卫星 (satellite) alone in a headline is a hint: satellite photos of a village's farmland or a satellite call
    from a phone are no space story, a satellite launched by a rocket is."""
    photo = _story("住了几十年的老房子，被卫星拍成基本农田", "当地执法人员表示，自己都觉得不对。", "zh")
    assert _themes(classifier, photo) == []
    launch = _story("运载火箭成功发射一颗卫星", "卫星顺利进入预定轨道，发射任务获得圆满成功。", "zh")
    assert _themes(classifier, launch) == ["science"]


def test_nvidia_alone_is_a_hint_and_its_chips_are_chips(classifier: Classifier) -> None:
    """Nvidia's games streaming is no chips story; Nvidia's chips, named beside it, are."""
    games = _story("Starfield has arrived on Nvidia's GeForce Now", "The game streams to laptops and phones.")
    assert _themes(classifier, games) == []
    chips = _story("Nvidia's AI chips sell out", "The company cannot make its GPUs fast enough.")
    assert _themes(classifier, chips)[:1] == ["chips"]


def test_the_leaders_letter_is_no_policy_story(classifier: Classifier) -> None:
    """新闻联播 names 习近平 in the headline of his letters and greetings: that is not the state acting on a subject. A
    plan the State Council issues is."""
    letter = _story("习近平给发动机装配厂职工回信", "回信在职工中引发热烈反响，大家表示要坚持科技自立自强。", "zh")
    assert _themes(classifier, letter) == []
    plan = _story("国务院印发人工智能产业行动方案", "方案提出加快大模型的研发和应用。", "zh")
    assert _themes(classifier, plan)[:1] == ["policy"]


def test_a_benchmark_of_graphics_is_no_chips_story(classifier: Classifier) -> None:
    """GPU and 英伟达 alone are hints: a benchmark app's graphics test, or the Nvidia CEO's visit, is no chips story;
    a new GPU chip is."""
    bench = _story("Cinebench can now test GPU power", "The test takes ten minutes to run.")
    assert _themes(classifier, bench) == []
    visit = _story("英伟达CEO访问印度，面见总理", "他与当地的研究人员讨论了天体物理。", "zh")
    assert "chips" not in _themes(classifier, visit)
    chip = _story("英伟达发布新一代GPU芯片", "新芯片采用台积电4nm工艺制造。", "zh")
    assert _themes(classifier, chip)[:1] == ["chips"]


# ------------------------------------------------------------------------------------------- the tenth pass (ten weeks)


def test_who_acts_beside_policys_own_term_counts_where_its_subject_stands(classifier: Classifier) -> None:
    """Who acts ("ministry", "law", "government") beside one of Policy's own terms (a ban, rules) counts twice
    where Policy's subject (an app, a phone maker, a platform) stands in the headline or lead, as beside another
    theme: a ministry's ban on iPhones is the state acting on technology. Without the subject, or without
    Policy's own term, who acts adds nothing."""
    lead = "The ministry told staff to stop bringing them to work."
    assert _themes(classifier, _story("Officials face a ban on iPhones", lead)) == ["policy"]
    assert _themes(classifier, _story("Officials face a ban on umbrellas", lead)) == []
    assert _themes(classifier, _story("Officials talk about iPhones", lead)) == []


def test_of_two_prefix_terms_the_longer_prefix_wins(classifier: Classifier) -> None:
    """The longest term wins where terms overlap, prefixes too: "mathematicians" is "mathematician*" (3), not
    "mathematic*" (2)."""
    found = classifier.scorer.score(_story("Mathematicians meet in Paris")).evidence.get("science", ())
    assert [(term, weight) for term, weight, _ in found] == [("mathematician*", 3)]


def test_the_companies_on_policys_subject_list_are_its_subject_in_chinese_too(classifier: Classifier) -> None:
    """Policy's subject list names the tech companies (Google, Microsoft, Huawei); a Chinese report names them
    谷歌, 微软, 华为, and the state acting on them is Policy as in English. A cement maker's trial is not."""
    lead = "美国司法部提起的诉讼已经开庭，庭审信息禁止直播。"
    assert _themes(classifier, _story("揭秘反垄断庭审：辞掉工作盯着谷歌", lead, "zh")) == ["policy"]
    assert _themes(classifier, _story("揭秘反垄断庭审：辞掉工作盯着水泥厂", lead, "zh")) == []


def test_a_states_attorney_general_is_policy_as_the_attorneys_general_are(classifier: Classifier) -> None:
    """The words "attorney general", one state's law officer, are Policy's term as the plural is: on an app it is
    Policy; acting on a cement maker it is none of the six (Policy's subject rule)."""
    assert _themes(classifier, _story("How the attorney general made banning a video app a priority")) == ["policy"]
    assert _themes(classifier, _story("How the attorney general made a cement maker pay")) == []


def test_kexue_is_science_as_the_english_word_is(classifier: Classifier) -> None:
    """科学, the word itself, counts for science as "science" does in English, as a hint: beside another science
    term (科考) an expedition is science; in everyday prose alone (科学安排, "sensibly") it is none of the six."""
    expedition = _story("北冰洋科学考察队抵达北极点", "极地考察船首次抵达北极点区域，开展科考作业。", "zh")
    assert _themes(classifier, expedition) == ["science"]
    assert _themes(classifier, _story("科学安排假期出行", "游客错峰出游，景区客流平稳。", "zh")) == []


def test_a_science_desks_story_that_names_nothing_else_is_science_on_its_beat(classifier: Classifier) -> None:
    """Where the science desk's headline and lead name nothing else (no theme's terms, no one acting), its
    beat decides alone: a teaser on earthworms is science. Where someone acts (a law, a government) or another
    theme's terms stand, the beat still needs a science word: a lawsuit over a climate law is not science."""

    def desk(title: str, text: str) -> Story:
        return Story(id="x", source="en-science-news", url="", title=title, text=text, lang="en")

    worms = desk("If earthworms were a country, they would grow a lot of grain", "Little wrigglers feed the world")
    assert _themes(classifier, worms) == ["science"]
    assert ("source: en-science-news", 4, "lead") in classifier.classify(worms).themes[0].evidence
    suit = desk("Flooding lakes displaced thousands. A suit blames the weather", "A new law obliges the state to pay")
    assert _themes(classifier, suit) == []
    battery = desk("Cheap batteries for the home", "Households install packs in the garage")
    assert "science" not in _themes(classifier, battery)


def test_the_state_acting_in_the_lead_on_a_subject_named_in_the_headline_is_policy(classifier: Classifier) -> None:
    """The headline names what the state acts on (Apple's iPhone), the lead that it acts (regulators passed a
    rule): Policy's subject in the headline beside one of its lead terms counts a point more. The same lead
    under a headline naming no subject, or a ministry quoted for data under the same kind of headline, does not."""
    lead = "European regulators passed a rule requiring one charging port across electronic devices."
    assert _themes(classifier, _story("Apple unveils a new iPhone with a different charger", lead)) == ["policy"]
    assert _themes(classifier, _story("A new handset arrives with a different charger", lead)) == []
    data = "Figures from the Ministry of Industry and Information Technology show sales fell 7 per cent."
    assert _themes(classifier, _story("Apple's iPhone sales slump in China", data)) == []


def test_a_tax_credit_on_electric_vehicles_is_policy(classifier: Classifier) -> None:
    """A tax credit is a subsidy paid through the tax code: "Fewer Electric Vehicles Will Qualify for U.S. Tax
    Credits in 2024" (W50) and "A bunch of EVs are going to lose their tax credit" (W49, the IRS guidelines) are
    Policy. A family's tax credit has no Policy subject and is none of the six."""
    lead = "Popular models may no longer entitle buyers to tax savings under tougher sourcing requirements."
    assert _themes(classifier, _story("Fewer Electric Vehicles Will Qualify for U.S. Tax Credits in 2024", lead)) == [
        "policy"
    ]
    assert _themes(classifier, _story("Fewer Families Will Qualify for the Child Tax Credit in 2024", lead)) == []


def test_chinese_scientists_report_a_finding_that_is_science(classifier: Classifier) -> None:
    """The words "Chinese scientists" (我国科学家, 中国科学家) report a research finding: beside another theme's one
    word in the headline (hydrogen, a nuclear company's geologists) the story is science first: "Chinese
    scientists develop powerful hydrogen therapy that could reverse ageing" (W50), 我国科学家发现战略性关键金属新矿物
    (W40). Without them the hydrogen headline stays energy's."""
    lead = "Researchers say a nanotechnology-based implant can deliver slow and steady release of the element."
    scientists = _story("Chinese scientists develop powerful hydrogen therapy that could reverse ageing", lead)
    assert _themes(classifier, scientists)[0] == "science"
    assert _themes(classifier, _story("A powerful hydrogen therapy could reverse ageing", lead))[0] == "energy"
    mineral = _story(
        "我国科学家发现战略性关键金属新矿物，命名铌包头矿",
        "据中核集团微信公众号消息，中核地质科技有限公司研究员等研究发现的新矿物铌包头矿获得国际矿物协会正式批准。",
        "zh",
    )
    assert _themes(classifier, mineral)[0] == "science"


def test_a_minister_who_receives_a_visitor_meets_and_does_not_act(classifier: Classifier) -> None:
    """A minister who 会见 (receives) a company's president or an ambassador meets; the state does not act:
    商务部部长王文涛会见美国微软公司总裁施博德 (W49) and 科技部部长王志刚会见美国驻华大使伯恩斯 (W37) are none of
    the six, whatever the ministry's name scores. With one of Policy's lead terms in the headline, or without 会见, the
    ministry acting on the company is Policy still."""
    lead = "商务部部长应约会见美国微软公司总裁一行。双方就微软公司在华发展、中美经贸关系等议题进行了交流。"
    assert _themes(classifier, _story("商务部部长王文涛会见美国微软公司总裁施博德", lead, "zh")) == []
    assert _themes(classifier, _story("商务部部长会见微软总裁，谈出口管制", lead, "zh"))[0] == "policy"
    assert _themes(classifier, _story("商务部约谈微软公司总裁", lead, "zh"))[0] == "policy"


def test_a_science_desks_headline_says_what_its_teaser_is_about(classifier: Classifier) -> None:
    """The desk's beat decides alone where its headline names no theme's terms and no one acts: another theme's
    word in the lead is the teaser's setting. "Antimatter falls down, just like ordinary matter" with hydrogen in
    its lead (W39) and an x-ray laser at an "accelerator" lab (W38) are science. A word in the headline still
    counts: "U.S. hands out $7 billion for hydrogen hubs" (W41) stays energy's."""

    def desk(title: str, text: str) -> Story:
        return Story(id="x", source="en-science-news", url="", title=title, text=text, lang="en")

    antimatter = desk("Antimatter falls down, just like ordinary matter", "Gravity pulls the same on hydrogen too")
    assert _themes(classifier, antimatter) == ["science"]
    hubs = desk("U.S. hands out $7 billion for hydrogen hubs", "Gas could replace fossil fuels if it is made cleanly")
    assert _themes(classifier, hubs)[0] == "energy"


def test_fusion_is_an_energy_source_whatever_stage_its_research_is_at(classifier: Classifier) -> None:
    """Fusion stories are energy beside science: "3 Laser Fusion Research Hubs Picked by Energy Department" (W49)
    and "UK's nuclear fusion site ends experiments after 40 years" (W41). A face-swapping tool's name holds the
    letters (FaceFusion) and is no energy story."""
    lead = "With $42 million, a national laboratory and two universities will work on studies of laser fusion."
    assert "energy" in _themes(classifier, _story("3 Laser Fusion Research Hubs Picked by Energy Department", lead))
    site = _story("UK's nuclear fusion site ends experiments after 40 years", "The JET reactor ran its last pulses.")
    assert "energy" in _themes(classifier, site) and "science" in _themes(classifier, site)
    assert "energy" not in _themes(classifier, _story("FaceFusion swaps faces in any video", "An open tool."))


def test_the_states_science_funders_act_on_science(classifier: Classifier) -> None:
    """NIH and NSF are who acts on science, as a ministry is: "NIH advisory group recommends $14,000 boost in
    postdoc pay" (W50) and "NIH sticks to new requirement that foreign partners share lab notebooks" (W38) are
    science and Policy. A private funder's advisers on the same pay are science alone."""

    def desk(title: str, text: str) -> Story:
        return Story(id="x", source="en-science-news", url="", title=title, text=text, lang="en")

    lead = "Advisers want postdoctoral researchers paid at least $70,000 a year"
    nih = _themes(classifier, desk("NIH advisory group recommends $14,000 boost in postdoc pay", lead))
    assert nih[0] == "science" and "policy" in nih
    assert _themes(classifier, desk("Wellcome advisory group recommends $14,000 boost in postdoc pay", lead)) == [
        "science"
    ]


def test_a_watchdog_acts_on_what_it_examines(classifier: Classifier) -> None:
    """A watchdog is a regulator by another name, who acts beside what it examines: "Microsoft's links with OpenAI
    to be examined by competition watchdog" (W49) and "Snap might have to withdraw its AI chatbot, watchdog says"
    (W40) are Policy beside ai-models. A watchdog with nothing of the six before it is none of them."""
    lead = "It will look at whether the partnership amounts to a merger."
    title = "Microsoft's links with OpenAI to be examined by competition watchdog"
    assert _themes(classifier, _story(title, lead)) == ["policy", "ai-models"]
    assert _themes(classifier, _story("Bakery chain's takeover to be examined by competition watchdog", "")) == []


def test_who_acts_opening_the_headline_acts_on_its_subject(classifier: Classifier) -> None:
    """Who acts opening a headline is its subject, and beside Policy's subject it is the state acting without
    Policy's own terms: "Senators Probe TikTok's Executive Transfers From ByteDance" (W40), "Supreme Court to Hear
    Challenges to State Laws on Social Media" (W39), "Government row with Facebook over private messages" (W38,
    the subject in the lead), 印尼政府：将给予TikTok与GoTo的电商合作数月试行期 (W50). Further into the headline who
    acts is the thing talked about ("…breach of Microsoft-hosted government emails", W36), and a leader opening it
    is his talks ("Xi Jinping to host…"): none of the six."""
    assert _themes(classifier, _story("Senators Probe TikTok's Executive Transfers From ByteDance")) == ["policy"]
    assert _themes(classifier, _story("Supreme Court to Hear Challenges to State Laws on Social Media")) == ["policy"]
    lead = "Ministers want the company to be able to read messages sent on its apps when asked."
    assert _themes(classifier, _story("Government row with Facebook over private messages", lead)) == ["policy"]
    zh = "印尼政府：将给予TikTok与GoTo的电商合作数月试行期 之后做出评估"
    assert _themes(classifier, _story(zh, "印尼贸易部长表示，将给予数月试行期。", "zh")) == ["policy"]
    breach = "A Rube Goldberg chain of failures led to breach of Microsoft-hosted government emails"
    assert _themes(classifier, _story(breach)) == []
    assert _themes(classifier, _story("Xi Jinping to host Chilean President for talks on technology")) == []


def test_the_chinese_for_legislators_and_the_white_house_is_who_acts(classifier: Classifier) -> None:
    """众议院 (and 众院), 参议院, 国会, 白宫 and 议员 are who acts, as "House", "Senate", "Congress", "White House"
    and "lawmakers" are in English: "加码施压？外媒：美众院涉华委员会致函三家芯片巨头，要求CEO赴国会作证"
    (2024-W02) and "美众院施压芯片巨头CEO出席听证会" (2024-W03) are Policy beside chips,
    "想“脱钩”？美媒曝美国会禁止五角大楼从6家中企采购电池" (2024-W03) is Policy. The same chipmakers' CEOs at an
    industry event are chips alone."""
    lead = "美国众议院“中国委员会”致函英特尔、英伟达和美光的首席执行官，要求他们说明对华业务。"
    assert _themes(classifier, _story("美众院涉华委员会致函三家芯片巨头，要求CEO赴国会作证", lead, "zh")) == [
        "chips",
        "policy",
    ]
    pentagon = "报道称，这项规定是国防授权法案的一部分，美国防部将被禁止从宁德时代等企业采购电池。"
    assert _themes(classifier, _story("美媒：美国会禁止五角大楼从6家中企采购电池", pentagon, "zh")) == ["policy"]
    event = "英特尔、英伟达和美光的首席执行官将出席大会，介绍对华业务。"
    assert _themes(classifier, _story("三家芯片巨头CEO将出席行业大会", event, "zh")) == ["chips"]


def test_a_competition_watchdog_and_its_law_are_antitrust_by_another_name(classifier: Classifier) -> None:
    """The state's competition enforcers and their law are Policy's own terms, as "antitrust" is: "Amazon takeover
    of iRobot to be blocked by EU" with "The EU's competition watchdog has made a decision…" in its lead (2024-W03),
    and "The Morning After: EU reveals six tech giants that'll be hit by its new competition laws" (W36). A bakery's
    takeover before the same watchdog names none of Policy's subject and is none of the six."""
    lead = "The EU's competition watchdog has made a decision on Amazon's bid to purchase iRobot."
    assert _themes(classifier, _story("Amazon takeover of iRobot to be blocked by EU", lead)) == ["policy"]
    laws = _story("EU reveals six tech giants that'll be hit by its new competition laws", "A list of gatekeepers.")
    assert _themes(classifier, laws) == ["policy"]
    bakery = "The competition watchdog has made a decision on the bakery chain's bid."
    assert _themes(classifier, _story("Bakery takeover to be blocked", bakery)) == []


def test_a_ministrys_new_chief_is_personnel_and_no_state_acting(classifier: Classifier) -> None:
    """Naming a ministry's new chief is personnel, as a meeting is: "China names new science ministry chief to help
    lead hi-tech self-reliance drive" (W41) and 科技部重组后新任党组书记到任 (W40) are no Policy story, whatever
    "ministry" and "self-reliance" score. The same ministry issuing rules still acts."""
    lead = "The veteran official takes over the ministry as it is reorganised."
    named = _story("China names new science ministry chief to help lead hi-tech self-reliance drive", lead)
    assert "policy" not in _themes(classifier, named)
    zh = _story("科技部重组后新任党组书记到任", "科技部新任党组书记到任，曾多次填补科技和军工领域空白。", "zh")
    assert "policy" not in _themes(classifier, zh)
    rules = _story("China's science ministry issues rules to help lead hi-tech self-reliance drive", lead)
    assert _themes(classifier, rules)[:1] == ["policy"]


def test_a_devices_new_chips_are_one_of_its_upgrades(classifier: Classifier) -> None:
    """A device's "new chips" stand beside its displays and cameras, one of its upgrades, and make no chips story:
    "Apple's new iPhone 15 Pro gets new chips, better cameras, and a titanium frame" (W37), "Razer upgrades Blades:
    new chips, new displays, and a smidge of AI" (2024-W02). A chipmaker releasing new chips is chips ("AMD releases
    new chips to power faster AI training", W49)."""
    iphone = _story("Apple's new iPhone 15 Pro gets new chips, better cameras, and a titanium frame", "Apple said.")
    assert _themes(classifier, iphone) == []
    amd = _story("AMD releases new chips to power faster AI training", "The MI300 accelerators ship this quarter.")
    assert _themes(classifier, amd)[:1] == ["chips"]


def test_a_drug_trials_phase_says_the_teaser_is_science(classifier: Classifier) -> None:
    """A trial's phase beside "clinical trial" in the lead makes a medicine teaser science: "'Breakthrough therapy':
    a new Chinese drug shows record treatment success against one of the deadliest lung cancers" with "Phase 2
    clinical trial of sunvozertinib shows…" (W51), and "'Very promising': Chinese herbal medicine trial offers new
    hope in memory loss treatment" with "Australian phase 2 clinical trial of Sailuotong shows…" (W41). A trial
    named without its phase is one hint, under the threshold."""
    title = "'Very promising': Chinese herbal medicine trial offers new hope in memory loss treatment"
    phase = "Australian phase 2 clinical trial of Sailuotong shows memory and executive function gains."
    assert _themes(classifier, _story(title, phase)) == ["science"]
    assert _themes(classifier, _story(title, "A clinical trial of Sailuotong shows memory gains.")) == []


def test_a_ministry_quoted_for_its_figures_does_not_act(classifier: Classifier) -> None:
    """A state body named as the source of figures ("工业和信息化部最新数据显示，…") is quoted, not acting:
    "我国累计建成5G基站337.7万个" (2024-W03) and a 国内联播快讯 led by "国务院国资委最新数据显示" on local state
    firms' revenue (2024-W02) are no Policy story. The same ministry issuing a plan acts, and a grid operator
    quoted for its figures still names energy (国家电网最新数据显示, W49)."""
    quoted = "工业和信息化部最新数据显示，截至2023年底，我国已累计建成5G基站337.7万个，5G标准必要专利数量保持全球领先。"
    assert _themes(classifier, _story("我国累计建成5G基站337.7万个", quoted, "zh")) == []
    acting = "工业和信息化部印发《5G规模化应用行动方案》，截至2023年底，我国已累计建成5G基站337.7万个。"
    assert _themes(classifier, _story("我国累计建成5G基站337.7万个", acting, "zh"))[:1] == ["policy"]
    grid = "国家电网最新数据显示，2023年，新疆新能源装机规模突破2000万千瓦，达到2011.8万千瓦。"
    assert _themes(classifier, _story("2023年新疆新能源装机突破2000万千瓦", grid, "zh")) == ["energy"]


def test_a_headline_lists_last_item_is_named_in_passing(classifier: Classifier) -> None:
    """An English headline that lists three or more things puts its subject first; its last item is named in
    passing and counts once, as in the lead: "Asus' latest gaming phone is thinner, lighter, and sprinkled with AI"
    and "BMW turns inward for CES, announcing new gaming, streaming, AR, and AI features" (2024-W02) are about none
    of the six, and a science desk's "News at a glance: Endangered plants, diversity in clinical trials, and testing
    fusion reactor walls" (W41) is not energy. A list led by its subject keeps it ("1,000 photos with the Pixel 8
    Pro: AI, UI, and Pro stuff", W41), and so does a headline whose list has no "and" at its end."""
    asus = "The ROG Phone 8 and 8 Pro have small displays on their backs."
    listed = _story("Asus' latest gaming phone is thinner, lighter, and sprinkled with AI", asus)
    assert _themes(classifier, listed) == []
    assert _themes(classifier, _story("Asus' latest gaming phone is sprinkled with AI", asus)) == ["ai-models"]
    pixel = "I took the phone everywhere for a month."
    assert _themes(classifier, _story("1,000 photos with the Pixel 8 Pro: AI, UI, and Pro stuff", pixel)) == [
        "ai-models"
    ]

    def desk(title: str) -> Story:
        return Story(id="x", source="en-science-news", url="", title=title, text="A roundup.", lang="en")

    glance = desk("News at a glance: Endangered plants, diversity in clinical trials, and testing fusion reactor walls")
    assert _themes(classifier, glance) == ["science"]


def test_intel_alone_is_a_hint_and_its_chips_are_chips(classifier: Classifier) -> None:
    """The name "Intel" is a hint, as "Nvidia" is: it is also the common noun ("How China gets free intel on tech
    companies' vulnerabilities", W36), and Intel's connectors are no chips story ("Intel confirms Thunderbolt 5 name,
    120Gbps tech arrives in 2024", W37). Intel's processors named beside it are chips."""
    thunderbolt = _story("Intel confirms Thunderbolt 5 name, 120Gbps tech arrives in 2024", "The port doubles speeds.")
    assert _themes(classifier, thunderbolt) == []
    intel = _story("How China gets free intel on tech companies' vulnerabilities", "Researchers must report bugs.")
    assert "chips" not in _themes(classifier, intel)
    cpus = _story("Intel launches Meteor Lake processors for laptops", "The chips have a neural engine.")
    assert _themes(classifier, cpus)[:1] == ["chips"]


def test_a_headlines_circumstance_is_named_in_passing(classifier: Classifier) -> None:
    """A clause from "amid" or "while" is the headline's circumstance and counts once, as in the lead: "Former Meta
    COO Sheryl Sandberg to leave board amid AI boom" (2024-W03) and "Wi-Fi 7 quietly took off while everyone was
    looking at AI" (2024-W02) are about none of the six. The same word before the clause is the subject."""
    lead = "Former Meta chief operating officer Sheryl Sandberg is leaving the company's board after 12 years."
    assert _themes(classifier, _story("Former Meta COO Sheryl Sandberg to leave board amid AI boom", lead)) == []
    assert _themes(classifier, _story("Former Meta COO Sheryl Sandberg to join AI start-up's board", lead)) == [
        "ai-models"
    ]
    wifi = _story("Wi-Fi 7 quietly took off while everyone was looking at AI", "Laptops at CES arrived with it.")
    assert _themes(classifier, wifi) == []


def test_the_examples_a_lead_runs_through_are_in_passing(classifier: Classifier) -> None:
    """A lead that opens a sentence with "from A to B," runs through examples in passing: "We found the smartest
    gadgets for every room in your home" with "From AI-powered robots to face-scanning smart locks, the gadgets…"
    (2024-W02) and "I hated electric scooters. I was wrong." with "— from scooters to TikTok to ChatGPT —" (W51) are
    about none of the six. A team sent "from Singapore to talk with" officials is no list (W39), and the same
    robots as the lead's subject are ai-models."""
    gadgets = "From AI-powered robots to face-scanning smart locks, the gadgets of the homes of the future were shown."
    assert _themes(classifier, _story("We found the smartest gadgets for every room in your home", gadgets)) == []
    robots = "AI-powered robots that fold laundry were shown, and their makers say the robots learn each home."
    assert _themes(classifier, _story("We found the smartest gadgets for every room in your home", robots)) == [
        "ai-models"
    ]
