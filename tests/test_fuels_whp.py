"""Partly biogenic fuels (biogenic CO2 apart from scope 1), a site's own emission factors and waste-heat power
(docs/model.md §6.10, docs/scenarios.md): known answers worked by hand on the micro scenario (tests/data)."""

from __future__ import annotations

import pytest
from helpers import scenario, solve

from planner.errors import InputError
from planner.preprocess import baseline as bl
from planner.schemas.library import load_library

ABS = {"abs": 1e-6}
# tests/data: rdf 0.4 tCO2/MWh with half of it biogenic, coal 0.3 t/MWh (eff 0.8); electricity 500 CNY/MWh,
# coal 100, rdf 50; grid factor 0.5 (location), 0.6 (residual)
RDF_SITE = [{"id": "s1", "energy": {"electricity": 1000, "rdf": 1000, "coal": 1000}}]


def _by_source(p, col: str, year: int = 2025):
    e = p.emissions[(p.emissions.year == year) & (p.emissions.scope == "scope1")]
    return e.set_index("source")[col]


@pytest.mark.usefixtures("testlib")
def test_the_biogenic_share_of_a_fuel_is_reported_apart_from_scope_1():
    p = solve(sites=RDF_SITE)
    # rdf: 1000 MWh x 0.4 = 400 tCO2, half biogenic: 200 t in scope 1, 200 t apart; coal 1000 x 0.3 = 300 t
    assert _by_source(p, "plan_tco2e")["combustion:rdf"] == pytest.approx(200, **ABS)
    assert _by_source(p, "plan_biogenic_co2_t")["combustion:rdf"] == pytest.approx(200, **ABS)
    assert _by_source(p, "bau_biogenic_co2_t")["combustion:coal"] == pytest.approx(0, **ABS)
    assert p.summary["base_year_tco2e"]["scope1"] == pytest.approx(500, **ABS)  # biogenic CO2 not in it
    assert p.summary["biogenic_co2_t"] == {"base_year": pytest.approx(200), "plan": {2025: pytest.approx(200)}}
    assert p.bau.biogenic_co2_t.sum() == pytest.approx(400, **ABS)  # base year and 2025


@pytest.mark.usefixtures("testlib")
def test_a_fuel_switch_to_a_partly_biogenic_fuel_books_its_fossil_part_and_reports_its_biogenic_part():
    p = solve(sites=RDF_SITE, measures=[
        {"id": "sw", "kind": "fuel_switch", "site": "s1", "target_carrier": "coal", "fuel": "rdf", "efficiency": 1.0,
         "capex_cny_per_kw": 0, "lifetime": 5}])
    # coal 1000 MWh x 0.8 = 800 MWh heat -> 800 MWh rdf: 160 t fossil (scope 1), 160 t biogenic; site rdf as before
    src = _by_source(p, "plan_tco2e")
    assert src["combustion:coal"] == pytest.approx(0, **ABS) and src["combustion:rdf"] == pytest.approx(360, **ABS)
    assert _by_source(p, "plan_biogenic_co2_t")["combustion:rdf"] == pytest.approx(360, **ABS)
    assert p.abatement.tco2e.sum() == pytest.approx(300 - 160, **ABS)  # abatement still sums to BAU - plan


def test_the_library_splits_refuse_derived_fuel_by_its_cited_biogenic_share():
    lib = load_library()
    c = lib.carriers["refuse_derived_fuel"]
    fossil, other = bl.fuel_factor(lib, "refuse_derived_fuel", "AR5")
    assert fossil == pytest.approx(c.co2_t_per_mwh * (1 - c.biogenic_share))  # 0.34805 x 0.4
    # CH4 at the non-fossil GWP (28) for the biogenic 60%, fossil (30) for the rest; N2O 265 (AR5)
    ch4_gwp = 0.6 * 28 + 0.4 * 30
    assert other == pytest.approx((c.ch4_kg_per_mwh * ch4_gwp + c.n2o_kg_per_mwh * 265) / 1000)
    assert bl.biogenic_factor(lib, "refuse_derived_fuel") == pytest.approx(0.34805 * 0.6)
    # biomass: all of its CO2 biogenic, so its scope-1 factor is CH4 and N2O only, as before
    assert bl.fuel_factor(lib, "biomass", "AR5")[0] == 0.0
    assert bl.biogenic_factor(lib, "biomass") == pytest.approx(0.4032)


