"""Whether a Chinese story that credits a Western outlet ("据彭博社报道", "据《华尔街日报》报道") and that
outlet's own English report of the week are one event: a measurement over the development weeks
(``DEV_DIRS``), nothing that ships.

For each week, the pairs of a Chinese and an English story published within ``--hours`` of each other that
share a name of ``config/names.yaml`` (an ``@id``) and where the Chinese story (headline and text) names
an outlet that is the English story's source ("strict"), or that the English story is from or names too
("broad": "according to Reuters" on both sides). Counted: gold pairs (one event) and pairs of two events,
and how many the shipped dedup already joins. Then the same-event model's candidate pairs with either
property: where the shipped model puts them, and a week-out logistic refit (scikit-learn, a development
tool) on the candidate pairs with the property as one more feature, at ``SAME_EVENT``, vetoed pairs kept
apart: a cheap stand-in for ``fit_events.py``.

    python benchmarks/relay_credits.py [--hours 72] [--lead 0]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real import DEV_DIRS, RealStory, load_real

import briefing.dedup._events as events
from briefing.dedup import KeywordReader, dedup
from briefing.dedup._candidates import _event_candidates
from briefing.dedup._linkage import SAME_EVENT
from briefing.text import nfkc

#: an outlet, the development weeks' sources that are its, and how a text names it (lower case)
OUTLETS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "wsj": (frozenset({"en-wsj-tech"}), ("华尔街日报", "wsj", "wall street journal")),
    "nyt": (frozenset({"en-nyt-tech"}), ("纽约时报", "new york times")),
    "bbc": (frozenset({"en-bbc-tech"}), ("bbc", "英国广播公司")),
    "scmp": (frozenset({"en-scmp-china"}), ("南华早报", "south china morning post")),
    "verge": (frozenset({"en-theverge"}), ("the verge", "theverge")),
    "wapo": (frozenset({"en-wapo-tech"}), ("华盛顿邮报", "washington post")),
    "bloomberg": (frozenset({"en-bloomberg-politics"}), ("彭博", "bloomberg")),
    "ft": (frozenset({"en-ft-world"}), ("金融时报", "financial times")),
    "ars": (frozenset({"en-arstechnica"}), ("ars technica",)),
    "engadget": (frozenset({"en-engadget"}), ("engadget",)),
    "reuters": (frozenset(), ("路透", "reuters")),
    "the-information": (frozenset(), ("the information",)),
    "ap": (frozenset(), ("美联社", "associated press")),
    "cnbc": (frozenset(), ("cnbc",)),
    "nikkei": (frozenset(), ("日经", "nikkei")),
}


def credited(r: RealStory, lead: int = 0) -> set[str]:
    """The outlets a story's headline or text (its first ``lead`` characters, if not 0) names."""
    body = r.story.body or ""
    text = nfkc(r.story.title + "\n" + (body[:lead] if lead else body)).lower()
    return {o for o, (_, names) in OUTLETS.items() if any(n in text for n in names)}


def cell(count: Counter[str], kind: str) -> str:
    """A table cell: gold pairs / pairs of two events (of them, joined by the shipped dedup)."""
    gold, false = count[f"{kind} gold"], count[f"{kind} false"]
    return f"{gold} / {false} ({count[f'{kind} gold joined']} / {count[f'{kind} false joined']})"


def own(r: RealStory) -> set[str]:
    return {o for o, (sources, _) in OUTLETS.items() if r.story.source in sources}


