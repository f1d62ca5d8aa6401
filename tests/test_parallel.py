"""briefing.parallel: a large batch over several processes gives what one process gives, in order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from typing import Any

import pytest

from briefing import parallel
from briefing.classify import Classifier, load_themes
from briefing.records import Story


def _pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i, os.getpid()) for i in items]


_everyone: Any = None  # a barrier of all the workers, which the forked workers inherit
_met = False


def _pids_after_all_workers_started(items: Sequence[int]) -> list[tuple[int, int]]:
    """Each worker's first chunk waits for every other worker's: one quick worker cannot take every chunk
    while the others are still starting, as it can on a loaded machine."""
    global _met
    if not _met:
        _everyone.wait(timeout=60)  # a worker that never comes: BrokenBarrierError, and the test fails
        _met = True
    return _pids(items)


def test_a_large_batch_runs_in_other_processes_in_order() -> None:
    global _everyone
    if parallel.workers() < 2:
        pytest.skip("this machine gives the process one core, so nothing runs in parallel")
    _everyone = multiprocessing.get_context("fork").Barrier(parallel.workers())
    try:
        out = parallel.chunked_map(_pids_after_all_workers_started, list(range(1000)), parallel_from=100)
    finally:
        _everyone = None
    assert [i for i, _ in out] == list(range(1000))
    assert len({pid for _, pid in out}) == parallel.workers() and os.getpid() not in {pid for _, pid in out}


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
            [
                ("SMIC reports record revenue", "The foundry's fabs ran full."),
                ("State Grid opens UHV line", "The line carries wind power."),
            ]
            * 20
        )
    ]
    classifier = Classifier(load_themes())
    assert classifier.classify_all(stories) == [classifier.classify(s) for s in stories]
