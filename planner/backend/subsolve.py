"""One small MIP given as arrays, solved by HiGHS: the unit of work of the site decomposition, shipped to
local worker processes or Dask workers. Imports no Pyomo and holds no model, so it pickles cheaply."""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import highspy
import numpy as np
import scipy.sparse as sp


@dataclass
class SubProblem:
    """min c·x  s.t.  row_lower <= A x <= row_upper, bounds, integrality (one site, priced coupling rows)."""

    name: str
    c: np.ndarray
    A: sp.csr_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray
    options: dict


@dataclass
class SubResult:
    name: str
    status: str  # HiGHS model status name
    x: np.ndarray | None
    objective: float | None
    bound: float | None  # valid lower bound of the subproblem (dual bound), None if unknown
    seconds: float


_banner_shown = False


def highs_used() -> bool:
    """Whether this process has made a HiGHS instance: its thread scheduler may then exist, and a forked child
    must not solve (the scheduler's threads are not copied by fork; a solve there could wait on them forever)."""
    return _banner_shown


def new_highs(options: dict) -> highspy.Highs:
    """A silent highspy instance with the options set. HiGHS prints a banner on the process's first
    instance, straight to file descriptor 1; that one is created with descriptor 1 pointed at /dev/null."""
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        with _BANNER_LOCK:  # two threads redirecting descriptor 1 at once could leave it on /dev/null
            h = _first_highs()
    h.setOptionValue("output_flag", False)
    for k, v in options.items():
        h.setOptionValue(k, v)
    return h


_BANNER_LOCK = threading.Lock()


def _first_highs() -> highspy.Highs:
    """The process's first instance, made with descriptor 1 pointed at /dev/null (HiGHS's banner)."""
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    else:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _banner_shown = True
    return h


def pass_matrix(h: highspy.Highs, c, A, row_lower, row_upper, col_lower, col_upper, integer,
                offset: float = 0.0) -> None:
    """Load an LP/MIP given as arrays into a highspy model (column-wise). Uses the overload of passModel that
    takes numpy arrays: filling a HighsLp's vectors converts element by element (6 ms for a site of 3,300
    nonzeros, against 0.2 ms here)."""
    nrow, ncol = A.shape
    csc = sp.csc_array(A)
    csc.sort_indices()
    f64 = np.float64
    integrality = np.asarray(integer, dtype=bool).astype(np.int32)  # HighsVarType: 0 continuous, 1 integer
    h.passModel(int(ncol), int(nrow), int(csc.nnz), int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMinimize), float(offset),
                np.ascontiguousarray(c, dtype=f64), np.ascontiguousarray(col_lower, dtype=f64),
                np.ascontiguousarray(col_upper, dtype=f64), np.ascontiguousarray(row_lower, dtype=f64),
                np.ascontiguousarray(row_upper, dtype=f64), csc.indptr.astype(np.int32), csc.indices.astype(np.int32),
                csc.data.astype(f64), integrality)


_live: dict[tuple[str, str], highspy.Highs] = {}  # LP relaxations kept for hot starts, by (run, group)
_bases: dict[tuple[str, str], highspy.HighsBasis] = {}  # last bases of the groups whose LP is not kept


def solve_priced(p: SubProblem, c: np.ndarray, relax: bool = False, options: dict | None = None,
                 key: tuple[str, str] | None = None, keep: bool = True) -> SubResult:
    """Solve the subproblem with objective c (the pricing ships only c; the block stays where it is). With
    relax, its LP relaxation, kept in this process under `key` so that the next prices only change the
    costs and HiGHS restarts from the last basis; with keep=False only that basis is kept (a few kB, not the
    LP's 1.7 MB): the LP is passed again and restarted from it (a 100-site LP: 3.4 ms, cold 13.7 ms, kept
    1.9 ms). `forget(run)` drops a run's LPs and bases."""
    opts = {**p.options, **(options or {})}
    if not relax or key is None:
        return solve_sub(replace(p, c=c, integer=np.zeros_like(p.integer) if relax else p.integer, options=opts))
    t0 = time.perf_counter()
    h = _live.get(key) if keep else None
    if h is None:
        h = new_highs(opts)
        pass_matrix(h, c, p.A, p.row_lower, p.row_upper, p.col_lower, p.col_upper, np.zeros_like(p.integer))
        if keep:
            _live[key] = h
        elif key in _bases:
            h.setBasis(_bases[key])
    else:
        for k, v in opts.items():
            h.setOptionValue(k, v)
        h.changeColsCost(c.size, np.arange(c.size, dtype=np.int32), np.asarray(c, dtype=float))
    h.run()
    if not keep:
        basis = h.getBasis()
        if basis.valid:
            _bases[key] = basis
    return _result(p.name, h, True, t0)


def solve_chunk(blocks: list[SubProblem], cs: list[np.ndarray], relax: bool, options: dict | None,
                keys: list, keeps: list[bool]) -> list[SubResult]:
    """`solve_priced` for several groups in turn: one task of a Dask worker per evaluation."""
    return [solve_priced(p, c, relax, options, k, kp) for p, c, k, kp in zip(blocks, cs, keys, keeps, strict=True)]


def forget(run: str) -> None:
    """Drop the LPs and bases kept for a run (in this process)."""
    for kept in (_live, _bases):
        for k in [k for k in list(kept) if k[0] == run]:  # a copy: other threads may add entries meanwhile
            kept.pop(k, None)


def solve_sub(p: SubProblem) -> SubResult:
    """Solve one subproblem (single-threaded HiGHS)."""
    t0 = time.perf_counter()
    h = new_highs(p.options)
    pass_matrix(h, p.c, p.A, p.row_lower, p.row_upper, p.col_lower, p.col_upper, p.integer)
    h.run()
    return _result(p.name, h, not np.any(p.integer), t0)


def _result(name: str, h: highspy.Highs, lp: bool, t0: float) -> SubResult:
    st = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has else None
    obj = float(info.objective_function_value) if has else None
    MS = highspy.HighsModelStatus
    bound = None  # a failed or unfinished run bounds nothing
    if lp:
        bound = obj if st == MS.kOptimal else None
    elif st in (MS.kOptimal, MS.kTimeLimit, MS.kIterationLimit, MS.kSolutionLimit, MS.kInterrupt):
        b = info.mip_dual_bound
        bound = float(b) if np.isfinite(b) and abs(b) < highspy.kHighsInf else None
    return SubResult(name, st.name, x, obj, bound, time.perf_counter() - t0)


def solve_all(subs: list[SubProblem], workers: int, client=None) -> list[SubResult]:
    """Solve the subproblems in order: on a Dask cluster (client), in local threads, or here."""
    if client is not None:
        return client.gather(client.map(solve_sub, subs, pure=False))
    if workers > 1 and len(subs) > 1:  # HiGHS releases the GIL while it solves
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(solve_sub, subs))
    return [solve_sub(s) for s in subs]
