"""China ETS benchmark allocation and the EU CBAM on exports (docs/model.md §10.1-10.2): known answers worked
by hand on the test library (coal 0.3 t/MWh at 100 CNY/MWh, hydrogen 0 t at 600 CNY/MWh, electricity 500
CNY/MWh, grid 0.5 t/MWh location, 0.6 residual)."""

from __future__ import annotations

import pytest
from helpers import scenario

import planner
from planner.errors import InputError
from planner.preprocess.markets import cbam_factor
from planner.schemas.library import load_library

pytestmark = pytest.mark.usefixtures("testlib")


def steel(routes=(), horizon=(2026, 2026), ets=None, cbam=None, covered=True, **over):
    """Site s1 (400 MWh of auxiliary electricity: 200 t scope 2 location) making 1,000 t of `steel` by an existing
    BF route (1 MWh coal = 0.3 t and 0.5 t process CO2 per t: scope 1 = 800 t), ETS price 100 CNY/t."""
    product = {"output_t": 1000, "sector": "iron_and_steel"}
    bf = {"id": "bf", "kind": "route", "site": "s1", "product": "steel", "existing_capacity_t": 1000,
          "energy_per_t": {"coal": 1.0}, "process_emissions_per_t": {"CO2": 0.5}}
    extra = {k: v for k, v in (("ets", ets), ("cbam", cbam)) if v is not None}
    return scenario(sites=[{"id": "s1", "energy": {"electricity": 400}, "products": {"steel": product},
                            "ets_covered": covered}],
                    measures=[bf, *routes], horizon={"start": horizon[0], "end": horizon[1]},
                    prices={"ets": 100}, **extra, **over)


def bench(value: float) -> dict:
    return {"allocation": "benchmark", "sell_surplus": True, "benchmarks": {"steel": {"tco2_per_t": value}}}


@pytest.mark.parametrize("value, surplus", [(0.9, 100.0), (0.7, -100.0)])
def test_benchmark_allowances_and_surplus(value, surplus):
    # 1,000 t x benchmark: 900 t (plant below its benchmark: 100 t sold, -10,000 CNY) or 700 t (above: 100 t
    # bought, +10,000 CNY) against 800 t covered (scope 1)
    p = planner.plan(steel(ets=bench(value)))
    row = p.ets_position.iloc[0]
    assert row.allowances_t == pytest.approx(1000 * value) and row.covered_emissions_t == pytest.approx(800)
    assert row.surplus_t == pytest.approx(surplus) and row.cost_cny == pytest.approx(-100 * surplus)
    assert row.production_t == pytest.approx(1000) and row["product"] == "steel"
    costs = p.costs.set_index("category").nominal_cny
    assert costs["carbon_ets"] == pytest.approx(-100 * surplus)
    # 400 MWh x 500 + 1,000 MWh coal x 100 + ETS
    assert p.summary["cash_npv_cny"] == pytest.approx(200_000 + 100_000 - 100 * surplus)


def test_a_benchmark_adjustment_factor_scales_the_allowances():
    ets = bench(0.9)
    ets["benchmarks"]["steel"]["adjustment"] = 0.5  # 450 t for 800 t: 350 t bought
    p = planner.plan(steel(ets=ets))
    assert p.ets_position.iloc[0].surplus_t == pytest.approx(-350)


CBAM = {"eu_ets_price_eur_per_t": 80, "eur_cny": 8, "products": {"steel": {"export_share": 0.5,
                                                                             "eu_benchmark_tco2e_per_t": 0.6}}}


@pytest.mark.parametrize("deduct", [False, True])
def test_cbam_cost_of_a_tonne_of_steel_2026_and_2030(deduct):
    # 500 t exported, 0.8 t/t embedded (direct only: steel), EU price 80 EUR x 8 = 640 CNY/t.
    # 2026: factor 0.975, adjustment 0.6 x 0.975 = 0.585 t/t: 0.215 certificates per t = 137.60 CNY/t;
    # 2030: factor 0.515: 0.309 t/t, 0.491 certificates per t = 314.24 CNY/t.
    # China benchmark 0.7: 100 t bought at 100 CNY (10,000 CNY); the exports' share 0.5 of it (5,000 CNY,
    # 10 CNY per t exported) is deducted: 127.60 and 304.24 CNY/t.
    cbam = {**CBAM, "deduct_china_carbon_price": deduct}
    p = planner.plan(steel(horizon=(2026, 2030), ets=bench(0.7), cbam=cbam))
    ex = p.cbam_exposure.set_index("year")
    per_t = ex.cost_cny / ex.exported_t
    d = 10.0 if deduct else 0.0
    assert per_t[2026] == pytest.approx(137.6 - d) and per_t[2030] == pytest.approx(314.24 - d)
    assert ex.loc[2026, "certificates_t"] == pytest.approx(107.5)
    assert ex.loc[2030, "embedded_actual_tco2e_per_t"] == pytest.approx(0.8)
    assert list(ex.factor) == pytest.approx([0.975, 0.95, 0.90, 0.775, 0.515])
    costs = p.costs[p.costs.category == "carbon_cbam"].set_index("year").nominal_cny
    assert costs[2026] == pytest.approx(500 * (137.6 - d)) and costs[2030] == pytest.approx(500 * (314.24 - d))
    # billed, so in the cash NPV
    assert p.summary["cash_npv_cny"] == pytest.approx(p.costs.discounted_cny.sum())