@pytest.mark.usefixtures("testlib")
def test_a_site_own_factor_overrides_the_library_in_baseline_and_model():
    own = {"coal": {"co2_t_per_mwh": 0.35}, "rdf": {"biogenic_share": 0.8}}
    sites = [{**RDF_SITE[0], "emission_factors": own}]
    p = solve(sites=sites, measures=[
        {"id": "e1", "kind": "efficiency", "site": "s1", "carriers": ["coal"], "saving_share": 0.1,
         "capex_fixed_cny": 0, "lifetime": 1}])
    # coal 1000 MWh x 0.35 = 350 t BAU, 10% saved -> 315 t; rdf 400 t x (1 - 0.8) = 80 t, 320 t biogenic
    assert _by_source(p, "bau_tco2e")["combustion:coal"] == pytest.approx(350, **ABS)
    assert _by_source(p, "plan_tco2e")["combustion:coal"] == pytest.approx(315, **ABS)
    assert _by_source(p, "plan_tco2e")["combustion:rdf"] == pytest.approx(80, **ABS)
    assert _by_source(p, "plan_biogenic_co2_t")["combustion:rdf"] == pytest.approx(320, **ABS)
    assert p.abatement.tco2e.sum() == pytest.approx(35, **ABS)
    inv = p.inventory.set_index("source")
    assert inv.loc["combustion:coal", "factor_tco2e_per_unit"] == pytest.approx(0.35)
    s2 = {**RDF_SITE[0], "id": "s2", "entity": "p", "grid_region": "East"}
    other = solve(sites=[*sites, s2])  # the override is the site's alone
    assert other.bau[(other.bau.site == "s2") & (other.bau.source == "combustion:coal")].tco2e_site.iloc[0] == 300


@pytest.mark.usefixtures("testlib")
@pytest.mark.parametrize("factors, path, message", [
    ({"petcoke": {"co2_t_per_mwh": 0.3}}, "sites[0].emission_factors.petcoke", "unknown fuel carrier"),
    ({"electricity": {"co2_t_per_mwh": 0.3}}, "sites[0].emission_factors.electricity", "grid.factors"),
    ({"coal": {}}, "sites[0].emission_factors.coal", "at least one of"),
])
def test_bad_site_factors_are_one_line_errors(factors, path, message):
    with pytest.raises(InputError) as e:
        scenario(sites=[{**RDF_SITE[0], "emission_factors": factors}])
    assert path in str(e.value) and message in str(e.value) and "\n" not in str(e.value)


KILN = [{"id": "s1", "energy": {"electricity": 1000, "coal": 2000}, "output": {"value": 10_000, "unit": "t"}}]


def whp(**kw) -> dict:
    return {"id": "whp", "kind": "waste_heat_power", "site": "s1", "capex_cny_per_kw": 0, "lifetime": 5,
            "yield_kwh_per_t_output": 30, "full_load_hours": 5000, **kw}


@pytest.mark.usefixtures("testlib")
def test_waste_heat_power_supplies_the_site_load_and_saves_no_fuel():
    p = solve(sites=KILN, measures=[whp()])
    # potential 30 kWh/t x 10,000 t = 300 MWh (0.06 MW at 5,000 h); grid 1000 -> 700 MWh: 150,000 CNY less than
    # BAU 1000 x 500 + coal 2000 x 100 = 700,000; coal unchanged
    assert p.summary["objective_cny"] == pytest.approx(550_000, **ABS)
    assert p.electricity.grid_mwh.iloc[0] == pytest.approx(700, **ABS)
    assert p.roadmap["size"].iloc[0] == pytest.approx(0.06, rel=1e-6)
    ab = p.abatement.groupby("scope").tco2e.sum()
    assert ab["scope2_location"] == pytest.approx(300 * 0.5, **ABS) and ab["scope2_market"] == pytest.approx(180)
    assert "scope1" not in ab or ab["scope1"] == pytest.approx(0, **ABS)  # no phantom fuel saving


@pytest.mark.usefixtures("testlib")
def test_an_existing_waste_heat_power_plant_is_already_in_the_bau_and_only_new_capacity_abates():
    full = solve(sites=KILN, measures=[whp(existing_size=0.06)])  # already uses the whole 300 MWh potential
    assert full.summary["objective_cny"] == pytest.approx(700_000, **ABS) and full.roadmap.empty
    assert full.abatement.tco2e.abs().sum() == pytest.approx(0, **ABS)
    more = solve(sites=KILN, measures=[whp(existing_size=0.06, yield_kwh_per_t_output=60, capex_cny_per_kw=100)])
    # potential 600 MWh; the existing 0.06 MW make 300 (netted in the site's 1000 MWh); 0.06 MW more at
    # 100 CNY/kW = 6,000 CNY (one year of its 5-year life: 4/5 back as salvage) save 300 x 500 = 150,000
    assert more.summary["objective_cny"] == pytest.approx(700_000 - 150_000 + 6_000 / 5, **ABS)
    assert more.roadmap["size"].iloc[0] == pytest.approx(0.06, rel=1e-6)
    # the plant retires after 2025 and rebuilding it costs more than it saves: 2026 buys its 300 MWh from the grid
    gone = solve(sites=KILN, horizon={"start": 2025, "end": 2026},
                 measures=[whp(existing_size=0.06, existing_until=2025, capex_cny_per_kw=1e6)])
    assert list(gone.electricity.grid_mwh) == pytest.approx([1000, 1300], **ABS)


