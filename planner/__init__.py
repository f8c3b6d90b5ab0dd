"""Decarbonisation roadmap planner: scenario YAML -> GHG baseline -> MILP roadmap -> tidy results.

The public names are imported on first use (`planner.plan`, `from planner import load_scenario`), so that
`import planner` and the command line start without Pyomo, SciPy or pandas."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

_EXPORTS = {"Comparison": "api", "Plan": "api", "SweepResult": "api", "compare": "api", "plan": "api",
            "sweep": "api", "sweep_report": "api", "write_comparison": "api", "Scenario": "schemas",
            "load_scenario": "schemas", "validate": "preprocess.prepare", "template": "schemas.workbook",
            "convert": "schemas.workbook", "schema": "schemas.export",
            "robust": "api", "alternatives": "api", "robust_report": "api",
            "write_alternatives_comparison": "api"}  # name -> module that defines it

if TYPE_CHECKING:
    from .api import (
        Comparison,
        Plan,
        SweepResult,
        alternatives,
        compare,
        plan,
        robust,
        robust_report,
        sweep,
        sweep_report,
        write_alternatives_comparison,
        write_comparison,
    )
    from .preprocess.prepare import validate
    from .schemas import Scenario, load_scenario
    from .schemas.export import schema
    from .schemas.workbook import convert, template


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = ["Comparison", "Plan", "Scenario", "SweepResult", "__version__", "alternatives", "compare", "convert",
           "load_scenario", "plan", "robust", "robust_report", "schema", "sweep", "sweep_report", "template",
           "validate", "write_alternatives_comparison", "write_comparison"]
