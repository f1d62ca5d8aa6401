"""Write the text each story is embedded by (its headline and the first 200 characters of its body, NFKC)
for the real development set and the written set's dev split, keyed by the lower-case headline that
``events.EventText.title`` holds: ``python benchmarks/embed/dump_texts.py OUT.jsonl``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quality import load_eval
from real import load_real

from briefing.text import nfkc

LEAD = 200


def main() -> int:
    stories = [r.story for r in load_real()] + [g.story for g in load_eval() if g.split == "dev"]
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for s in stories:
            title = nfkc(s.title)
            body = nfkc(s.body) if s.body else ""
            f.write(
                json.dumps({"id": s.id, "key": title.lower(), "text": f"{title}\n{body[:LEAD]}"}, ensure_ascii=False)
                + "\n"
            )
    print(f"{len(stories)} stories", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
