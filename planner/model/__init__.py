"""Model stage: Pyomo MILP built from ModelInputs (only this, solve and results import Pyomo)."""

from .builder import COST_CATEGORIES, BuiltModel, build_model

__all__ = ["COST_CATEGORIES", "BuiltModel", "build_model"]
