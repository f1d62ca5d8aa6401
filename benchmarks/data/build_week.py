"""Build a real-news week (stories.jsonl, labels.jsonl, stats.json) from its folder's raw/ and labels.tsv.

Each week lives in ``benchmarks/data/real-<week>/``; run with the project venv's python:

    python benchmarks/data/build_week.py 2023-W41            # raw/ + labels.tsv -> stories.jsonl, labels.jsonl, stats
    python benchmarks/data/build_week.py 2023-W41 --extract  # first re-extract the Chinese rolling-feed items
                                                             # from the development set's raw union files

A week's window is Monday 00:00 to the next Monday 00:00 Asia/Shanghai; `published` is written with +08:00.
"""

from __future__ import annotations

import collections
import hashlib
import html
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

DATA = Path(__file__).resolve().parent
#: the development set's raw files, beside the checkout (../shared/real/raw)
DEV_RAW = DATA.parent.parent.parent / "shared" / "real" / "raw"
TZ8 = timezone(timedelta(hours=8))
THEMES = {"compute", "energy", "policy", "chips", "ai-models", "science"}
KINDS = {"news", "feature", "digest", "ad"}


@dataclass(frozen=True)
class Week:
    """A week's folder and window, and the rolling Chinese feeds whose W42 union files (dev raw) still held
    items of it."""

    tag: str  # "2023-W41"
    monday: date
    union: tuple[str, ...]

    @property
    def folder(self) -> Path:
        return DATA / f"real-{self.tag}"

    @property
    def raw(self) -> Path:
        return self.folder / "raw"

    @property
    def lo(self) -> datetime:
        return datetime(self.monday.year, self.monday.month, self.monday.day, tzinfo=TZ8)

    @property
    def hi(self) -> datetime:
        return self.lo + timedelta(days=7)

    @property
    def prefix(self) -> str:
        return f"w{self.tag[-2:]}-ev-"


WEEKS = {
    w.tag: w
    for w in (
        Week("2023-W35", date(2023, 8, 28), ()),
        Week("2023-W36", date(2023, 9, 4), ("zh-ifanr",)),
        Week("2023-W37", date(2023, 9, 11), ("zh-ifanr",)),
        Week("2023-W38", date(2023, 9, 18), ("zh-sspai", "zh-ifanr")),
        Week("2023-W39", date(2023, 9, 25), ("zh-ifanr",)),
        Week("2023-W40", date(2023, 10, 2), ("zh-infoq-ai", "zh-ifanr")),
        Week(
            "2023-W41",
            date(2023, 10, 9),
            ("zh-36kr-tech", "zh-36kr-finance", "zh-infoq-ai", "zh-ithome-digi", "zh-sspai", "zh-ifanr"),
        ),
        Week("2023-W49", date(2023, 12, 4), ()),  # English day files in RSS-Link-Database-2024
        Week("2023-W50", date(2023, 12, 11), ()),
        Week("2023-W51", date(2023, 12, 18), ()),
        Week("2024-W02", date(2024, 1, 8), ()),  # CES week; day files in RSS-Link-Database-2024's 2024/01
        Week("2024-W03", date(2024, 1, 15), ()),  # Davos week; same sources as 2024-W02
        Week("2024-W04", date(2024, 1, 22), ()),  # FTC AI inquiry, Apple DMA, Taylor Swift deepfakes; same sources
        Week("2024-W05", date(2024, 1, 29), ()),  # Neuralink, Senate child-safety hearing, Vision Pro; same sources
    )
}
# English feeds that the dev set filtered by cue words (the others are kept whole).
FILTERED_EN = {"en-arstechnica", "en-engadget", "en-theverge", "en-wapo-tech"}
EN_CUE = re.compile(
    r"\b(China|Chinese|Beijing|Hong Kong|Taiwan|Xi|Huawei|Alibaba|Tencent|Baidu|ByteDance|TikTok Shop|"
    r"chips?|semiconductors?|Nvidia|TSMC|Intel|AMD|Qualcomm|Snapdragon|GPUs?|processors?|"
    r"AI|A\.I\.|artificial intelligence|OpenAI|ChatGPT|chatbots?|generative|LLMs?|deepfakes?)\b"
)
GPT_BLOCK_AT = 400  # an RSS-GPT "关键词/总结" block starts within the first characters


def sha12(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]


def to8(stamp: str) -> datetime:
    try:
        dt = datetime.fromisoformat(stamp)
    except ValueError:
        dt = parsedate_to_datetime(stamp)
    return dt.astimezone(TZ8)


