"""One small MIP given as arrays, solved by HiGHS: the unit of work of the site decomposition, shipped to
local worker processes or Dask workers. Imports no Pyomo and holds no model, so it pickles cheaply."""

from __future__ import annotations

import os
import sys
import time
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
    basis: tuple[np.ndarray, np.ndarray] | None = None  # (column, row) simplex status of an LP, for a warm start


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
    h.setOptionValue("output_flag", False)
    for k, v in options.items():
        h.setOptionValue(k, v)
    return h


def pass_matrix(h: highspy.Highs, c, A, row_lower, row_upper, col_lower, col_upper, integer,
                offset: float = 0.0) -> None:
    """Load an LP/MIP given as arrays into a highspy model (column-wise)."""
    lp = highspy.HighsLp()
    nrow, ncol = A.shape
    lp.num_col_, lp.num_row_ = ncol, nrow
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.offset_ = float(offset)
    lp.col_lower_, lp.col_upper_ = np.asarray(col_lower, dtype=float), np.asarray(col_upper, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float)
    csc = sp.csc_array(A)
    csc.sort_indices()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = ncol, nrow
    if np.any(integer):
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in integer]
    h.passModel(lp)


def solve_priced(p: SubProblem, c: np.ndarray, relax: bool = False,
                 basis: tuple[np.ndarray, np.ndarray] | None = None, options: dict | None = None) -> SubResult:
    """Solve the subproblem with objective c (the pricing step ships only c; the block stays where it is):
    its LP relaxation when relax, warm-started from basis when given."""
    return solve_sub(replace(p, c=c, integer=np.zeros_like(p.integer) if relax else p.integer,
                             options={**p.options, **(options or {})}), basis)


def solve_sub(p: SubProblem, basis: tuple[np.ndarray, np.ndarray] | None = None) -> SubResult:
    """Solve one subproblem (single-threaded HiGHS); an LP returns its basis."""
    t0 = time.perf_counter()
    h = new_highs(p.options)
    pass_matrix(h, p.c, p.A, p.row_lower, p.row_upper, p.col_lower, p.col_upper, p.integer)
    lp = not np.any(p.integer)
    if lp and basis is not None:
        b = highspy.HighsBasis()
        b.col_status = [highspy.HighsBasisStatus(int(v)) for v in basis[0]]
        b.row_status = [highspy.HighsBasisStatus(int(v)) for v in basis[1]]
        b.valid = True
        h.setBasis(b)
    h.run()
    st = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has else None
    obj = float(info.objective_function_value) if has else None
    if st == highspy.HighsModelStatus.kOptimal and not np.any(p.integer):
        bound = obj
    else:
        b = info.mip_dual_bound
        bound = float(b) if np.isfinite(b) and abs(b) < highspy.kHighsInf else None
    out = None
    if lp and st == highspy.HighsModelStatus.kOptimal:
        hb = h.getBasis()
        out = (np.array([int(v) for v in hb.col_status], np.int8), np.array([int(v) for v in hb.row_status], np.int8))
    return SubResult(p.name, st.name, x, obj, bound, time.perf_counter() - t0, out)
