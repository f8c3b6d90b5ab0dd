"""Known-answer micro-models, one or more per measure type; every expected number is worked by hand.

Test library (tests/data): electricity 500 CNY/MWh, grid 0.5 t/MWh (location) and 0.6 (market residual),
gas 0.2 t/MWh at 200 CNY/MWh, boiler efficiency 0.9; export 300 CNY/MWh; GEC 10, PPA premium 20 CNY/MWh;
CCER 100 CNY/t. Discount rate 0 unless stated.
"""

from __future__ import annotations

import pytest
from helpers import built, efficiency, solve

pytestmark = pytest.mark.usefixtures("testlib")

ABS = dict(abs=1e-3)


eff = efficiency


def s2loc(p, year=2025):
    e = p.emissions
    return e[(e.year == year) & (e.scope == "scope2_location")].plan_tco2e.sum()


def test_efficiency_adopted_when_it_pays():
    # BAU 1000 MWh x 500 = 500,000. Saving 10% for 30,000: 900 x 500 + 30,000 = 480,000 < 500,000.
    p = solve(measures=[eff()])
    assert len(built(p, "e1")) == 1
    assert p.summary["objective_cny"] == pytest.approx(480_000, **ABS)
    assert s2loc(p) == pytest.approx(450, **ABS)  # 900 MWh x 0.5


def test_efficiency_rejected_when_it_does_not_pay():
    # capex 60,000 > 50,000 saved: stays at BAU cost 500,000
    p = solve(measures=[eff(capex=60_000)])
    assert built(p, "e1").empty
    assert p.summary["objective_cny"] == pytest.approx(500_000, **ABS)


def test_target_forces_unprofitable_efficiency_and_discounting():
    # Scope-2 location target -10%: 500 t -> 450 t needs the retrofit. With r = 10%, 2025 is discounted once:
    # (900 x 500 + 60,000) / 1.1 = 463,636.36
    p = solve(discount_rate=0.1, measures=[eff(capex=60_000)],
              targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                        "reduction": 0.1}])
    assert len(built(p, "e1")) == 1
    assert p.summary["objective_cny"] == pytest.approx(510_000 / 1.1, **ABS)
    tg = p.targets.iloc[0]
    assert tg.required == pytest.approx(450, **ABS) and tg.achieved == pytest.approx(450, **ABS) and tg.met


def test_efficiency_capex_per_mwh_saved():
    # 1500 CNY per MWh/yr saved x 10% x 1000 MWh = 150,000 capex
    p = solve(measures=[eff(capex=0, capex_cny_per_mwh_saved=1500)],
              targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                        "reduction": 0.1}])
    assert built(p, "e1").capex_cny.iloc[0] == pytest.approx(150_000, **ABS)


GAS_SITE = [{"id": "s1", "energy": {"electricity": 0, "natural_gas": 1000}}]


