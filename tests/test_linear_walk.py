"""The written-out linear walk (planner/backend/linear_walk.py, docs/model.md §12 hand-over) gives what Pyomo's
LinearRepnVisitor gives, bit for bit: on every row and objective of the bundled scenarios, of generated
portfolios and of the elastic model, on random expressions built the ways the builder builds them, and in
the sweep's patcher."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyomo.repn.linear import LinearRepnVisitor
from pyomo.repn.util import TemplateVarRecorder
from test_matrix import assert_identical

from planner.backend.linear_walk import FastLinearWalk, walker
from planner.backend.matrix import SORTER, pyomo_compile, stream_compile
from planner.backend.patch import MatrixPatcher
from planner.preprocess.prepare import prepare
from planner.run import build_model
from planner.schemas import load_scenario
from planner.synthetic import portfolio

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _bits(x) -> tuple:
    """A number as its type and exact value (a float by its IEEE bits: -0.0 is not 0.0)."""
    if isinstance(x, float):
        return float, struct.pack("<d", x)
    return type(x), x


def assert_same_repn(a, b) -> None:
    """Same linear map (keys in the same order, coefficients bit for bit), constant, multiplier, no
    nonlinear part on one side only."""
    assert list(a.linear) == list(b.linear)
    assert [_bits(c) for c in a.linear.values()] == [_bits(c) for c in b.linear.values()]
    assert _bits(a.constant) == _bits(b.constant)
    assert _bits(a.multiplier) == _bits(b.multiplier)
    assert (a.nonlinear is None) == (b.nonlinear is None)
    if a.nonlinear is not None:
        assert str(a.nonlinear) == str(b.nonlinear)


def _visitor() -> LinearRepnVisitor:
    return LinearRepnVisitor({}, var_recorder=TemplateVarRecorder({}, SORTER))


def test_the_compiler_and_the_patcher_use_the_written_out_walk():
    """On this Pyomo the written-out walk is the one used (the comparisons below compare it, not the walker
    with itself)."""
    assert isinstance(walker(_visitor()).__self__, FastLinearWalk)
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.c = pyo.Constraint(expr=m.x >= 1)
    m.o = pyo.Objective(expr=m.x)
    assert isinstance(MatrixPatcher(m).walk.__self__, FastLinearWalk)


def walk_both(exprs) -> None:
    """Walk the expressions in order with Pyomo's walker and with the written-out one (each with its own
    recorder and cache): the same results, the same variables recorded in the same order, the same cache."""
    ref, mine = _visitor(), _visitor()
    fast = FastLinearWalk(mine)
    for e in exprs:
        assert_same_repn(ref.walk_expression(e), fast.walk(e))
    assert list(ref.var_map) == list(mine.var_map)
    assert list(ref.var_recorder.var_order.items()) == list(mine.var_recorder.var_order.items())
    assert set(ref.subexpression_cache) == set(mine.subexpression_cache)
    for k, (t, r) in ref.subexpression_cache.items():
        t2, r2 = mine.subexpression_cache[k]
        assert t == t2
        if hasattr(r, "linear"):
            assert_same_repn(r, r2)
        else:
            assert _bits(r) == _bits(r2)


def model_expressions(m: pyo.ConcreteModel) -> list:
    """The objective, then every active constraint body, in the compiler's order."""
    exprs = [o.expr for o in m.component_data_objects(pyo.Objective, active=True, sort=SORTER)]
    return exprs + [c.to_bounded_expression()[1]
                    for c in m.component_data_objects(pyo.Constraint, active=True, sort=SORTER)]


def _scenario_model(path: Path, elastic: bool = False) -> pyo.ConcreteModel:
    pre = prepare(load_scenario(path))
    return build_model(pre.inputs, pre.targets, elastic=elastic).m


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_row_of_every_bundled_scenario_walks_to_the_walkers_result(path):
    m = _scenario_model(path)
    walk_both(model_expressions(m))
    a = stream_compile(m)
    assert_identical(a, stream_compile(m, fast=False))
    assert_identical(a, pyomo_compile(m))


