"""The stochastic roadmap: a two-stage scenario tree solved as one model (docs/robust.md).

Per branch the scenario is solved alone (its own optimum: the wait-and-see value), the average branch is
solved alone (its plan before the split: the expected-value plan), then the tree: every branch's model in
one, the investment decisions before the split shared (backend/tree.py). The expected-value plan is imposed
on the tree first (EEV: the branches decouple and are solved one by one); completed so, it starts the
tree's solve, which minimises the expected NPV, a CVaR blend or the largest regret. Results: the commit-now
plan, each branch's continuation, EVPI = E[NPV of the stochastic plan] - wait-and-see, and VSS = objective
of the expected-value plan - objective of the stochastic plan, with the ranges the solves' bounds prove.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...backend import build_model, solve
from ...backend.resolve import plan_by_name
from ...backend.solve import SolveInfo
from ...backend.tree import TreeModel, build_tree, decisions, fix_decisions
from ...backend.treedecomp import solve_tree, use_tree_decomposition
from ...errors import InputError, SolverError
from ...postprocess.results import plan_emissions, roadmap
from ...preprocess.prepare import prepare
from ...run import infeasible
from ...schemas import Scenario, load_scenario
from ...schemas.branches import TreeSpec, read_branch_file, sweep_parameters, tree_spec
from ...units import MCNY_TO_CNY
from ..sweep.design import to_value
from .pool import Pool

REGRET_TOLERANCE = 1e-6  # relative: the second pass of minimax regret keeps the regret within this of its minimum


def load_tree(path: str | Path, base: Scenario) -> TreeSpec:
    """A branches file resolved on `base`: explicit branches, or drawn from a sweep file's distributions
    (Latin hypercube, seed of the file)."""
    from scipy.stats import qmc

    path = Path(path)
    bf = read_branch_file(path)
    drawn = None
    if bf.sample is not None:
        params = sweep_parameters(bf, path.resolve().parent, str(path))
        u = qmc.LatinHypercube(d=len(params), seed=bf.sample.seed).random(bf.sample.count)
        cols = [to_value(p, u[:, j]) for j, p in enumerate(params)]
        drawn = (params, [{p.label: float(cols[j][i]) for j, p in enumerate(params)}
                          for i in range(bf.sample.count)])
    return tree_spec(bf, base, str(path), drawn)


@dataclass
class RobustResult:
    """What the stochastic roadmap found; frames are tidy with units in their column names."""

    summary: dict
    branches: pd.DataFrame  # one row per branch: probability, parameter values, NPVs and regret
    commit_now: pd.DataFrame  # the shared plan: builds before the split year, capex the branches' expected
    continuations: pd.DataFrame  # each branch's builds from the split year on
    average_plan: pd.DataFrame  # the expected-value plan's builds before the split year
    decisions: pd.DataFrame  # every shared decision's value in every branch (equal: non-anticipativity)
    own_plans: pd.DataFrame  # each branch's own optimum (wait-and-see): its builds
    emissions: pd.DataFrame  # per branch under the stochastic plan: year, scope, tco2e (consolidated), the fan
    files: list[Path] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"robust_branches": self.branches, "robust_commit_now": self.commit_now,
                "robust_continuations": self.continuations, "robust_average_plan": self.average_plan,
                "robust_decisions": self.decisions, "robust_own_plans": self.own_plans,
                "robust_emissions": self.emissions}

    def write(self, out_dir: str | Path, langs: tuple[str, ...] = ("en",)) -> list[Path]:
        from .write import write_robust

        self.files = write_robust(self, Path(out_dir), langs)
        return self.files


@dataclass
class BranchSolve:
    """One scenario solved alone (a branch, the average branch, or a branch with decisions imposed)."""

    status: str
    npv_mcny: float | None
    bound_mcny: float | None
    builds: pd.DataFrame | None  # its roadmap's builds
    shared: dict  # its decisions before the split year: (measure, variable, year) -> value
    plan: dict[str, float] | None  # every variable by name (when asked: a start for the tree)
    built: object = None  # the solved model, when solved in this process and asked to keep it


def solve_branch(task: tuple) -> BranchSolve:
    """Task (scenario, what, split year, decisions to impose or None, want the plan, keep the model):
    build and solve the scenario alone. Module-level, so that worker processes and Dask can run it."""
    sc, what, split, fixed, want_plan, keep = task
    pre = prepare(sc)
    built = build_model(pre.inputs, pre.targets)
    if fixed is not None:
        fix_decisions(built, split, fixed)
    info = solve(built, sc.solver.model_copy(update={"heuristic": "off"}))
    if info.status == "infeasible" and fixed is None:
        raise infeasible(sc.model_copy(update={"name": f"{sc.name} ({what})"}), pre.inputs, pre.targets)
    if info.status == "infeasible" or not info.has_solution:
        if fixed is None:
            raise SolverError(f"{sc.name} ({what}): solver stopped without a solution ({info.termination})")
        return BranchSolve(info.status, None, None, None, {}, None)
    npv = float(built.value(built.m.npv))
    shared = {k: float(built.value(v)) for k, v in decisions(built, split).items()}
    return BranchSolve(info.status, npv, _bound(info, npv), _builds(built), shared,
                       plan_by_name(built) if want_plan else None, built if keep else None)


def _solve_tree(tree: TreeModel, opts, spec: TreeSpec, own: list[float], start, name: str) -> SolveInfo | None:
    """Solve the tree for the file's risk objective from `start` (minimax regret: the smallest largest
    regret, then the least expected NPV within it). None when the tree is infeasible."""
    r = spec.risk
    tree.set_objective(r.objective, r.cvar_weight, r.cvar_alpha, own)
    info = solve(tree.as_built(), opts, start_values=start)
    if info.status == "infeasible":
        return None
    if not info.has_solution:
        raise SolverError(f"{name} (tree): solver stopped without a solution ({info.termination}); raise "
                          "--time-limit")
    if r.objective == "regret":
        cap = info.objective_mcny + REGRET_TOLERANCE * max(abs(info.objective_mcny), 1.0)
        tree.set_objective("expected", own_npv=own, regret_cap=cap)
        info2 = solve(tree.as_built(), opts, start_values=tree.current())
        if info2.has_solution and info2.status != "infeasible":
            info2.solve_seconds += info.solve_seconds
            return info2
        tree.set_objective("regret", own_npv=own)
        info = solve(tree.as_built(), opts, start_values=start)
    return info


def cvar(values: list[float], probs: list[float], alpha: float) -> float:
    """CVaR_alpha of a discrete cost distribution: the mean of its worst (1 - alpha) probability mass."""
    mass, acc, tot = 1.0 - alpha, 0.0, 0.0
    for v, p in sorted(zip(values, probs, strict=True), reverse=True):
        take = min(p, mass - acc)
        if take <= 0:
            break
        tot, acc = tot + take * v, acc + take
    return tot / mass


def risk_value(npv: list[float], probs: list[float], own: list[float], risk) -> float:
    """The tree objective of branch NPVs (MCNY); non-decreasing in each NPV, so with the shared decisions
    fixed each branch's least NPV gives the least objective."""
    expected = sum(p * v for p, v in zip(probs, npv, strict=True))
    if risk.objective == "regret":
        return max(v - o for v, o in zip(npv, own, strict=True))
    if risk.objective == "cvar":
        return (1 - risk.cvar_weight) * expected + risk.cvar_weight * cvar(npv, probs, risk.cvar_alpha)
    return expected


