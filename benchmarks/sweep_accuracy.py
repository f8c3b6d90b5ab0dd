"""How far a sweep's NPVs are from the optimum: an LHS of scenarios/sweeps/demo_lhs.yaml run at given gaps
(with the sweep's MIP starts) and once as a reference (gap 1e-6, no start), on the same variants.

Prints per gap: elapsed wall, HiGHS seconds per variant, the largest proven gap, and the NPV difference to
the reference (largest and median, relative), and the share of variants whose adopted measures differ.
Usage: python benchmarks/sweep_accuracy.py [--variants 100] [--gaps 1e-3 2e-3] [--workers 2] [--anchors 8]
       [--keep DIR]  (keeps the stores in DIR and reuses its reference, which takes the longest)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "scenarios" / "sweeps" / "demo_lhs.yaml"


def _run(doc: dict, tmp: Path, name: str, workers: int):
    import planner
    from planner.studies.sweep import read_store

    f = tmp / f"{name}.yaml"
    f.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    t0 = time.perf_counter()
    r = planner.sweep(f, tmp / name, workers=workers, resume=(tmp / name).exists())
    elapsed = time.perf_counter() - t0
    t = read_store(r.store, ("metrics", "adoption"))
    m = t["metrics"].set_index("variant").sort_index()
    a = t["adoption"]
    adopted = a[a.adopted].groupby("variant").measure.apply(lambda s: tuple(sorted(set(s))))
    return elapsed, m, adopted


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", type=int, default=100)
    ap.add_argument("--gaps", type=float, nargs="*", default=[1e-3, 2e-3])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--anchors", type=int, default=None, help="override solver.anchors")
    ap.add_argument("--keep", type=Path, default=None, help="folder for the stores (the reference is reused)")
    args = ap.parse_args()
    doc = yaml.safe_load(SWEEP.read_text(encoding="utf-8"))
    doc.update(samples=args.variants, base=str(SWEEP.parent / doc["base"]))
    if args.anchors is not None:
        doc["solver"]["anchors"] = args.anchors
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        ref_doc = {**doc, "solver": {**doc["solver"], "mip_rel_gap": 1e-6, "warm_start": "none"}}
        ref_t, ref, ref_ad = _run(ref_doc, tmp, "reference", args.workers)
        print(f"{args.variants} variants, {args.workers} workers; reference (gap 1e-6, no start): {ref_t:.0f} s, "
              f"statuses {ref.status.value_counts().to_dict()}, largest proven gap {ref.gap.max():.1e} (a "
              f"reference stopped by the time limit is only that close to the optimum)", flush=True)
        print("| gap | elapsed s | HiGHS s per variant | largest proven gap | NPV vs reference: largest | median "
              "| adoption differs |")
        print("|---|---|---|---|---|---|---|")
        for g in args.gaps:
            name = f"gap{g:g}_anchors{doc['solver'].get('anchors', 'auto')}_{time.time_ns()}"
            t, m, ad = _run({**doc, "solver": {**doc["solver"], "mip_rel_gap": g}}, tmp, name, args.workers)
            rel = (m.objective_cny - ref.objective_cny) / ref.objective_cny.abs()
            differs = (ad.reindex(ref_ad.index) != ref_ad).mean()
            print(f"| {g:g} | {t:.0f} | {m.highs_seconds.mean():.2f} | {m.gap.max():.1e} | {rel.max():.2e} | "
                  f"{rel.median():.1e} | {differs:.0%} |", flush=True)


if __name__ == "__main__":
    main()
