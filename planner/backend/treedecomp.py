"""Scenario decomposition of a scenario tree (docs/model.md §16, "Scenario decomposition"; docs/robust.md).

The tree's matrix splits by branch: every column and every row belongs to one branch, except the
non-anticipativity rows x_{k,d} = x_{0,d} of the shared decisions (the coupling). The method, for the
expected-NPV objective (separable: Σ_k π_k NPV_k):
1. lower bound: Σ_k π_k (dual bound of branch k alone) - the wait-and-see bound (given by the caller, who
   solved the branches alone, or solved here);
2. candidates: a plan the caller already solved (the expected-value plan completed in every branch) is
   the first incumbent; the distinct first-stage decisions the branches propose alone are each imposed on
   every branch and the continuations solved (branches independent MIPs per candidate): the best expected
   cost is an upper bound, with a feasible plan of the tree (non-anticipative by construction);
3. Lagrangian rounds on the non-anticipativity rows (subgradient, Polyak step from the best multipliers):
   each round re-solves every branch with its shared decisions priced, raises the bound when it can and
   adds the branches' new first-stage answers as candidates. Steps 2 and 3 stop once the gap is within the
   requested one, and start only within DECOMPOSE_SHARE of the time limit;
4. when the gap is still above the requested one, the whole tree MIP runs, started from the best plan,
   for the time left; its bound is the larger of HiGHS's and the decomposition's.
The subproblems are `subsolve.SubProblem` arrays solved by `subsolve.solve_all`: local threads (HiGHS
releases the GIL) or the Dask cluster of a client, the same workers as the site decomposition.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

from ..schemas.scenario import Solver
from .decompose import connect
from .matrix import Matrix, compile_model, load_values
from .solve import SolveInfo, StartPlans, model_size, solve
from .subsolve import SubProblem, SubResult, solve_all
from .tree import TreeModel, decisions

DECOMPOSE_MIN_BINARIES = 1_000  # `auto`: trees with at least this many binaries (docs/robust.md, measured) ...
AUTO_GAP_FACTOR = 3.0  # ... whose expected-value plan is within this many requested gaps of the wait-and-see bound
LAGRANGE_ROUNDS = 2  # subgradient rounds at most (each solves every branch once more)
POLYAK_THETA = 1.0  # step = θ (best plan - bound) / |subgradient|², θ halved after a round that did not raise it
DECOMPOSE_SHARE = 0.5  # Lagrangian rounds start only while they fit in this share of the time limit
LAGRANGE_COST = 2.0  # a round (every branch free) is estimated at this many candidate evaluations (branches fixed)
SUB_GAP_SHARE = 0.5  # subproblems solve to this share of the requested gap (their gaps add up)


@dataclass
class TreeParts:
    """The tree's matrix and, per branch, its columns, its rows and its shared columns (in the order of
    `keys`, the same in every branch)."""

    mx: Matrix
    cols: list[np.ndarray]
    rows: list[np.ndarray]
    shared: list[np.ndarray]  # positions within the branch's own columns
    keys: list[tuple]
    coupling: np.ndarray  # the non-anticipativity rows


@dataclass
class Plan:
    """A candidate plan of the tree: its first-stage values, its expected cost and its columns."""

    first: np.ndarray
    objective: float | None = None
    x: np.ndarray | None = None
    branch_bounds: list[float | None] = field(default_factory=list)


def split_tree(tree: TreeModel, mx: Matrix | None = None) -> TreeParts:
    """Split the tree's compiled matrix by branch. Raises ValueError when a column belongs to no branch
    (a tree-level objective: CVaR or regret) or a row other than non-anticipativity couples branches."""
    mx = compile_model(tree.m) if mx is None else mx
    owner = {id(v): k for k, b in enumerate(tree.branches) for v in b.m.component_data_objects(pyo.Var)}
    group = np.array([owner.get(id(v), -1) for v in mx.columns], dtype=np.int64)
    if (group < 0).any():
        raise ValueError("the tree objective has tree-level variables: the decomposition needs `expected`")
    na = tree.m.tree.nonanticipativity
    coupling = np.array([r.parent_component() is na for r in mx.rows], dtype=bool)
    A = mx.A
    row_group = np.zeros(A.shape[0], dtype=np.int64)  # an empty row (a constant constraint) goes to branch 0
    for i in np.flatnonzero(np.diff(A.indptr) > 0):
        g = np.unique(group[A.indices[A.indptr[i]:A.indptr[i + 1]]])
        if coupling[i]:
            continue
        if len(g) != 1:
            raise ValueError(f"row {mx.rows[i].name} couples branches")
        row_group[i] = g[0]
    n = len(tree.branches)
    cols = [np.flatnonzero(group == k) for k in range(n)]
    rows = [np.flatnonzero((row_group == k) & ~coupling) for k in range(n)]
    keys = sorted(decisions(tree.branches[0], tree.split_year))
    pos = {id(v): j for j, v in enumerate(mx.columns)}
    shared = []
    for k, b in enumerate(tree.branches):
        d = decisions(b, tree.split_year)
        local = {int(c): i for i, c in enumerate(cols[k])}
        shared.append(np.array([local[pos[id(d[key])]] for key in keys if id(d[key]) in pos], dtype=np.int64))
    if any(len(s) != len(keys) for s in shared):  # a shared decision fixed in the model: not a column
        raise ValueError("a shared decision is fixed in some branch")
    return TreeParts(mx, cols, rows, shared, keys, np.flatnonzero(coupling))


def _sub(p: TreeParts, k: int, options: dict, name: str, first: np.ndarray | None = None,
         price: np.ndarray | None = None) -> SubProblem:
    """Branch k alone: its first stage fixed at `first`, or priced by `price` (added to its shared costs)."""
    mx, cols, rows = p.mx, p.cols[k], p.rows[k]
    c = mx.c[cols].copy()
    lo, hi = mx.col_lower[cols].copy(), mx.col_upper[cols].copy()
    s = p.shared[k]
    if price is not None:
        c[s] += price
    if first is not None:
        v = np.where(mx.integer[cols][s], np.round(first), first)
        v = np.clip(v, lo[s], hi[s])
        lo[s] = hi[s] = v
    return SubProblem(name, c, sp.csr_array(mx.A[rows][:, cols]), mx.row_lower[rows], mx.row_upper[rows], lo, hi,
                      mx.integer[cols], options)


def _first_of(p: TreeParts, k: int, x: np.ndarray) -> np.ndarray:
    """The shared decisions in a solution of branch k alone (integers rounded)."""
    v = x[p.shared[k]]
    return np.where(p.mx.integer[p.cols[k]][p.shared[k]], np.round(v), v)


def _key(first: np.ndarray) -> bytes:
    return np.round(first, 6).tobytes()


def evaluate(p: TreeParts, firsts: list[np.ndarray], options: dict, workers: int, client=None) -> list[Plan]:
    """Each first stage imposed on every branch, the continuations solved (one batch of independent MIPs):
    its expected cost (None when some branch cannot complete it) and the tree's column vector."""
    n = len(p.cols)
    subs = [_sub(p, k, options, f"candidate{i}_branch{k}", first=f) for i, f in enumerate(firsts) for k in range(n)]
    res = solve_all(subs, workers, client)
    plans = []
    for i, f in enumerate(firsts):
        rs = res[i * n:(i + 1) * n]
        plan = Plan(f, branch_bounds=[r.bound for r in rs])
        if all(r.x is not None for r in rs):
            x = np.zeros(len(p.mx.c))
            for k, r in enumerate(rs):
                x[p.cols[k]] = r.x
            plan.x, plan.objective = x, float(p.mx.c @ x + p.mx.offset)
        plans.append(plan)
    return plans


