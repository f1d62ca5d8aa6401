"""A synthetic news corpus for the benchmarks: English and Chinese stories with known duplicates.

Every *event* (a cluster in the gold labels) has a theme, a lead organisation, a place, a time and three
to five figures with units (``12,500 PFLOPS``, ``8 GW``, ``52亿元``, ``800万千瓦``). An event's first
report, the *original*, is written in English or Chinese from sentence parts: a lead sentence that
carries the figures, then context sentences drawn from a large bank whose slots take other organisations,
places, years and numbers, so that stories share common phrases the way wire copy does ("the company said
in a statement") without sharing whole paragraphs. Other reports of the event derive from it at known
rates:

- ``copy``: the same text re-published by another outlet, with a dateline and a credit line (one copy in
  ten is the same page fetched again under a tracking URL, one in ten the identical text);
- ``edit``: the text lightly edited: a sentence or two dropped or replaced, a few words changed, the
  headline reworded, or the text trimmed to its first paragraphs;
- ``rewrite``: the same event told again in other words, half of them in the other language, with the
  same figures written the other language's way (``12,500 PFLOPS`` = ``1.25万PFLOPS``).

The corpus spans ``ceil(n / per_week)`` weeks, a few thousand stories a week as fifty outlets give. The
same ``n`` and ``seed`` always give the same stories, ids and order (by published time, as a store
returns them). Run as a script to write JSONL for ``briefing dedup`` and ``briefing classify``:

    python benchmarks/corpus.py 5000 --seed 1 > stories.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

from briefing.records import Story

__all__ = ["Kind", "Labelled", "corpus", "main", "to_json"]

Kind = Literal["original", "copy", "edit", "rewrite"]
Lang = Literal["en", "zh"]
START = datetime(2025, 1, 5, 16, 0, tzinfo=timezone.utc)  # Monday 2025-01-06 00:00 in Asia/Shanghai


@dataclass(frozen=True)
class Labelled:
    """A story and its gold labels: the event it reports and how it came to be."""

    story: Story
    event: str
    kind: Kind
    of: str | None = None  # the id of the story a copy, edit or rewrite derives from


# --------------------------------------------------------------------------------------- vocabulary

ORGS: tuple[tuple[str, str], ...] = (
    ("Huawei", "华为"), ("SMIC", "中芯国际"), ("Alibaba Cloud", "阿里云"), ("Tencent", "腾讯"), ("Baidu", "百度"),
    ("ByteDance", "字节跳动"), ("China Telecom", "中国电信"), ("China Mobile", "中国移动"), ("China Unicom", "中国联通"),
    ("CATL", "宁德时代"), ("State Grid", "国家电网"), ("China Southern Power Grid", "南方电网"), ("CXMT", "长鑫存储"),
    ("YMTC", "长江存储"), ("Hygon", "海光信息"), ("Cambricon", "寒武纪"), ("Moore Threads", "摩尔线程"),
    ("Biren Technology", "壁仞科技"), ("Zhipu AI", "智谱"), ("Moonshot AI", "月之暗面"), ("DeepSeek", "深度求索"),
    ("iFlytek", "科大讯飞"), ("SenseTime", "商汤科技"), ("Inspur", "浪潮信息"), ("Sugon", "中科曙光"),
    ("Lenovo", "联想集团"), ("BYD", "比亚迪"), ("China Three Gorges", "三峡集团"), ("CGN Power", "中广核"),
    ("CNNC", "中核集团"), ("Naura", "北方华创"), ("AMEC", "中微公司"), ("Hua Hong", "华虹半导体"),
    ("Kuaishou", "快手"), ("JD Cloud", "京东云"), ("Xiaomi", "小米"), ("Unitree", "宇树科技"), ("UBTech", "优必选"),
    ("Sungrow", "阳光电源"), ("LONGi", "隆基绿能"), ("Envision", "远景科技"), ("China Huaneng", "华能集团"),
    ("CAS", "中国科学院"), ("USTC", "中国科学技术大学"), ("Tsinghua University", "清华大学"), ("CNSA", "国家航天局"),
)
AGENCIES: tuple[tuple[str, str], ...] = (
    ("the National Development and Reform Commission", "国家发展改革委"), ("the Ministry of Industry and Information Technology", "工业和信息化部"),
    ("the National Energy Administration", "国家能源局"), ("the Cyberspace Administration of China", "国家网信办"),
    ("the Ministry of Commerce", "商务部"), ("the National Data Administration", "国家数据局"),
    ("the Ministry of Science and Technology", "科学技术部"), ("the State Council", "国务院"),
    ("the provincial government", "省政府"), ("the municipal big data bureau", "市大数据局"),
)
PLACES: tuple[tuple[str, str], ...] = (
    ("Ningxia", "宁夏"), ("Zhongwei", "中卫"), ("Gui'an", "贵安"), ("Qingyang", "庆阳"), ("Hohhot", "呼和浩特"),
    ("Ulanqab", "乌兰察布"), ("Wuhu", "芜湖"), ("Shaoguan", "韶关"), ("Chongqing", "重庆"), ("Chengdu", "成都"),
    ("Shanghai", "上海"), ("Shenzhen", "深圳"), ("Hefei", "合肥"), ("Beijing", "北京"), ("Hangzhou", "杭州"),
    ("Wuhan", "武汉"), ("Xi'an", "西安"), ("Lanzhou", "兰州"), ("Urumqi", "乌鲁木齐"), ("Xining", "西宁"),
    ("Qinghai", "青海"), ("Xinjiang", "新疆"), ("Inner Mongolia", "内蒙古"), ("Guizhou", "贵州"), ("Gansu", "甘肃"),
    ("Suzhou", "苏州"), ("Nanjing", "南京"), ("Guangzhou", "广州"), ("Tianjin", "天津"), ("Jinan", "济南"),
    ("Zhengzhou", "郑州"), ("Changsha", "长沙"), ("Fuzhou", "福州"), ("Dongguan", "东莞"), ("Wuxi", "无锡"),
)
PEOPLE_EN = ("analysts", "industry researchers", "officials", "executives", "engineers", "economists", "brokers", "investors")
PEOPLE_ZH = ("分析人士", "业内人士", "有关负责人", "企业高管", "专家", "研究人员", "券商分析师", "投资者")

#: what an event is about, per theme: (English object, Chinese object, unit kinds of its figures)
SUBJECTS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "compute": (
        ("intelligent computing centre", "智算中心", ("pflops", "gpus", "yuan", "pct")),
        ("AI training cluster", "AI训练集群", ("gpus", "pflops", "mw", "pct")),
        ("data centre campus", "数据中心集群", ("pflops", "mw", "yuan", "pct")),
        ("supercomputer", "超级计算机", ("pflops", "mw", "pct", "gpus")),
        ("computing power network", "算力网络", ("pflops", "km", "yuan", "pct")),
    ),
    "energy": (
        ("ultra-high-voltage line", "特高压工程", ("kv", "gw", "km", "yuan")),
        ("pumped-storage plant", "抽水蓄能电站", ("gw", "twh", "yuan", "pct")),
        ("offshore wind farm", "海上风电场", ("gw", "twh", "yuan", "pct")),
        ("grid battery project", "新型储能项目", ("gwh", "gw", "yuan", "pct")),
        ("nuclear power unit", "核电机组", ("gw", "twh", "yuan", "pct")),
    ),
    "policy": (
        ("action plan for computing power", "算力基础设施行动计划", ("pflops", "pct", "yuan")),
        ("subsidy scheme for computing vouchers", "算力券补贴政策", ("yuan", "pct", "pflops")),
        ("export control rule", "出口管制措施", ("usd", "pct", "yuan")),
        ("AI labelling regulation", "人工智能生成内容标识办法", ("pct", "yuan", "tokens")),
        ("state investment fund", "国家级产业投资基金", ("yuan", "usd", "pct")),
    ),
    "chips": (
        ("12-inch wafer fab", "12英寸晶圆厂", ("yuan", "nm", "pct", "usd")),
        ("HBM production line", "HBM产线", ("yuan", "pct", "usd", "nm")),
        ("AI accelerator", "AI加速芯片", ("nm", "pflops", "usd", "pct")),
        ("lithography tool", "光刻机", ("nm", "yuan", "pct")),
        ("quarterly results", "季度业绩", ("usd", "pct", "yuan")),
    ),
    "ai-models": (
        ("large language model", "大语言模型", ("tokens", "yuan", "pct", "usd")),
        ("open-weight model", "开源模型", ("tokens", "pct", "gpus", "yuan")),
        ("AI assistant", "AI助手", ("tokens", "pct", "yuan")),
        ("humanoid robot", "人形机器人", ("yuan", "pct", "usd")),
        ("model API price cut", "大模型API降价", ("yuan", "tokens", "pct")),
    ),
    "science": (
        ("quantum computer", "量子计算机", ("qubits", "pct", "km")),
        ("quantum communication link", "量子通信线路", ("km", "pct", "qubits")),
        ("deep-space probe", "深空探测器", ("km", "yuan", "pct")),
        ("radio telescope", "射电望远镜", ("km", "yuan", "pct")),
        ("fusion experiment", "聚变实验装置", ("mw", "pct", "yuan")),
    ),
}
VERBS: tuple[tuple[str, str], ...] = (
    ("opens", "投运"), ("launches", "发布"), ("completes", "建成"), ("unveils", "推出"), ("starts", "启动"),
    ("expands", "扩建"), ("approves", "获批"), ("switches on", "正式上线"), ("reports", "公布"), ("begins building", "开工建设"),
)


@dataclass(frozen=True)
class Figure:
    """A figure of an event, written either language's way."""

    kind: str
    en: str
    zh: str


