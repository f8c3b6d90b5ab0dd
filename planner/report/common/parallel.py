"""Report work in parallel processes: each chart (drawn once, saved as PNG and SVG from that figure) and each
slide picture of the deck is a task, run by a pool of forked worker processes (PLANNER_REPORT_WORKERS, default
min(2, CPUs)). A task draws exactly what the serial code draws, from a fresh figure, so the files are the same
bytes whichever process draws them. The workers are forked after the plan is made: they inherit it, the
imported modules and the registered font, so nothing is pickled but a task's name and the PNG bytes it returns.

A pool can also be started before its tasks exist (`Pool.start`, naming the modules its workers import
meanwhile): its workers then get each task pickled, so a task is a module-level function of picklable
arguments, and a large value shared by many tasks (the report's frames) travels as a `Shared`, unpickled once
per worker.

Where the pool cannot run (no fork on the platform, one worker asked for, a worker that fails to start or
dies, a task that does not pickle for a started pool), the tasks run in this process, in the serial order,
with the same result."""

from __future__ import annotations

import importlib
import itertools
import multiprocessing
import os
import pickle
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


def _call(fn: Callable, args: tuple) -> Any:
    return fn(*args)


def _noop() -> None:
    return None


def _warm(modules: tuple[str, ...]) -> None:
    """A worker's start: import what its tasks will need; a failure here only makes the first task pay for it."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - warming is an optimisation; the task itself reports real errors
            pass


_LOADED: dict[str, Shared] = {}  # per worker: the Shared value it unpickled last
_KEYS = itertools.count()


class Shared:
    """A value many tasks read (the report's frames): `value` here; sent to a worker as bytes pickled once, and
    unpickled once per worker (the same `key` reads the value it already has)."""

    def __init__(self, value: Any, key: str | None = None) -> None:
        self.value = value
        self.key = key or f"{os.getpid()}.{next(_KEYS)}"
        self._blob: bytes | None = None

    def __reduce__(self):
        if self._blob is None:
            self._blob = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return _shared, (self.key, self._blob)


def _shared(key: str, blob: bytes) -> Shared:
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = Shared(pickle.loads(blob), key)
    return _LOADED[key]


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


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Pool:
    """Tasks given all at once (`run`), done by forked workers; results read in any order (`Task.result`)."""

    def __init__(self, n: int | None = None) -> None:
        self.n = workers() if n is None else n
        self.executor: ProcessPoolExecutor | None = None
        self.started = False  # workers forked before the tasks (`start`): tasks are pickled to them

    def start(self, *modules: str) -> Pool:
        """Fork the workers now, before the tasks exist, each importing `modules` (what the tasks will need)
        while this process goes on (the CLI imports the solver and solves meanwhile)."""
        if self.n > 1 and _can_fork() and self.executor is None:
            try:
                self.executor = ProcessPoolExecutor(self.n, mp_context=multiprocessing.get_context("fork"),
                                                    initializer=_warm, initargs=(modules,))
                self.executor.submit(_noop)  # a forking pool starts all its workers at the first task
                self.started = True
            except (OSError, RuntimeError, BrokenProcessPool):
                self.close()
        return self

    def _submit_pickled(self, tasks: list[tuple[Callable, tuple]]) -> list[Future | None]:
        futures: list[Future | None] = []
        for fn, args in tasks:
            try:
                pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)  # Shared values pickle once, then cheaply
            except (pickle.PicklingError, AttributeError, TypeError):
                futures.append(None)  # a lambda or a local function: run here
                continue
            try:
                futures.append(self.executor.submit(_call, fn, args))
            except (OSError, RuntimeError, BrokenProcessPool):
                futures.append(None)
        return futures

    def run(self, tasks: list[tuple[Callable, tuple]]) -> list[Task]:
        """Start every task (in this order, to the pool when there is one) and return their handles."""
        global _TASKS
        if self.started and self.executor is not None:
            return [Task(fn, args, f) for (fn, args), f in zip(tasks, self._submit_pickled(tasks), strict=True)]
        _TASKS = dict(enumerate(tasks))
        futures: list[Future | None] = [None] * len(tasks)
        if self.n > 1 and tasks and _can_fork():
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
            self.executor, self.started = None, False

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
