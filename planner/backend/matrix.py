"""The built Pyomo model as matrices, handed to HiGHS directly (docs/model.md §12).

Pyomo's standard-form compiler turns the model into one sparse matrix in a single pass (mutable
parameters evaluated at their current values); about 2x faster than the persistent interface, which
translates constraint by constraint. Columns and rows keep their Pyomo objects, so a solution loads back
into the model and row duals belong to named constraints.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from array import array
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.common.gc_manager import PauseGC
from pyomo.common.numeric_types import native_types
from pyomo.core.expr.visitor import identify_variables
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
from pyomo.repn.util import FileDeterminism, FileDeterminism_to_SortComponents

from .linear_walk import walker
from .subsolve import new_highs, pass_matrix

try:  # the standard-form compiler's column recorder (Pyomo 6.9+); without it Pyomo's compiler is used
    from pyomo.repn.util import TemplateVarRecorder as _TemplateVarRecorder
except ImportError:  # pragma: no cover
    _TemplateVarRecorder = None

INF = highspy.kHighsInf
SORTER = FileDeterminism_to_SortComponents(FileDeterminism.ORDERED)  # the standard-form compiler's default


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
    """The stream compiler (`stream_compile`) where it applies, else Pyomo's standard-form compiler."""
    try:
        return stream_compile(m)
    except _NotStreamable:
        return pyomo_compile(m)


class _NotStreamable(Exception):
    """The model uses something `stream_compile` leaves to Pyomo's compiler (templates, several objectives)."""


def stream_compile(m: pyo.ConcreteModel, fast: bool = True) -> Matrix:
    """The matrix Pyomo's standard-form compiler gives (`pyomo_compile`: mixed form, minimisation), entry for
    entry and in its column and row order, made in one pass that keeps only flat arrays: the compiler keeps
    every row's linear representation (dicts) until its end, which at 1,000 sites held more memory than the
    Pyomo model itself. Same walker (LinearRepnVisitor; with `fast`, its walk written out in linear_walk.py,
    same results bit for bit, about 1.6x faster), same column recorder and order, same rules for constant and
    unbounded rows; raises InfeasibleConstraintException as the compiler does."""
    if _TemplateVarRecorder is None:
        raise _NotStreamable
    objectives = list(m.component_data_objects(pyo.Objective, active=True, sort=SORTER))
    if len(objectives) > 1:
        raise _NotStreamable
    var_map: dict[int, object] = {}
    recorder = _TemplateVarRecorder(var_map, SORTER)
    order = recorder.var_order  # filled as the recorder meets variable components
    visitor = LinearRepnVisitor({}, var_recorder=recorder)
    walk = walker(visitor) if fast else visitor.walk_expression
    with PauseGC():
        obj_index, obj_data, offset = [], [], 0.0
        for obj in objectives:
            if hasattr(obj, "template_expr"):
                raise _NotStreamable
            repn = walk(obj.expr)
            if repn.nonlinear is not None:
                raise _NotStreamable  # the compiler names the error
            obj_index = [order[k] for k in repn.linear]
            obj_data = list(repn.linear.values())
            offset = repn.constant
            if obj.sense != pyo.minimize:
                obj_data = [-d for d in obj_data]
                offset = -offset
        index, data = array("i"), array("d")
        ptr, lower, upper, rows = array("q", [0]), array("d"), array("d"), []
        templated: dict[type, bool] = {}  # whether a data class is a template's (a class attribute)
        for con in m.component_data_objects(pyo.Constraint, active=True, sort=SORTER):
            t = templated.get(con.__class__)
            if t is None:
                t = templated[con.__class__] = hasattr(con, "template_expr")
            if t:
                raise _NotStreamable
            lb, body, ub = con.to_bounded_expression()
            if lb.__class__ not in native_types:
                lb = pyo.value(lb)
            if ub.__class__ not in native_types:
                ub = pyo.value(ub)
            repn = walk(body)
            if repn.nonlinear is not None:
                raise _NotStreamable
            if lb is None and ub is None:
                continue
            linear, const = repn.linear, repn.constant
            if not linear and const.__class__ in native_types:  # a constant row
                if (lb is None or lb <= const) and (ub is None or ub >= const):
                    continue
                raise InfeasibleConstraintException(f"model contains a trivially infeasible constraint, "
                                                    f"'{con.name}'")
            # mixed form: an equality is one row; a ranged row is two (upper, then lower), as the compiler
            if lb == ub:
                lo = hi = ub - const
            elif lb is None:
                lo, hi = -INF, ub - const
            elif ub is None:
                lo, hi = lb - const, INF
            else:  # ranged
                cols = list(map(order.__getitem__, linear))
                for lo, hi in ((-INF, ub - const), (lb - const, INF)):
                    index.extend(cols)
                    data.extend(linear.values())
                    ptr.append(len(index))
                    lower.append(lo)
                    upper.append(hi)
                    rows.append(con)
                continue
            index.extend(map(order.__getitem__, linear))
            data.extend(linear.values())
            ptr.append(len(index))
            lower.append(lo)
            upper.append(hi)
            rows.append(con)
    columns = list(var_map.values())
    n = len(columns)
    A = sp.csr_array((np.frombuffer(data, dtype=float), np.frombuffer(index, dtype=np.int32),
                      np.frombuffer(ptr, dtype=np.int64)), shape=(len(rows), n))
    del index, data
    A.sum_duplicates()  # sorts each row's columns, as the compiler's CSC round trip does
    A.eliminate_zeros()
    c = np.zeros(n)
    c[obj_index] = obj_data
    # columns in no row and not in the objective are dropped (the compiler's active columns)
    active = np.zeros(n, dtype=bool)
    active[A.indices] = True
    active[np.asarray(obj_index, dtype=np.int64)[np.asarray(obj_data) != 0]] = True
    if not active.all():
        new = np.cumsum(active) - 1
        A = sp.csr_array((A.data, new[A.indices].astype(A.indices.dtype), A.indptr),
                         shape=(len(rows), int(active.sum())))
        c = c[active]
        columns = [v for v, a in zip(columns, active, strict=True) if a]
    if any(v.fixed for v in columns):  # the walker makes fixed variables constants; never expected
        raise _NotStreamable
    A = sp.csr_array((A.data.copy(), A.indices.astype(np.int32), A.indptr.astype(np.int32)), shape=A.shape)
    lo, hi, integer = column_data(columns)
    return Matrix(c, float(offset), A, np.frombuffer(lower, dtype=float).copy(),
                  np.frombuffer(upper, dtype=float).copy(), lo, hi, integer, columns, rows)


