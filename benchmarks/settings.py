"""HiGHS settings by evidence: the same matrix solved with HiGHS defaults and with each candidate option,
alternating in one run (the machine is shared: compare ratios of medians, CPU beside wall).

Usage: python benchmarks/settings.py [--cases demo 10] [--repeat 3]
Prints per case and setting: median wall and CPU seconds, objective, nodes, and the ratio to defaults.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = {
    "defaults": {},
    "no_root_reduced_cost": {"mip_heuristic_run_root_reduced_cost": False},  # the chosen setting
    "no_symmetry": {"mip_detect_symmetry": False},
    "heuristic_effort_0.2": {"mip_heuristic_effort": 0.2},
    "cut_pool_1000": {"mip_pool_soft_limit": 1000},
    "no_restart": {"mip_allow_restart": False},
    "default_tolerances": {"mip_feasibility_tolerance": 1e-6, "primal_feasibility_tolerance": 1e-7,
                           "dual_feasibility_tolerance": 1e-7},
}


def _matrix(case: str):
    from planner.backend.builder import build_model
    from planner.backend.matrix import compile_model
    from planner.preprocess import baseline as bl
    from planner.preprocess.inputs import build_inputs
    from planner.preprocess.targets import target_years
    from planner.schemas import load_scenario
    from planner.synthetic import portfolio

    sc = portfolio(int(case)) if case.isdigit() else load_scenario(ROOT / "scenarios" / f"{case}.yaml")
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    return sc, compile_model(b.m)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", nargs="*", default=["demo", "10"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from planner.backend.matrix import new_highs, pass_matrix
    from planner.backend.solve import TUNED_OPTIONS, highs_options

    for case in args.cases:
        sc, mx = _matrix(case)
        base = {k: v for k, v in highs_options(sc.solver.model_copy(update={"mip_rel_gap": 1e-3,
                                                                            "time_limit": 600})).items()
                if k not in TUNED_OPTIONS}
        runs: dict[str, list[tuple[float, float, float, int]]] = {k: [] for k in CANDIDATES}
        for _ in range(args.repeat):
            for name, extra in CANDIDATES.items():
                h = new_highs({**base, **extra})
                pass_matrix(h, mx.c, mx.A, mx.row_lower, mx.row_upper, mx.col_lower, mx.col_upper, mx.integer,
                            mx.offset)
                w, c = time.perf_counter(), time.process_time()
                h.run()
                info = h.getInfo()
                runs[name].append((time.perf_counter() - w, time.process_time() - c, info.objective_function_value,
                                   info.mip_node_count))
        ref = statistics.median(r[1] for r in runs["defaults"])
        print(f"\n{case}: {mx.A.shape[0]} rows, {mx.A.shape[1]} columns, {int(mx.integer.sum())} integers")
        print("| setting | wall s (median) | CPU s (median) | CPU ratio to defaults | objective MCNY | nodes |")
        print("|---|---|---|---|---|---|")
        for name, rs in runs.items():
            cpu = statistics.median(r[1] for r in rs)
            print(f"| {name} | {statistics.median(r[0] for r in rs):.1f} | {cpu:.1f} | {ref / cpu:.2f}x | "
                  f"{rs[0][2]:,.2f} | {rs[0][3]} |", flush=True)


if __name__ == "__main__":
    main()