def test_the_cbam_factor_schedule_by_year():
    # Regulation (EU) 2023/956 Art. 31 / Directive 2003/87/EC Art. 10a(1a): 97.5% in 2026 ... 0 from 2034
    sc = steel(horizon=(2025, 2040), cbam=CBAM)
    f = cbam_factor(sc, load_library(), list(range(2025, 2041)))
    assert [f[y] for y in range(2026, 2035)] == [0.975, 0.95, 0.90, 0.775, 0.515, 0.39, 0.265, 0.14, 0.0]
    assert f[2040] == 0.0 and f[2025] == 1.0


def test_a_route_change_that_pays_only_because_of_cbam():
    # New route: 1 MWh hydrogen per t (600 CNY, no CO2) against the BF's 1 MWh coal (100 CNY) and 0.8 t CO2:
    # +500 CNY per t moved. All the steel exported, no EU benchmark: certificates = embedded emissions at
    # 100 EUR x 8 = 800 CNY/t: 640 CNY per t of steel saved by the switch. Without CBAM nothing moves
    # (NPV 200,000 + 100,000); with CBAM all 1,000 t move: 200,000 + 600,000 = 800,000 < 300,000 + 640,000.
    h2 = {"id": "h2", "kind": "route", "site": "s1", "product": "steel", "lifetime": 1, "max_size": 1,
          "energy_per_t": {"hydrogen": 1.0}}
    cbam = {"eu_ets_price_eur_per_t": 100, "eur_cny": 8,
            "products": {"steel": {"export_share": 1.0, "eu_benchmark_tco2e_per_t": 0.0}}}
    without = planner.plan(steel(routes=[h2], horizon=(2030, 2030), covered=False))
    assert without.product_output.set_index("route").output_t["h2"] == pytest.approx(0)
    with_ = planner.plan(steel(routes=[h2], horizon=(2030, 2030), covered=False, cbam=cbam))
    assert with_.product_output.set_index("route").output_t["h2"] == pytest.approx(1000)
    assert with_.summary["cash_npv_cny"] == pytest.approx(800_000)
    # the CBAM saved (BAU 640,000 CNY, plan 0) goes to the measures that abate scope 1: the BF route's 800 t less
    assert with_.abatement.cbam_saving_cny.sum() == pytest.approx(640_000)


def test_default_values_carry_the_mark_up():
    # EU default 3.17 t/t (CN 7207 12 10, data/cbam.csv) + 10% (2026) = 3.487 t/t, + 30% (2028) = 4.121
    cbam = {"eu_ets_price_eur_per_t": 80, "eur_cny": 8, "products": {"steel": {
        "export_share": 0.5, "eu_benchmark_tco2e_per_t": 0.6, "embedded": "default", "cn_code": "72071210"}}}
    p = planner.plan(steel(horizon=(2026, 2028), cbam=cbam, covered=False))
    ex = p.cbam_exposure.set_index("year")
    assert ex.embedded_default_tco2e_per_t[2026] == pytest.approx(3.487)
    assert ex.embedded_default_tco2e_per_t[2028] == pytest.approx(4.121)
    assert ex.certificates_t[2026] == pytest.approx(500 * (3.487 - 0.585))


@pytest.mark.parametrize("over, where", [
    ({"ets": {"allocation": "benchmark"}}, "ets"),
    ({"ets": {"allocation": "benchmark", "benchmarks": {"iron": {"tco2_per_t": 1}}}}, "ets.benchmarks.iron"),
    ({"cbam": {"eu_ets_price_eur_per_t": 80, "products": {"steel": {"export_share": 0.1,
                                                                     "eu_benchmark_tco2e_per_t": 1,
                                                                     "embedded": "default"}}}},
     "cbam.products.steel.default_tco2e_per_t"),
])
def test_bad_market_keys_name_the_key(over, where):
    with pytest.raises(InputError) as e:
        steel(**over)
    assert where in str(e.value)


