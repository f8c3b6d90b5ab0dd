"""Sweep benchmark: an LHS over the demo's six parameters of scenarios/sweeps/demo_lhs.yaml, run end to end
(`planner.sweep`: workers, in-place re-solves, store writes) on 1 and on 2 workers.

Prints per variant: wall and CPU seconds, HiGHS's own seconds, the hand-over to HiGHS, and the share of a
variant spent outside HiGHS (preprocess, in-place update, hand-over, reading results); per worker count:
throughput, elapsed time, the 2-worker speed-up, peak memory per worker, and the time the full design
(1,000 variants) would take at that throughput. `--variants N` samples an LHS of N variants instead.
The start-up (each worker solving the base scenario and the anchor variants once) is printed apart and
counted once in the extrapolation.
Usage: python benchmarks/sweep.py [--variants 100] [--gap 1e-3] [--workers 1 2] [--warm-start anchors|base|none]
       [--anchors 8]
"""

from __future__ import annotations

import argparse
import json
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
    ap.add_argument("--anchors", type=int, default=None, help="override solver.anchors (default min(8, N // 12))")
    args = ap.parse_args()
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
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "bench.yaml"
        f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        print(f"LHS over {len(doc['parameters'])} parameters of the demo, {args.variants} variants, "
              f"gap {doc['solver']['mip_rel_gap']}", flush=True)
        for w in args.workers:
            t0 = time.perf_counter()
            r = planner.sweep(f, Path(tmp) / f"w{w}", workers=w)
            elapsed = time.perf_counter() - t0  # includes starting the worker processes
            m = read_store(r.store, ("metrics",))["metrics"]
            startup = max(0.0, elapsed - m.wall_seconds.sum() / w)  # worker start, base and anchor solves
            rates[w] = len(m) / (elapsed - startup)
            print(json.dumps({
                "workers": w, "variants": len(m), "elapsed_s": round(elapsed, 1), "startup_s": round(startup, 1),
                "variants_per_s": round(rates[w], 3), "statuses": m.status.value_counts().to_dict(),
                "rebuilt": int(m.rebuilt.sum()),
                "per_variant_wall_s": round(m.wall_seconds.mean(), 3),
                "per_variant_cpu_s": round(m.cpu_seconds.mean(), 3),
                "per_variant_highs_s": round(m.highs_seconds.mean(), 3),
                "per_variant_handover_s": round((m.solve_seconds - m.highs_seconds).mean(), 3),
                "non_highs_share": round(1 - m.highs_seconds.sum() / m.wall_seconds.sum(), 3),
                "slowest_variant_s": round(m.wall_seconds.max(), 2),
                "peak_rss_mb_per_worker": m.groupby("worker").peak_rss_mb.max().round().astype(int).tolist(),
                f"extrapolated_{full}_variants_min": round((startup + full / rates[w]) / 60, 1)}), flush=True)
    if 1 in rates and 2 in rates:
        print(f"throughput with 2 workers: {rates[2] / rates[1]:.2f}x that of 1", flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
