"""Backend: the Pyomo MILP built from ModelInputs and its HiGHS solve (the only stage that imports Pyomo).

The names below are imported on first use: importing a submodule (the measure kinds, which validating a
scenario needs) does not import the builder, the solver or SciPy."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

EXPORTS = {"COST_CATEGORIES": "builder", "BuiltModel": "builder", "build_model": "builder", "REGISTRY": "measures",
           "SolveInfo": "solve", "solve": "solve",
           "relaxing_families": "relax", "build_for_solve": "sitebuild"}  # name -> submodule that defines it

if TYPE_CHECKING:
    from .builder import COST_CATEGORIES, BuiltModel, build_model
    from .measures import REGISTRY
    from .relax import relaxing_families
    from .sitebuild import build_for_solve
    from .solve import SolveInfo, solve


class _Backend(ModuleType):
    """The package module: exports resolved on first read; importing the submodule `solve` never hides the
    function `solve` (as the eager `from .solve import solve` did before)."""

    def __getattr__(self, name: str) -> Any:
        if name not in EXPORTS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(f".{EXPORTS[name]}", __name__), name)
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in EXPORTS and isinstance(value, ModuleType):
            return  # a submodule of the same name (`solve`): the export is read through __getattr__
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Backend

__all__ = ["COST_CATEGORIES", "REGISTRY", "BuiltModel", "SolveInfo", "build_for_solve", "build_model",
           "relaxing_families", "solve"]
