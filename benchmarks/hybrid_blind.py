"""Would a hybrid of the lexicon and the n-gram model have done better on the weeks the lexicon had not seen?

``fit_themes.py --words --hybrid`` scores the hybrids week-out against today's lexicon, whose rules were
written on every development week, so the lexicon is favoured there. The closest honest proxy for an unseen
week is the score each of twelve weeks got once, blind, with the tree of the day (docs/evaluation.md). This
script scores each of those weeks again with the lexicon of the tree that scored it (taken from git and run
on the fifteen weeks' stories), alone and with each hybrid of ``fit_themes.py``:

- the model (``fit_themes.py --words``: the tree's lexicon features and character 2- and 3-grams) is fitted
  on the other fourteen weeks only (their labels; that tree's lexicon's features of them);
- a hybrid's cut is chosen on those fourteen weeks only, from probabilities of models that saw neither the
  weeks the cut is counted on nor the scored week (nested: the fourteen split in four groups, every fourth
  week; each group decided by a model fitted on the other groups); the cut that gains most stories
  (primaries right plus no-theme stories kept empty, against that tree's lexicon) wins, the higher on a tie.

No decision uses the scored week's labels. (The other weeks include some labelled after the tree, which
favours the hybrid a little.) Each week's figures, and all twelve weeks' decisions pooled, are printed as
``quality.py --real`` counts them (primary right, no-theme kept empty, macro-F1 over themes with five gold
stories), with each hybrid's stories gained or lost against the lexicon.

    python benchmarks/hybrid_blind.py --cache /tmp/hybrid-blind   # 15-30 CPU minutes
    python benchmarks/hybrid_blind.py --cache /tmp/hybrid-blind --weeks 2023-W41 2023-W40   # some (one process each)

The trees are unpacked (``git archive``), and their lexicon's scores and each week's decisions cached, in
``--cache``; the tables are printed once every week's decisions are there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_themes import THEMES, Decisions, Probabilities, counts, features, gate, hybrid, score
from real import DEV_DIRS, ROOT, RealStory, load_dev

from briefing.text import normalise

#: each week scored blind once, and the tree that scored it (docs/evaluation.md; tests/test_quality.py)
BLIND = (
    ("2023-W41", "a086bd3"),
    ("2023-W40", "1af8f38"),
    ("2023-W39", "ead4a62"),
    ("2023-W38", "da9280f"),
    ("2023-W37", "a76a080"),
    ("2023-W36", "9be4f12"),
    ("2023-W35", "ead4a62"),
    ("2023-W49", "c994909"),
    ("2023-W50", "c994909"),
    ("2023-W51", "7c46259"),
    ("2024-W02", "7c46259"),
    ("2024-W03", "7c46259"),
)
#: each hybrid's cuts that the nested choice picks from (fit_themes.py's lists)
FAMILIES: dict[str, tuple[float, ...]] = {
    "b": (0.5, 0.6, 0.7, 0.8, 0.9),
    "c": (0.5, 0.6, 0.7, 0.8),
    "d": (0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
}
#: the other fourteen weeks are split in this many groups (every fourth week) for the nested choice of a cut
INNER = 4
#: run inside an old tree, with its own package: the lexicon's themes and scores of every story
_DUMP = r"""
import dataclasses, json, sys
from datetime import datetime
from pathlib import Path
from briefing.records import Story
from briefing.classify import Classifier, load_themes

names = {f.name for f in dataclasses.fields(Story)}
classifier = Classifier(load_themes())
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for d in sys.argv[2:]:
        for line in (Path(d) / "stories.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            kw = dict(id=raw["id"], source=raw["source"], url=raw["url"], title=raw["title"],
                      summary=raw.get("summary") or "", text=raw.get("text") or "", lang=raw["lang"],
                      published=datetime.fromisoformat(raw["published"]))
            story = Story(**{k: v for k, v in kw.items() if k in names})
            f = classifier.scorer.score(story)
            themes = [t.id for t in classifier.classify(story).themes]
            row = dict(id=raw["id"], themes=themes, title=f.title, lead=f.lead, rest=f.rest, context=f.context,
                       scores=f.scores, chinese=f.chinese, chars=f.chars)
            out.write(json.dumps(row) + "\n")