@pytest.mark.usefixtures("testlib")
def test_waste_heat_power_bases_and_the_kiln_template():
    fuel = solve(sites=KILN, measures=[whp(yield_kwh_per_t_output=None, yield_mwh_per_mwh_fuel=0.05)])
    # 5% of 2000 MWh coal = 100 MWh -> 50,000 CNY saved
    assert fuel.summary["objective_cny"] == pytest.approx(650_000, **ABS)
    with pytest.raises(InputError, match="one potential basis"):
        scenario(sites=KILN, measures=[whp(potential_mwh=100)])
    with pytest.raises(InputError, match="needs `output` in t"):
        scenario(measures=[whp()])


def test_the_kiln_waste_heat_power_template_applies():
    sc = scenario(sites=KILN, measures=[{"id": "k", "template": "kiln_waste_heat_power", "site": "s1"}])
    assert sc.measures[0].kind == "waste_heat_power" and sc.measures[0].yield_kwh_per_t_output == 35


@pytest.mark.usefixtures("testlib")
def test_heat_recovery_must_state_the_heat_it_can_serve():
    # the kiln's phantom: the template's default 20% of the kiln's own coal heat, booked as fuel saved
    with pytest.raises(InputError) as e:
        scenario(sites=KILN, measures=[{"id": "whr", "kind": "waste_heat_recovery", "site": "s1",
                                        "target_carrier": "coal", "lifetime": 5}])
    msg = str(e.value)
    assert "measures[0].max_share" in msg and "waste_heat_power" in msg and "\n" not in msg


def test_a_kiln_on_the_bundled_library_books_its_alternative_fuels_and_waste_heat_power_by_hand():
    """The bundled library (data/): coal with the plant's own CO2 factor, RDF and tyres, the kiln WHR template."""
    lib = load_library()
    p = solve(sites=[{"id": "s1", "energy": {"electricity": 50_000, "coal": 100_000, "refuse_derived_fuel": 20_000,
                                             "waste_tyres": 5_000},
                      "emission_factors": {"coal": {"co2_t_per_mwh": 0.35}},
                      "output": {"value": 1e6, "unit": "t"}, "process_emissions": {"CO2": 500_000}}],
              measures=[{"id": "whp", "template": "kiln_waste_heat_power", "site": "s1"}])
    mwh = {c: t * lib.carriers[c].mwh_per_unit for c, t in
           (("coal", 100_000), ("refuse_derived_fuel", 20_000), ("waste_tyres", 5_000))}
    # AR5: CH4 fossil 30, non-fossil 28, N2O 265; kg per MWh from data/carriers.csv
    coal = 0.35 + (0.036 * 30 + 0.0054 * 265) / 1000  # the plant's CO2, the library's CH4 and N2O
    rdf = 0.34805 * 0.4 + (0.108 * (0.6 * 28 + 0.4 * 30) + 0.0144 * 265) / 1000
    tyres = 0.306 * 0.73 + (0.108 * (0.27 * 28 + 0.73 * 30) + 0.0144 * 265) / 1000
    scope1 = mwh["coal"] * coal + mwh["refuse_derived_fuel"] * rdf + mwh["waste_tyres"] * tyres + 500_000
    assert p.summary["base_year_tco2e"]["scope1"] == pytest.approx(scope1, rel=1e-9)
    biogenic = mwh["refuse_derived_fuel"] * 0.34805 * 0.6 + mwh["waste_tyres"] * 0.306 * 0.27
    assert p.summary["biogenic_co2_t"]["base_year"] == pytest.approx(biogenic, rel=1e-9)
    # 35 kWh/t x 1 Mt clinker = 35,000 MWh at 7,000 h: a 5 MW plant (8,000 CNY/kW pays back within 2 years at
    # 630 CNY/MWh), so the site buys 15,000 of its 50,000 MWh; its fuels are untouched
    assert p.roadmap["size"].iloc[0] == pytest.approx(5.0, rel=1e-6)
    assert p.electricity.grid_mwh.iloc[0] == pytest.approx(15_000, rel=1e-9)
    e = p.emissions[p.emissions.scope == "scope1"]
    assert e.plan_tco2e.sum() == pytest.approx(e.bau_tco2e.sum(), rel=1e-12)