def test_fuel_efficiency_and_heat_pump_interact_exactly():
    # Gas 1000 MWh, boiler 0.9 -> useful heat 900. Heat pump (COP 3, max 50%) takes 450 MWh_th: gas heat 450,
    # gas fuel 500; boiler retrofit saves 10% of the remaining fuel = 50 -> fuel 450 -> scope 1 = 90 t.
    # Heat pump electricity = 450 / 3 = 150 MWh -> scope 2 location 75 t. Target scope 1 -55% (limit 90 t)
    # needs both (heat pump alone: 100 t; retrofit alone: 180 t).
    p = solve(sites=GAS_SITE, measures=[
        {"id": "hp", "kind": "electrification", "site": "s1", "target_carrier": "natural_gas", "cop": 3.0,
         "max_share": 0.5, "capex_cny_per_kw": 0, "full_load_hours": 8000, "lifetime": 5},
        {"id": "boiler", "kind": "efficiency", "site": "s1", "carriers": ["natural_gas"], "saving_share": 0.1,
         "capex_fixed_cny": 1000, "lifetime": 5}],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": 0.55}])
    e = p.emissions[p.emissions.year == 2025]
    assert e[e.scope == "scope1"].plan_tco2e.sum() == pytest.approx(90, **ABS)
    assert s2loc(p) == pytest.approx(75, **ABS)
    a = p.abatement[p.abatement.scope == "scope1"].set_index("measure").tco2e
    assert a["hp"] == pytest.approx(100, **ABS)  # 450 MWh_th / 0.9 x 0.2
    assert a["boiler"] == pytest.approx(10, **ABS)  # 50 MWh x 0.2
    # capacity: 450 MWh_th / 8000 h = 0.05625 MW at least
    assert built(p, "hp")["size"].iloc[0] >= 0.05625 - 1e-6


def test_fuel_switch_to_biomass_counts_its_ch4():
    # Biomass boiler (eff 0.8) takes all 900 MWh_th: 1125 MWh biomass x 10 kg CH4/MWh x 28 (AR5) = 315 t CO2e.
    p = solve(sites=GAS_SITE, measures=[
        {"id": "bio", "kind": "fuel_switch", "site": "s1", "target_carrier": "natural_gas", "fuel": "biomass",
         "efficiency": 0.8, "capex_cny_per_kw": 0, "lifetime": 5, "full_load_hours": 8000}],
        prices={"biomass": 0})  # free biomass: switching everything is cheapest (no target caps scope 1)
    e = p.emissions[(p.emissions.year == 2025) & (p.emissions.scope == "scope1")].set_index("source").plan_tco2e
    assert e["combustion:biomass"] == pytest.approx(315, **ABS)
    assert e["combustion:natural_gas"] == pytest.approx(0, **ABS)


def test_waste_heat_recovery_parasitic_load():
    # WHR capped at 20% of useful heat = 180 MWh_th; parasitic 0.05 -> 9 MWh electricity; gas 1000 -> 800.
    p = solve(sites=GAS_SITE, measures=[
        {"id": "whr", "kind": "waste_heat_recovery", "site": "s1", "target_carrier": "natural_gas",
         "max_share": 0.2, "parasitic_mwh_per_mwh": 0.05, "capex_cny_per_kw": 0, "lifetime": 5,
         "full_load_hours": 8000}])
    # cost: gas 800 x 200 + elec 9 x 500 = 164,500 (< BAU 200,000)
    assert p.summary["objective_cny"] == pytest.approx(164_500, **ABS)


def pv(size=1.0, alpha=0.5, **kw):
    return {"id": "pv", "kind": "onsite_generation", "site": "s1", "capex_cny_per_kw": 0, "yield_mwh_per_mw": 1000,
            "self_consumption": alpha, "min_size": size, "max_size": size, "lifetime": 5, **kw}


def test_pv_self_consumption_and_export():
    # 1 MW x 1000 MWh: 500 used on site (50% limit), 500 exported at 300.
    # Cost = 500 x 500 - 500 x 300 = 100,000; scope 2 location = 500 x 0.5 = 250.
    p = solve(measures=[pv()])
    assert p.summary["objective_cny"] == pytest.approx(100_000, **ABS)
    assert s2loc(p) == pytest.approx(250, **ABS)


def test_battery_raises_on_site_use():
    # Battery up to 10 MWh x 20 cycles = 200 MWh charged from the surplus, 90% back: 180 MWh.
    # Grid 1000 - 500 - 180 = 320; export 500 - 200 = 300. Cost = 320 x 500 - 300 x 300 = 70,000.
    p = solve(measures=[pv(), {"id": "bat", "kind": "storage", "site": "s1", "capex_cny_per_kwh": 0,
                               "cycles_per_year": 20, "round_trip_efficiency": 0.9, "max_size": 10,
                               "lifetime": 5, "requires": ["pv"]}])
    assert p.summary["objective_cny"] == pytest.approx(70_000, **ABS)
    a = p.abatement[p.abatement.scope == "scope2_location"].groupby("measure").tco2e.sum()
    assert a["pv"] == pytest.approx(250, **ABS) and a["bat"] == pytest.approx(90, **ABS)


def test_pv_degradation_and_salvage():
    # Horizon 2025-2026, PV built 2025 (capex 1,000,000 for 1 MW, life 4): gen 1000 then 990 (1% degradation),
    # all used on site (alpha 1). Salvage in 2026: 1,000,000 x 2/4 = 500,000.
    # Cost = 1e6 + (1000-1000) x 500 + (1000-990) x 500 - 500,000 = 505,000.
    p = solve(horizon={"start": 2025, "end": 2026}, measures=[
        pv(alpha=1.0, capex_cny_per_kw=1000, degradation=0.01, lifetime=4, earliest_year=2025, latest_year=2025)],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                  "reduction": 1.0}])
    assert p.summary["objective_cny"] == pytest.approx(505_000, **ABS)
    c = p.costs.set_index(["year", "category"]).nominal_cny
    assert c[2026, "salvage"] == pytest.approx(-500_000, **ABS)


