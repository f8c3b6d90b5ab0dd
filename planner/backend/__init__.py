"""Backend: the Pyomo MILP built from ModelInputs and its HiGHS solve (the only stage that imports Pyomo)."""

from .builder import COST_CATEGORIES, BuiltModel, build_model
from .measures import REGISTRY
from .solve import SolveInfo, solve

__all__ = ["COST_CATEGORIES", "REGISTRY", "BuiltModel", "SolveInfo", "build_model", "solve"]