def _figure(rng: random.Random, kind: str) -> Figure:
    """A random figure of ``kind`` (the unit), as English and Chinese write it."""
    if kind == "pflops":
        v = rng.randrange(4, 400) * 250  # 1,000 .. 99,750 PFLOPS
        return Figure(kind, f"{v:,} PFLOPS", f"{_wan(v)}PFLOPS" if v >= 10_000 else f"{v}PFLOPS")
    if kind == "gpus":
        v = rng.randrange(2, 200) * 500
        return Figure(kind, f"{v:,} GPUs", f"{_wan(v)}张卡" if v >= 10_000 else f"{v}张卡")
    if kind == "mw":
        v = rng.randrange(20, 900)
        return Figure(kind, f"{v} MW", f"{v}兆瓦")
    if kind == "gw":
        v = rng.randrange(5, 400) / 10  # 0.5 .. 39.9 GW
        return Figure(kind, f"{_num(v)} GW", f"{_num(v * 100)}万千瓦")
    if kind in ("twh", "gwh"):
        v = rng.randrange(12, 990)
        unit = "TWh" if kind == "twh" else "GWh"
        zh = f"{_num(v * 10)}亿千瓦时" if kind == "twh" else f"{_num(v * 100)}万千瓦时"
        return Figure(kind, f"{v} {unit}", zh)
    if kind == "kv":
        v = rng.choice((500, 660, 750, 800, 1000, 1100))
        return Figure(kind, f"±{v} kV", f"±{v}千伏")
    if kind == "km":
        v = rng.randrange(120, 4200)
        return Figure(kind, f"{v:,} km", f"{v}公里")
    if kind == "yuan":
        v = rng.randrange(12, 2400) / 10  # 1.2 .. 239.9 billion yuan
        return Figure(kind, f"{_num(v)} billion yuan", f"{_num(v * 10)}亿元")
    if kind == "usd":
        v = rng.randrange(11, 900) / 10
        return Figure(kind, f"US${_num(v)} billion", f"{_num(v * 10)}亿美元")
    if kind == "tokens":
        v = rng.randrange(2, 90)
        return Figure(kind, f"{v} trillion tokens", f"{v}万亿Token")
    if kind == "nm":
        v = rng.choice((3, 5, 7, 14, 22, 28, 40, 55))
        return Figure(kind, f"{v} nm", f"{v}纳米")
    if kind == "qubits":
        v = rng.randrange(60, 1200)
        return Figure(kind, f"{v} qubits", f"{v}量子比特")
    if kind == "pct":
        v = rng.randrange(31, 990) / 10
        return Figure(kind, f"{_num(v)}%", f"{_num(v)}%")
    raise ValueError(kind)


