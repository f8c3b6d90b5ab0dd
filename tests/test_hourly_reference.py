"""The outside hourly reference of issue 28, expressed exactly (docs/model.md §15.4): one site, four given
representative days (weights 91/92/91/91), grid import at hourly prices under a binding connection limit, an
hourly grid emission factor, PV and a 2-hour battery sized freely (no size bound, no cycle limit) and a binding
absolute CO2 cap, against an independent LP written here with highspy. `benchmarks/peer_pypsa.py --case
reference` runs the same case against PyPSA when it is installed (else against this LP)."""

from __future__ import annotations

import math

import numpy as np
import pytest

WEIGHTS = (91.0, 92.0, 91.0, 91.0)  # winter, spring, summer, autumn: days of the year each stands for
PV = {"capex_cny_per_kw": 3100.0, "lifetime": 25, "fom_share": 0.015}
BAT = {"capex_cny_per_kwh": 550.0, "lifetime": 12, "fom_share": 0.01, "round_trip_efficiency": 0.88, "duration_h": 2.0}
IMPORT_MW = 14.0  # connection limit, below the summer peak of 19.2 MW
CAP_SHARE = 0.2  # CO2 cap: 20% of the BAU grid emissions (PV alone pays down to about 25%)


def reference_days() -> dict[str, np.ndarray]:
    """(4, 24) arrays: load MW, PV output per MW, grid factor tCO2/MWh, import price CNY/MWh."""
    h = np.arange(24)
    season = np.array([1.0, 0.9, 1.2, 0.95])[:, None]
    sun = np.array([0.3, 0.45, 0.5, 0.4])[:, None]
    load = 10 + 6 * ((h >= 8) & (h < 20)) * season + 2.0 * ((h >= 18) & (h < 22)) * (season > 1.1)
    pv = np.clip(np.sin(np.pi * (h - 6) / 12), 0, None) * ((h >= 6) & (h <= 18)) * sun
    factor = 0.6 - 0.3 * pv + 0.05 * ((h >= 18) & (h < 22))
    price = np.where(h < 8, 270.0, np.where(((h >= 8) & (h < 11)) | ((h >= 17) & (h < 22)), 1075.0, 650.0))
    return {"load": load, "pv": pv, "grid_factor": factor, "price": np.broadcast_to(price, (4, 24)).copy()}


