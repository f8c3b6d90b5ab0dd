"""The built Pyomo model as matrices, handed to HiGHS directly (docs/model.md §12).

Pyomo's standard-form compiler turns the model into one sparse matrix in a single pass (mutable
parameters evaluated at their current values); about 2x faster than the persistent interface, which
translates constraint by constraint. Columns and rows keep their Pyomo objects, so a solution loads back
into the model and row duals belong to named constraints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.core.expr.visitor import identify_variables
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from .subsolve import new_highs, pass_matrix

INF = highspy.kHighsInf


@dataclass
class Matrix:
    """min c·x + offset  s.t.  row_lower <= A x <= row_upper, col_lower <= x <= col_upper, x_j integer if
    integer[j]. A is CSR (rows x columns)."""

    c: np.ndarray
    offset: float
    A: sp.csr_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    columns: list  # VarData per column
    rows: list  # ConstraintData per row

    @property
    def shape(self) -> tuple[int, int]:
        return self.A.shape


def compile_model(m: pyo.ConcreteModel) -> Matrix:
    """The active linear model as a Matrix (minimisation; fixed variables are constants).

    A constraint without a free variable that its constant breaks (a target nothing in the scenario can
    reduce, its slack fixed at 0) makes Pyomo's compiler raise; such constraints become empty rows whose
    bounds exclude 0, so that HiGHS proves the infeasibility like any other and the caller diagnoses it."""
    try:
        return _compile(m)
    except InfeasibleConstraintException:
        pass
    constant = constant_constraints(m)
    for con, _lo, _hi in constant:
        con.deactivate()
    try:
        mx = _compile(m)
    finally:
        for con, _lo, _hi in constant:
            con.activate()
    return append_empty_rows(mx, constant)


def append_empty_rows(mx: Matrix, rows: list[tuple[object, float, float]]) -> Matrix:
    """The matrix with empty rows (constraint, lower, upper) added at the end."""
    if not rows:
        return mx
    extra = sp.csr_array((len(rows), mx.shape[1]))
    return replace(mx, A=sp.csr_array(sp.vstack([mx.A, extra], format="csr")),
                   row_lower=np.append(mx.row_lower, [lo for _, lo, _ in rows]),
                   row_upper=np.append(mx.row_upper, [hi for _, _, hi in rows]),
                   rows=mx.rows + [con for con, _, _ in rows])


def constant_constraints(m: pyo.ConcreteModel) -> list[tuple[object, float, float]]:
    """(constraint, lower, upper) of every active constraint without a free variable, its bounds less its
    constant (an empty row: feasible when lower <= 0 <= upper)."""
    return [constant_row(con) for con in m.component_data_objects(pyo.Constraint, active=True)
            if (con.has_lb() or con.has_ub()) and not any(True for _ in identify_variables(con.body,
                                                                                          include_fixed=False))]


def constant_row(con) -> tuple[object, float, float]:
    """(constraint, lower, upper) of a constraint without a free variable, its bounds less its constant."""
    const = pyo.value(con.body)
    lo = pyo.value(con.lower) - const if con.has_lb() else -INF
    hi = pyo.value(con.upper) - const if con.has_ub() else INF
    return con, lo, hi


def _compile(m: pyo.ConcreteModel) -> Matrix:
    sf = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=pyo.minimize)
    n = len(sf.columns)
    c = np.asarray(sf.c.todense()).ravel() if sf.c.shape[0] else np.zeros(n)
    offset = float(sf.c_offset[0]) if len(sf.c_offset) else 0.0
    A = sp.csr_array(sf.A) if sf.A.shape[0] else sp.csr_array((0, n))
    rhs = np.asarray(sf.rhs, dtype=float)
    sense = np.array([s for _, s in sf.rows], dtype=int)
    row_lower = np.where(sense == 1, -INF, rhs)
    row_upper = np.where(sense == -1, INF, rhs)
    lo, hi = column_bounds(sf.columns)
    integer = np.array([v.is_integer() or v.is_binary() for v in sf.columns], dtype=bool)
    return Matrix(c, offset, A, row_lower, row_upper, lo, hi, integer, list(sf.columns), [r for r, _ in sf.rows])


def column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the variables (None as -inf / inf)."""
    lo = np.fromiter((-INF if v.lb is None else v.lb for v in columns), float, len(columns))
    hi = np.fromiter((INF if v.ub is None else v.ub for v in columns), float, len(columns))
    return lo, hi


