"""MIP starts and HiGHS options for sweep variants, measured in one run (docs/sweeps.md, "Solver settings").

A sweep worker on scenarios/sweeps/demo_lhs.yaml solves the base scenario and `--anchors` anchor variants,
then N variants (from `--first`) are updated in place and compiled into their HiGHS matrices; each is solved
with every setting in turn (settings alternate per variant, so machine noise spreads evenly). Starts: none;
the base scenario's plan (`base`); the previously solved variant's plan (`previous`, order-dependent, for
comparison); the best of the base and anchor plans completed by an LP (`chosen`, what sweeps do, with
RENS off, on the model rescaled by `solve.row_scale`); HiGHS options on top of `chosen`; `chosen+unscaled`:
the same without the rescaling (before the eighth sitting); `chosen+scale_K`: rescaled by 2**K instead.
Single thread and the sweep's gap (1e-3). Prints per setting: HiGHS CPU (sum, median, largest), B&B nodes,
the sum of the returned plans' objectives, the largest final gap and the CPU ratio to the first setting.

Usage: python benchmarks/sweep_starts.py [--variants 24] [--first 500] [--anchors 8]
       [--settings chosen,chosen+unscaled,chosen+scale_-4,chosen+primal,...]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHOSEN = "chosen"
UNSCALED = "unscaled"  # not a HiGHS option: the chosen start's model without solve.row_scale's rescaling
SCALE = "scale_log2"  # not a HiGHS option: the chosen start's model rescaled by 2**value (solve.scaled)
SETTINGS = {
    "none": ({}, None),
    "base": ({}, "base"),
    "previous": ({}, "previous"),
    "chosen": ({}, CHOSEN),
    "chosen+unscaled": ({UNSCALED: True}, CHOSEN),
    # HiGHS's own rescaling of the unscaled model (its dual bound comes back in the scaled units)
    "chosen+user_bound_scale_-6": ({UNSCALED: True, "user_bound_scale": -6}, CHOSEN),
    "chosen+rens": ({"mip_heuristic_run_rens": True}, CHOSEN),
    "chosen+restart_presolve": ({"restart_presolve_reduction_limit": -1}, CHOSEN),  # HiGHS's default
    "chosen+presolve_probing": ({"presolve_rule_off": 0}, CHOSEN),  # probing and enumeration on (default)
    "chosen+no_rins": ({"mip_heuristic_run_rins": False}, CHOSEN),
    "chosen+heuristic_effort_0": ({"mip_heuristic_effort": 0.0}, CHOSEN),
    "chosen+no_feasibility_jump": ({"mip_heuristic_run_feasibility_jump": False}, CHOSEN),
    "chosen+no_symmetry": ({"mip_detect_symmetry": False}, CHOSEN),
    "chosen+primal": ({"simplex_strategy": 4}, CHOSEN),
    "chosen+pool_500": ({"mip_pool_soft_limit": 500}, CHOSEN),
    "chosen+pool_200": ({"mip_pool_soft_limit": 200}, CHOSEN),
    "chosen+lp_age_5": ({"mip_lp_age_limit": 5}, CHOSEN),
    "chosen+pool_age_5": ({"mip_pool_age_limit": 5}, CHOSEN),
    "chosen+pscost_4": ({"mip_pscost_minreliable": 4}, CHOSEN),
    "chosen+no_restart": ({"mip_allow_restart": False}, CHOSEN),
    # reports a zero gap with plans above the true optimum (docs/sweeps.md): shown, never used
    "chosen+lifting_1": ({"mip_lifting_for_probing": 1}, CHOSEN),
}


def _variants(n: int, first: int, anchors: int):
    """(spec, base plan vector, [(matrix, chosen start vector)]) for variants first .. first + n - 1."""
    from planner.backend.matrix import best_start, compile_model
    from planner.backend.solve import highs_options
    from planner.schemas.sweep import load_sweep
    from planner.studies.sweep.design import make_design
    from planner.studies.sweep.engine import Worker

    spec = load_sweep(ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml")
    design = make_design(spec)
    w = Worker(spec)
    w.anchor_count = lambda _n: anchors  # type: ignore[method-assign]
    w.use_plans(w.start_plans(len(design)))
    out = []
    for i in range(first, first + n):
        sc, inp, rows, _ = w._prepare(i, design.values[i])
        w._load(inp, rows, w.start)
        mx = compile_model(w.resolver.built.m)
        vectors = w.resolver.start.vectors(mx.columns)
        chosen, _ = best_start(mx, vectors, highs_options(sc.solver))
        out.append((mx, vectors[0], chosen))
    return spec, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", type=int, default=24)
    ap.add_argument("--first", type=int, default=500, help="first variant of the 1,000-variant design")
    ap.add_argument("--anchors", type=int, default=8)
    ap.add_argument("--settings", default="none,base,chosen,chosen+rens,chosen+primal,chosen+pool_500")
    args = ap.parse_args()
    from planner.backend.matrix import set_start, to_highs
    from planner.backend.solve import CHOSEN_START_OPTIONS, chosen_start_model, highs_options, scaled

    names = args.settings.split(",")
    spec, variants = _variants(args.variants, args.first, args.anchors)
    opts = highs_options(spec.base.solver)
    runs: dict[str, list] = {k: [] for k in names}
    prev: dict[str, np.ndarray] = {}
    for mx, base_x, chosen in variants:
        for k in names:
            extra, start = SETTINGS[k] if k in SETTINGS else ({SCALE: int(k.split("_")[-1])}, CHOSEN)
            hmx, units, chosen_opts = mx, None, {}
            if start == CHOSEN:
                hmx, units, chosen_opts = chosen_start_model(mx, opts)
                if extra.get(UNSCALED):
                    hmx, units, chosen_opts = mx, None, CHOSEN_START_OPTIONS
                if SCALE in extra:
                    f = 2.0 ** extra[SCALE]
                    hmx, units = scaled(mx, f)
                    chosen_opts = {**CHOSEN_START_OPTIONS,
                                   "mip_feasibility_tolerance": opts["mip_feasibility_tolerance"] * f,
                                   "primal_feasibility_tolerance": opts["primal_feasibility_tolerance"] * f}
            h = to_highs(hmx, {**opts, **chosen_opts, **{o: v for o, v in extra.items() if o not in (UNSCALED, SCALE)}})
            x0 = {"base": base_x, CHOSEN: chosen, "previous": prev.get(k)}.get(start)
            if x0 is not None:
                set_start(h, x0 if units is None else x0 * units)
            c0, w0 = time.process_time(), time.perf_counter()
            h.run()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            info = h.getInfo()
            x = np.asarray(h.getSolution().col_value)
            prev[k] = x if units is None else x / units
            # the objective of the returned plan in the model's units (HiGHS's own is in its scaled units with
            # user_bound_scale); a reported gap of 0 where the start is not optimal: see docs/sweeps.md
            runs[k].append((cpu, wall, float(mx.c @ prev[k] + mx.offset), info.mip_node_count, info.mip_gap))
    ref = sum(r[0] for r in runs[names[0]])
    print(f"{len(variants)} variants of demo_lhs from {args.first}, {args.anchors} anchors, threads "
          f"{opts['threads']}, gap {opts['mip_rel_gap']:g}")
    print(f"{'setting':28s} {'cpu sum':>8s} {'median':>7s} {'max':>6s} {'wall sum':>9s} {'nodes':>6s} "
          f"{'sum of objectives':>18s} {'max gap':>8s} {'cpu ratio':>9s}")
    for k in names:
        r = runs[k]
        cpu = sum(x[0] for x in r)
        print(f"{k:28s} {cpu:8.2f} {statistics.median(x[0] for x in r):7.2f} {max(x[0] for x in r):6.2f} "
              f"{sum(x[1] for x in r):9.2f} {sum(x[3] for x in r):6d} {sum(x[2] for x in r):18.3f} "
              f"{max(x[4] for x in r):8.1e} {ref / cpu:8.2f}x")


if __name__ == "__main__":
    main()
