"""Solve a built model with HiGHS (time limit, relative gap, seed, threads) and record the outcome."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import highspy
import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs

from ..schemas.scenario import Solver
from .builder import BuiltModel


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

    def to_dict(self) -> dict:
        return asdict(self)


def model_size(m: pyo.ConcreteModel) -> tuple[int, int, int]:
    """(variables, binaries, constraints) actually in the model (fixed variables excluded)."""
    nv = nb = 0
    for v in m.component_data_objects(pyo.Var, active=True):
        if v.fixed:
            continue
        nv += 1
        nb += v.is_binary()
    nc = sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True))
    return nv, nb, nc


_scheduler_threads: int | None = None


def _ensure_threads(threads: int) -> None:
    """HiGHS keeps one global thread scheduler per process, sized by the first solve; a later solve with
    another thread count fails. Reset it whenever the requested count changes."""
    global _scheduler_threads
    if _scheduler_threads not in (None, threads):
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = threads


def classify(tc: TerminationCondition, has_solution: bool) -> str:
    """Map the solver's termination to our status; a time-limited incumbent is never 'optimal'."""
    if tc == TerminationCondition.convergenceCriteriaSatisfied and has_solution:
        return "optimal"
    if tc in (TerminationCondition.provenInfeasible, TerminationCondition.infeasibleOrUnbounded):
        return "infeasible"
    limits = (TerminationCondition.maxTimeLimit, TerminationCondition.iterationLimit)
    if has_solution:
        return "time_limit" if tc in limits else "feasible"
    return "no_solution" if tc in limits else "error"


def solve(built: BuiltModel, opts: Solver, tee: bool = False) -> SolveInfo:
    """Solve with HiGHS; load the incumbent when there is one."""
    m = built.m
    nv, nb, nc = model_size(m)
    solver = Highs()
    _ensure_threads(opts.threads)
    t0 = time.perf_counter()
    res = solver.solve(
        m, tee=tee, load_solutions=False, raise_exception_on_nonoptimal_result=False,
        time_limit=opts.time_limit, rel_gap=opts.mip_rel_gap, threads=opts.threads,
        solver_options={"random_seed": opts.seed, "mip_feasibility_tolerance": 1e-7,
                        "primal_feasibility_tolerance": 1e-8, "dual_feasibility_tolerance": 1e-8},
    )
    secs = time.perf_counter() - t0
    tc = res.termination_condition
    has = res.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if has:
        res.solution_loader.load_vars()
    status = classify(tc, has)
    obj = float(res.incumbent_objective) if has and res.incumbent_objective is not None else None
    bound = res.objective_bound
    bound = float(bound) if bound is not None and abs(bound) != float("inf") else None
    gap = None
    if obj is not None and bound is not None:
        gap = abs(obj - bound) / max(abs(obj), 1e-9)
    return SolveInfo(status, str(tc.name), obj, bound, gap, secs, has, nv, nb, nc)
