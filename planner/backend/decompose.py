"""First plan for portfolios by site decomposition, priced without the whole model's LP (docs/model.md §12).

Sites are coupled only by company-level rows (targets, offsets, contract volumes, budgets, adoption
limits). The method (`decompose` on a matrix and its column groups; `first_plan` from a built model):
1. split the matrix: every column belongs to one site (by its index or its measure's site) or to the
   company; a row touching one group is that group's row, a row touching several groups is a coupling row;
2. price the coupling rows: given prices or the duals of a sampled LP; a bundle method on the Lagrangian dual
   of the LP relaxation, which solves only the groups' LPs (lagrange.py), runs from there only when the
   rounds at those prices (steps 3-4) do not prove the requested gap and refining the sites' bounds does not
   either (`_price_and_repair`, docs/model.md §12 "Gap budget and order");
3. solve each group's MIP with objective c - A_Cᵀ y (its own rows only, y the prices nudged up), in
   parallel (local threads or a Dask cluster); Σ of their dual bounds + y·(active row bounds) is a
   Lagrangian lower bound of the whole MILP;
4. fix every site's integer decisions at its subproblem's answer and solve the rest (the repair MIP:
   continuous decisions and company-level integers). If that is infeasible (integer answers can fall short
   of a target), the prices are raised and step 3 repeats (REPAIR_ROUNDS in all); in the last round a
   failed repair is followed by the timing repair, which keeps each site's choice of measures, fixes the
   measures no site chose at zero and lets the build years move.
The repaired plan is feasible for the whole model; HiGHS starts from it. When its gap to the best bound
is already within the requested gap, the solve stops there.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import scipy.sparse as sp

from ..errors import InputError
from ..schemas.scenario import Solver
from .builder import BuiltModel
from .lagrange import PRICE_TOL, Evaluator, maximise, sample_prices, sign_feasible, split
from .matrix import Matrix, new_highs, pass_matrix, release_freed_memory
from .subsolve import SubProblem

DECOMPOSE_MIN_SITES = 20  # below this a portfolio solves fast enough whole (benchmarks/run.py)
REPAIR_ROUNDS = 3
PRICE_RAISE = 1.5  # factor on the coupling prices after an infeasible repair
FIXED_REPAIR_SECONDS = 20.0  # the fixed repair's time limit (at least; REPAIR_SECONDS_PER_SITE x sites when
REPAIR_SECONDS_PER_SITE = 0.1  # more): past it the next step is cheaper; 200 sites: 3.7 s
NUDGE_PER_GAP = 40.0  # the site MIPs see the prices raised by 1 + δ, δ = min(NUDGE_MAX, this x mip_rel_gap):
NUDGE_MAX = 0.05  # at the exact LP prices sites are indifferent at the margin and their integer answers
# together often fall short of a target; L(y) stays valid at any sign-feasible y and loses about 2% of δ
NUDGE_STEPS = (1.0, 3.0)  # δ multiples of the first rounds; the last round raises the prices by PRICE_RAISE
PRICE_TOL_MAX = 1e-3  # the pricing stops within a tenth of the requested gap (at least lagrange.PRICE_TOL)
PRICE_SHARE = 0.4  # pricing may use this share of the time left
BUNDLE_AFTER = True  # the rounds run first at the estimate's prices; the bundle only if their plan is not
# proven within the requested gap (on the generated portfolios of 100 and 200 sites the bundle's 10 and 17
# evaluations never moved from the estimate: 1.6 s wall, 2.6 s CPU at 100 sites)
REFINE_MARGIN = 1.5  # refine the sites whose gaps sum to this multiple of the bound's shortfall ...
REFINE_SHARE = 0.1  # ... solving them again to this share of their gap (at least REFINE_GAP_MIN) ...
REFINE_GAP_MIN = 1e-6
REFINE_PASSES = 3  # ... in up to this many passes
TIMING_REPAIR_SECONDS = 30.0  # the timing repair stops after this long with its best plan ...
TIMING_REPAIR_GAP = 5e-3  # ... or once a plan is within this of the Lagrangian bound
SCHEDULER_TIMEOUT = os.environ.get("PLANNER_DASK_TIMEOUT", "10s")  # connecting to --scheduler
SUB_GAP = 1e-4  # subproblems solve to this gap or SUB_GAP_SHARE of the requested gap, but never looser than
SUB_GAP_MAX = 2.5e-3  # this: 40 site MIPs of 100 sites at 1e-3 / 2.5e-3 / 5e-3 used 5.9 / 5.2 / 4.2 s CPU (means of 3),
SUB_GAP_SHARE = 0.5  # their plans' cost +0 / +0.0003% / +0.057%, their dual bounds -0 / -0.014% / -0.024%;
# to the whole requested gap the repairs failed more often: of 9 portfolios of 20-100 sites at the gap 5e-3, site
# MIPs to 5e-3 failed 5 repairs on 3 portfolios, to 2.5e-3 1 repair (docs/model.md §12, "Gap budget")
SITE_MIP_OPTIONS = {"mip_heuristic_run_root_reduced_cost": False,  # as solve.TUNED_OPTIONS
                    # a site MIP ends at its root, whose rounding beats feasibility jump's plans; without it site
                    # MIPs of 100 sites gave the same plans and bounds with about 10% less CPU (6 A/B pairs of
                    # 30-60 MIPs, a loaded machine: 4-30%; perf: the jump was 7% of the samples)
                    "mip_heuristic_run_feasibility_jump": False,
                    # presolve without probing and enumeration (bits 15, 16; docs/sweeps.md, seventh sitting):
                    # the site MIPs of 100 / 200 sites 12-15% less CPU at the same gap tolerance, plans +0.02%
                    "presolve_rule_off": 98304}
INF = highspy.kHighsInf


@dataclass
class FirstPlan:
    x: np.ndarray | None  # a feasible column vector of the whole model, or None
    highs_seconds: float  # wall inside HiGHS runs started here (in this process or summed over workers)
    figures: dict = field(default_factory=dict)
    prices: np.ndarray | None = None  # the coupling rows' prices (row duals, 0 elsewhere): a warm start for
    # a similar model (`decompose(..., prices=)`)


def column_groups(built: BuiltModel, mx: Matrix) -> tuple[np.ndarray, list[str]]:
    """Group of every column: index of its site in inp.sites, or len(sites) for the company."""
    sites = list(built.inp.sites)
    pos = {s: i for i, s in enumerate(sites)}
    company = len(sites)
    by_block = {id(mm.block): mm.cfg.site for mm in built.measures}
    measure_site = {mm.id: mm.cfg.site for mm in built.measures}
    groups = np.empty(len(mx.columns), dtype=np.int64)
    for j, v in enumerate(mx.columns):
        site = by_block.get(id(v.parent_block()))
        if site is None:
            idx = v.index()
            head = idx[0] if isinstance(idx, tuple) and idx else idx
            if isinstance(head, str):
                site = head if head in pos else measure_site.get(head)
        groups[j] = pos[site] if site in pos else company
    return groups, sites


def row_groups(A: sp.csr_array, col_group: np.ndarray, n_groups: int) -> np.ndarray:
    """Group of every row: the one group its columns share, or -1 for a coupling row (empty rows: company)."""
    g = col_group[A.indices]
    starts = A.indptr[:-1]
    nnz = np.diff(A.indptr)
    out = np.full(A.shape[0], n_groups - 1, dtype=np.int64)
    has = nnz > 0
    if g.size:
        lo = np.minimum.reduceat(g, starts[has])
        hi = np.maximum.reduceat(g, starts[has])
        out[has] = np.where(lo == hi, lo, -1)
    return out


def cpu_seconds(client=None) -> float:
    """CPU seconds of this process (all its threads) plus, with a Dask client, of every worker process: the
    decomposition's figures report each stage's CPU beside its wall (benchmarks/scaling.py)."""
    here = time.process_time()
    if client is None:
        return here
    return here + sum(client.run(time.process_time).values())


def _main_highs(options: dict) -> highspy.Highs:
    """A HiGHS instance for this (main) thread, with the global scheduler sized for its thread count."""
    from .solve import ensure_threads

    ensure_threads(options["threads"])
    return new_highs(options)


def connect(scheduler: str):
    """A Dask client for the scheduler address; a one-line input error when nobody answers there."""
    from dask.distributed import Client

    try:
        return Client(scheduler, set_as_default=False, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError("--scheduler", "", f"no Dask scheduler reachable at {scheduler} "
                         f"({type(exc).__name__})") from None


def first_plan(built: BuiltModel, mx: Matrix, opts: Solver, deadline: float,
               scheduler: str | None = None, prices: np.ndarray | None = None) -> FirstPlan:
    """A feasible plan of the whole model by site decomposition, with a Lagrangian bound (see module doc):
    the adapter from a built Pyomo model to `decompose`."""
    groups, names = column_groups(built, mx)
    return decompose(mx, groups, names, column_owner(built, mx), opts, deadline, scheduler, prices)


def decompose(mx: Matrix, col_group: np.ndarray, names: list[str], owner: np.ndarray, opts: Solver,
              deadline: float, scheduler: str | None = None, prices: np.ndarray | None = None) -> FirstPlan:
    """A feasible plan of the matrix by decomposition into column groups, with a Lagrangian bound.

    col_group[j]: group of column j, 0..len(names)-1 for the sites (names) and len(names) for the company;
    owner[j]: index of the measure owning column j, -1 for none (the timing repair keeps each site's choice
    of measures); prices: row duals of a similar model (a previous sweep variant's FirstPlan.prices), used as
    the first estimate of the coupling rows' prices."""
    client = connect(scheduler) if scheduler else None  # fail fast, before any solving
    try:
        return _first_plan(mx, np.asarray(col_group, dtype=np.int64), list(names),
                           np.asarray(owner, dtype=np.int64), opts, deadline, client, prices)
    finally:
        if client is not None:
            client.close()


def _first_plan(mx: Matrix, cg: np.ndarray, sites: list[str], owner: np.ndarray, opts: Solver, deadline: float,
                client, prices: np.ndarray | None) -> FirstPlan:
    from .solve import ensure_threads, highs_options

    t0 = time.perf_counter()
    base = highs_options(opts, max(deadline - t0, 1.0))  # for HiGHS runs in this thread
    ensure_threads(opts.threads)
    company = len(sites)
    rg = row_groups(mx.A, cg, company + 1)
    parts = split(mx.A, mx.row_lower, mx.row_upper, cg, company + 1, rg)
    coupling = parts.coupling
    fig: dict = {"method": "sites", "sites": len(sites), "coupling_rows": int(coupling.size),
                 "company_columns": int((cg == company).sum())}
    sub_gap = min(SUB_GAP_MAX, max(SUB_GAP, opts.mip_rel_gap * SUB_GAP_SHARE))
    sub_opts = {"mip_rel_gap": sub_gap, "threads": 1, "random_seed": opts.seed,
                "mip_feasibility_tolerance": 1e-7, "primal_feasibility_tolerance": 1e-8,
                "dual_feasibility_tolerance": 1e-8, **SITE_MIP_OPTIONS}
    blocks = [_block(sites[g] if g < company else "company", mx, parts.cols_of[g], parts.rows_of[g], sub_opts)
              for g in range(company + 1)]
    ev = Evaluator(blocks, [b.c for b in blocks], parts, mx.offset, max(1, opts.threads), client)
    try:
        return _price_and_repair(mx, cg, company, owner, opts, deadline, prices, ev, base, fig, t0)
    finally:
        ev.close()


def _block(name: str, mx: Matrix, cols: np.ndarray, rows: np.ndarray, opts: dict) -> SubProblem:
    """Group's own problem (its rows only; the coupling rows are priced into its objective per solve)."""
    return SubProblem(name, mx.c[cols], sp.csr_array(mx.A[rows][:, cols]), mx.row_lower[rows], mx.row_upper[rows],
                      mx.col_lower[cols], mx.col_upper[cols], mx.integer[cols], opts)


def _price_and_repair(mx: Matrix, cg: np.ndarray, company: int, owner: np.ndarray, opts: Solver, deadline: float,
                      prices: np.ndarray | None, ev: Evaluator, base: dict, fig: dict, t0: float) -> FirstPlan:
    """Steps 2-5 of the module doc, in the order that proves the requested gap soonest (docs/model.md §12,
    "Gap budget"): the rounds at the estimate's prices; if their plan is not proven within the gap, the sites'
    bounds refined where that suffices; else the bundle from the estimate and the rounds at its prices."""
    t1, c1 = time.perf_counter(), cpu_seconds(ev.client)
    ceiling = None
    if prices is not None:  # a caller's prices (a previous run's): only signs the rows allow bound anything
        y0 = sign_feasible(np.asarray(prices, float)[ev.sp_.coupling], ev.sp_.lower, ev.sp_.upper)
    else:
        y0, ceiling, est_s = sample_prices(mx, ev.sp_, company, base)
        ev.highs_seconds += est_s
        fig["estimate_seconds"] = round(est_s, 3)
    fig.update(warm_start=prices is not None, pricing_iterations=0, pricing_seconds=round(time.perf_counter() - t1, 3),
               pricing_cpu_seconds=round(cpu_seconds(ev.client) - c1, 3))
    run = _Rounds(mx, cg, company, owner, opts, deadline, ev, base, fig)
    y = y0
    if y0 is None or not BUNDLE_AFTER:  # no estimate: the bundle from 0 comes first
        y = _bundle(ev, y0, ceiling, opts, deadline, base, fig)
        if y is not None:
            run.rounds(y, 0)
    else:
        # one round at the estimate's prices (a failed repair there says the prices are off: the bundle next)
        run.rounds(y0, 0, 1)
        if not run.proven() and time.perf_counter() < deadline - 1.0:
            # not proven within the gap: the bundle from the estimate, then the rounds at its prices; if it
            # stayed at the estimate, only the rounds not run there yet (the same round again repeats its plan)
            yb = _bundle(ev, y0, ceiling, opts, deadline, base, fig)
            if yb is not None:
                moved = bool(np.any(yb != y0))
                y = yb
                if moved or run.best is None:
                    run.rounds(y, 0 if moved else 1)
    if run.best is not None and run.bound() is not None:
        bound = min(run.bound(), fig["objective_mcny"])
        fig["bound_mcny"] = bound
        fig["gap"] = abs(fig["objective_mcny"] - bound) / max(abs(fig["objective_mcny"]), 1e-9)
    fig.setdefault("outcome", "pricing_failed" if y is None else "infeasible_repair")
    fig["seconds"] = round(time.perf_counter() - t0, 3)
    y_rows = np.zeros(len(mx.row_lower))
    if y is not None:
        y_rows[ev.sp_.coupling] = y
    return FirstPlan(run.best, ev.highs_seconds, fig, y_rows if y is not None else None)


def _bundle(ev: Evaluator, y0: np.ndarray | None, ceiling: float | None, opts: Solver, deadline: float, base: dict,
            fig: dict) -> np.ndarray | None:
    """The bundle method on the LP Lagrangian from y0 (lagrange.maximise): its best prices, None if it failed.
    Its seconds and evaluations add to the pricing's figures (the estimate's are there already)."""
    t1, c1 = time.perf_counter(), cpu_seconds(ev.client)
    tol = min(PRICE_TOL_MAX, max(PRICE_TOL, opts.mip_rel_gap / 10))
    pr = maximise(ev, y0, {"time_limit": max(1.0, deadline - t1)}, t1 + PRICE_SHARE * max(deadline - t1, 0.0),
                  ceiling, base, tol)
    ev.drop_kept()  # the site MIPs and the repair need the memory more
    release_freed_memory()  # hand the kept LPs' memory back (freed in pool threads: 100 sites, repair -140 MB)
    fig.update(lp_bound_mcny=pr.bound, pricing_iterations=fig.get("pricing_iterations", 0) + pr.iterations,
               pricing_converged=pr.converged,
               pricing_seconds=round(fig.get("pricing_seconds", 0.0) + time.perf_counter() - t1, 3),
               pricing_cpu_seconds=round(fig.get("pricing_cpu_seconds", 0.0) + cpu_seconds(ev.client) - c1, 3))
    return pr.y if pr.bound is not None else None


class _Rounds:
    """Steps 3-5 at given prices, the best plan and bound over every round run (fig holds both)."""

    def __init__(self, mx: Matrix, cg: np.ndarray, company: int, owner: np.ndarray, opts: Solver, deadline: float,
                 ev: Evaluator, base: dict, fig: dict):
        self.mx, self.cg, self.company, self.owner, self.opts = mx, cg, company, owner, opts
        self.deadline, self.ev, self.base, self.fig = deadline, ev, base, fig
        self.best: np.ndarray | None = None
        self.n = 0  # rounds run (their figures are round0_..., round1_..., over every call)

    def bound(self) -> float | None:
        """The best valid bound found (L(y) of the site MIPs over the rounds, L(ŷ) of the LP), None if none."""
        known = [b for b in (self.fig.get("lagrangian_bound_mcny"), self.fig.get("lp_bound_mcny")) if b is not None]
        return max(known) if known else None

    def gap(self) -> float | None:
        """The best plan's gap to the best bound (negative: the bound is above the plan, by tolerances)."""
        bound = self.bound()
        if self.best is None or bound is None:
            return None
        return (self.fig["objective_mcny"] - bound) / max(abs(self.fig["objective_mcny"]), 1e-9)

    def proven(self) -> bool:
        g = self.gap()
        return g is not None and g <= self.opts.mip_rel_gap

    def rounds(self, y_hat: np.ndarray, first: int, stop: int = REPAIR_ROUNDS) -> None:
        """The site MIPs at nudged prices and the repair, raising the prices after an infeasible repair
        (steps first..stop-1 of REPAIR_ROUNDS, the last with the timing repair); stops at the first feasible
        repair."""
        mx, fig, ev, company = self.mx, self.fig, self.ev, self.company
        delta = min(NUDGE_MAX, NUDGE_PER_GAP * self.opts.mip_rel_gap)
        for step in range(first, stop):
            rnd = self.n
            y = y_hat * (1 + delta * NUDGE_STEPS[step] if step < len(NUDGE_STEPS) else PRICE_RAISE)
            left = self.deadline - time.perf_counter()
            if left <= 1.0:
                fig.setdefault("outcome", "time_limit")
                return
            self.n += 1
            fig["rounds"] = self.n
            t1, c1 = time.perf_counter(), cpu_seconds(ev.client)
            res = ev.solve(y, False, {"time_limit": max(1.0, min(60.0, left / 2))})
            fig[f"round{rnd}_subproblem_seconds"] = round(time.perf_counter() - t1, 3)
            fig[f"round{rnd}_subproblem_cpu_seconds"] = round(cpu_seconds(ev.client) - c1, 3)
            c1 = time.process_time()
            lag = ev.value(y, res)
            if lag is not None and not np.isfinite(lag):
                lag = None  # bounds nothing
            prev = fig.get("lagrangian_bound_mcny")
            if lag is not None and (prev is None or lag > prev):
                fig["lagrangian_bound_mcny"] = lag
            x_fix = np.zeros(len(mx.c))
            for g, r in enumerate(res):
                if r.x is None and g != company:  # the company part is re-solved in the repair anyway
                    fig[f"round{rnd}_subproblem"] = "failed"
                    if self.best is None:  # an earlier round's plan stays the result (and its outcome)
                        fig["outcome"] = "subproblem_failed"
                    return
                if r.x is not None:
                    x_fix[ev.sp_.cols_of[g]] = r.x
            x, obj, rep_s = self._repair(x_fix, rnd, last=step == REPAIR_ROUNDS - 1)
            ev.highs_seconds += rep_s
            fig[f"round{rnd}_repair_seconds"] = round(rep_s, 3)
            fig[f"round{rnd}_repair_cpu_seconds"] = round(time.process_time() - c1, 3)
            if x is not None:
                if self.best is None or obj < fig["objective_mcny"]:
                    self.best = x
                    fig.update(outcome="feasible", objective_mcny=obj)
                if not self.proven() and lag is not None and lag >= fig["lagrangian_bound_mcny"]:
                    self.refine(y, res, rnd)  # this round's bound is the best one: raising it can prove the plan
                return

    def _repair(self, x_fix: np.ndarray, rnd: int, last: bool):
        """Step 5: the fixed repair; in the last round, if it fails, the timing repair."""
        fig, opts = self.fig, self.opts
        # a feasible fixed repair is quick (200 sites: 3 s); proving one infeasible took 246 s there
        cap = max(FIXED_REPAIR_SECONDS, REPAIR_SECONDS_PER_SITE * self.company)
        rep_opts = {**self.base, "time_limit": max(1.0, min(self.deadline - time.perf_counter(), cap))}
        x, obj, rep_s = _repair(self.mx, self.cg, self.company, x_fix, rep_opts)
        if x is None and last:  # last resort: keep the measures, let their timing move
            # (not earlier: on 200 sites HiGHS spent 230 s in one root cut round of it, past its time limit,
            # while a round at raised prices took 25 s)
            rep_opts = {**self.base,
                        "time_limit": max(1.0, min(self.deadline - time.perf_counter(), TIMING_REPAIR_SECONDS))}
            lag = fig.get("lagrangian_bound_mcny")
            good = None if lag is None else lag + abs(lag) * max(opts.mip_rel_gap, TIMING_REPAIR_GAP)
            x, obj, s2 = _repair(self.mx, self.cg, self.company, x_fix, rep_opts, self.owner, good)
            rep_s += s2
            fig[f"round{rnd}_repair"] = "timing" if x is not None else "failed"
        elif x is None:
            fig[f"round{rnd}_repair"] = "failed"
        return x, obj, rep_s

    def refine(self, y: np.ndarray, res: list, rnd: int) -> None:
        """Raise the round's bound L(y) where the sites' own gaps keep the plan from the requested gap: the
        sites with the largest gaps (primal - dual bound) solved again to REFINE_SHARE of their tolerance,
        each keeping the larger of its two dual bounds (both valid at y), in up to REFINE_PASSES passes.
        The plan stays."""
        fig, ev, gap = self.fig, self.ev, self.opts.mip_rel_gap
        sub_gap = max(REFINE_GAP_MIN, ev.blocks[0].options.get("mip_rel_gap", SUB_GAP) * REFINE_SHARE)
        done = np.zeros(len(res), dtype=bool)
        t1, c1 = time.perf_counter(), cpu_seconds(ev.client)
        for _ in range(REFINE_PASSES):
            obj, lag = fig["objective_mcny"], fig["lagrangian_bound_mcny"]
            need = obj - gap * abs(obj) - lag  # the bound must rise by this much
            gaps = np.array([r.objective - r.bound if r.objective is not None and r.bound is not None and not d
                             else 0.0 for r, d in zip(res, done, strict=True)])
            left = self.deadline - time.perf_counter()
            if need <= 0 or gaps.sum() < need or left <= 1.0:  # proven, or not even exact site bounds would do
                break
            order = np.argsort(-gaps, kind="stable")
            order = order[gaps[order] > 0]
            take = order[:int(np.searchsorted(np.cumsum(gaps[order]), need * REFINE_MARGIN)) + 1]
            again = ev.solve(y, False, {"time_limit": max(1.0, min(60.0, left / 2)), "mip_rel_gap": sub_gap},
                             groups=[int(g) for g in take])
            for g, r in zip(take, again, strict=True):
                if r.bound is not None and r.bound > res[g].bound:
                    res[g] = replace(res[g], bound=r.bound)
            done[take] = True
            lag = ev.value(y, res)
            if lag is not None and lag > fig["lagrangian_bound_mcny"]:
                fig["lagrangian_bound_mcny"] = lag
        if done.any():
            fig[f"round{rnd}_refined_sites"] = int(done.sum())
            fig[f"round{rnd}_refine_seconds"] = round(time.perf_counter() - t1, 3)
            fig[f"round{rnd}_refine_cpu_seconds"] = round(cpu_seconds(ev.client) - c1, 3)


def column_owner(built: BuiltModel, mx: Matrix) -> np.ndarray:
    """Per column: index of its measure in built.measures, or -1 (core and rule columns)."""
    by_block = {id(mm.block): i for i, mm in enumerate(built.measures)}
    return np.array([by_block.get(id(v.parent_block()), -1) for v in mx.columns], dtype=np.int64)


def _repair(mx: Matrix, cg: np.ndarray, company: int, x_fix: np.ndarray, options: dict,
            owner: np.ndarray | None = None, good_enough: float | None = None):
    """Fix the sites' integer columns at x_fix and solve the rest; (x, objective, seconds) or (None, None, s).
    With `owner`, only measures that x_fix never builds are fixed (at 0); the others keep their integer
    freedom (timing, reinvestment). With `good_enough`, HiGHS stops at the first plan that good."""
    t0 = time.perf_counter()
    fix = mx.integer & (cg != company)
    if owner is not None:
        used = np.unique(owner[fix & (x_fix > 0.5) & (owner >= 0)])
        fix &= ~np.isin(owner, used)
    lo, hi = mx.col_lower.copy(), mx.col_upper.copy()
    v = np.round(x_fix[fix])
    lo[fix] = hi[fix] = v
    h = _main_highs(options)
    pass_matrix(h, mx.c, mx.A, mx.row_lower, mx.row_upper, lo, hi, mx.integer, mx.offset)
    if good_enough is not None:  # interrupt HiGHS at the first plan with an objective <= good_enough
        stop = []
        h.cbMipImprovingSolution.subscribe(
            lambda e: stop.append(True) if e.data_out.objective_function_value <= good_enough else None)
        h.cbMipInterrupt.subscribe(lambda e: setattr(e.data_in, "user_interrupt", True) if stop else None)
    h.run()
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return None, None, time.perf_counter() - t0
    x = np.asarray(h.getSolution().col_value)
    return x, float(mx.c @ x + mx.offset), time.perf_counter() - t0
