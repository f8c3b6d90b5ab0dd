"""Before/after of the pre-solve stages alone: preprocess (`prepare`), the Pyomo model build (`build_model`), the
hand-over (`matrix.compile_model`, the whole model as a matrix) and a sweep variant's patch (`MatrixPatcher.matrix`
after every mutable parameter moved by 1%, the mean of three variants) of generated portfolios (or `demo`, the
bundled demo scenario) with two checkouts, alternating, each in a fresh process; prints the median wall and CPU
seconds per checkout and the old/new ratios (issue 30). No solve, so it is quick enough for a loaded machine.

Usage: python benchmarks/build_versions.py --old /path/to/old/checkout [--new .] [--sites demo 100 300] [--repeat 3]
       [--stages preprocess build handover patch]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from versions import run_child  # benchmarks/versions.py: a fresh process per checkout

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, sys, time
import pyomo.environ as pyo
from planner.backend.builder import build_model
from planner.backend.matrix import compile_model, release_freed_memory
from planner.backend.patch import MatrixPatcher
from planner.preprocess.prepare import prepare
from planner.schemas import load_scenario
from planner.synthetic import portfolio
case, stages = sys.argv[1], sys.argv[3].split(",")
sc = load_scenario(sys.argv[2] + "/scenarios/demo.yaml") if case == "demo" else portfolio(int(case))
out = {}
w, c = time.perf_counter(), time.process_time()
pre = prepare(sc)
out.update(preprocess_wall=time.perf_counter() - w, preprocess_cpu=time.process_time() - c)
w, c = time.perf_counter(), time.process_time()
built = build_model(pre.inputs, pre.targets)
out.update(build_wall=time.perf_counter() - w, build_cpu=time.process_time() - c)
if "handover" not in stages and "patch" not in stages:
    print(json.dumps(out))
    sys.exit()
w, c = time.perf_counter(), time.process_time()
compile_model(built.m)
out.update(handover_wall=time.perf_counter() - w, handover_cpu=time.process_time() - c)
release_freed_memory()
if "patch" not in stages:
    print(json.dumps(out))
    sys.exit()
patcher = MatrixPatcher(built.m)
params = [p for p in built.m.component_data_objects(pyo.Param)
          if p.parent_component().mutable and isinstance(p.value, float) and p.value]
pw = pc = 0.0
for _ in range(3):
    patcher.watch()
    for p in params:
        p.set_value(p.value * 1.01)
    w, c = time.perf_counter(), time.process_time()
    patcher.matrix()
    pw, pc = pw + time.perf_counter() - w, pc + time.process_time() - c
assert patcher.full_compiles == 1
out.update(patch_wall=pw / 3, patch_cpu=pc / 3)
print(json.dumps(out))
"""
STAGES = ("preprocess", "build", "handover", "patch")


def _run(checkout: Path, case: str, stages: list[str]) -> dict:
    return run_child(checkout, CHILD, case, str(ROOT), ",".join(stages))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--old", required=True, type=Path)
    ap.add_argument("--new", default=ROOT, type=Path)
    ap.add_argument("--sites", nargs="*", default=["100", "300"], help="site counts, or demo")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--stages", nargs="*", default=list(STAGES), choices=STAGES,
                    help="stages to print (preprocess and build always run; the patch compiles the model twice)")
    args = ap.parse_args()
    keys = tuple(f"{s}_{k}" for s in args.stages for k in ("wall", "cpu"))
    print("| sites | stage | old wall s | new wall s | wall ratio | old CPU s | new CPU s | CPU ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sites:
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.repeat):
            runs["old"].append(_run(args.old, n, args.stages))
            runs["new"].append(_run(args.new, n, args.stages))
        med = {k: {key: statistics.median(r[key] for r in v) for key in keys} for k, v in runs.items()}
        for stage in args.stages:
            ow, nw = med["old"][f"{stage}_wall"], med["new"][f"{stage}_wall"]
            oc, nc = med["old"][f"{stage}_cpu"], med["new"][f"{stage}_cpu"]
            print(f"| {n} | {stage} | {ow:.2f} | {nw:.2f} | {ow / nw:.2f} | {oc:.2f} | {nc:.2f} | {oc / nc:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