def _bound(p: TreeParts, res: list[SubResult]) -> float | None:
    """Σ of the branches' dual bounds (under any prices summing to zero over the branches) + offset."""
    if any(r.bound is None for r in res):
        return None
    return float(p.mx.offset + sum(r.bound for r in res))


def solve_tree(tree: TreeModel, opts: Solver, own: list[dict] | None = None, lower_bound: float | None = None,
               extra: list[dict] | None = None, known: StartPlans | None = None, workers: int = 1, scheduler=None,
               lagrange_rounds: int = LAGRANGE_ROUNDS) -> SolveInfo:
    """Solve the tree (expected-NPV objective) by scenario decomposition (module doc); load the plan into
    the tree. `own`: each branch's first stage ((measure, variable, year) -> value) solved alone, in branch
    order, with `lower_bound` their proven wait-and-see bound Σ_k π_k (bound of branch k alone), MCNY;
    without them, round 0 solves every branch alone here. `extra`: more first stages to evaluate. `known`:
    a complete non-anticipative plan of the tree already solved (e.g. the expected-value plan completed in
    every branch): the first incumbent, its first stage not evaluated again. `scheduler`: a Dask address or
    Client; else `workers` local threads."""
    t0 = time.perf_counter()
    size = model_size(tree.m)
    mx = compile_model(tree.m)
    p = split_tree(tree, mx)
    handover = time.perf_counter() - t0
    own_client = isinstance(scheduler, str)
    client = connect(scheduler) if own_client else scheduler
    try:
        return _solve(tree, opts, p, own, lower_bound, extra or [], known, max(1, workers), client, lagrange_rounds,
                      t0, handover, size)
    finally:
        if own_client and client is not None:
            client.close()