"""


def lexicon_of(commit: str, cache: Path) -> dict[str, dict[str, Any]]:
    """The lexicon of ``commit`` on every development story, by story id (cached)."""
    out = cache / f"lexicon-{commit}.jsonl"
    if not out.exists():
        tree = cache / f"tree-{commit}"
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
        env = {**os.environ, "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, "-c", _DUMP, str(out), *map(str, DEV_DIRS)], cwd=tree, env=env, check=True)
    rows = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    return {row["id"]: row for row in rows}


class Model:
    """fit_themes.py's n-gram model (the same features and settings), over one tree's lexicon scores; by default
    fitted by liblinear, four times as fast as fit_themes.py's lbfgs (which also regularises the intercept:
    probabilities differ by up to 0.07; ``--solver lbfgs`` for the same fit, about an hour)."""

    def __init__(self, stories: list[RealStory], found: list[SimpleNamespace], solver: str = "liblinear") -> None:
        import numpy as np

        self.solver = solver
        self.stories = stories
        self.heads = [normalise(r.story.title) + " " + normalise(r.story.body)[:300] for r in stories]
        self.dense = {t: np.array([features(f, t) for f in found]) for t in THEMES}  # type: ignore[arg-type]

    def fit_predict(self, train: list[int], test: list[int]) -> Probabilities:
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), min_df=3, sublinear_tf=True)
        words_train = grams.fit_transform([self.heads[i] for i in train])
        words_test = grams.transform([self.heads[i] for i in test])
        out: Probabilities = {i: {} for i in test}
        for theme in THEMES:
            y = [theme in self.stories[i].gold for i in train]
            if sum(y) < 3:
                for i in test:
                    out[i][theme] = 0.0
                continue
            x_train = sp.hstack([words_train, self.dense[theme][train]]).tocsr()
            x_test = sp.hstack([words_test, self.dense[theme][test]]).tocsr()
            model = LogisticRegression(C=3.0, max_iter=5000, solver=self.solver).fit(x_train, y)
            for i, p in zip(test, model.predict_proba(x_test)[:, 1], strict=True):
                out[i][theme] = float(p)
        return out


def decide(
    family: str,
    cut: float | None,
    lexicon: Decisions,
    found: list[SimpleNamespace],
    full: Probabilities,
    gated: Probabilities,
) -> Decisions:
    """One hybrid's decisions on the stories ``full`` covers."""
    if family == "a":
        decided = hybrid(lexicon, found, full)  # type: ignore[arg-type]
    elif family == "b":
        decided = hybrid(lexicon, found, full, promote=cut)  # type: ignore[arg-type]
    elif family == "c":
        decided = hybrid(lexicon, found, full, reorder=False, promote=cut, into_empty=True)  # type: ignore[arg-type]
    else:
        assert cut is not None
        weeks = ["" for _ in lexicon]
        decided = {i: themes for i, themes in gate(lexicon, gated, cut, weeks).items() if i in full}
    return decided


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=None, help="where to unpack the trees and keep their scores")
    parser.add_argument("--solver", default="liblinear", help="the logistic regression's solver (lbfgs: fit_themes's)")
    parser.add_argument("--weeks", nargs="*", help="score these blind weeks only (their decisions are cached)")
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="hybrid-blind-"))
    cache.mkdir(parents=True, exist_ok=True)
    stories = load_dev()
    weeks = sorted({r.week for r in stories})
    of_week = {w: [i for i, r in enumerate(stories) if r.week == w] for w in weeks}
    variants = ["lexicon", "a", *(f"{f} {c}" for f, cuts in FAMILIES.items() for c in cuts)]
    variants += [f"{f} nested" for f in FAMILIES]
    for week, commit in BLIND:
        done = cache / f"decisions-{week}.json"
        if done.exists() or (args.weeks and week not in args.weeks):
            continue
        decisions, line = blind_week(week, commit, cache, stories, of_week, variants, args.solver)
        print(f"{week} ({commit}): cuts chosen on the other fourteen weeks: {line}", flush=True)
        done.write_text(json.dumps({"line": line, "decisions": decisions}), encoding="utf-8")
    pooled: dict[str, Decisions] = {v: {} for v in variants}
    for week, _ in BLIND:
        done = cache / f"decisions-{week}.json"
        if not done.exists():
            return
        for v, decided in json.loads(done.read_text(encoding="utf-8"))["decisions"].items():
            pooled[v].update({int(i): themes for i, themes in decided.items()})
    for week, _ in BLIND:
        print(
            f"{week}: cuts chosen on the other weeks: "
            + json.loads((cache / f"decisions-{week}.json").read_text())["line"]
        )
    print_tables(stories, of_week, pooled, variants)


