"""Each measure kind names its own sweepable coefficients (`MeasureModel.coefficient_fields`, `coefficients()`,
`config_change`): backend/resolve.py names no kind, and an in-place update gives the fresh build's optimum."""

from __future__ import annotations

import pytest
from helpers import scenario

from planner.backend import build_model, solve
from planner.backend.resolve import structural_change, update_in_place, write_coefficients
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years

pytestmark = pytest.mark.usefixtures("testlib")


def _inputs(sc):
    drv = bl.drivers(sc)
    return build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv)


def _hourly(tmp_path, power_capex: float | None):
    """The micro site on one flat-priced representative day with a 40 CNY/kW-month demand charge and a load spike
    a battery can shave (tests/test_hourly.py); power is the battery's own decision when power_capex is given."""
    load = tmp_path / "load.csv"
    load.write_text("\n".join(str(v) for v in ([1.0] * 18 + [3.0] + [1.0] * 5) * 365) + "\n", encoding="utf-8")
    tariff = {"source": "test", "hours": {"1-12": "f" * 24}, "prices_cny_per_mwh": {"flat": 500},
              "demand_charge_cny_per_kw_month": 40}
    bat = {"id": "bat", "kind": "storage", "site": "s1", "capex_cny_per_kwh": 200, "max_size": 1.0, "lifetime": 1,
           "round_trip_efficiency": 1.0, "cycles_per_year": 400, "power_capex_cny_per_kw": power_capex}
    return scenario(time={"resolution": "representative_days", "days": 1, "sites": {"s1": {
        "tariff": tariff, "load": str(load)}}}, measures=[bat])


def test_a_new_power_capex_updates_the_built_storage_in_place_and_gives_the_fresh_optimum(tmp_path):
    cheap, dear = _inputs(_hourly(tmp_path, 100)), _inputs(_hourly(tmp_path, 300))
    built = build_model(*cheap)
    assert structural_change(built, *dear) is None  # was "measures[bat].power_capex_cny_per_kw": a rebuild
    update_in_place(built, *dear)
    blk = built.measures[0].block
    assert [blk.power_unit_capex[t].value for t in blk.build_years] == [pytest.approx(0.3)]  # 300 CNY/kW, MCNY/MW
    opts = _hourly(tmp_path, 300).solver
    resolved, fresh = solve(built, opts), solve(build_model(*dear), opts)
    assert resolved.objective_mcny == pytest.approx(fresh.objective_mcny, rel=1e-9)
    assert fresh.objective_mcny != pytest.approx(solve(build_model(*cheap), opts).objective_mcny, rel=1e-6)
    # giving or removing the power capex adds or drops the power decision: a rebuild, named
    none = _inputs(_hourly(tmp_path, None))
    assert structural_change(built, *none) == "measures[bat].power_capex_cny_per_kw"


def test_contract_prices_and_premiums_are_coefficients_of_their_kinds():
    base = [{"id": "ppa", "kind": "green_ppa", "premium_cny_per_mwh": 20},
            {"id": "cred", "kind": "carbon_credits", "price_cny_per_t": 50, "max_tco2e": 10}]
    built = build_model(*_inputs(scenario(measures=base)))
    new = _inputs(scenario(measures=[{**base[0], "premium_cny_per_mwh": 35}, {**base[1], "price_cny_per_t": 80}]))
    assert structural_change(built, *new) is None  # a PPA premium rebuilt the model before
    update_in_place(built, *new)
    cred, ppa = built.measures
    assert cred.block.price[2025].value == pytest.approx(80 * 1e-3)  # CNY/t -> MCNY/kt
    assert ppa.block.price[2025].value == pytest.approx(35 * 1e-3)  # CNY/MWh -> MCNY/GWh
    capped = _inputs(scenario(measures=[base[0], {**base[1], "max_tco2e": 20}]))
    assert structural_change(built, *capped) == "measures[cred].max_tco2e"


def test_a_mutable_parameter_a_kind_does_not_list_is_an_error_not_a_stale_value(monkeypatch):
    built = build_model(*_inputs(scenario(measures=[{"id": "cred", "kind": "carbon_credits", "price_cny_per_t": 50}])))
    mm = built.measures[0]
    monkeypatch.setattr(type(mm), "coefficients", lambda self: {})
    with pytest.raises(NotImplementedError, match="blk.price is missing from its coefficients"):
        write_coefficients(mm)
