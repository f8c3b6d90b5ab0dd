"""Time to build the report: `planner report SCENARIO --lang both --format all` of two code trees, side by side.

Runs the command of the old tree and of the new tree alternately (old, new, then new, old, ...) N times each,
every run in a fresh process with the tree on PYTHONPATH and its own output folder, and prints the median wall
time and CPU time (the process and its workers: RUSAGE_CHILDREN) of each tree and their ratio. Then, per tree,
one run of the stages in one process (import, solve, stand-alone MACC, write_report: wall and CPU with the
workers), and the byte-identity of the two trees' outputs: the sha256 of every file under the output folders
(summary.json compared without its solve times, which differ from run to run by design).

Usage: python benchmarks/report.py --old /tmp/h9old [--new .] [--repeats 5] [--scenario scenarios/demo.yaml]
The old tree: `git archive f9fc13a | tar -x -C /tmp/h9old` or `git worktree add --detach /tmp/h9old main` (a
checkout of the code before the change). The stages run `write_report` in one process (its own pool, forked
after the solve); the timed runs are the CLI, which starts the pool before the solve.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
out, t, c = {}, time.perf_counter(), cpu()
def lap(name):
    global t, c
    out[name] = (time.perf_counter() - t, cpu() - c)
    t, c = time.perf_counter(), cpu()
from planner.api import plan
from planner.report import write_report
lap("import")
p = plan(sys.argv[1])
lap("solve")
p.with_standalone_macc()
lap("stand-alone MACC")
write_report(p, Path(tempfile.mkdtemp()), ("en", "zh"), ("html", "pptx"))
lap("write_report (charts, HTML, xlsx, pptx)")
print(json.dumps(out))
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_report(tree: Path, scenario: Path, out: Path) -> tuple[float, float]:
    """(wall s, CPU s) of one `planner report` of a tree, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "planner", "report", str(scenario), "--lang", "both", "--format", "all",
           "--out", str(out)]
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0, _children_cpu() - c0


def stages(tree: Path, scenario: Path) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    r = subprocess.run([sys.executable, "-c", STAGES, str(scenario)], cwd=tree, env=env, check=True,
                       capture_output=True, text=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder (summary.json without its run-dependent solve times)."""
    out = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = f.read_bytes()
        if f.name == "summary.json":
            s = json.loads(data)
            s = {k: v for k, v in s.items() if not k.endswith("_seconds")}
            data = json.dumps(s, sort_keys=True).encode()
        out[str(f.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="the code tree before the change")
    ap.add_argument("--new", type=Path, default=ROOT, help="the code tree after the change (default: this one)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "demo.yaml")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    a = ap.parse_args()
    trees = {"old": a.old.resolve(), "new": a.new.resolve()}
    scenario = a.scenario.resolve()
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {k: Path(tmp) / k for k in trees}
        for i in range(a.repeats):
            for k in (("old", "new") if i % 2 == 0 else ("new", "old")):
                wall, cpu = run_report(trees[k], scenario, outs[k])
                times[k].append((wall, cpu))
                print(f"run {i + 1} {k}: {wall:6.2f} s wall, {cpu:6.2f} s CPU", flush=True)
        d_old, d_new = digests(outs["old"]), digests(outs["new"])
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()}
    print(f"\n`planner report {scenario.name} --lang both --format all`, median of {a.repeats} "
          f"(os.cpu_count() = {os.cpu_count()}):")
    for k in trees:
        print(f"  {k}: {med[k][0]:6.2f} s wall, {med[k][1]:6.2f} s CPU   ({trees[k]})")
    print(f"  new / old: wall {med['new'][0] / med['old'][0]:.2f}, CPU {med['new'][1] / med['old'][1]:.2f}")
    same = d_old == d_new
    diff = sorted(f for f in set(d_old) | set(d_new) if d_old.get(f) != d_new.get(f))
    print(f"\nbyte identity, {len(d_new)} files: {'identical' if same else 'DIFFERENT: ' + ', '.join(diff)}")
    if not a.no_stages:
        for k in trees:
            print(f"\nstages, {k} (one run, wall / CPU incl. workers):")
            for name, (w, c) in stages(trees[k], scenario).items():
                print(f"  {name:42s} {w:6.2f} s  {c:6.2f} s")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
