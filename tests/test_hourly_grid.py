"""Hourly mode, part two (docs/model.md §15.6-15.7): hourly grid factors, hourly matching and the 24/7 share,
the grid connection, given days, absolute caps, natural bounds. Known answers worked by hand."""

from __future__ import annotations

import pytest
from helpers import scenario

from planner.backend import build_model, solve
from planner.errors import InputError
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years
from planner.units import MCNY_TO_CNY

LOAD_MW = 1000 / 8760  # the micro site's 1,000 MWh a year as a mean power
FLAT = {"source": "test", "hours": {"1-12": "f" * 24}, "prices_cny_per_mwh": {"flat": 500}}


def _csv(tmp_path, name: str, day: list[float]) -> str:
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(str(v) for v in day * 365) + "\n", encoding="utf-8")
    return str(path)


def _run(sc):
    drv = bl.drivers(sc)
    inp = build_inputs(sc, None, drv)
    b = build_model(inp, target_years(sc, bl.bau_emissions(sc, drv), drv))
    return b, solve(b, sc.solver)


def _cny(info) -> float:
    return info.objective_mcny * MCNY_TO_CNY


@pytest.mark.usefixtures("testlib")
def test_only_the_profiles_a_measure_or_the_load_uses_shape_the_days(tmp_path):
    # issue 28: the default `wind: typical` was clustered with no wind measure and moved the representative days
    sc = scenario(time={"resolution": "representative_days", "days": 3, "sites": {"s1": {"tariff": FLAT}}})
    hi = build_inputs(sc).hourly
    assert hi.profiles == ["load:s1"] and set(hi.reduction.profile) == {"load"}
    wind = {"id": "w", "kind": "onsite_generation", "site": "s1", "technology": "wind", "capex_cny_per_kw": 5000,
            "yield_mwh_per_mw": 2000, "lifetime": 20}
    hi2 = build_inputs(scenario(time=sc.time.model_dump(exclude_none=True), measures=[wind])).hourly
    assert hi2.profiles == ["load:s1", "wind:s1"] and set(hi2.reduction.profile) == {"load", "wind"}
    bad = tmp_path / "wind.csv"  # an unused profile file is still checked
    bad.write_text("1\n" * 100, encoding="utf-8")
    raw = sc.time.model_dump(exclude_none=True)
    raw["sites"]["s1"]["wind"] = str(bad)
    with pytest.raises(InputError, match="expected 8760 non-negative numbers, got 100"):
        build_inputs(scenario(time=raw))


def _ppa_case(tmp_path, matching: str):
    # flat load, 500 CNY/MWh; a PPA whose output comes only in hours 11 and 12 (shape 12 there, mean 1) at a
    # premium of 10 CNY/MWh; internal carbon price 100 CNY/t on market-based scope 2 (residual factor 0.6)
    noon = [0.0] * 11 + [12.0, 12.0] + [0.0] * 11
    ppa = {"id": "ppa", "kind": "green_ppa", "site": "s1", "premium_cny_per_mwh": 10, "profile": "pv"}
    sc = scenario(time={"resolution": "representative_days", "days": 2, "scope2_matching": matching,
                        "sites": {"s1": {"tariff": FLAT, "load": _csv(tmp_path, "load", [1.0] * 24),
                                         "pv": _csv(tmp_path, "pv", noon)}}},
                  internal_carbon_price={"price_cny_per_t": 100, "scope2": "market"}, measures=[ppa])
    return _run(sc)


@pytest.mark.usefixtures("testlib")
def test_hourly_matching_a_noon_ppa_does_not_cover_the_night_load(tmp_path):
    from planner.postprocess.carbon_free import carbon_free

    b, info = _ppa_case(tmp_path, "annual")  # annual matching: all 1,000 MWh claimed, scope 2 market 0
    assert _cny(info) == pytest.approx(500 * 1000 + 10 * 1000, rel=1e-9)
    assert b.value(b.m.scope2_market["s1", 2025]) == pytest.approx(0, abs=1e-9)
    # hourly: claims only in hours 11-12, at most the load there: 1,000 x 2/24 = 83.3 MWh, bought with a
    # contract of V = 83.3 MWh (12 V per noon hour = the load); every further MWh would be unmatched.
    # scope 2 market = 0.6 x (1000 - 83.3) t; cost = 500,000 + 10 x 83.3 + 100 x 550
    b, info = _ppa_case(tmp_path, "hourly")
    matched = 1000 * 2 / 24
    assert _cny(info) == pytest.approx(500_000 + 10 * matched + 100 * 0.6 * (1000 - matched), rel=1e-9)
    assert b.value(b.m.scope2_market["s1", 2025]) * 1000 == pytest.approx(0.6 * (1000 - matched), rel=1e-9)
    rows = b.measures[0].roadmap_rows(b.value)
    assert rows[0]["size"] == pytest.approx(matched, rel=1e-9)  # MWh contracted
    with b.evaluation():
        cfe = carbon_free(b)
    assert cfe.cfe_share.iloc[0] == pytest.approx(2 / 24, rel=1e-9)
    assert cfe.matched_mwh.iloc[0] == pytest.approx(matched, rel=1e-9)


