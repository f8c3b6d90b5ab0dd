"""Sweep report benchmark: the time to build the report (analyses, every chart as PNG + SVG, HTML, Excel)
from a synthetic store of N variants written row by row with the store module (no solving;
tests/sweep_store.py): 26 years x 4 scopes of trajectories and M measures per variant.
Usage: python benchmarks/sweep_report.py [--variants 1000] [--measures 24] [--lang en|zh|both]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sweep_store import synthetic_store  # noqa: E402

import planner  # noqa: E402
from planner.studies.sweep import analysis  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--variants", type=int, default=1000)
    ap.add_argument("--measures", type=int, default=24)
    ap.add_argument("--lang", choices=["en", "zh", "both"], default="en")
    a = ap.parse_args()
    langs = ("en", "zh") if a.lang == "both" else (a.lang,)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = synthetic_store(Path(tmp) / "store", a.variants, measures=a.measures, infeasible=(5, 50, 500))
        t1 = time.perf_counter()
        frames = analysis.frames(analysis.load(store))
        t2 = time.perf_counter()
        c0 = time.process_time()
        files = planner.sweep_report(store, Path(tmp) / "report", langs)
        t3 = time.perf_counter()
        print(f"store of {a.variants} variants x {a.measures} measures written in {t1 - t0:.1f} s")
        print(f"analysis frames ({len(frames)}): {t2 - t1:.1f} s")
        print(f"report ({', '.join(langs)}; {len(files)} files): {t3 - t2:.1f} s wall, "
              f"{time.process_time() - c0:.1f} s CPU")


if __name__ == "__main__":
    main()
