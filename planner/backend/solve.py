"""Solve a built model with HiGHS (time limit, relative gap, seed, threads) and record the outcome.

The model goes to HiGHS as one matrix (matrix.py). For portfolios the site decomposition (decompose.py)
finds a first plan and hands it to HiGHS as a MIP start; a run that hits its time limit returns the best
plan it has with its proven gap (docs/model.md §12).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, replace

import highspy
import numpy as np
import pyomo.environ as pyo

from ..schemas.scenario import Solver
from .builder import BuiltModel
from .matrix import Matrix, best_start, compile_model, load_values, release_freed_memory, set_start, to_highs

MS = highspy.HighsModelStatus
FALLBACK_SECONDS = 60.0  # time the decomposition may take past the limit when nothing was found in it
LIMITS = (MS.kTimeLimit, MS.kIterationLimit, MS.kSolutionLimit, MS.kInterrupt)
# HiGHS options chosen by measurement (docs/model.md §12, benchmarks/settings.py)
TUNED_OPTIONS = {"mip_heuristic_run_root_reduced_cost": False}
# with a start chosen among several plans (sweep anchors, docs/sweeps.md) the start is near-optimal and RENS
# sub-MIPs only cost time: 2.6x less HiGHS CPU on demo LHS variants (benchmarks/sweep_starts.py); and the
# restart HiGHS makes after root reduced-cost fixing skips a second presolve: 6% less CPU on 150 variants,
# the same objectives (python benchmarks/sweep_starts.py --settings chosen,chosen+restart_presolve); and
# presolve without probing and enumeration (presolve_rule_off bits 15, 16): 13-18% less CPU on 60 variants,
# the same objectives (docs/sweeps.md, "Solver settings"; --settings chosen,chosen+presolve_probing)
CHOSEN_START_OPTIONS = {"mip_heuristic_run_rens": False, "restart_presolve_reduction_limit": 0,
                        "presolve_rule_off": 2**15 + 2**16}
# and the rows and continuous columns rescaled by a power of two (`row_scale`): HiGHS's cut rounds prove the gap
# in fewer rounds on the rescaled (exactly equivalent) model: 1.40x less CPU on 100 demo LHS variants, the same
# objectives (docs/sweeps.md, "Eighth sitting"; python benchmarks/sweep_starts.py --settings chosen,chosen+unscaled)
ROW_BOUND_TARGET_LOG2 = 3  # the largest finite row bound is brought into [2**3, 2**4)
ROW_SCALE_MAX_LOG2 = 6  # at most 2**-6, the largest factor measured to help (2**-10 was 3x slower on the demo)


def row_scale(mx: Matrix) -> float:
    """The power of two s <= 1 that brings the largest finite |row bound| into [8, 16), at most 2**-6 (1: the
    bounds are already below 16)."""
    b = np.abs(np.concatenate([mx.row_lower, mx.row_upper]))
    b = b[np.isfinite(b) & (b < highspy.kHighsInf)]
    if not b.size or b.max() <= 0:
        return 1.0
    k = min(math.floor(math.log2(float(b.max()))) - ROW_BOUND_TARGET_LOG2, ROW_SCALE_MAX_LOG2)
    return 2.0 ** -k if k > 0 else 1.0


def scaled(mx: Matrix, s: float) -> tuple[Matrix, np.ndarray]:
    """The same model in other units: every row times s and every continuous column x' = s x (bounds times s,
    cost divided by s), so that the objective keeps its units and integer columns stay integer. With s a power
    of two every number is scaled exactly. Returns the model and the per-column factor (x' = factor * x)."""
    f = np.where(mx.integer, 1.0, s)
    a = mx.A.copy()  # the same structure and order of entries: each row's activity is summed as before
    a.data = a.data * (s / f)[a.indices]
    return replace(mx, c=mx.c / f, A=a, row_lower=mx.row_lower * s, row_upper=mx.row_upper * s,
                   col_lower=mx.col_lower * f, col_upper=mx.col_upper * f), f


def chosen_start_model(mx: Matrix, options: dict) -> tuple[Matrix, np.ndarray | None, dict]:
    """What HiGHS solves from a chosen start: the model rescaled by `row_scale` (or mx itself when s = 1),
    the per-column factor (None when not rescaled) and the options on top of `options`: CHOSEN_START_OPTIONS
    and the primal and MIP feasibility tolerances times s (the same tolerances in the model's own units)."""
    s = row_scale(mx)
    if s == 1.0:
        return mx, None, dict(CHOSEN_START_OPTIONS)
    hmx, units = scaled(mx, s)
    return hmx, units, {**CHOSEN_START_OPTIONS, "mip_feasibility_tolerance": options["mip_feasibility_tolerance"] * s,
                        "primal_feasibility_tolerance": options["primal_feasibility_tolerance"] * s}


@dataclass
class StartPlans:
    """MIP start plans of one built model: by variable name (as given) and by id of the model's variables
    (looked up per solve; ids stay valid while the model lives)."""

    by_name: list[dict[str, float]]
    by_id: list[dict[int, float]]
    _cached: tuple[list, list[np.ndarray]] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, m: pyo.ConcreteModel, plans: list[dict[str, float]]) -> StartPlans:
        variables = list(m.component_data_objects(pyo.Var))
        return cls(plans, [{id(v): p[v.name] for v in variables if v.name in p} for p in plans])

    def __len__(self) -> int:
        return len(self.by_name)

    def vectors(self, columns: list) -> list[np.ndarray]:
        """One column vector per plan (a variable a plan lacks starts at 0); kept for the last column list
        (a patched matrix keeps its columns: resolve.Resolver)."""
        if self._cached is None or self._cached[0] is not columns:
            self._cached = (columns, [np.fromiter((d.get(id(v), 0.0) for v in columns), float, len(columns))
                                      for d in self.by_id])
        return [x.copy() for x in self._cached[1]]


