"""Sweep benchmark: an LHS over the demo's six parameters of scenarios/sweeps/demo_lhs.yaml, run end to end
(`planner.sweep`: workers, in-place re-solves, store writes) on 1 and on 2 workers.

Prints per variant: wall and CPU seconds, HiGHS's own seconds, the hand-over to HiGHS, and the share of a
variant spent outside HiGHS (preprocess, in-place update, hand-over, reading results); per worker count:
throughput, elapsed time, the 2-worker speed-up, peak memory per worker, and the time the full design
(1,000 variants) would take at that throughput. `--variants N` samples an LHS of N variants instead.
The start-up (starting the workers, solving the base scenario and the anchor variants once) is printed
apart and counted once in the extrapolation. `writer_cpu_per_variant_s` is the CPU of the process that runs
the sweep and writes the store (with several workers it competes with them for the cores).
`cpu_s` is the CPU of this process and its worker processes together, beside `elapsed_s`.
`--repeat R` runs every worker count R times, alternating their order (1 2, 2 1, 1 2, ...) so that a drift
of the shared machine's speed does not favour one, and prints each repeat's speed-up and their median.
`--old CHECKOUT` compares two versions side by side in one run: each repeat runs the same sweep with the old
checkout and with this one (each in a fresh process, alternating which goes first) and prints, per worker
count, the median elapsed and CPU seconds of each and the old/new ratios.
Usage: python benchmarks/sweep.py [--variants 100] [--gap 1e-3] [--workers 1 2] [--warm-start anchors|base|none]
       [--anchors 8] [--repeat 1] [--old /path/to/old/checkout]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", type=int, default=100)
    ap.add_argument("--gap", type=float, default=None, help="override the sweep's mip_rel_gap")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--warm-start", choices=["anchors", "base", "none"], default=None,
                    help="override the sweep's solver.warm_start (MIP starts: anchors' and base plans, base only)")
    ap.add_argument("--anchors", type=int, default=None,
                    help="override solver.anchors (default: min(8, N // 12), then N // 25 up to 40)")
    ap.add_argument("--repeat", type=int, default=1, help="run each worker count this many times (alternating)")
    ap.add_argument("--old", type=Path, default=None, help="an old checkout to compare with, side by side")
    args = ap.parse_args()
    if args.old is not None:
        compare(args)
        return
    import planner
    from planner.studies.sweep import read_store

    doc = yaml.safe_load(SWEEP.read_text(encoding="utf-8"))
    full = doc["samples"]
    doc.update(samples=args.variants, base=str(SWEEP.parent / doc["base"]))
    if args.gap is not None:
        doc["solver"]["mip_rel_gap"] = args.gap
    if args.warm_start is not None:
        doc["solver"]["warm_start"] = args.warm_start
    if args.anchors is not None:
        doc["solver"]["anchors"] = args.anchors
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "bench.yaml"
        f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        print(f"LHS over {len(doc['parameters'])} parameters of the demo, {args.variants} variants, "
              f"gap {doc['solver']['mip_rel_gap']}", flush=True)
        for rep in range(args.repeat):
            rates = {}
            for w in (args.workers if rep % 2 == 0 else args.workers[::-1]):
                rates[w] = run(planner, read_store, f, Path(tmp) / f"r{rep}w{w}", w, full, rep)
            if 1 in rates and 2 in rates:
                ratios.append(rates[2] / rates[1])
                print(f"throughput with 2 workers: {ratios[-1]:.2f}x that of 1", flush=True)
    if len(ratios) > 1:
        print(f"speed-up over {len(ratios)} repeats: median {statistics.median(ratios):.2f}x "
              f"(each: {', '.join(f'{x:.2f}' for x in ratios)})", flush=True)
    sys.stdout.flush()


def compare(args) -> None:
    """Old checkout against this one, alternating, each sweep in a fresh process (PYTHONPATH = checkout)."""
    child = [sys.executable, __file__, "--variants", str(args.variants), "--workers", *map(str, args.workers)]
    for flag, value in (("--gap", args.gap), ("--warm-start", args.warm_start), ("--anchors", args.anchors)):
        if value is not None:
            child += [flag, str(value)]
    runs: dict[tuple[str, int], list[dict]] = {}
    trees = [("old", args.old.resolve()), ("new", ROOT)]
    for rep in range(args.repeat):
        for label, tree in (trees if rep % 2 == 0 else trees[::-1]):
            out = subprocess.run(child, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                                 check=True).stdout
            for line in out.splitlines():
                if line.startswith("{"):
                    r = json.loads(line)
                    runs.setdefault((label, r["workers"]), []).append(r)
                    print(json.dumps({"tree": label, **r}), flush=True)
    for w in args.workers:
        old, new = runs[("old", w)], runs[("new", w)]
        med = {k: {f: statistics.median(r[f] for r in rs) for f in ("elapsed_s", "cpu_s")} for k, rs in
               (("old", old), ("new", new))}
        print(f"{w} worker(s), {args.variants} variants, median of {len(new)}: old {med['old']['elapsed_s']:.1f} s "
              f"elapsed / {med['old']['cpu_s']:.1f} s CPU, new {med['new']['elapsed_s']:.1f} s / "
              f"{med['new']['cpu_s']:.1f} s; old/new {med['old']['elapsed_s'] / med['new']['elapsed_s']:.2f}x "
              f"elapsed, {med['old']['cpu_s'] / med['new']['cpu_s']:.2f}x CPU", flush=True)


def run(planner, read_store, f: Path, out: Path, w: int, full: int, rep: int) -> float:
    """One sweep on w workers: print its figures, return its throughput (variants per second)."""
    c0 = resource.getrusage(resource.RUSAGE_SELF)
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = planner.sweep(f, out, workers=w)
    elapsed = time.perf_counter() - t0  # includes starting the worker processes
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    k1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes (joined when the sweep ends)
    cpu = sum(b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime for a, b in ((c0, c1), (k0, k1)))
    m = read_store(r.store, ("metrics",))["metrics"]
    startup = max(0.0, elapsed - m.wall_seconds.sum() / w)  # worker start, base and anchor solves
    rate = len(m) / (elapsed - startup)
    # one worker runs in this process (its start-up solves too), so only several workers isolate the writer
    writer = (c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime) / len(m) if w > 1 else None
    print(json.dumps({
        "repeat": rep, "workers": w, "variants": len(m), "elapsed_s": round(elapsed, 1), "cpu_s": round(cpu, 1),
        "startup_s": round(startup, 1), "variants_per_s": round(rate, 3), "statuses": m.status.value_counts().to_dict(),
        "rebuilt": int(m.rebuilt.sum()),
        "per_variant_wall_s": round(m.wall_seconds.mean(), 3),
        "per_variant_cpu_s": round(m.cpu_seconds.mean(), 3),
        "per_variant_highs_s": round(m.highs_seconds.mean(), 3),
        "per_variant_handover_s": round((m.solve_seconds - m.highs_seconds).mean(), 3),
        "non_highs_share": round(1 - m.highs_seconds.sum() / m.wall_seconds.sum(), 3),
        "writer_cpu_per_variant_s": None if writer is None else round(writer, 4),
        "slowest_variant_s": round(m.wall_seconds.max(), 2),
        "peak_rss_mb_per_worker": m.groupby("worker").peak_rss_mb.max().round().astype(int).tolist(),
        f"extrapolated_{full}_variants_min": round((startup + full / rate) / 60, 1)}), flush=True)
    return rate


if __name__ == "__main__":
    main()
