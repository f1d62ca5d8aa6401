"""How the embedding cosine of two stories published within 72 hours of each other is distributed, for
pairs of one gold event and the others, in one language and across two: ``python
benchmarks/embed/distribution.py VECTORS.npz``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from real import load_real

WINDOW = 72 * 3600


def main() -> int:
    data = np.load(sys.argv[1])
    row = {str(i): k for k, i in enumerate(data["ids"])}
    stories = load_real()
    v = data["vectors"][[row[r.story.id] for r in stories]]
    sims = v @ v.T
    t = np.array([r.story.published.timestamp() for r in stories])
    ev = np.array([r.event for r in stories])
    zh = np.array([r.story.lang == "zh" for r in stories])
    i, j = np.triu_indices(len(stories), 1)
    near = np.abs(t[i] - t[j]) <= WINDOW
    i, j = i[near], j[near]
    gold, cross, s = ev[i] == ev[j], zh[i] != zh[j], sims[i, j]
    qs = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)
    print("cosine quantiles " + " ".join(f"q{int(q * 100):02d}" for q in qs))
    for name, m in (("one language", ~cross), ("two languages", cross)):
        for label, g in (("gold pairs", gold), ("other pairs", ~gold)):
            x = s[m & g]
            print(f"{name:14} {label:11} n={len(x):6d} " + " ".join(f"{q:.3f}" for q in np.quantile(x, qs)))
        pos, neg = s[m & gold], s[m & ~gold]
        for thr in (0.85, 0.88, 0.9, 0.92, 0.94):
            print(
                f"   at cosine >= {thr}: {np.mean(pos >= thr):.3f} of gold pairs, {int(np.sum(neg >= thr))} other pairs"
            )
        # how well the cosine ranks alone: the area under the ROC curve
        order = np.argsort(np.concatenate([pos, neg]))
        ranks = np.empty(len(order))
        ranks[order] = np.arange(1, len(order) + 1)
        auc = (ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
        print(f"   ROC AUC {auc:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
