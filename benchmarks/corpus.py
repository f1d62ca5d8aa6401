"""A synthetic news corpus for the benchmarks: English and Chinese stories with known duplicates.

Every *event* (a cluster in the gold labels) has a theme, a subject (an intelligent computing centre,
a UHV line, an HBM line...), a lead organisation, a place, a time and up to five figures with units
(``12,500 PFLOPS``, ``8 GW``, ``52亿元``, ``800万千瓦``; three or more for three events in four). An
event's first report, the *original*, is written in English or Chinese from sentence parts: a headline
and a lead, a sentence per figure, then context sentences composed from parts (who said it, what rose
or fell, by how much, since when, what is planned) with some stock phrases of the trade, so that
stories share common phrases the way wire copy does ("said in a statement") without sharing whole
paragraphs: two random stories of one language share about 4% of their shingles, more than real news
does. Other reports of the event derive from it at known rates:

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
from datetime import UTC, datetime, timedelta
from typing import Literal

from briefing.records import Story

__all__ = ["Kind", "Labelled", "corpus", "main", "stats", "to_json", "weights"]

Kind = Literal["original", "copy", "edit", "rewrite"]
Lang = Literal["en", "zh"]
START = datetime(2025, 1, 5, 16, 0, tzinfo=UTC)  # Monday 2025-01-06 00:00 in Asia/Shanghai


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
    ("ByteDance", "字节跳动"), ("China Telecom", "中国电信"), ("China Mobile", "中国移动"),
    ("China Unicom", "中国联通"), ("CATL", "宁德时代"), ("State Grid", "国家电网"),
    ("China Southern Power Grid", "南方电网"), ("CXMT", "长鑫存储"), ("YMTC", "长江存储"), ("Hygon", "海光信息"),
    ("Cambricon", "寒武纪"), ("Moore Threads", "摩尔线程"), ("Biren Technology", "壁仞科技"), ("Zhipu AI", "智谱"),
    ("Moonshot AI", "月之暗面"), ("DeepSeek", "深度求索"), ("iFlytek", "科大讯飞"), ("SenseTime", "商汤科技"),
    ("Inspur", "浪潮信息"), ("Sugon", "中科曙光"), ("Lenovo", "联想集团"), ("BYD", "比亚迪"),
    ("China Three Gorges", "三峡集团"), ("CGN Power", "中广核"), ("CNNC", "中核集团"), ("Naura", "北方华创"),
    ("AMEC", "中微公司"), ("Hua Hong", "华虹半导体"), ("Kuaishou", "快手"), ("JD Cloud", "京东云"), ("Xiaomi", "小米"),
    ("Unitree", "宇树科技"), ("UBTech", "优必选"), ("Sungrow", "阳光电源"), ("LONGi", "隆基绿能"),
    ("Envision", "远景科技"), ("China Huaneng", "华能集团"), ("CAS", "中国科学院"), ("USTC", "中国科学技术大学"),
    ("Tsinghua University", "清华大学"), ("CNSA", "国家航天局"),
)
AGENCIES: tuple[tuple[str, str], ...] = (
    ("the National Development and Reform Commission", "国家发展改革委"),
    ("the Ministry of Industry and Information Technology", "工业和信息化部"),
    ("the National Energy Administration", "国家能源局"),
    ("the Cyberspace Administration of China", "国家网信办"),
    ("the Ministry of Commerce", "商务部"),
    ("the National Data Administration", "国家数据局"),
    ("the Ministry of Science and Technology", "科学技术部"),
    ("the State Council", "国务院"),
    ("the provincial government", "省政府"),
    ("the municipal big data bureau", "市大数据局"),
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
PEOPLE_EN = (
    "analysts",
    "industry researchers",
    "officials",
    "executives",
    "engineers",
    "economists",
    "brokers",
    "investors",
)
PEOPLE_ZH = ("分析人士", "业内人士", "有关负责人", "企业高管", "专家", "研究人员", "券商分析师", "投资者")

#: what an event is about, per theme: (English object, Chinese object, unit kinds of its figures)
SUBJECTS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "compute": (
        ("liquid-cooled computing hub", "液冷算力枢纽", ("pflops", "mw", "pct")),
        ("GPU cloud region", "GPU云区域", ("gpus", "yuan", "pct")),
        ("edge computing network", "边缘计算网络", ("km", "pflops", "pct")),
        ("inference cluster", "推理集群", ("gpus", "tokens", "mw")),
        ("national supercomputing centre", "国家超算中心", ("pflops", "yuan", "pct")),
        ("intelligent computing centre", "智算中心", ("pflops", "gpus", "yuan", "pct")),
        ("AI training cluster", "AI训练集群", ("gpus", "pflops", "mw", "pct")),
        ("data centre campus", "数据中心集群", ("pflops", "mw", "yuan", "pct")),
        ("supercomputer", "超级计算机", ("pflops", "mw", "pct", "gpus")),
        ("computing power network", "算力网络", ("pflops", "km", "yuan", "pct")),
    ),
    "energy": (
        ("solar power base", "光伏基地", ("gw", "twh", "yuan")),
        ("hydropower station", "水电站", ("gw", "twh", "pct")),
        ("green hydrogen project", "绿氢项目", ("mw", "yuan", "pct")),
        ("coal power retrofit", "煤电改造工程", ("gw", "yuan", "pct")),
        ("virtual power plant", "虚拟电厂", ("mw", "gwh", "pct")),
        ("ultra-high-voltage line", "特高压工程", ("kv", "gw", "km", "yuan")),
        ("pumped-storage plant", "抽水蓄能电站", ("gw", "twh", "yuan", "pct")),
        ("offshore wind farm", "海上风电场", ("gw", "twh", "yuan", "pct")),
        ("grid battery project", "新型储能项目", ("gwh", "gw", "yuan", "pct")),
        ("nuclear power unit", "核电机组", ("gw", "twh", "yuan", "pct")),
    ),
    "policy": (
        ("data trading rule", "数据交易规则", ("yuan", "pct")),
        ("tariff decision", "关税决定", ("pct", "usd")),
        ("green computing standard", "绿色算力标准", ("pct", "pflops")),
        ("talent programme", "人才计划", ("yuan", "pct")),
        ("antitrust review", "反垄断审查", ("usd", "yuan", "pct")),
        ("action plan for computing power", "算力基础设施行动计划", ("pflops", "pct", "yuan")),
        ("subsidy scheme for computing vouchers", "算力券补贴政策", ("yuan", "pct", "pflops")),
        ("export control rule", "出口管制措施", ("usd", "pct", "yuan")),
        ("AI labelling regulation", "人工智能生成内容标识办法", ("pct", "yuan", "tokens")),
        ("state investment fund", "国家级产业投资基金", ("yuan", "usd", "pct")),
    ),
    "chips": (
        ("advanced packaging plant", "先进封装工厂", ("yuan", "pct", "nm")),
        ("EDA software suite", "EDA软件", ("yuan", "pct")),
        ("silicon carbide line", "碳化硅产线", ("yuan", "pct", "usd")),
        ("NAND flash fab", "NAND闪存工厂", ("usd", "nm", "pct")),
        ("RISC-V processor", "RISC-V处理器", ("nm", "pct", "yuan")),
        ("12-inch wafer fab", "12英寸晶圆厂", ("yuan", "nm", "pct", "usd")),
        ("HBM production line", "HBM产线", ("yuan", "pct", "usd", "nm")),
        ("AI accelerator", "AI加速芯片", ("nm", "pflops", "usd", "pct")),
        ("lithography tool", "光刻机", ("nm", "yuan", "pct")),
        ("quarterly results", "季度业绩", ("usd", "pct", "yuan")),
    ),
    "ai-models": (
        ("coding agent", "编程智能体", ("tokens", "pct")),
        ("video generation model", "视频生成模型", ("gpus", "yuan", "pct")),
        ("reasoning model", "推理模型", ("tokens", "usd", "pct")),
        ("speech model", "语音大模型", ("tokens", "pct", "yuan")),
        ("industrial AI platform", "工业AI平台", ("yuan", "pct", "tokens")),
        ("large language model", "大语言模型", ("tokens", "yuan", "pct", "usd")),
        ("open-weight model", "开源模型", ("tokens", "pct", "gpus", "yuan")),
        ("AI assistant", "AI助手", ("tokens", "pct", "yuan")),
        ("humanoid robot", "人形机器人", ("yuan", "pct", "usd")),
        ("model API price cut", "大模型API降价", ("yuan", "tokens", "pct")),
    ),
    "science": (
        ("gravitational wave detector", "引力波探测器", ("km", "yuan", "pct")),
        ("lunar sample study", "月球样品研究", ("pct", "km")),
        ("gene editing trial", "基因编辑试验", ("pct", "yuan")),
        ("neutrino observatory", "中微子观测站", ("km", "yuan", "pct")),
        ("space station experiment", "空间站实验", ("km", "pct", "qubits")),
        ("quantum computer", "量子计算机", ("qubits", "pct", "km")),
        ("quantum communication link", "量子通信线路", ("km", "pct", "qubits")),
        ("deep-space probe", "深空探测器", ("km", "yuan", "pct")),
        ("radio telescope", "射电望远镜", ("km", "yuan", "pct")),
        ("fusion experiment", "聚变实验装置", ("mw", "pct", "yuan")),
    ),
}
VERBS: tuple[tuple[str, str], ...] = (
    ("opens", "投运"), ("launches", "发布"), ("completes", "建成"), ("unveils", "推出"), ("starts", "启动"),
    ("expands", "扩建"), ("approves", "获批"), ("switches on", "正式上线"), ("reports", "公布"),
    ("begins building", "开工建设"),
)


@dataclass(frozen=True)
class Figure:
    """A figure of an event, written either language's way."""

    kind: str
    en: str
    zh: str


