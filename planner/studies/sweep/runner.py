"""Run a sweep: in this process, on N local worker processes, or on a Dask distributed cluster.

Workers keep their model between variants (`engine.Worker`); this process alone writes the store, in
transactions of whole variants, so a sweep killed at any moment resumes without losing or repeating a
variant. Finished variants are committed together, by default at most every COMMIT_SECONDS (DuckDB's cost is per
statement: a commit per variant cost this process ~35 ms of CPU per variant, which on a machine whose cores
all run workers is taken from them); a kill loses at most the variants finished since the last commit, and
`--resume` solves those again. At most two variants per worker are in flight.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import pickle
import sys
import tempfile
import threading
import time
import warnings as pywarnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import InputError
from ...schemas.sweep import SweepSpec, load_sweep
from .design import Design, anchor_rows, make_design
from .effects import parameter_effects
from .engine import StartSet, Worker, anchor_count, anchor_rounds
from .inert import SweepWarning, warnings_of
from .store import STORE_FORMAT, Store, read_store

PROBLEM_STATUSES = ("infeasible", "no_solution", "error", "invalid")
COMMIT_SECONDS = 3.0  # default: finished variants wait at most this long for their commit (worker sweeps;
# in this process, at most this long plus the next variant's solve)
COMMIT_VARIANTS = 256  # nor more than this many


@dataclass
class SweepResult:
    """A finished (or resumed) sweep: where its store is and how its variants ended."""

    store: Path
    variants: int
    solved_now: int
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # parameters that change nothing (effects.py)

    def tables(self, names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
        """The store's tables as pandas frames (all, or those named)."""
        return read_store(self.store, names)


# -- workers ------------------------------------------------------------------------------------------
_local = threading.local()


def _worker(spec: SweepSpec) -> Worker:
    """This process's (thread's) Worker for a sweep, created on first use and kept between tasks."""
    cache = getattr(_local, "workers", None)
    if cache is None:
        cache = _local.workers = {}
    if spec.digest not in cache:
        cache.clear()
        cache[spec.digest] = Worker(spec)
    return cache[spec.digest]


_SPEC: SweepSpec | None = None


def _init_process(spec: SweepSpec) -> None:
    global _SPEC
    _SPEC = spec


def _process_base() -> dict[str, float] | None:
    return _worker(_SPEC).base_plan()


@dataclass(frozen=True)
class _PlansFile:
    """A StartSet written once to a file, handed to local worker processes by path: pickling the plans
    into every task cost the process writing the store ~30 ms of CPU per variant (41 plans of the demo)."""

    path: str
    digest: str

    @classmethod
    def write(cls, plans: StartSet, folder: str) -> _PlansFile:
        path = Path(folder) / f"plans-{plans.digest[:16]}.pkl"
        path.write_bytes(pickle.dumps(plans, protocol=pickle.HIGHEST_PROTOCOL))
        return cls(str(path), plans.digest)


_PLANS: dict[str, StartSet] = {}  # this worker process's plans, read once per sweep


def _read_plans(ref: _PlansFile) -> StartSet:
    if ref.digest not in _PLANS:
        _PLANS.clear()
        _PLANS[ref.digest] = pickle.loads(Path(ref.path).read_bytes())
    return _PLANS[ref.digest]


def _process_anchor(i: int, values: np.ndarray, plans: list[dict[str, float]] | _PlansFile) -> tuple:
    return _worker(_SPEC).anchor(i, values, plans if isinstance(plans, list) else _read_plans(plans).dicts())


def _process_task(i: int, values: np.ndarray, plans: _PlansFile) -> tuple[int, dict[str, pd.DataFrame]]:
    return i, _worker(_SPEC).run(i, values, _read_plans(plans))


def base_plan_task(spec: SweepSpec) -> dict[str, float] | None:
    """Dask task: the base scenario's plan (the first MIP start of every variant)."""
    return _worker(spec).base_plan()


def anchor_plan_task(spec: SweepSpec, i: int, values: np.ndarray, plans: list[dict[str, float]]) -> tuple:
    """Dask task: anchor variant i's plan (None when it has none) and store rows, solved from the plans of
    the earlier rounds."""
    return _worker(spec).anchor(i, values, plans)


def run_variant_task(spec: SweepSpec, i: int, values: np.ndarray,
                     plans: StartSet | None = None) -> tuple[int, dict[str, pd.DataFrame]]:
    """Dask task: variant i on this worker's kept model."""
    return i, _worker(spec).run(i, values, plans)


