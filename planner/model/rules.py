"""Cross-measure rules (docs/model.md §7): mutual exclusion, prerequisites, adoptions per year, capex budget."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from ..inputs import ModelInputs
from .ledger import Ledger
from .measures import AssetModel, MeasureModel


def add_rules(m: pyo.ConcreteModel, measures: list[MeasureModel], inp: ModelInputs, ledger: Ledger) -> None:
    assets = {mm.id: mm for mm in measures if isinstance(mm, AssetModel)}
    groups: dict[str, list[str]] = defaultdict(list)
    for mid, mm in sorted(assets.items()):
        if mm.cfg.exclusive_group:
            groups[mm.cfg.exclusive_group].append(mid)
    excl = sorted(mid for g in groups.values() if len(g) > 1 for mid in g)
    m.EXCL = pyo.Set(initialize=excl, ordered=True)
    m.ever = pyo.Var(m.EXCL, domain=pyo.Binary, doc="measure adopted at least once")
    m.ever_def = pyo.ConstraintList()
    for mid in excl:
        for t in assets[mid].build_years:
            m.ever_def.add(m.ever[mid] >= assets[mid].block.build[t])
    m.exclusion = pyo.Constraint(sorted(g for g, v in groups.items() if len(v) > 1),
                                 rule=lambda m, g: sum(m.ever[x] for x in groups[g]) <= 1)
    m.prerequisite = pyo.ConstraintList()
    for _mid, mm in sorted(assets.items()):
        for req in mm.cfg.requires:
            if req not in assets:
                continue  # disabled prerequisite: the measure cannot run (handled below)
            for t in inp.years:
                m.prerequisite.add(mm.block.in_service[t] <= assets[req].block.in_service[t])
        missing = [r for r in mm.cfg.requires if r not in assets]
        for t in mm.build_years if missing else []:
            mm.block.build[t].fix(0)
    sc = inp.scenario
    if sc.constraints.max_adoptions_per_year is not None:
        n = sc.constraints.max_adoptions_per_year
        m.adoption_limit = pyo.Constraint(m.T, rule=lambda m, t: (
            ledger.total("adoptions", None, t) <= n) if ledger.has("adoptions", None, t) else pyo.Constraint.Skip)
    if inp.budget is not None:
        m.capex_budget = pyo.Constraint(m.T, rule=lambda m, t: (
            ledger.total("capex", None, t) <= inp.budget[t]) if ledger.has("capex", None, t)
            else pyo.Constraint.Skip)
