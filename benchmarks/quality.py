"""Measure the editorial core on the labelled evaluation set: classification and dedup quality.

Loads ``tests/data/eval/stories.jsonl`` (sample stories written for the project, with gold themes, events
and duplicate kinds; see ``tests/data/eval/README.md``), keeps one split, and runs the library's public
entry points over it: ``Classifier(load_themes())`` on every story, and ``dedup(stories, weights)`` over
the split's stories together, as over a week of news, with the source weights of
``tests/data/eval/sources.yaml``. It prints:

- per-theme precision, recall and F1 (multi-label: the themes the classifier gives against the gold
  themes), macro-F1, and top-1 (primary theme) accuracy per language;
- dedup pairwise recall per kind of duplicate (copy, edit, rewrite, translation), pairwise precision, the
  false merges (pairs clustered together whose gold events differ), and among them the hard negatives
  (same entity, different event, published within three days);
- whether each target of issue 4 is met.

Neither split is held out: ``tuned`` was once meant to be, and was tuned on (``tests/data/eval/README.md``).
Both are text this project wrote, a regression check. Real news is the yardstick: ``--real`` measures
the same library calls on the hand-labelled real stories of ``../shared/real`` (``real.py``). Figures
only, never timings::

    python benchmarks/quality.py              # the dev split of the written set
    python benchmarks/quality.py --split tuned
    python benchmarks/quality.py --real       # real news, per language
    python benchmarks/quality.py --json       # the figures as one JSON object
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from briefing.classify import DEFAULT_THEMES, Classifier, load_themes
from briefing.dedup import dedup
from briefing.records import Story
from briefing.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # real.py beside this file
EVAL_DIR = ROOT / "tests" / "data" / "eval"

__all__ = ["KINDS", "TARGETS", "Gold", "Report", "evaluate", "load_eval", "main"]

THEMES = ("compute", "energy", "policy", "chips", "ai-models", "science")
KINDS = ("copy", "edit", "rewrite", "translation")
#: issue 4's targets, on the written set
TARGETS = {
    "top1": 0.92,
    "macro_f1": 0.85,
    "copy_recall": 1.0,
    "edit_recall": 1.0,
    "rewrite_recall": 0.8,
    "false_merges": 0,
}
# how far a pair of reports of one event is from verbatim; a pair takes the kind of its further member
_KIND_RANK = {"original": 0, "translation": 0, "copy": 1, "edit": 2, "rewrite": 3}


@dataclass(frozen=True)
class Gold:
    """One story of the evaluation set with its gold labels."""

    story: Story
    themes: tuple[str, ...]
    event: str
    kind: str
    split: str
    hard_negatives: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ThemeFigures:
    theme: str
    support: int
    predicted: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class KindFigures:
    kind: str
    pairs: int
    found: int

    @property
    def recall(self) -> float:
        return self.found / self.pairs if self.pairs else 1.0


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    title_a: str
    title_b: str
    kind: str  # the gold kind of a missed pair; "hard-negative" or "other" for a false merge


@dataclass
class Report:
    split: str
    stories: int
    per_lang: dict[str, int]
    themes: list[ThemeFigures]
    macro_f1: float
    top1: dict[str, float]
    top1_counts: dict[str, tuple[int, int]]
    kinds: list[KindFigures]
    merged_pairs: int
    right_pairs: int
    cross_merged: int
    cross_right: int
    hard_negative_pairs: int
    false_merges: list[Pair] = field(default_factory=list)
    missed: list[Pair] = field(default_factory=list)
    misclassified: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right_pairs / self.merged_pairs if self.merged_pairs else 1.0

    @property
    def cross_precision(self) -> float:
        return self.cross_right / self.cross_merged if self.cross_merged else 1.0

    def recall(self, kind: str) -> float:
        return next(k.recall for k in self.kinds if k.kind == kind)

    @property
    def hard_negative_merges(self) -> int:
        return sum(p.kind == "hard-negative" for p in self.false_merges)

    def targets(self) -> list[tuple[str, str, bool]]:
        """(target, figure reached, met) for each target of the issue."""
        out = [
            (f"top-1 {lang} >= {TARGETS['top1']:.2f}", f"{self.top1[lang]:.3f}", self.top1[lang] >= TARGETS["top1"])
            for lang in ("en", "zh")
        ]
        out.append(
            (f"macro-F1 >= {TARGETS['macro_f1']:.2f}", f"{self.macro_f1:.3f}", self.macro_f1 >= TARGETS["macro_f1"])
        )
        for kind in ("copy", "edit", "rewrite"):
            goal = TARGETS[f"{kind}_recall"]
            out.append(
                (
                    f"{kind} recall >= {goal:.2f}" if goal < 1 else f"every {kind} pair found",
                    f"{self.recall(kind):.3f}",
                    self.recall(kind) >= goal,
                )
            )
        out.append(("zero false merges", str(len(self.false_merges)), len(self.false_merges) == 0))
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "split": self.split,
            "stories": self.stories,
            "per_lang": self.per_lang,
            "themes": [asdict(t) for t in self.themes],
            "macro_f1": self.macro_f1,
            "top1": self.top1,
            "dedup": {
                "recall": {k.kind: {"pairs": k.pairs, "found": k.found, "recall": k.recall} for k in self.kinds},
                "precision": self.precision,
                "cross_language_precision": self.cross_precision,
                "merged_pairs": self.merged_pairs,
                "false_merges": len(self.false_merges),
                "hard_negative_pairs": self.hard_negative_pairs,
                "hard_negative_merges": self.hard_negative_merges,
            },
            "targets": [{"target": t, "reached": r, "met": m} for t, r, m in self.targets()],
        }


def load_eval(path: Path = EVAL_DIR / "stories.jsonl") -> list[Gold]:
    """Every story of the evaluation set, with its gold labels."""
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            raw = json.loads(line)
            story = Story(
                id=raw["id"],
                source=raw["source"],
                url=raw["url"],
                title=raw["title"],
                text=raw["text"],
                lang=raw["lang"],
                published=datetime.fromisoformat(raw["published"]).astimezone(UTC),
            )
            out.append(
                Gold(
                    story,
                    tuple(raw["themes"]),
                    raw["event"],
                    raw["kind"],
                    raw["split"],
                    frozenset(raw.get("hard_negatives", ())),
                )
            )
    return out


def source_weights(path: Path = EVAL_DIR / "sources.yaml") -> dict[str, float]:
    return {s.id: s.weight for s in load_sources(path).sources}


def pair_kind(a: Gold, b: Gold) -> str:
    """The kind of a pair of reports of one event: cross-language, else the less verbatim member's kind."""
    if a.story.lang != b.story.lang:
        return "translation"
    worst = max(a.kind, b.kind, key=lambda k: _KIND_RANK[k])
    return worst if worst in KINDS else "copy"  # two originals of one event cannot happen in a valid set


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(
    split: str = "dev",
    golds: Sequence[Gold] | None = None,
    themes_path: str | Path = DEFAULT_THEMES,
    weights: dict[str, float] | None = None,
) -> Report:
    """Classify and deduplicate the stories of ``split`` ("dev", "tuned" or "all") and score them."""
    golds = [g for g in (golds if golds is not None else load_eval()) if split == "all" or g.split == split]
    if not golds:
        raise ValueError(f"no stories in split {split!r}")
    classifier = Classifier(load_themes(themes_path))

    # -- classification
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    right: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    misclassified = []
    for g in golds:
        verdict = classifier.classify(g.story)
        predicted = {t.id for t in verdict.themes}
        gold = set(g.themes)
        for t in predicted & gold:
            tp[t] += 1
        for t in predicted - gold:
            fp[t] += 1
        for t in gold - predicted:
            fn[t] += 1
        seen[g.story.lang] += 1
        if verdict.primary == g.themes[0]:
            right[g.story.lang] += 1
        else:
            misclassified.append((g.story.id, g.story.title, g.themes[0], verdict.primary))
    theme_ids = [t.id for t in classifier.themes] or list(THEMES)
    figures = []
    for t in theme_ids:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        figures.append(ThemeFigures(t, tp[t] + fn[t], tp[t] + fp[t], p, r, _f1(p, r)))
    scored = [f for f in figures if f.support]
    macro = sum(f.f1 for f in scored) / len(scored) if scored else 0.0
    top1 = {lang: right[lang] / seen[lang] for lang in sorted(seen)}

    # -- dedup, over the split's stories together
    clusters = dedup([g.story for g in golds], weights if weights is not None else source_weights())
    cluster_of = {m: c.id for c in clusters for m in c.members}
    pairs: Counter[str] = Counter()
    found: Counter[str] = Counter()
    merged = right_pairs = cross_merged = cross_right = hard_pairs = 0
    false_merges, missed = [], []
    for a, b in itertools.combinations(golds, 2):
        same_gold = a.event == b.event
        same_pred = cluster_of[a.story.id] == cluster_of[b.story.id]
        cross = a.story.lang != b.story.lang
        hard = b.event in a.hard_negatives
        hard_pairs += hard
        if same_gold:
            kind = pair_kind(a, b)
            pairs[kind] += 1
            found[kind] += same_pred
            if not same_pred:
                missed.append(Pair(a.story.id, b.story.id, a.story.title, b.story.title, kind))
        if same_pred:
            merged += 1
            right_pairs += same_gold
            cross_merged += cross
            cross_right += cross and same_gold
            if not same_gold:
                false_merges.append(
                    Pair(a.story.id, b.story.id, a.story.title, b.story.title, "hard-negative" if hard else "other")
                )
    return Report(
        split=split,
        stories=len(golds),
        per_lang=dict(sorted(Counter(g.story.lang for g in golds).items())),
        themes=figures,
        macro_f1=macro,
        top1=top1,
        top1_counts={lang: (right[lang], seen[lang]) for lang in sorted(seen)},
        kinds=[KindFigures(k, pairs[k], found[k]) for k in KINDS],
        merged_pairs=merged,
        right_pairs=right_pairs,
        cross_merged=cross_merged,
        cross_right=cross_right,
        hard_negative_pairs=hard_pairs,
        false_merges=false_merges,
        missed=missed,
        misclassified=misclassified,
    )


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render(report: Report, details: bool = True) -> str:
    out = [
        f"Evaluation set, split {report.split}: {report.stories} stories "
        f"({', '.join(f'{n} {k}' for k, n in report.per_lang.items())})",
        "",
    ]
    out.append("Classification (multi-label: predicted themes against gold themes)")
    out.append(
        _table(
            ["theme", "gold", "predicted", "precision", "recall", "F1"],
            [
                (t.theme, t.support, t.predicted, f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}")
                for t in report.themes
            ],
        )
    )
    out.append(f"macro-F1: {report.macro_f1:.3f}")
    out.append("")
    out.append(
        _table(
            ["language", "stories", "primary right", "top-1 accuracy"],
            [(lang, n, r, f"{report.top1[lang]:.3f}") for lang, (r, n) in report.top1_counts.items()],
        )
    )
    out.append("")
    out.append("Dedup (pairs of stories; all the split's stories clustered together)")
    out.append(
        _table(
            ["kind", "gold pairs", "found", "recall"],
            [(k.kind, k.pairs, k.found, f"{k.recall:.3f}") for k in report.kinds],
        )
    )
    out.append(
        f"pairwise precision: {report.precision:.3f} ({report.right_pairs} of {report.merged_pairs} pairs clustered "
        f"together are one event); "
        f"cross-language: {report.cross_precision:.3f} ({report.cross_right} of {report.cross_merged})"
    )
    out.append(
        f"false merges (pairs of different events clustered together): {len(report.false_merges)}, "
        f"{report.hard_negative_merges} of them hard negatives (of {report.hard_negative_pairs} hard-negative story "
        f"pairs in the split)"
    )
    out.append("")
    out.append("Targets (issue 4)")
    out.append(_table(["target", "reached", "met"], [(t, r, "yes" if m else "NO") for t, r, m in report.targets()]))
    if details:
        if report.misclassified:
            out += ["", "Primary theme wrong:"]
            out += [f"  {sid}  gold {gold}, got {got}  | {title}" for sid, title, gold, got in report.misclassified]
        if report.missed:
            out += ["", "Duplicate pairs missed:"]
            out += [f"  [{p.kind}] {p.a} | {p.b}\n      {p.title_a} | {p.title_b}" for p in report.missed]
        if report.false_merges:
            out += ["", "False merges:"]
            out += [f"  [{p.kind}] {p.a} | {p.b}\n      {p.title_a} | {p.title_b}" for p in report.false_merges]
    return "\n".join(out)