def test_the_comparison_has_a_cbam_section():
    # the reference exports half the steel, the variant all of it: certificates and cost double. 2026 (not in
    # the ETS, no deduction): 500 t x 137.60 = 68,800 CNY and 1,000 t x 137.60 = 137,600 CNY
    half = planner.plan(steel(cbam=CBAM, covered=False))
    full = {**CBAM, "products": {"steel": {**CBAM["products"]["steel"], "export_share": 1.0}}}
    cmp = planner.compare([half, planner.plan(steel(cbam=full, covered=False))], labels=["half", "full"])
    cb = cmp.frames()["cbam"].set_index("scenario")
    assert cb.loc["half", "cost_cny"] == pytest.approx(68_800) and cb.loc["full", "cost_cny"] == pytest.approx(137_600)
    assert cb.loc["full", "delta_cost_cny"] == pytest.approx(68_800)
    assert cb.loc["full", "embedded_tco2e_per_t"] == pytest.approx(0.8)
    kpi = cmp.frames()["kpis"].set_index(["kpi", "scenario"]).value
    assert kpi["npv_cbam", "full"] == pytest.approx(137_600)  # discount rate 0


def test_the_steel_sda_pathway_is_weighted_by_scrap_share(monkeypatch):
    # bundled data/sda_pathways.csv: 0% scrap 1.45, 100% scrap 0.30 tCO2e/t in 2030 (unverified); a BF-BOF route
    # with 0.12 t scrap and 1.45 t iron ore per t has a scrap share 0.12 / 1.57 = 0.07643:
    # 0.92357 x 1.45 + 0.07643 x 0.30 = 1.36210 tCO2e/t
    from helpers import ROOT

    from planner.postprocess.sbti import scrap_share, sector_points

    monkeypatch.setenv("PLANNER_DATA", str(ROOT / "data"))
    sc = steel(routes=[])
    sc = sc.model_copy(update={"measures": [sc.measures[0].model_copy(update={"inputs_per_t": {
        "scrap": 0.12, "iron_ore": 1.45}})]})
    assert scrap_share(sc, "steel") == pytest.approx(0.12 / 1.57)
    pts = sector_points(sc, "steel", "iron_and_steel").set_index("year")
    assert pts.intensity_tco2e_per_t[2030] == pytest.approx(1.3621, abs=1e-4)


def test_eu_price_export_share_and_benchmark_change_in_place_to_the_fresh_optimum():
    # a sweep's in-place update (backend/resolve.py) of the CBAM's EU price and export share and the ETS benchmark
    # gives the optimum of a fresh build; the CBAM factor or a new product is structure (a rebuild)
    from planner.backend import build_model, solve
    from planner.backend.resolve import structural_change, update_in_place
    from planner.preprocess import baseline as bl
    from planner.preprocess.inputs import build_inputs
    from planner.preprocess.targets import target_years

    def inputs(sc):
        drv = bl.drivers(sc)
        return build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv)

    h2 = {"id": "h2", "kind": "route", "site": "s1", "product": "steel", "lifetime": 1, "max_size": 1,
          "energy_per_t": {"hydrogen": 1.0}}
    cbam = {"eu_ets_price_eur_per_t": 50, "eur_cny": 8, "products": {"steel": {
        "export_share": 0.5, "eu_benchmark_tco2e_per_t": 0.0}}}
    base = steel(routes=[h2], horizon=(2030, 2030), ets=bench(0.7), cbam=cbam)
    cbam2 = {**cbam, "eu_ets_price_eur_per_t": 120, "products": {"steel": {**cbam["products"]["steel"],
                                                                             "export_share": 1.0}}}
    new = steel(routes=[h2], horizon=(2030, 2030), ets=bench(0.9), cbam=cbam2)
    built = build_model(*inputs(base))
    assert structural_change(built, *inputs(new)) is None
    update_in_place(built, *inputs(new))
    resolved, fresh = solve(built, new.solver), solve(build_model(*inputs(new)), new.solver)
    assert resolved.objective_mcny == pytest.approx(fresh.objective_mcny, rel=1e-9)
    assert fresh.objective_mcny != pytest.approx(solve(build_model(*inputs(base)), base.solver).objective_mcny)
    other = steel(routes=[h2], horizon=(2030, 2030), ets=bench(0.7), cbam={**cbam, "factor": 0.5})
    assert structural_change(built, *inputs(other)) == "cbam"


def test_the_grandfathering_form_is_reported_in_the_ets_position():
    # free_allocation_share 0.5 x BAU scope 1 (800 t) = 400 t against 800 t covered: 400 t bought at 100 CNY
    p = planner.plan(steel(ets={"free_allocation_share": 0.5}))
    row = p.ets_position.iloc[0]
    assert row.basis == "grandfathering" and row["product"] == ""
    assert row.allowances_t == pytest.approx(400) and row.surplus_t == pytest.approx(-400)
    assert row.cost_cny == pytest.approx(40_000) == p.costs.set_index("category").nominal_cny["carbon_ets"]
