"""Consolidation (three approaches, chains, joint ventures), GWP conversion, inventory and BAU projection."""

from __future__ import annotations

import pytest
from helpers import scenario
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.preprocess import baseline as bl
from planner.preprocess.consolidation import entity_shares
from planner.schemas.library import load_library
from planner.schemas.scenario import Organisation
from planner.schemas.trajectory import interpolate


def org(approach, entities):
    return Organisation.model_validate({"approach": approach, "reporting_entity": "root", "entities": entities})


# root owns 80% of A (controls it); A owns 90% of B (controls it); root and a partner hold JV 50/50 under
# joint financial control, operated by root; root owns 30% of C, controlled by someone else; A owns 50% of
# D jointly (financially) and operationally controls it.
ENTS = [
    {"id": "root"},
    {"id": "A", "owners": [{"entity": "root", "share": 0.8}], "financial_control": "root",
     "operational_control": "root"},
    {"id": "B", "owners": [{"entity": "A", "share": 0.9}], "financial_control": "A", "operational_control": "A"},
    {"id": "JV", "owners": [{"entity": "root", "share": 0.5}], "financial_control": "joint",
     "operational_control": "root"},
    {"id": "C", "owners": [{"entity": "root", "share": 0.3}]},
    {"id": "D", "owners": [{"entity": "A", "share": 0.5}], "financial_control": "joint", "operational_control": "A"},
]


def test_equity_share_multiplies_down_chains():
    s = entity_shares(org("equity_share", ENTS))
    assert s["A"] == pytest.approx(0.8)
    assert s["B"] == pytest.approx(0.72)  # 90% of 80%
    assert s["JV"] == pytest.approx(0.5) and s["C"] == pytest.approx(0.3)
    assert s["D"] == pytest.approx(0.4)  # 50% of 80%


def test_financial_control():
    s = entity_shares(org("financial_control", ENTS))
    assert s["A"] == 1.0 and s["B"] == 1.0  # controlled, and controlled by a controlled subsidiary
    assert s["JV"] == pytest.approx(0.5)  # jointly controlled venture at its equity share
    assert s["C"] == 0.0  # no control
    assert s["D"] == pytest.approx(0.5)  # JV of a fully consolidated subsidiary: A's 50%


def test_operational_control():
    s = entity_shares(org("operational_control", ENTS))
    assert (s["A"], s["B"], s["JV"], s["C"], s["D"]) == (1.0, 1.0, 1.0, 0.0, 1.0)


def test_equity_sums_over_paths():
    ents = [{"id": "root"}, {"id": "A", "owners": [{"entity": "root", "share": 0.6}]},
            {"id": "X", "owners": [{"entity": "root", "share": 0.2}, {"entity": "A", "share": 0.5}]}]
    assert entity_shares(org("equity_share", ents))["X"] == pytest.approx(0.2 + 0.6 * 0.5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6))
def test_equity_chain_is_product(shares):
    ents = [{"id": "root"}] + [{"id": f"e{i}", "owners": [{"entity": "root" if i == 0 else f"e{i - 1}", "share": x}]}
                               for i, x in enumerate(shares)]
    s = entity_shares(org("equity_share", ents))
    prod = 1.0
    for i, x in enumerate(shares):
        prod *= x
        assert s[f"e{i}"] == pytest.approx(prod)
        assert 0.0 <= s[f"e{i}"] <= 1.0


@pytest.mark.parametrize("gas, ar4, ar5, ar6", [("CH4", 25, 28, 27.0), ("N2O", 298, 265, 273),
                                               ("SF6", 22800, 23500, 25200), ("HFC-134a", 1430, 1300, 1530),
                                               ("NF3", 17200, 16100, 17400), ("CF4", 7390, 6630, 7380)])
def test_gwp_table(gas, ar4, ar5, ar6):
    lib = load_library()
    assert (lib.gwp_of(gas, "AR4"), lib.gwp_of(gas, "AR5"), lib.gwp_of(gas, "AR6")) == (ar4, ar5, ar6)


@pytest.mark.parametrize("gwp, expected", [("AR4", 2 * 1430 + 0.1 * 22800), ("AR5", 2 * 1300 + 0.1 * 23500),
                                           ("AR6", 2 * 1530 + 0.1 * 25200)])
def test_gwp_conversion_in_inventory(gwp, expected):
    sc = scenario(gwp=gwp, sites=[{"id": "s1", "energy": {"electricity": 0},
                                   "fugitive_emissions": {"HFC-134a": 2.0, "SF6": 0.1}}])
    inv = bl.inventory(sc)
    assert inv[inv.scope == "scope1"].tco2e.sum() == pytest.approx(expected)