# ------------------------------------------------------------------------------------- real news

#: what a summary must never be or hold: a byline or credit, an editor's note, a subscription prompt, a
#: keyword list, an image caption (checked here independently of the rules that clean summaries)
SUMMARY_DEFECTS = re.compile(
    r"(?:^|[\s（(])(?:文|作者|编辑|撰文|采访|整理|来源|出品|题图|图片来源|图源|责编|校对|排版|监制|运营)\s*[｜|:：/]"
    r"|编者注|编者按|本文来自|经授权发布|原文链接|点击(?:关注|阅读)|关注我们|欢迎关注|扫码|转载请|关键词[:：]|关键字[:：]"
    r"|\b(?:Photo|Image|Illustration|Credit|Subscribe|Sign up|Newsletter)\b\s*[:|]|\bBy [A-Z][a-z]+ [A-Z][a-z]+\s*$"
    r"|(?-i:\b(?:Photo|Image|Illustration|Screenshot|Photograph)s?\s+(?:by|from)\s+[A-Z])",  # a picture's credit
    re.IGNORECASE,
)


@dataclass
class RealReport:
    """The figures of ``evaluate_real``."""

    stories: int
    per_lang: dict[str, dict[str, Any]]
    dedup: dict[str, float]
    largest: list[tuple[int, list[str]]]
    summary_defects: list[tuple[str, str]]
    empty_summaries: int = 0  # stories whose text is all boilerplate: the headline stands alone

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_real(directory: Path | None = None, themes_path: str | Path = DEFAULT_THEMES) -> RealReport:
    """Classify, deduplicate and summarise the real development set, and score the result against its labels."""
    from real import REAL_DIR, load_real

    from briefing.select import summarise

    stories = load_real(directory or REAL_DIR)
    classifier = Classifier(load_themes(themes_path))
    verdicts = classifier.classify_all([r.story for r in stories])
    per_lang: dict[str, dict[str, Any]] = {}
    for lang in ("en", "zh", "all"):
        part = [(r, v) for r, v in zip(stories, verdicts, strict=True) if lang == "all" or r.story.lang == lang]
        with_theme = [(r, v) for r, v in part if r.gold]
        without = [(r, v) for r, v in part if not r.gold]
        themes = {}
        for t in THEMES:
            tp = sum(1 for r, v in part if t in r.gold and t in {x.id for x in v.themes})
            fp = sum(1 for r, v in part if t not in r.gold and t in {x.id for x in v.themes})
            fn = sum(1 for r, v in part if t in r.gold and t not in {x.id for x in v.themes})
            p = tp / (tp + fp) if tp + fp else 0.0
            rc = tp / (tp + fn) if tp + fn else 0.0
            themes[t] = {"gold": tp + fn, "precision": round(p, 3), "recall": round(rc, 3), "f1": round(_f1(p, rc), 3)}
        scored = [f["f1"] for f in themes.values() if f["gold"] >= 5]
        per_lang[lang] = {
            "stories": len(part),
            "primary": round(sum(v.primary in r.gold for r, v in with_theme) / max(len(with_theme), 1), 3),
            "no_theme_kept_empty": round(sum(not v.themes for _, v in without) / max(len(without), 1), 3),
            "macro_f1": round(sum(scored) / max(len(scored), 1), 3),
            "themes": themes,
        }
    clusters = dedup([r.story for r in stories])
    cluster_of = {m: c.id for c in clusters for m in c.members}
    ids = [r.story.id for r in stories]
    event = {r.story.id: r.event for r in stories}
    lang = {r.story.id: r.story.lang for r in stories}
    gold_pairs = {frozenset(p) for p in itertools.combinations(ids, 2) if event[p[0]] == event[p[1]]}
    made = {frozenset(p) for c in clusters for p in itertools.combinations(c.members, 2)}
    hit = len(gold_pairs & made)
    cross = {p for p in gold_pairs if len({lang[i] for i in p}) == 2}
    by_event: dict[str, set[str]] = {}
    by_cluster: dict[str, set[str]] = {}
    for i in ids:
        by_event.setdefault(event[i], set()).add(i)
        by_cluster.setdefault(cluster_of[i], set()).add(i)
    bp = sum(len(by_cluster[cluster_of[i]] & by_event[event[i]]) / len(by_cluster[cluster_of[i]]) for i in ids) / len(
        ids
    )
    br = sum(len(by_cluster[cluster_of[i]] & by_event[event[i]]) / len(by_event[event[i]]) for i in ids) / len(ids)
    title = {r.story.id: r.story.title for r in stories}
    largest = sorted(clusters, key=lambda c: (-len(c.members), c.id))[:5]
    defects = []
    empty = 0
    for r in stories:
        summary = summarise(r.story)
        empty += not summary.strip()
        if SUMMARY_DEFECTS.search(summary):
            defects.append((r.story.id, summary[:120]))
    return RealReport(
        stories=len(stories),
        per_lang=per_lang,
        dedup={
            "precision": round(hit / max(len(made), 1), 3),
            "recall": round(hit / max(len(gold_pairs), 1), 3),
            "gold_pairs": len(gold_pairs),
            "cross_language_recall": round(len(cross & made) / max(len(cross), 1), 3),
            "bcubed_f1": round(_f1(bp, br), 3),
            "clusters": len(clusters),
            "mixed_clusters": sum(1 for c in clusters if len({event[m] for m in c.members}) > 1),
        },
        largest=[(len(c.members), [title[m] for m in c.members]) for c in largest],
        summary_defects=defects,
        empty_summaries=empty,
    )