@pytest.mark.parametrize("sites", [2, 7])
def test_generated_portfolios_and_the_elastic_model_compile_to_the_walkers_matrix(sites):
    pre = prepare(portfolio(sites, end_year=2032))
    for elastic in (False, True):
        m = build_model(pre.inputs, pre.targets, elastic=elastic).m
        walk_both(model_expressions(m))
        a = stream_compile(m)
        assert_identical(a, stream_compile(m, fast=False))
        assert_identical(a, pyomo_compile(m))


def test_the_elastic_demo_compiles_to_the_walkers_matrix():
    m = _scenario_model(ROOT / "scenarios" / "demo.yaml", elastic=True)
    walk_both(model_expressions(m))
    assert_identical(stream_compile(m), stream_compile(m, fast=False))


# random expressions built as the builder builds them: sums with repeated variables, monomials with number,
# parameter and parameter-product coefficients, named expressions, constants, negations, scalings, divisions
NUMBERS = st.one_of(st.sampled_from([0.0, -0.0, 0, 1, -1, 2, 1.0, -1.0, 0.1, -0.3, 1e-9, 1e12, 3]),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
VAR = st.integers(0, 6)  # x[0..3], y[0..1], the fixed scalar f
PARAM = st.integers(0, 2)
BASE = [st.tuples(st.just("var"), VAR), st.tuples(st.just("mono"), NUMBERS, VAR),
        st.tuples(st.just("pmono"), PARAM, VAR), st.tuples(st.just("ppmono"), PARAM, PARAM, VAR),
        st.tuples(st.just("npmono"), NUMBERS, PARAM, VAR), st.tuples(st.just("const"), NUMBERS),
        st.tuples(st.just("param"), PARAM)]


def _trees(leaf):
    return st.recursive(leaf, lambda kids: st.one_of(
        st.tuples(st.just("sum"), st.lists(kids, min_size=1, max_size=6)),
        st.tuples(st.just("sub"), kids, kids), st.tuples(st.just("neg"), kids),
        st.tuples(st.just("scale"), NUMBERS, kids), st.tuples(st.just("rscale"), kids, NUMBERS),
        st.tuples(st.just("pscale"), PARAM, kids),
        st.tuples(st.just("div"), st.sampled_from([2.0, -4.0, 0.3]), kids)), max_leaves=16)


NAMED_DEFS = st.lists(_trees(st.one_of(*BASE)), min_size=3, max_size=3)
TREES = _trees(st.one_of(*BASE, st.tuples(st.just("named"), st.integers(0, 2))))


def _build(t, m):
    kind = t[0]
    xs = [m.x[0], m.x[1], m.x[2], m.x[3], m.y[0], m.y[1], m.f]
    if kind == "var":
        return xs[t[1]]
    if kind == "mono":
        return t[1] * xs[t[2]]
    if kind == "pmono":
        return m.p[t[1]] * xs[t[2]]
    if kind == "ppmono":
        return (m.p[t[1]] * m.p[t[2]]) * xs[t[3]]
    if kind == "npmono":
        return (t[1] * m.p[t[2]]) * xs[t[3]]
    if kind == "const":
        return t[1]
    if kind == "param":
        return m.p[t[1]]
    if kind == "named":
        return m.e[t[1]]
    if kind == "sum":
        return sum(_build(k, m) for k in t[1])
    if kind == "sub":
        return _build(t[1], m) - _build(t[2], m)
    if kind == "neg":
        return -_build(t[1], m)
    if kind == "scale":
        return t[1] * _build(t[2], m)
    if kind == "rscale":
        return _build(t[1], m) * t[2]
    if kind == "pscale":
        return m.p[t[1]] * _build(t[2], m)
    return _build(t[2], m) / t[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(named=NAMED_DEFS, bodies=st.lists(TREES, min_size=1, max_size=4),
       params=st.lists(NUMBERS, min_size=3, max_size=3))
def test_random_linear_expressions_walk_to_the_walkers_result(named, bodies, params):
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(4))
    m.y = pyo.Var(range(2))
    m.f = pyo.Var(initialize=1.5)
    m.f.fix()
    m.p = pyo.Param(range(3), mutable=True, initialize=dict(enumerate(params)))
    m.e = pyo.Expression(range(3))
    for k, t in enumerate(named):
        m.e[k] = _build(t, m)
    exprs = [_build(t, m) for t in bodies]
    # each body alone (fresh caches), then all together (named expressions cached by the earlier bodies)
    for e in exprs:
        walk_both([e])
    walk_both(exprs)


def test_hand_built_nodes_at_the_edges_walk_to_the_walkers_result():
    """Nodes built directly (not through operators): signed zeros in sums, a zero coefficient before a
    non-zero one for the same variable, a named expression scaled by zero, negated, scaled and divided, a fixed
    variable met before its component is recorded."""
    from pyomo.core.expr.numeric_expr import (
        DivisionExpression,
        LinearExpression,
        MonomialTermExpression,
        NegationExpression,
        ProductExpression,
        SumExpression,
    )

    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(3))
    m.f = pyo.Var(initialize=2.0)
    m.f.fix()
    m.p = pyo.Param(mutable=True, initialize=-0.0)
    m.e = pyo.Expression(expr=LinearExpression([MonomialTermExpression((0.0, m.x[0])), m.x[1],
                                                 MonomialTermExpression((2.5, m.x[0])), -0.0]))
    x0, x1, x2 = m.x[0], m.x[1], m.x[2]
    cases = [
        SumExpression([-0.0, x0]),
        SumExpression([-0.0, MonomialTermExpression((0.0, x1))]),
        SumExpression([-0.0, MonomialTermExpression((m.p, x1)), x2]),
        SumExpression([x0, ProductExpression((0.0, m.e)), -0.0]),
        SumExpression([ProductExpression((m.e, -1.5)), NegationExpression((m.e,)), x0]),
        SumExpression([NegationExpression((ProductExpression((3.0, m.e)),)), DivisionExpression((m.e, 4.0))]),
        SumExpression([MonomialTermExpression((3.0, m.f)), m.f, x0, MonomialTermExpression((-1.0, x0))]),
        LinearExpression([MonomialTermExpression((0.0, x2)), MonomialTermExpression((1e-300, x2)), -0.0]),
        NegationExpression((m.e,)),
        m.e,
    ]
    for e in cases:
        walk_both([e])
    walk_both(cases)
    walk_both(cases[::-1])