def _solve(tree, opts, p: TreeParts, own, lower_bound, extra, known, workers, client, rounds, t0, handover, size):
    deadline = t0 + opts.time_limit
    budget = t0 + DECOMPOSE_SHARE * opts.time_limit  # candidates and Lagrangian rounds start only before this
    sub_opts = {"mip_rel_gap": opts.mip_rel_gap * SUB_GAP_SHARE, "threads": 1, "random_seed": opts.seed,
                "mip_feasibility_tolerance": 1e-7, "primal_feasibility_tolerance": 1e-8,
                "dual_feasibility_tolerance": 1e-8, "mip_heuristic_run_root_reduced_cost": False}
    n, m = len(p.cols), len(p.keys)
    fig: dict = {"method": "scenarios", "branches": n, "shared_decisions": m,
                 "coupling_rows": int(p.coupling.size)}
    highs_s = 0.0
    firsts: list[np.ndarray] = []
    seen: set[bytes] = set()
    best: Plan | None = None

    def add(f: np.ndarray) -> None:
        if _key(f) not in seen:
            seen.add(_key(f))
            firsts.append(f)

    if known is not None and len(known):  # a plan solved already: the first incumbent
        x = known.vectors(p.mx.columns)[0]
        best = Plan(_first_of(p, 0, x[p.cols[0]]), float(p.mx.c @ x + p.mx.offset), x)
        seen.add(_key(best.first))
        fig["known_plan_mcny"] = best.objective
    vector = lambda d: np.array([float(d.get(key, 0.0)) for key in p.keys])  # noqa: E731
    bound = lower_bound
    if own is None or lower_bound is None:  # round 0: every branch alone
        t1 = time.perf_counter()
        res = solve_all([_sub(p, k, {**sub_opts, "time_limit": _left(deadline)}, f"branch{k}") for k in range(n)],
                        workers, client)
        highs_s += time.perf_counter() - t1
        bound = _bound(p, res)
        if any(r.x is None for r in res):
            own = None
        else:
            own = [dict(zip(p.keys, _first_of(p, k, r.x), strict=True)) for k, r in enumerate(res)]
    last = None if own is None else np.array([vector(d) for d in own])  # the branches' answers at λ = 0
    for f in [*([] if last is None else last), *(vector(d) for d in extra)]:
        add(f)
    fig["wait_and_see_bound_mcny"] = bound
    closed = lambda: best is not None and bound is not None and _gap(best.objective, bound) <= opts.mip_rel_gap  # noqa: E731
    evaluated, done = 0, 0
    theta, lam, per_candidate = POLYAK_THETA, np.zeros((n, m)), 0.0
    g = None if last is None else last[1:] - last[0]  # subgradient of L at λ = 0 (the branches' own answers)
    chunk = max(1, -(-workers // n))  # candidates per batch: enough subproblems for every worker
    for rnd in range(rounds + 1):
        t1, count = time.perf_counter(), 0
        while done < len(firsts) and not closed() and (best is None or
                                                         time.perf_counter() + per_candidate <= budget):
            batch = firsts[done:done + chunk]
            t2 = time.perf_counter()
            for plan in evaluate(p, batch, {**sub_opts, "time_limit": _left(deadline)}, workers, client):
                if plan.objective is not None and (best is None or plan.objective < best.objective - 1e-9):
                    best = plan
            per_candidate = (time.perf_counter() - t2) / len(batch)
            done += len(batch)
            count += len(batch)
        highs_s += time.perf_counter() - t1
        evaluated += count
        fig[f"round{rnd}_evaluated"] = count
        fig[f"round{rnd}_evaluate_seconds"] = round(time.perf_counter() - t1, 3)
        fig[f"round{rnd}_best_mcny"] = None if best is None else best.objective
        fig[f"round{rnd}_bound_mcny"] = bound
        if best is None or bound is None or g is None or closed() or rnd == rounds \
                or time.perf_counter() + LAGRANGE_COST * per_candidate > budget:
            break
        # a Lagrangian round: price the shared decisions of branch k >= 1 by λ_k and those of branch 0 by -Σ λ_k
        # (the rows x_k - x_0 = 0 priced), a Polyak step from the best multipliers along their subgradient
        norm = float((g ** 2).sum())
        if norm <= 1e-12:
            break
        trial = lam.copy()
        trial[1:] += theta * (best.objective - bound) / norm * g
        trial[0] = -trial[1:].sum(axis=0)
        t1 = time.perf_counter()
        res = solve_all([_sub(p, k, {**sub_opts, "time_limit": max(budget - t1, 1.0)}, f"lagrange{rnd}_branch{k}",
                              price=trial[k]) for k in range(n)], workers, client)
        highs_s += time.perf_counter() - t1
        fig[f"round{rnd + 1}_lagrange_seconds"] = round(time.perf_counter() - t1, 3)
        lb = _bound(p, res)
        fig[f"round{rnd + 1}_lagrangian_mcny"] = lb
        if any(r.x is None for r in res):
            break
        answers = np.array([_first_of(p, k, r.x) for k, r in enumerate(res)])
        if lb is not None and lb > bound:
            lam, bound, g = trial, lb, answers[1:] - answers[0]
        else:
            theta /= 2
        for f in answers:
            add(f)
    fig.update(candidates=len(firsts), evaluated=evaluated, decomposition_seconds=round(time.perf_counter() - t0, 3))
    if best is not None:
        fig.update(objective_mcny=best.objective, bound_mcny=bound)
        if bound is not None:
            bound = min(bound, best.objective)
            fig["gap"] = _gap(best.objective, bound)
    if best is not None and fig.get("gap") is not None and fig["gap"] <= opts.mip_rel_gap:
        load_values(p.mx, best.x)
        return SolveInfo("optimal", "decomposition_gap_reached", best.objective, bound, fig["gap"],
                         time.perf_counter() - t0, True, *size, handover, highs_s, None, fig)
    # 4. the whole tree, started from the best plan, for the time left
    start = None
    if best is not None:
        start = StartPlans([{}], [{id(v): float(x) for v, x in zip(p.mx.columns, best.x, strict=True)}])
    rest = opts.model_copy(update={"time_limit": max(_left(deadline), 1.0), "heuristic": "off"})
    info = solve(tree.as_built(), rest, start_values=start, compiled=(p.mx, size))
    info.heuristic = fig
    info.handover_seconds += handover
    info.highs_seconds += highs_s
    info.solve_seconds = time.perf_counter() - t0
    if info.has_solution and bound is not None:
        b = min(max(bound, info.bound_mcny if info.bound_mcny is not None else bound), info.objective_mcny)
        info.bound_mcny, info.gap = b, _gap(info.objective_mcny, b)
        if info.status == "time_limit" and info.gap <= opts.mip_rel_gap:
            info.status = "optimal"
    return info


def _gap(objective: float, bound: float) -> float:
    return abs(objective - bound) / max(abs(objective), 1e-9)


def _left(deadline: float) -> float:
    return max(deadline - time.perf_counter(), 1.0)


def use_tree_decomposition(mode: str, tree: TreeModel, kind: str, known_gap: float | None, gap: float) -> bool:
    """`on`, `off`, or `auto`: on for the expected objective from DECOMPOSE_MIN_BINARIES binaries up, when the
    gap of the plan known before the tree (`known_gap`: the expected-value plan against the wait-and-see
    bound; None when there is none) is at most AUTO_GAP_FACTOR times the requested `gap`: then the
    candidates may close it; a wider gap is mostly EVPI, which only the whole tree's bound proves."""
    if mode == "off" or kind != "expected":
        return False
    if mode == "on":
        return True
    binaries = sum(1 for b in tree.branches for v in b.m.component_data_objects(pyo.Var) if v.is_binary()
                   and not v.fixed)
    return binaries >= DECOMPOSE_MIN_BINARIES and (known_gap is None or known_gap <= AUTO_GAP_FACTOR * gap)


__all__ = ["DECOMPOSE_MIN_BINARIES", "TreeParts", "evaluate", "solve_tree", "split_tree", "use_tree_decomposition"]