def write_days(path) -> None:
    x = reference_days()
    rows = ["day,hour,weight,load,pv,grid_factor,price"]
    for d in range(4):
        rows += [",".join([str(d), str(h), str(WEIGHTS[d])] + [repr(float(x[k][d, h])) for k in
                                                                  ("load", "pv", "grid_factor", "price")])
                 for h in range(24)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def totals() -> tuple[float, float, float, float]:
    """(annual MWh, PV MWh per MW a year, load-weighted mean factor t/MWh, CO2 cap t)."""
    x, w = reference_days(), np.array(WEIGHTS)[:, None]
    mwh = float((w * x["load"]).sum())
    co2 = float((w * x["load"] * x["grid_factor"]).sum())
    return mwh, float((w * x["pv"]).sum()), co2 / mwh, CAP_SHARE * co2


def reference_scenario(days_path: str):
    """The reference as a planner scenario: the days as given, the factor's annual value its load-weighted mean
    (so the hourly factors are the file's), the PV yield the days' output per MW."""
    from planner.schemas.loader import validate

    mwh, yield_mwh, factor, cap = totals()
    raw = {
        "name": "reference28", "company": "Reference", "base_year": 2024, "horizon": {"start": 2025, "end": 2025},
        "discount_rate": 0.0, "organisation": {"reporting_entity": "p", "entities": [{"id": "p"}]},
        "sites": [{"id": "s1", "entity": "p", "grid_region": "East", "energy": {"electricity": mwh}}],
        "grid": {"factors": {"East": factor}, "residual_factor": factor},
        "prices": {"electricity": 650.0, "export_electricity": 0.0},
        "time": {"resolution": "representative_days", "days_file": days_path, "sites": {"s1": {
            "tariff": {"source": "reference: prices in the days file", "hours": {"1-12": "f" * 24},
                       "prices_cny_per_mwh": {"flat": 650.0}},
            "connection": {"import_mw": IMPORT_MW}}}},
        "targets": [{"id": "cap", "year": 2025, "coverage": {"scope1": True, "scope2": "location"},
                     "cap_tco2e": cap}],
        "measures": [{"id": "pv", "kind": "onsite_generation", "site": "s1", "yield_mwh_per_mw": yield_mwh, **PV},
                     {"id": "bat", "kind": "storage", "site": "s1", "cycles_per_year": None, **BAT}],
        "solver": {"mip_rel_gap": 0.0, "threads": 1, "time_limit": 120},
    }
    return validate(raw, "reference28")


def independent_lp() -> tuple[float, float, float]:
    """(objective CNY, PV MW, battery MWh) of the reference written directly as an LP in highspy: per day d and
    hour h grid g <= IMPORT_MW, PV used u <= a P, charge c and discharge q <= E / 2, state of charge s cyclic
    within the day (s_h = s_(h-1) + sqrt(eta) c - q / sqrt(eta)), s <= E, g + u + q - c = load; sum w f g <=
    cap; cost sum w price g + annualised capex (capex (1 / lifetime + fom share))."""
    import highspy

    x, w = reference_days(), WEIGHTS
    *_rest, cap = totals()
    eta = math.sqrt(BAT["round_trip_efficiency"])
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    n = 0

    def col(cost: float, lb: float = 0.0, ub: float = inf) -> int:
        nonlocal n
        h.addCol(cost, lb, ub, 0, np.array([], dtype=np.int32), np.array([]))
        n += 1
        return n - 1

    def row(lo: float, hi: float, terms: dict[int, float]) -> None:
        h.addRow(lo, hi, len(terms), np.array(list(terms), dtype=np.int32), np.array(list(terms.values())))

    P = col(PV["capex_cny_per_kw"] * 1000 * (1 / PV["lifetime"] + PV["fom_share"]))
    E = col(BAT["capex_cny_per_kwh"] * 1000 * (1 / BAT["lifetime"] + BAT["fom_share"]))
    g, co2 = {}, {}
    for d in range(4):
        s = [col(0.0) for _ in range(24)]
        for t in range(24):
            g[d, t] = col(w[d] * x["price"][d, t], 0.0, IMPORT_MW)
            u, c, q = col(0.0), col(0.0), col(0.0)
            row(x["load"][d, t], x["load"][d, t], {g[d, t]: 1.0, u: 1.0, q: 1.0, c: -1.0})
            row(-inf, 0.0, {u: 1.0, P: -x["pv"][d, t]})
            row(-inf, 0.0, {c: 1.0, E: -1 / BAT["duration_h"]})
            row(-inf, 0.0, {q: 1.0, E: -1 / BAT["duration_h"]})
            row(0.0, 0.0, {s[t]: 1.0, s[t - 1]: -1.0, c: -eta, q: 1 / eta})
            row(-inf, 0.0, {s[t]: 1.0, E: -1.0})
            co2[g[d, t]] = w[d] * x["grid_factor"][d, t]
    row(-inf, cap, co2)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    sol = h.getSolution().col_value
    return h.getInfo().objective_function_value, sol[P], sol[E]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from planner.api import plan

    path = tmp_path_factory.mktemp("ref") / "days.csv"
    write_days(path)
    p = plan(reference_scenario(str(path)))
    return p, independent_lp()


def test_the_reference_matches_an_independent_lp(reference):
    p, (obj, pv, bat) = reference
    assert p.summary["status"] == "optimal"
    assert p.summary["objective_cny"] == pytest.approx(obj, rel=1e-9)  # measured: 3e-16
    sizes = {r.measure: r.size for r in p.roadmap.itertuples()}
    assert sizes["pv"] == pytest.approx(pv, rel=1e-7) and sizes["bat"] == pytest.approx(bat, rel=1e-7)
    assert pv > 1 and bat > 1  # both built: the cap and the connection limit bind


def test_the_reference_binds_its_import_limit_and_cap_and_reports_the_given_days(reference):
    p, _lp = reference
    d = p.dispatch
    assert d.grid_import_mw.max() == pytest.approx(IMPORT_MW, rel=1e-6)  # the connection limit binds
    *_rest, cap = totals()
    e = p.emissions[(p.emissions.year == 2025) & (p.emissions.scope == "scope2_location")].plan_tco2e.sum()
    assert e == pytest.approx(cap, rel=1e-6)  # the absolute cap binds
    days = p.summary["representative_days"]
    assert days["given"] and days["day_weight_days"] == dict(enumerate(WEIGHTS))
    assert days["profiles"] == ["load:s1", "pv:s1", "grid_factor:s1"]
    assert 0 < p.carbon_free.cfe_share.iloc[0] < 1