def test_a_coefficient_that_cannot_be_evaluated_fails_as_the_walker_does():
    """A parameter without a value: the same error from both walks."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(range(2))
    m.p = pyo.Param(mutable=True)
    e = m.p * m.x[0] + m.x[1]
    errors = []
    for walk in (_visitor().walk_expression, FastLinearWalk(_visitor()).walk):
        with pytest.raises(Exception) as info:  # noqa: PT011 - whatever the walker raises
            walk(e)
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1]


def test_the_patcher_gives_pyomos_matrix_after_every_mutable_parameter_moved():
    """Every mutable parameter scaled (zeros stay zeros): the patched matrix is Pyomo's own compile of the
    changed model, entry for entry, and it was patched, not compiled whole."""
    m = _scenario_model(ROOT / "scenarios" / "demo.yaml")
    patcher = MatrixPatcher(m)
    rng = np.random.default_rng(3)
    for _ in range(2):
        patcher.watch()
        for p in m.component_data_objects(pyo.Param):
            if p.parent_component().mutable and isinstance(p.value, float) and math.isfinite(p.value):
                p.set_value(p.value * float(rng.uniform(0.5, 1.5)))
        patched = patcher.matrix()
        assert patcher.patched_rows > 0
        assert_identical(patched, pyomo_compile(m))
    assert patcher.full_compiles == 1
