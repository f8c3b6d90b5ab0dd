"""Benchmarks: build time, solve time, model size and peak memory for the demo and generated portfolios.

Each case runs in a fresh process so that peak resident memory (ru_maxrss) belongs to that case alone.
Usage: python benchmarks/run.py [--sites 10 50] [--time-limit 120] [--gap 1e-3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _case(name: str, n_sites: int, time_limit: float, gap: float, q) -> None:
    from planner.api import plan
    from planner.schemas import load_scenario
    from planner.synthetic import portfolio

    t0 = time.perf_counter()
    sc = load_scenario(ROOT / "scenarios" / "demo.yaml") if n_sites == 0 else portfolio(n_sites)
    if n_sites:
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"time_limit": time_limit,
                                                                            "mip_rel_gap": gap})})
    p = plan(sc)
    s = p.summary
    q.put(dict(case=name, sites=len(sc.sites), measures=len(sc.measures), years=len(sc.years),
               status=s["status"], build_s=round(s["build_seconds"], 2), solve_s=round(s["solve_seconds"], 2),
               total_s=round(time.perf_counter() - t0, 2), variables=s["model"]["variables"],
               binaries=s["model"]["binaries"], constraints=s["model"]["constraints"],
               gap=None if s["gap"] is None else float(f"{s['gap']:.2e}"),
               npv_mcny=round(s["npv_cny"] / 1e6, 1),
               peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sites", type=int, nargs="*", default=[10, 50])
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--gap", type=float, default=1e-3)
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    cases = [("demo", 0)] + [(f"portfolio_{n}", n) for n in args.sites]
    rows = []
    for name, n in cases:
        q = ctx.Queue()
        proc = ctx.Process(target=_case, args=(name, n, args.time_limit, args.gap, q))
        proc.start()
        row = q.get()
        proc.join()
        rows.append(row)
        print(json.dumps(row), flush=True)
    cols = ["case", "sites", "measures", "years", "binaries", "variables", "constraints", "build_s", "solve_s",
            "status", "gap", "peak_rss_mb"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
