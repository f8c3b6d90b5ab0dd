"""Build-time benchmark: preprocess, model build (and, optionally, the hand-over to HiGHS) repeated, with
wall and CPU seconds, for the demo and generated portfolios.

The machine is shared and noisy: compare medians of repeats measured in one run, and CPU beside wall time.
Usage: python benchmarks/build.py [--sites 50] [--repeat 5] [--load]
  --load  also time the hand-over of the built model to HiGHS (a solve stopped at once).
Works on older checkouts too (module paths before the stage folders), to compare before/after:
  PYTHONPATH=<old checkout> python benchmarks/build.py
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _api():
    import planner

    if (Path(planner.__file__).parent / "backend").is_dir():  # stage folders
        from planner.backend import build_model, solve
        from planner.preprocess import baseline as bl
        from planner.preprocess.inputs import build_inputs
        from planner.preprocess.targets import target_years
        from planner.schemas import load_scenario
        from planner.schemas.library import load_library
    else:  # before the reshaping (issue 7)
        from planner.config import load_scenario
        from planner.inputs import build_inputs
        from planner.library import load_library
        from planner.model import build_model
        from planner.solve import solve
        from planner.targets import target_years

        from planner import baseline as bl
    from planner.synthetic import portfolio
    return bl, build_inputs, target_years, build_model, solve, load_scenario, load_library, portfolio


def run_once(sc, load: bool) -> tuple[float, ...]:
    """(preprocess CPU s, model build wall s, model build CPU s, load wall s, load CPU s)."""
    bl, build_inputs, target_years, build_model, solve, _ls, load_library, _p = _api()
    lib = load_library()
    c0 = time.process_time()
    drv = bl.drivers(sc, lib)
    bau = bl.bau_emissions(sc, drv, lib)
    inp = build_inputs(sc, lib, drv)
    rows = target_years(sc, bau, drv)
    pre = time.process_time() - c0
    w1, c1 = time.perf_counter(), time.process_time()
    b = build_model(inp, rows)
    wall, cpu = time.perf_counter() - w1, time.process_time() - c1
    lw = lc = float("nan")
    if load:
        opts = sc.solver.model_copy(update={"time_limit": 1e-3})
        w2, c2 = time.perf_counter(), time.process_time()
        solve(b, opts)
        lw, lc = time.perf_counter() - w2, time.process_time() - c2
    return pre, wall, cpu, lw, lc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, nargs="*", default=[50])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--load", action="store_true")
    args = ap.parse_args()
    *_, load_scenario, _lib, portfolio = _api()
    cases = [("demo", load_scenario(ROOT / "scenarios" / "demo.yaml"))]
    cases += [(f"portfolio_{n}", portfolio(n)) for n in args.sites]
    print("| case | preprocess CPU s | model build wall s | model build CPU s | HiGHS load wall s | load CPU s "
          "| repeats |")
    print("|---|---|---|---|---|---|---|")
    for name, sc in cases:
        run_once(sc, False)  # warm-up: imports, caches
        res = [run_once(sc, args.load) for _ in range(args.repeat)]
        med = [statistics.median(r[i] for r in res) for i in range(5)]
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in med) + f" | {args.repeat} |", flush=True)


if __name__ == "__main__":
    main()