def blind_week(
    week: str,
    commit: str,
    cache: Path,
    stories: list[RealStory],
    of_week: dict[str, list[int]],
    variants: list[str],
    solver: str,
) -> tuple[dict[str, Decisions], str]:
    """Every variant's decisions on ``week``, the lexicon being that of ``commit``, and the cuts chosen."""
    rows = lexicon_of(commit, cache)
    found = [SimpleNamespace(**rows[r.story.id]) for r in stories]
    lexicon: Decisions = {i: list(rows[r.story.id]["themes"]) for i, r in enumerate(stories)}
    empty = {i for i, themes in lexicon.items() if not themes}
    model = Model(stories, found, solver)

    def fold(train_weeks: list[str], test_weeks: list[str]) -> tuple[Probabilities, Probabilities]:
        train = [i for w in train_weeks for i in of_week[w]]
        test = [i for w in test_weeks for i in of_week[w]]
        full = model.fit_predict(train, test)
        gated = model.fit_predict([i for i in train if i in empty], [i for i in test if i in empty])
        return full, gated

    others = [w for w in weeks_of(of_week) if w != week]
    full, gated = fold(others, [week])
    inner_full: Probabilities = {}
    inner_gated: Probabilities = {}
    for group in range(INNER):
        held = others[group::INNER]
        f, g = fold([w for w in others if w not in held], held)
        inner_full.update(f)
        inner_gated.update(g)
    inner = [i for w in others for i in of_week[w]]
    base = sum(counts(stories, lexicon, inner))
    chosen: dict[str, float] = {}
    line = []
    for family, cuts in FAMILIES.items():
        gains = {
            c: sum(counts(stories, decide(family, c, lexicon, found, inner_full, inner_gated), inner)) - base
            for c in cuts
        }
        chosen[family] = max(cuts, key=lambda c: (gains[c], c))
        line.append(f"{family} {chosen[family]} (gain {gains[chosen[family]]:+d})")
    decisions: dict[str, Decisions] = {}
    for v in variants:
        if v == "lexicon":
            decisions[v] = {i: lexicon[i] for i in of_week[week]}
        elif v == "a":
            decisions[v] = decide("a", None, lexicon, found, full, gated)
        elif v.endswith("nested"):
            decisions[v] = decide(v[0], chosen[v[0]], lexicon, found, full, gated)
        else:
            family, cut = v.split()
            decisions[v] = decide(family, float(cut), lexicon, found, full, gated)
    return decisions, ", ".join(line)


def weeks_of(of_week: dict[str, list[int]]) -> list[str]:
    return sorted(of_week)


def print_tables(
    stories: list[RealStory], of_week: dict[str, list[int]], pooled: dict[str, Decisions], variants: list[str]
) -> None:
    blind = [w for w, _ in BLIND]
    every = [i for w in blind for i in of_week[w]]

    def figures(decided: Decisions, part: list[int]) -> tuple[float, float, float]:
        primary, empty, macro, _ = score([stories[i] for i in part], {n: decided[i] for n, i in enumerate(part)})
        return primary, empty, macro

    print("\nthe lexicon of the blind tree, each week (primary / no-theme kept empty / macro-F1; gold, no-theme):")
    for w in blind:
        gold = sum(bool(stories[i].gold) for i in of_week[w])
        p, e, m = figures(pooled["lexicon"], of_week[w])
        print(f"  {w}  {p:.3f} / {e:.3f} / {m:.3f}  ({gold} with a theme, {len(of_week[w]) - gold} none)")
    p, e, m = figures(pooled["lexicon"], every)
    print(f"  pooled    {p:.3f} / {e:.3f} / {m:.3f}")
    print("\neach hybrid: pooled figures | each week, stories gained or lost on primary / no-theme, macro-F1 change")
    for v in variants[1:]:
        p, e, m = figures(pooled[v], every)
        cells = []
        for w in blind:
            (p0, e0), (p1, e1) = counts(stories, pooled["lexicon"], of_week[w]), counts(stories, pooled[v], of_week[w])
            m0, m1 = figures(pooled["lexicon"], of_week[w])[2], figures(pooled[v], of_week[w])[2]
            cells.append(f"{w[2:4]}{w[-3:]} {p1 - p0:+d}/{e1 - e0:+d}/{m1 - m0:+.3f}")
        print(f"{v:10} {p:.3f} / {e:.3f} / {m:.3f} | " + "  ".join(cells))


if __name__ == "__main__":
    main()
