"""The hand-over (planner/backend/matrix.py, docs/model.md §12): the stream compiler gives Pyomo's standard-form
matrix entry for entry, and the whole model reaches HiGHS only when the decomposition has not proven the gap."""

from __future__ import annotations

import importlib

import numpy as np
import pyomo.environ as pyo
import pytest

from planner.backend.matrix import pyomo_compile, stream_compile
from planner.preprocess.prepare import prepare
from planner.run import build_model
from planner.synthetic import portfolio

solve_mod = importlib.import_module("planner.backend.solve")  # the module (planner.backend.solve is the function)


def assert_identical(a, b) -> None:
    """Same arrays (values and dtypes), offset, and the very same column and row objects in the same order."""
    assert a.A.shape == b.A.shape
    for f in ("data", "indices", "indptr"):
        x, y = getattr(a.A, f), getattr(b.A, f)
        assert x.dtype == y.dtype and np.array_equal(x, y), f
    for f in ("c", "row_lower", "row_upper", "col_lower", "col_upper", "integer"):
        x, y = getattr(a, f), getattr(b, f)
        assert x.dtype == y.dtype and np.array_equal(x, y), f
    assert a.offset == b.offset
    assert len(a.columns) == len(b.columns) and all(u is v for u, v in zip(a.columns, b.columns, strict=True))
    assert len(a.rows) == len(b.rows) and all(u is v for u, v in zip(a.rows, b.rows, strict=True))


def _small() -> pyo.ConcreteModel:
    """Every kind of row the compiler treats apart: equality with variables on both sides, ranged (two rows),
    one-sided both ways, constant and satisfied (dropped), a fixed variable (a constant),
    a variable in no row (dropped), a mutable parameter, integer and binary domains, a maximised objective."""
    m = pyo.ConcreteModel()
    m.I = pyo.Set(initialize=[3, 1, 2], ordered=True)
    m.x = pyo.Var(m.I, bounds=(0, 10))
    m.b = pyo.Var(domain=pyo.Binary)
    m.n = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(None, 7))
    m.unused = pyo.Var()
    m.f = pyo.Var(initialize=2.0)
    m.f.fix()
    m.p = pyo.Param(initialize=1.5, mutable=True)
    m.e = pyo.Expression(expr=m.x[1] + 2 * m.x[2])
    m.eq = pyo.Constraint(expr=m.x[3] + m.f == m.e - m.b)
    m.ranged = pyo.Constraint(expr=pyo.inequality(-1, m.x[1] - m.x[2] + m.p, 4))
    m.up = pyo.Constraint(expr=m.n + m.e <= 9 * m.p)
    m.down = pyo.Constraint(expr=m.n - 3 * m.b >= m.f)
    m.const = pyo.Constraint(expr=m.f <= 5)
    m.obj = pyo.Objective(expr=3 * m.x[3] - m.n + 2 * m.e + m.f + 1, sense=pyo.maximize)
    return m


def test_stream_compiler_gives_pyomos_matrix_on_every_kind_of_row():
    m = _small()
    a, b = stream_compile(m), pyomo_compile(m)
    assert_identical(a, b)
    # the ranged row is two rows (upper, then lower); the constant row and the unused column go
    assert [r.name for r in a.rows] == ["eq", "ranged", "ranged", "up", "down"]
    assert a.shape == (5, 5) and a.offset == -3.0  # maximised: −(2 + 1)
    assert np.array_equal(a.integer, [False, False, False, True, True])


def test_stream_compiler_raises_on_a_constant_row_that_breaks_its_bounds_as_pyomos_does():
    m = _small()
    m.f.fix(6.0)  # const: 6 <= 5
    from pyomo.common.errors import InfeasibleConstraintException

    with pytest.raises(InfeasibleConstraintException):
        pyomo_compile(m)
    with pytest.raises(InfeasibleConstraintException):
        stream_compile(m)


@pytest.fixture(scope="module")
def two():
    sc = portfolio(2, end_year=2030)
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"threads": 1, "heuristic": "sites"})})
    pre = prepare(sc)
    return sc, pre


def test_stream_compiler_gives_pyomos_matrix_on_a_portfolio(two):
    _sc, pre = two
    for elastic in (False, True):
        m = build_model(pre.inputs, pre.targets, elastic=elastic).m
        assert_identical(stream_compile(m), pyomo_compile(m))


def test_whole_model_goes_to_highs_only_when_the_decomposition_has_not_proven_the_gap(two, monkeypatch):
    """At a gap of 50% the decomposition proves the gap: no whole-model HiGHS instance is made (every solve
    that goes on to HiGHS, in the other tests, makes it once)."""
    sc, pre = two
    made = []
    real = solve_mod.to_highs
    monkeypatch.setattr(solve_mod, "to_highs", lambda *a, **k: made.append(1) or real(*a, **k))
    built = build_model(pre.inputs, pre.targets)
    info = solve_mod.solve(built, sc.solver.model_copy(update={"mip_rel_gap": 0.5}))
    assert info.has_solution and info.termination == "heuristic_gap_reached" and made == []


class _StoppedHighs:
    """A HiGHS run stopped by its time limit holding plan x with dual bound `bound` (what HiGHS reports when
    the plan that closes the gap arrives in its last batch of nodes: it checks the clock before its queue)."""

    def __init__(self, x, bound):
        self.x, self.bound = x, bound

    def getModelStatus(self):
        return solve_mod.MS.kTimeLimit

    def getInfo(self):
        return type("Info", (), {"primal_solution_status": 2, "mip_dual_bound": self.bound})()

    def getSolution(self):
        return type("Solution", (), {"col_value": self.x})()


def test_a_time_limited_run_within_the_requested_gap_is_optimal_and_beyond_it_is_not(two):
    sc, pre = two
    built = build_model(pre.inputs, pre.targets)
    mx = stream_compile(built.m)
    info = solve_mod.solve(built, sc.solver.model_copy(update={"mip_rel_gap": 1e-4, "heuristic": "off"}))
    x = np.array([v.value or 0.0 for v in mx.columns])
    obj = float(mx.c @ x + mx.offset)
    assert abs(obj - info.objective_mcny) <= 1e-9 * abs(obj)
    for bound, gap, status in ((obj - 0.5e-4 * abs(obj), 0.5e-4, "optimal"),
                               (obj - 2e-4 * abs(obj), 2e-4, "time_limit")):
        got = solve_mod._finish(built, mx, _StoppedHighs(x, bound), None, {}, 0.0, 0.0, 0.0, 1.0, (1, 1, 1), 1e-4)
        assert got.status == status and got.termination == "kTimeLimit"
        assert got.gap == pytest.approx(gap, rel=1e-6)