def to_highs(mx: Matrix, options: dict) -> highspy.Highs:
    """A silent highspy model holding the matrix, with the options set."""
    h = new_highs(options)
    pass_matrix(h, mx.c, mx.A, mx.row_lower, mx.row_upper, mx.col_lower, mx.col_upper, mx.integer, mx.offset)
    return h


def set_start(h: highspy.Highs, x: np.ndarray) -> None:
    """Offer a complete column vector to HiGHS as a MIP start."""
    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, x))
    sol.value_valid = True
    h.setSolution(sol)


BEST_START_KEEP = 3  # candidate plans completed by LP per solve (docs/sweeps.md, "Solver settings")


def best_start(mx: Matrix, candidates: list[np.ndarray], options: dict,
               keep: int | None = BEST_START_KEEP) -> tuple[np.ndarray | None, float]:
    """The best MIP start among candidate plans: each candidate's integer values are fixed and the LP of the
    rest is solved (one HiGHS instance, warm-started from the previous candidate's basis); returns the
    completed plan of the cheapest feasible candidate and its objective (None, inf when none is feasible).
    Candidates with the same integer values are solved once.

    With `keep`, only `keep` candidates are completed: those cheapest as they stand first (a candidate whose
    whole vector satisfies the rows costs c·x at most after completion; the LP can only lower that), then
    those the LP has to repair, in their order."""
    if keep is not None and len(candidates) > keep:
        candidates = _cheapest_as_they_stand(mx, candidates, keep)
    ints = np.flatnonzero(mx.integer).astype(np.int32)
    n = len(mx.c)
    h = new_highs({**options, "time_limit": options.get("time_limit", 60.0)})
    pass_matrix(h, mx.c, mx.A, mx.row_lower, mx.row_upper, mx.col_lower, mx.col_upper, np.zeros(n, bool), mx.offset)
    best: tuple[np.ndarray | None, float] = (None, float("inf"))
    seen: set[bytes] = set()
    for x in candidates:
        fixed = np.clip(np.round(x[ints]), mx.col_lower[ints], mx.col_upper[ints])
        key = fixed.tobytes()
        if key in seen:
            continue
        seen.add(key)
        h.changeColsBounds(len(ints), ints, fixed, fixed)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            continue
        obj = h.getInfo().objective_function_value
        if obj < best[1]:
            best = (np.asarray(h.getSolution().col_value), obj)
    return best


def _cheapest_as_they_stand(mx: Matrix, candidates: list[np.ndarray], keep: int) -> list[np.ndarray]:
    """`keep` candidates with distinct integer values: first those feasible as they stand (rows and bounds
    within 1e-6, relative to bounds above 1), by c·x (ties: the earlier candidate), then the others in their
    order; a heuristic, since c·x bounds a plan's own completion, not how completions compare."""
    ints = mx.integer
    rows_lo, rows_hi = mx.row_lower - _tolerance(mx.row_lower), mx.row_upper + _tolerance(mx.row_upper)
    cols_lo, cols_hi = mx.col_lower - _tolerance(mx.col_lower), mx.col_upper + _tolerance(mx.col_upper)
    seen: set[bytes] = set()
    unique, cost = [], []
    for x in candidates:
        key = np.round(x[ints]).tobytes()
        if key in seen:
            continue
        seen.add(key)
        act = mx.A @ x
        ok = (np.all(act >= rows_lo) and np.all(act <= rows_hi) and np.all(x >= cols_lo) and np.all(x <= cols_hi))
        unique.append(x)
        cost.append(float(mx.c @ x) if ok else np.inf)
    # a stable sort puts the feasible by c·x first, then the others (inf) in their order
    return [unique[j] for j in np.argsort(cost, kind="stable")[:keep]]


def _tolerance(bounds: np.ndarray) -> np.ndarray:
    """1e-6, relative for bounds above 1 in size."""
    return 1e-6 * np.maximum(1.0, np.abs(bounds))


def load_values(mx: Matrix, x: np.ndarray) -> None:
    """Write a column vector back into the Pyomo variables."""
    for v, val in zip(mx.columns, x, strict=True):
        v.set_value(float(val), skip_validation=True)