def _shared_plans(spec: SweepSpec, design: Design, submit_base: Callable, submit_anchor: Callable,
                  result: Callable) -> tuple[StartSet, dict[int, dict[str, pd.DataFrame]]]:
    """The sweep's start plans solved once for all workers: the base scenario on one worker, then each
    round of anchors (engine.anchor_rounds) spread over all; the same plans a worker solves alone. Also
    the anchors' store rows by variant: an anchor's solve is its variant's result."""
    if spec.sweep.solver.warm_start == "none":
        return StartSet.of([]), {}
    plans = [p for p in [result(submit_base())] if p is not None]
    anchored: dict[int, dict[str, pd.DataFrame]] = {}
    for rows in anchor_rounds(anchor_rows(design, anchor_count(spec, len(design)))):
        futures = [submit_anchor(i, design.values[i], plans) for i in rows]
        solved = [result(f) for f in futures]
        anchored.update((i, tables) for i, (_, tables) in zip(rows, solved, strict=True))
        plans = plans + [p for p, _ in solved if p is not None]
    return StartSet.of(plans), anchored


def _local_results(spec: SweepSpec, design: Design, todo: list[int], workers: int,
                   tick: float) -> Iterator[tuple | None]:
    if workers <= 1:
        w = Worker(spec)
        for i in todo:
            yield i, w.run(i, design.values[i])
        return
    if not todo:
        return
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_process,
                             initargs=(spec,)) as ex, tempfile.TemporaryDirectory(prefix="sweep-") as folder:
        files: dict[int, _PlansFile] = {}  # each round's plans written once (a round adds plans)

        def anchor(i: int, values: np.ndarray, plans: list[dict[str, float]]):
            if len(plans) not in files:
                files[len(plans)] = _PlansFile.write(StartSet.of(plans), folder)
            return ex.submit(_process_anchor, i, values, files[len(plans)])

        plans, anchored = _shared_plans(spec, design, lambda: ex.submit(_process_base), anchor,
                                        lambda f: f.result())
        yield from ((i, anchored[i]) for i in todo if i in anchored)
        rest = [i for i in todo if i not in anchored]
        ref = _PlansFile.write(plans, folder)
        yield from _bounded(rest, lambda i: ex.submit(_process_task, i, design.values[i], ref), 2 * workers,
                            lambda fs: wait(fs, timeout=tick, return_when=FIRST_COMPLETED)[0])


def _dask_results(spec: SweepSpec, design: Design, todo: list[int], scheduler,
                  tick: float) -> Iterator[tuple | None]:
    from distributed import Client
    from distributed import wait as dwait

    if not todo:
        return
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        n = max(1, sum(client.nthreads().values()))
        [spec_f] = client.scatter([spec], broadcast=True)
        tag = f"sweep-{spec.digest}"
        plans, anchored = _shared_plans(
            spec, design, lambda: client.submit(base_plan_task, spec_f, pure=False, key=f"{tag}-base"),
            lambda i, v, b: client.submit(anchor_plan_task, spec_f, i, v, b, pure=False, key=f"{tag}-anchor-{i}"),
            lambda f: f.result())
        [plans_f] = client.scatter([plans], broadcast=True)
        yield from ((i, anchored[i]) for i in todo if i in anchored)
        rest = [i for i in todo if i not in anchored]
        yield from _bounded(rest, lambda i: client.submit(run_variant_task, spec_f, i, design.values[i], plans_f,
                                                          pure=False, key=f"{tag}-{i}"), 2 * n,
                            lambda fs: _dask_wait(dwait, fs, tick))
    finally:
        if client is not scheduler:
            client.close()


def _dask_wait(dwait: Callable, fs: set, timeout: float) -> set:
    try:
        return dwait(fs, timeout=timeout, return_when="FIRST_COMPLETED").done
    except TimeoutError:
        return set()


def _bounded(todo: list[int], submit: Callable, limit: int, wait_some: Callable) -> Iterator[tuple | None]:
    """Submit tasks keeping at most `limit` in flight; yield results as they finish, and None when
    `wait_some` returns none finished (its timeout: the caller may commit what it holds)."""
    pending: set = set()
    it = iter(todo)
    for i in it:
        pending.add(submit(i))
        if len(pending) >= limit:
            break
    while pending:
        done = wait_some(pending)
        if not done:
            yield None
        for f in done:
            pending.discard(f)
            yield f.result()
            nxt = next(it, None)
            if nxt is not None:
                pending.add(submit(nxt))


