"""Before/after of the pre-solve stages alone: preprocess (`prepare`) and the Pyomo model build (`build_model`) of
generated portfolios with two checkouts, alternating, each in a fresh process; prints the median wall and CPU
seconds per checkout and the old/new ratios (issue 30). No solve, so it is quick enough for a loaded machine.

Usage: python benchmarks/build_versions.py --old /path/to/old/checkout [--new .] [--sites 100 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from versions import run_child  # benchmarks/versions.py: a fresh process per checkout

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, sys, time
from planner.backend.builder import build_model
from planner.preprocess.prepare import prepare
from planner.synthetic import portfolio
sc = portfolio(int(sys.argv[1]))
w, c = time.perf_counter(), time.process_time()
pre = prepare(sc)
pw, pc = time.perf_counter() - w, time.process_time() - c
w, c = time.perf_counter(), time.process_time()
build_model(pre.inputs, pre.targets)
print(json.dumps({"preprocess_wall": pw, "preprocess_cpu": pc, "build_wall": time.perf_counter() - w,
                  "build_cpu": time.process_time() - c}))
"""
KEYS = ("preprocess_wall", "preprocess_cpu", "build_wall", "build_cpu")


def _run(checkout: Path, n: int) -> dict:
    return run_child(checkout, CHILD, str(n))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old", required=True, type=Path)
    ap.add_argument("--new", default=ROOT, type=Path)
    ap.add_argument("--sites", type=int, nargs="*", default=[100, 300])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("| sites | stage | old wall s | new wall s | wall ratio | old CPU s | new CPU s | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sites:
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.repeat):
            runs["old"].append(_run(args.old, n))
            runs["new"].append(_run(args.new, n))
        med = {k: {key: statistics.median(r[key] for r in v) for key in KEYS} for k, v in runs.items()}
        for stage in ("preprocess", "build"):
            ow, nw = med["old"][f"{stage}_wall"], med["new"][f"{stage}_wall"]
            oc, nc = med["old"][f"{stage}_cpu"], med["new"][f"{stage}_cpu"]
            print(f"| {n} | {stage} | {ow:.2f} | {nw:.2f} | {ow / nw:.2f} | {oc:.2f} | {nc:.2f} | {oc / nc:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
