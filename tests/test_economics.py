"""Issue 23: one name, one cost per tonne; NPV, IRR and payback of a measure on one cash-flow series (with a
reason where none exists); the internal carbon price kept apart from the cash NPV everywhere a total is shown."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import compared, two_retrofits
from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner.postprocess import cashflow
from planner.report.common.i18n import NOTE
from planner.report.plan import story


@pytest.fixture(scope="module")
def demos(demo_plan, bundled_plan):
    """demo, demo_no_ccus and demo_high_carbon compared, as `compare` of their files gives it, from the plans the
    session fixtures solve once per test run (helpers.compared)."""
    return compared({"demo": demo_plan, **{n: bundled_plan(n) for n in ("demo_no_ccus", "demo_high_carbon")}},
                    reference="demo")


def _plans(c) -> dict[str, planner.Plan]:
    return {r.label: r.plan for r in c.runs}


# -- 1. one measure, one cost per tonne under each name ------------------------------------------------
def test_a_cost_per_tonne_agrees_wherever_it_has_the_same_name(demos):
    """Fails on the old code: the plan MACC's cost_cny_per_tco2e of east_ems was -1,271 (discounted cost /
    discounted abatement) and measure_economics' -668 (the same cost / undiscounted abatement)."""
    for label, p in _plans(demos).items():
        macc = p.macc.set_index("measure").plan_cost_cny_per_tco2e
        econ = p.measure_economics.set_index("measure")
        both = macc.index.intersection(econ.index)
        assert len(both) >= 10
        assert np.allclose(macc[both], econ.loc[both, "plan_cost_cny_per_tco2e"], rtol=1e-9), label
        # the definition: discounted net cost / discounted abatement, scope 1 + 2 market + 3
        assert np.allclose(econ.loc[both, "discounted_cost_cny"] / econ.loc[both, "discounted_abatement_tco2e"],
                           macc[both], rtol=1e-9)
        table = demos.economics[demos.economics.scenario == label].set_index("measure")
        assert np.allclose(table.loc[both, "plan_cost_cny_per_tco2e"], macc[both], rtol=1e-9)
        assert "cost_cny_per_tco2e" not in p.macc.columns and "cost_cny_per_tco2e" not in econ.columns
    ems = _plans(demos)["demo"].macc.set_index("measure").plan_cost_cny_per_tco2e["east_ems"]
    assert ems == pytest.approx(-1271.4, abs=0.5)


def test_the_takeaway_quotes_the_stand_alone_cost_per_tonne():
    """The stand-alone MACC's takeaway quotes standalone_cost_cny_per_tco2e (not the plan's cost)."""
    macc = pd.DataFrame({"measure": ["a", "b", "c"], "name": ["A", "B", "C"], "name_zh": ["", "", ""],
                         "family": ["f"] * 3, "site": ["s"] * 3, "abatement_tco2e": [3e3, 2e3, 1e3],
                         "plan_cost_cny_per_tco2e": [-5.0, 10.0, -1.0]})
    sa = macc.drop(columns="plan_cost_cny_per_tco2e").assign(standalone_cost_cny_per_tco2e=[9.0, -3.0, 4.0],
                                                             potential_tco2e_per_yr=1.0)
    fr = {"macc": macc, "macc_standalone": sa}
    text = story.macc_standalone(fr, "en")
    # the stand-alone cost, by its name
    assert "1 of 3 measures save money" in text and "B" in text and "-3 CNY/t" in text


# -- 2. NPV, IRR and payback on one series -------------------------------------------------------------
FLOWS = st.lists(st.integers(-1000, 1000).map(float), min_size=1, max_size=25)


@settings(max_examples=400, deadline=None)
@given(FLOWS, st.floats(0.0, 0.5))
def test_npv_irr_and_payback_agree_on_random_series(flows, rate):
    f = np.array(flows)
    value, tol = cashflow.npv(f, rate), 1e-7 * (np.abs(f).sum() + 1)
    r, note = cashflow.irr(f)
    years, why = cashflow.payback(f)
    assert (note == "") == (not math.isnan(r)) and (why == "") == (not math.isnan(years))
    assert note in NOTE or not note
    assert why in NOTE or not why
    cum = np.cumsum(f)
    neg = np.flatnonzero(cum < -1e-6)
    if not math.isnan(years):  # pays back within the horizon: the cumulative cash flow is non-negative then
        k = max(math.ceil(years) - 1, 0)
        assert cum[k] >= -1e-6
        if years > 0:  # it had been negative, and stayed so until the year it recovers
            assert len(neg) and neg[0] <= k and (cum[neg[0]:k] < 0).all()
        else:
            assert not len(neg)
    elif (np.abs(f) > 0).any():  # never pays back: negative from its first negative year to the end
        assert len(neg) and (cum[neg[0]:] < 0).all()
    if not math.isnan(r):
        if value < -tol:
            assert r < rate
        if value > tol:
            assert r > rate
        g = f[cashflow.first_flow(f):]
        assert abs(cashflow.npv(g, r)) <= 1e-6 * cashflow.npv(np.abs(g), r)  # relative to the terms' size
        if r > 1e-6:  # positive return: the undiscounted sum is positive, so it pays back
            assert not math.isnan(years)
    if (f <= 0).all():
        assert math.isnan(r)


