"""Representative-day mode (docs/model.md §15): known answers worked by hand, no PyPSA needed."""

from __future__ import annotations

import pytest
from helpers import ROOT, scenario

import planner
from planner.backend import build_model, solve
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years
from planner.units import MCNY_TO_CNY

LOAD_MW = 1000 / 8760  # the micro site's 1,000 MWh a year, as a mean power


def _csv(tmp_path, name: str, day: list[float]) -> str:
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(str(v) for v in day * 365) + "\n", encoding="utf-8")
    return str(path)


def _tariff(letters: str, prices: dict, demand: float = 0.0, export_mw: float | None = None) -> dict:
    return {"source": "test", "hours": {"1-12": letters}, "prices_cny_per_mwh": prices,
            "demand_charge_cny_per_kw_month": demand, "export_limit_mw": export_mw}


def _solve(tmp_path, tariff: dict, load: list[float], measures: list[dict], pv: list[float] | None = None,
           days: int = 2, **over):
    hourly = {"tariff": tariff, "load": _csv(tmp_path, "load", load)}
    if pv is not None:
        hourly["pv"] = _csv(tmp_path, "pv", pv)
    sc = scenario(time={"resolution": "representative_days", "days": days, "sites": {"s1": hourly}},
                  measures=measures, **over)
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    info = solve(b, sc.solver)
    return b, info


def _battery(**kw) -> dict:
    return {"id": "bat", "kind": "storage", "site": "s1", "capex_cny_per_kwh": 0, "lifetime": 10,
            "cycles_per_year": 400, **kw}


@pytest.mark.usefixtures("testlib")
def test_a_battery_arbitrages_a_two_price_day_as_hand_arithmetic_says(tmp_path):
    # valley 200 CNY/MWh for 12 h, peak 1000 for 12 h; a free 0.1 MWh battery, 2 h, 81% round trip
    tariff = _tariff("v" * 12 + "p" * 12, {"valley": 200, "peak": 1000})
    b, info = _solve(tmp_path, tariff, [1.0] * 24, [_battery(max_size=0.1, round_trip_efficiency=0.81)])
    bau = 1000 * (200 + 1000) / 2  # CNY a year
    saving = (0.1 * 0.9 * 1000 - 0.1 / 0.9 * 200) * 365  # delivered at peak - bought at valley, every day
    assert info.objective_mcny * MCNY_TO_CNY == pytest.approx(bau - saving, rel=1e-9)
    soc = [b.value(v) for v in b.measures[0].block.soc.values()]
    assert max(soc) == pytest.approx(0.1, rel=1e-9)  # full once a day


@pytest.mark.usefixtures("testlib")
def test_pv_is_curtailed_when_export_is_capped(tmp_path):
    # 1 MW of free PV making 1 MW for 12 h a day; export capped at 0.5 MW by the tariff
    pv = {"id": "pv", "kind": "onsite_generation", "site": "s1", "capex_cny_per_kw": 0, "yield_mwh_per_mw": 4380,
          "lifetime": 25, "min_size": 1, "max_size": 1}
    day = [0.0] * 6 + [1.0] * 12 + [0.0] * 6
    for cap, expect_export_mw in ((0.5, 0.5), (None, 1 - LOAD_MW)):
        tariff = _tariff("f" * 24, {"flat": 500}, export_mw=cap)
        b, _info = _solve(tmp_path, tariff, [1.0] * 24, [pv], pv=day, prices={"export_electricity": 300})
        blk, time = b.measures[0].block, b.inp.time
        for sl in time.slices:
            gen, direct, exp = (b.value(x[sl.key]) for x in (blk.generation, blk.direct, blk.export))
            if 6 <= sl.hour < 18:
                assert exp / 8.76 == pytest.approx(expect_export_mw, rel=1e-7)
                assert direct / 8.76 == pytest.approx(LOAD_MW, rel=1e-7)
                curtailed = (gen - direct - exp) / 8.76
                assert curtailed == pytest.approx(1 - LOAD_MW - expect_export_mw, abs=1e-7)
            else:
                assert gen == exp == 0


