"""The labelled evaluation set is well formed, and benchmarks/quality.py reaches its floors on development
data: the ``dev`` split of the written set, and the real news of ``../shared/real``.

Both are development data (the written set's other split, ``tuned``, was tuned on; the real set is tuned
on too): a floor here catches a regression, it is not a measure of quality on unseen news. The floors
are the level reached less a small margin, so that a regression fails and an improvement passes.
Quality numbers only; nothing here times anything.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from collections import Counter, defaultdict
from contextlib import redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from briefing.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "eval"
SPEC_THEMES = {"compute", "energy", "policy", "chips", "ai-models", "science"}
KINDS = {"original", "copy", "edit", "rewrite", "translation"}
FIELDS = [
    "id",
    "source",
    "url",
    "title",
    "text",
    "lang",
    "published",
    "themes",
    "event",
    "kind",
    "split",
    "hard_negatives",
]

# Floors on the dev split of the written set: the targets of issue 4, and the levels reached less a margin
TOP1_EN = 0.92
TOP1_ZH = 0.92
MACRO_F1 = 0.85
REWRITE_RECALL = 0.80
TRANSLATION_RECALL_REACHED = 0.85  # 25 of 27 pairs
FALSE_MERGES = 1  # a hard negative: Zhongwei hub's computing power against its power deal


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    lines = (EVAL / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_quality", ROOT / "benchmarks" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmarks_quality"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report(quality: ModuleType) -> Any:
    return quality.evaluate("dev")


def _when(r: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(r["published"])


def _events(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        out[r["event"]].append(r)
    return out


# ----------------------------------------------------------------------------------- the set's form


def test_every_record_has_the_fields_and_valid_values(records: list[dict[str, Any]]) -> None:
    sources = {s.id: s for s in load_sources(EVAL / "sources.yaml").sources}
    for r in records:
        assert list(r) == FIELDS, r.get("id")
        assert r["source"] in sources and sources[r["source"]].lang == r["lang"], r["id"]
        assert r["id"].startswith(f"{r['source']}/") and r["url"].startswith(f"https://{r['source']}.example/"), r["id"]
        assert r["lang"] in ("en", "zh") and r["title"].strip() and r["text"].strip(), r["id"]
        assert (
            r["published"].endswith("+08:00")
            and datetime(2026, 10, 1).date() <= _when(r).date() <= datetime(2026, 11, 30).date()
        ), r["id"]
        assert r["themes"] and set(r["themes"]) <= SPEC_THEMES and len(set(r["themes"])) == len(r["themes"]), r["id"]
        assert r["kind"] in KINDS and r["split"] in ("dev", "tuned"), r["id"]


def test_ids_and_urls_are_unique(records: list[dict[str, Any]]) -> None:
    for key in ("id", "url"):
        counts = Counter(r[key] for r in records)
        assert [k for k, n in counts.items() if n > 1] == []


def test_texts_have_news_length(records: list[dict[str, Any]]) -> None:
    for r in records:
        if r["lang"] == "en":
            assert 60 <= len(r["text"].split()) <= 150, r["id"]
        else:
            assert 120 <= len(re.sub(r"\s", "", r["text"])) <= 300, r["id"]
        assert 2 <= len(r["text"].split("\n\n")) <= 5, r["id"]  # 2-4 paragraphs, plus an editor line on a copy


def test_no_sentence_is_repeated_across_events(records: list[dict[str, Any]]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for sentence in re.split(r"(?<=[.!?。！？])\s*", r["text"]):
            sentence = sentence.strip()
            if len(sentence.split()) >= 8 or (r["lang"] == "zh" and len(sentence) >= 20):
                seen[sentence].add(r["event"])
    assert [s for s, events in seen.items() if len(events) > 1] == []


def test_each_event_has_one_original_and_its_reports_follow_it(records: list[dict[str, Any]]) -> None:
    for event, reports in _events(records).items():
        originals = [r for r in reports if r["kind"] == "original"]
        assert len(originals) == 1, event
        assert len({tuple(r["themes"]) for r in reports}) == 1, f"{event}: reports disagree on the gold themes"
        first = _when(originals[0])
        for r in reports:
            gap = _when(r) - first
            assert timedelta(hours=-24) <= gap <= timedelta(hours=36), r["id"]
            if r["kind"] in ("copy", "edit"):
                assert any(
                    o["lang"] == r["lang"] and o["kind"] in ("original", "translation") for o in reports if o is not r
                ), r["id"]


def test_splits_are_by_event_and_hard_negatives_stay_together(records: list[dict[str, Any]]) -> None:
    events = _events(records)
    split = {}
    for event, reports in events.items():
        assert len({r["split"] for r in reports}) == 1, event
        assert len({tuple(r["hard_negatives"]) for r in reports}) == 1, event
        split[event] = reports[0]["split"]
    for event, reports in events.items():
        for other in reports[0]["hard_negatives"]:
            assert other in events and other != event, (event, other)
            assert event in events[other][0]["hard_negatives"], f"{event} -> {other} is not symmetric"
            assert split[other] == split[event], (event, other)
            for a in reports:
                for b in events[other]:
                    assert abs(_when(a) - _when(b)) <= timedelta(hours=72), (a["id"], b["id"])
    tuned_share = sum(r["split"] == "tuned" for r in records) / len(records)
    assert 0.35 <= tuned_share <= 0.45


def test_the_set_holds_the_counts_the_issue_asks_for(records: list[dict[str, Any]]) -> None:
    langs = Counter(r["lang"] for r in records)
    assert len(records) >= 220 and langs["en"] == langs["zh"]
    primary = Counter((r["themes"][0], r["lang"]) for r in records)
    for theme in SPEC_THEMES:
        assert (
            primary[(theme, "en")] + primary[(theme, "zh")] >= 25 and primary[(theme, "en")] and primary[(theme, "zh")]
        ), theme
    assert sum(len(r["themes"]) >= 2 for r in records) >= 40
    assert sum(r["lang"] == "zh" and bool(re.search(r"[A-Za-z]{2,}", r["title"])) for r in records) >= 8
    clusters = [reports for reports in _events(records).values() if len(reports) > 1]
    assert len(clusters) >= 35
    kinds = Counter(k for reports in clusters for k in {r["kind"] for r in reports} - {"original"})
    assert kinds["translation"] >= 6 and kinds["copy"] >= 5 and kinds["edit"] >= 5 and kinds["rewrite"] >= 10
    for reports in clusters:
        if any(r["kind"] == "translation" for r in reports):
            assert {r["lang"] for r in reports} == {"en", "zh"}
    pairs = {tuple(sorted((r["event"], other))) for r in records for other in r["hard_negatives"]}
    assert len(pairs) >= 15
    for split in ("dev", "tuned"):
        part = [r for r in records if r["split"] == split]
        part_kinds = Counter(
            k
            for reports in _events(part).values()
            if len(reports) > 1
            for k in {r["kind"] for r in reports} - {"original"}
        )
        assert all(part_kinds[k] >= 4 for k in ("copy", "edit", "rewrite", "translation")), (split, part_kinds)


# ---------------------------------------------------------------------------- the figures on dev


def test_the_quality_script_prints_its_tables(quality: ModuleType) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert quality.main([]) == 0
    text = out.getvalue()
    assert "split dev" in text
    for needle in (
        "precision",
        "macro-F1",
        "top-1 accuracy",
        "copy",
        "edit",
        "rewrite",
        "translation",
        "false merges",
        "Targets",
    ):
        assert needle in text
    out = io.StringIO()
    with redirect_stdout(out):
        assert quality.main(["--split", "tuned", "--json"]) == 0
    figures = json.loads(out.getvalue())
    assert figures["split"] == "tuned" and set(figures["top1"]) == {"en", "zh"}


def test_every_gold_pair_is_counted_once_by_kind(
    quality: ModuleType, report: Any, records: list[dict[str, Any]]
) -> None:
    dev = [r for r in records if r["split"] == "dev"]
    gold_pairs = sum(len(v) * (len(v) - 1) // 2 for v in _events(dev).values())
    assert sum(k.pairs for k in report.kinds) == gold_pairs
    assert report.stories == len(dev)


def test_primary_theme_accuracy_per_language(report: Any) -> None:
    assert report.top1["zh"] >= TOP1_ZH
    assert report.top1["en"] >= TOP1_EN


def test_multi_label_macro_f1(report: Any) -> None:
    assert report.macro_f1 >= MACRO_F1
    assert all(t.f1 >= 0.8 for t in report.themes), [(t.theme, round(t.f1, 3)) for t in report.themes]


def test_every_copy_and_edit_pair_is_found(report: Any) -> None:
    assert report.recall("copy") == 1.0, [p for p in report.missed if p.kind == "copy"]
    assert report.recall("edit") == 1.0, [p for p in report.missed if p.kind == "edit"]


def test_rewrites_and_translations_found(report: Any) -> None:
    assert report.recall("rewrite") >= REWRITE_RECALL
    assert report.recall("translation") >= TRANSLATION_RECALL_REACHED


def test_false_merges_stay_rare(report: Any) -> None:
    assert report.hard_negative_pairs >= 7
    assert len(report.false_merges) <= FALSE_MERGES, report.false_merges


# ----------------------------------------------------------------------------------- real news

REAL = ROOT.parent / "shared" / "real"
# Floors on the real development set (issue 11's targets where met; otherwise the level reached less a margin)
REAL_FLOORS = {
    "primary": 0.91,  # 0.943 reached
    "no_theme_kept_empty": 0.85,  # the target; 0.917 reached
    "macro_f1": 0.79,  # 0.812 reached
    "dedup_precision": 0.95,  # the target; 0.970 reached
    "dedup_recall": 0.59,  # 0.612 reached
    "bcubed_f1": 0.94,  # no dedup at all scores 0.916
}
REAL_SUMMARY_DEFECTS = 0


@pytest.fixture(scope="module")
def real_report(quality: ModuleType) -> Any:
    if not (REAL / "stories.jsonl").exists():
        pytest.skip(f"the real development set is not beside the checkout ({REAL})")
    return quality.evaluate_real(REAL)


def test_real_news_themes(real_report: Any) -> None:
    figures = real_report.per_lang["all"]
    assert figures["primary"] >= REAL_FLOORS["primary"], figures
    assert figures["no_theme_kept_empty"] >= REAL_FLOORS["no_theme_kept_empty"], figures
    assert figures["macro_f1"] >= REAL_FLOORS["macro_f1"], figures


def test_real_news_dedup(real_report: Any) -> None:
    d = real_report.dedup
    assert d["precision"] >= REAL_FLOORS["dedup_precision"], d
    assert d["recall"] >= REAL_FLOORS["dedup_recall"], d
    assert d["bcubed_f1"] >= REAL_FLOORS["bcubed_f1"], d


def test_real_news_summaries(real_report: Any) -> None:
    assert len(real_report.summary_defects) <= REAL_SUMMARY_DEFECTS, real_report.summary_defects[:5]


# More real weeks (benchmarks/data, in the repository), each scored blind once, then development data:
# 2023-W35 to W41. Floors at the levels reached now less a margin (about one to three stories)
MORE_WEEKS = {
    "real-2023-W41": {
        "primary": 0.81,  # 0.765 blind, 0.846 now
        "no_theme_kept_empty": 0.89,  # 0.903 blind, 0.920 now
        "macro_f1": 0.79,  # 0.738 blind, 0.840 now
        "dedup_precision": 0.70,  # 0.750 blind, 0.800 now (50 gold pairs: one false pair moves it by 0.07)
        "bcubed_f1": 0.94,  # no dedup at all scores 0.940; 0.953 now
    },
    "real-2023-W40": {
        "primary": 0.88,  # 0.809 blind, 0.909 now
        "no_theme_kept_empty": 0.83,  # 0.848 blind, 0.862 now
        "macro_f1": 0.75,  # 0.681 blind, 0.784 now
        "dedup_precision": 0.88,  # 0.840 blind, 0.955 now (54 gold pairs)
        "bcubed_f1": 0.93,  # no dedup at all scores 0.915; 0.950 now
    },
    "real-2023-W38": {
        "primary": 0.89,  # 0.827 blind, 0.913 now
        "no_theme_kept_empty": 0.84,  # 0.829 blind, 0.865 now
        "macro_f1": 0.82,  # 0.775 blind, 0.847 now
        "dedup_precision": 0.87,  # 0.923 blind and now (186 gold pairs)
        "bcubed_f1": 0.88,  # no dedup at all scores 0.867; 0.896 now
    },
    "real-2023-W37": {
        "primary": 0.85,  # 0.726 blind, 0.881 now
        "no_theme_kept_empty": 0.88,  # 0.805 blind, 0.911 now
        "macro_f1": 0.82,  # 0.635 blind, 0.847 now
        "dedup_precision": 0.85,  # 0.891 blind and now (279 gold pairs)
        "bcubed_f1": 0.85,  # no dedup at all scores 0.810; 0.870 now
    },
    "real-2023-W36": {
        "primary": 0.90,  # 0.852 blind, 0.932 now (the start of the day, d02ecf3: 0.818)
        "no_theme_kept_empty": 0.81,  # 0.771 blind, 0.844 now
        "macro_f1": 0.80,  # 0.735 blind, 0.838 now
        "dedup_precision": 0.80,  # 0.905 blind (41 gold pairs)
        "bcubed_f1": 0.93,  # no dedup at all scores 0.906; 0.950 blind
    },
    "real-2023-W39": {
        "primary": 0.86,  # 0.795 blind, 0.885 now (the tree that built it, d02ecf3: 0.754)
        "no_theme_kept_empty": 0.86,  # 0.857 blind, 0.884 now
        "macro_f1": 0.83,  # 0.769 blind, 0.855 now
        "dedup_precision": 0.82,  # 0.913 blind (94 gold pairs)
        "bcubed_f1": 0.91,  # no dedup at all scores 0.894; 0.924 blind
    },
    "real-2023-W35": {
        "primary": 0.89,  # 0.878 blind, 0.919 now
        "no_theme_kept_empty": 0.84,  # 0.848 blind, 0.873 now
        "macro_f1": 0.77,  # 0.765 blind, 0.807 now
        "dedup_precision": 0.68,  # 0.765 blind (67 gold pairs: one false pair moves it by 0.06)
        "bcubed_f1": 0.89,  # no dedup at all scores 0.879; 0.911 blind
    },
    "real-2023-W49": {
        "primary": 0.89,  # 0.899 blind, 0.919 now (scored once at the end of the pass that built it)
        "no_theme_kept_empty": 0.91,  # 0.923 blind, 0.942 now
        "macro_f1": 0.80,  # 0.805 blind, 0.832 now
        "dedup_precision": 0.80,  # 0.893 blind (62 gold pairs)
        "bcubed_f1": 0.92,  # no dedup at all scores 0.906; 0.941 blind
    },
    "real-2023-W50": {
        "primary": 0.86,  # 0.866 blind, 0.888 now
        "no_theme_kept_empty": 0.89,  # 0.920 blind
        "macro_f1": 0.80,  # 0.810 blind, 0.829 now
        "dedup_precision": 0.65,  # 0.786 blind (143 gold pairs, 14 found: one false pair moves it by 0.07)
        "bcubed_f1": 0.895,  # no dedup at all scores 0.891; 0.907 blind
    },
    "real-2023-W51": {
        "primary": 0.80,  # 0.806 blind (the tree that built it), 0.828 now
        "no_theme_kept_empty": 0.89,  # 0.908 blind, 0.923 now
        "macro_f1": 0.77,  # 0.784 blind, 0.796 now
        "dedup_precision": 0.80,  # 0.947 blind and now (36 gold pairs: one false pair moves it by 0.05)
        "bcubed_f1": 0.93,  # no dedup at all scores 0.914; 0.960 blind and now
    },
    "real-2024-W02": {
        "primary": 0.86,  # 0.881 blind and now
        "no_theme_kept_empty": 0.85,  # 0.795 blind, 0.880 now
        "macro_f1": 0.79,  # 0.787 blind, 0.815 now
        "dedup_precision": 0.85,  # 1.000 blind and now (65 gold pairs)
        "bcubed_f1": 0.92,  # no dedup at all scores 0.871; 0.941 blind and now
    },
    "real-2024-W03": {
        "primary": 0.87,  # 0.867 blind (the tree that built it), 0.898 now
        "no_theme_kept_empty": 0.89,  # 0.903 blind, 0.917 now
        "macro_f1": 0.80,  # 0.800 blind, 0.831 now
        "dedup_precision": 0.70,  # 0.815 blind and now (142 gold pairs)
        "bcubed_f1": 0.86,  # no dedup at all scores 0.834; 0.895 blind and now
    },
}


@pytest.mark.parametrize("week", sorted(MORE_WEEKS))
def test_more_real_weeks(quality: ModuleType, week: str) -> None:
    floors = MORE_WEEKS[week]
    report = quality.evaluate_real(ROOT / "benchmarks" / "data" / week)
    figures, d = report.per_lang["all"], report.dedup
    for key in ("primary", "no_theme_kept_empty", "macro_f1"):
        assert figures[key] >= floors[key], figures
    assert d["precision"] >= floors["dedup_precision"], d
    assert d["bcubed_f1"] >= floors["bcubed_f1"], d
    assert not report.summary_defects, report.summary_defects[:5]


@pytest.mark.integration  # six seconds: CI's integration tier runs it, make test keeps its time budget
def test_real_weeks_built_in_any_order_give_the_clusters_of_time_order(quality: ModuleType) -> None:
    """Issue 11 item 2 on real news: the development weeks (W40 to W44, or the two in the repository when
    ``../shared/real`` is not beside the checkout) indexed week by week in time order and backwards, as a
    backfill builds them, give one partition. The Hypothesis test covers small random batches; this one
    covers real density (a week of 250 to 540 stories, names shared by dozens of them)."""
    import dataclasses

    import real  # type: ignore[import-not-found]  # beside quality.py, on the path it sets

    from briefing.dedup import update_index
    from briefing.records import Fetched
    from briefing.store import Store
    from briefing.text import content_hash
    from briefing.urls import canonical_url

    dirs = [d for d in real.DEV_DIRS if (d / "stories.jsonl").exists()]
    weeks: dict[str, list[Any]] = defaultdict(list)
    for labelled in (r for d in dirs for r in real.load_real(d)):
        story = labelled.story  # a story the feed gave no fetch time was fetched when published
        weeks[labelled.week].append(story if story.fetched else dataclasses.replace(story, fetched=story.published))
    assert len(weeks) >= 2, sorted(weeks)

    def partition(order: list[str]) -> set[frozenset[str]]:
        with Store("sqlite://") as store:
            every = [s for week in order for s in weeks[week]]
            kept = set(
                store.add_stories(
                    [Fetched(s, canonical_url(s.url) or s.id, content_hash(s.title, s.body)) for s in every]
                )
            )
            for week in order:
                update_index(store, [s for s in weeks[week] if s.id in kept])
            groups: dict[str, set[str]] = defaultdict(set)
            for sid, (_, cluster) in store.indexed(sorted(kept)).items():
                groups[cluster].add(sid)
            return {frozenset(g) for g in groups.values()}

    in_time = partition(sorted(weeks))
    assert sum(map(len, in_time)) > 500 and any(len(g) > 2 for g in in_time)
    assert partition(sorted(weeks, reverse=True)) == in_time
