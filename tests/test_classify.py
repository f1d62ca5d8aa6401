"""Classification: the demo web's gold themes, both languages, mixed titles, explanations, the taxonomy file."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from briefing.classify import DEFAULT_THEMES, Classifier, load_themes
from briefing.errors import ConfigError
from briefing.records import Story

from .demo_gold import demo_gold

SPEC_THEMES = ["compute", "energy", "policy", "chips", "ai-models", "science"]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_themes())


def _title(title: str, lang: str = "en") -> Story:
    return Story(id="t", source="s", url="", title=title, lang=lang)  # type: ignore[arg-type]


def test_taxonomy_has_exactly_the_spec_themes_in_order() -> None:
    themes = load_themes(DEFAULT_THEMES)
    assert [t.id for t in themes] == SPEC_THEMES
    assert [t.name for t in themes] == ["Compute", "Energy", "Policy", "Chips", "AI models", "Science"]
    assert all(t.name_zh and len(t.terms_en) >= 60 and len(t.terms_zh) >= 60 for t in themes)


def test_primary_theme_matches_the_gold_labels_in_each_language(classifier: Classifier) -> None:
    right: dict[str, list[bool]] = defaultdict(list)
    for g in demo_gold():
        right[g.story.lang].append(classifier.classify(g.story).primary == g.themes[0])
    for lang, hits in right.items():
        assert sum(hits) / len(hits) >= 0.85, f"{lang}: {sum(hits)} of {len(hits)} primary themes right"


def test_second_themes_are_found(classifier: Classifier) -> None:
    golds = [g for g in demo_gold() if len(g.themes) > 1]
    found = sum(set(g.themes) <= {t.id for t in classifier.classify(g.story).themes} for g in golds)
    assert found / len(golds) >= 0.7


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        pytest.param("Ningxia hub passes 50,000 PFLOPS of intelligent computing", "en", "compute", id="en-compute"),
        pytest.param("宁夏枢纽智算规模突破5万PFLOPS", "zh", "compute", id="zh-compute"),
        pytest.param("±800 kV UHV line enters service", "en", "energy", id="en-energy"),
        pytest.param("特高压直流工程投运", "zh", "energy", id="zh-energy"),
        pytest.param("SMIC reports record quarterly revenue at its foundries", "en", "chips", id="en-chips"),
        pytest.param("长鑫存储HBM产线量产", "zh", "chips", id="zh-chips"),
        pytest.param("DeepSeek releases open-weight model", "en", "ai-models", id="en-models"),
        pytest.param("DeepSeek发布新一代大模型", "zh", "ai-models", id="zh-models-latin-brand"),
        pytest.param("China adds gallium nitride wafers to export control list", "en", "policy", id="en-policy-leads"),
        pytest.param("国家网信办印发人工智能生成内容标识办法", "zh", "policy", id="zh-policy"),
        pytest.param("Chang'e-7 lands near the lunar south pole", "en", "science", id="en-science"),
        pytest.param("量子计算原型机实现新纪录", "zh", "science", id="zh-science"),
        pytest.param("华为发布Ascend 910C AI chip", "zh", "chips", id="mixed-title"),
    ],
)
def test_titles_alone_are_enough(classifier: Classifier, title: str, lang: str, expected: str) -> None:
    assert classifier.classify(_title(title, lang)).primary == expected


def test_scores_are_in_unit_range_highest_first_and_explained(classifier: Classifier) -> None:
    verdict = classifier.classify(
        _title("Daily token calls of large models pass 30 trillion as computing centres expand")
    )
    scores = [t.score for t in verdict.themes]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert {t.id for t in verdict.themes} >= {"ai-models", "compute"}
    assert all(t.evidence for t in verdict.themes)


def test_unrelated_text_gets_no_theme(classifier: Classifier) -> None:
    assert classifier.classify(_title("Local football team wins the cup after extra time")).themes == ()


def test_taxonomy_errors_name_the_file_and_theme(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    bad.write_text(
        "themes:\n  - id: compute\n    name: Compute\n    terms:\n      en:\n        gpu: heavy\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"themes\.yaml: theme 'compute': term 'gpu'"):
        load_themes(bad)


def test_a_lead_term_makes_the_primary_the_highest_score_even_at_saturation(classifier: Classifier) -> None:
    # compute terms alone would put compute at 1.0; the state acting (印发, 行动计划) leads with policy,
    # and the primary stays the highest score, as SPEC defines it
    story = Story(
        id="miit",
        source="s",
        url="",
        lang="zh",
        title="工信部印发算力基础设施行动计划：2028年算力总规模超400 EFLOPS",
        text=(
            "工业和信息化部印发行动计划，提出到2028年算力总规模超过400 EFLOPS，智能算力占比达到60%，"
            "国家枢纽节点新建数据中心PUE不高于1.25，"
            "智算中心和数据中心建设向枢纽节点集中，智能算力、算力基础设施、算力网络、算力调度协同推进。"
        ),
    )
    c = classifier.classify(story)
    scores = {t.id: t.score for t in c.themes}
    assert c.primary == "policy" and scores["policy"] > scores["compute"] >= 0.99
    assert ("lead: 印发", 0, "title") in c.themes[0].evidence


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "Electricity use of Guizhou's data centres jumps 38% as AI campuses fill up",
            "energy",
            id="energy-use-of-data-centres",
        ),
        pytest.param("内蒙古数据中心用电量前三季度突破120亿千瓦时", "energy", id="zh-energy-use"),
        pytest.param(
            "Market regulator fines four GPU rental brokers for fixing prices", "policy", id="regulator-acting"
        ),
        pytest.param("Big Fund III takes a stake in YMTC's new NAND fab", "policy", id="state-fund"),
        pytest.param("大基金三期向长江存储增资80亿元", "policy", id="zh-state-fund"),
        pytest.param("Data centre operator opens 20,000-GPU cluster in Ningxia", "compute", id="no-lead-no-change"),
    ],
)
def test_lead_terms_follow_spec_definitions(classifier: Classifier, title: str, expected: str) -> None:
    assert classifier.classify(_title(title, "zh" if not title.isascii() else "en")).primary == expected


@pytest.mark.parametrize(
    ("title", "text", "absent"),
    [
        pytest.param(
            "新智元报道：周末读书会",
            "新智元编辑部。本周的读书会讨论三本小说和一部电影。",
            "ai-models",
            id="byline-holds-a-robot-maker",
        ),
        pytest.param(
            "化石燃料的时代还没结束",
            "化石燃料仍然占世界一次能源消费的八成。",
            "science",
            id="fossil-fuel-is-not-palaeontology",
        ),
        pytest.param(
            "量子位：一周新品速览", "量子位整理了本周发布的手机、耳机和手表。", "science", id="outlet-named-quantum"
        ),
    ],
)
def test_a_term_inside_a_longer_word_or_name_does_not_count(
    classifier: Classifier, title: str, text: str, absent: str
) -> None:
    themes = {
        t.id for t in classifier.classify(Story(id="x", source="s", url="", title=title, text=text, lang="zh")).themes
    }
    assert absent not in themes


def test_a_passing_mention_in_a_long_article_gives_no_theme(classifier: Classifier) -> None:
    body = "大模型公司正在加快商业化，应用开发者越来越多，推理成本不断下降。" * 60 + "有人还提到了量子计算。"
    verdict = classifier.classify(
        Story(id="x", source="s", url="", title="大模型应用的商业化之路", text=body, lang="zh")
    )
    assert verdict.primary == "ai-models"
    assert "science" not in {t.id for t in verdict.themes}
    short = classifier.classify(
        Story(
            id="y",
            source="s",
            url="",
            title="量子计算原型机实现新突破",
            text="研究团队发布了新的量子计算原型机。",
            lang="zh",
        )
    )
    assert short.primary == "science"  # the same term in the headline decides


def test_who_acts_says_policy_only_beside_what_is_done(classifier: Classifier) -> None:
    """"Premier" and "Xi Jinping" are context: a leader's trip is no Policy story; a leader's rule is."""
    trip = classifier.classify(_title("Premier Li Qiang meets Xi Jinping's guests at a banquet"))
    assert "policy" not in {t.id for t in trip.themes}
    rule = classifier.classify(_title("Premier Li Qiang signs export controls on gallium"))
    assert rule.primary == "policy"


@pytest.mark.parametrize(
    ("title", "text", "term"),
    [
        pytest.param(
            "元宇宙平台完成千万级融资",
            "这家元宇宙公司将扩大城市级元宇宙的合作网络。",
            "宇宙",
            id="metaverse-holds-universe",
        ),
        pytest.param(
            "病毒式传播的短视频是怎样剪出来的",
            "一条病毒式传播的短视频背后，是剪辑工具。",
            "病毒",
            id="going-viral-holds-virus",
        ),
        pytest.param(
            "Samsung Galaxy S23 Ultra drops to its lowest price",
            "The Galaxy S23 Ultra is on sale this week.",
            "galaxy",
            id="phone-brand",
        ),
        pytest.param(
            "开发者生态大会在杭州举行", "平台宣布扩大开发者生态，与伙伴共建生态。", "生态", id="business-ecosystem"
        ),
    ],
)
def test_false_friends_of_science_terms_count_for_nothing(
    classifier: Classifier, title: str, text: str, term: str
) -> None:
    lang = "en" if title.isascii() else "zh"
    verdict = classifier.classify(Story(id="x", source="s", url="", title=title, text=text, lang=lang))
    assert "science" not in {t.id for t in verdict.themes}
    assert term not in {e[0] for t in verdict.themes for e in t.evidence}
    assert term not in {
        e[0]
        for e in classifier.scorer.score(Story(id="x", source="s", url="", title=title, text=text)).evidence.get(
            "science", ()
        )
    }


def test_the_term_itself_still_counts_outside_the_longer_word(classifier: Classifier) -> None:
    virus = classifier.classify(_title("新型病毒的传播途径", "zh"))
    assert virus.primary == "science" and ("病毒", 2, "title") in virus.themes[0].evidence
    assert classifier.classify(_title("Webb telescope spots the most distant galaxy yet")).primary == "science"


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("US Senate begins collecting evidence on how AI could thwart robocalls", id="senate-on-ai"),
        pytest.param("Governments used to lead innovation. On AI, they're falling behind.", id="governments-on-ai"),
    ],
)
def test_who_acts_beside_another_theme_says_the_state_acts_on_it(classifier: Classifier, title: str) -> None:
    verdict = classifier.classify(_title(title))
    themes = {t.id: t for t in verdict.themes}
    assert {"ai-models", "policy"} <= set(themes)
    assert any(where == "title" for _, _, where in themes["policy"].evidence)  # explained by who acts


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Senate votes to rename a post office after a local hero", id="senate-alone"),
        pytest.param("Biden hosts a state dinner for the Australian prime minister", id="leaders-alone"),
        pytest.param(
            "OpenAI president Greg Brockman returns from a sabbatical", id="a-company-president-is-not-the-state"
        ),
    ],
)
def test_who_acts_alone_or_a_company_title_gives_no_policy(classifier: Classifier, title: str) -> None:
    assert "policy" not in {t.id for t in classifier.classify(_title(title)).themes}


def test_a_story_about_none_of_the_themes_gets_none_in_chinese(classifier: Classifier) -> None:
    story = Story(
        id="x",
        source="s",
        url="",
        lang="zh",
        title="掌握这几类爆款标题的文案思路",
        text="标题起得流畅，流量飞得丝滑。适用于小红书、公众号等平台。" * 10,
    )
    assert classifier.classify(story).themes == ()


def test_a_passing_mention_in_a_long_english_article_gives_no_theme(classifier: Classifier) -> None:
    body = "The company said its new assistant answers questions and drafts email for millions of users. " * 40
    body += "One executive mentioned the data centre in passing."
    verdict = classifier.classify(
        Story(id="x", source="s", url="", title="The chatbot everyone now uses at work", text=body, lang="en")
    )
    assert "compute" not in {t.id for t in verdict.themes}


def test_a_cloud_vendor_name_alone_is_no_compute_story(classifier: Classifier) -> None:
    verdict = classifier.classify(_title("火山引擎云安全负责人确认出席金融科技大会", "zh"))
    assert "compute" not in {t.id for t in verdict.themes}
    assert classifier.classify(_title("华为云贵安数据中心上线万卡AI集群", "zh")).primary == "compute"


def test_a_sanctioned_company_named_in_passing_is_no_policy_story(classifier: Classifier) -> None:
    """"US-sanctioned Huawei" describes a company; "US sanctions Huawei" reports the state acting."""
    described = classifier.classify(
        _title("Xiaomi launches a phone system as US-sanctioned Huawei moves away from Google")
    )
    assert "policy" not in {t.id for t in described.themes}
    assert classifier.classify(_title("US sanctions Huawei suppliers over chip exports")).primary == "policy"


def test_science_the_word_counts_but_not_inside_fiction_or_ais_sciences(classifier: Classifier) -> None:
    assert classifier.classify(_title("Is social media addictive? Here's what the science says")).primary == "science"
    fiction = classifier.classify(_title("Take science fiction seriously, world leaders say of AI"))
    assert "science" not in {t.id for t in fiction.themes}
    assert "science" not in {
        t.id for t in classifier.classify(_title("A data science bootcamp for AI engineers")).themes
    }


def test_new_energy_vehicles_are_cars_not_the_energy_system(classifier: Classifier) -> None:
    story = Story(
        id="x",
        source="s",
        url="",
        lang="zh",
        title="新能源汽车销量再创新高",
        text="前三季度新能源汽车和新能源车出口增长。",
    )
    assert "新能源" not in {e[0] for e in classifier.scorer.score(story).evidence.get("energy", ())}
    grid = Story(
        id="y", source="s", url="", lang="zh", title="新能源装机规模突破14亿千瓦", text="风电光伏新能源装机持续增长。"
    )
    assert "新能源" in {e[0] for e in classifier.scorer.score(grid).evidence.get("energy", ())}


def test_a_term_listed_by_two_themes_counts_for_both(classifier: Classifier) -> None:
    verdict = classifier.classify(_title("First plasma fired up at world's largest fusion reactor"))
    assert {"science", "energy"} <= {t.id for t in verdict.themes}


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("国务院印发《关于开展第四次全国文物普查的通知》", "zh", id="relics-census"),
        pytest.param("住建部印发指导意见，推进城中村改造", "zh", id="urban-renewal"),
        pytest.param("US lawmaker seeks sanctions over use of banned cotton", "en", id="cotton-sanctions"),
    ],
)
def test_the_state_acting_outside_technology_energy_and_science_is_no_policy(
    classifier: Classifier, title: str, lang: str
) -> None:
    """Policy's subject words: the state acting on none of the six themes' subjects gives no theme."""
    assert classifier.classify(_title(title, lang)).themes == ()


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        pytest.param("国务院印发《关于推动互联网平台经济规范发展的通知》", "zh", id="internet"),
        pytest.param("工信部印发指导意见，推进中小企业数字化转型", "zh", id="digitalisation"),
        pytest.param("US lawmaker seeks sanctions on app maker over banned data transfers", "en", id="app-maker"),
    ],
)
def test_the_state_acting_on_technology_is_policy(classifier: Classifier, title: str, lang: str) -> None:
    assert classifier.classify(_title(title, lang)).primary == "policy"


def test_a_subject_word_list_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  - id: policy\n    terms: {en: {rule: 2}}\n    subject: {en: tech}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="subject"):
        load_themes(bad)


def test_a_sources_list_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  - id: science\n    terms: {en: {study: 2}}\n    sources: desk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="sources"):
        load_themes(bad)
    good = tmp_path / "good.yaml"
    good.write_text("themes:\n  - id: science\n    terms: {en: {study: 2}}\n    sources: [a, b]\n", encoding="utf-8")
    assert load_themes(good)[0].sources == ("a", "b")


def test_a_taxonomy_is_parsed_once_per_text_and_an_edited_file_is_read_afresh(tmp_path: Path) -> None:
    """Each of a week's steps loads the taxonomy: the same text is parsed once, the themes shared (immutable);
    the file is read every time, so an edit, even one of the same size at once after, is seen."""
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  - id: chips\n    terms: {en: {chip: 2}}\n", encoding="utf-8")
    first = load_themes(path)
    assert load_themes(path) is first and load_themes(str(path)) == first
    path.write_text("themes:\n  - id: chops\n    terms: {en: {chop: 2}}\n", encoding="utf-8")  # the same size
    assert [t.id for t in load_themes(path)] == ["chops"] and load_themes(path)[0].terms_en == (("chop", 2),)
    path.write_text("themes:\n  - id: chips\n    terms: {en: {chip: 2}}\n    head_only: maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="head_only"):
        load_themes(path)  # a bad edit is an error each time, never the themes read before
    with pytest.raises(ConfigError, match="head_only"):
        load_themes(path)


def test_head_only_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  - id: chips\n    terms: {en: {chip: 2}}\n    head_only: yes please\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="head_only"):
        load_themes(bad)
    good = tmp_path / "good.yaml"
    good.write_text("themes:\n  - id: chips\n    terms: {en: {chip: 2}}\n    head_only: true\n", encoding="utf-8")
    assert load_themes(good)[0].head_only


def test_meeting_words_are_validated(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  - id: policy\n    terms: {en: {rules: 2}}\n    meeting: 会见\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="meeting"):
        load_themes(bad)
    good = tmp_path / "good.yaml"
    good.write_text("themes:\n  - id: policy\n    terms: {en: {rules: 2}}\n    meeting: {zh: [会见]}\n", "utf-8")
    assert load_themes(good)[0].meeting == ("会见",)


def test_persons_are_the_themes_own_context_terms(tmp_path: Path) -> None:
    head = "themes:\n  - id: policy\n    terms: {en: {rules: 2}}\n    context: {en: [Senate, premier]}\n"
    bad = tmp_path / "themes.yaml"
    bad.write_text(head + "    persons: {en: [president]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="persons"):
        load_themes(bad)
    good = tmp_path / "good.yaml"
    good.write_text(head + "    persons: {en: [Premier]}\n", encoding="utf-8")
    assert load_themes(good)[0].persons == ("Premier",)


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Sunak's AI summit succeeded, but not in the way the UK hoped", id="summit"),
        pytest.param("US upstages Sunak with AI regulation plan", id="regulation"),
    ],
)
def test_the_state_acting_on_ai_is_policy_and_ai_models(classifier: Classifier, title: str) -> None:
    """Policy's compound terms hold "AI", which the longest match takes from ai-models: they count for both."""
    assert {"policy", "ai-models"} <= {t.id for t in classifier.classify(_title(title)).themes}