@pytest.mark.usefixtures("testlib")
def test_the_battery_shaves_the_monthly_demand_charge(tmp_path):
    # flat 500 CNY/MWh, 40 CNY/kW-month; load 1 for 22 h and 3 for 2 h; a free lossless battery shaves the
    # peak down to the mean load (recharging over the other 22 h): hand arithmetic in docs/model.md §15
    tariff = _tariff("f" * 24, {"flat": 500}, demand=40)
    load = [1.0] * 18 + [3.0] * 2 + [1.0] * 4
    peak_mw = 3 * LOAD_MW / (28 / 24)
    b0, info0 = _solve(tmp_path, tariff, load, [])
    assert info0.objective_mcny * MCNY_TO_CNY == pytest.approx(500 * 1000 + 40 * 12 * 1000 * peak_mw, rel=1e-9)
    b, info = _solve(tmp_path, tariff, load, [_battery(max_size=1.0, round_trip_efficiency=1.0)])
    assert info.objective_mcny * MCNY_TO_CNY == pytest.approx(500 * 1000 + 40 * 12 * 1000 * LOAD_MW, rel=1e-9)
    assert max(b.value(v) for v in b.m.peak_month.values()) == pytest.approx(LOAD_MW, rel=1e-9)


@pytest.mark.usefixtures("testlib")
def test_representative_days_keep_annual_energy_and_the_peak_day():
    sc = scenario(time={"resolution": "representative_days", "days": 3, "hours_per_day": 6,
                        "sites": {"s1": {"tariff": _tariff("f" * 24, {"flat": 500})}}})
    inp = build_inputs(sc)
    t, hi = inp.time, inp.hourly
    assert len(t.slices) == 3 * 6 and sum(hi.day_weight.values()) == pytest.approx(365)
    assert sum(s.weight * inp.elec_load_gwh("s1", s.key) for s in t.slices) == pytest.approx(1.0, rel=1e-12)
    err = hi.reduction.set_index("profile")
    assert abs(err.loc["load", "peak_error_pct"]) < 1.0  # the peak-load day is kept as its own day


def test_the_hourly_demo_runs_and_decides_storage(tmp_path):
    p = planner.plan(planner.load_scenario(ROOT / "scenarios" / "demo_hourly.yaml"), out_dir=tmp_path)
    assert p.summary["status"] == "optimal"
    assert "battery" in set(p.roadmap.measure)
    assert (tmp_path / "dispatch.csv").exists()
    assert p.summary["representative_days"]["days"] == 8
    import matplotlib

    from planner.report.common import style
    from planner.report.plan import dispatch
    from planner.report.plan.specs import chart_specs

    assert "dispatch" in dict(chart_specs(p.frames()))
    with matplotlib.rc_context(style.rc()):
        png = style.save(dispatch.chart(p.frames(), "zh"), tmp_path / "dispatch_zh")[0]
    assert png.stat().st_size > 10_000  # a representative day, SoC, tariff periods


@pytest.mark.parametrize("time, message", [
    ({"resolution": "representative_days", "sites": {}}, "time.sites needs the hourly data of every site"),
    ({"resolution": "representative_days", "sites": {"s1": {"tariff": {
        "source": "x", "hours": {"1-11": "f" * 24}, "prices_cny_per_mwh": {"flat": 500}}}}}, "each month 1-12"),
    ({"resolution": "representative_days", "sites": {"s1": {"tariff": {
        "source": "x", "hours": {"1-12": "p" * 24}, "prices_cny_per_mwh": {"flat": 500}}}}}, "no price for period"),
])
def test_bad_time_settings_are_one_line_errors(time, message):
    from planner.errors import InputError

    with pytest.raises(InputError, match=message) as exc:
        scenario(time=time)
    assert "\n" not in str(exc.value)


@pytest.mark.usefixtures("testlib")
def test_the_tariff_export_price_pays_exports_by_period(tmp_path):
    # 1 MW of free PV making 1 MW from 06 to 18; the tariff pays exports 250 CNY/MWh in its peak hours
    # (06-18) and 0 at night, instead of the scenario's annual 300 CNY/MWh
    from planner.postprocess.results import costs

    pv = {"id": "pv", "kind": "onsite_generation", "site": "s1", "capex_cny_per_kw": 0, "yield_mwh_per_mw": 4380,
          "lifetime": 25, "min_size": 1, "max_size": 1}
    day = [0.0] * 6 + [1.0] * 12 + [0.0] * 6
    letters = "v" * 6 + "p" * 12 + "v" * 6
    export_mwh = (1 - LOAD_MW) * 12 * 365  # a year's export: the PV output above the load, sunny hours
    for price, per_mwh in ((None, 300), ({"peak": 250, "valley": 0}, 250), (120, 120)):
        tariff = {**_tariff(letters, {"peak": 500, "valley": 500}), "export_price_cny_per_mwh": price}
        b, info = _solve(tmp_path, tariff, [1.0] * 24, [pv], pv=day, prices={"export_electricity": 300})
        assert info.status == "optimal"
        rev = costs(b)[0].query("category == 'export_revenue'").nominal_cny
        assert list(rev) == pytest.approx([-per_mwh * export_mwh] * len(rev), rel=1e-7)


