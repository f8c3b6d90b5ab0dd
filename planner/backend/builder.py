"""Model builder: core, then every enabled measure (build, then link), then the core balances, rules and
targets; objective = NPV of the registered cost terms.

The builder knows measure kinds only through the registry and the MeasureModel interface. Order:
1. `core.declare()`: sets, mutable parameters, core variables;
2. `measure.build()` for every measure (sorted by id): its variables, constraints and ledger terms;
3. `measure.link()` for every measure: constraints that read other measures' ledger terms;
4. `core.close()`: balances, emission definitions, core costs; then rules, targets, objective.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.common.numeric_types import native_numeric_types

from ..preprocess.inputs import ModelInputs
from ..preprocess.targets import TargetYear
from ..units import T_TO_KT
from .core import Core
from .ledger import COST_CATEGORIES, Ledger, sum_terms
from .measures import REGISTRY, MeasureModel
from .rules import add_rules
from .targets import add_targets

ELASTIC_SHORTFALL_WEIGHT = 1e3  # elastic solve: relative shortfalls first ...
ELASTIC_COST_WEIGHT = 1e-6  # ... cost only as a tie-breaker


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
    _memo: dict | None = field(default=None, repr=False)

    def value(self, x) -> float:
        """Value of a variable, parameter or expression after the solve (numbers pass through). Inside
        `evaluation()` named expressions (blk.capex, m.cost, ...) are evaluated once and remembered."""
        if isinstance(x, int | float):
            return float(x)
        if self._memo is None:
            return float(pyo.value(x))
        return float(_evaluate(x, self._memo))

    @contextmanager
    def evaluation(self):
        """Read results with memoised named expressions; the values must not change meanwhile."""
        self._memo = {}
        try:
            yield self
        finally:
            self._memo = None


def _evaluate(e, memo: dict):
    """Value of a Pyomo expression tree; named expressions are looked up in / stored to memo."""
    if e.__class__ in native_numeric_types:
        return e
    if not e.is_expression_type():
        return e.value  # variable or parameter data
    if e.is_named_expression_type():
        key = id(e)
        if key not in memo:
            memo[key] = _evaluate(e.expr, memo)
        return memo[key]
    return e._apply_operation([_evaluate(a, memo) for a in e.args])


def block_name(measure_id: str) -> str:
    return "measure_" + re.sub(r"[^A-Za-z0-9_]", "_", measure_id)


def build_model(inp: ModelInputs, targets: list[TargetYear], elastic: bool = False) -> BuiltModel:
    """Build the MILP. `elastic` frees target slacks and minimises relative shortfall instead of cost.

    The garbage collector is paused meanwhile: the build makes millions of objects and no cycles to free, and its
    collections (each scanning every object made so far) took about a quarter of the build's time."""
    with PauseGC():
        return _build(inp, targets, elastic)


def _build(inp: ModelInputs, targets: list[TargetYear], elastic: bool) -> BuiltModel:
    m = pyo.ConcreteModel(name=inp.name)
    ledger = Ledger()
    core = Core(m, inp)
    core.declare()
    measures: list[MeasureModel] = []
    for cfg in inp.measures:
        mm = REGISTRY[cfg.kind](cfg, inp)
        blk = pyo.Block(concrete=True)
        m.add_component(block_name(cfg.id), blk)
        mm.block = blk
        mm.build(blk, core, ledger)
        measures.append(mm)
    for mm in measures:
        mm.link(mm.block, core, ledger)
    core.close(ledger)
    add_rules(m, measures, inp, ledger)
    add_targets(m, core, ledger, inp, targets, elastic)
    m.cost = pyo.Expression(COST_CATEGORIES, m.periods, rule=lambda m, c, y: ledger.total("cost", c, y),
                            doc="nominal cost by category and year, MCNY")
    m.npv = pyo.Expression(expr=sum_terms([inp.discount[y] * m.cost[c, y] for c in COST_CATEGORIES for y in inp.years]))
    if elastic:
        weight = {r.key: 1.0 / max(r.base_tco2e * T_TO_KT, 1e-6) if r.target.type != "renewable_share" else 1.0
                  for r in targets}
        m.objective = pyo.Objective(expr=sum(weight[k] * m.target_slack[k] for k in m.target_years)
                                    * ELASTIC_SHORTFALL_WEIGHT + ELASTIC_COST_WEIGHT * m.npv)
    else:
        m.objective = pyo.Objective(expr=m.npv, sense=pyo.minimize)
    return BuiltModel(m, inp, core, ledger, measures, targets, elastic)
