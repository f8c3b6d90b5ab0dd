"""Stage scaling benchmark: one generated portfolio per size, each in a fresh process; prints each stage's wall
seconds (preprocess, build, hand-over, HiGHS, results), the results stage's wall and CPU seconds apart, and peak
resident memory, so that superlinear stages show when sizes are compared (issue 30).

The solve is kept short (gap 5e-2, threads 1 by default): the stages around it are what is measured. With
`--profile DIR` the results stage is profiled with cProfile (DIR/results_<n>.prof; read with pstats).
Usage: python benchmarks/stages.py [--sites 100 300] [--gap 5e-2] [--threads 1] [--time-limit 900]
       [--profile DIR]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import multiprocessing as mp
import resource
import time
from pathlib import Path


def _case(n: int, args: dict, q) -> None:
    import planner.run as run
    from planner.synthetic import portfolio

    extract, seen = run.extract, {}

    def timed_extract(*a, **k):
        prof = cProfile.Profile() if args["profile"] else None
        w, c = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        out = extract(*a, **k)
        if prof:
            prof.disable()
            prof.dump_stats(str(Path(args["profile"]) / f"results_{n}.prof"))
        seen.update(results_wall_s=round(time.perf_counter() - w, 2), results_cpu_s=round(time.process_time() - c, 2))
        return out

    run.extract = timed_extract  # the results stage of run_plan, timed alone
    sc = portfolio(n)
    upd = dict(threads=args["threads"], mip_rel_gap=args["gap"], time_limit=args["time_limit"])
    sc = sc.model_copy(update={"solver": sc.solver.model_copy(update=upd)})
    w0, c0 = time.perf_counter(), time.process_time()
    st = run.run_plan(sc).summary["stage_seconds"]
    q.put(dict(sites=n, total_s=round(time.perf_counter() - w0, 1), cpu_s=round(time.process_time() - c0, 1),
               **{f"{k}_s": round(v, 2) for k, v in st.items()}, **seen,
               peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sites", type=int, nargs="*", default=[100, 300])
    ap.add_argument("--gap", type=float, default=5e-2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=900.0)
    ap.add_argument("--profile", default=None, help="directory for cProfile dumps of the results stage")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    for n in args.sites:
        q = ctx.Queue()
        proc = ctx.Process(target=_case, args=(n, vars(args), q))
        proc.start()
        print(json.dumps(q.get()), flush=True)
        proc.join()


if __name__ == "__main__":
    main()