PROC_SITE = [{"id": "s1", "process_emissions": {"CO2": 1000}}]


def test_process_cut_and_route_change_energy():
    # Process CO2 1000 t, cut 30%, route change adds 10% electricity (1000 -> 1100 MWh).
    p = solve(sites=PROC_SITE, measures=[
        {"id": "route", "kind": "process", "site": "s1", "cut_share": 0.3, "carrier_change": {"electricity": 0.1},
         "capex_fixed_cny": 5000, "lifetime": 5}],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": 0.3}])
    e = p.emissions[p.emissions.year == 2025]
    assert e[e.scope == "scope1"].plan_tco2e.sum() == pytest.approx(700, **ABS)
    assert s2loc(p) == pytest.approx(550, **ABS)
    assert p.summary["objective_cny"] == pytest.approx(1100 * 500 + 5000 - 4000, **ABS)  # salvage 5000 x 4/5


def test_fugitive_target_and_gas_filter():
    # Fugitive 1 t HFC-134a (AR5 1300) + process 100 t CO2; refrigerant switch cuts 90% of fugitive only.
    p = solve(sites=[{"id": "s1", "fugitive_emissions": {"HFC-134a": 1.0}, "process_emissions": {"CO2": 100}}],
              measures=[{"id": "ref", "kind": "process", "site": "s1", "target": "fugitive", "cut_share": 0.9,
                         "lifetime": 5, "capex_fixed_cny": 1}],
              targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": 0.5}])
    e = p.emissions[(p.emissions.year == 2025) & (p.emissions.scope == "scope1")].set_index("source").plan_tco2e
    assert e["fugitive:HFC-134a"] == pytest.approx(130, **ABS)
    assert e["process:CO2"] == pytest.approx(100, **ABS)


def test_ccus_capture_rate_energy_and_opex():
    # Capture 90% of 1000 t process CO2 = 900 t at 100 CNY/t, 0.5 MWh/t -> +450 MWh.
    # Cost = 90,000 + 1450 x 500 = 815,000.
    p = solve(sites=PROC_SITE, measures=[
        {"id": "cc", "kind": "ccus", "site": "s1", "capture_rate": 0.9, "capex_cny_per_tpa": 0, "opex_cny_per_t": 100,
         "elec_mwh_per_t": 0.5, "lifetime": 5}],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": 0.9}])
    assert p.summary["objective_cny"] == pytest.approx(815_000, **ABS)
    e = p.emissions[(p.emissions.year == 2025) & (p.emissions.scope == "scope1")].set_index("source").plan_tco2e
    assert e["ccus_capture"] == pytest.approx(-900, **ABS)


def scope2_market_target(red=1.0):
    return [{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "market"}, "reduction": red}]


def test_certificates_cut_market_based_only():
    # 1000 MWh certificates at 10 CNY = 10,000; market-based 600 t -> 0; location-based stays 500 t.
    p = solve(measures=[{"id": "gec", "kind": "green_certificates"}, {"id": "ppa", "kind": "green_ppa"}],
              targets=scope2_market_target())
    assert p.summary["objective_cny"] == pytest.approx(500_000 + 10_000, **ABS)
    assert s2loc(p) == pytest.approx(500, **ABS)
    r = p.roadmap.set_index("measure")
    assert r.loc["gec", "size"] == pytest.approx(1000, **ABS) and "ppa" not in r.index


def test_ppa_used_when_certificates_are_capped():
    # Certificates up to 50% of grid purchases; the other 500 MWh through the PPA at +20 CNY.
    p = solve(measures=[{"id": "gec", "kind": "green_certificates", "max_share": 0.5},
                        {"id": "ppa", "kind": "green_ppa"}], targets=scope2_market_target())
    assert p.summary["objective_cny"] == pytest.approx(500_000 + 5_000 + 10_000, **ABS)


def credits_case(offsets, reduction, **tkw):
    return solve(sites=PROC_SITE, measures=[
        {"id": "cut", "kind": "process", "site": "s1", "cut_share": 0.9, "capex_fixed_cny": 1e6, "lifetime": 5},
        {"id": "cr", "kind": "carbon_credits"}],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": reduction,
                  "offsets": offsets, **tkw}])


