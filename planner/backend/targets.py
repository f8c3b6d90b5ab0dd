"""Target constraints (docs/model.md §8): emissions net of allowed offsets below the allowed level.

Each (target, year) has a slack, fixed at zero in a normal solve; the elastic solve frees the slacks to
measure by how much each target falls short.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ..preprocess.inputs import ModelInputs
from ..preprocess.targets import TargetYear
from ..units import T_TO_KT
from .core import Core
from .ledger import Ledger


def add_targets(m: pyo.ConcreteModel, core: Core, ledger: Ledger, inp: ModelInputs, rows: list[TargetYear],
                elastic: bool) -> None:
    keys = [r.key for r in rows]
    by_key = {r.key: r for r in rows}
    m.target_years = pyo.Set(initialize=keys, ordered=True, doc="constrained (target, year): '<target>@<year>'")
    m.target_slack = pyo.Var(m.target_years, domain=pyo.NonNegativeReals, doc="shortfall, ktCO2e (RE: GWh)")
    if not elastic:
        for k in keys:
            m.target_slack[k].fix(0)
    offset_keys = [r.key for r in rows if r.target.type != "renewable_share" and r.target.offsets != "none"]
    m.offset_target_years = pyo.Set(initialize=offset_keys, ordered=True, doc="target years that allow offsets")
    m.offsets = pyo.Var(m.offset_target_years, domain=pyo.NonNegativeReals,
                        doc="credits counted against a target, ktCO2e")

    def gross(r: TargetYear):
        return core.total(r.year, r.scope1, r.scope2, r.scope3_categories, dict(r.site_factors) or None)

    def level_rule(m, k):
        r = by_key[k]
        if r.target.type == "renewable_share":
            green, use = core.renewable_electricity(ledger, r.year)
            return green + m.target_slack[k] >= r.limit * use  # slack in GWh of green electricity
        net = gross(r) - (m.offsets[k] if k in offset_keys else 0)
        return net <= r.limit * T_TO_KT + m.target_slack[k]

    m.target_level_max = pyo.Constraint(m.target_years, rule=level_rule)
    m.offsets_credits_max = pyo.Constraint(m.offset_target_years, rule=lambda m, k: (
        m.offsets[k] <= ledger.total("credits", None, by_key[k].year)))

    def offset_rule(m, k):
        r = by_key[k]
        if r.target.offsets == "share":
            return m.offsets[k] <= r.target.offset_share * gross(r)
        return gross(r) <= r.real_limit * T_TO_KT + m.target_slack[k]

    m.offsets_rule_max = pyo.Constraint(m.offset_target_years, rule=offset_rule)
