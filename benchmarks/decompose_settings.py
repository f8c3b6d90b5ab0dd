"""The decomposition alone on compiled portfolios, under settings of its modules (docs/model.md §12, "Gap budget
and order"): builds and compiles each generated portfolio once, then runs `decompose` on its matrix once per
setting, alternating, and prints CPU and wall seconds, rounds, failed repairs, refined sites, the plan's cost and
its proven gap. A setting is a list of `module.NAME=python-expression` patches of `decompose` (D), `lagrange` (L)
or `subsolve` (S); `base` is the code as it stands.

Usage: python benchmarks/decompose_settings.py [--cases 20:6 100:0] [--gap 5e-3] [--threads 2]
       [--setting base] [--setting "D.SUB_GAP_SHARE=1 D.SUB_GAP_MAX=5e-3"]
       [--repeat 1]
(a case is sites:seed of planner.synthetic.portfolio; the 9 portfolios of the note: 20:6 25:7 30:0 40:4 50:8
60:3 100:0 100:1 100:2)
"""

from __future__ import annotations

import argparse
import json
import time


def compiled(n: int, seed: int):
    """The compiled matrix of an n-site portfolio with its column groups, names and owners."""
    from planner.backend.builder import build_model
    from planner.backend.decompose import column_groups, column_owner
    from planner.backend.matrix import compile_model
    from planner.preprocess import baseline as bl
    from planner.preprocess.inputs import build_inputs
    from planner.preprocess.targets import target_years
    from planner.synthetic import portfolio

    sc = portfolio(n, seed=seed)
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    mx = compile_model(b.m)
    cg, names = column_groups(b, mx)
    return mx, cg, names, column_owner(b, mx), sc.solver


def run(case, setting: str, gap: float, threads: int) -> dict:
    """Decompose one compiled case under one setting (patches undone afterwards)."""
    from planner.backend import decompose as D
    from planner.backend import lagrange as L
    from planner.backend import subsolve as S

    mods = {"D": D, "L": L, "S": S}
    mx, cg, names, owner, solver = case
    saved = []
    for kv in setting.split() if setting != "base" else []:
        key, expr = kv.split("=", 1)
        mod, name = key.split(".")
        saved.append((mods[mod], name, getattr(mods[mod], name)))
        setattr(mods[mod], name, eval(expr))  # noqa: S307 - a benchmark's own command line
    try:
        opts = solver.model_copy(update={"mip_rel_gap": gap, "threads": threads, "time_limit": 600})
        w, c = time.perf_counter(), time.process_time()
        fp = D.decompose(mx, cg, names, owner, opts, time.perf_counter() + 600)
        w, c = time.perf_counter() - w, time.process_time() - c
    finally:
        for mod, name, value in saved:
            setattr(mod, name, value)
    f = fp.figures
    return {"cpu_s": round(c, 2), "wall_s": round(w, 2), "rounds": f.get("rounds"),
            "failed_repairs": sum(1 for k, v in f.items() if k.endswith("_repair") and v == "failed"),
            "refined_sites": sum(v for k, v in f.items() if k.endswith("refined_sites")),
            "pricing_iterations": f.get("pricing_iterations"), "objective_mcny": f.get("objective_mcny"),
            "gap": f.get("gap"), "outcome": f.get("outcome")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", default=["20:6", "100:0"])
    ap.add_argument("--gap", type=float, default=5e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--setting", action="append", default=None)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    settings = a.setting or ["base"]
    for spec in a.cases:
        n, seed = (int(x) for x in spec.split(":"))
        case = compiled(n, seed)
        for r in range(a.repeat):
            for s in settings if r % 2 == 0 else settings[::-1]:
                print(json.dumps({"case": spec, "setting": s, "repeat": r} | run(case, s, a.gap, a.threads)),
                      flush=True)


if __name__ == "__main__":
    main()
