"""The parallel build's matrix bound to the whole Pyomo model (docs/model.md §12, "Parallel build"): the
columns and rows added up from the parts (sitebuild.py) become the whole model's variable and constraint
objects, in the order Pyomo's standard-form compiler gives that model, so HiGHS solves the very matrix of a
serial build and a plan loads back into the model the results read."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.numeric_types import native_types
from pyomo.core.expr.visitor import identify_variables
from pyomo.repn.util import FileDeterminism, FileDeterminism_to_SortComponents

from .builder import BuiltModel
from .matrix import Matrix
from .sitebuild import Assembled, NotSeparable, _component_data, _list_key

SORTER = FileDeterminism_to_SortComponents(FileDeterminism.ORDERED)  # the standard-form compiler's default


def bind(asm: Assembled, built: BuiltModel) -> tuple[Matrix, tuple[int, int, int]]:
    """The assembled matrix in the order `matrix.compile_model` gives the whole model, with that model's
    variable and constraint objects as columns and rows (looked up by name): HiGHS then sees the same matrix
    as after a serial build, so the plan is the same, and it loads back into `built` (matrix.load_values).
    Returns the matrix and `solve.model_size(built.m)`."""
    m = built.m
    rows = list(m.component_data_objects(pyo.Constraint, active=True, sort=SORTER))
    listed = {}
    for r in rows:
        parent = r.parent_component()
        if isinstance(parent, pyo.ConstraintList):
            listed[_list_key(parent.name, ((v.parent_component().name, v.index())
                                           for v in identify_variables(r.body, include_fixed=False)))] = r
    found: dict[str, object] = {}
    try:
        cols = [_component_data(m, k, found) for k in asm.mx.columns]
        rws = [listed[k] if isinstance(k[1], tuple) and k in listed else _component_data(m, k, found)
               for k in asm.mx.rows]
    except KeyError as exc:
        raise NotSeparable(f"{exc.args[0]} is not in the whole model") from None
    rank = {id(r): i for i, r in enumerate(rows)}
    row_perm = np.argsort(np.fromiter((rank[id(r)] for r in rws), np.int64, len(rws)), kind="stable")
    mx = asm.mx
    A = sp.csr_array(mx.A[row_perm])
    rws = [rws[i] for i in row_perm]
    col_perm = _compiler_column_order(m, cols, A, rws)
    A = sp.csr_array(A[:, col_perm])
    A.sort_indices()
    nv = nb = 0
    for v in m.component_data_objects(pyo.Var, active=True):
        if not v.fixed:
            nv += 1
            nb += v.is_binary()
    return Matrix(mx.c[col_perm], mx.offset, A, mx.row_lower[row_perm], mx.row_upper[row_perm],
                  mx.col_lower[col_perm], mx.col_upper[col_perm], mx.integer[col_perm],
                  [cols[j] for j in col_perm], rws), (nv, nb, len(rows))


def _compiler_column_order(m: pyo.ConcreteModel, cols: list, A: sp.csr_array, rows: list) -> np.ndarray:
    """Permutation of `cols` into the compiler's column order: variable components in the order the compiler
    first meets them (walking the objective, then the rows in order), each with all its members in index
    order. A component first met in row r is found from the matrix (its columns' first row); components met
    first in the same row are ordered by walking that row."""
    pos = {id(v): j for j, v in enumerate(cols)}
    comp_of = [v.parent_component() for v in cols]
    order: dict[int, object] = {}
    done: set[int] = set()
    for obj in m.component_data_objects(pyo.Objective, active=True, sort=SORTER):
        _components_met(obj.expr, order, done)
    csc = sp.csc_array(A)
    csc.sort_indices()
    nnz = np.diff(csc.indptr)
    first_row = np.where(nnz > 0, csc.indices[np.minimum(csc.indptr[:-1], max(csc.indices.size - 1, 0))],
                         np.iinfo(np.int64).max)
    first: dict[int, tuple[int, object]] = {}
    for j, comp in enumerate(comp_of):
        k = id(comp)
        if k in order:
            continue
        r = int(first_row[j])
        if k not in first or r < first[k][0]:
            first[k] = (r, comp)
    by_row: dict[int, list] = {}
    for r, comp in first.values():
        by_row.setdefault(r, []).append(comp)
    for r in sorted(by_row):
        comps = by_row[r]
        if len(comps) > 1:  # the order in which the row's expression names them
            seen = {id(c) for c in comps}
            met: dict[int, object] = {}
            _components_met(rows[r].body, met, set())
            comps = [c for k, c in met.items() if k in seen]
        for comp in comps:
            order.setdefault(id(comp), comp)
    perm = [pos[id(v)] for comp in order.values() for v in comp.values(SORTER) if id(v) in pos]
    if len(perm) != len(cols):
        raise NotSeparable("the assembled columns do not match the whole model's")
    return np.asarray(perm, dtype=np.int64)


def _components_met(expr, out: dict, done: set) -> None:
    """Add to `out` (id -> component) the variable components of expr in the order a depth-first walk meets
    their first free variable, as the standard-form compiler's walk does; a named expression in `done` was
    walked before and is skipped (it can add no component met for the first time)."""
    stack = [expr]
    kinds = _KINDS
    while stack:
        e = stack.pop()
        cls = e.__class__
        kind = kinds.get(cls)
        if kind is None:
            kind = kinds[cls] = _kind(e)
        if kind == 1:
            if not e.fixed:
                comp = e.parent_component()
                if id(comp) not in out:
                    out[id(comp)] = comp
        elif kind == 2:
            if id(e) not in done:
                done.add(id(e))
                stack.append(e.expr)
        elif kind == 3:
            stack.extend(reversed(e.args))


_KINDS: dict[type, int] = {}  # class -> 0 constant or parameter, 1 variable, 2 named expression, 3 expression


def _kind(e) -> int:
    if e.__class__ in native_types:
        return 0
    if e.is_variable_type():
        return 1
    if e.is_named_expression_type():
        return 2
    return 3 if e.is_expression_type() else 0