# -- progress -----------------------------------------------------------------------------------------
class _Progress:
    """rich bar on a terminal (done/total, variants/s, ETA, infeasible); otherwise (CI logs) a plain line
    per tenth of the variants and at least every 30 s; nothing when quiet."""

    def __init__(self, total: int, done: int, quiet: bool):
        self.total, self.done, self.quiet = total, done, quiet
        self.start_done, self.t0, self.last = done, time.perf_counter(), 0.0
        self.problems = 0
        self.bar = None
        if quiet:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]} variants/s"), TextColumn("ETA"),
                                TimeRemainingColumn(), TextColumn("{task.fields[bad]} infeasible"),
                                console=console)
            self.task = self.bar.add_task("sweep", total=total, completed=done, rate="-", bad=0)
            self.bar.start()

    def step(self, status: str) -> None:
        self.done += 1
        self.problems += status in PROBLEM_STATUSES
        if self.quiet:
            return
        dt = time.perf_counter() - self.t0
        rate = (self.done - self.start_done) / dt if dt > 0 else 0.0
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, rate=f"{rate:.2f}", bad=self.problems)
        elif self.done % max(1, self.total // 10) == 0 or dt - self.last >= 30 or self.done == self.total:
            self.last = dt
            eta = (self.total - self.done) / rate if rate > 0 else float("nan")
            print(f"sweep: {self.done}/{self.total} variants, {rate:.2f} variants/s, ETA {eta:.0f} s, "
                  f"{self.problems} infeasible or unsolved", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def relaxed_standalone_macc(spec: SweepSpec) -> pd.DataFrame:
    """The stand-alone MACC of a carbon-price sweep's base scenario, targets relaxed as in its variants (one
    forced solve per measure; stored once, so the sweep report reads it without solving)."""
    from ..standalone_macc import standalone_macc

    return standalone_macc(spec.base.model_copy(update={"targets": []}))


def checked_effects(store: Store, spec: SweepSpec, design: Design) -> list[str]:
    """Check once per store whether each parameter changes the model (a resumed store keeps its rows; a
    store of format 1 gets them now) and return the warnings of those that change nothing."""
    if not store.has_rows("parameter_effects"):
        store.write_table("parameter_effects", parameter_effects(spec, design))
        store.set_meta("store_format", str(STORE_FORMAT))
    return warnings_of(store.read("parameter_effects"), {p.label: p.path for p in spec.parameters})


def default_out(spec: SweepSpec) -> Path:
    return Path("reports") / "sweeps" / spec.name


def run_sweep(sweep: SweepSpec | str | Path, out_dir: str | Path | None = None, workers: int = 1,
              scheduler=None, resume: bool = False, quiet: bool = True,
              commit_seconds: float = COMMIT_SECONDS) -> SweepResult:
    """Run every variant of a sweep not yet in its store. `scheduler`: a Dask scheduler address or Client;
    `commit_seconds`: how long finished variants may wait for their commit (0: each on its own)."""
    spec = sweep if isinstance(sweep, SweepSpec) else load_sweep(sweep)
    if workers < 1:
        raise InputError("--workers", "", f"expected at least 1 worker, got {workers}")
    if not 0 <= commit_seconds < math.inf:
        raise InputError("--commit-seconds", "", f"expected a number of seconds >= 0, got {commit_seconds}")
    design = make_design(spec)
    out = Path(out_dir) if out_dir is not None else default_out(spec)
    store = Store.open(out, spec, design, resume)
    t0 = time.perf_counter()
    try:
        alerts = checked_effects(store, spec, design)
        for w in alerts:  # before solving: loud in the run (stderr), and to Python callers as warnings
            if not quiet:
                print(f"warning: {w}", file=sys.stderr, flush=True)
            pywarnings.warn(w, SweepWarning, stacklevel=2)
        done = store.done()
        todo = [i for i in range(len(design)) if i not in done]
        progress = _Progress(len(design), len(done), quiet)
        counts: Counter = Counter()
        tick = max(commit_seconds, 0.05)  # how long a worker sweep waits for a result before committing
        results = (_dask_results(spec, design, todo, scheduler, tick) if scheduler is not None
                   else _local_results(spec, design, todo, workers, tick))
        batch: list[tuple[int, dict]] = []
        last = time.perf_counter()

        def commit() -> None:
            nonlocal last
            store.write_many(batch)
            for _, tables in batch:
                status = tables["metrics"].status.iloc[0]
                counts[status] += 1
                progress.step(status)
            batch.clear()
            last = time.perf_counter()

        try:
            for result in results:
                if result is not None:
                    batch.append(result)
                if time.perf_counter() - last >= commit_seconds or len(batch) >= COMMIT_VARIANTS:
                    commit()
            commit()
        except BaseException:
            with contextlib.suppress(Exception):  # an interrupted sweep (Ctrl-C, a failing worker) keeps
                commit()  # the variants it finished
            raise
        finally:
            progress.close()
        if spec.sweep.design == "carbon_price" and not store.has_rows("standalone_macc"):
            store.write_table("standalone_macc", relaxed_standalone_macc(spec))
        statuses = dict(store.con.execute("SELECT status, count(*) FROM metrics GROUP BY status ORDER BY status")
                        .fetchall())
    finally:
        store.close()
    return SweepResult(store.path, len(design), sum(counts.values()), statuses, time.perf_counter() - t0, alerts)