def test_an_export_price_must_cover_every_period_the_tariff_uses(tmp_path):
    from planner.errors import InputError

    tariff = {**_tariff("v" * 12 + "p" * 12, {"peak": 900, "valley": 300}), "export_price_cny_per_mwh": {"peak": 1}}
    with pytest.raises(InputError, match=r"time\.sites\.s1\.tariff.*no export price for period\(s\) \['valley'\]"):
        scenario(time={"resolution": "representative_days", "sites": {"s1": {"tariff": tariff}}})


@pytest.mark.usefixtures("testlib")
def test_profile_csv_paths_are_relative_to_the_scenario_file_not_the_working_directory(tmp_path, monkeypatch):
    import yaml

    from planner.errors import InputError
    from planner.schemas import load_scenario

    sc = scenario(time={"resolution": "representative_days", "days": 2,
                        "sites": {"s1": {"tariff": _tariff("f" * 24, {"flat": 500})}}})
    raw = sc.model_dump(mode="json", exclude_none=True)
    folder = tmp_path / "client" / "profiles"
    folder.mkdir(parents=True)
    (folder / "load.csv").write_text("mw\n" + ("\n".join(["1.0"] * 12 + ["3.0"] * 12) + "\n") * 365)
    raw["time"]["sites"]["s1"]["load"] = "profiles/load.csv"
    path = tmp_path / "client" / "plant.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # elsewhere: the path still resolves against the scenario's folder
    loaded = load_scenario(path)
    assert loaded.time.sites["s1"].load == str(folder / "load.csv")
    inp = build_inputs(loaded)
    shapes = [inp.shape("load", "s1", ts) for ts in inp.time.slice_keys if inp.time.period_of(ts) == inp.years[0]]
    assert max(shapes) / min(shapes) == pytest.approx(3.0, rel=1e-9)  # the CSV's 1:3 day, not the typical one
    raw["time"]["sites"]["s1"]["load"] = "profiles/missing.csv"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"plant\.yaml: time\.sites\.s1\.load: profile file 'profiles/missing\.csv' "
                                         r"not found"):
        load_scenario(path)
    (folder / "short.csv").write_text("1\n" * 100)
    raw["time"]["sites"]["s1"]["load"] = "profiles/short.csv"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=r"short\.csv: time\.sites\.s1\.load: expected 8760 non-negative numbers, "
                                         r"got 100"):
        build_inputs(load_scenario(path))