@pytest.mark.usefixtures("testlib")
def test_an_hourly_grid_factor_values_shifting_load_to_clean_hours(tmp_path):
    # factor shape 0.5 in hours 0-11, 1.5 in 12-23; load 1 then 3 (shape 0.5 / 1.5). The factor is scaled so the
    # BAU load carries the annual 0.5 t/MWh: load-weighted mean (0.5 x 0.5 + 1.5 x 1.5) / 2 = 1.25, so the hours
    # have 0.5 x 0.4 and 0.5 x 1.2 t/MWh. A free lossless 0.1 MWh battery (cycles unlimited) moves 0.1 MWh a
    # day from dirty to clean hours: 36.5 MWh x 0.5 x 0.8 = 14.6 t; carbon price 100 CNY/t on location scope 2
    from planner.postprocess.attribution import attribute

    hourly = {"tariff": FLAT, "load": _csv(tmp_path, "load", [1.0] * 12 + [3.0] * 12),
              "grid_factor": _csv(tmp_path, "f", [0.5] * 12 + [1.5] * 12)}
    bat = {"id": "bat", "kind": "storage", "site": "s1", "capex_cny_per_kwh": 0, "lifetime": 10, "max_size": 0.1,
           "round_trip_efficiency": 1.0, "cycles_per_year": None, "duration_h": 2}
    over = dict(internal_carbon_price={"price_cny_per_t": 100, "scope2": "location"})
    t = {"resolution": "representative_days", "days": 2, "sites": {"s1": hourly}}
    b0, info0 = _run(scenario(time=t, **over))
    assert b0.value(b0.m.scope2_location["s1", 2025]) * 1000 == pytest.approx(500, rel=1e-9)  # = BAU, annual
    assert _cny(info0) == pytest.approx(500_000 + 100 * 500, rel=1e-9)
    b, info = _run(scenario(time=t, measures=[bat], **over))
    assert b.value(b.m.scope2_location["s1", 2025]) * 1000 == pytest.approx(500 - 14.6, rel=1e-9)
    assert _cny(info) == pytest.approx(500_000 + 100 * (500 - 14.6), rel=1e-9)
    with b.evaluation():
        ab, _en = attribute(b)
    loc = ab[(ab.scope == "scope2_location") & (ab.measure == "bat")].tco2e.sum()
    assert loc == pytest.approx(14.6, rel=1e-9)  # abatement = BAU - plan, per slice factors


def test_the_typical_grid_factor_shape_is_computed_from_the_region_and_has_mean_one():
    import numpy as np

    from planner.preprocess.profiles import profile

    x = profile("typical", "grid_factor", "East").reshape(365, 24)
    assert x.mean() == pytest.approx(1.0, rel=1e-12) and x.min() > 0
    assert x[:, 11:14].mean() < x[:, 19:22].mean()  # solar noon cleaner than the evening peak
    assert np.allclose(x[0], x[30])  # month-by-hour: every day of a month alike


def _conn_case(tmp_path, conn: dict, capacity_charge: float = 0.0):
    tariff = {**FLAT, "demand_charge_cny_per_kw_month": 40, "capacity_charge_cny_per_kva_month": capacity_charge}
    hourly = {"tariff": tariff, "load": _csv(tmp_path, "load", [1.0] * 12 + [3.0] * 12), "connection": conn}
    return _run(scenario(time={"resolution": "representative_days", "days": 2, "sites": {"s1": hourly}}))