def render_real(report: RealReport) -> str:
    out = [f"Real news ({report.stories} stories, ../shared/real): development data, not held out", ""]
    rows = []
    for lang in ("en", "zh", "all"):
        f = report.per_lang[lang]
        rows.append(
            (lang, f["stories"], f"{f['primary']:.3f}", f"{f['no_theme_kept_empty']:.3f}", f"{f['macro_f1']:.3f}")
        )
    out.append(_table(["language", "stories", "primary right", "no-theme kept empty", "macro-F1"], rows))
    out.append("")
    rows = []
    for lang in ("en", "zh"):
        for t, f in report.per_lang[lang]["themes"].items():
            rows.append((lang, t, f["gold"], f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}"))
    out.append(_table(["language", "theme", "gold", "precision", "recall", "F1"], rows))
    d = report.dedup
    out += [
        "",
        f"dedup: pairwise precision {d['precision']:.3f}, recall {d['recall']:.3f} ({d['gold_pairs']} gold pairs), "
        f"cross-language recall {d['cross_language_recall']:.3f}, B-cubed F1 {d['bcubed_f1']:.3f}; "
        f"{d['clusters']} clusters, {d['mixed_clusters']} of them mixing events",
        "",
        "largest clusters:",
    ]
    for size, titles in report.largest:
        out.append(f"  {size}: " + " | ".join(t[:50] for t in titles[:6]) + (" | ..." if len(titles) > 6 else ""))
    out += [
        "",
        f"summary defects (bylines, credits, notes, prompts, keyword lines, captions): {len(report.summary_defects)}; "
        f"{report.empty_summaries} stories with no text but boilerplate (the headline stands alone)",
    ]
    out += [f"  {sid}: {text}" for sid, text in report.summary_defects[:20]]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: python benchmarks/quality.py --split dev",
    )
    parser.add_argument(
        "--split", choices=("dev", "tuned", "all"), default="dev", help="which part of the written set (default: dev)"
    )
    parser.add_argument("--themes", default=str(DEFAULT_THEMES), help="the taxonomy file (default: config/themes.yaml)")
    parser.add_argument(
        "--real", nargs="?", const="", metavar="DIR", help="measure real news instead (default: ../shared/real)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--quiet", action="store_true", help="leave out the lists of errors")
    args = parser.parse_args(argv)
    if args.real is not None:
        real = evaluate_real(Path(args.real) if args.real else None, themes_path=args.themes)
        print(json.dumps(real.as_dict(), indent=2, ensure_ascii=False) if args.json else render_real(real))
        return 0
    report = evaluate(args.split, themes_path=args.themes)
    print(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
        if args.json
        else render(report, details=not args.quiet)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
