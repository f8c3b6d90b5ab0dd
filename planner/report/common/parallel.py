"""Report work in parallel processes: each chart (drawn once, saved as PNG and SVG from that figure) and each
slide picture of the deck is a task, run by a pool of forked worker processes (PLANNER_REPORT_WORKERS, default
min(2, CPUs)). A task draws exactly what the serial code draws, from a fresh figure, so the files are the same
bytes whichever process draws them. The workers are forked after the plan is made: they inherit it, the
imported modules and the registered font, so nothing is pickled but a task's name and the PNG bytes it returns.

Where the pool cannot run (no fork on the platform, one worker asked for, a worker that fails to start or
dies), the tasks run in this process, in the serial order, with the same result."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

WORKERS_ENV = "PLANNER_REPORT_WORKERS"

_TASKS: dict[int, tuple[Callable, tuple]] = {}  # set before the pool forks; the workers read their copy


def workers() -> int:
    """Worker processes to use: PLANNER_REPORT_WORKERS if set (1: no pool), else min(2, CPUs)."""
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            return 1
    return max(1, min(2, os.cpu_count() or 1))


def _run(key: int) -> Any:
    fn, args = _TASKS[key]
    return fn(*args)


class Task:
    """One piece of work: its result from the pool, or computed here when the pool could not give it."""

    def __init__(self, fn: Callable, args: tuple, future: Future | None) -> None:
        self.fn, self.args, self.future = fn, args, future
        self._done, self._value = False, None

    def result(self) -> Any:
        if not self._done:
            value = None
            if self.future is not None:
                try:
                    value, self._done = self.future.result(), True
                except (BrokenProcessPool, OSError):  # the pool could not run it: do it here
                    pass
            if not self._done:
                value, self._done = self.fn(*self.args), True
            self._value = value
        return self._value


class Pool:
    """Tasks given all at once (`run`), done by forked workers; results read in any order (`Task.result`)."""

    def __init__(self, n: int | None = None) -> None:
        self.n = workers() if n is None else n
        self.executor: ProcessPoolExecutor | None = None

    def run(self, tasks: list[tuple[Callable, tuple]]) -> list[Task]:
        """Start every task (in this order, to the pool when there is one) and return their handles."""
        global _TASKS
        _TASKS = dict(enumerate(tasks))
        futures: list[Future | None] = [None] * len(tasks)
        if self.n > 1 and tasks and "fork" in multiprocessing.get_all_start_methods():
            try:
                self.executor = ProcessPoolExecutor(min(self.n, len(tasks)),
                                                    mp_context=multiprocessing.get_context("fork"))
                futures = [self.executor.submit(_run, k) for k in range(len(tasks))]
            except (OSError, RuntimeError, BrokenProcessPool):
                self.close()
                futures = [None] * len(tasks)
        return [Task(fn, args, f) for (fn, args), f in zip(tasks, futures, strict=True)]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
