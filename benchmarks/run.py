"""Portfolio benchmark: for the demo and generated portfolios, time to the first feasible plan, final
status and gap, HiGHS wall and process CPU, each stage's wall, P1 = total / HiGHS wall, peak memory.

Each case runs in a fresh process, so that peak resident memory (ru_maxrss) belongs to that case alone.
The machine is shared and noisy: CPU seconds are printed beside wall seconds; `--repeat` runs each case
again and checks that the plan (NPV) is the same.
Usage: python benchmarks/run.py [--sites 10 50 100 200] [--gap 5e-3] [--time-limit 600] [--repeat 1]
       [--heuristic auto|sites|off] [--build auto|serial|parallel] [--threads N] [--scheduler ADDRESS]
       [--json FILE] [--profile-memory]
With --profile-memory the resident memory is sampled every 50 ms and its peak printed per stage (build,
hand-over, decomposition: estimate, pricing, site MIPs and repair, whole-model HiGHS, results): where the peak
occurs (rss_by_stage_mb).
Worker processes' CPU (the parallel build's chunks, docs/model.md §12) is printed apart (worker_cpu_s).
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


STAGES = [("planner.run", "build_for_solve", "build"), ("planner.backend.solve", "compile_model", "handover"),
          ("planner.backend.decompose", "sample_prices", "decompose_estimate"),
          ("planner.backend.decompose", "maximise", "decompose_pricing"),
          ("planner.backend.decompose", "_repair", "decompose_repair"),
          ("planner.backend.solve", "to_highs", "highs_whole_model"), ("planner.run", "extract", "results")]


def _profile_memory() -> dict[str, float]:
    """Peak resident MB per stage (STAGES, nested: the innermost counts; `other` between them), sampled by a
    thread every 50 ms; a stage's entry and exit are sampled too. Wraps the stage functions in place."""
    import importlib
    import threading

    peaks: dict[str, float] = {}
    stack = ["other"]

    def rss() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20

    def note() -> None:
        peaks[stack[-1]] = max(peaks.get(stack[-1], 0.0), rss())

    def sample() -> None:
        while True:
            note()
            time.sleep(0.05)

    def wrap(mod, fname: str, label: str) -> None:
        f = getattr(mod, fname, None)
        if f is None:  # renamed: that stage counts to the one around it
            return

        def timed(*a, **k):
            note()
            stack.append(label)
            try:
                return f(*a, **k)
            finally:
                note()
                stack.pop()

        setattr(mod, fname, timed)

    for mod, fname, label in STAGES:
        wrap(importlib.import_module(mod), fname, label)
    # the decomposition's site problems (pricing LPs and the MIP rounds) all go through Evaluator.solve
    wrap(importlib.import_module("planner.backend.lagrange").Evaluator, "solve", "decompose_site_problems")
    threading.Thread(target=sample, daemon=True).start()
    return peaks


def _case(name: str, n_sites: int, args: dict, q) -> None:
    peaks = _profile_memory() if args.get("profile_memory") else None
    from planner.api import plan
    from planner.schemas import load_scenario
    from planner.synthetic import portfolio

    w0, c0 = time.perf_counter(), time.process_time()
    sc = load_scenario(ROOT / "scenarios" / "demo.yaml") if n_sites == 0 else portfolio(n_sites)
    upd = {"heuristic": args["heuristic"], "build": args["build"]}
    if args["threads"]:
        upd["threads"] = args["threads"]
    if n_sites:
        upd.update(time_limit=args["time_limit"], mip_rel_gap=args["gap"])
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update=upd)})
    p = plan(sc, scheduler=args["scheduler"])
    s = p.summary
    total = time.perf_counter() - w0
    st = s["stage_seconds"]
    h = s["heuristic"]
    q.put(dict(case=name, sites=len(sc.sites), binaries=s["model"]["binaries"],
               rows=s["model"]["constraints"], cols=s["model"]["variables"], status=s["status"],
               gap=None if s["gap"] is None else float(f"{s['gap']:.2e}"),
               npv_mcny=round(s["objective_cny"] / 1e6, 3),
               first_plan_s=None if s["first_plan_seconds"] is None else round(s["first_plan_seconds"], 1),
               total_s=round(total, 1), cpu_s=round(time.process_time() - c0, 1),
               worker_cpu_s=round(sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f)
                                      for f in ("ru_utime", "ru_stime")), 1),
               highs_s=round(st["highs"], 1), preprocess_s=round(st["preprocess"], 2), build_s=round(st["build"], 2),
               handover_s=round(st["handover"], 2), heuristic_other_s=round(st["solve_other"], 2),
               results_s=round(st["results"], 2), p1=round(total / max(st["highs"], 1e-9), 2),
               lp_bound_mcny=h.get("lp_bound_mcny"), lagrangian_bound_mcny=h.get("lagrangian_bound_mcny"),
               heuristic_gap=h.get("gap"), heuristic_s=h.get("seconds"),
               heuristic_stages={k: v for k, v in h.items()
                                 if k.endswith(("seconds", "repair")) or k in ("rounds", "pricing_iterations")},
               peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               **({"rss_by_stage_mb": {k: round(v) for k, v in peaks.items()}} if peaks is not None else {})))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sites", type=int, nargs="*", default=[10, 50, 100, 200])
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--gap", type=float, default=5e-3)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--heuristic", default="auto", choices=["auto", "sites", "off"])
    ap.add_argument("--build", default="auto", choices=["auto", "serial", "parallel"])
    ap.add_argument("--threads", type=int, default=None, help="solver.threads (default: the scenario's)")
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--json", default=None, help="also write the rows to this file")
    ap.add_argument("--profile-memory", action="store_true", help="peak resident memory per stage")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    cases = ([] if args.no_demo else [("demo", 0)]) + [(f"portfolio_{n}", n) for n in args.sites]
    rows = []
    for name, n in cases:
        for rep in range(args.repeat):
            q = ctx.Queue()
            proc = ctx.Process(target=_case, args=(name, n, vars(args), q))
            proc.start()
            row = q.get()
            proc.join()
            row["repeat"] = rep
            rows.append(row)
            print(json.dumps(row), flush=True)
        same = {r["npv_mcny"] for r in rows if r["case"] == name}
        if len(same) > 1:
            print(f"WARNING: {name} gave different plans on repeat: {sorted(same)}", flush=True)
    cols = ["case", "binaries", "status", "gap", "first_plan_s", "total_s", "cpu_s", "worker_cpu_s", "highs_s",
            "preprocess_s",
            "build_s", "handover_s", "heuristic_other_s", "results_s", "p1", "peak_rss_mb"]
    print("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
