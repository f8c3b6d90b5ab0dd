"""Worker scaling of the site decomposition (issue 30): one generated portfolio planned with 1 and 2 local
workers (solver threads) and on a Dask LocalCluster of 1 and 2 worker processes (1 thread each), each run in
a fresh process. Prints every stage's wall and CPU seconds (preprocess, build, hand-over, pricing, site MIPs,
repair, results), the per-site cost of the parallel part (pricing + site MIPs), the serial remainder and the
projected wall for a larger portfolio on more workers.

Usage: python benchmarks/scaling.py [--sites 200] [--gap 5e-3] [--configs threads1 threads2 dask1 dask2]
       [--project-sites 5000] [--project-workers 32] [--time-limit 900] [--build auto] [--json FILE]
CPU: of the planning process (all its threads) plus, for the Dask runs, of the worker processes (the
decomposition's own figures add the workers' CPU to pricing and site MIPs; the Dask total adds it once), plus
the parallel build's child processes (solver.build; total only). The build and hand-over count as serial.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import time
from pathlib import Path

CONFIGS = {"threads1": ("threads", 1), "threads2": ("threads", 2), "dask1": ("dask", 1), "dask2": ("dask", 2)}
PARALLEL = ("pricing", "site_mips")  # stages that are sums over sites, spread over the workers (the pricing's
# master LPs, small and serial, are counted with it; the pricing is only the estimate when the rounds at its
# prices prove the gap, docs/model.md §12)


def _timed(module, name: str, into: dict, key: str) -> None:
    """Wrap module.name so that its wall and CPU seconds add up under `key` (skipped if it is not there)."""
    fn = getattr(module, name, None)
    if fn is None:
        return

    def wrapper(*a, **k):
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            into.setdefault(key, [0.0, 0.0])
            into[key][0] += time.perf_counter() - w
            into[key][1] += time.process_time() - c

    setattr(module, name, wrapper)


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _case(config: str, args: dict, q) -> None:
    import planner.backend.solve as solve_mod
    import planner.run as run
    from planner.api import plan
    from planner.synthetic import portfolio

    kind, workers = CONFIGS[config]
    seen: dict = {}
    _timed(run, "prepare", seen, "preprocess")
    _timed(run, "build_for_solve", seen, "build+handover(build)")
    _timed(run, "extract", seen, "results")
    _timed(solve_mod, "compile_model", seen, "handover(solve)")
    _timed(solve_mod, "to_highs", seen, "handover(solve)")
    cluster = client = None
    address = None
    if kind == "dask":
        from dask.distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        address = cluster.scheduler_address
        client = Client(address)
    try:
        sc = portfolio(args["sites"])
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={
            "mip_rel_gap": args["gap"], "time_limit": args["time_limit"], "heuristic": "sites",
            "threads": workers if kind == "threads" else 1, "build": args["build"]})})
        wc0 = sum(client.run(time.process_time).values()) if client else 0.0
        w0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        p = plan(sc, scheduler=address)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        child_cpu = _children_cpu() - k0  # the parallel build's worker processes (solver.build)
        worker_cpu = sum(client.run(time.process_time).values()) - wc0 if client else 0.0
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    s = p.summary
    st, h = s["stage_seconds"], s["heuristic"]
    rounds = int(h.get("rounds", 1) or 1)
    rs = range(rounds)
    stages = {
        "preprocess": (st["preprocess"], seen.get("preprocess", [0, 0])[1]),
        "build": (st["build"], None),
        "handover": (st["handover"], None),
        "build+handover": (st["build"] + st["handover"], seen.get("build+handover(build)", [0, 0])[1]
                           + seen.get("handover(solve)", [0, 0])[1]),
        "pricing": (h.get("pricing_seconds", 0.0), h.get("pricing_cpu_seconds")),
        "site_mips": (sum(h.get(f"round{r}_subproblem_seconds", 0.0) + h.get(f"round{r}_refine_seconds", 0.0)
                          for r in rs),  # with the refinement's site MIPs (decompose._Rounds.refine)
                      sum(h.get(f"round{r}_subproblem_cpu_seconds", 0.0) + h.get(f"round{r}_refine_cpu_seconds", 0.0)
                          for r in rs)),
        "repair": (sum(h.get(f"round{r}_repair_seconds", 0.0) for r in rs),
                   sum(h.get(f"round{r}_repair_cpu_seconds", 0.0) for r in rs)),
        "results": (st["results"], seen.get("results", [0, 0])[1]),
    }
    q.put(dict(config=config, sites=args["sites"], status=s["status"], gap=s["gap"], rounds=rounds,
               estimate_s=h.get("estimate_seconds", 0.0), npv_mcny=round(s["objective_cny"] / 1e6, 3),
               wall_s=round(wall, 2),
               cpu_s=round(cpu + worker_cpu + child_cpu, 2), dask_worker_cpu_s=round(worker_cpu, 2),
               build_worker_cpu_s=round(child_cpu, 2),
               stages={k: [round(w, 2), None if c is None else round(c, 2)] for k, (w, c) in stages.items()}))


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--gap", type=float, default=5e-3)
    ap.add_argument("--configs", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    ap.add_argument("--time-limit", type=float, default=900.0)
    ap.add_argument("--build", default="auto", choices=["auto", "serial", "parallel"], help="solver.build")
    ap.add_argument("--project-sites", type=int, default=5000)
    ap.add_argument("--project-workers", type=int, default=32)
    ap.add_argument("--json", default=None, help="also write the rows to this file")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    rows = []
    for config in args.configs:
        q = ctx.Queue()
        proc = ctx.Process(target=_case, args=(config, vars(args), q))
        proc.start()
        rows.append(q.get())
        proc.join()
        print(json.dumps(rows[-1]), flush=True)
    names = list(rows[0]["stages"])
    print(f"\n{args.sites} sites, gap {args.gap}: wall / CPU seconds per stage (CPU '-': not measured apart)")
    print("| stage | " + " | ".join(r["config"] for r in rows) + " |\n|---|" + "---|" * len(rows))
    for k in names:
        print(f"| {k} | " + " | ".join(f"{_fmt(r['stages'][k][0])} / {_fmt(r['stages'][k][1])}" for r in rows) + " |")
    print("| total | " + " | ".join(f"{r['wall_s']:.2f} / {r['cpu_s']:.2f}" for r in rows) + " |")
    print("| NPV MCNY, gap | " + " | ".join(f"{r['npv_mcny']:,.3f}, {r['gap']:.1e}" for r in rows) + " |")
    if len({r["npv_mcny"] for r in rows}) > 1:
        print("WARNING: the configurations gave different plans")
    print("\nParallel part = pricing (less its sampled LP) + site MIPs (sums over sites); serial remainder = total "
          "wall - parallel part.")
    n, N, W = args.sites, args.project_sites, args.project_workers
    for r in rows:
        kind, w = CONFIGS[r["config"]]
        par = sum(r["stages"][k][0] for k in PARALLEL) - r["estimate_s"]
        serial = r["wall_s"] - par
        per_site = par * w / n  # worker-seconds per site
        proj = per_site * N / W + serial * N / n
        r["projection"] = dict(parallel_wall_s=round(par, 2), serial_s=round(serial, 2),
                               per_site_worker_s=round(per_site, 4), projected_wall_s=round(proj, 1))
        print(f"{r['config']}: parallel {par:.2f} s on {w} worker(s) = {per_site * 1000:.1f} ms per site per worker; "
              f"serial remainder {serial:.2f} s; projected {N} sites on {W} workers: "
              f"{per_site:.4f} x {N} / {W} + {serial:.2f} x {N}/{n} = {proj:.0f} s ({proj / 60:.1f} min)")
    for kind in ("threads", "dask"):
        one = [r for r in rows if r["config"] == f"{kind}1"]
        two = [r for r in rows if r["config"] == f"{kind}2"]
        if one and two:
            p1 = one[0]["projection"]["parallel_wall_s"]
            p2 = two[0]["projection"]["parallel_wall_s"]
            print(f"{kind}: parallel part 1 -> 2 workers {p1:.2f} -> {p2:.2f} s (speed-up {p1 / max(p2, 1e-9):.2f}x; "
                  f"1/W scaling would give 2.00x)")
    print(f"ASSUMPTIONS of the projection: the parallel part's work per site stays what it is at {n} sites (the "
          f"pricing's iteration count does not grow with sites) and spreads evenly over the workers; the serial "
          f"remainder (preprocess, build, hand-over, sampled LP, repair, results) grows linearly with "
          f"sites (x {N}/{n}); no cluster overhead beyond what the Dask rows show.")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
