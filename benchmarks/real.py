"""The real development set (``../shared/real``: real feed items with hand-made labels, W42-W44; and
``benchmarks/data/real-2023-W41`` back to ``-W35``, ``-W49`` to ``-W51``, ``real-2024-W02`` and ``-W03``: weeks
built the same way, each scored blind once and then added), as records.

``load_real()`` reads ``stories.jsonl`` and ``labels.jsonl`` into ``RealStory`` records: the story (SPEC's
record) with its gold themes (main first), its event id, its kind (news, feature, digest, ad) and its ISO
week. ``load_dev()`` reads every development week. The benchmarks that measure the briefing on real news
(``quality.py --real``) and refit the same-event model (``fit_events.py``) and the theme model (``fit_themes.py``)
share it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing.records import Story

ROOT = Path(__file__).resolve().parent.parent
#: where the real development set lies: beside the checkout, as ``shared/real``
REAL_DIR = ROOT.parent / "shared" / "real"
#: more real weeks, labelled by the same guide; each scored blind once (docs/evaluation.md), then
#: development data like the rest
W03_2024_DIR = ROOT / "benchmarks" / "data" / "real-2024-W03"
W02_2024_DIR = ROOT / "benchmarks" / "data" / "real-2024-W02"
W51_DIR = ROOT / "benchmarks" / "data" / "real-2023-W51"
W50_DIR = ROOT / "benchmarks" / "data" / "real-2023-W50"
W49_DIR = ROOT / "benchmarks" / "data" / "real-2023-W49"
W41_DIR = ROOT / "benchmarks" / "data" / "real-2023-W41"
W40_DIR = ROOT / "benchmarks" / "data" / "real-2023-W40"
W39_DIR = ROOT / "benchmarks" / "data" / "real-2023-W39"
W38_DIR = ROOT / "benchmarks" / "data" / "real-2023-W38"
W37_DIR = ROOT / "benchmarks" / "data" / "real-2023-W37"
W36_DIR = ROOT / "benchmarks" / "data" / "real-2023-W36"
W35_DIR = ROOT / "benchmarks" / "data" / "real-2023-W35"
#: every week of real development data
DEV_DIRS = (
    REAL_DIR,
    W03_2024_DIR,
    W02_2024_DIR,
    W51_DIR,
    W50_DIR,
    W49_DIR,
    W41_DIR,
    W40_DIR,
    W39_DIR,
    W38_DIR,
    W37_DIR,
    W36_DIR,
    W35_DIR,
)
_SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class RealStory:
    story: Story
    gold: tuple[str, ...]
    event: str
    kind: str
    week: str


def load_real(directory: Path = REAL_DIR) -> list[RealStory]:
    """Every labelled story, in file order."""
    if not (directory / "stories.jsonl").exists():
        raise SystemExit(
            f"{directory}: no stories.jsonl (the real development set lies in ../shared/real beside the checkout)"
        )
    labels = {}
    for line in (directory / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["id"]] = row
    out = []
    for line in (directory / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        published = datetime.fromisoformat(raw["published"])
        story = Story(
            id=raw["id"],
            source=raw["source"],
            url=raw["url"],
            title=raw["title"],
            summary=raw.get("summary") or "",
            text=raw.get("text") or "",
            lang=raw["lang"],
            published=published,
        )
        iso = published.astimezone(_SHANGHAI).isocalendar()
        label = labels[raw["id"]]
        out.append(RealStory(story, tuple(label["gold"]), label["event"], label["kind"], f"{iso.year}-W{iso.week:02d}"))
    return out


def load_dev() -> list[RealStory]:
    """Every labelled story of every development week (``DEV_DIRS``), in file order."""
    return [story for directory in DEV_DIRS for story in load_real(directory)]
