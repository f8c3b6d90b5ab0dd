"""Known-answer micro-models for each constraint family: target pathways, intensity, renewable share,
mutual exclusion, prerequisites, adoption limits, budgets, earliest year, lifetime and reinvestment,
ETS, internal carbon price, cost indices and consolidation in the model."""

from __future__ import annotations

import pytest
from helpers import built, efficiency, solve

from planner.errors import InfeasibleError

pytestmark = pytest.mark.usefixtures("testlib")
ABS = dict(abs=1e-3)
S2L = {"scope1": False, "scope2": "location"}


def eff(mid, share=0.1, capex=60_000, life=10, **kw):
    return efficiency(mid, share, capex, life, **kw)


def years(p, mid):
    return sorted(built(p, mid).year)


def test_linear_pathway_limits_every_year():
    # Base 500 t; -40% by 2028 linear from 2024: limits 450, 400, 350, 300 in 2025..2028.
    # Retrofits (1-year life, 60,000 for 50,000 saved) are unprofitable: exactly 1, 2, 3, 4 a year.
    p = solve(horizon={"start": 2025, "end": 2028},
              measures=[eff(f"e{i}", 0.1, capex=60_000 + i, life=1) for i in range(4)],
              targets=[{"id": "t", "year": 2028, "coverage": S2L, "reduction": 0.4, "pathway": "linear"}])
    assert list(p.targets.required) == pytest.approx([450, 400, 350, 300], **ABS)
    assert p.targets.met.all()
    assert p.roadmap.groupby("year").size().tolist() == [1, 2, 3, 4]
    assert years(p, "e0") == [2025, 2026, 2027, 2028]  # cheapest first


def test_milestone_only_constrains_its_year():
    p = solve(horizon={"start": 2025, "end": 2028}, measures=[eff(f"e{i}", life=1) for i in range(4)],
              targets=[{"id": "t", "year": 2028, "coverage": S2L, "reduction": 0.4}])
    assert list(p.targets.year) == [2028]
    assert all(years(p, f"e{i}") == [2028] for i in range(4))


def test_maintain_keeps_level_after_target_year():
    p = solve(horizon={"start": 2025, "end": 2027}, measures=[eff("e", life=1)],
              targets=[{"id": "t", "year": 2025, "coverage": S2L, "reduction": 0.1, "maintain": True}])
    assert list(p.targets.year) == [2025, 2026, 2027]
    assert years(p, "e") == [2025, 2026, 2027]  # lifetime 1: reinvested every year


def test_intensity_target_scales_with_output():
    # Output and activity grow 50% by 2025; intensity -20% allows 0.8 x 500 x 1.5 = 600 t of 750 t BAU.
    p = solve(sites=[{"id": "s1", "output": {"value": 100, "unit": "t"}, "growth": {2024: 1.0, 2025: 1.5}}],
              measures=[eff("e", share=0.2, capex=1)],
              targets=[{"id": "t", "type": "intensity", "year": 2025, "coverage": S2L, "reduction": 0.2}])
    assert p.targets.required.iloc[0] == pytest.approx(600, **ABS)
    assert p.targets.achieved.iloc[0] == pytest.approx(600, **ABS)


def test_renewable_share_target():
    # 60% renewable electricity: PV 1 MW x 1000 MWh at alpha 0.6 gives 600 MWh on site of 1000 -> 60%.
    p = solve(measures=[{"id": "pv", "kind": "onsite_generation", "site": "s1", "capex_cny_per_kw": 5000,
                         "yield_mwh_per_mw": 1000, "self_consumption": 0.6, "max_size": 1, "lifetime": 1}],
              targets=[{"id": "re", "type": "renewable_share", "year": 2025, "share": 0.6}])
    t = p.targets.iloc[0]
    assert t.achieved == pytest.approx(0.6, abs=1e-6) and t.met
    assert built(p, "pv")["size"].iloc[0] == pytest.approx(1.0, abs=1e-6)


def test_exclusive_group_makes_target_infeasible():
    ms = [eff("a", exclusive_group="g"), eff("b", exclusive_group="g")]
    tg = [{"id": "t", "year": 2025, "coverage": S2L, "reduction": 0.15}]
    with pytest.raises(InfeasibleError) as exc:
        solve(measures=ms, targets=tg)
    assert "scope 2 location-based -15%: best achievable -10%" in str(exc.value)
    assert len(solve(measures=[eff("a"), eff("b")], targets=tg).roadmap) == 2