def _figure(rng: random.Random, kind: str) -> Figure:
    """A random figure of ``kind`` (the unit), as English and Chinese write it."""
    v: float
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
#: sentences that carry a figure, per unit: English and Chinese phrasings; originals use the first three,
#: rewrites the last three
FIGURE_SENTENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pflops": (
        (
            "The {obj} delivers {fig} of computing power, {org} said.",
            "Capacity stands at {fig}.",
            "It adds {fig} to the hub's pool.",
            "Its computing power comes to {fig}.",
            "Engineers rate the system at {fig}.",
            "That brings {fig} online for customers.",
        ),
        (
            "{org}表示，该{obj}算力规模达到{fig}。",
            "算力规模为{fig}。",
            "为枢纽新增{fig}算力。",
            "据介绍，其算力总规模为{fig}。",
            "工程师介绍，系统算力为{fig}。",
            "可为客户提供{fig}算力。",
        ),
    ),
    "gpus": (
        (
            "It links {fig} in a single cluster.",
            "The site houses {fig}.",
            "{org} has installed {fig} there.",
            "More than {fig} have been installed so far.",
            "The cluster is built from {fig}.",
            "Some {fig} are already running.",
        ),
        (
            "项目部署国产AI加速卡{fig}。",
            "现场部署{fig}。",
            "{org}已在当地部署{fig}。",
            "目前已上架{fig}。",
            "集群由{fig}组成。",
            "已有{fig}投入运行。",
        ),
    ),
    "mw": (
        (
            "The site draws about {fig} at full load.",
            "Its power demand is {fig}.",
            "It needs {fig} of grid connection.",
            "Power demand at full load is put at {fig}.",
            "At peak it will consume {fig}.",
            "The grid has reserved {fig} for it.",
        ),
        (
            "满负荷运行时用电负荷约{fig}。",
            "用电需求为{fig}。",
            "需要接入{fig}电网容量。",
            "项目用电负荷约{fig}。",
            "高峰时用电{fig}。",
            "电网为其预留{fig}容量。",
        ),
    ),
    "gw": (
        (
            "Installed capacity is {fig}.",
            "The project totals {fig}.",
            "It will add {fig} of capacity.",
            "It can deliver up to {fig} to the grid.",
            "Capacity reaches {fig} in all.",
            "Some {fig} will feed the eastern grid.",
        ),
        (
            "项目装机容量{fig}。",
            "项目总规模{fig}。",
            "将新增装机{fig}。",
            "输送能力可达{fig}。",
            "总装机达到{fig}。",
            "其中{fig}将送往东部电网。",
        ),
    ),
    "twh": (
        (
            "It is expected to generate {fig} a year.",
            "Yearly generation will be {fig}.",
            "Output is put at {fig} annually.",
            "Annual output should reach {fig}.",
            "It will supply about {fig} each year.",
            "Planners expect {fig} of power a year.",
        ),
        (
            "预计年发电量{fig}。",
            "年发电量将达{fig}。",
            "每年可发电{fig}。",
            "年均发电量可达{fig}。",
            "每年可供应约{fig}电量。",
            "规划年发电{fig}。",
        ),
    ),
    "gwh": (
        (
            "Storage capacity reaches {fig}.",
            "It holds {fig} when fully charged.",
            "The batteries store {fig}.",
            "It can store {fig} of electricity.",
            "Total storage comes to {fig}.",
            "Up to {fig} can be held in reserve.",
        ),
        (
            "储能规模达到{fig}。",
            "满充可储存{fig}。",
            "电池储能{fig}。",
            "可储存电量{fig}。",
            "总储能规模{fig}。",
            "最多可储备{fig}。",
        ),
    ),
    "kv": (
        (
            "The line runs at {fig}.",
            "It operates at {fig}.",
            "Transmission voltage is {fig}.",
            "It is built for a voltage of {fig}.",
            "Engineers chose {fig} for the route.",
            "The {fig} design cuts losses.",
        ),
        (
            "工程电压等级为{fig}。",
            "线路运行电压{fig}。",
            "输电电压为{fig}。",
            "该工程采用{fig}电压等级。",
            "工程师选用{fig}方案。",
            "{fig}设计降低了损耗。",
        ),
    ),
    "km": (
        (
            "It stretches {fig} from {place} to {place2}.",
            "The link is {fig} long.",
            "It spans {fig}.",
            "The route covers {fig}.",
            "Crews laid {fig} of cable.",
            "Signals travel {fig} end to end.",
        ),
        (
            "线路从{place}延伸至{place2}，全长{fig}。",
            "全长{fig}。",
            "跨越{fig}。",
            "全程{fig}。",
            "施工队铺设线缆{fig}。",
            "端到端距离{fig}。",
        ),
    ),
    "yuan": (
        (
            "Total investment is put at {fig}.",
            "It cost {fig}.",
            "Funding of {fig} has been approved.",
            "The project will cost about {fig}, the company said.",
            "Investors have committed {fig}.",
            "The budget runs to {fig}.",
        ),
        (
            "项目总投资约{fig}。",
            "投资{fig}。",
            "已获批资金{fig}。",
            "该项目计划投资{fig}。",
            "投资方已承诺出资{fig}。",
            "预算达到{fig}。",
        ),
    ),
    "usd": (
        (
            "Revenue came to {fig} in the period.",
            "Sales reached {fig}.",
            "The order is valued at {fig}.",
            "The deal is worth about {fig}.",
            "Turnover hit {fig}.",
            "Analysts value the business at {fig}.",
        ),
        (
            "期内营收{fig}。",
            "销售额达{fig}。",
            "订单金额{fig}。",
            "交易金额约{fig}。",
            "营业额达到{fig}。",
            "分析师估值{fig}。",
        ),
    ),
    "tokens": (
        (
            "Daily token usage passed {fig}.",
            "It processes {fig} a day.",
            "Calls reached {fig} daily.",
            "Users now consume {fig} a day.",
            "Traffic has climbed to {fig} per day.",
            "The platform serves {fig} daily.",
        ),
        (
            "日均Token调用量突破{fig}。",
            "每日处理{fig}。",
            "日调用量达{fig}。",
            "目前每天消耗{fig}。",
            "日流量攀升至{fig}。",
            "平台每天服务{fig}。",
        ),
    ),
    "nm": (
        (
            "It is made on a {fig} process.",
            "The part uses a {fig} node.",
            "Production runs at {fig}.",
            "The chips use {fig} technology.",
            "It is built at {fig}.",
            "The {fig} process is made in China.",
        ),
        (
            "产品采用{fig}工艺。",
            "采用{fig}节点。",
            "以{fig}制程生产。",
            "基于{fig}制程。",
            "在{fig}工艺上制造。",
            "{fig}工艺实现国产。",
        ),
    ),
    "qubits": (
        (
            "The system has {fig}.",
            "It runs {fig}.",
            "The processor holds {fig}.",
            "Researchers used {fig} in the experiment.",
            "The chip integrates {fig}.",
            "Some {fig} were entangled.",
        ),
        (
            "该系统拥有{fig}。",
            "运行{fig}。",
            "处理器集成{fig}。",
            "实验使用了{fig}。",
            "芯片集成{fig}。",
            "实现了{fig}纠缠。",
        ),
    ),
    "pct": (
        (
            "That is up {fig} from a year earlier.",
            "Growth was {fig}.",
            "The share rose to {fig}.",
            "The figure marks a rise of {fig} on the year.",
            "It gained {fig}.",
            "Utilisation is {fig}.",
        ),
        (
            "同比增长{fig}。",
            "增幅为{fig}。",
            "占比升至{fig}。",
            "较上年同期提高{fig}。",
            "增长{fig}。",
            "利用率为{fig}。",
        ),
    ),
}
#: what context sentences talk about, per theme: (English, Chinese)
THINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "compute": (
        ("demand for computing power", "算力需求"),
        ("rental prices for GPU servers", "GPU服务器租赁价格"),
        ("rack utilisation", "机架上架率"),
        ("intelligent computing capacity", "智能算力规模"),
        ("server shipments", "服务器出货量"),
        ("orders for liquid cooling", "液冷设备订单"),
        ("cloud revenue", "云业务收入"),
        ("data centre construction", "数据中心建设投资"),
        ("inference workloads", "推理任务量"),
    ),
    "energy": (
        ("power consumption", "全社会用电量"),
        ("wind and solar curtailment", "弃风弃光率"),
        ("spot electricity prices", "现货电价"),
        ("coal output", "煤炭产量"),
        ("grid investment", "电网投资"),
        ("new storage capacity", "新型储能装机"),
        ("solar installations", "光伏新增装机"),
        ("hydropower output", "水电发电量"),
        ("electricity demand from data centres", "数据中心用电需求"),
    ),
    "policy": (
        ("local government spending", "地方财政支出"),
        ("approvals of new projects", "新项目审批"),
        ("subsidy payments", "补贴发放"),
        ("the number of registered algorithms", "备案算法数量"),
        ("fines for violations", "违规处罚"),
        ("trade tensions", "贸易摩擦"),
        ("tariffs on imported equipment", "进口设备关税"),
        ("state fund commitments", "国家基金出资"),
        ("standards work", "标准制定进度"),
    ),
    "chips": (
        ("chip imports", "芯片进口额"),
        ("memory prices", "存储芯片价格"),
        ("wafer capacity", "晶圆产能"),
        ("yields on advanced nodes", "先进制程良率"),
        ("orders for etching tools", "刻蚀设备订单"),
        ("sales of AI accelerators", "AI加速卡销量"),
        ("capital spending by foundries", "晶圆厂资本开支"),
        ("lithography tool deliveries", "光刻机交付量"),
        ("design wins for domestic GPUs", "国产GPU导入项目"),
    ),
    "ai-models": (
        ("daily token calls", "日均Token调用量"),
        ("API prices", "API价格"),
        ("monthly active users", "月活跃用户数"),
        ("downloads of open-weight models", "开源模型下载量"),
        ("enterprise adoption of agents", "企业智能体采用率"),
        ("benchmark scores", "评测得分"),
        ("spending on model training", "模型训练投入"),
        ("robot shipments", "机器人出货量"),
        ("paid subscriptions", "付费订阅用户"),
    ),
    "science": (
        ("research funding", "科研经费"),
        ("the number of papers", "论文发表数量"),
        ("coherence times", "相干时间"),
        ("launch rates", "发射次数"),
        ("telescope observing time", "望远镜观测时长"),
        ("patent filings", "专利申请量"),
        ("PhD enrolment", "博士招生人数"),
        ("sample analysis", "样品分析进度"),
        ("international collaboration", "国际合作项目"),
    ),
}
EN_SUBJECTS = (
    "{org}",
    "{people} in {place}",
    "{agency}",
    "the operator",
    "local officials",
    "a spokesperson for {org}",
    "{org2}'s chief executive",
    "{name}, an analyst at {org2}",
    "a report by {agency}",
    "people familiar with the matter",
    "{people} at {org2}",
    "the government of {place2}",
    "{name}, who heads the project",
    "a researcher at {org2}",
    "the {place} bureau of statistics",
    "{org}'s finance chief",
    "two people briefed on the plan",
    "{name} of the {place2} industry association",
    "state media",
    "a filing to the Shanghai exchange",
)
EN_SAYS = (
    "said",
    "noted",
    "added",
    "estimated",
    "told reporters",
    "wrote in a filing",
    "said in a statement",
    "said at a briefing in {place2}",
    "told a conference in {place2}",
    "said on its website",
    "said in an interview",
    "wrote in a note to clients",
    "reported",
    "confirmed",
    "argued",
    "cautioned",
)
EN_CHANGES = (
    "rose",
    "fell",
    "grew",
    "climbed",
    "dropped",
    "slowed",
    "rebounded",
    "jumped",
    "edged up",
    "eased",
    "doubled",
    "stalled",
    "surged",
    "slipped",
    "recovered",
    "held steady",
)
EN_AMOUNTS = (
    "by {pct}%",
    "to a record",
    "sharply",
    "modestly",
    "for a third straight quarter",
    "faster than expected",
    "by about a fifth",
    "",
    "for the first time in {n} months",
    "more than analysts had forecast",
    "to its highest level since {year}",
    "despite weak demand",
)
EN_PERIODS = (
    "in the third quarter",
    "last month",
    "since {month}",
    "in {year}",
    "in the first half",
    "over the past two years",
    "this year",
    "from a year earlier",
    "in {month}",
    "in the first nine months",
    "after the holiday",
    "in the weeks before the announcement",
    "during the summer peak",
    "at the start of the year",
    "in the fourth quarter of {year}",
    "over the past {n} weeks",
    "in late {month}",
    "on a monthly basis",
    "since the policy took effect",
    "ahead of the new rules",
)
EN_MODIFIERS = (
    "",
    "",
    "",
    "domestic",
    "regional",
    "average",
    "overall",
    "quarterly",
    "annual",
    "industry-wide",
    "provincial",
    "coastal",
)
EN_ACTIONS = (
    "build a second site",
    "raise fresh capital",
    "list the unit in Hong Kong",
    "open a research centre",
    "sign more long-term contracts",
    "cut prices for small customers",
    "double its workforce",
    "seek approval for an expansion",
    "hire {m} engineers",
    "buy more domestic equipment",
    "start trial operations",
    "publish an annual report on the project",
    "partner with universities",
    "apply for state funding",
    "move its headquarters to {place2}",
    "spin off the cloud business",
    "expand into Southeast Asia",
    "retire older equipment",
)
EN_STATUS = (
    "expected to be fully operational by {year}",
    "the first of its kind in {place}",
    "backed by a {m} million yuan loan from {org2}",
    "still waiting for final approval from {agency}",
    "designed to serve customers in {place2}",
    "run jointly with {org2}",
    "one of {n} such projects planned in {place}",
    "already {pct}% complete",
    "due for a safety review in {month}",
    "part of a wider push by {agency}",
    "funded partly by local bonds",
    "on a site that once housed a steel mill",
)
EN_DIDS = (
    "signed a supply deal with {org}",
    "cut its revenue forecast",
    "won a contract in {place}",
    "lost a tender to {org}",
    "hired {m} staff",
    "opened an office in {place}",
    "delayed a similar project",
    "paused hiring",
    "bought a stake in a {place} start-up",
    "settled a patent dispute",
    "raised prices for the first time in {n} years",
    "announced a share buyback",
)
EN_TOPICS = (
    "the cost",
    "competition",
    "export controls",
    "power supply",
    "the timetable",
    "customers",
    "pricing",
    "chip supply",
    "the second phase",
    "land use",
)
EN_ANSWERS = (
    "that details would come later",
    "that talks were continuing",
    "that it was too early to say",
    "that the plan had not changed",
    "that the figures were preliminary",
    "that it expected no delays",
    "that more would be announced in {month}",
    "that it would not comment",
)
ZH_SUBJECTS = (
    "{org}",
    "{place}{people}",
    "{agency}",
    "运营方",
    "当地官员",
    "{org}相关负责人",
    "{org2}首席执行官",
    "{org2}分析师{name}",
    "{agency}发布的报告",
    "知情人士",
    "{org2}{people}",
    "{place2}政府",
    "项目负责人{name}",
    "{org2}研究员",
    "{place}统计局",
    "{org}财务总监",
    "两位接近项目的人士",
    "{place2}行业协会的{name}",
    "官方媒体",
    "上交所公告",
)
ZH_SAYS = (
    "表示", "指出", "透露", "介绍", "认为", "预计", "在声明中称", "在{place2}举行的发布会上表示",
    "在{place2}的一场会议上称", "在官网发文称", "接受采访时说", "在研报中写道", "报道称", "证实", "强调", "提醒",
)
ZH_CHANGES = (
    "增长", "下降", "回升", "攀升", "回落", "放缓", "翻番", "小幅上涨", "明显下滑", "企稳", "大幅提升", "持平", "激增",
    "微降", "恢复", "保持稳定",
)
ZH_AMOUNTS = (
    "{pct}%",
    "至历史新高",
    "较为明显",
    "幅度超出预期",
    "连续三个季度",
    "约两成",
    "",
    "为{n}个月来首次",
    "高于分析师预期",
    "至{year}年以来最高",
    "尽管需求偏弱",
)
ZH_PERIODS = (
    "三季度", "上个月", "{month}以来", "{year}年", "上半年", "过去两年", "今年以来", "同比", "{month}", "前三季度",
    "节后", "发布前几周", "迎峰度夏期间", "年初", "{year}年四季度", "过去{n}周", "{month}下旬", "环比", "政策实施以来",
    "新规出台前",
)
ZH_MODIFIERS = ("", "", "", "国内", "区域", "平均", "整体", "季度", "全年", "全行业", "全省", "沿海地区")
ZH_ACTIONS = (
    "建设第二个基地", "开展新一轮融资", "推动该业务在香港上市", "设立研究中心", "签订更多长期合同", "对中小客户降价",
    "扩大招聘规模", "申请扩建审批", "招聘{m}名工程师", "采购更多国产设备", "启动试运行", "发布项目年度报告",
    "与高校开展合作", "申请国家资金支持", "将总部迁至{place2}", "分拆云业务", "拓展东南亚市场", "淘汰老旧设备",
)
ZH_STATUS = (
    "预计{year}年全面投运", "是{place}首个同类项目", "获得{org2}{m}亿元贷款支持", "仍在等待{agency}最终批复",
    "主要服务{place2}客户", "由{org2}联合运营", "是{place}规划的{n}个同类项目之一", "已完成{pct}%",
    "将于{month}接受安全评估", "是{agency}整体部署的一部分", "部分资金来自地方专项债", "选址于一座老钢厂旧址",
)
ZH_DIDS = (
    "与{org}签署供货协议", "下调了营收预期", "在{place}中标", "在投标中输给{org}", "新招聘{m}名员工",
    "在{place}设立办事处", "推迟了类似项目", "暂停招聘", "入股一家{place}初创企业", "了结一起专利纠纷",
    "{n}年来首次提价", "宣布股份回购",
)
ZH_TOPICS = ("成本", "竞争", "出口管制", "电力供应", "时间表", "客户", "定价", "芯片供应", "二期工程", "用地")
ZH_ANSWERS = (
    "细节将稍后公布", "谈判仍在进行", "现在下结论为时尚早", "计划没有变化", "相关数据为初步数据", "预计不会延期",
    "更多信息将于{month}公布", "不予置评",
)