def test_credits_within_share_rule():
    # -4% with offsets up to 5% of gross: 40 t of credits (4,000 CNY) beat a 1,000,000 CNY retrofit.
    p = credits_case("share", 0.04, offset_share=0.05)
    assert built(p, "cut").empty
    assert p.targets.offsets_used.iloc[0] == pytest.approx(40, **ABS)
    assert p.summary["objective_cny"] == pytest.approx(500_000 + 4_000, **ABS)


def test_credits_not_counted_when_rule_is_none():
    p = credits_case("none", 0.04)
    assert len(built(p, "cut")) == 1 and p.targets.offsets_used.iloc[0] == 0


def test_net_zero_residual_rule():
    # Net zero with >= 90% real cut: retrofit to 100 t, then 100 t of credits neutralise the residual.
    p = credits_case("net_zero_residual", 1.0, min_real_reduction=0.9)
    assert len(built(p, "cut")) == 1
    t = p.targets.iloc[0]
    assert t.achieved == pytest.approx(100, **ABS) and t.offsets_used == pytest.approx(100, **ABS)
    assert t.net == pytest.approx(0, **ABS)


def test_supply_chain_programme():
    # Category 1: 1000 t; programme cuts 20% at 50 CNY/t + 1,000 launch. Target scope 3 cat 1 -20%.
    p = solve(scope3={"categories": {1: {"tco2e": 1000}}}, measures=[
        {"id": "sup", "kind": "supply_chain", "category": 1, "cut_share": 0.2, "cost_cny_per_tco2e": 50,
         "capex_fixed_cny": 1000, "lifetime": 5}],
        targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "none", "scope3": [1]},
                  "reduction": 0.2}])
    # salvage: 4 of 5 years of the launch cost remain after the 1-year horizon: -800
    assert p.summary["objective_cny"] == pytest.approx(500_000 + 200 * 50 + 1000 - 800, **ABS)
    assert p.abatement.set_index("measure").tco2e["sup"] == pytest.approx(200, **ABS)


def test_fuel_saving_exact_when_route_change_raises_the_carrier():
    # A process change adds 50% gas demand (1000 -> 1500 MWh fuel); a 10% burner retrofit then saves
    # 150 MWh (not 100): the McCormick bound covers the raised demand. Scope 1: 1350 x 0.2 = 270 t.
    site = {"id": "s1", "energy": {"electricity": 0, "natural_gas": 1000}, "process_emissions": {"CO2": 1000}}
    p = solve(sites=[site],
              measures=[{"id": "route", "kind": "process", "site": "s1", "cut_share": 1.0,
                         "carrier_change": {"natural_gas": 0.5}, "lifetime": 1},
                        {"id": "burner", "kind": "efficiency", "site": "s1", "carriers": ["natural_gas"],
                         "saving_share": 0.1, "lifetime": 1}],
              targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"}, "reduction": 0.775}])
    e = p.emissions[(p.emissions.year == 2025) & (p.emissions.scope == "scope1")].set_index("source").plan_tco2e
    assert e["combustion:natural_gas"] == pytest.approx(270, **ABS)
    assert p.abatement.groupby("measure").tco2e.sum()["burner"] == pytest.approx(30, **ABS)


def test_a_sized_build_never_has_size_zero():
    """Issue 14: an electric boiler (capex per MW only, min_size 0) built at 0.0 MW_th, here to unlock a measure that
    requires it. A build now carries at least max(min_size, MIN_BUILD_SHARE x max size) (docs/model.md §6.1)."""
    p = solve(sites=[{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 1e5}}],
              measures=[{"id": "eb", "template": "electric_boiler", "site": "s1", "target_carrier": "natural_gas"},
                        efficiency("e1", share=0.3, capex=1000, life=1, requires=["eb"])])
    eb = built(p, "eb")
    assert len(eb) == 1 and len(built(p, "e1")) == 1
    # the token build sits at the floor: tiny but a real size and a real capex (before: size 0.0, capex 0.0)
    assert eb["size"].iloc[0] > 1e-9 and eb.capex_cny.iloc[0] > 0
