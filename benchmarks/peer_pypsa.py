"""Peer check of the representative-day mode against PyPSA (optional dependency: `pip install pypsa`).

One site, one year (2025, discount rate 0, so the planner's NPV is one year's cost and a build's capex net
of salvage is capex / lifetime): grid import at Jiangsu-shaped time-of-use prices, PV and a 2-hour battery
sized by the optimiser, a CO2 cap on the grid's (location-based) emissions, N representative days. The
planner builds its representative days; PyPSA gets the same days, weights, load, PV availability and
prices, with annualised capital costs (unit capex x (1 / lifetime + fixed O&M share)) and per-day cyclic
storage (one StorageUnit per day, active on its day only, sizes tied together). Prints both objectives,
sizes and wall times; the objectives must agree to 0.01%.
Usage: python benchmarks/peer_pypsa.py [--days 8] [--cap 0.15]  (0.15: the cap binds, at about 219 CNY/t)

`--case reference` runs issue 28's hourly reference instead (tests/test_hourly_reference.py: four given days
with weights 91/92/91/91, an hourly grid emission factor, a binding 14 MW import limit, a binding absolute CO2
cap, PV and battery sized with no bound and no cycle limit) against the independent LP written with highspy in
that test, and prints both objectives and sizes; they must agree to 1e-4.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

RATE_TO_MW = 1000.0 / 8760.0
PV = dict(capex_cny_per_kw=3100.0, yield_mwh_per_mw=1100.0, lifetime=25, fom_share=0.015)
BAT = dict(capex_cny_per_kwh=550.0, lifetime=12, fom_share=0.01, round_trip_efficiency=0.88, duration_h=2.0)
TARIFF = {"source": "benchmark: Jiangsu periods and 1093 ratios (data/tariffs/jiangsu_industrial.yaml)",
          "hours": {"1-12": "v" * 8 + "ppp" + "f" * 6 + "ppppp" + "ff"},
          "prices_cny_per_mwh": {"peak": 1075.0, "flat": 650.0, "valley": 269.0}}


def scenario(days: int, cap_share: float):
    from planner.schemas.loader import validate

    raw = {
        "name": "peer_pypsa", "company": "Peer check", "base_year": 2024, "horizon": {"start": 2025, "end": 2025},
        "discount_rate": 0.0, "organisation": {"reporting_entity": "p", "entities": [{"id": "p"}]},
        "sites": [{"id": "s1", "entity": "p", "grid_region": "East", "energy": {"electricity": 120000.0}}],
        "grid": {"factors": {"East": 0.58}, "residual_factor": 0.58},
        "prices": {"electricity": {2024: 650.0}, "export_electricity": {2024: 0.0}},
        "time": {"resolution": "representative_days", "days": days, "sites": {"s1": {"tariff": TARIFF}}},
        "targets": [{"id": "cap", "year": 2025, "coverage": {"scope1": True, "scope2": "location"},
                     "reduction": 1 - cap_share}],
        "measures": [
            {"id": "pv", "kind": "onsite_generation", "site": "s1", "max_size": 200.0, **PV},
            {"id": "bat", "kind": "storage", "site": "s1", "max_size": 400.0, "cycles_per_year": 1000.0, **BAT}],
        "solver": {"mip_rel_gap": 0.0, "threads": 1, "time_limit": 600},
    }
    return validate(raw, "peer_pypsa")


def run_planner(sc):
    from planner.api import plan
    from planner.preprocess.inputs import build_inputs

    t = time.perf_counter()
    p = plan(sc)
    wall = time.perf_counter() - t
    sizes = {r.measure: r.size for r in p.roadmap.itertuples()}
    return p.summary["objective_cny"], sizes, wall, build_inputs(sc)


def run_pypsa(inp, cap_t: float, gl: float):
    import pandas as pd
    import pypsa

    t = time.perf_counter()
    hi, time_ix = inp.hourly, inp.time
    keys = time_ix.slice_keys
    n = pypsa.Network()
    n.set_snapshots(pd.Index(keys, name="snapshot"))
    days_of = {s.key: s.day for s in time_ix.slices}
    hours = 24 / hi.hours
    w = pd.Series({s.key: hi.day_weight[s.day] * hours for s in time_ix.slices})
    n.snapshot_weightings["objective"] = w
    n.snapshot_weightings["generators"] = w
    n.snapshot_weightings["stores"] = hours  # elapsed hours in the state-of-charge equation
    n.add("Carrier", "grid", co2_emissions=gl)
    n.add("Carrier", "solar")
    n.add("Bus", "site")
    load = pd.Series({k: inp.elec_load_gwh("s1", k) * RATE_TO_MW for k in keys})
    price = pd.Series({k: inp.elec_price("s1", k) * 1000.0 for k in keys})  # MCNY/GWh -> CNY/MWh
    pv_pu = pd.Series({k: PV["yield_mwh_per_mw"] / 8760.0 * inp.shape("pv", "s1", k) for k in keys})
    n.add("Load", "load", bus="site", p_set=load)
    n.add("Generator", "grid", bus="site", carrier="grid", p_nom=1e5, marginal_cost=price)
    n.add("Generator", "pv", bus="site", carrier="solar", p_nom_extendable=True, p_nom_max=200.0, p_max_pu=pv_pu,
          capital_cost=PV["capex_cny_per_kw"] * 1000 * (1 / PV["lifetime"] + PV["fom_share"]))
    eta = BAT["round_trip_efficiency"] ** 0.5
    per_mw = BAT["capex_cny_per_kwh"] * 1000 * BAT["duration_h"] * (1 / BAT["lifetime"] + BAT["fom_share"])
    for d in hi.days:
        on = pd.Series({k: 1.0 if days_of[k] == d else 0.0 for k in keys})
        n.add("StorageUnit", f"bat{d}", bus="site", p_nom_extendable=True, p_nom_max=400.0 / BAT["duration_h"],
              max_hours=BAT["duration_h"], efficiency_store=eta, efficiency_dispatch=eta,
              cyclic_state_of_charge=True, p_max_pu=on, p_min_pu=-on, capital_cost=per_mw if d == 0 else 0.0)
    n.add("GlobalConstraint", "co2", type="primary_energy", carrier_attribute="co2_emissions", sense="<=",
          constant=cap_t)

    def same_size(n, _snapshots):
        p_nom = n.model["StorageUnit-p_nom"]
        for d in hi.days[1:]:
            n.model.add_constraints(p_nom.loc[f"bat{d}"] == p_nom.loc["bat0"], name=f"same_size_{d}")

    n.optimize(solver_name="highs", extra_functionality=same_size, solver_options={"threads": 1, "output_flag": False})
    wall = time.perf_counter() - t
    sizes = {"pv": float(n.generators.p_nom_opt["pv"]),
             "bat": float(n.storage_units.p_nom_opt["bat0"]) * BAT["duration_h"]}
    co2_price = float(n.global_constraints.mu["co2"])  # CNY/t, 0 when the cap does not bind
    return float(n.objective + n.objective_constant), sizes, wall, co2_price


def run_reference() -> int:
    """Issue 28's reference: the planner against the independent highspy LP of tests/test_hourly_reference.py."""
    import importlib.util
    import tempfile
    from pathlib import Path

    from planner.api import plan

    path = Path(__file__).resolve().parents[1] / "tests" / "test_hourly_reference.py"
    spec = importlib.util.spec_from_file_location("hourly_reference", path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    with tempfile.TemporaryDirectory() as tmp:
        days = Path(tmp) / "days.csv"
        ref.write_days(days)
        t = time.perf_counter()
        p = plan(ref.reference_scenario(str(days)))
        wall_p = time.perf_counter() - t
    t = time.perf_counter()
    obj_l, pv_l, bat_l = ref.independent_lp()
    wall_l = time.perf_counter() - t
    obj_p = p.summary["objective_cny"]
    sizes = {r.measure: r.size for r in p.roadmap.itertuples()}
    diffs = [abs(obj_p - obj_l) / abs(obj_l), abs(sizes["pv"] - pv_l) / pv_l, abs(sizes["bat"] - bat_l) / bat_l]
    print(f"issue-28 reference: 4 given days x 24 h, import limit {ref.IMPORT_MW} MW, CO2 cap "
          f"{ref.totals()[3]:,.1f} t ({ref.CAP_SHARE:.0%} of BAU)")
    print(f"{'':10}{'objective CNY':>18}{'PV MW':>12}{'battery MWh':>13}{'wall s':>9}")
    print(f"{'planner':10}{obj_p:>18,.3f}{sizes['pv']:>12.6f}{sizes['bat']:>13.6f}{wall_p:>9.2f}")
    print(f"{'plain LP':10}{obj_l:>18,.3f}{pv_l:>12.6f}{bat_l:>13.6f}{wall_l:>9.2f}")
    print(f"relative differences: objective {diffs[0]:.1e}, PV {diffs[1]:.1e}, battery {diffs[2]:.1e}")
    return 0 if max(diffs) <= 1e-4 else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=8)
    ap.add_argument("--cap", type=float, default=0.15, help="CO2 cap as a share of BAU grid emissions")
    ap.add_argument("--case", choices=["peer", "reference"], default="peer",
                    help="peer: PyPSA on clustered days; reference: issue 28's hourly reference vs a plain LP")
    a = ap.parse_args(argv)
    if a.case == "reference":
        return run_reference()
    logging.getLogger("linopy").setLevel(logging.WARNING)
    logging.getLogger("pypsa").setLevel(logging.WARNING)
    sc = scenario(a.days, a.cap)
    obj_p, sizes_p, wall_p, inp = run_planner(sc)
    gl = 0.58
    cap_t = a.cap * 120000.0 * gl
    obj_y, sizes_y, wall_y, co2_price = run_pypsa(inp, cap_t, gl)
    diff = abs(obj_p - obj_y) / abs(obj_y)
    print(f"representative days: {len(inp.hourly.days)} x {inp.hourly.hours} h; CO2 cap {cap_t:,.0f} t "
          f"(PyPSA's shadow price {abs(co2_price):,.1f} CNY/t)")
    print(f"{'':10}{'objective CNY':>18}{'PV MW':>10}{'battery MWh':>13}{'wall s':>9}")
    print(f"{'planner':10}{obj_p:>18,.1f}{sizes_p.get('pv', 0):>10.3f}{sizes_p.get('bat', 0):>13.3f}{wall_p:>9.2f}")
    print(f"{'PyPSA':10}{obj_y:>18,.1f}{sizes_y['pv']:>10.3f}{sizes_y['bat']:>13.3f}{wall_y:>9.2f}")
    print(f"objective difference {diff:.2e} ({'within' if diff <= 1e-4 else 'OUTSIDE'} 0.01%)")
    return 0 if diff <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
