"""Target constraints (docs/model.md §8): emissions net of allowed offsets below the allowed level.

Each (target, year) has a slack, fixed at zero in a normal solve; the elastic solve frees the slacks to
measure by how much each target falls short.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..inputs import ModelInputs, T
from ..targets import TargetYear, coverage_cats
from .core import Core
from .ledger import Ledger


def add_targets(m: pyo.ConcreteModel, core: Core, ledger: Ledger, inp: ModelInputs, rows: list[TargetYear],
                elastic: bool) -> None:
    sc = inp.scenario
    keys = [r.key for r in rows]
    byk = {r.key: r for r in rows}
    m.K = pyo.Set(initialize=keys, ordered=True)
    m.target_slack = pyo.Var(m.K, domain=pyo.NonNegativeReals, doc="shortfall, ktCO2e (RE: share)")
    if not elastic:
        for k in keys:
            m.target_slack[k].fix(0)
    off_keys = [r.key for r in rows if r.target.type != "renewable_share" and r.target.offsets != "none"]
    m.KO = pyo.Set(initialize=off_keys, ordered=True)
    m.offsets = pyo.Var(m.KO, domain=pyo.NonNegativeReals, doc="credits counted against a target, ktCO2e")

    def gross(r: TargetYear):
        cov = r.target.coverage
        return core.total(r.year, cov.scope1, cov.scope2, coverage_cats(r.target, sc))

    def rule(m, k):
        r = byk[k]
        if r.target.type == "renewable_share":
            green, use = core.renewable_electricity(ledger, r.year)
            return green + m.target_slack[k] >= r.limit * use  # slack in GWh of green electricity
        net = gross(r) - (m.offsets[k] if k in off_keys else 0)
        return net <= r.limit * T + m.target_slack[k]

    m.target = pyo.Constraint(m.K, rule=rule)
    m.offset_avail = pyo.Constraint(m.KO, rule=lambda m, k: m.offsets[k] <= ledger.total("credits", None, byk[k].year))

    def offset_rule(m, k):
        r = byk[k]
        if r.target.offsets == "share":
            return m.offsets[k] <= r.target.offset_share * gross(r)
        return gross(r) <= r.real_limit * T + m.target_slack[k]

    m.offset_rule = pyo.Constraint(m.KO, rule=offset_rule)
