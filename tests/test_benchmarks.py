"""The performance benchmark runs and prints its table; its corpus is deterministic and labelled as promised.

No timing is asserted here: the figures belong to ``python benchmarks/perf.py`` on a quiet machine.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus import corpus, to_json

ROOT = Path(__file__).resolve().parent.parent


def test_corpus_is_deterministic_mixed_and_labelled() -> None:
    items = corpus(400, seed=3)
    assert [to_json(x.story) for x in items] == [to_json(x.story) for x in corpus(400, seed=3)]
    assert [x.story.id for x in items] != [x.story.id for x in corpus(400, seed=4)]
    kinds = Counter(x.kind for x in items)
    assert kinds == {"original": 320, "copy": 40, "edit": 20, "rewrite": 20}
    assert {x.story.lang for x in items} == {"en", "zh"}
    ids = {x.story.id for x in items}
    assert len(ids) == len(items)
    by_id = {x.story.id: x for x in items}
    for x in items:
        if x.kind == "original":
            assert x.of is None
        else:
            assert x.of in ids and by_id[x.of].event == x.event and by_id[x.of].kind == "original"
    times = [x.story.published.timestamp() for x in items if x.story.published]
    assert len(times) == len(items) and times == sorted(times)  # as a store returns them


@pytest.mark.slow  # seconds, not milliseconds: make test runs it, make test-fast does not
def test_benchmark_prints_its_table_on_a_small_corpus() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "perf.py"),
            "--sizes",
            "150,300",
            "--runs",
            "1",
            "--naive-max",
            "300",
            "--dag-runs",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["stories"])
    for column in ("dedup s", "classify s", "total s", "stories/s", "peak RSS MB", "exponent", "naive s", "x faster"):
        assert column in header
    rows = {line.split()[0]: line for line in lines if line.split()[:1] in (["150"], ["300"])}
    assert set(rows) == {"150", "300"}
    assert "same clusters" in rows["150"] and "same clusters" in rows["300"]
