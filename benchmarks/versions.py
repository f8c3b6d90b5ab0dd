"""Before/after: plan the demo and generated portfolios with two checkouts of the planner, alternating in
one run, each plan in a fresh process; prints median wall and CPU seconds per checkout and their ratio.

Usage: python benchmarks/versions.py --old /path/to/old/checkout [--new .] [--cases demo 10] [--repeat 3]
       [--gap 5e-3] [--time-limit 600]   (solver settings of the generated portfolios; default: theirs)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from planner.api import plan
from planner.schemas import load_scenario
from planner.synthetic import portfolio
case = sys.argv[1]
sc = portfolio(int(case)) if case.isdigit() else load_scenario(sys.argv[2] + "/scenarios/" + case + ".yaml")
upd = json.loads(sys.argv[3])
if case.isdigit() and upd:
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update=upd)})
w, c = time.perf_counter(), time.process_time()
p = plan(sc)
ru = resource.getrusage(resource.RUSAGE_SELF)
npv = p.summary.get("objective_cny", p.summary.get("npv_cny"))  # npv_cny before result format 3
print(json.dumps({"wall": time.perf_counter() - w, "cpu": time.process_time() - c, "npv": npv,
                  "status": p.summary["status"], "gap": p.summary.get("gap"), "rss_mb": ru.ru_maxrss / 1024}))
"""


def run_child(checkout: Path, code: str, *argv: str) -> dict:
    """Run `code` in a fresh Python process importing the planner from `checkout`; the JSON of its last line."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, cwd=checkout)
    if out.returncode:
        sys.exit(f"{checkout} failed on {' '.join(argv)}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run(checkout: Path, case: str, solver: dict) -> dict:
    return run_child(checkout, CHILD, case, str(ROOT), json.dumps(solver))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old", required=True, type=Path)
    ap.add_argument("--new", default=ROOT, type=Path)
    ap.add_argument("--cases", nargs="*", default=["demo", "10"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap", type=float, default=None, help="mip_rel_gap of the generated portfolios")
    ap.add_argument("--time-limit", type=float, default=None, help="time limit of the generated portfolios")
    args = ap.parse_args()
    solver = {k: v for k, v in (("mip_rel_gap", args.gap), ("time_limit", args.time_limit)) if v is not None}
    print("| case | old wall s | new wall s | wall ratio | old CPU s | new CPU s | CPU ratio | old NPV | new NPV "
          "| old status, gap, peak MB | new status, gap, peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case in args.cases:
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.repeat):
            for which in ("old", "new"):
                runs[which].append(_run(getattr(args, which).resolve(), case, solver))
        med = {k: {m: statistics.median(r[m] for r in v) for m in ("wall", "cpu")} for k, v in runs.items()}
        print(f"| {case} | {med['old']['wall']:.1f} | {med['new']['wall']:.1f} | "
              f"{med['old']['wall'] / med['new']['wall']:.2f}x | {med['old']['cpu']:.1f} | {med['new']['cpu']:.1f} | "
              f"{med['old']['cpu'] / med['new']['cpu']:.2f}x | {runs['old'][0]['npv'] / 1e6:,.3f} M | "
              f"{runs['new'][0]['npv'] / 1e6:,.3f} M | {_tail(runs['old'])} | {_tail(runs['new'])} |", flush=True)


def _tail(runs: list[dict]) -> str:
    """Status, gap and peak memory of the last run."""
    r = runs[-1]
    gap = "-" if r.get("gap") is None else f"{r['gap']:.1e}"
    return f"{r['status']}, {gap}, {r['rss_mb']:.0f}"


if __name__ == "__main__":
    main()