def pyomo_compile(m: pyo.ConcreteModel) -> Matrix:
    """The matrix by Pyomo's standard-form compiler (the reference of `stream_compile`)."""
    sf = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=pyo.minimize)
    n = len(sf.columns)
    c = np.asarray(sf.c.todense()).ravel() if sf.c.shape[0] else np.zeros(n)
    offset = float(sf.c_offset[0]) if len(sf.c_offset) else 0.0
    A = sp.csr_array(sf.A) if sf.A.shape[0] else sp.csr_array((0, n))
    rhs = np.asarray(sf.rhs, dtype=float)
    sense = np.array([s for _, s in sf.rows], dtype=int)
    row_lower = np.where(sense == 1, -INF, rhs)
    row_upper = np.where(sense == -1, INF, rhs)
    lo, hi, integer = column_data(sf.columns)
    return Matrix(c, offset, A, row_lower, row_upper, lo, hi, integer, list(sf.columns), [r for r, _ in sf.rows])


def column_data(columns: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower and upper bounds (None as -inf / inf) and integrality of the variables, in one pass; integrality
    is looked up once per domain object."""
    n = len(columns)
    lo, hi, integer = np.empty(n), np.empty(n), np.empty(n, dtype=bool)
    kind: dict[int, bool] = {}
    for j, v in enumerate(columns):
        a, b = v.bounds
        lo[j] = -INF if a is None else a
        hi[j] = INF if b is None else b
        d = v.domain
        k = kind.get(id(d))
        if k is None:
            k = kind[id(d)] = v.is_integer() or v.is_binary()
        integer[j] = k
    return lo, hi, integer


def column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the variables (None as -inf / inf)."""
    lo, hi, _ = column_data(columns)
    return lo, hi


def release_freed_memory() -> None:
    """Collect the young cyclic garbage (the compiler's walk leaves some 40,000 objects in cycles per 60 sites;
    a collection of the two young generations takes 0.05 s there, a full one 0.6 s) and hand memory that is
    freed but still held by the C allocator back to the system (glibc's malloc_trim; nothing elsewhere).
    Freed blocks stay with the allocator arena of the thread that freed them, where
    another thread cannot reuse them: HiGHS runs in pool threads and the main thread, so a stage's garbage
    otherwise adds to the next stage's peak (100 sites: the decomposition's repair peaked 140 MB lower when
    the pricing's kept LPs were trimmed after being dropped)."""
    global _LIBC
    gc.collect(1)
    if _LIBC is None:
        _LIBC = False
        if sys.platform.startswith("linux"):
            with contextlib.suppress(OSError, AttributeError):
                lib = ctypes.CDLL("libc.so.6")
                _LIBC = lib if hasattr(lib, "malloc_trim") else False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC = None  # glibc, once looked up (False: none)


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