def relay(
    zh: RealStory, en: RealStory, outs: dict[str, set[str]], names: dict[str, set[str]], hours: float, limit: float
) -> tuple[bool, bool]:
    """(strict, broad) for a Chinese and an English story."""
    if hours > limit or not names[zh.story.id] & names[en.story.id]:
        return False, False
    cited = outs[zh.story.id]
    return bool(cited & own(en)), bool(cited & (own(en) | outs[en.story.id]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=72.0)
    parser.add_argument("--lead", type=int, default=0, help="read only the text's first LEAD characters (0: all)")
    args = parser.parse_args()
    reader = KeywordReader()
    rows: list[tuple[list[float], int, str, bool, bool, float]] = []
    print("| week | cross-language gold pairs | strict: gold / two events (joined already) | broad: the same |")
    print("|---|---|---|---|")
    for d in DEV_DIRS:
        stories = load_real(d)
        words = [events.event_words(nfkc(r.story.title), nfkc(r.story.body), reader) for r in stories]
        weight = events.batch_weight(words)
        texts = [events.weigh(w, weight) for w in words]
        times = [r.story.published.timestamp() for r in stories]
        outs = {r.story.id: credited(r, args.lead) for r in stories}
        names = {r.story.id: {n for n in w.names if n.startswith("@")} for r, w in zip(stories, words, strict=True)}
        cluster = {m: c.id for c in dedup([r.story for r in stories]) for m in c.members}
        count: Counter[str] = Counter()
        for a, b in itertools.combinations(stories, 2):
            if a.story.lang == b.story.lang:
                continue
            zh, en = (a, b) if a.story.lang == "zh" else (b, a)
            gold = a.event == b.event
            count["cross"] += gold
            hours = abs(a.story.published.timestamp() - b.story.published.timestamp()) / 3600
            for kind, flag in zip(("strict", "broad"), relay(zh, en, outs, names, hours, args.hours), strict=True):
                if flag:
                    count[f"{kind} {'gold' if gold else 'false'}"] += 1
                    count[f"{kind} {'gold' if gold else 'false'} joined"] += cluster[a.story.id] == cluster[b.story.id]
        print(
            f"| {d.name.removeprefix('real-')} | {count['cross']} | {cell(count, 'strict')} | {cell(count, 'broad')} |"
        )
        for i, j in _event_candidates(texts, times):
            a, b = stories[i], stories[j]
            hours = abs(times[i] - times[j]) / 3600
            cross, same = a.story.lang != b.story.lang, a.story.source == b.story.source
            strict = broad = False
            if cross:
                zh, en = (a, b) if a.story.lang == "zh" else (b, a)
                strict, broad = relay(zh, en, outs, names, hours, args.hours)
            p = events.same_event_probability(texts[i], texts[j], hours, same, cross)
            x = list(events.features(texts[i], texts[j], hours, same, cross))
            rows.append((x, int(a.event == b.event), a.week, strict, broad, p))
    week_out(rows)
    return 0


def week_out(rows: list[tuple[list[float], int, str, bool, bool, float]]) -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    y = np.array([r[1] for r in rows])
    p = np.array([r[5] for r in rows])
    weeks = np.array([r[2] for r in rows])
    vetoed = p == 0
    for k, name in ((3, "strict"), (4, "broad")):
        bands: Counter[tuple[str, str]] = Counter()
        for r in rows:
            if r[k]:
                band = "vetoed" if not r[5] else "joins" if r[5] >= SAME_EVENT else "0.1+" if r[5] >= 0.1 else "<0.1"
                bands["gold" if r[1] else "two events", band] += 1
        print(f"candidate pairs, {name}: {dict(sorted(bands.items()))}")
    for k, name in ((None, "shipped features"), (3, "+ strict"), (4, "+ broad")):
        x = np.array([r[0] + ([float(r[k])] if k is not None else []) for r in rows])  # type: ignore[index]
        cells = []
        tp = fp = fn = 0
        for w in sorted(set(weeks)):
            test = weeks == w
            model = LogisticRegression(max_iter=5000).fit(x[~test & ~vetoed], y[~test & ~vetoed])
            yes = (model.predict_proba(x[test])[:, 1] >= SAME_EVENT) & ~vetoed[test]
            gold = y[test] == 1
            a, b, c = int((yes & gold).sum()), int((yes & ~gold).sum()), int((~yes & gold).sum())
            tp, fp, fn = tp + a, fp + b, fn + c
            cells.append(f"{w[5:]} +{a} -{b}")
        model = LogisticRegression(max_iter=5000).fit(x[~vetoed], y[~vetoed])
        extra = f", weight {model.coef_[0][-1]:+.2f}" if k is not None else ""
        figures = f"P {tp / (tp + fp):.3f} R {tp / (tp + fn):.3f}"
        print(f"week-out candidate pairs, {name}{extra}: {figures}; " + ", ".join(cells))


if __name__ == "__main__":
    raise SystemExit(main())