def _irr_one(f: np.ndarray) -> tuple[float, str]:
    """The one-series IRR as irr computed it before cashflow.irrs: bisect on npv from the bracket, alone."""
    found = cashflow._bracket(f)
    if isinstance(found[1], str):
        return found
    g, lo, hi = found
    for _ in range(200):
        mid = (lo + hi) / 2
        if cashflow.npv(g, mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2, ""


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(1.0, 1e9), FLOWS), min_size=1, max_size=12))
def test_irrs_side_by_side_give_each_series_own_irr_bit_for_bit(cases):
    """Issue 30: the bisections of many series run side by side (measure_economics) give the very floats the
    series' own bisection gives: rows of mixed lengths, leading zeros, scales and IRR-less series together."""
    series = [np.r_[np.zeros(lead), -scale, scale * np.array(flows) / 1000] for lead, scale, flows in cases]
    got = cashflow.irrs(series)
    for f, (rate, note) in zip(series, got, strict=True):
        want, why = _irr_one(f)
        assert note == why and (rate == want or math.isnan(rate) and math.isnan(want)), f


def test_irr_notes_say_why():
    assert cashflow.irr(np.array([0.0, 0.0]))[1] == cashflow.NO_FLOWS
    assert cashflow.irr(np.array([-1.0, -2.0]))[1] == cashflow.NEVER_POSITIVE
    assert cashflow.irr(np.array([1.0, 2.0]))[1] == cashflow.NEVER_NEGATIVE
    assert cashflow.irr(np.array([100.0, -110.0]))[1] == cashflow.LOAN
    assert cashflow.irr(np.array([-100.0, 230.0, -132.0]))[1] == cashflow.SEVERAL  # 10% and 20%
    assert cashflow.irr(np.array([-100.0, 1.0]))[1] == cashflow.BELOW_RANGE
    assert cashflow.irr(np.array([-100.0, 110.0]))[0] == pytest.approx(0.1, abs=1e-9)
    assert cashflow.payback(np.array([-100.0, 60.0, 60.0])) == (2 + 40 / 60, "")  # cumulative -100, -40, 20
    # capex 100 at the start of the first year, 150 saved through it: back after 100/150 of the year
    assert cashflow.payback(np.array([50.0, 150.0]), np.array([100.0, 0.0])) == (pytest.approx(2 / 3), "")
    assert cashflow.payback(np.array([5.0, 1.0])) == (0.0, "")  # never negative: nothing to recover
    assert cashflow.payback(np.array([-100.0, 60.0]))[1] == cashflow.NEVER_PAYS_BACK


def test_the_demos_economics_are_consistent(demos):
    """Fails on the old code: north_biomass had NPV -12.9 MCNY, no IRR and a payback of 1.4 years in the demo
    (IRR -31.8% and payback 2.5 years in demo_no_ccus): the payback left out its own fuel costs."""
    for label, p in _plans(demos).items():
        rate = p.scenario.discount_rate
        cf = p.measure_cash_flows
        for r in p.measure_economics.itertuples():
            f = cf[cf.measure == r.measure].sort_values("year")
            assert int(f.year.iloc[0]) == r.first_year
            assert (f.discount_factor * f.cash_flow_cny).sum() == pytest.approx(r.npv_vs_not_adopting_cny,
                                                                                rel=1e-9, abs=1e-3)
            cum = f.cumulative_cash_flow_cny.to_numpy()
            if not math.isnan(r.payback_years):
                assert cum[max(math.ceil(r.payback_years) - 1, 0)] >= -1e-3, (label, r.measure)
            else:
                assert r.payback_note and (cum < 1e-3).all(), (label, r.measure)
            if math.isnan(r.irr):
                assert r.irr_note in NOTE, (label, r.measure)
            elif r.npv_vs_not_adopting_cny < -1.0:
                assert r.irr < rate, (label, r.measure)
            elif r.npv_vs_not_adopting_cny > 1.0:
                assert r.irr > rate, (label, r.measure)
    for label in ("demo", "demo_no_ccus"):
        bio = _plans(demos)[label].measure_economics.set_index("measure").loc["north_biomass"]
        assert bio.npv_vs_not_adopting_cny < 0 and math.isnan(bio.payback_years)
        assert bio.payback_note == cashflow.NEVER_PAYS_BACK
        assert math.isnan(bio.irr) or bio.irr < 0