def html_text(raw: str) -> str:
    raw = re.sub(r"<figcaption>(.*?)</figcaption>", r"\1\n", raw, flags=re.S)
    raw = re.sub(r"</(p|h\d|li|div|figure)>|<br\s*/?>", "\n", raw)
    text = html.unescape(re.sub(r"<[^>]+>", "", raw))
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def split_gpt(text: str) -> tuple[str, str]:
    """Cut a leading RSS-GPT keyword/summary paragraph; return (ai_summary, text)."""
    at = max(text.find("总结:"), text.find("总结："))
    if at < 0 or at > GPT_BLOCK_AT:
        return "", text
    end = text.find("。 ", at)
    if end < 0:
        return "", text
    return text[: end + 1].strip(), text[end + 2 :].strip()


def lang_of(title: str) -> str:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", title))
    return "zh" if cjk >= 2 else "en"


def record(source: str, url: str, title: str, body: str, when: datetime, feed: str) -> dict:
    return {
        "id": sha12(url), "source": source, "url": url, "title": title.strip(),
        "summary": body, "text": body, "lang": lang_of(title),
        "published": when.isoformat(), "feeds": [feed],
    }


def load_en(wk: Week) -> list[dict]:
    out = []
    for path in sorted(wk.raw.glob(f"en-*/{wk.tag}.jsonl")):
        source = path.parent.name
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if source in FILTERED_EN and not EN_CUE.search(row["t"] + " " + row["d"]):
                raise SystemExit(f"{source}: kept item without a cue word: {row['t']}")
            out.append(record(source, row["u"], row["t"], html_text(row["d"]), to8(row["p"]), f"{source}/{wk.tag}"))
    return out


def load_union(wk: Week) -> list[dict]:
    out = []
    for source in wk.union:
        path = wk.raw / source / f"{wk.tag}.items.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            ai, body = split_gpt(row["text"])
            rec = record(source, row["link"], row["title"], body, to8(row["published"]), f"{source}/2023-W42.items")
            if ai:
                rec["ai_summary"] = ai
            out.append(rec)
    return out


def load_36kr(wk: Week) -> list[dict]:
    path = wk.raw / "36kr-rssgpt" / f"36kr.{wk.tag}.items.jsonl"
    out: list[dict] = []
    if not path.exists():  # a week after the dev snapshot (October) has no 36kr items
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = html_text(row["html"])
        out.append(record("36kr", row["link"], row["title"], body, to8(row["published"]), "36kr.2023-W42.xml"))
    return out


