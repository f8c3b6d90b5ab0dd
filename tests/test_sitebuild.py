"""Parallel build (planner/backend/sitebuild.py, docs/model.md §12): the matrix added up from the company part
and the chunks of sites built in worker processes equals the one compiled from the whole Pyomo model, and a
plan solved from it is the plan of the serial build."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from planner.backend import sitebind
from planner.backend import sitebuild as sb
from planner.backend.decompose import column_groups, column_owner
from planner.backend.matrix import compile_model
from planner.backend.solve import model_size
from planner.preprocess.prepare import prepare
from planner.run import build_model, run_plan
from planner.synthetic import portfolio


def _with_solver(sc, **upd):
    return sc.model_copy(update={"solver": sc.solver.model_copy(update={"threads": 1, **upd})})


@pytest.fixture(scope="module")
def four():
    """portfolio(4) to 2035: its inputs, the whole model, its compiled matrix and the matrix built in parts (chunks
    of 3 sites on 2 forked workers: a chunk of 3 and one of 1)."""
    pre = prepare(portfolio(4, end_year=2035))
    inp, rows = pre.inputs, pre.targets
    built = build_model(inp, rows)
    mx = compile_model(built.m)
    asm = sb.build_assembled(inp, rows, workers=2, chunk=3)
    return inp, built, mx, asm


def test_assembled_matrix_equals_the_whole_models(four):
    """Same columns and rows (by key; the assembled order is the sites' columns chunk by chunk, then the
    company's), the same coefficients, bounds, integrality, objective and offset; the same column groups
    and owners as decompose.column_groups / column_owner of the whole model."""
    inp, built, mx, asm = four
    a = asm.mx
    names = sb._names(mx.columns)
    keys = sb.row_keys(mx, names)
    assert sorted(map(repr, a.columns)) == sorted(map(repr, names))
    assert sorted(asm.names) == sorted(v.name for v in mx.columns)
    assert sorted(map(repr, a.rows)) == sorted(map(repr, keys))
    col = {k: j for j, k in enumerate(a.columns)}
    row = {k: i for i, k in enumerate(a.rows)}
    pc = np.array([col[k] for k in names])
    pr = np.array([row[k] for k in keys])
    assert a.shape == mx.shape
    diff = a.A[pr][:, pc] - mx.A
    diff.eliminate_zeros()
    assert diff.nnz == 0  # every coefficient equal (exactly: chunk − company cancels where a chunk adds nothing)
    assert a.A.nnz == mx.A.nnz
    for f in ("c", "col_lower", "col_upper", "integer"):
        assert np.array_equal(getattr(a, f)[pc], getattr(mx, f)), f
    for f in ("row_lower", "row_upper"):
        assert np.array_equal(getattr(a, f)[pr], getattr(mx, f)), f
    assert a.offset == mx.offset
    groups, sites = column_groups(built, mx)
    assert asm.sites == sites
    assert np.array_equal(asm.col_group[pc], groups)
    assert np.array_equal(asm.owner[pc], column_owner(built, mx))
    # each site's columns come from one chunk, the company's from the company part: 4 sites + the company
    assert set(asm.col_group) == set(range(len(inp.sites) + 1))


def test_bound_matrix_is_the_compiled_one_in_its_order(four):
    """sitebind.bind() puts the assembled matrix in the compiler's order with the whole model's objects: HiGHS gets
    exactly the matrix of a serial build (so the same plan), and model_size is the same."""
    _inp, built, mx, asm = four
    bmx, size = sitebind.bind(asm, built)
    assert all(v is w for v, w in zip(bmx.columns, mx.columns, strict=True))
    assert all(r is s for r, s in zip(bmx.rows, mx.rows, strict=True))
    assert (bmx.A != mx.A).nnz == 0
    for f in ("c", "col_lower", "col_upper", "integer", "row_lower", "row_upper"):
        assert np.array_equal(getattr(bmx, f), getattr(mx, f)), f
    assert size == model_size(built.m)


def test_parallel_build_gives_the_serial_plan(monkeypatch):
    """run_plan with solver.build parallel (chunks of 10: one chunk here, plus the company part) returns the
    frames of the serial build, value for value."""
    sc = portfolio(3, end_year=2032)
    serial = run_plan(_with_solver(sc, build="serial"))
    bound = []
    monkeypatch.setattr(sitebind, "bind", lambda asm, built, f=sitebind.bind: bound.append(f(asm, built)) or bound[-1])
    parallel = run_plan(_with_solver(sc, build="parallel"))
    assert len(bound) == 1  # the parallel path was taken, not the serial fallback
    assert parallel.summary["objective_cny"] == serial.summary["objective_cny"]
    assert parallel.summary["model"] == serial.summary["model"]
    for name, frame in serial.frames().items():
        pd.testing.assert_frame_equal(frame, parallel.frames()[name], check_exact=True)


def test_when_the_parallel_build_is_used(four):
    """auto: from PARALLEL_MIN_SITES sites with PARALLEL_MIN_WORKERS workers; never for a model that does not
    split (a measure requiring another site's measure, a target over named sites)."""
    inp, built, _mx, _asm = four
    rows = built.targets
    solver = portfolio(1).solver
    assert not sb.use_parallel(solver.model_copy(update={"build": "serial"}), inp, rows)
    assert sb.use_parallel(solver.model_copy(update={"build": "parallel"}), inp, rows)
    assert not sb.use_parallel(solver.model_copy(update={"build": "auto"}), inp, rows)  # 4 sites
    big = dataclasses.replace(inp, sites=[f"s{i}" for i in range(sb.PARALLEL_MIN_SITES)])
    many = solver.model_copy(update={"build": "auto", "threads": sb.PARALLEL_MIN_WORKERS})
    assert sb.use_parallel(many, big, rows) == ((sb.default_workers(many.threads)) >= sb.PARALLEL_MIN_WORKERS)
    assert not sb.use_parallel(many.model_copy(update={"threads": 1}), big, rows)
    bat = next(m for m in inp.measures if m.id == "site000_bat")
    cross = dataclasses.replace(inp, measures=[m.model_copy(update={"requires": ["site001_pv"]}) if m is bat else m
                                               for m in inp.measures])
    assert not sb.separable(cross, rows)
    assert not sb.use_parallel(solver.model_copy(update={"build": "parallel"}), cross, rows)
    intensity = [dataclasses.replace(rows[0], site_factors=(("site000", 1.0),))] + rows[1:]
    assert not sb.separable(inp, intensity)
