"""Keep a compiled matrix up to date after mutable parameters change, recompiling only what reads them.

A sweep variant that changes only coefficients writes new values into the model's mutable parameters
(resolve.py). Compiling the whole model again (matrix.py) costs about 0.2 s on the demo, yet only a few
dozen of its 3,147 constraints read a parameter. `MatrixPatcher` remembers which constraints read which
parameter; after an update it walks only the constraints (and the objective) whose parameters changed,
with the same Pyomo visitor the standard-form compiler uses (its walk written out, linear_walk.py), and
writes their coefficients and right-hand sides into a copy of the matrix. The numbers are the compiler's
own (same visitor, same expression, same arithmetic), so the patched matrix is bit for bit the matrix a
fresh compile gives (tested); whenever that cannot be guaranteed — a coefficient that becomes or stops being zero, a row
that appears or disappears, a fixed variable in a changed row, a column fixed or re-bounded since the
compile — it compiles the whole model instead. Only parameter values may change between patches:
re-assigning an Expression other than the objective (`set_value`) is not tracked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_mutable_parameters, identify_variables
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import VarRecorder

from .linear_walk import walker
from .matrix import INF, Matrix, column_bounds, compile_model

EQUAL, UPPER, LOWER = 0, 1, -1  # row kinds: lower == upper, only an upper bound, only a lower bound


class MatrixPatcher:
    """The compiled matrix of one Pyomo model, patched after its mutable parameters change.

    `matrix(restated)`: the model's current matrix; `restated` says the objective expression itself was
    replaced (a new discount rate). `full_compiles` counts the whole-model compiles (the first included)."""

    def __init__(self, m: pyo.ConcreteModel):
        self.m = m
        self.full_compiles = 0
        self.patched_rows = 0  # constraints recompiled by the last patch
        self.readers: dict[int, list] | None = None  # parameter id -> constraints reading it (watch)
        self._reset(compile_model(m))

    def _reset(self, mx: Matrix) -> None:
        self.full_compiles += 1
        self.mx = mx
        self.col = {id(v): j for j, v in enumerate(mx.columns)}
        rows: dict[int, list[int]] = defaultdict(list)
        for i, con in enumerate(mx.rows):
            rows[id(con)].append(i)
        self.rows = dict(rows)
        self.kind = np.where(mx.row_lower == mx.row_upper, EQUAL, np.where(mx.row_lower == -INF, UPPER, LOWER))
        self._objective_columns_only = np.diff(mx.A.tocsc().indptr) == 0  # columns in no row: objective only
        self.values: dict[int, object] | None = None  # parameter values the matrix was compiled with
        # the compiler's visitor, keeping the linear form of each named expression between patches (the
        # compiler caches them within one compile the same way); a changed parameter evicts the named
        # expressions that read it
        self.cache: dict = {}
        self.visitor = LinearRepnVisitor(self.cache, var_recorder=VarRecorder({id(v): v for v in mx.columns}, None))
        self.walk = walker(self.visitor)  # the visitor's walk_expression, faster (linear_walk.py)
        # what each column's bounds were compiled from (the raw bound objects and domain, read without
        # evaluating them); columns whose bounds are expressions (a parameter may move them) are evaluated
        self.bound_objects = [_bound_objects(v) for v in mx.columns]
        self.bound_exprs = [j for j, (lb, ub, _) in enumerate(self.bound_objects)
                            if not (_plain(lb) and _plain(ub))]

    def watch(self) -> None:
        """Note which constraints read which parameter and the values now (call before changing any
        parameter; done once: a sweep that always rebuilds never pays for it)."""
        if self.values is not None:
            return
        if self.readers is None:
            self._index_readers()
        self.values = {k: p.value for k, p in self.params.items()}

    def _index_readers(self) -> None:
        """Which constraints, named expressions and objective read each mutable parameter (once per model)."""
        readers: dict[int, list] = defaultdict(list)
        self.params: dict[int, object] = {}  # parameter id -> parameter, every one read somewhere
        for con in self.m.component_data_objects(pyo.Constraint, active=True):
            for p in identify_mutable_parameters(con.expr):
                readers[id(p)].append(con)
                self.params[id(p)] = p
        self.objective_params: set[int] = set()
        self.objective_folds_fixed = False
        for obj in self.m.component_data_objects(pyo.Objective, active=True):
            for p in identify_mutable_parameters(obj.expr):
                self.objective_params.add(id(p))
                self.params[id(p)] = p
            self.objective_folds_fixed |= any(v.fixed for v in identify_variables(obj.expr, include_fixed=True))
        named: dict[int, list[int]] = defaultdict(list)  # parameter id -> named expressions reading it
        for e in self.m.component_data_objects(pyo.Expression, active=True):
            for p in identify_mutable_parameters(e.expr):
                named[id(p)].append(id(e))
        self.named = dict(named)
        self.readers = dict(readers)
        # constraints whose rows the compiler completes after the walk (fixed variables moved to the
        # right-hand side): never patched
        self.folds_fixed = {id(con) for cons in readers.values() for con in cons
                            if any(v.fixed for v in identify_variables(con.body, include_fixed=True))}

    def matrix(self, restated: bool = False) -> Matrix:
        """The matrix of the model as it stands now (a whole compile unless `watch` came before the
        parameters changed)."""
        if self.values is None or not self._same_columns():
            self._reset(compile_model(self.m))
            self.patched_rows = 0
            return self.mx
        changed = [k for k, p in self.params.items() if p.value != self.values[k]]
        if not changed and not restated:
            self.patched_rows = 0
            return self.mx
        cons: dict[int, object] = {}
        objective = restated
        if restated:
            self.cache.clear()
        for k in changed:
            for con in self.readers.get(k, ()):
                cons[id(con)] = con
            for e in self.named.get(k, ()):
                self.cache.pop(e, None)
            objective = objective or k in self.objective_params
        mx = self._patch(list(cons.values()), objective)
        self.patched_rows = len(cons)
        if mx is None:
            self._reset(compile_model(self.m))
        else:
            self.mx = mx
        self.values = {k: p.value for k, p in self.params.items()}
        return self.mx

    def _same_columns(self) -> bool:
        """Whether every column is still free with the bounds it was compiled with (a sweep changes only
        parameter values; anything else is compiled whole). Reads the raw bound objects (a bound set anew is
        a new object) and evaluates only the bounds that are expressions: 1 ms instead of 25 on the demo."""
        cols = self.mx.columns
        if any(v.fixed for v in cols):
            return False
        for v, was in zip(cols, self.bound_objects, strict=True):
            now = _bound_objects(v)
            if now[0] is not was[0] or now[1] is not was[1] or now[2] is not was[2]:
                return False
        if not self.bound_exprs:
            return True
        lo, hi = column_bounds([cols[j] for j in self.bound_exprs])
        return (np.array_equal(lo, self.mx.col_lower[self.bound_exprs])
                and np.array_equal(hi, self.mx.col_upper[self.bound_exprs]))

    def _patch(self, cons: list, objective: bool) -> Matrix | None:
        """The patched matrix, or None when only a whole compile gives the right one."""
        mx = self.mx
        A = mx.A.copy()
        lower, upper = mx.row_lower.copy(), mx.row_upper.copy()
        walk = self.walk
        for con in cons:
            rows = self.rows.get(id(con))
            if rows is None or id(con) in self.folds_fixed:
                return None  # a row that was left out (trivial) or that folds fixed variables
            lb, body, ub = con.to_bounded_expression()
            lb = None if lb is None else pyo.value(lb)
            ub = None if ub is None else pyo.value(ub)
            repn = walk(body)
            if repn.nonlinear is not None:
                return None
            if not _same_kinds(self.kind[rows], lb, ub):
                return None
            try:
                cols = np.fromiter((self.col[k] for k in repn.linear), np.int64, len(repn.linear))
            except KeyError:
                return None  # a variable the compiled matrix has no column for
            coefs = np.fromiter(repn.linear.values(), float, len(repn.linear))
            order = np.argsort(cols, kind="stable")
            cols, coefs = cols[order], coefs[order]
            offset = repn.constant
            for i in rows:
                lo, hi = A.indptr[i], A.indptr[i + 1]
                if not np.array_equal(A.indices[lo:hi], cols) or np.any(coefs == 0):
                    return None
                A.data[lo:hi] = coefs
                k = self.kind[i]
                if k == EQUAL:
                    lower[i] = upper[i] = ub - offset
                elif k == UPPER:
                    upper[i] = ub - offset
                else:
                    lower[i] = lb - offset
        c, offset = mx.c, mx.offset
        if objective:
            c, offset = self._objective()
            if c is None:
                return None
        return replace(mx, c=c, offset=offset, A=A, row_lower=lower, row_upper=upper)

    def _objective(self) -> tuple[np.ndarray | None, float]:
        objs = list(self.m.component_data_objects(pyo.Objective, active=True))
        if len(objs) != 1 or objs[0].sense != pyo.minimize:
            return None, 0.0
        if self.objective_folds_fixed:
            return None, 0.0  # the compiler folds fixed variables in after the walk
        repn = self.walk(objs[0].expr)
        if repn.nonlinear is not None:
            return None, 0.0
        c = np.zeros(len(self.mx.columns))
        for k, coef in repn.linear.items():
            j = self.col.get(k)
            if j is None:
                return None, 0.0
            c[j] = coef
        if np.any(self._objective_columns_only & (c == 0)):
            return None, 0.0  # a column only the objective held would vanish from a fresh compile
        return c, float(repn.constant)


def _bound_objects(v) -> tuple:
    """A variable's lower and upper bound as stored (number, None or expression) and its domain."""
    return v._lb, v._ub, v._domain


def _plain(bound) -> bool:
    return bound is None or type(bound) in (int, float)


def _same_kinds(kinds: np.ndarray, lb, ub) -> bool:
    """Whether bounds (lb, ub) give the compiled rows of these kinds (as the mixed-form compiler splits)."""
    if lb is not None and ub is not None and lb == ub:
        return list(kinds) == [EQUAL]
    want = ([UPPER] if ub is not None else []) + ([LOWER] if lb is not None else [])
    return list(kinds) == want