def test_prerequisite_disabled_blocks_dependant():
    ms = [eff("base", capex=10**9), eff("dep", capex=1, requires=["base"])]
    p = solve(measures=ms)
    assert p.roadmap.empty  # dep pays but needs an unprofitable prerequisite
    p = solve(measures=ms, targets=[{"id": "t", "year": 2025, "coverage": S2L, "reduction": 0.2}])
    assert set(p.roadmap.measure) == {"base", "dep"}


def test_max_adoptions_per_year_spreads_builds():
    p = solve(horizon={"start": 2025, "end": 2026}, constraints={"max_adoptions_per_year": 1},
              measures=[eff("a", capex=1), eff("b", capex=2)],
              targets=[{"id": "t", "year": 2026, "coverage": S2L, "reduction": 0.2}])
    assert sorted(p.roadmap.year) == [2025, 2026]


def test_capex_budget():
    # Budget 100,000 a year: two 60,000 retrofits cannot both be built in 2026.
    p = solve(horizon={"start": 2025, "end": 2026}, constraints={"capex_budget_cny": 100_000},
              measures=[eff("a"), eff("b")], targets=[{"id": "t", "year": 2026, "coverage": S2L, "reduction": 0.2}])
    assert sorted(p.roadmap.year) == [2025, 2026]


def test_earliest_year():
    p = solve(horizon={"start": 2025, "end": 2027}, measures=[eff("e", capex=1, earliest_year=2026)])
    assert years(p, "e") == [2026]


def test_reinvestment_after_lifetime_and_no_reinvest():
    kw = dict(horizon={"start": 2025, "end": 2028},
              targets=[{"id": "t", "year": 2025, "coverage": S2L, "reduction": 0.1, "maintain": True}])
    p = solve(measures=[eff("e", life=2)], **kw)
    assert years(p, "e") == [2025, 2027]
    with pytest.raises(InfeasibleError):
        solve(measures=[eff("e", life=2, reinvest=False)], **kw)


def test_cost_index_defers_build():
    # Capex basis 600 x 10% x 1000 MWh = 60,000; the index cuts it to 15,000 in 2026. Life 2, horizon 2025-26:
    # build 2025: -60,000 + 2 x 50,000 = +40,000; build 2026: -15,000 + 7,500 salvage + 50,000 = +42,500.
    p = solve(horizon={"start": 2025, "end": 2026}, measures=[eff("e", capex=0, cost_index="x", life=2,
                                                                   capex_cny_per_mwh_saved=600)],
              trajectories={"capex_index": {"x": {2024: 1.0, 2025: 1.0, 2026: 0.25}}})
    r = built(p, "e")
    assert list(r.year) == [2026] and r.capex_cny.iloc[0] == pytest.approx(15_000, **ABS)


@pytest.mark.parametrize("index, capex", [(None, 60_000), (0.5, 30_000), ({2024: 0.5, 2030: 0.5}, 30_000),
                                          ({2024: 1.0, 2025: 2.0}, 120_000), ({2025: 0.5, 2030: 1.0}, 30_000),
                                          (0.0, 0), ({2024: 0.0, 2025: 0.25}, 15_000)])
def test_a_capex_index_multiplies_the_stated_unit_capex_as_written(index, capex):
    # 600 CNY per MWh/yr saved x 100 MWh = 60,000 of unit capex; a -10% scope-2 target in 2025 forces the
    # build. The index is an absolute multiplier (docs/scenarios.md, "Capex indices"): 0.5 halves the capex,
    # whether constant or not 1.0 in the base year (the old code divided by the base-year value: 60,000).
    tr = {} if index is None else {"trajectories": {"capex_index": {"x": index}}}
    p = solve(measures=[eff("e", capex=0, cost_index="x" if index is not None else None, life=1,
                            capex_cny_per_mwh_saved=600)],
              targets=[{"id": "t", "year": 2025, "coverage": S2L, "reduction": 0.1}], **tr)
    assert built(p, "e").capex_cny.tolist() == pytest.approx([capex], **ABS)
    assert p.costs.set_index("category").nominal_cny["capex"] == pytest.approx(capex, **ABS)


