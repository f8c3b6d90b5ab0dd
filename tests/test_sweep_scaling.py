"""The chosen-start solve of sweep variants runs HiGHS on the model rescaled by a power of two (solve.row_scale,
docs/sweeps.md "Eighth sitting"): the rescaled model is the same model in other units, bit for bit, and a demo
variant solved rescaled returns the plan of the unscaled solve with a bound below the variant's optimum."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from helpers import ROOT

import planner
from planner.backend.matrix import compile_model
from planner.backend.solve import chosen_start_model, highs_options, row_scale, scaled
from planner.schemas.sweep import load_sweep
from planner.studies.sweep import Worker, make_design, variant_scenario

solve_mod = importlib.import_module("planner.backend.solve")  # the module (planner.backend.solve is the function)
VARIANTS = (500, 501)


@pytest.fixture(scope="module")
def demo():
    """The demo LHS sweep's worker with the base plan and two anchors' plans, and its design."""
    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml")
    design = make_design(spec)
    w = Worker(spec)
    w.anchor_count = lambda _n: 2  # type: ignore[method-assign]
    w.use_plans(w.start_plans(len(design)))
    return spec, design, w


def test_the_rescaled_model_is_the_same_model_in_other_units_bit_for_bit(demo):
    _spec, _design, w = demo
    mx = compile_model(w.resolver.built.m)
    s = row_scale(mx)
    finite = np.abs(np.concatenate([mx.row_lower, mx.row_upper]))
    finite = finite[np.isfinite(finite)]
    assert s == 2.0 ** -6 and 8 <= finite.max() * s < 16  # the demo's largest row bound, 832, becomes 13
    smx, f = scaled(mx, s)
    assert np.array_equal(f[mx.integer], np.ones(mx.integer.sum())) and np.all(f[~mx.integer] == s)
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 50, mx.shape[1])
    assert np.array_equal(smx.A @ (f * x), s * (mx.A @ x))  # every row's activity times s, exactly
    assert float(smx.c @ (f * x)) == float(mx.c @ x) and smx.offset == mx.offset  # the objective's units kept
    assert np.array_equal(smx.row_lower, s * mx.row_lower) and np.array_equal(smx.row_upper, s * mx.row_upper)
    assert np.array_equal(smx.col_upper / f, mx.col_upper) and np.array_equal(smx.col_lower / f, mx.col_lower)
    _hmx, units, opts = chosen_start_model(mx, highs_options(w.spec.base.solver))
    assert np.array_equal(units, f) and opts["mip_feasibility_tolerance"] == 1e-7 * s


def test_row_scale_leaves_small_models_alone_and_stops_at_2_to_the_minus_6(demo):
    _spec, _design, w = demo
    mx = compile_model(w.resolver.built.m)
    small = scaled(mx, 2.0 ** -7)[0]  # largest row bound 6.5: below 16, nothing to do
    assert row_scale(small) == 1.0
    assert chosen_start_model(small, highs_options(w.spec.base.solver))[1] is None
    big = scaled(mx, 2.0 ** 8)[0]  # largest row bound 212,992: the rule would give 2**-14, capped at 2**-6
    assert row_scale(big) == 2.0 ** -6


def test_a_variant_solved_rescaled_returns_the_unscaled_plan_within_the_gap_of_its_optimum(demo, monkeypatch):
    spec, design, w = demo
    rescaled = {i: w.run(i, design.values[i])["metrics"].iloc[0] for i in VARIANTS}
    monkeypatch.setattr(solve_mod, "row_scale", lambda _mx: 1.0)
    unscaled = {i: w.run(i, design.values[i])["metrics"].iloc[0] for i in VARIANTS}
    gap = spec.base.solver.mip_rel_gap
    for i in VARIANTS:
        a, b = rescaled[i], unscaled[i]
        assert a.status == b.status == "optimal"
        assert a.objective_cny == pytest.approx(b.objective_cny, rel=1e-12)  # the same plan
        assert a.gap <= gap and a.bound_cny <= a.objective_cny
        # the reference: the same variant solved to a gap of 1e-6 without a start
        sc = variant_scenario(spec, design.values[i], i)
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 1e-6})})
        ref = planner.plan(sc).summary
        assert a.bound_cny <= ref["objective_cny"] * (1 + 1e-9)  # a valid bound
        assert a.objective_cny <= ref["objective_cny"] * (1 + gap)  # within the gap of the optimum


def test_a_bound_equal_to_the_plan_from_a_chosen_start_is_stored_as_the_gap_limit(demo):
    """HiGHS reports its incumbent as the dual bound when it prunes the root against its gap limit (seen on
    rescaled demo variants whose optimum was lower): a chosen-start solve stores the limit instead."""
    from types import SimpleNamespace

    spec, _design, w = demo
    mx = compile_model(w.resolver.built.m)
    x = w.resolver.start.vectors(mx.columns)[0]
    obj = float(mx.c @ x + mx.offset)
    stub = SimpleNamespace(getModelStatus=lambda: solve_mod.MS.kOptimal,
                           getInfo=lambda: SimpleNamespace(primal_solution_status=2, mip_dual_bound=obj),
                           getSolution=lambda: SimpleNamespace(col_value=list(x)))
    gap = spec.base.solver.mip_rel_gap
    args = (w.resolver.built, mx, stub, None, {}, 0.0, 0.0, 0.0, None, (0, 0, 0), gap)
    kept = solve_mod._finish(*args, chosen=True)
    assert kept.objective_mcny == pytest.approx(obj, rel=1e-12)
    assert kept.bound_mcny == pytest.approx(obj - gap * abs(obj), rel=1e-12) and kept.gap == pytest.approx(gap)
    assert solve_mod._finish(*args).bound_mcny == pytest.approx(obj, rel=1e-12)  # other solves keep HiGHS's word
    lower = SimpleNamespace(**{**vars(stub), "getInfo": lambda: SimpleNamespace(primal_solution_status=2,
                                                                                 mip_dual_bound=obj * 0.9995)})
    assert solve_mod._finish(w.resolver.built, mx, lower, *args[3:], chosen=True).bound_mcny == pytest.approx(
        obj * 0.9995, rel=1e-12)  # a bound below the plan's objective is HiGHS's proof, kept
