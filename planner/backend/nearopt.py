"""Near-optimal probes on a built model: a cap on the NPV, another objective over the measures' adoption, and
a measure forbidden or forced (docs/robust.md; the components are named `alt.<name>` in docs/model.md §16).

They live on one block `alt` added to the model (`NearOptimal(built)`), so that the model itself is the one
the builder made; `restore()` removes the block and reactivates the cost objective.
"""

from __future__ import annotations

import pyomo.environ as pyo

from .builder import BuiltModel
from .measures.base import MeasureModel

MIN_VOLUME = 1e-3  # a contract counts as bought above this many model units (GWh, ktCO2e) over the horizon


def is_asset(mm: MeasureModel) -> bool:
    return isinstance(getattr(mm.block, "build", None), pyo.Var)


def indicator(mm: MeasureModel):
    """Expression that is positive exactly when the measure is adopted: its builds (assets), else the sum of
    its variables (contract volumes, all non-negative)."""
    blk = mm.block
    if is_asset(mm):
        return sum(blk.build[t] for t in blk.build)
    return sum(v for v in blk.component_data_objects(pyo.Var, descend_into=True))


def years_in_service(mm: MeasureModel):
    """Years the measure is in service over the horizon (assets; 0 for contracts)."""
    if not is_asset(mm):
        return 0
    return sum(mm.block.in_service[t] for t in mm.block.in_service)


class NearOptimal:
    """The `alt` block of a built model: NPV cap, objective over adoption and forbid/force rows."""

    def __init__(self, built: BuiltModel):
        self.built = built
        m = built.m
        if hasattr(m, "alt"):
            m.del_component("alt")
        self.blk = blk = pyo.Block(concrete=True)
        m.add_component("alt", blk)
        blk.cost_cap_mcny = pyo.Param(initialize=0.0, mutable=True, within=pyo.Reals, doc="largest NPV allowed, MCNY")
        blk.cost_cap = pyo.Constraint(expr=m.npv <= blk.cost_cap_mcny)
        blk.cost_cap.deactivate()
        blk.probe = pyo.ConstraintList(doc="a measure forbidden or forced")

    def cap(self, npv_mcny: float | None) -> None:
        """Cap the NPV (None: no cap)."""
        if npv_mcny is None:
            self.blk.cost_cap.deactivate()
            return
        self.blk.cost_cap_mcny.set_value(npv_mcny)
        self.blk.cost_cap.activate()

    def objective(self, expr=None, sense: str = "minimize") -> None:
        """Minimise or maximise `expr` instead of the NPV (None: the NPV again; 0: a feasibility problem)."""
        blk, m = self.blk, self.built.m
        if hasattr(blk, "objective"):
            blk.del_component("objective")
        if expr is None:
            m.objective.activate()
            return
        m.objective.deactivate()
        blk.objective = pyo.Objective(expr=expr, sense=pyo.maximize if sense == "maximize" else pyo.minimize)

    def forbid(self, mm: MeasureModel) -> None:
        self.blk.probe.add(indicator(mm) <= 0)

    def force(self, mm: MeasureModel) -> None:
        self.blk.probe.add(indicator(mm) >= (1 if is_asset(mm) else MIN_VOLUME))

    def clear_probe(self) -> None:
        self.blk.del_component("probe")
        self.blk.probe = pyo.ConstraintList(doc="a measure forbidden or forced")

    def restore(self) -> None:
        """Remove the block; the model minimises its NPV again."""
        self.built.m.del_component("alt")
        self.built.m.objective.activate()


def distance(plans: list[set[tuple[str, int]]], measures: list[MeasureModel]):
    """Sum over `plans` of the Hamming distance of the model's builds to each plan's (measure, year) builds."""
    expr = 0
    for mm in measures:
        if not is_asset(mm):
            continue
        for t in mm.block.build:
            x = mm.block.build[t]
            n_in = sum(1 for p in plans if (mm.id, t) in p)
            expr += n_in * (1 - x) + (len(plans) - n_in) * x
    return expr


__all__ = ["MIN_VOLUME", "NearOptimal", "distance", "indicator", "is_asset", "years_in_service"]
