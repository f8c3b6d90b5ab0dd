"""A large portfolio planned with its site subproblems on a Dask cluster: a local one (`--workers N`) or
an existing scheduler (`--scheduler ADDRESS`). Prints the same figures as benchmarks/run.py plus the
decomposition's own timings (sampled LP, pricing, subproblems, repair).

Usage: python benchmarks/dask_sites.py [--sites 1000] [--workers 2] [--gap 5e-3] [--time-limit 3600]
"""

from __future__ import annotations

import argparse
import json
import resource
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--gap", type=float, default=5e-3)
    ap.add_argument("--time-limit", type=float, default=3600.0)
    args = ap.parse_args()
    from dask.distributed import LocalCluster

    from planner.api import plan
    from planner.synthetic import portfolio

    cluster = None
    address = args.scheduler
    if address is None:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        address = cluster.scheduler_address
    try:
        w0, c0 = time.perf_counter(), time.process_time()
        sc = portfolio(args.sites)
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={
            "mip_rel_gap": args.gap, "time_limit": args.time_limit, "heuristic": "sites"})})
        p = plan(sc, scheduler=address)
        s = p.summary
        total = time.perf_counter() - w0
        st, h = s["stage_seconds"], s["heuristic"]
        row = dict(sites=args.sites, workers=args.workers if cluster else "external", status=s["status"],
                   gap=s["gap"], binaries=s["model"]["binaries"], rows=s["model"]["constraints"],
                   first_plan_s=s["first_plan_seconds"], total_s=round(total, 1),
                   main_process_cpu_s=round(time.process_time() - c0, 1),
                   stages={k: round(v, 2) for k, v in st.items()}, p1=round(total / max(st["highs"], 1e-9), 2),
                   heuristic={k: v for k, v in h.items() if k.endswith(("seconds", "bound_mcny"))
                              or k in ("rounds", "gap", "pricing_iterations", "pricing_converged")},
                   main_process_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        print(json.dumps(row, indent=1), flush=True)
    finally:
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