@pytest.mark.usefixtures("testlib")
@pytest.mark.parametrize("heat", ["flat", "peak"])
def test_electrified_heat_follows_the_heat_shape_and_pays_its_hours_prices(tmp_path, heat):
    # gas at 5,000 CNY/MWh: a free electric boiler (COP 1) takes over all the heat. Valley 200 CNY/MWh for
    # 12 h, peak 1,000 for 12 h: flat heat costs the mean 600 per MWh of heat, heat needed only in the peak
    # hours (shape 2 there, 0 in the valley) costs 1,000: 400 CNY more per MWh of useful heat, by hand
    tariff = _tariff("v" * 12 + "p" * 12, {"valley": 200, "peak": 1000})
    hourly = {"tariff": tariff, "load": _csv(tmp_path, "load", [1.0] * 24)}
    if heat == "peak":
        hourly["heat"] = _csv(tmp_path, "heat", [0.0] * 12 + [2.0] * 12)
    boiler = {"id": "eb", "kind": "electrification", "site": "s1", "target_carrier": "natural_gas", "cop": 1.0,
              "capex_cny_per_kw": 0, "lifetime": 10}
    sc = scenario(sites=[{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 1000}}],
                  prices={"natural_gas": 5000},
                  time={"resolution": "representative_days", "days": 2, "sites": {"s1": hourly}}, measures=[boiler])
    drv = bl.drivers(sc)
    inp = build_inputs(sc, None, drv)
    b = build_model(inp, target_years(sc, bl.bau_emissions(sc, drv), drv))
    info = solve(b, sc.solver)
    heat_mwh = inp.bau_heat_gwh["s1", "natural_gas", 2025] * 1000
    per_mwh = 600 if heat == "flat" else 1000
    assert info.objective_mcny * MCNY_TO_CNY == pytest.approx(1000 * 600 + heat_mwh * per_mwh, rel=1e-9)
    blk = b.measures[0].block
    for sl in inp.time.slices:  # the boiler runs when the heat is needed, at the shape's rate
        want = heat_mwh / 1000 * (1.0 if heat == "flat" else (2.0 if sl.hour >= 12 else 0.0))
        assert b.value(blk.heat[sl.key]) == pytest.approx(want, rel=1e-9, abs=1e-12)
    if heat == "peak":  # sized for the peak hour: twice the mean heat rate, at 1 MW per MW
        assert max(b.value(v) for v in blk.capacity.values()) == pytest.approx(2 * heat_mwh / 8760, rel=1e-9)


def test_the_typical_heat_shape_is_process_heat_plus_winter_space_heating():
    from planner.preprocess.profiles import MONTH_OF_DAY, profile, typical_load

    x = profile("typical", "heat", "East").reshape(365, 24)
    assert x.mean() == pytest.approx(1.0, rel=1e-12) and x.min() >= 0
    month = MONTH_OF_DAY
    assert x[month == 0].mean() > 1.2 > 0.8 > x[month == 6].mean()  # January above July
    july = typical_load().reshape(365, 24)[month == 6]
    assert x[month == 6].mean() == pytest.approx(0.7 * july.mean(), rel=1e-9)  # summer: process heat only


def _years_case(tmp_path, mode: str, **time_over):
    """2025-2030 at constant prices, grid factor and demand; free PV and a battery built in 2025 only; a
    scope-2 target in 2028. Under `milestones` the detail years are 2025, 2028 and 2030."""
    tariff = _tariff("v" * 8 + "p" * 10 + "f" * 6, {"valley": 250, "peak": 1000, "flat": 600})
    hourly = {"tariff": tariff, "load": _csv(tmp_path, "load", [1.0] * 8 + [1.5] * 10 + [0.6] * 6),
              "pv": _csv(tmp_path, "pv", [0.0] * 7 + [1.0] * 10 + [0.0] * 7)}
    pv = {"id": "pv", "kind": "onsite_generation", "site": "s1", "capex_cny_per_kw": 3000, "yield_mwh_per_mw": 1200,
          "lifetime": 25, "max_size": 0.2, "latest_year": 2025}
    bat = _battery(capex_cny_per_kwh=200, max_size=0.3, lifetime=20, latest_year=2025)
    sc = scenario(horizon={"start": 2025, "end": 2030}, discount_rate=0.05,
                  prices={"electricity": 650, "export_electricity": 300},
                  time={"resolution": "representative_days", "days": 2, "hourly_years": mode,
                        "sites": {"s1": hourly}, **time_over},
                  targets=[{"id": "t", "year": 2028, "coverage": {"scope1": True, "scope2": "location"},
                            "reduction": 0.05}], measures=[pv, bat])
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    return b, solve(b, sc.solver)


@pytest.mark.usefixtures("testlib")
def test_milestone_years_give_the_every_year_optimum_when_nothing_changes_between_them(tmp_path):
    b_all, all_ = _years_case(tmp_path, "all")
    b_ms, ms = _years_case(tmp_path, "milestones")
    assert b_ms.inp.time.detail_years == [2025, 2028, 2030]
    assert ms.objective_mcny == pytest.approx(all_.objective_mcny, rel=1e-6)
    assert ms.n_variables < 0.6 * all_.n_variables and ms.n_constraints < 0.6 * all_.n_constraints
    for y in (2025, 2028, 2030):  # target and detail years: the emission of the same plan, exactly
        assert b_ms.value(b_ms.m.scope2_location["s1", y]) == pytest.approx(
            b_all.value(b_all.m.scope2_location["s1", y]), rel=1e-7)
    size = [b.value(b.measures[1].block.capacity[2025]) for b in (b_all, b_ms)]  # measures sorted: bat, pv
    assert size[1] == pytest.approx(size[0], rel=1e-6) and size[0] > 0


