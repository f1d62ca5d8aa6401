#!/usr/bin/env python3
"""Count the document frequencies of the words the same-event model of ``briefing.dedup`` reads over real
news items, and write ``briefing/data/document_frequencies.tsv.gz``.

Usage: scripts/build_frequencies.py [REAL_DIR]   (default ../shared/real)

Every item of the real snapshots (``raw/*/*.jsonl``: the link database's daily dumps and the rolling
feeds' items) and of ``stories.jsonl`` counts once, by its headline and lead, as ``events.event_text``
reads them. No label is read: the table says how common a word is in news, nothing about events. Words
carried by a single item are left out (a word not in the table counts as the rarest).
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.dedup import EVENT_LEAD_CHARS as LEAD_CHARS  # noqa: E402
from briefing.dedup import FREQUENCIES, KeywordReader, tokens  # noqa: E402
from briefing.text import HAN_RUN_RE, html_to_text, nfkc  # noqa: E402


def items(real: Path) -> dict[str, tuple[str, str]]:
    """Every item once, by its link: (title, text)."""
    out: dict[str, tuple[str, str]] = {}
    files = sorted(real.glob("raw/*/*.jsonl")) + [real / "stories.jsonl"]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            link = row.get("link") or row.get("url") or row.get("id") or row.get("title", "")
            body = row.get("text") or row.get("summary") or row.get("description") or ""
            out.setdefault(link, (row.get("title") or "", html_to_text(body) if "<" in body else body))
    return out


def main() -> int:
    real = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "real"
    reader = KeywordReader()
    df: Counter[str] = Counter()
    found = items(real)
    for title, body in found.values():
        title, body = nfkc(title), nfkc(body)
        lead = body[:LEAD_CHARS]
        if HAN_RUN_RE.search(lead[:40]):
            lead = lead[: LEAD_CHARS // 2]
        words = set(tokens(title)) | set(tokens(lead))
        words.update(w for w in reader.read(title, body).neutral if not w.startswith("#"))
        words.update(reader.concepts(title) | reader.concepts(lead))
        df.update(words)
    FREQUENCIES.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"documents\t{len(found)}"] + [f"{w}\t{c}" for w, c in sorted(df.items()) if c > 1]
    with gzip.GzipFile(FREQUENCIES, "wb", mtime=0) as out:  # mtime 0: the same bytes for the same counts
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{FREQUENCIES}: {len(found)} items, {len(lines) - 1} words carried by two or more", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
