"""MIP starts and HiGHS options for sweep variants, measured in one run (docs/sweeps.md, "Solver settings").

Builds N variants of scenarios/sweeps/demo_lhs.yaml (and the base scenario), compiles each into its HiGHS
matrix, then solves every variant with each setting in turn (settings alternate per variant, so machine
noise spreads evenly): no start; the base scenario's plan as start (what sweeps do); the previously solved
variant's plan as start (order-dependent, shown for comparison); and HiGHS options on top of the base start.
Single thread and the sweep's gap (1e-3). Prints per setting: HiGHS CPU and wall (sum, median), B&B nodes,
the sum of objectives and the largest final gap, and the CPU ratio to "no start".

Usage: python benchmarks/sweep_starts.py [--variants 24] [--settings none,base,previous]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "none": ({}, None),
    "base": ({}, "base"),
    "previous": ({}, "previous"),
    "base+no_symmetry": ({"mip_detect_symmetry": False}, "base"),
    "base+heuristic_effort_0": ({"mip_heuristic_effort": 0.0}, "base"),
    "base+lp_age_5": ({"mip_lp_age_limit": 5}, "base"),
    "base+no_rins_rens": ({"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}, "base"),
    "base+no_feasibility_jump": ({"mip_heuristic_run_feasibility_jump": False}, "base"),
    "base+no_restart": ({"mip_allow_restart": False}, "base"),
    "base+pool_1000": ({"mip_pool_soft_limit": 1000}, "base"),
    "base+no_node_cuts": ({"mip_allow_cut_separation_at_nodes": False}, "base"),
}


def _matrices(n: int):
    from planner import run as R
    from planner.backend.matrix import compile_model
    from planner.schemas.sweep import load_sweep
    from planner.studies.sweep.design import make_design
    from planner.studies.sweep.engine import variant_scenario

    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml")
    design = make_design(spec)
    lib = R.load_library()
    rows = [np.full(len(spec.parameters), np.nan)] + [design.values[i] for i in range(n)]  # base first
    out = []
    for i, values in enumerate(rows):
        sc = variant_scenario(spec, values, max(i - 1, 0))
        drv = R.bl.drivers(sc, lib)
        bau = R.bl.bau_emissions(sc, drv, lib)
        built = R.build_model(R.build_inputs(sc, lib, drv), R.target_years(sc, bau, drv))
        out.append(compile_model(built.m))
    return spec, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", type=int, default=24)
    ap.add_argument("--settings", default=",".join(SETTINGS))
    args = ap.parse_args()
    from planner.backend.matrix import set_start, to_highs
    from planner.backend.solve import highs_options

    names = args.settings.split(",")
    spec, mxs = _matrices(args.variants)
    opts = highs_options(spec.base.solver)
    base_h = to_highs(mxs[0], opts)
    base_h.run()
    base_x = np.asarray(base_h.getSolution().col_value)
    runs: dict[str, list] = {k: [] for k in names}
    prev: dict[str, np.ndarray] = {}
    for mx in mxs[1:]:
        for k in names:
            extra, start = SETTINGS[k]
            h = to_highs(mx, {**opts, **extra})
            x0 = base_x if start == "base" else prev.get(k) if start == "previous" else None
            if x0 is not None:
                set_start(h, x0)
            c0, w0 = time.process_time(), time.perf_counter()
            h.run()
            info = h.getInfo()
            runs[k].append((time.process_time() - c0, time.perf_counter() - w0, info.objective_function_value,
                            info.mip_node_count, info.mip_gap))
            prev[k] = np.asarray(h.getSolution().col_value)
    ref = sum(r[0] for r in runs[names[0]])
    print(f"{len(mxs) - 1} variants of demo_lhs, threads {opts['threads']}, gap {opts['mip_rel_gap']:g}")
    print(f"{'setting':26s} {'cpu sum':>8s} {'median':>7s} {'wall sum':>9s} {'nodes':>6s} {'sum of objectives':>18s}"
          f" {'max gap':>8s} {'cpu ratio':>9s}")
    for k in names:
        r = runs[k]
        cpu = sum(x[0] for x in r)
        print(f"{k:26s} {cpu:8.2f} {statistics.median(x[0] for x in r):7.2f} {sum(x[1] for x in r):9.2f} "
              f"{sum(x[3] for x in r):6d} {sum(x[2] for x in r):18.3f} {max(x[4] for x in r):8.1e} "
              f"{ref / cpu:8.2f}x")


if __name__ == "__main__":
    main()