@pytest.mark.usefixtures("testlib")
def test_measure_economics_by_hand_share_one_series():
    """Two retrofits saving 50,000 CNY a year for 3 years (see test_compare): e2 (capex 200,000) has flows
    -150,000, 50,000, 50,000: IRR -23.2% and it never pays back within the horizon (it was "4 years")."""
    p = planner.plan(two_retrofits())
    e = p.measure_economics.set_index("measure")
    assert e.loc["e1", "payback_years"] == pytest.approx(2.0) and e.loc["e1", "irr_note"] == ""
    assert math.isnan(e.loc["e2", "payback_years"]) and e.loc["e2", "payback_note"] == cashflow.NEVER_PAYS_BACK
    assert e.loc["e2", "irr"] == pytest.approx((2 / (math.sqrt(13) - 1)) - 1, abs=1e-6)
    cf = p.measure_cash_flows[p.measure_cash_flows.measure == "e2"]
    assert cf.cash_flow_cny.tolist() == pytest.approx([-150_000, 50_000, 50_000], abs=0.01)


# -- 3. a shadow price is not cash ---------------------------------------------------------------------
def test_cash_npv_and_objective_are_apart(demos):
    """Fails on the old code: summary.json had only npv_cny (the objective, with the internal carbon price)
    and the comparison's "NPV: carbon" held 138.1 MCNY of internal carbon price in demo_high_carbon."""
    p = _plans(demos)["demo_high_carbon"]
    disc = p.costs.groupby("category").discounted_cny.sum()
    internal = disc["carbon_internal"]
    assert internal > 1e8
    assert p.summary["cash_npv_cny"] == pytest.approx(disc.drop("carbon_internal").sum(), rel=1e-12)
    assert p.summary["objective_cny"] == pytest.approx(p.summary["cash_npv_cny"] + internal, rel=1e-7)
    assert "npv_cny" not in p.summary
    k = demos.kpis[demos.kpis.scenario == "demo_high_carbon"].set_index("kpi").value
    assert k["npv_ets"] == pytest.approx(disc["carbon_ets"])
    assert k["internal_carbon"] == pytest.approx(internal)
    parts = ["npv_capex", "npv_om", "npv_energy", "npv_ets", "npv_contracts", "npv_salvage"]
    assert sum(k[x] for x in parts) == pytest.approx(k["cash_npv"], rel=1e-9)
    assert k["cash_npv"] + k["internal_carbon"] == pytest.approx(k["objective"], rel=1e-7)
    assert "npv_carbon" not in k.index and "npv" not in k.index
    s = demos.scenarios.set_index("scenario")
    assert s.loc["demo_high_carbon", "cash_npv_cny"] == pytest.approx(p.summary["cash_npv_cny"])
    demo = _plans(demos)["demo"]  # no internal carbon price: the two coincide
    assert demo.summary["cash_npv_cny"] == pytest.approx(demo.summary["objective_cny"], rel=1e-9)


def test_reports_show_cash_npv_and_objective_apart(demos, tmp_path):
    from planner.report.plan.html import write_html

    p = _plans(demos)["demo_high_carbon"]
    cash, obj = (f"{p.summary[k] / 1e6:,.1f}" for k in ("cash_npv_cny", "objective_cny"))
    html = write_html(p, {}, tmp_path, "en").read_text(encoding="utf-8")
    assert cash in html and obj in html and "Objective incl. internal carbon price" in html
    assert story.costs(p.frames(), "en").startswith(f"Cash net present cost {cash} MCNY")
    planner.write_comparison(demos, tmp_path / "cmp", ("en",))
    page = (tmp_path / "cmp" / "comparison_en.html").read_text(encoding="utf-8")
    assert "Internal carbon price (shadow price, not cash)" in page and "Total, cash" in page
    assert "NPV: carbon" not in page
    ems = _plans(demos)["demo"].macc.set_index("measure").plan_cost_cny_per_tco2e["east_ems"]
    assert f"{ems:,.0f}" in page  # the comparison table quotes the plan MACC's figure (-1,271), not -668
    assert "-668" not in page
