"""Products and production routes (docs/model.md §6.11), staged builds (§6.0), product intensity targets (§8)
and the SBTi SDA (§8.4): known answers worked by hand on the test library (coal 0.3 t/MWh at 100 CNY/MWh,
hydrogen 0 t at 600 CNY/MWh, electricity 500 CNY/MWh, grid 0.5 t/MWh location, 0.6 residual)."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import scenario

import planner
from planner.errors import InfeasibleError, InputError
from planner.postprocess import sbti

pytestmark = pytest.mark.usefixtures("testlib")
S12L = {"scope1": True, "scope2": "location"}


def steel(output=1000, growth=None, elec=400, bf_cap=1000, routes=(), targets=(), **over):
    """Site s1 (400 MWh of auxiliary electricity) making `steel` by an existing BF route (1 MWh coal and 0.5 t
    process CO2 per t: 0.8 t/t) and the given new routes."""
    product = {"output_t": output, "sector": "iron_and_steel", **({"growth": growth} if growth else {})}
    bf = {"id": "bf", "kind": "route", "site": "s1", "product": "steel", "existing_capacity_t": bf_cap,
          "energy_per_t": {"coal": 1.0}, "process_emissions_per_t": {"CO2": 0.5}}
    return scenario(sites=[{"id": "s1", "energy": {"electricity": elec}, "products": {"steel": product}}],
                    measures=[bf, *routes], targets=list(targets), **over)


def eaf(**kw) -> dict:
    """New EAF route: 0.5 MWh electricity per t, capex 1,000 CNY per t/yr."""
    return {"id": "eaf", "kind": "route", "site": "s1", "product": "steel", "capex_cny_per_t": 1000, "lifetime": 1,
            "max_size": 1, "energy_per_t": {"electricity": 0.5}, **kw}


def test_a_route_switch_costs_the_hand_npv():
    # BAU: 400 MWh site power (200 t location) + 1,000 t steel by BF (300 t coal + 500 t process) = 1,000 t.
    # Per t moved to the EAF: -0.8 t scope 1, +0.25 t scope 2 (location): -0.55 t; +1,150 CNY (1,000 capex + 250
    # power - 100 coal). A -11% target needs 110 t: 200 t of steel moved, no more (each t costs).
    # NPV (one year, no discount) = 400 x 500 + 800 x 100 + 200 x (0.5 x 500) + 200 x 1,000 = 530,000 CNY.
    p = planner.plan(steel(routes=[eaf()], targets=[{"id": "t", "year": 2025, "coverage": S12L, "reduction": 0.11}]))
    assert p.summary["objective_cny"] == pytest.approx(530_000, rel=1e-9)
    out = p.product_output.set_index("route")
    assert out.loc["eaf", "output_t"] == pytest.approx(200, rel=1e-9)
    assert out.loc["bf", "share"] == pytest.approx(0.8, rel=1e-9)
    ab = p.abatement.groupby("measure").tco2e.sum()  # BF: 200 t less x 0.8; EAF: 100 MWh more (x0.5 and x0.6)
    assert ab["bf"] == pytest.approx(160, rel=1e-9) and ab["eaf"] == pytest.approx(-50 - 60, rel=1e-9)
    row = p.product_intensity[(p.product_intensity.site == "s1") & (p.product_intensity.case == "plan")].iloc[0]
    assert row.scope1_tco2e_per_t == pytest.approx(0.64) and row.scope2_location_tco2e_per_t == pytest.approx(0.25)
    assert row.boundary_tco2e_per_t == pytest.approx(0.64 + 0.30)  # steel: scopes 1+2 market-based


def test_a_priced_material_input_costs_its_price():
    # The switch above with 1.1 t of scrap per t of EAF steel (test library: 2,000 CNY/t; the scenario may set
    # its own price): 530,000 + 200 x 1.1 x 2,000 = 970,000 CNY, or + 200 x 1.1 x 1,000 = 750,000 at 1,000 CNY/t
    target = [{"id": "t", "year": 2025, "coverage": S12L, "reduction": 0.11}]
    p = planner.plan(steel(routes=[eaf(inputs_per_t={"scrap": 1.1})], targets=target))
    assert p.summary["objective_cny"] == pytest.approx(970_000, rel=1e-9)
    p = planner.plan(steel(routes=[eaf(inputs_per_t={"scrap": 1.1})], targets=target, prices={"scrap": 1000}))
    assert p.summary["objective_cny"] == pytest.approx(750_000, rel=1e-9)


def test_the_ramp_limit_binds_as_computed():
    # -16.5% by 2027 needs 300 t on the EAF (0.55 t each = 165 t); from 0 in 2024 its production rises by at
    # most 100 t a year: 100, 200, 300 (the least the ramp allows on the way; each t costs)
    p = planner.plan(steel(routes=[eaf(lifetime=5, ramp_t_per_year=100)], horizon={"start": 2025, "end": 2027},
                           targets=[{"id": "t", "year": 2027, "coverage": S12L, "reduction": 0.165}]))
    out = p.product_output[p.product_output.route == "eaf"].set_index("year").output_t
    assert list(out.round(6)) == [100, 200, 300]
    with pytest.raises(InfeasibleError):  # 300 t in 2025 is beyond the ramp
        planner.plan(steel(routes=[eaf(ramp_t_per_year=100)], horizon={"start": 2025, "end": 2025},
                           targets=[{"id": "t", "year": 2025, "coverage": S12L, "reduction": 0.165}]))


def test_an_intensity_target_is_met_by_the_least_cost_route_mix():
    # Output grows 20% (1,200 t); -30% intensity allows 0.7 x 1,000 t x 1.2 = 840 t of 200 + 1,200 x 0.8 = 1,160
    # t BAU: 320 t to cut. H2 route: -0.8 t/t for 1,700 - 100 = 1,600 CNY/t (2,000 CNY/tCO2), at most 25% of the
    # steel (300 t: 240 t cut); EAF: -0.55 t/t for 1,150 CNY/t (2,091 CNY/tCO2) for the remaining 80 t:
    # 145.45 t. NPV = 200,000 + 754.55 x 100 + 145.45 x 1,250 + 300 x (1,200 + 500) = 967,272.73 CNY.
    h2 = {"id": "h2", "kind": "route", "site": "s1", "product": "steel", "capex_cny_per_t": 500, "lifetime": 1,
          "max_size": 1, "energy_per_t": {"hydrogen": 2.0}, "max_share": 0.25}
    p = planner.plan(steel(growth={2024: 1.0, 2025: 1.2}, bf_cap=2000, routes=[eaf(), h2],
                           targets=[{"id": "t", "type": "intensity", "product": "steel", "year": 2025,
                                     "coverage": S12L, "reduction": 0.3}]))
    out = p.product_output.set_index("route").output_t
    assert out["h2"] == pytest.approx(300, rel=1e-9) and out["eaf"] == pytest.approx(80 / 0.55, rel=1e-9)
    assert p.summary["objective_cny"] == pytest.approx(200_000 + (1200 - 300 - 80 / 0.55) * 100
                                                       + 80 / 0.55 * 1250 + 300 * 1700, rel=1e-9)
    t = p.targets.iloc[0]
    assert t.required == pytest.approx(840) and t.achieved == pytest.approx(840)
    assert "intensity per steel -30%" in t.description


def test_clinker_into_cement_balances_every_year():
    # Cement 1,000 t/yr growing to 1.5x by 2027, none of the clinker sold; grinding at 0.8 t clinker per t
    # (existing) or 0.6 (a blended cement route, which a -10% cement intensity target needs). Each year: clinker
    # made = the cement routes' production x their clinker ratio.
    kiln = {"id": "kiln", "kind": "route", "site": "s1", "product": "clinker", "existing_capacity_t": 2000,
            "energy_per_t": {"coal": 1.0}, "process_emissions_per_t": {"CO2": 0.5}}
    grind = {"id": "grind", "kind": "route", "site": "s1", "product": "cement", "existing_capacity_t": 2000,
             "inputs_per_t": {"clinker": 0.8}, "energy_per_t": {"electricity": 0.04}}
    blend = {"id": "blend", "kind": "route", "site": "s1", "product": "cement", "capex_cny_per_t": 50,
             "max_size": 1, "lifetime": 10, "inputs_per_t": {"clinker": 0.6}, "energy_per_t": {"electricity": 0.05}}
    sc = scenario(horizon={"start": 2025, "end": 2027},
                  sites=[{"id": "s1", "energy": {"electricity": 100},
                          "products": {"clinker": {"output_t": 0, "sector": "cement"},
                                       "cement": {"output_t": 1000, "sector": "cement",
                                                  "growth": {2024: 1.0, 2027: 1.5}}}}],
                  measures=[kiln, grind, blend],
                  targets=[{"id": "t", "year": 2027, "coverage": S12L, "reduction": 0.1, "type": "intensity",
                            "product": "cement"}])
    p = planner.plan(sc)
    made = p.product_output.pivot_table(index="year", columns="route", values="output_t")
    sale = {2025: 1000 * (1 + 0.5 / 3), 2026: 1000 * (1 + 1 / 3), 2027: 1500}
    for y, row in made.iterrows():
        assert row.grind + row.blend == pytest.approx(sale[y], rel=1e-9)
        assert row.kiln == pytest.approx(0.8 * row.grind + 0.6 * row.blend, rel=1e-9)
    assert made.blend.max() > 0  # the target moves cement to the blended route
    # the routes' terms are ledger terms: abatement still sums to BAU - plan for every year and scope
    e = p.emissions.groupby(["year", "scope"])[["bau_tco2e", "plan_tco2e"]].sum()
    ab = p.abatement.groupby(["year", "scope"]).tco2e.sum().reindex(e.index, fill_value=0.0)
    assert (ab - (e.bau_tco2e - e.plan_tco2e)).abs().max() < 1e-6
    # BAU: clinker is 0.8 x cement; the base-year inventory holds the kiln's 800 t of process CO2
    inv = p.inventory.set_index("source")
    assert inv.loc["route:CO2", "tco2e"] == pytest.approx(0.8 * 1000 * 0.5)
    pi = p.product_intensity
    assert set(pi["product"]) == {"cement"}  # clinker is not sold: its emissions are inside the cement's
    assert set(pi.boundary) == {"scope 1 per t cementitious product"}


def test_a_route_in_representative_days_pays_the_hours_it_runs_in(tmp_path):
    # The switch of the first test with a two-price day (valley 200, peak 1,000 for 12 h each) and a flat load:
    # production is flat, so each MWh costs the mean 600 CNY: 400 x 600 + 80,000 + 100 x 600 + 200,000 = 580,000.
    load = tmp_path / "load.csv"
    load.write_text("1.0\n" * 8760, encoding="utf-8")
    tariff = {"source": "test", "hours": {"1-12": "v" * 12 + "p" * 12},
              "prices_cny_per_mwh": {"valley": 200, "peak": 1000}}
    p = planner.plan(steel(routes=[eaf()], targets=[{"id": "t", "year": 2025, "coverage": S12L, "reduction": 0.11}],
                           time={"resolution": "representative_days", "days": 1, "hours_per_day": 2,
                                 "sites": {"s1": {"tariff": tariff, "load": str(load)}}}))
    assert p.summary["objective_cny"] == pytest.approx(580_000, rel=1e-6)
    assert p.product_output.output_t.sum() == pytest.approx(1000, rel=1e-9)


def test_a_staged_measure_adds_capacity_as_the_need_grows():
    # Process CO2 100 t in 2025, 200 t in 2026, all to be captured (-100%, maintained). CCUS of at most 100 t/yr
    # per build, 100 CNY per t/yr, life 2: with two stages it builds 100 t/yr in 2025 and again in 2026 (the
    # second build's half life after 2026 comes back as salvage: 10,000 + 10,000 - 5,000 = 15,000 CNY), beside
    # the micro site's 1,000 MWh of power growing with the site (1,000 x 500 + 2,000 x 500 = 1,500,000 CNY).
    def case(stages):
        return scenario(horizon={"start": 2025, "end": 2026},
                        sites=[{"id": "s1", "energy": {}, "process_emissions": {"CO2": 100},
                                "growth": {2024: 1.0, 2025: 1.0, 2026: 2.0}}],
                        measures=[{"id": "cc", "kind": "ccus", "site": "s1", "capture_rate": 1.0, "max_size": 0.1,
                                   "capex_cny_per_tpa": 100, "lifetime": 2, "stages": stages}],
                        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"},
                                  "reduction": 1.0, "maintain": True}])
    p = planner.plan(case(2))
    assert list(p.roadmap.year) == [2025, 2026] and list(p.roadmap["size"]) == pytest.approx([0.1, 0.1])
    assert p.summary["objective_cny"] == pytest.approx(1_500_000 + 15_000, rel=1e-9)
    # the same with the measure in an exclusive group (against a dearer CCUS) and no reinvestment: the group's
    # rules count builds up to `stages`, so the answer is unchanged
    sc = case(2)
    cc = sc.measures[0].model_copy(update={"exclusive_group": "capture", "reinvest": False})
    dear = cc.model_copy(update={"id": "cc_dear", "capex_cny_per_tpa": 1000})
    p = planner.plan(sc.model_copy(update={"measures": [cc, dear]}))
    assert list(p.roadmap.measure) == ["cc", "cc"]
    assert p.summary["objective_cny"] == pytest.approx(1_500_000 + 15_000, rel=1e-9)
    with pytest.raises(InfeasibleError):  # one build at a time cannot capture 200 t
        planner.plan(case(1))


def test_sda_levels_equal_the_formula():
    # Sector 1.0 t/t in 2020, 0.6 in 2030, 0.2 in 2050; activity 1.0, 1.25 (2030). Company 1.5 t/t in 2020
    # and output doubling to 2030 (market share +60%): p(2030) = (0.6-0.2)/(1.0-0.2) = 0.5,
    # m(2030) = (1/1.0)/(2/1.25) = 0.625: I(2030) = (1.5-0.2) x 0.5 x 0.625 + 0.2 = 0.60625; I(2050) = 0.2.
    pts = pd.DataFrame({"year": [2020, 2030, 2050], "intensity_tco2e_per_t": [1.0, 0.6, 0.2],
                        "activity_index": [1.0, 1.25, 1.25]})
    lv = sbti.sda_levels(1.5, {2020: 1.0, 2030: 2.0, 2050: 2.0}, pts, 2020)
    assert lv[2020] == pytest.approx(1.5) and lv[2030] == pytest.approx(0.60625) and lv[2050] == pytest.approx(0.2)


def test_an_sda_product_target_is_judged_by_the_pathway():
    # Steel 0.8 t/t scope 1 + 0.24 t/t scope 2 market (400 MWh x 0.6 / 1,000 t) = 1.04 t/t in 2024; sector 1.04
    # in 2024, 0.81 in 2030, 0.04 in 2050, activity and company output flat (m = 1): p(2030) = (0.81 - 0.04) /
    # (1.04 - 0.04) = 0.77, I(2030) = (1.04 - 0.04) x 0.77 + 0.04 = 0.81, so 1 - 0.81/1.04 = 22.1% is required by
    # 2030: -25% passes, -20% fails. (The pathway is tests/data/sda_pathways.csv.)
    from planner.preprocess import baseline as bl

    for red, ok in ((0.25, True), (0.20, False)):
        sc = steel(horizon={"start": 2025, "end": 2030},
                   targets=[{"id": "t", "type": "intensity", "product": "steel", "year": 2030,
                             "coverage": {"scope1": True, "scope2": "market"}, "reduction": red}])
        drv = bl.drivers(sc)
        df = sbti.check(sc, bl.bau_emissions(sc, drv), drv)
        row = df[df.criterion.str.contains("SDA")]
        assert len(row) == 1 and bool(row.ok.iloc[0]) is ok
        assert row.requirement.iloc[0] == ">= 22.1% intensity reduction"


def test_a_falling_output_does_not_inflate_an_intensity_cut():
    # Output falls 5% in one year; a 1.2% intensity cut is an absolute-equivalent 6.1% but is judged as 1.2%/yr
    sc = scenario(horizon={"start": 2025, "end": 2030}, sites=[{"id": "s1", "output": {"value": 100, "unit": "t"},
                                                                "growth": {2024: 1.0, 2025: 0.95}}],
                  targets=[{"id": "t", "type": "intensity", "year": 2030, "coverage": {"scope1": True,
                            "scope2": "market"}, "reduction": 0.012}])
    from planner.preprocess import baseline as bl
    drv = bl.drivers(sc)
    df = sbti.check(sc, bl.bau_emissions(sc, drv), drv)
    row = df[df.criterion.str.contains("4.2%/yr")].iloc[0]
    assert row.value == "0.20%/yr" and not row.ok  # 1.2% over 6 years


@pytest.mark.parametrize("over, message", [
    ({"measures": [{"id": "r", "kind": "route", "site": "s1", "product": "nope"}]}, "unknown product 'nope'"),
    ({"measures": [{"id": "r", "kind": "route", "site": "s1", "product": "steel", "inputs_per_t": {"gold": 1}}]},
     "expected a product of site 's1'"),
    ({"measures": [{"id": "r", "kind": "route", "site": "s1", "product": "steel",
                    "energy_per_t": {"plutonium": 1}}]}, "unknown carrier"),
    ({"targets": [{"id": "t", "year": 2025, "type": "intensity", "product": "nope", "reduction": 0.1}]},
     "unknown product 'nope'"),
    ({"measures": [{"id": "r", "kind": "route", "site": "s1", "product": "steel"}]}, "no route of it has"),
    ({"sites": [{"id": "s1", "products": {"steel": {"output_t": 1000}, "iron": {"output_t": 0}}}],
      "measures": [{"id": "r", "kind": "route", "site": "s1", "product": "steel", "inputs_per_t": {"iron": 1}}]},
     "made by no route"),
])
def test_bad_products_and_routes_are_one_line_errors(over, message):
    base = {"sites": [{"id": "s1", "products": {"steel": {"output_t": 1000}}}]}
    with pytest.raises(InputError, match=message):
        sc = scenario(**{**base, **over})
        planner.plan(sc)


def test_product_frames_are_written_and_read_back(tmp_path):
    from planner.api import Plan

    p = planner.plan(steel(routes=[eaf()], targets=[{"id": "t", "type": "intensity", "product": "steel",
                                                     "year": 2025, "coverage": S12L, "reduction": 0.1}]))
    p.write(tmp_path)
    assert {"product_output.csv", "product_intensity.csv", "sda_pathway.csv"} <= {f.name for f in tmp_path.iterdir()}
    q = Plan.read(tmp_path)
    for name in ("product_output", "product_intensity", "sda_pathway"):
        pd.testing.assert_frame_equal(getattr(q, name), getattr(p, name), check_dtype=False)



def test_a_min_share_trajectory_forces_a_route_in_from_its_year():
    # No target: the EAF costs 1,150 CNY/t more than the BF, so it runs only where min_share forces it.
    # min_share {2025: 0, 2026: 0.3} (0 in 2025, then 0.3): EAF 0 t in 2025, 0.3 x 1,000 = 300 t in 2026 and 2027.
    p = planner.plan(steel(routes=[eaf(lifetime=5, min_share={2025: 0.0, 2026: 0.3})],
                           horizon={"start": 2025, "end": 2027}))
    out = p.product_output[p.product_output.route == "eaf"].set_index("year").output_t
    assert list(out.round(6)) == [0, 300, 300]
    with pytest.raises(InputError, match=r"measures\[1\]\.min_share: min_share 0\.3 exceeds max_share 0\.2 in 2026"):
        planner.plan(steel(routes=[eaf(min_share={2025: 0.0, 2026: 0.3}, max_share=0.2)],
                           horizon={"start": 2025, "end": 2027}))


def test_a_route_share_beyond_its_capacity_is_infeasible_without_any_target_and_says_so():
    # min_share 0.3 of 1,000 t needs 300 t of EAF, but its capacity is at most max_size 0.1 kt/yr = 100 t: no
    # plan even without targets; relaxing the shares, the route capacity or the product balance restores one,
    # while budgets, adoption limits and prerequisites (none here) do not.
    with pytest.raises(InfeasibleError) as exc:
        planner.plan(steel(routes=[eaf(max_size=0.1, min_share=0.3)]))
    text = str(exc.value)
    assert "targets cannot be met" not in text and "infeasible without any target" in text
    assert text.endswith("infeasible without any target: relaxing the route shares (min_share/max_share) or the route "
                         "capacity and ramp or the product balance of routes alone restores a solution; check those "
                         "inputs")


def test_product_output_writes_solver_noise_as_zero():
    # production values as HiGHS may return them: -1.6e-14 kt (-1.6e-11 t), -0.0 and 1e-12 kt are noise -> 0.0
    # (no "-0.000000e+00" in product_output.csv); 0.3 kt is 300 t, its share 300 / 300 = 1
    from types import SimpleNamespace

    from planner.postprocess.products import product_output
    from planner.schemas.measure import Production

    vals = {2025: -1.6e-14, 2026: -0.0, 2027: 1e-12, 2028: 0.3}
    mm = SimpleNamespace(id="r", block=SimpleNamespace(production=vals),
                         cfg=SimpleNamespace(production=lambda: Production("s1", "steel", 0.0, None, {}, {}, {})))
    b = SimpleNamespace(measures=[mm], inp=SimpleNamespace(years=list(vals)), value=lambda v: v)
    out = product_output(b).set_index("year")
    assert list(out.output_t) == [0.0, 0.0, 0.0, pytest.approx(300.0)]
    assert not any(str(x).startswith("-") for x in out.output_t) and out.share[2028] == 1.0