def _context(rng: random.Random, ev: Event, lang: Lang) -> str:
    """A context sentence: most are composed from parts, a few are stock phrases of the trade."""
    slots = _slots(rng, ev, lang)
    slots["name"] = rng.choice(NAMES if lang == "en" else NAMES_ZH)
    k = 0 if lang == "en" else 1
    pool = THINGS[ev.theme] if rng.random() < 0.7 else THINGS[rng.choice(sorted(THINGS))]
    en = lang == "en"
    thing = " ".join(filter(None, (rng.choice(EN_MODIFIERS if en else ZH_MODIFIERS), rng.choice(pool)[k])))
    parts = {
        "subj": rng.choice(EN_SUBJECTS if en else ZH_SUBJECTS),
        "says": rng.choice(EN_SAYS if en else ZH_SAYS),
        "change": rng.choice(EN_CHANGES if en else ZH_CHANGES),
        "amount": rng.choice(EN_AMOUNTS if en else ZH_AMOUNTS),
        "period": rng.choice(EN_PERIODS if en else ZH_PERIODS),
        "action": rng.choice(EN_ACTIONS if en else ZH_ACTIONS),
        "status": rng.choice(EN_STATUS if en else ZH_STATUS),
        "did": rng.choice(EN_DIDS if en else ZH_DIDS),
        "topic": rng.choice(EN_TOPICS if en else ZH_TOPICS),
        "answer": rng.choice(EN_ANSWERS if en else ZH_ANSWERS),
        "thing": thing if en else thing.replace(" ", ""),
        "plans": rng.choice(
            ("plans to", "intends to", "aims to", "is preparing to", "expects to", "hopes to")
            if en
            else ("计划于{year}年前", "拟在{year}年前", "准备在{year}年", "力争{year}年前")
        ),
        "expect": rng.choice(
            ("We expect", "We think", "Our view is that we will see", "We are confident of seeing")
            if en
            else ("我们预计", "我们认为", "我们判断", "预计")
        ),
        "improve": rng.choice(
            ("to keep improving", "to recover", "to stay strong", "to pick up", "to level off", "to weaken")
            if en
            else ("将继续改善", "有望回升", "将保持稳定", "将逐步企稳", "可能放缓", "仍有压力")
        ),
        "asked": rng.choice(
            ("Asked about", "Questioned on", "Pressed on", "On the subject of")
            if en
            else ("在被问及{topic}时", "谈到{topic}，", "关于{topic}，", "就{topic}问题，")
        ),
    }
    form = rng.randrange(10)
    if en:
        template = (
            "{subj} {says} that {thing} {change} {amount} {period}.",
            "{thing} {change} {amount} {period}, {subj} {says}.",
            "{subj} {says} it {plans} {action} by {year}.",
            "The {obj} is {status}, {subj} {says}.",
            '"{expect} {thing} {improve} {period}," {subj} {says}.',
            "{period}, {thing} {change} {amount} in {place2}.",
            "{subj} {says} {org2} had {did} {period}.",
            "{asked} {topic}, {subj} {says} {answer}.",
            "{subj} {says} {answer}, when asked about {topic}.",
            rng.choice(EN_CONTEXT),
        )[form]
        text = (
            " ".join(template.format_map(_Keep(parts)).format(**slots, topic=parts["topic"]).split())
            .replace(" ,", ",")
            .replace(" .", ".")
        )
        return text[0].upper() + text[1:]
    template = (
        "{subj}{says}，{period}{thing}{change}{amount}。",
        "{period}{thing}{change}{amount}，{subj}{says}。",
        "{subj}{says}，{plans}{action}。",
        "{subj}{says}，该{obj}{status}。",
        "“{expect}{period}{thing}{improve}。”{subj}{says}。",
        "{period}，{place2}{thing}{change}{amount}。",
        "{subj}{says}，{org2}{period}{did}。",
        "{asked}{subj}{says}，{answer}。",
        "{subj}{says}{answer}。",
        rng.choice(ZH_CONTEXT),
    )[form]
    return template.format_map(_Keep(parts)).format(**slots, topic=parts["topic"])