@pytest.mark.usefixtures("testlib")
def test_an_interpolated_year_is_the_blend_of_its_detail_years(tmp_path):
    b, _info = _years_case(tmp_path, "milestones", detail_years=[2026])
    t, m, v = b.inp.time, b.m, b.value
    assert t.detail_years == [2025, 2026, 2028, 2030] and t.blend(2027) == ((2026, 0.5), (2028, 0.5))
    assert t.blend(2029) == ((2028, 0.5), (2030, 0.5))
    assert sum(w for _s, w in t.members(2027)) == pytest.approx(1.0, rel=1e-12)
    for y, (a, c) in ((2027, (2026, 2028)), (2029, (2028, 2030))):  # grid factor and prices constant here
        assert v(m.scope2_location["s1", y]) == pytest.approx(
            0.5 * v(m.scope2_location["s1", a]) + 0.5 * v(m.scope2_location["s1", c]), rel=1e-9)
        assert v(m.cost["energy", y]) == pytest.approx(0.5 * v(m.cost["energy", a]) + 0.5 * v(m.cost["energy", c]),
                                                       rel=1e-9)
    assert not any(k.startswith("2027.") for k in t.slice_keys)


def test_detail_years_need_milestones_and_the_horizon():
    from planner.errors import InputError

    tariff = _tariff("f" * 24, {"flat": 500})
    for over, msg in (({"detail_years": [2025]}, "need `hourly_years: milestones`"),
                      ({"hourly_years": "milestones", "detail_years": [2040]}, "within the horizon")):
        with pytest.raises(InputError, match=msg) as exc:
            scenario(time={"resolution": "representative_days", "sites": {"s1": {"tariff": tariff}}, **over})
        assert "time.detail_years[0]" in str(exc.value)


@pytest.mark.usefixtures("testlib")
def test_a_demand_charge_makes_a_high_power_short_battery_optimal_when_power_is_its_own_decision(tmp_path):
    # flat 500 CNY/MWh (no arbitrage), 40 CNY/kW-month; load b for 23 h and 3b for 1 h (mean 26b/24 = LOAD_MW).
    # A lossless battery shaving the spike to the mean needs power D = 3b - LOAD_MW and energy D x 1 h. Shaving
    # is worth 40 x 12 x 1000 = 480,000 CNY per MW a year. At 200 CNY/kWh with a fixed 4-hour duration a MW of
    # shaving costs 800,000: no battery. With power at 100 CNY/kW and energy at 200 CNY/kWh it costs 300,000:
    # a 1-hour battery of D MW flattens the load.
    tariff = _tariff("f" * 24, {"flat": 500}, demand=40)
    load = [1.0] * 18 + [3.0] + [1.0] * 5
    b = LOAD_MW * 24 / 26
    spike, d = 3 * b, 3 * b - LOAD_MW
    bat = _battery(capex_cny_per_kwh=200, max_size=1.0, round_trip_efficiency=1.0, lifetime=1, fom_share=0,
                   duration_h=4)
    _b0, fixed = _solve(tmp_path, tariff, load, [bat])
    assert fixed.objective_mcny * MCNY_TO_CNY == pytest.approx(500 * 1000 + 480_000 * spike, rel=1e-9)
    bb, sep = _solve(tmp_path, tariff, load, [{**bat, "power_capex_cny_per_kw": 100}])
    assert sep.objective_mcny * MCNY_TO_CNY == pytest.approx(500 * 1000 + 480_000 * LOAD_MW + 300_000 * d, rel=1e-9)
    blk = bb.measures[0].block
    assert bb.value(blk.power[2025]) == pytest.approx(d, rel=1e-7)
    assert bb.value(blk.capacity[2025]) == pytest.approx(d, rel=1e-7)  # 1 hour of its power
    rows = bb.measures[0].roadmap_rows(bb.value)
    assert [r["unit"] for r in rows] == ["MWh", "MW"] and rows[1]["capex_cny"] == pytest.approx(100_000 * d, rel=1e-7)
