"""Random small instances: the MILP optimum equals the optimum found by exhaustive enumeration of every
build schedule, scored by an independent evaluator written from the problem statement (not the model)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import solve

from planner.errors import InfeasibleError

pytestmark = pytest.mark.usefixtures("testlib")
YEARS = [2025, 2026, 2027]
PE, PG, GL, EFG, ETA = 500.0, 200.0, 0.5, 0.2, 0.9  # test library: prices, grid factor, gas factor, efficiency


def schedules(life: int):
    """Every set of build years whose service windows do not overlap."""
    out = []
    for r in range(len(YEARS) + 1):
        for combo in itertools.combinations(YEARS, r):
            if all(b - a >= life for a, b in itertools.pairwise(combo)):
                out.append(combo)
    return out


def instance(seed: int):
    rng = np.random.default_rng(seed)
    E, G, P, S = rng.uniform(500, 2000), rng.uniform(0, 2000), rng.uniform(0, 500), rng.uniform(100, 1000)
    growth = {2024: 1.0, 2025: 1.0, 2026: float(rng.uniform(1.0, 1.15)), 2027: float(rng.uniform(1.0, 1.3))}
    r = float(rng.choice([0.0, 0.05, 0.1]))
    ms = {
        "e_el": dict(kind="efficiency", carriers=["electricity"], saving_share=float(rng.uniform(0.05, 0.3))),
        "e_gas": dict(kind="efficiency", carriers=["natural_gas"], saving_share=float(rng.uniform(0.05, 0.3))),
        "proc": dict(kind="process", cut_share=float(rng.uniform(0.1, 0.8)),
                     carrier_change={"electricity": float(rng.uniform(0, 0.1))}),
        "sup": dict(kind="supply_chain", category=1, cut_share=float(rng.uniform(0.1, 0.5)),
                    cost_cny_per_tco2e=float(rng.uniform(0, 100))),
    }
    for m in ms.values():
        m.update(capex_fixed_cny=float(rng.uniform(1e4, 3e5)), lifetime=int(rng.choice([1, 2, 3, 5])),
                 fom_share=float(rng.choice([0.0, 0.05])))
        if m["kind"] != "supply_chain":
            m["site"] = "s1"
    if rng.random() < 0.5:
        ms["e_el"]["exclusive_group"] = ms["proc"]["exclusive_group"] = "g"
    return dict(E=E, G=G, P=P, S=S, growth=growth, r=r, ms=ms, pathway=str(rng.choice(["milestone", "linear"])),
                frac=float(rng.uniform(0.2, 1.05)), s3frac=float(rng.uniform(0, 1.03)))


def evaluate(inst, plan: dict[str, tuple[int, ...]]):
    """(npv, [scope1+2 by year], [scope 3 by year]) of a build schedule, from first principles."""
    ms, g = inst["ms"], inst["growth"]
    if "exclusive_group" in ms["e_el"] and plan["e_el"] and plan["proc"]:
        return None
    end = YEARS[-1]

    def on(m, t):
        return any(b <= t <= b + ms[m]["lifetime"] - 1 for b in plan[m])

    npv, e12, e3 = 0.0, [], []
    for t in YEARS:
        a = {m: 1.0 if on(m, t) else 0.0 for m in ms}
        E, G, P, S = inst["E"] * g[t], inst["G"] * g[t], inst["P"] * g[t], inst["S"]
        extra = ms["proc"]["carrier_change"]["electricity"] * a["proc"]
        elec = E * (1 - ms["e_el"]["saving_share"] * a["e_el"] + extra)
        fuel = G * (1 - ms["e_gas"]["saving_share"] * a["e_gas"])
        s1 = fuel * EFG + P * (1 - ms["proc"]["cut_share"] * a["proc"])
        s3 = S * (1 - ms["sup"]["cut_share"] * a["sup"])
        cost = elec * PE + fuel * PG + ms["sup"]["cost_cny_per_tco2e"] * (S - s3)
        for m, spec in ms.items():
            cap, L = spec["capex_fixed_cny"], spec["lifetime"]
            for b in plan[m]:
                if b == t:
                    cost += cap
                if b <= t <= b + L - 1:
                    cost += spec["fom_share"] * cap
                if t == end and b + L - 1 > end:
                    cost -= cap * (b + L - 1 - end) / L
        npv += cost / (1 + inst["r"]) ** (t - 2024)
        e12.append(s1 + elec * GL)
        e3.append(s3)
    return npv, e12, e3


def targets(inst):
    everything = {m: (2027,) for m in inst["ms"]}  # every measure in service in the target year
    if "exclusive_group" in inst["ms"]["e_el"]:
        everything["e_el"] = ()
    best = evaluate(inst, everything)
    base12 = inst["P"] + inst["G"] * EFG + inst["E"] * GL
    red12 = inst["frac"] * max(0.0, 1 - best[1][-1] / base12)
    red3 = inst["s3frac"] * inst["ms"]["sup"]["cut_share"]
    return base12, red12, red3


def brute(inst):
    base12, red12, red3 = targets(inst)
    best = None
    for combo in itertools.product(*(schedules(inst["ms"][m]["lifetime"]) for m in inst["ms"])):
        plan = dict(zip(inst["ms"], combo, strict=True))
        res = evaluate(inst, plan)
        if res is None:
            continue
        npv, e12, e3 = res
        ok = True
        for i, t in enumerate(YEARS):
            f = (t - 2024) / 3 if inst["pathway"] == "linear" else (1.0 if t == 2027 else 0.0)
            if f and e12[i] > (1 - red12 * f) * base12 + 1e-6:
                ok = False
        ok = ok and e3[-1] <= (1 - red3) * inst["S"] + 1e-6
        if ok and (best is None or npv < best):
            best = npv
    return best


def milp(inst):
    _, red12, red3 = targets(inst)
    ms = [{"id": k, **v} for k, v in inst["ms"].items()]
    return solve(horizon={"start": 2025, "end": 2027}, discount_rate=inst["r"],
                 sites=[{"id": "s1", "energy": {"electricity": inst["E"], "natural_gas": inst["G"]},
                         "process_emissions": {"CO2": inst["P"]}, "growth": inst["growth"]}],
                 scope3={"categories": {1: {"tco2e": inst["S"]}}}, measures=ms,
                 targets=[{"id": "t12", "year": 2027, "coverage": {"scope1": True, "scope2": "location"},
                           "reduction": min(red12, 1.0), "pathway": inst["pathway"]},
                          {"id": "t3", "year": 2027, "coverage": {"scope1": False, "scope2": "none", "scope3": [1]},
                           "reduction": min(red3, 1.0)}])


@pytest.mark.parametrize("seed", range(16))
def test_milp_matches_enumeration(seed):
    inst = instance(seed)
    expected = brute(inst)
    if expected is None:
        with pytest.raises(InfeasibleError):
            milp(inst)
        return
    p = milp(inst)
    assert p.summary["status"] == "optimal"
    assert p.summary["objective_cny"] == pytest.approx(expected, rel=1e-7, abs=1e-3)
