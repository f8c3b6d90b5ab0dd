"""Where the LP gap of a scenario comes from (docs/model.md §12, Tightening): solves the LP relaxation, the
MIP, and one partial relaxation per group of binaries (a measure's block, or a core variable such as
`ever`) with only that group integer; prints how much of the LP-to-MIP gap each group closes on its own.

Usage: python benchmarks/lp_gap.py [scenarios/demo.yaml]
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from planner import run as R
    from planner.backend.matrix import compile_model, to_highs
    from planner.schemas import load_scenario

    path = sys.argv[1] if len(sys.argv) > 1 else ROOT / "scenarios" / "demo.yaml"
    sc = load_scenario(path)
    lib = R.load_library()
    drv = R.bl.drivers(sc, lib)
    built = R.build_model(R.build_inputs(sc, lib, drv), R.target_years(sc, R.bl.bau_emissions(sc, drv, lib), drv))
    mx = compile_model(built.m)
    n = len(mx.c)
    groups: dict[str, list[int]] = collections.defaultdict(list)
    for j in np.flatnonzero(mx.integer):
        groups[mx.columns[j].name.split(".")[0].split("[")[0]].append(j)

    def solve(cols) -> tuple[float, float, int]:
        h = to_highs(mx, {"mip_rel_gap": 1e-6, "threads": 1, "random_seed": 0})
        integer = np.zeros(n, dtype=np.uint8)
        integer[list(cols)] = 1
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integer)
        c = time.process_time()
        h.run()
        info = h.getInfo()
        return info.objective_function_value + mx.offset, time.process_time() - c, info.simplex_iteration_count

    lp, lp_s, lp_it = solve([])
    mip, mip_s, _ = solve(np.flatnonzero(mx.integer))
    gap = mip - lp
    print(f"{path}: LP {lp:,.3f}  MIP {mip:,.3f} MCNY  gap {gap / abs(mip):.3%}  (LP {lp_s:.2f} s CPU, {lp_it} "
          f"simplex iterations; MIP {mip_s:.2f} s)")
    print("| binaries made integer | count | closes MCNY | share of the gap |\n|---|---|---|---|")
    for name, cols in sorted(groups.items(), key=lambda kv: kv[0]):
        v, _, _ = solve(cols)
        print(f"| {name} | {len(cols)} | {v - lp:.3f} | {(v - lp) / gap:.1%} |")


if __name__ == "__main__":
    main()