def test_researchers_and_universities_say_science_only_when_no_other_theme_is_the_subject(
    classifier: Classifier,
) -> None:
    """Science's setting terms: an AI paper by university researchers is ai-models only (GUIDE)."""
    ai_paper = classifier.classify(_title("清华大学研究人员发布论文：大模型推理能力再提升", "zh"))
    assert {t.id for t in ai_paper.themes} == {"ai-models"}
    paper = classifier.classify(_title("清华大学研究人员发表论文：揭示新物种的演化", "zh"))
    assert paper.primary == "science"
    assert "研究人员" in {e[0] for e in paper.themes[0].evidence}


def test_setting_terms_must_be_the_themes_own(tmp_path: Path) -> None:
    bad = tmp_path / "themes.yaml"
    text = "themes:\n  - id: science\n    terms: {en: {species: 2}}\n    setting: {en: [lab]}\n"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="setting"):
        load_themes(bad)


def test_who_acts_beside_another_theme_counts_as_much_with_the_themes_own_terms(classifier: Classifier) -> None:
    """A ministry's guideline on robots: who acts beside ai-models counts double with Policy's own terms too."""
    story = Story(
        id="x",
        source="s",
        url="",
        lang="en",
        title="China says humanoid robots are a new engine of growth",
        text="The ministry releases a nine-page guideline urging mass production by 2025.",
    )
    assert {"ai-models", "policy"} <= {t.id for t in classifier.classify(story).themes}