def _bound(info: SolveInfo, value: float) -> float:
    """The proven lower bound of a solve (its objective when it reports none), MCNY."""
    return value if info.bound_mcny is None else min(info.bound_mcny, value)


def _builds(built, before: int | None = None, after: int | None = None) -> pd.DataFrame:
    df = roadmap(built)
    df = df[df.action == "build"]
    if before is not None:
        df = df[df.year < before]
    if after is not None:
        df = df[df.year >= after]
    return df.reset_index(drop=True)


def _expected_capex(built: list, probs, split: int) -> pd.DataFrame:
    """The commit-now builds (equal in every branch) with capex_cny the probability-weighted mean of the
    branches' capex (a branch may scale capex)."""
    now = _builds(built[0], before=split)
    keys = ["measure", "site", "year"]
    each = [_builds(b, before=split).set_index(keys).capex_cny * p for b, p in zip(built, probs, strict=True)]
    mean = pd.concat(each).groupby(level=keys, sort=False).sum()
    return now.assign(capex_cny=[float(mean[k]) for k in now[keys].itertuples(index=False, name=None)])


def _solve_alone(spec: TreeSpec, pool: Pool) -> tuple[list[BranchSolve], BranchSolve, list[BranchSolve]]:
    """(each branch alone: its own optimum, the average branch: the expected-value plan, each branch with
    that plan's decisions before the split imposed: the EEV and, together, a feasible start for the tree)."""
    split, keep = spec.split_year, pool.local
    named = list(zip(spec.names, spec.scenarios, strict=True))
    alone = pool.map(solve_branch, [*((bsc, f"branch {n}", split, None, False, keep) for n, bsc in named),
                                    (spec.mean_scenario, "average branch", split, None, False, False)])
    mean = alone.pop()
    eev = pool.map(solve_branch, [(bsc, f"branch {n}", split, mean.shared, True, False) for n, bsc in named])
    return alone, mean, eev


