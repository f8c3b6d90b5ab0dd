"""Which family of non-target constraints makes a model infeasible: each family's rows are switched off in
turn and the model re-solved; a family whose relaxation alone gives a solution is named in the error."""

from __future__ import annotations

import pyomo.environ as pyo

from ..schemas.scenario import Solver
from .builder import BuiltModel
from .solve import solve

RELAX_TIME_LIMIT_S = 30.0  # per trial solve: the diagnosis must not take much longer than the failed run

# family -> local names of its constraints (docs/model.md), in the order they are tried and named
FAMILIES: dict[str, tuple[str, ...]] = {
    "route shares (min_share/max_share)": ("production_share_min", "production_share_max"),
    "route capacity and ramp": ("production_capacity_max", "production_ramp_max"),
    "product balance of routes": ("product_balance",),
    "grid connection import/export limits": ("connection_import_max", "connection_export_max", "export_limit_max"),
    "budgets": ("capex_budget_max",),
    "adoption limits": ("adoptions_max", "exclusive_group_max", "build_count_max"),
    "prerequisites": ("prerequisite_in_service_max",),
}


def relaxing_families(built: BuiltModel, opts: Solver) -> list[str]:
    """The families of FAMILIES whose constraints, switched off alone, let the model solve (empty when none
    does or none is in the model). The model is left as it was."""
    trial = opts.model_copy(update={"time_limit": min(opts.time_limit, RELAX_TIME_LIMIT_S)})
    found = []
    for family, names in FAMILIES.items():
        rows = [c for c in built.m.component_objects(pyo.Constraint, active=True, descend_into=True)
                if c.local_name in names]
        if not rows:
            continue
        for c in rows:
            c.deactivate()
        try:
            if solve(built, trial).has_solution:
                found.append(family)
        finally:
            for c in rows:
                c.activate()
    return found