class _Keep(dict[str, str]):
    """Fills the slots it has and keeps the others for a second ``format``."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


EN_LEAD = (
    "{org} {verb} a {obj} in {place}, the company said on {day}.",
    "{place}'s authorities said on {day} that {org} {verb} its {obj} there.",
    "On {day}, {org} {verb} a {obj} in {place}.",
    "{org} {verb} its {obj} in {place} on {day}, {people} said.",
)
EN_LEAD_REWRITE = (
    "A {obj} built by {org} in {place} went into operation this week.",
    "{org}'s new {obj} in {place} is now in service, according to people involved in the project.",
    "{place} has a new {obj}, courtesy of {org}.",
    "Work by {org} on a {obj} in {place} reached a milestone this week.",
)
ZH_LEAD = (
    "{day}，{org}在{place}{verb}{obj}。",
    "{org}{day}宣布，其位于{place}的{obj}{verb}。",
    "{place}消息，{org}{obj}{day}{verb}。",
    "{day}，{place}{obj}{verb}，{people}介绍了有关情况。",
)
ZH_LEAD_REWRITE = (
    "记者从{org}获悉，{place}{obj}日前{verb}。",
    "{place}{obj}近日{verb}，项目由{org}承建。",
    "日前，{org}位于{place}的{obj}{verb}。",
    "{org}{place}{obj}本周取得重要进展。",
)
EN_TITLE = (
    "{org} {verb} {obj} in {place}, {fig}",
    "{place} {obj} of {org} reaches {fig}",
    "{org}: {fig} {obj} in {place}",
)
EN_TITLE_REWRITE = (
    "{org}'s {place} {obj} comes online with {fig}",
    "New {obj} in {place} adds {fig}",
    "{fig} {obj} from {org} in {place}",
)
EN_TITLE_BARE = ("{org} {verb} {obj} in {place}", "{place} {obj} of {org} moves ahead", "{org} and its {place} {obj}")
EN_TITLE_BARE_REWRITE = (
    "{org}'s {place} {obj} comes online",
    "New {obj} in {place} from {org}",
    "{place} {obj}: {org} {verb}",
)
ZH_TITLE = (
    "{org}{place}{obj}{verb}，规模达{fig}", "{place}{obj}{verb}，{org}披露规模{fig}", "{org}：{place}{obj}达{fig}",
)
ZH_TITLE_REWRITE = ("{fig}！{place}{obj}{verb}", "{org}：{place}{obj}{verb}", "{place}{obj}新增{fig}")
ZH_TITLE_BARE = ("{org}{place}{obj}{verb}", "{place}{obj}{verb}，{org}介绍进展", "{org}{obj}落地{place}")
ZH_TITLE_BARE_REWRITE = ("{place}{obj}{verb}", "{org}：{place}{obj}{verb}", "{place}迎来{org}{obj}")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATELINE_EN = ("{PLACE} (Reuters) - ", "{PLACE}, {date} (Xinhua) -- ", "{PLACE} — ", "({place}) ")
CREDIT_EN = (
    "(Reporting by {name}; Editing by {name2})",
    "Source: {org}",
    "-- Compiled by the newsroom",
    "(Editing by {name})",
)
DATELINE_ZH = ("新华社{place}{date}电 ", "本报讯 ", "（{place}记者）", "【{place}】")
CREDIT_ZH = ("（责任编辑：{name}）", "来源：{org}", "（记者 {name}）", "本文转载自{org}官网")
NAMES = (
    "Li Wei",
    "Zhang Min",
    "Wang Fang",
    "Chen Jie",
    "Liu Yang",
    "Zhao Lei",
    "Sun Li",
    "Zhou Qiang",
    "Wu Xia",
    "Huang Tao",
)
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
    seed: int  # drawn for every event, for variations that need their own random stream


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
    roll = rng.random()  # most events come with several figures, some with one or none
    count = 0 if roll < 0.05 else 1 if roll < 0.12 else 2 if roll < 0.25 else rng.randint(3, min(5, len(kinds) + 1))
    kinds = (kinds * 2)[:count]
    if len(kinds) > 1 and kinds[0] == "pct":  # the headline figure is a quantity, not a growth rate
        kinds[0], kinds[1] = kinds[1], kinds[0]
    return Event(
        id=f"ev{n:06d}", theme=theme, org=rng.randrange(len(ORGS)), place=rng.randrange(len(PLACES)),
        subject=subject, verb=rng.randrange(len(VERBS)), figures=tuple(_figure(rng, k) for k in kinds),
        when=when, seed=rng.randrange(2**31),
    )


def _slots(rng: random.Random, ev: Event, lang: Lang) -> dict[str, str]:
    k = 0 if lang == "en" else 1
    return {
        "org": ORGS[ev.org][k],
        "place": PLACES[ev.place][k],
        "obj": ev.subject[0] if lang == "en" else ev.subject[1],
        "verb": VERBS[ev.verb][k],
        "org2": rng.choice(ORGS)[k],
        "place2": rng.choice(PLACES)[k],
        "agency": rng.choice(AGENCIES)[k],
        "people": rng.choice(PEOPLE_EN if lang == "en" else PEOPLE_ZH),
        "year": str(rng.randrange(2015, 2031)),
        "n": str(rng.randrange(2, 60)),
        "m": str(rng.randrange(100, 9000)),
        "pct": _num(rng.randrange(11, 800) / 10),
        "day": DAYS_EN[ev.when.weekday()] if lang == "en" else f"{ev.when.month}月{ev.when.day}日",
        "month": rng.choice(MONTHS) if lang == "en" else f"{rng.randrange(1, 13)}月",
    }


def _write(rng: random.Random, ev: Event, lang: Lang, *, rewrite: bool) -> tuple[str, str]:
    """Title and body of a report of ``ev`` in ``lang``; a rewrite takes the other phrasing of each part."""
    k = 0 if lang == "en" else 1
    slots = _slots(rng, ev, lang)
    figs = [f.en if lang == "en" else f.zh for f in ev.figures]
    if lang == "en":
        titles = (
            (EN_TITLE_REWRITE if rewrite else EN_TITLE)
            if figs
            else (EN_TITLE_BARE_REWRITE if rewrite else EN_TITLE_BARE)
        )
        leads, sep = (EN_LEAD_REWRITE if rewrite else EN_LEAD), " "
    else:
        titles = (
            (ZH_TITLE_REWRITE if rewrite else ZH_TITLE)
            if figs
            else (ZH_TITLE_BARE_REWRITE if rewrite else ZH_TITLE_BARE)
        )
        leads, sep = (ZH_LEAD_REWRITE if rewrite else ZH_LEAD), ""
    qualifier = rng.choice(
        ("", "", "", "new", "second-phase", "landmark", "first", "expanded", "long-awaited", "delayed")
        if lang == "en"
        else ("", "", "", "新", "二期", "首个", "扩建后的", "备受关注的")
    )
    title = rng.choice(titles).format(
        fig=figs[0] if figs else "",
        **{**slots, "obj": f"{qualifier} {slots['obj']}".strip() if lang == "en" else qualifier + slots["obj"]},
    )
    facts = [rng.choice(leads).format(**slots)]
    facts += [
        rng.choice(FIGURE_SENTENCES[f.kind][k][3:] if rewrite else FIGURE_SENTENCES[f.kind][k][:3]).format(
            fig=fig, **slots
        )
        for f, fig in zip(ev.figures, figs, strict=True)
    ]
    if rewrite:
        rng.shuffle(facts)
    cut = rng.randint(2, 3)
    paragraphs = [facts[:cut], facts[cut:]]
    for _ in range(rng.randint(2, 4)):
        paragraphs.append([_context(rng, ev, lang) for _ in range(rng.randint(2, 4))])
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


_EN_SWAPS = (
    ("said", "stated"),
    ("about", "around"),
    ("rose", "climbed"),
    ("company", "firm"),
    ("expected", "forecast"),
    ("largest", "biggest"),
)
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
        new = _context(rng, ev, lang)
        pieces.insert(rng.randrange(len(pieces) + 1), new)  # and another added
        paragraphs[i] = (" " if lang == "en" else "").join(pieces)
    text = "\n\n".join(paragraphs)
    for old, new in rng.sample(_EN_SWAPS if lang == "en" else _ZH_SWAPS, 2):
        text = text.replace(old, new, 1)
    title = (
        title.replace(
            ORGS[ev.org][0 if lang == "en" else 1], rng.choice(("", ORGS[ev.org][0 if lang == "en" else 1])), 1
        ).strip()
        or title
    )
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

    makers: tuple[Callable[[Event, Labelled], Labelled], ...] = (
        (make_copy,) * n_copies + (make_edit,) * n_edits + (make_rewrite,) * n_rewrites
    )
    for make in makers:
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
            "id": story.id,
            "source": story.source,
            "url": story.url,
            "title": story.title,
            "summary": story.summary,
            "text": story.text,
            "lang": story.lang,
            "published": story.published.isoformat() if story.published else None,
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
    p.add_argument("--seed", type=int, default=1, help="default 1, as benchmarks/perf.py")
    p.add_argument("--per-week", type=int, default=2000, help="stories per week (default 2000)")
    p.add_argument("--gold", action="store_true", help="add the gold labels: event, kind, of")
    args = p.parse_args(argv)
    for line in _iter_json(corpus(args.n, seed=args.seed, per_week=args.per_week), args.gold):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