@pytest.mark.usefixtures("testlib")
def test_a_binding_connection_limit_makes_the_upgrade_pay(tmp_path):
    # load 0.5 and 1.5 x the mean 0.114 MW: peak 0.171 MW over an import limit of 0.1 MW; an upgrade of 1e6
    # CNY/MW lasting 1 year (no salvage) is the only way: 0.071 MW; demand charge 40 x 12 x 1000 x peak
    peak = 1.5 * LOAD_MW
    b, info = _conn_case(tmp_path, {"import_mw": 0.1, "upgrade": {"capex_cny_per_mw": 1e6, "lifetime": 1}})
    assert b.value(b.m.connection_built["s1", 2025]) == pytest.approx(peak - 0.1, rel=1e-9)
    assert _cny(info) == pytest.approx(500_000 + 480_000 * peak + 1e6 * (peak - 0.1), rel=1e-9)
    from planner.postprocess.dispatch import connection_upgrades

    assert connection_upgrades(b) == {"s1": {2025: pytest.approx(peak - 0.1, rel=1e-9)}}  # summary.json
    _b, bad = _conn_case(tmp_path, {"import_mw": 0.1})  # no upgrade: the load cannot be served
    assert bad.status == "infeasible"
    _b, ok = _conn_case(tmp_path, {"import_mw": 0.2})  # a limit above the peak changes nothing
    assert _cny(ok) == pytest.approx(500_000 + 480_000 * peak, rel=1e-9)


@pytest.mark.usefixtures("testlib")
def test_capacity_billing_charges_the_contracted_kva_instead_of_the_peak(tmp_path):
    # 100 kVA at power factor 0.9 = 0.09 MW < peak 0.171 MW: upgrade 0.081 MW at 1e6 CNY/MW; the capacity
    # charge 20 CNY/kVA-month on (0.09 + 0.081) MW / 0.9 x 1000 kVA; no demand charge
    peak = 1.5 * LOAD_MW
    conn = {"kva": 100, "upgrade": {"capex_cny_per_mw": 1e6, "lifetime": 1}, "billing": "capacity"}
    b, info = _conn_case(tmp_path, conn, capacity_charge=20)
    assert b.value(b.m.connection_built["s1", 2025]) == pytest.approx(peak - 0.09, rel=1e-9)
    assert _cny(info) == pytest.approx(500_000 + 1e6 * (peak - 0.09) + 240 * peak / 0.9 * 1000, rel=1e-9)
    assert not hasattr(b.m, "peak_month") or len(b.m.peak_month) == 0
    with pytest.raises(InputError, match="capacity_charge_cny_per_kva_month"):
        _conn_case(tmp_path, conn)


def _days_file(tmp_path, price: bool, rest: bool = False) -> str:
    rows = ["day,hour,weight,month,day_type,load" + (",price" if price else "")]
    for day, w, mo, load, p, kind in ((1, 200, 1, 1.0, 300, "working"), (2, 165, 7, 2.0, 800,
                                                                         "rest" if rest else "working")):
        rows += [f"{day},{h},{w},{mo},{kind},{load}" + (f",{p}" if price else "") for h in range(24)]
    path = tmp_path / "days.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.usefixtures("testlib")
def test_given_days_are_used_as_they_are_with_their_weights_and_day_types(tmp_path):
    # day 1: 200 days of load 1 at 300 CNY/MWh; day 2: 165 days of load 2 at 800. The 1,000 MWh split 200:330:
    # cost = 1000 x (200 x 300 + 330 x 800) / 530
    t = {"resolution": "representative_days", "days_file": _days_file(tmp_path, True),
         "sites": {"s1": {"tariff": FLAT}}}
    b, info = _run(scenario(time=t))
    hi = b.inp.hourly
    assert hi.given and hi.day_weight == {0: 200.0, 1: 165.0} and hi.day_months == {0: [1], 1: [7]}
    assert b.inp.time.slices[0].weight == pytest.approx(200 / 365 / 24, rel=1e-12)
    assert _cny(info) == pytest.approx(1000 * (200 * 300 + 330 * 800) / 530, rel=1e-9)
    # no price column: the tariff's prices, rest-day letters on the rest day (valley 200 all day)
    tariff = {**FLAT, "rest_day_hours": {"1-12": "v" * 24}, "prices_cny_per_mwh": {"flat": 500, "valley": 200}}
    t = {**t, "days_file": _days_file(tmp_path, False, rest=True), "sites": {"s1": {"tariff": tariff}}}
    _b, info = _run(scenario(time=t))
    assert _cny(info) == pytest.approx(1000 * (200 * 500 + 330 * 200) / 530, rel=1e-9)