@dataclass
class SolveInfo:
    """What the solver reported. status: optimal | time_limit | infeasible | no_solution | error."""

    status: str
    termination: str
    objective_mcny: float | None
    bound_mcny: float | None
    gap: float | None
    solve_seconds: float
    has_solution: bool
    n_variables: int
    n_binaries: int
    n_constraints: int
    handover_seconds: float = 0.0  # Pyomo model -> HiGHS matrix
    highs_seconds: float = 0.0  # inside HiGHS (every run: LP, subproblems, repair, full model), wall
    first_plan_seconds: float | None = None  # from the start of the solve to the first feasible plan
    heuristic: dict = field(default_factory=dict)  # the decomposition's figures, when it ran

    def to_dict(self) -> dict:
        return asdict(self)


def model_size(m: pyo.ConcreteModel) -> tuple[int, int, int]:
    """(variables, binaries, constraints) actually in the model (fixed variables excluded). Whether a
    variable is binary depends on its domain only: looked up once per domain object."""
    nv = nb = 0
    binary: dict[int, bool] = {}
    for v in m.component_data_objects(pyo.Var, active=True):
        if v.fixed:
            continue
        nv += 1
        k = binary.get(id(v.domain))
        if k is None:
            k = binary[id(v.domain)] = v.is_binary()
        nb += k
    nc = sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True))
    return nv, nb, nc


_scheduler_threads: int | None = None


def ensure_threads(threads: int) -> None:
    """HiGHS keeps one global thread scheduler per process, sized by the first solve; a later solve with
    another thread count fails. Reset it whenever the requested count changes."""
    global _scheduler_threads
    if _scheduler_threads not in (None, threads):
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = threads


def classify(status: MS, has_solution: bool) -> str:
    """Map HiGHS's model status to ours; a time-limited incumbent is never 'optimal'."""
    if status == MS.kOptimal and has_solution:
        return "optimal"
    if status in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        return "infeasible"
    if has_solution:
        return "time_limit" if status in LIMITS else "feasible"
    return "no_solution" if status in LIMITS else "error"


