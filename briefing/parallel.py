"""Spread a pure function over the machine's cores, for the large batches of a backfill.

``chunked_map(fn, items)`` gives ``[fn(chunk) for chunk in chunks(items)]`` flattened, in order. Above
``PARALLEL_FROM`` items, on a machine with several cores, in a process that may have children, it runs
the chunks in forked worker processes (they inherit what the parent built, such as a compiled lexicon,
and only the items and the results are pickled); everywhere else, and for a week of news, it runs them
here. Either way the result is the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["PARALLEL_FROM", "chunked_map", "workers"]

T = TypeVar("T")
R = TypeVar("R")

#: below this many items, the work stays in this process: forking costs more than it saves
PARALLEL_FROM = 20_000

_work: Callable[[Sequence[object]], list[object]] | None = None


def workers() -> int:
    """How many processes a large batch is spread over: the cores this process may use, when it may fork."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run(chunk: Sequence[object]) -> list[object]:
    assert _work is not None
    return _work(chunk)


def chunked_map(
    fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *, parallel_from: int | None = None
) -> list[R]:
    """``fn`` over ``items`` a chunk at a time, the results in order; over several processes for a large batch."""
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    count = workers()
    if len(items) < parallel_from or count < 2:
        return fn(items)
    global _work
    _work = fn  # type: ignore[assignment]  # the forked workers see it; nothing is pickled but the chunks
    size = -(-len(items) // (count * 4))  # four chunks a worker: an even share when some go quicker
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for part in pool.map(_run, chunks) for result in part]  # type: ignore[misc]
    finally:
        _work = None
