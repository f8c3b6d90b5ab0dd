"""Model builder: core, then every registered measure, then rules and targets; objective = NPV.

The builder knows measure types only through the registry and the MeasureModel interface.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyomo.environ as pyo

from ..inputs import ModelInputs
from ..targets import TargetYear
from .core import Core
from .ledger import Ledger
from .measures import REGISTRY, MeasureModel
from .rules import add_rules
from .targets import add_targets

COST_CATEGORIES = ("capex", "fixed_om", "variable_om", "energy", "carbon_ets", "carbon_internal", "ppa_premium",
                   "certificates", "credits", "export_revenue", "salvage")


@dataclass
class BuiltModel:
    """A Pyomo model with the objects results need to read it."""

    m: pyo.ConcreteModel
    inp: ModelInputs
    core: Core
    ledger: Ledger
    measures: list[MeasureModel]
    targets: list[TargetYear]
    elastic: bool


def block_name(measure_id: str) -> str:
    return "measure_" + re.sub(r"[^A-Za-z0-9_]", "_", measure_id)


def build_model(inp: ModelInputs, targets: list[TargetYear], elastic: bool = False) -> BuiltModel:
    """Build the MILP. `elastic` frees target slacks and minimises relative shortfall instead of cost."""
    m = pyo.ConcreteModel(name=inp.scenario.name)
    ledger = Ledger()
    core = Core(m, inp)
    core.declare()
    measures: list[MeasureModel] = []
    for cfg in sorted((c for c in inp.scenario.measures if c.enabled), key=lambda c: c.id):
        mm = REGISTRY[cfg.kind](cfg, inp)
        blk = pyo.Block(concrete=True)
        m.add_component(block_name(cfg.id), blk)
        mm.block = blk
        mm.build(blk, core, ledger)
        measures.append(mm)
    core.close(ledger)
    add_rules(m, measures, inp, ledger)
    add_targets(m, core, ledger, inp, targets, elastic)
    m.cost = pyo.Expression(COST_CATEGORIES, m.T, rule=lambda m, c, t: ledger.total("cost", c, t),
                            doc="nominal cost by category and year, MCNY")
    m.npv = pyo.Expression(expr=sum(inp.df[t] * m.cost[c, t] for c in COST_CATEGORIES for t in inp.years))
    if elastic:
        weight = {r.key: 1.0 / max(r.base_tco2e * 1e-3, 1e-6) if r.target.type != "renewable_share" else 1.0
                  for r in targets}
        m.objective = pyo.Objective(expr=sum(weight[k] * m.target_slack[k] for k in m.K) * 1e3 + 1e-6 * m.npv)
    else:
        m.objective = pyo.Objective(expr=m.npv, sense=pyo.minimize)
    return BuiltModel(m, inp, core, ledger, measures, targets, elastic)