def test_given_days_must_weigh_a_year(tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("day,hour,weight,load\n" + "".join(f"1,{h},300,1\n" for h in range(24)), encoding="utf-8")
    sc = scenario(time={"resolution": "representative_days", "days_file": str(path), "sites": {"s1": {"tariff": FLAT}}})
    with pytest.raises(InputError, match=r"time\.days_file\.weight: expected positive day weights summing to 365"):
        build_inputs(sc)


@pytest.mark.usefixtures("testlib")
def test_an_absolute_cap_binds_at_its_tco2e():
    # BAU market scope 2 = 1000 MWh x 0.6 = 600 t; a cap of 550 t needs the 10% retrofit (540 t), 30,000 CNY
    from helpers import efficiency

    from planner.preprocess.targets import describe

    cap = {"id": "cap", "year": 2025, "coverage": {"scope1": True, "scope2": "market"}, "cap_tco2e": 550}
    sc = scenario(targets=[cap], measures=[efficiency()])
    b, info = _run(sc)
    assert b.targets[0].limit == 550 and b.targets[0].reduction == pytest.approx(1 - 550 / 600, rel=1e-12)
    assert _cny(info) == pytest.approx(500 * 900 + 30_000, rel=1e-9)
    assert describe(sc.targets[0], sc) == "2025 target, scopes 1+2 market-based cap 550 tCO2e"
    with pytest.raises(InputError, match="give one of them"):
        scenario(targets=[{**cap, "reduction": 0.1}])


@pytest.mark.usefixtures("testlib")
def test_storage_without_a_size_or_cycle_limit_takes_its_natural_size(tmp_path):
    # peak 1000 CNY/MWh for 16 h, valley 200 for 8 h, flat load: a lossless 8-hour battery at 1 CNY/kWh serves
    # all 16 peak hours, 16 x 0.114 MWh (above the old default of half a day's mean load, 12 x 0.114), cycling
    # every day (365 > the default limit of 330); its natural bound is a day's use, 24 x 0.114 MWh
    tariff = {"source": "t", "hours": {"1-12": "v" * 8 + "p" * 16}, "prices_cny_per_mwh": {"valley": 200, "peak": 1000}}
    bat = {"id": "bat", "kind": "storage", "site": "s1", "capex_cny_per_kwh": 1, "lifetime": 10, "duration_h": 8,
           "round_trip_efficiency": 1.0, "cycles_per_year": None}
    t = {"resolution": "representative_days", "days": 2,
         "sites": {"s1": {"tariff": tariff, "load": _csv(tmp_path, "load", [1.0] * 24)}}}
    b, _info = _run(scenario(time=t, measures=[bat]))
    assert b.measures[0].smax == pytest.approx(24 * LOAD_MW, rel=1e-9)
    assert b.value(b.measures[0].block.capacity[2025]) == pytest.approx(16 * LOAD_MW, rel=1e-7)
    with pytest.raises(InputError, match="cycles_per_year.*annual model needs a cycle limit"):
        scenario(measures=[bat])


@pytest.mark.usefixtures("testlib")
def test_rest_days_of_the_typical_year_take_the_rest_day_prices(tmp_path):
    # flat load; 500 CNY/MWh on working days, 200 on rest days (Saturdays and Sundays of the typical year that
    # starts on a Monday: 104 of 365 days): 1000 x (261 x 500 + 104 x 200) / 365 CNY
    tariff = {**FLAT, "rest_day_hours": {"1-12": "v" * 24}, "prices_cny_per_mwh": {"flat": 500, "valley": 200}}
    t = {"resolution": "representative_days", "days": 2,
         "sites": {"s1": {"tariff": tariff, "load": _csv(tmp_path, "load", [1.0] * 24)}}}
    _b, info = _run(scenario(time=t))
    assert _cny(info) == pytest.approx(1000 * (261 * 500 + 104 * 200) / 365, rel=1e-9)
    with pytest.raises(InputError, match="need resolution: representative_days"):
        scenario(time={"scope2_matching": "hourly"})
