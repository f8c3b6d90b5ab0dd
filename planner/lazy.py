"""`LazyModule`: a module imported on its first attribute access, so that a command-line start or a scenario
check that never needs a heavy library (pandas, Pyomo) never pays for its import."""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for the module `name` (`pyo = LazyModule("pyomo.environ")`): the first attribute read imports
    it; each attribute is then kept on this object, so later reads cost what a module attribute costs."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # introspection (copy, pickle, inspect) must not import the module
            raise AttributeError(attr)
        value = getattr(importlib.import_module(self._name), attr)
        setattr(self, attr, value)
        return value

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


__all__ = ["LazyModule"]