def highs_options(opts: Solver, time_limit: float | None = None) -> dict:
    return {"random_seed": opts.seed, "threads": opts.threads, "mip_rel_gap": opts.mip_rel_gap,
            "time_limit": float(opts.time_limit if time_limit is None else time_limit),
            "mip_feasibility_tolerance": 1e-7, "primal_feasibility_tolerance": 1e-8,
            "dual_feasibility_tolerance": 1e-8, **TUNED_OPTIONS}


def use_decomposition(opts: Solver, built: BuiltModel, scheduler: str | None = None) -> bool:
    """`sites` always, `off` never, `auto` from DECOMPOSE_MIN_SITES sites up (measured break-even) or when
    a Dask scheduler is given (the user asked for the subproblems to run there)."""
    from .decompose import DECOMPOSE_MIN_SITES

    if opts.heuristic == "off" or built.elastic:
        return False
    return opts.heuristic == "sites" or scheduler is not None or len(built.inp.sites) >= DECOMPOSE_MIN_SITES


def solve(built: BuiltModel, opts: Solver, tee: bool = False, scheduler: str | None = None,
          start_values: StartPlans | None = None,
          compiled: tuple[Matrix, tuple[int, int, int]] | None = None) -> SolveInfo:
    """Solve with HiGHS; load the best plan found into the model when there is one. `start_values`: plans
    offered to HiGHS as a MIP start (sweeps: the base scenario's and the anchors'; a variable a plan lacks
    starts at 0). With several plans, the one whose integer values give the cheapest feasible LP is
    completed by that LP and offered, and RENS is switched off (CHOSEN_START_OPTIONS). `compiled`: the
    model's current matrix and `model_size` when the caller keeps them (resolve.Resolver), else compiled
    here."""
    t0 = time.perf_counter()
    if compiled is None:
        nv, nb, nc = model_size(built.m)
        mx = compile_model(built.m)
    else:
        mx, (nv, nb, nc) = compiled
    handover = time.perf_counter() - t0
    release_freed_memory()  # the compiler's garbage, before the decomposition's threads allocate
    ensure_threads(opts.threads)
    heur: dict = {}
    highs_s = 0.0
    first = None
    start = None
    x0 = None
    chosen_options: dict = {}
    if start_values is not None and mx.integer.any():
        vectors = start_values.vectors(mx.columns)
        x0 = vectors[0] if vectors else None
        if len(vectors) > 1:
            t_lp = time.perf_counter()
            chosen, _obj = best_start(mx, vectors, highs_options(opts))
            highs_s += time.perf_counter() - t_lp
            if chosen is not None:
                x0 = chosen
                chosen_options = CHOSEN_START_OPTIONS
    if use_decomposition(opts, built, scheduler) and mx.integer.any():
        from .decompose import first_plan

        plan = first_plan(built, mx, opts, deadline=t0 + opts.time_limit, scheduler=scheduler)
        heur, highs_s, start = plan.figures, plan.highs_seconds, plan.x
        if start is not None:
            first = time.perf_counter() - t0
        release_freed_memory()  # the site problems' garbage (in the pool threads' arenas)
    left = opts.time_limit - (time.perf_counter() - t0)
    proven = heur.get("gap") is not None and heur["gap"] <= opts.mip_rel_gap
    if proven:
        return _finish(built, mx, None, start, heur, t0, handover, highs_s, first, (nv, nb, nc), opts.mip_rel_gap)
    # the whole model goes to HiGHS only now: a decomposition that proves the gap never needs it, and at 1,000
    # sites its copy of the matrix would sit in memory through the decomposition's peak
    hmx, units = mx, None  # units: per-column factor of the rescaled model HiGHS solves from a chosen start
    if chosen_options:
        hmx, units, chosen_options = chosen_start_model(mx, highs_options(opts))
    h = to_highs(hmx, highs_options(opts))
    if tee:
        h.setOptionValue("output_flag", True)
    for k, v in chosen_options.items():
        h.setOptionValue(k, v)
    for x in (x0, start):
        if x is not None:
            set_start(h, x if units is None else x * units)
    h.setOptionValue("time_limit", max(left, 1.0))
    t1 = time.perf_counter()
    found: list[float] = []
    if first is None and mx.integer.any():
        h.cbMipImprovingSolution.subscribe(lambda *_: found.append(time.perf_counter() - t0) if not found else None)
    h.run()
    first = found[0] if found else first
    highs_s += time.perf_counter() - t1
    if start is None and h.getInfo().primal_solution_status != 2 and h.getModelStatus() in LIMITS \
            and mx.integer.any() and not built.elastic and opts.heuristic != "off":
        # nothing found within the limit: the decomposition runs once past it so that the user gets a plan
        from .decompose import first_plan

        plan = first_plan(built, mx, opts, deadline=time.perf_counter() + max(opts.time_limit, FALLBACK_SECONDS),
                          scheduler=scheduler)
        heur, start = {**plan.figures, "after_time_limit": True}, plan.x
        highs_s += plan.highs_seconds
        if start is not None:
            first = time.perf_counter() - t0
    return _finish(built, mx, h, start, heur, t0, handover, highs_s, first, (nv, nb, nc), opts.mip_rel_gap, units,
                   chosen=bool(chosen_options))