def test_fuel_factor_includes_ch4_n2o_by_gwp():
    lib = load_library()
    co2, other = bl.fuel_factor(lib, "coal", "AR5")
    c = lib.carriers["coal"]
    assert co2 == pytest.approx(0.34056)  # 94.6 kg/GJ x 3.6 GJ/MWh
    assert other == pytest.approx((c.ch4_kg_per_mwh * 30 + c.n2o_kg_per_mwh * 265) / 1000)


def test_inventory_and_bau_known_values(testlib):
    # gas 1000 MWh x 0.2 = 200 t scope 1; electricity 1000 MWh x 0.5 / 0.6; heat 100 MWh x 0.4 = 40 t scope 2.
    # growth index 1.0 (2024) -> 1.2 (2025); scope 3 cat 1 1000 t grows to 1100.
    sc = scenario(sites=[{"id": "s1", "energy": {"natural_gas": 1000, "heat": 100},
                          "growth": {2024: 1.0, 2025: 1.2}}],
                  scope3={"categories": {1: {"tco2e": 1000, "growth": {2024: 1.0, 2025: 1.1}}}})
    tot = bl.scope_totals(bl.bau_emissions(sc))
    assert tot.loc[2024].to_dict() == pytest.approx(
        {"scope1": 200, "scope2_location": 540, "scope2_market": 640, "scope3": 1000})
    assert tot.loc[2025].to_dict() == pytest.approx(
        {"scope1": 240, "scope2_location": 648, "scope2_market": 768, "scope3": 1100})


def test_growth_index_normalised_to_base_year():
    assert bl.growth_index({2020: 2.0, 2030: 4.0}, 2025, [2030]) == pytest.approx({2025: 1.0, 2030: 4 / 3})


def test_grid_factor_index_applies_to_data_factors():
    sc = scenario(sites=[{"id": "s1", "grid_region": "North"}], grid={"factor_index": {2024: 1.0, 2025: 0.5}})
    drv = bl.drivers(sc)
    assert drv.grid_location["s1", 2024] == pytest.approx(0.6361)  # North 2023 (latest data year)
    assert drv.grid_location["s1", 2025] == pytest.approx(0.6361 / 2)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.integers(2000, 2060), st.floats(-1e3, 1e3), min_size=1, max_size=6),
       st.integers(1990, 2070))
def test_interpolation_within_bounds(points, year):
    v = interpolate(points, [year])[year]
    assert min(points.values()) - 1e-9 <= v <= max(points.values()) + 1e-9
    if year in points:
        assert v == pytest.approx(points[year])


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 10), st.floats(0, 1e5),
       st.sampled_from(["equity_share", "financial_control", "operational_control"]), st.floats(0, 1))
def test_scopes_sum_to_totals(elec, gas, hfc, s3, approach, share):
    sc = scenario(organisation={"approach": approach, "reporting_entity": "p", "entities": [
        {"id": "p"}, {"id": "sub", "owners": [{"entity": "p", "share": share}], "financial_control": "joint",
                      "operational_control": "p"}]},
        sites=[{"id": "s1", "entity": "sub", "energy": {"electricity": elec, "natural_gas": gas},
                "fugitive_emissions": {"HFC-134a": hfc}}],
        scope3={"categories": {1: {"tco2e": s3}, 4: {"tco2e": s3 / 2}}})
    bau = bl.bau_emissions(sc)
    inv = bl.inventory(sc)
    by = bau[bau.year == 2024]
    for scope in bl.SCOPES:
        assert by[by.scope == scope].tco2e.sum() == pytest.approx(inv[inv.scope == scope].tco2e.sum(), abs=1e-6)
    assert (bau.tco2e == bau.tco2e_site * bau.share).all()


def test_grouped_lookups_match_scans():
    """The per-site groupings built once (BAU fuels of a site, measures of a site, process keys) list what a scan
    of every entry lists, in the same order."""
    from planner.backend.core import Core
    from planner.preprocess.prepare import prepare
    from planner.synthetic import portfolio

    pre = prepare(portfolio(4))
    drv, inp = pre.drivers, pre.inputs
    core = Core(None, inp)
    keys = sorted({k[:3] for k in inp.bau_process_kt})
    for s in inp.sites:
        assert drv.fuels(s) == [c for (ss, c) in drv.efficiency if ss == s]
        assert inp.measures_at(s) == [m for m in inp.measures if m.site == s]
        assert core.process_keys[s] == [(k, g) for ss, k, g in keys if ss == s]
    assert inp.measures_at(None) == [m for m in inp.measures if m.site is None]
