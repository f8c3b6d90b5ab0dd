"""Build-time benchmark: preprocess, model build (and, optionally, the hand-over to HiGHS) repeated, with
wall and CPU seconds, for the demo and generated portfolios.

The machine is shared and noisy: compare medians of repeats measured in one run, and CPU beside wall time.
Usage: python benchmarks/build.py [--sites 50] [--repeat 5] [--load] [--parallel [--workers 2]]
  --load  also time the hand-over of the built model to HiGHS (a solve stopped at once).
  --parallel  compare the serial build + hand-over (build_model, compile_model) with the parallel build
          (sitebuild.build_for_solve: chunks in worker processes, the whole Pyomo model here), alternating,
          each repeat in a fresh process: wall, CPU of this process and of the workers, peak memory.
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


def _parallel_once(n_sites: int, mode: str, workers: int, q) -> None:
    """One build + hand-over of portfolio(n_sites), serial or parallel, in a fresh process."""
    import resource

    from planner.backend.matrix import compile_model
    from planner.backend.sitebuild import build_for_solve
    from planner.preprocess.prepare import prepare
    from planner.run import build_model
    from planner.synthetic import portfolio

    sc = portfolio(n_sites)
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"build": mode, "threads": workers})})
    pre = prepare(sc)
    w0, c0 = time.perf_counter(), time.process_time()
    if mode == "serial":
        b = build_model(pre.inputs, pre.targets)
        w1 = time.perf_counter()
        mx = compile_model(b.m)
        after = 0.0
    else:
        b, compiled, after = build_for_solve(pre.inputs, pre.targets, sc.solver)
        assert compiled is not None, "the parallel build fell back to the serial one"
        mx = compiled[0]
        w1 = time.perf_counter() - after
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    q.put(dict(sites=n_sites, mode=mode, workers=workers, wall_s=round(wall, 2), build_s=round(w1 - w0, 2),
               after_build_s=round(time.perf_counter() - w1 if mode == "serial" else after, 2),
               main_cpu_s=round(cpu, 2), worker_cpu_s=round(ch.ru_utime + ch.ru_stime, 2),
               shape=list(mx.A.shape), nnz=int(mx.A.nnz),
               peak_main_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
               peak_worker_mb=round(ch.ru_maxrss / 1024)))


def parallel(sites: list[int], repeat: int, workers: int) -> None:
    import json
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    print("| sites | mode | wall s | build s | after build s | main CPU s | worker CPU s | peak main MB "
          "| peak worker MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sites:
        for _ in range(repeat):
            for mode in ("serial", "parallel"):
                q = ctx.Queue()
                proc = ctx.Process(target=_parallel_once, args=(n, mode, workers, q))
                proc.start()
                r = q.get()
                proc.join()
                print(f"| {n} | {mode} | {r['wall_s']} | {r['build_s']} | {r['after_build_s']} | {r['main_cpu_s']} "
                      f"| {r['worker_cpu_s']} | {r['peak_main_mb']} | {r['peak_worker_mb']} |", flush=True)
                print("<!-- " + json.dumps(r) + " -->", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, nargs="*", default=[50])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--load", action="store_true")
    ap.add_argument("--parallel", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if args.parallel:
        parallel(args.sites, args.repeat, args.workers)
        return
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