def _finish(built, mx: Matrix, h, start, heur, t0, handover, highs_s, first, size, rel_gap: float,
            units: np.ndarray | None = None, chosen: bool = False) -> SolveInfo:
    """Read HiGHS's result (or the heuristic's proven plan when h is None) and load the plan. `units`: the
    per-column factor of a rescaled model (`scaled`); HiGHS's solution is divided by it. `chosen`: a solve from
    a chosen start, where a dual bound equal to the plan's objective is replaced by the gap limit (below)."""
    if h is None:
        obj, bound = heur["objective_mcny"], heur["bound_mcny"]
        load_values(mx, start)
        gap = abs(obj - bound) / max(abs(obj), 1e-9)
        status = "optimal"  # proven within the requested gap, as HiGHS's own 'optimal' is
        return SolveInfo(status, "heuristic_gap_reached", obj, bound, gap, time.perf_counter() - t0, True, *size,
                         handover, highs_s, first, heur)
    st = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has else None
    if x is not None and units is not None:
        x = x / units
    if x is None and start is not None:  # HiGHS kept nothing better than the start (or lost it): use the start
        x, has = start, True
    status = classify(st, has)
    obj = bound = gap = None
    if has:
        load_values(mx, x)
        obj = float(mx.c @ x + mx.offset)
        if mx.integer.any():
            b = info.mip_dual_bound
            bound = float(b) if np.isfinite(b) and abs(b) < highspy.kHighsInf else None
            if chosen and rel_gap > 0 and bound is not None and st == MS.kOptimal and bound >= obj - 1e-9 * abs(obj):
                # HiGHS reports its incumbent as the bound when it pruned the root against its gap limit, which
                # proves only the limit (docs/sweeps.md, "Eighth sitting"): the limit is the bound stored
                bound = obj - rel_gap * abs(obj)
        else:
            bound = obj if status == "optimal" else None
        if heur.get("bound_mcny") is not None:
            bound = max(bound, heur["bound_mcny"]) if bound is not None else heur["bound_mcny"]
        if bound is not None:
            bound = min(bound, obj)
            gap = abs(obj - bound) / max(abs(obj), 1e-9)
            if status == "time_limit" and mx.integer.any() and gap <= rel_gap:
                # HiGHS checks its limits before its node queue, never its gap: a plan that closes the gap
                # in the last batch ends as kTimeLimit; proven within the requested gap is 'optimal' here as
                # everywhere (the termination keeps HiGHS's word)
                status = "optimal"
    if first is None and has:
        first = time.perf_counter() - t0  # an LP, or a plan found only at the end
    return SolveInfo(status, st.name, obj, bound, gap, time.perf_counter() - t0, has, *size, handover, highs_s,
                     first, heur)
