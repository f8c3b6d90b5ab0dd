"""`pyo`: pyomo.environ, imported when a model is first built. The measure-kind modules (schema and model
in one module) use it, so that validating a scenario, which imports every kind, does not import Pyomo."""

from __future__ import annotations

from ..lazy import LazyModule

pyo = LazyModule("pyomo.environ")

__all__ = ["pyo"]