def _num(v: float) -> str:
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "") if v < 10_000 else text


def _wan(v: int) -> str:
    return f"{_num(v / 10_000)}万"


# --------------------------------------------------------------------------------------- sentences

#: context sentences; slots: {org} {org2} {agency} {place} {place2} {people} {year} {n} {m} {pct} {obj} {month}
EN_CONTEXT = (
    "The company said in a statement that the project had been completed ahead of schedule.",
    "{org2} and {org} have both announced similar plans in {place2} this year.",
    "{people} in {place} said demand from model developers had grown faster than expected.",
    "The project is part of the East Data West Computing programme launched in {year}.",
    "According to {agency}, about {n} similar projects are under construction across the country.",
    "Local officials said the {obj} would create roughly {m} jobs over the next three years.",
    "The announcement comes as {org2} faces rising competition from rivals in {place2}.",
    "{people} expect prices to keep falling as more capacity comes online in the second half.",
    "Construction began in {year}, and the second phase is due to be finished by the end of next year.",
    "The operator said most of the capacity had been pre-leased under multi-year contracts.",
    "{agency} said it would publish detailed rules on the scheme within {n} months.",
    "Shares of {org2} rose {pct}% in Shanghai trading after the news.",
    "The facility relies on renewable power from wind and solar farms in {place2}.",
    "Critics have questioned whether utilisation will justify the investment.",
    "{org} did not disclose the names of its customers.",
    "The {obj} is the largest of its kind in {place}, officials said.",
    "It follows a similar move by {org2} in {place2} in {year}.",
    "{people} said the project showed how quickly capacity in {place} was catching up with the coast.",
    "Engineers at the site said liquid cooling had cut power use by about {pct}%.",
    "{agency} has set a target of doubling capacity by {year}.",
    "The plan also calls for better coordination between the grid and data centres.",
    "Under the rules, operators must report their energy use to {agency} every quarter.",
    "{org} said it had spent {m} million yuan on research and development last year.",
    "Domestic suppliers provided most of the equipment, the company said.",
    "Talks with {org2} over a supply agreement are continuing, people familiar with the matter said.",
    "{people} warned that supply of advanced chips remained the main bottleneck.",
    "The {obj} will be connected to the national computing network by a dedicated backbone.",
    "A spokesperson for {org} declined to comment on the cost of the project.",
    "Work on a third phase in {place2} is expected to start in {year}.",
    "The move is in line with the guidelines issued by {agency} earlier this year.",
    "Output in the first nine months rose {pct}% from a year earlier, according to {agency}.",
    "{org2} said last month that it would cut prices by {pct}% for enterprise customers.",
    "Researchers at {org2} said the results had been published in a peer-reviewed journal.",
    "The company plans to list the unit on the STAR Market in {year}.",
    "Local media reported that {m} enterprises had signed up for the service in its first week.",
    "{people} in {place2} said the scheme would mostly benefit small and medium-sized firms.",
)
ZH_CONTEXT = (
    "公司在声明中表示，该项目较原计划提前完工。",
    "今年以来，{org2}和{org}均已在{place2}宣布了类似计划。",
    "{place}{people}表示，大模型企业的需求增长快于预期。",
    "该项目是{year}年启动的“东数西算”工程的组成部分。",
    "据{agency}介绍，全国目前约有{n}个同类项目正在建设。",
    "当地官员表示，该{obj}未来三年将带动约{m}个就业岗位。",
    "与此同时，{org2}在{place2}面临的竞争日益激烈。",
    "{people}预计，随着更多产能投产，下半年价格将继续下降。",
    "项目于{year}年开工建设，二期工程预计明年底完工。",
    "运营方表示，大部分容量已通过多年期合同提前锁定。",
    "{agency}表示，将在{n}个月内出台实施细则。",
    "消息公布后，{org2}股价在上海交易时段上涨{pct}%。",
    "该设施主要使用来自{place2}风电和光伏电站的绿色电力。",
    "也有观点质疑其利用率能否支撑如此规模的投资。",
    "{org}未披露具体客户名单。",
    "据介绍，该{obj}是{place}同类项目中规模最大的。",
    "此前，{org2}已于{year}年在{place2}采取了类似举措。",
    "{people}认为，这表明{place}的算力建设正在加速追赶东部沿海地区。",
    "现场工程师介绍，液冷技术使能耗降低了约{pct}%。",
    "{agency}提出，到{year}年相关能力要实现翻番。",
    "方案还提出，要加强电网与数据中心之间的协同。",
    "根据规定，运营企业须每季度向{agency}报送能耗数据。",
    "{org}表示，公司去年研发投入达{m}亿元。",
    "公司称，项目主要设备均由国内供应商提供。",
    "知情人士透露，与{org2}的供货协议仍在商谈之中。",
    "{people}提醒，先进芯片供应仍是主要瓶颈。",
    "该{obj}将通过专用骨干网络接入全国一体化算力网。",
    "{org}发言人拒绝就项目成本置评。",
    "位于{place2}的三期工程预计将于{year}年开工。",
    "此举符合{agency}今年早些时候印发的指导意见。",
    "据{agency}统计，前三季度产量同比增长{pct}%。",
    "{org2}上月表示，将对企业客户降价{pct}%。",
    "{org2}研究人员表示，相关成果已在同行评审期刊发表。",
    "公司计划于{year}年推动该业务在科创板上市。",
    "据当地媒体报道，服务上线首周即有{m}家企业签约。",
    "{place2}{people}认为，该政策将主要惠及中小企业。",
)
#: sentences that carry a figure, per unit: (original, rewrite) phrasings in English and in Chinese
FIGURE_SENTENCES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "pflops": (("The {obj} delivers {fig} of computing power, {org} said.", "Its computing power comes to {fig}."),
               ("{org}表示，该{obj}算力规模达到{fig}。", "据介绍，其算力总规模为{fig}。")),
    "gpus": (("It links {fig} in a single cluster.", "More than {fig} have been installed so far."),
             ("项目部署国产AI加速卡{fig}。", "目前已上架{fig}。")),
    "mw": (("The site draws about {fig} at full load.", "Power demand at full load is put at {fig}."),
           ("满负荷运行时用电负荷约{fig}。", "项目用电负荷约{fig}。")),
    "gw": (("Installed capacity is {fig}.", "It can deliver up to {fig} to the grid."),
           ("项目装机容量{fig}。", "输送能力可达{fig}。")),
    "twh": (("It is expected to generate {fig} a year.", "Annual output should reach {fig}."),
            ("预计年发电量{fig}。", "年均发电量可达{fig}。")),
    "gwh": (("Storage capacity reaches {fig}.", "It can store {fig} of electricity."),
            ("储能规模达到{fig}。", "可储存电量{fig}。")),
    "kv": (("The line runs at {fig}.", "It is built for a voltage of {fig}."),
           ("工程电压等级为{fig}。", "该工程采用{fig}电压等级。")),
    "km": (("It stretches {fig} from {place} to {place2}.", "The route covers {fig}."),
           ("线路从{place}延伸至{place2}，全长{fig}。", "全程{fig}。")),
    "yuan": (("Total investment is put at {fig}.", "The project will cost about {fig}, the company said."),
             ("项目总投资约{fig}。", "该项目计划投资{fig}。")),
    "usd": (("Revenue came to {fig} in the period.", "The deal is worth about {fig}."),
            ("期内营收{fig}。", "交易金额约{fig}。")),
    "tokens": (("Daily token usage passed {fig}.", "Users now consume {fig} a day."),
               ("日均Token调用量突破{fig}。", "目前每天消耗{fig}。")),
    "nm": (("It is made on a {fig} process.", "The chips use {fig} technology."),
           ("产品采用{fig}工艺。", "基于{fig}制程。")),
    "qubits": (("The system has {fig}.", "Researchers used {fig} in the experiment."),
               ("该系统拥有{fig}。", "实验使用了{fig}。")),
    "pct": (("That is up {fig} from a year earlier.", "The figure marks a rise of {fig} on the year."),
            ("同比增长{fig}。", "较上年同期提高{fig}。")),
}
#: context sentences of one theme (slots as above)
THEME_CONTEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "compute": (("Intelligent computing capacity in {place} has doubled in two years.", "Rental prices for GPU servers have fallen since the spring.",
                 "The data centre has a design PUE of 1.{n}.", "Computing power vouchers cover part of the cost for small firms."),
                ("{place}智能算力规模两年内翻了一番。", "今年春季以来，GPU服务器租赁价格有所回落。", "数据中心设计PUE为1.{n}。", "算力券可覆盖中小企业部分成本。")),
    "energy": (("Power consumption in {place} rose {pct}% in the first half.", "The grid operator said the line would ease curtailment of wind and solar power.",
                "Coal still provides most of the province's electricity.", "The storage station can run for four hours at full output."),
               ("上半年{place}全社会用电量同比增长{pct}%。", "电网企业表示，该工程将缓解弃风弃光问题。", "煤电仍是当地主要电源。", "储能电站可满功率运行4小时。")),
    "policy": (("The rules take effect on 1 {month}.", "{agency} said public comments had been taken into account.",
                "Local governments must submit implementation plans within {n} days.", "The measures follow a consultation that ended in {month}."),
               ("相关规定自{month}起施行。", "{agency}表示，已充分吸收公众意见。", "各地须在{n}日内报送实施方案。", "此前相关征求意见已于{month}结束。")),
    "chips": (("Wafer output is planned to reach {m} a month.", "The fab relies mainly on domestic lithography and etching tools.",
               "Memory prices have risen for three straight quarters.", "Export controls have restricted access to the most advanced tools."),
              ("规划月产能{m}片晶圆。", "产线主要采用国产光刻和刻蚀设备。", "存储芯片价格已连续三个季度上涨。", "出口管制限制了最先进设备的获取。")),
    "ai-models": (("The model's weights are available under an open licence.", "Prices per million tokens have fallen by half this year.",
                   "The assistant now has {m} million monthly active users.", "Developers can call the model through a public API."),
                  ("模型权重以开源协议发布。", "今年以来每百万Token价格已下降一半。", "该助手月活跃用户已达{m}万。", "开发者可通过公开API调用该模型。")),
    "science": (("The results were published in the journal Nature.", "The mission is scheduled to return samples in {year}.",
                 "Scientists at {org2} took part in the experiment.", "The team said the record could help build a quantum internet."),
                ("相关成果发表于《自然》杂志。", "按计划，任务将于{year}年携带样品返回。", "{org2}的科研人员参与了实验。", "团队表示，这一纪录有助于构建量子互联网。")),
}
EN_LEAD = (
    "{org} {verb} a {obj} in {place}, the company said on {day}.",
    "{place}'s authorities said on {day} that {org} {verb} its {obj} there.",
)
EN_LEAD_REWRITE = (
    "A {obj} built by {org} in {place} went into operation this week.",
    "{org}'s new {obj} in {place} is now in service, according to people involved in the project.",
)
ZH_LEAD = ("{day}，{org}在{place}{verb}{obj}。", "{org}{day}宣布，其位于{place}的{obj}{verb}。")
ZH_LEAD_REWRITE = ("记者从{org}获悉，{place}{obj}日前{verb}。", "{place}{obj}近日{verb}，项目由{org}承建。")
EN_TITLE = ("{org} {verb} {obj} in {place}, {fig}", "{place} {obj} of {org} reaches {fig}")
EN_TITLE_REWRITE = ("{org}'s {place} {obj} comes online with {fig}", "New {obj} in {place} adds {fig}")
ZH_TITLE = ("{org}{place}{obj}{verb}，规模达{fig}", "{place}{obj}{verb}，{org}披露规模{fig}")
ZH_TITLE_REWRITE = ("{fig}！{place}{obj}{verb}", "{org}：{place}{obj}{verb}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATELINE_EN = ("{PLACE} (Reuters) - ", "{PLACE}, {date} (Xinhua) -- ", "{PLACE} — ", "({place}) ")
CREDIT_EN = ("(Reporting by {name}; Editing by {name2})", "Source: {org}", "-- Compiled by the newsroom", "(Editing by {name})")
DATELINE_ZH = ("新华社{place}{date}电 ", "本报讯 ", "（{place}记者）", "【{place}】")
CREDIT_ZH = ("（责任编辑：{name}）", "来源：{org}", "（记者 {name}）", "本文转载自{org}官网")
NAMES = ("Li Wei", "Zhang Min", "Wang Fang", "Chen Jie", "Liu Yang", "Zhao Lei", "Sun Li", "Zhou Qiang", "Wu Xia", "Huang Tao")
NAMES_ZH = ("李伟", "张敏", "王芳", "陈杰", "刘洋", "赵磊", "孙丽", "周强", "吴霞", "黄涛")


@dataclass(frozen=True)
class Event:
    id: str
    theme: str
    org: int
    place: int
    subject: tuple[str, str, tuple[str, ...]]
    verb: int
    figures: tuple[Figure, ...]
    when: datetime
    seed: int


def _sources() -> tuple[tuple[str, Lang, float], ...]:
    out: list[tuple[str, Lang, float]] = []
    for i in range(30):
        out.append((f"en-outlet-{i:02d}", "en", 1.0 + (i % 4) * 0.1))
    for i in range(20):
        out.append((f"zh-outlet-{i:02d}", "zh", 1.0 + (i % 3) * 0.1))
    return tuple(out)


SOURCES = _sources()
_EN_SOURCES = tuple(s for s in SOURCES if s[1] == "en")
_ZH_SOURCES = tuple(s for s in SOURCES if s[1] == "zh")


def weights() -> dict[str, float]:
    """The authority weight of every synthetic outlet, as ``dedup`` takes them."""
    return {sid: w for sid, _, w in SOURCES}


def _event(rng: random.Random, n: int, when: datetime) -> Event:
    theme = rng.choice(sorted(SUBJECTS))
    subject = rng.choice(SUBJECTS[theme])
    kinds = list(subject[2])
    rng.shuffle(kinds)
    count = rng.randint(3, min(5, len(kinds) + 1))
    kinds = (kinds * 2)[:count]
    if kinds[0] == "pct":  # the headline figure is a quantity, not a growth rate
        kinds[0], kinds[1] = kinds[1], kinds[0]
    return Event(
        id=f"ev{n:06d}", theme=theme, org=rng.randrange(len(ORGS)), place=rng.randrange(len(PLACES)),
        subject=subject, verb=rng.randrange(len(VERBS)), figures=tuple(_figure(rng, k) for k in kinds),
        when=when, seed=rng.randrange(2**31),
    )


def _slots(rng: random.Random, ev: Event, lang: Lang) -> dict[str, str]:
    k = 0 if lang == "en" else 1
    return {
        "org": ORGS[ev.org][k], "place": PLACES[ev.place][k], "obj": ev.subject[k], "verb": VERBS[ev.verb][k],
        "org2": rng.choice(ORGS)[k], "place2": rng.choice(PLACES)[k], "agency": rng.choice(AGENCIES)[k],
        "people": rng.choice(PEOPLE_EN if lang == "en" else PEOPLE_ZH), "year": str(rng.randrange(2015, 2031)),
        "n": str(rng.randrange(2, 60)), "m": str(rng.randrange(100, 9000)), "pct": _num(rng.randrange(11, 800) / 10),
        "day": DAYS_EN[ev.when.weekday()] if lang == "en" else f"{ev.when.month}月{ev.when.day}日",
        "month": rng.choice(MONTHS) if lang == "en" else f"{rng.randrange(1, 13)}月",
    }


def _write(rng: random.Random, ev: Event, lang: Lang, *, rewrite: bool) -> tuple[str, str]:
    """Title and body of a report of ``ev`` in ``lang``; a rewrite takes the other phrasing of each part."""
    k = 0 if lang == "en" else 1
    slots = _slots(rng, ev, lang)
    figs = [f.en if lang == "en" else f.zh for f in ev.figures]
    if lang == "en":
        titles, leads, context, sep = (EN_TITLE_REWRITE if rewrite else EN_TITLE), (EN_LEAD_REWRITE if rewrite else EN_LEAD), EN_CONTEXT, " "
    else:
        titles, leads, context, sep = (ZH_TITLE_REWRITE if rewrite else ZH_TITLE), (ZH_LEAD_REWRITE if rewrite else ZH_LEAD), ZH_CONTEXT, ""
    context = context + THEME_CONTEXT[ev.theme][k] * 3  # the theme's own phrases come up more often
    title = rng.choice(titles).format(fig=figs[0], **slots)
    facts = [rng.choice(leads).format(**slots)]
    facts += [FIGURE_SENTENCES[f.kind][k][1 if rewrite else 0].format(fig=fig, **slots) for f, fig in zip(ev.figures, figs, strict=True)]
    if rewrite:
        rng.shuffle(facts)
    cut = rng.randint(2, 3)
    paragraphs = [facts[:cut], facts[cut:]]
    for _ in range(rng.randint(2, 4)):
        paragraphs.append([rng.choice(context).format(**_slots(rng, ev, lang)) for _ in range(rng.randint(2, 4))])
    if lang == "en":
        title = title[0].upper() + title[1:]
        paragraphs = [[s[0].upper() + s[1:] for s in p] for p in paragraphs]
    return title, "\n\n".join(sep.join(p) for p in paragraphs if p)


def _copy(rng: random.Random, title: str, body: str, lang: Lang, ev: Event) -> str:
    if lang == "en":
        place = PLACES[ev.place][0]
        head = rng.choice(DATELINE_EN).format(PLACE=place.upper(), place=place, date=ev.when.strftime("%b %d"))
        name, name2 = rng.sample(NAMES, 2)
        tail = rng.choice(CREDIT_EN).format(name=name, name2=name2, org=ORGS[ev.org][0])
        return f"{head}{body}\n\n{tail}"
    place = PLACES[ev.place][1]
    head = rng.choice(DATELINE_ZH).format(place=place, date=f"{ev.when.month}月{ev.when.day}日")
    tail = rng.choice(CREDIT_ZH).format(name=rng.choice(NAMES_ZH), org=ORGS[ev.org][1])
    return f"{head}{body}\n\n{tail}"


_EN_SWAPS = (("said", "stated"), ("about", "around"), ("rose", "climbed"), ("company", "firm"), ("expected", "forecast"), ("largest", "biggest"))
_ZH_SWAPS = (("表示", "称"), ("约", "大约"), ("增长", "上升"), ("公司", "企业"), ("预计", "预期"), ("最大", "最大规模"))


def _edit(rng: random.Random, title: str, body: str, lang: Lang, ev: Event) -> tuple[str, str]:
    """A lightly edited repost: trimmed, or a sentence dropped and one replaced, and a few words swapped."""
    paragraphs = body.split("\n\n")
    if rng.random() < 0.3 and len(paragraphs) > 3:
        paragraphs = paragraphs[: max(3, len(paragraphs) - 2)]  # trimmed to its first paragraphs
    else:
        i = rng.randrange(2, len(paragraphs))
        pieces = _split(paragraphs[i], lang)
        if len(pieces) > 1:
            pieces.pop(rng.randrange(len(pieces)))  # a sentence dropped
        new = rng.choice(EN_CONTEXT if lang == "en" else ZH_CONTEXT).format(**_slots(rng, ev, lang))
        pieces.insert(rng.randrange(len(pieces) + 1), new)  # and another added
        paragraphs[i] = (" " if lang == "en" else "").join(pieces)
    text = "\n\n".join(paragraphs)
    for old, new in rng.sample(_EN_SWAPS if lang == "en" else _ZH_SWAPS, 2):
        text = text.replace(old, new, 1)
    title = title.replace(ORGS[ev.org][0 if lang == "en" else 1], rng.choice(("", ORGS[ev.org][0 if lang == "en" else 1])), 1).strip() or title
    return title, text


def _split(paragraph: str, lang: Lang) -> list[str]:
    if lang == "zh":
        return [s + "。" for s in paragraph.split("。") if s]
    return [s if s.endswith(".") else s + "." for s in paragraph.split(". ") if s]


def corpus(
    n: int,
    *,
    seed: int = 0,
    per_week: int = 2000,
    copies: float = 0.10,
    edits: float = 0.05,
    rewrites: float = 0.05,
    zh_share: float = 0.4,
) -> list[Labelled]:
    """``n`` labelled stories over ``ceil(n / per_week)`` weeks, sorted by published time, then id."""
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    weeks = max(1, math.ceil(n / per_week))
    span = timedelta(weeks=weeks) - timedelta(days=3)  # derived reports come up to two days later
    n_copies, n_edits, n_rewrites = round(n * copies), round(n * edits), round(n * rewrites)
    n_originals = max(1, n - n_copies - n_edits - n_rewrites)
    out: list[Labelled] = []
    originals: list[tuple[Event, Labelled]] = []
    counter = iter(range(10**9))

    def story(ev: Event, lang: Lang, title: str, text: str, hours: float, url: str | None = None) -> Story:
        sid, _, _ = rng.choice(_EN_SOURCES if lang == "en" else _ZH_SOURCES)
        k = next(counter)
        when = (ev.when + timedelta(hours=hours)).replace(microsecond=0)
        return Story(
            id=f"{sid}/{k:07d}", source=sid, url=url or f"https://{sid}.example/{when:%Y/%m/%d}/{ev.id}-{k}",
            title=title, summary=_summary(text, lang), text=text, lang=lang, published=when,
        )

    for _ in range(n_originals):
        ev = _event(rng, len(originals), START + span * rng.random())
        lang: Lang = "zh" if rng.random() < zh_share else "en"
        title, text = _write(rng, ev, lang, rewrite=False)
        item = Labelled(story(ev, lang, title, text, 0.0), ev.id, "original")
        originals.append((ev, item))
        out.append(item)

    def make_copy(ev: Event, orig: Labelled) -> Labelled:
        s = orig.story
        roll = rng.random()
        if roll < 0.1:  # the same page again, under a tracking URL
            st = story(ev, s.lang, s.title, s.text, rng.uniform(1, 24), url=f"{s.url}?utm_source=rss&utm_medium=feed")
        elif roll < 0.2:  # the identical text on another site
            st = story(ev, s.lang, s.title, s.text, rng.uniform(0.5, 36))
        else:
            st = story(ev, s.lang, s.title, _copy(rng, s.title, s.text, s.lang, ev), rng.uniform(0.5, 36))
        return Labelled(st, ev.id, "copy", s.id)

    def make_edit(ev: Event, orig: Labelled) -> Labelled:
        s = orig.story
        title, text = _edit(rng, s.title, s.text, s.lang, ev)
        return Labelled(story(ev, s.lang, title, text, rng.uniform(1, 48)), ev.id, "edit", s.id)

    def make_rewrite(ev: Event, orig: Labelled) -> Labelled:
        lang: Lang = orig.story.lang if rng.random() < 0.5 else ("zh" if orig.story.lang == "en" else "en")
        title, text = _write(rng, ev, lang, rewrite=True)
        return Labelled(story(ev, lang, title, text, rng.uniform(1, 48)), ev.id, "rewrite", orig.story.id)

    derived: list[Callable[[Event, Labelled], Labelled]] = [make_copy] * n_copies + [make_edit] * n_edits + [make_rewrite] * n_rewrites
    for make in derived:
        ev, orig = originals[rng.randrange(len(originals))]
        out.append(make(ev, orig))
    out.sort(key=lambda x: (x.story.published or START, x.story.id))
    return out[:n]


def _summary(text: str, lang: Lang) -> str:
    first = text.split("\n\n", 1)[0]
    return first[:200] if lang == "zh" else first[:300].rsplit(" ", 1)[0]


def to_json(story: Story) -> str:
    """A story as one JSONL record (SPEC, "Story record")."""
    return json.dumps(
        {
            "id": story.id, "source": story.source, "url": story.url, "title": story.title, "summary": story.summary,
            "text": story.text, "lang": story.lang, "published": story.published.isoformat() if story.published else None,
        },
        ensure_ascii=False,
    )


def stats(items: Sequence[Labelled]) -> dict[str, int]:
    """How many stories of each kind, and of each language."""
    out: dict[str, int] = {}
    for x in items:
        out[x.kind] = out.get(x.kind, 0) + 1
        out[x.story.lang] = out.get(x.story.lang, 0) + 1
    return out


def _iter_json(items: Sequence[Labelled], gold: bool) -> Iterator[str]:
    for x in items:
        line = to_json(x.story)
        if gold:
            line = line[:-1] + ", " + json.dumps({"event": x.event, "kind": x.kind, "of": x.of})[1:]
        yield line


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic story corpus as JSONL (story records) to stdout.")
    p.add_argument("n", type=int, help="number of stories")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--per-week", type=int, default=2000, help="stories per week (default 2000)")
    p.add_argument("--gold", action="store_true", help="add the gold labels: event, kind, of")
    args = p.parse_args(argv)
    for line in _iter_json(corpus(args.n, seed=args.seed, per_week=args.per_week), args.gold):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