def robust(scenario: Scenario | str | Path, branches: str | Path | TreeSpec, objective: str | None = None,
           out_dir: str | Path | None = None, langs: tuple[str, ...] = ("en",),
           time_limit: float | None = None, workers: int = 1, scheduler=None,
           decompose: str = "auto") -> RobustResult:
    """Solve the stochastic roadmap of `scenario` over the tree of a branches file (docs/robust.md).
    `objective` overrides the file's `risk.objective` (expected | cvar | regret); `time_limit` (s) that of
    each solve of the tree (default: the scenario's). The branches' solves alone run on `workers` local
    processes or on the Dask cluster of `scheduler` (an address or Client). `decompose` (auto | on | off):
    solve the tree by scenario decomposition (backend/treedecomp.py; its subproblems on the same workers:
    the Dask cluster, else max(workers, solver threads) local threads) or as one MIP; `auto` decomposes
    expected-NPV trees from DECOMPOSE_MIN_BINARIES binaries up."""
    t0 = time.perf_counter()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    spec = branches if isinstance(branches, TreeSpec) else load_tree(branches, sc)
    if objective is not None:
        if objective not in ("expected", "cvar", "regret"):
            raise InputError("--objective", "", f"expected expected, cvar or regret, got {objective!r}")
        spec = TreeSpec(**{**spec.__dict__, "risk": spec.risk.model_copy(update={"objective": objective})})
    split, kind = spec.split_year, spec.risk.objective
    if decompose not in ("auto", "on", "off"):
        raise InputError("--decompose", "", f"expected auto, on or off, got {decompose!r}")
    if decompose == "on" and kind != "expected":
        raise InputError("--decompose", "", f"the scenario decomposition needs the expected objective, not {kind}")
    with Pool(workers, scheduler) as pool:
        alone, mean, eev_runs = _solve_alone(spec, pool)
    here = pool.local  # solved in this process: the branch models are kept for the tree
    own = [a.npv_mcny for a in alone]
    own_bound = [a.bound_mcny for a in alone]
    own_plans = [a.builds for a in alone]
    average_plan = mean.builds[mean.builds.year < split].reset_index(drop=True)
    feasible = all(r.npv_mcny is not None for r in eev_runs)
    probs, risk = list(spec.probabilities), spec.risk
    eev = eev_expected = None
    eev_npv: list[float | None] = [r.npv_mcny for r in eev_runs] if feasible else [None] * len(eev_runs)
    eev_bound = [r.bound_mcny for r in eev_runs]
    if feasible:
        eev = risk_value(eev_npv, probs, own, risk)
        eev_expected = sum(p * v for p, v in zip(probs, eev_npv, strict=True))
    # 3. the tree
    opts = sc.solver.model_copy(update={"heuristic": "off"})
    if time_limit is not None:
        opts = opts.model_copy(update={"time_limit": time_limit})
    t_tree = time.perf_counter()
    built = [a.built for a in alone] if here else []
    if not here:
        for bsc in spec.scenarios:
            pre = prepare(bsc)
            built.append(build_model(pre.inputs, pre.targets))
    try:
        tree = build_tree(built, list(spec.probabilities), split)
    except ValueError as exc:  # a branch that changes which decisions exist (e.g. a measure's earliest year)
        raise InputError(spec.file, "branches", str(exc)) from None
    build_s = time.perf_counter() - t_tree
    start = tree.start([r.plan for r in eev_runs]) if feasible else None
    lower = sum(p * b for p, b in zip(spec.probabilities, own_bound, strict=True))  # wait-and-see bound
    known_gap = None if eev_expected is None else abs(eev_expected - lower) / max(abs(eev_expected), 1e-9)
    decomposed = use_tree_decomposition(decompose, tree, kind, known_gap, opts.mip_rel_gap)
    if decomposed:  # the branches alone are the bound and propose the candidates; the EEV plan is the incumbent
        info = solve_tree(tree, opts, own=[a.shared for a in alone], lower_bound=lower, known=start,
                          workers=max(workers, opts.threads), scheduler=scheduler)
        if info.status == "infeasible":
            info = None
        elif not info.has_solution:
            raise SolverError(f"{sc.name} (tree): solver stopped without a solution ({info.termination}); raise "
                              "--time-limit")
    else:
        info = _solve_tree(tree, opts, spec, own, start, sc.name)
    if info is None:
        raise infeasible(sc.model_copy(update={"name": f"{sc.name} (tree)"}), built[0].inp, built[0].targets)
    npv = [tree.npv(k) for k in range(len(built))]
    rp = risk_value(npv, probs, own, risk)
    expected = sum(p * v for p, v in zip(probs, npv, strict=True))
    cvar_now = cvar(npv, probs, risk.cvar_alpha) if kind == "cvar" else None
    commit = _expected_capex(built, probs, split)
    cont = pd.concat([_builds(b, after=split).assign(branch=n) for b, n in zip(built, spec.names, strict=True)],
                     ignore_index=True)
    shared = pd.DataFrame([{"branch": n, "measure": key[0], "variable": key[1], "year": key[2], "value": x}
                           for k, n in enumerate(spec.names) for key, x in tree.shared(k).items()],
                          columns=["branch", "measure", "variable", "year", "value"])
    ws = sum(p * o for p, o in zip(probs, own, strict=True))
    ws_bound = sum(p * o for p, o in zip(probs, own_bound, strict=True))
    # ranges proven by the solves' bounds (each solve stops within its MIP gap): EVPI* = RP* - WS* and
    # VSS* = EEV* - RP*, with RP* in [bound, objective] of the tree solve, and so on (the objective is
    # non-decreasing in each branch's NPV, so the branches' bounds bound the EEV)
    # (both are >= 0 in exact arithmetic: the lower ends are clipped at 0)
    rp_bound = _bound(info, rp) if kind != "regret" else rp
    evpi_range = (expected - ws, expected - ws_bound) if kind != "expected" else (rp_bound - ws, rp - ws_bound)
    evpi_range = (max(evpi_range[0], 0.0), max(evpi_range[1], 0.0))
    vss_range = None
    if eev is not None and kind != "regret":
        vss_range = (max(risk_value(eev_bound, probs, own, risk) - rp, 0.0), max(eev - rp_bound, 0.0))
    params = sorted({k for v in spec.values for k in v})
    rows = []
    for k, name in enumerate(spec.names):
        rows.append({"branch": name, "probability": spec.probabilities[k],
                     **{f"value_{p}": spec.values[k].get(p) for p in params},
                     "own_npv_cny": own[k] * MCNY_TO_CNY, "stochastic_npv_cny": npv[k] * MCNY_TO_CNY,
                     "regret_cny": (npv[k] - own[k]) * MCNY_TO_CNY,
                     "average_plan_npv_cny": None if eev_npv[k] is None else eev_npv[k] * MCNY_TO_CNY,
                     "own_builds": len(own_plans[k])})
    cny = lambda x: None if x is None else x * MCNY_TO_CNY  # noqa: E731
    summary = {
        "scenario": sc.name, "branches_file": spec.file, "split_year": split, "objective": kind,
        "cvar_weight": spec.risk.cvar_weight if kind == "cvar" else None,
        "cvar_alpha": spec.risk.cvar_alpha if kind == "cvar" else None, "branches": len(built),
        "objective_cny": cny(rp), "expected_npv_cny": cny(expected), "cvar_cny": cny(cvar_now),
        "max_regret_cny": cny(max(v - o for v, o in zip(npv, own, strict=True))),
        "wait_and_see_cny": cny(ws), "evpi_cny": cny(expected - ws),
        "evpi_range_cny": [cny(x) for x in evpi_range],
        "vss_range_cny": None if vss_range is None else [cny(x) for x in vss_range],
        "eev_objective_cny": cny(eev), "eev_expected_npv_cny": cny(eev_expected),
        "vss_cny": cny(None if eev is None else eev - rp),
        "average_plan_feasible": eev is not None,
        "average_values": spec.mean_values, "commit_now_builds": len(commit),
        "shared_decisions": len(decisions(built[0], split)),
        "tree_variables": info.n_variables, "tree_binaries": info.n_binaries, "tree_constraints": info.n_constraints,
        "tree_build_seconds": build_s, "tree_solve_seconds": info.solve_seconds, "tree_gap": info.gap,
        "tree_status": info.status, "tree_method": "decomposition" if decomposed else "whole",
        "tree_bound_cny": cny(info.bound_mcny), "tree_decomposition": info.heuristic if decomposed else None,
        "tree_highs_seconds": info.highs_seconds, "wall_seconds": time.perf_counter() - t0,
    }
    own_frame = pd.concat([f.assign(branch=n) for f, n in zip(own_plans, spec.names, strict=True)],
                          ignore_index=True)
    fan = pd.concat([plan_emissions(b).groupby(["year", "scope"], as_index=False).tco2e.sum().assign(branch=n)
                     for b, n in zip(built, spec.names, strict=True)], ignore_index=True)
    res = RobustResult(summary, pd.DataFrame(rows), commit, cont, average_plan, shared, own_frame,
                       fan[["branch", "year", "scope", "tco2e"]])
    if out_dir is not None:
        res.write(out_dir, langs)
    return res


__all__ = ["RobustResult", "load_tree", "robust"]