def load_xwlb(wk: Week) -> list[dict]:
    out = []
    for line in (wk.raw / "zh-xwlb" / f"{wk.tag}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = row["x"].replace("央视网消息（新闻联播）：", "").strip()
        when = datetime.fromisoformat(row["date"] + "T19:00:00+08:00")
        rec = record("zh-xwlb", row["u"], row["t"], body, when, f"zh-xwlb/{wk.tag}.jsonl")
        rec["summary"] = body[:600]
        rec["xwlb_item"] = row["n"]
        out.append(rec)
    return out


def load_qq(wk: Week) -> list[dict]:
    out = []
    for line in (wk.raw / "zh-qqnews" / f"{wk.tag}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        # No article URL in the archive: the stable address of the archived file stands in for it.
        url = f"https://github.com/nuz007/qqnews/blob/main/{row['day']}/{row['t']}.md"
        when = datetime.fromisoformat(row["day"] + "T12:00:00+08:00")
        rec = record("zh-qqnews", url, row["t"], row["x"], when, f"zh-qqnews/{wk.tag}.jsonl")
        rec["summary"] = row["x"][:600]
        out.append(rec)
    return out


def merge(stories: list[dict]) -> list[dict]:
    by_id: dict[str, dict] = {}
    for rec in stories:
        old = by_id.get(rec["id"])
        if old is None:
            by_id[rec["id"]] = rec
            continue
        feeds = old["feeds"] + [f for f in rec["feeds"] if f not in old["feeds"]]
        keep = rec if len(rec["text"]) > len(old["text"]) else old
        if keep is rec and "ai_summary" in old and "ai_summary" not in rec:
            rec["ai_summary"] = old["ai_summary"]
        keep["feeds"] = feeds
        by_id[rec["id"]] = keep
    return list(by_id.values())


def extract_dev_raw(wk: Week) -> None:
    """Copy this week's items out of the dev set's W42 union files and 36kr RSS-GPT snapshot."""
    for source in wk.union:
        rows = [json.loads(x) for x in (DEV_RAW / source / "2023-W42.items.jsonl").read_text().splitlines()]
        keep = [r for r in rows if wk.lo <= to8(r["published"]) < wk.hi]
        dest = wk.raw / source / f"{wk.tag}.items.jsonl"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
    xml = (DEV_RAW / "36kr-rssgpt" / "36kr.2023-W42.xml").read_text(encoding="utf-8")
    rows = []
    for item in re.findall(r"<item>(.*?)</item>", xml, re.S):
        when = parsedate_to_datetime(re.search(r"<pubDate>(.*?)</pubDate>", item).group(1))
        if not wk.lo <= when < wk.hi:
            continue
        content = re.search(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", item, re.S)
        rows.append({
            "title": html.unescape(re.search(r"<title>(.*?)</title>", item, re.S).group(1)),
            "link": re.search(r"<link>(.*?)</link>", item, re.S).group(1).strip(),
            "published": when.isoformat(), "html": content.group(1) if content else "",
        })
    dest = wk.raw / "36kr-rssgpt" / f"36kr.{wk.tag}.items.jsonl"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def build_stories(wk: Week) -> list[dict]:
    stories = merge(load_en(wk) + load_union(wk) + load_36kr(wk) + load_xwlb(wk) + load_qq(wk))
    inside = [s for s in stories if wk.lo <= datetime.fromisoformat(s["published"]) < wk.hi]
    if len(inside) != len(stories):
        print(f"dropped {len(stories) - len(inside)} raw items outside the window", file=sys.stderr)
    stories = inside
    stories.sort(key=lambda s: (s["lang"], s["source"], s["published"], s["id"]))
    return stories


def read_labels(wk: Week, ids: set[str]) -> list[dict]:
    labels = []
    for n, line in enumerate((wk.folder / "labels.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        sid, gold, event, kind, note = (line.split("\t") + [""] * 5)[:5]
        themes = [g for g in gold.split(",") if g]
        bad = [g for g in themes if g not in THEMES]
        if bad or kind not in KINDS or sid not in ids or not event.startswith(wk.prefix):
            raise SystemExit(f"labels.tsv line {n}: bad row {line!r}")
        labels.append({"id": sid, "gold": themes, "event": event, "kind": kind, "note": note})
    return labels


def check(wk: Week, stories: list[dict], labels: list[dict]) -> None:
    ids = [s["id"] for s in stories]
    assert len(ids) == len(set(ids)), "duplicate story id"
    lab = [x["id"] for x in labels]
    assert len(lab) == len(set(lab)), "duplicate label id"
    assert set(lab) == set(ids), f"unlabelled: {sorted(set(ids) - set(lab))[:5]}"
    others = [DEV_RAW.parent / "stories.jsonl"] + [w.folder / "stories.jsonl" for w in WEEKS.values() if w != wk]
    for other in (path for path in others if path.exists()):
        dev = {json.loads(x)["id"] for x in other.read_text().splitlines()}
        assert not dev & set(ids), f"story also in {other}"
    for s in stories:
        assert s["lang"] == ("en" if s["source"].startswith("en-") else "zh"), s["id"]


def line(s: dict) -> str:
    return f"{s['id']} {s['source']} {s['published'][5:10]} {s['title'][:70]}"


def stats(stories: list[dict], labels: list[dict]) -> dict:
    lab = {x["id"]: x for x in labels}
    src = collections.Counter(s["source"] for s in stories)
    events = collections.defaultdict(list)
    for s in stories:
        events[lab[s["id"]]["event"]].append(s)
    multi = {e: m for e, m in events.items() if len(m) > 1}
    cross = [e for e, m in multi.items() if len({s["lang"] for s in m}) > 1]
    any_t = collections.Counter(t for x in labels for t in x["gold"])
    main_t = collections.Counter(x["gold"][0] for x in labels if x["gold"])
    return {
        "stories": len(stories), "lang": dict(collections.Counter(s["lang"] for s in stories)),
        "sources": dict(sorted(src.items())), "kinds": dict(collections.Counter(x["kind"] for x in labels)),
        "themes_any": dict(any_t), "themes_main": dict(main_t),
        "no_theme": sum(1 for x in labels if not x["gold"]), "events": len(events),
        "multi_story_events": len(multi), "stories_in_multi": sum(len(m) for m in multi.values()),
        "cross_language_events": sorted(cross),
        "multi": {e: [line(s) for s in m] for e, m in sorted(multi.items())},
    }


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in WEEKS:
        raise SystemExit(f"usage: build_week.py WEEK [--extract]; WEEK is one of {', '.join(WEEKS)}")
    wk = WEEKS[sys.argv[1]]
    if "--extract" in sys.argv:
        extract_dev_raw(wk)
    stories = build_stories(wk)
    with open(wk.folder / "stories.jsonl", "w", encoding="utf-8") as fh:
        for s in stories:
            fh.write(json.dumps(s, ensure_ascii=False) + "\n")
    if not (wk.folder / "labels.tsv").exists():
        print(f"{len(stories)} stories; no labels.tsv yet")
        return
    labels = read_labels(wk, {s["id"] for s in stories})
    order = {s["id"]: n for n, s in enumerate(stories)}
    labels.sort(key=lambda x: order[x["id"]])
    check(wk, stories, labels)
    with open(wk.folder / "labels.jsonl", "w", encoding="utf-8") as fh:
        for x in labels:
            fh.write(json.dumps(x, ensure_ascii=False) + "\n")
    out = stats(stories, labels)
    (wk.folder / "stats.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "multi"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
