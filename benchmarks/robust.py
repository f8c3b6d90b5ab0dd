"""Sizes and times of the robust studies on the demo (docs/robust.md): the stochastic roadmap over the bundled
trees, near-optimal alternatives, and the noise-free verdicts of a small sweep at two MIP gaps.

Usage: python benchmarks/robust.py [--tree scenarios/robust/demo_lhs8.yaml] [--decompose off on] [--alternatives 10]
       [--verdicts scenarios/sweeps/demo_tornado.yaml --gaps 1e-3 1e-4] [--skip tree|alternatives|verdicts ...]
Each part prints one line of figures; expect minutes per part on two cores. The tree runs once per
`--decompose` mode (whole MIP vs scenario decomposition, side by side); CPU is this process's (the
decomposition's subproblems run in its threads), wall beside it.
Tree only, both methods: python benchmarks/robust.py --skip alternatives verdicts [--time-limit 300]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.schemas import load_scenario
from planner.schemas.sweep import load_sweep
from planner.studies.robust import alternatives, robust, sweep_verdicts

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default=str(ROOT / "scenarios" / "demo.yaml"))
    ap.add_argument("--tree", default=str(ROOT / "scenarios" / "robust" / "demo_lhs8.yaml"))
    ap.add_argument("--alternatives", type=int, default=10)
    ap.add_argument("--slack", type=float, default=0.02)
    ap.add_argument("--verdicts", default=str(ROOT / "scenarios" / "sweeps" / "demo_tornado.yaml"))
    ap.add_argument("--gaps", type=float, nargs="+", default=[1e-3, 1e-4])
    ap.add_argument("--tolerance", type=float, default=1e-3)
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--decompose", nargs="+", default=["off", "on"], choices=["auto", "on", "off"])
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per tree solve (default: the scenario's)")
    a = ap.parse_args()
    sc = load_scenario(a.scenario)
    for mode in a.decompose if "tree" not in a.skip else []:
        cpu = time.process_time()
        r = robust(sc, a.tree, time_limit=a.time_limit, decompose=mode)
        cpu = time.process_time() - cpu
        s = r.summary
        d = s["tree_decomposition"] or {}
        print(f"tree {Path(a.tree).name} --decompose {mode} ({s['tree_method']}): objective {s['objective_cny']:,.0f}, "
              f"bound {s['tree_bound_cny']:,.0f}; decomposition {d.get('decomposition_seconds')} s, candidates "
              f"{d.get('candidates')}, wait-and-see bound {d.get('wait_and_see_bound_mcny')}, rounds "
              f"{ {k: v for k, v in d.items() if k.startswith('round')} }; CPU {cpu:.1f} s, wall "
              f"{s['wall_seconds']:.1f} s, tree HiGHS wall {s['tree_highs_seconds']:.1f} s")
        print(f"tree {Path(a.tree).name}: {s['branches']} branches, {s['tree_variables']} variables "
              f"({s['tree_binaries']} binaries), {s['tree_constraints']} rows, {s['shared_decisions']} shared "
              f"decisions; tree {s['tree_status']} gap {s['tree_gap']:.2g} in {s['tree_solve_seconds']:.1f} s, "
              f"all {s['wall_seconds']:.1f} s; EVPI {s['evpi_cny']:,.0f} {s['evpi_range_cny']}; "
              f"VSS {s['vss_cny']} {s['vss_range_cny']}; commit now {len(r.commit_now)} builds: "
              f"{', '.join(f'{x.measure} {x.year}' for x in r.commit_now.itertuples())}")
    if "alternatives" not in a.skip:
        t = time.perf_counter()
        r = alternatives(sc, slack=a.slack, count=a.alternatives)
        s = r.summary
        print(f"alternatives: {s['found']} found of {a.alternatives} within {a.slack:.1%} in "
              f"{s['alternatives_seconds']:.1f} s, measure map in {s['classify_seconds']:.1f} s "
              f"({time.perf_counter() - t:.1f} s); model {s['variables']} variables ({s['binaries']} binaries); "
              f"classes {s['classes']}")
    if "verdicts" not in a.skip:
        got = {}
        for gap in a.gaps:
            spec = load_sweep(a.verdicts)
            spec = type(spec)(spec.sweep, spec.file, spec.base.model_copy(update={"solver": spec.base.solver.model_copy(
                update={"mip_rel_gap": gap})}), spec.parameters, spec.locations, spec.digest)
            r = sweep_verdicts(spec, tolerance=max(a.tolerance, gap))
            got[gap] = r.verdicts.set_index("measure")
            print(f"verdicts at gap {gap:g}: {r.summary['variants']} variants, {r.summary['probes']} probes in "
                  f"{r.summary['seconds']:.1f} s; {r.verdicts.verdict.value_counts().to_dict()}; naive "
                  f"{r.verdicts.naive_verdict.value_counts().to_dict()}")
        first = got[a.gaps[0]]
        for gap in a.gaps[1:]:
            diff = (got[gap].verdict != first.verdict).sum()
            naive = (got[gap].naive_verdict != first.naive_verdict).sum()
            print(f"gap {gap:g} vs {a.gaps[0]:g}: {diff} verdicts differ (naive verdicts: {naive})")
        for gap, v in got.items():
            other = v[(v.verdict != "no_regret") | (v.naive_verdict != "no_regret")]
            print(f"gap {gap:g}:", "; ".join(f"{m} {r.verdict} (naive {r.naive_verdict})"
                                               for m, r in other.iterrows()))


if __name__ == "__main__":
    main()
