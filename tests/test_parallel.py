"""briefing.parallel: a large batch over several processes gives what one process gives, in order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence

import pytest

from briefing import parallel
from briefing.classify import Classifier, load_themes
from briefing.records import Story


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i, os.getpid()) for i in items]


def test_a_large_batch_runs_in_other_processes_in_order() -> None:
    if parallel.workers() < 2:
        pytest.skip("this machine gives the process one core, so nothing runs in parallel")
    out = parallel.chunked_map(_pids, list(range(1000)), parallel_from=100)
    assert [i for i, _ in out] == list(range(1000))
    assert len({pid for _, pid in out}) >= 2 and os.getpid() not in {pid for _, pid in out}


def test_a_small_batch_stays_here() -> None:
    out = parallel.chunked_map(_pids, list(range(50)), parallel_from=100)
    assert {pid for _, pid in out} == {os.getpid()}


def test_a_daemon_process_never_forks() -> None:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=lambda: queue.put(parallel.workers()), daemon=True)
    child.start()
    child.join(30)
    assert queue.get(timeout=5) == 1


def test_classifying_on_every_core_gives_the_same_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    stories = [
        Story(id=f"s{i}", source="s", url="", title=title, text=text, lang="en")
        for i, (title, text) in enumerate(
            [("SMIC reports record revenue", "The foundry's fabs ran full."), ("State Grid opens UHV line", "The line carries wind power.")] * 20
        )
    ]
    classifier = Classifier(load_themes())
    assert classifier.classify_all(stories) == [classifier.classify(s) for s in stories]