def test_ets_cost_above_free_allocation():
    # Process 1000 t, ETS 100 CNY/t, free 80% of BAU: buy 200 t = 20,000.
    sites = [{"id": "s1", "process_emissions": {"CO2": 1000}, "ets_covered": True}]
    p = solve(sites=sites, prices={"ets": 100}, ets={"free_allocation_share": 0.8})
    c = p.costs.set_index("category").nominal_cny
    assert c["carbon_ets"] == pytest.approx(20_000, **ABS)
    # With surplus sales, a free 40% cut (600 t < 800 free) sells 200 t: -20,000.
    p = solve(sites=sites, prices={"ets": 100}, ets={"free_allocation_share": 0.8, "sell_surplus": True},
              measures=[{"id": "cut", "kind": "process", "site": "s1", "cut_share": 0.4, "lifetime": 1}])
    assert p.costs.set_index("category").nominal_cny["carbon_ets"] == pytest.approx(-20_000, **ABS)


def test_internal_carbon_price_drives_adoption():
    # 10% saving = 50 t scope 2 market... price 1000 CNY/t on market-based: 100 MWh x 0.6 t x 1000 = 60,000
    # plus 50,000 energy saved > 100,000 capex -> adopt.
    p = solve(measures=[eff("e", capex=100_000, life=1)],
              internal_carbon_price={"price_cny_per_t": 1000, "scope2": "market"})
    assert len(built(p, "e")) == 1
    assert p.costs.set_index("category").nominal_cny["carbon_internal"] == pytest.approx(540 * 1000, **ABS)


def test_consolidation_share_scales_emissions_and_costs():
    # Site owned 40% under equity share: emissions and costs counted at 40%.
    org = {"approach": "equity_share", "reporting_entity": "p",
           "entities": [{"id": "p"}, {"id": "jv", "owners": [{"entity": "p", "share": 0.4}]}]}
    p = solve(organisation=org, sites=[{"id": "s1", "entity": "jv"}])
    assert p.summary["objective_cny"] == pytest.approx(0.4 * 500_000, **ABS)
    assert p.emissions[p.emissions.scope == "scope2_location"].plan_tco2e.sum() == pytest.approx(200, **ABS)


def test_linear_pathway_runs_from_the_previous_milestone():
    # A series on scope 2 location: -20% milestone in 2026, then -60% by 2028 on a linear path. The path starts
    # at the 2026 milestone, so 2027 requires -40% (from the base year it would have been -45%).
    p = solve(horizon={"start": 2025, "end": 2028},
              measures=[eff(f"e{i}", 0.1, capex=60_000 + i, life=1) for i in range(6)],
              targets=[{"id": "a", "year": 2026, "coverage": S2L, "reduction": 0.2},
                       {"id": "b", "year": 2028, "coverage": S2L, "reduction": 0.6, "pathway": "linear"}])
    req = p.targets.set_index(["target", "year"]).required
    assert list(req.index) == [("a", 2026), ("b", 2027), ("b", 2028)]
    assert req["a", 2026] == pytest.approx(400, **ABS)  # -20% of 500 t
    assert req["b", 2027] == pytest.approx(300, **ABS)  # -40%: halfway from -20% (2026) to -60% (2028)
    assert req["b", 2028] == pytest.approx(200, **ABS)
    assert p.roadmap.groupby("year").size().to_dict() == {2026: 2, 2027: 4, 2028: 6}


def test_exclusive_members_share_one_unit_of_service_even_in_the_lp_relaxation():
    # Two exclusive 10-year retrofits, each enough for half of a -20% target, over 2025-2028. The LP
    # relaxation may spread a measure's build over several years; the `ever` rows (ever >= in service in
    # every year, ever >= the sum of the builds) still keep the members' service within one unit a year
    # and their builds within one in total, which ever >= build[y] alone did not.
    import numpy as np
    from helpers import scenario

    from planner import run as R
    from planner.backend.matrix import compile_model, to_highs

    sc = scenario(horizon={"start": 2025, "end": 2028},
                  measures=[eff("a", 0.1, exclusive_group="g"), eff("b", 0.1, exclusive_group="g")],
                  targets=[{"id": "t", "year": 2028, "coverage": S2L, "reduction": 0.05, "pathway": "linear"}])
    drv = R.bl.drivers(sc)
    built_model = R.build_model(R.build_inputs(sc, None, drv), R.target_years(sc, R.bl.bau_emissions(sc, drv), drv))
    mx = compile_model(built_model.m)
    n = len(mx.c)
    h = to_highs(mx, {"output_flag": False})
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    h.run()
    x = dict(zip((v.name for v in mx.columns), h.getSolution().col_value, strict=True))
    for y in range(2025, 2029):
        service = sum(x.get(f"measure_{m}.in_service[{y}]", 0.0) for m in "ab")
        assert service <= 1 + 1e-9
    assert sum(v for k, v in x.items() if ".build[" in k) <= 1 + 1e-9
