"""Cross-measure rules (docs/model.md §7): mutual exclusion, prerequisites, adoptions per year, capex budget."""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from ..preprocess.inputs import ModelInputs
from .ledger import Ledger
from .measures import AssetModel, MeasureModel


def add_rules(m: pyo.ConcreteModel, measures: list[MeasureModel], inp: ModelInputs, ledger: Ledger) -> None:
    assets = {mm.id: mm for mm in measures if isinstance(mm, AssetModel)}
    groups: dict[str, list[str]] = defaultdict(list)
    for mid, mm in sorted(assets.items()):
        if mm.cfg.exclusive_group:
            groups[mm.cfg.exclusive_group].append(mid)
    groups = {g: ids for g, ids in groups.items() if len(ids) > 1}
    m.exclusive_measures = pyo.Set(initialize=sorted(mid for ids in groups.values() for mid in ids), ordered=True)
    m.exclusive_groups = pyo.Set(initialize=sorted(groups), ordered=True)
    m.ever = pyo.Var(m.exclusive_measures, domain=pyo.Binary, doc="measure adopted at least once")
    # ever >= in service in every year (at most one vintage is in service, so in_service <= 1) and, for a
    # measure built at most once, ever >= the sum of its builds: both tighter in the LP than ever >= build[y]
    # (builds spread over several years would otherwise leave ever at the largest single one; §7)
    m.ever_def = pyo.ConstraintList()
    for mid in m.exclusive_measures:
        blk = assets[mid].block
        k = assets[mid].stages  # vintages in service at once (1 unless a sized measure is built in stages)
        for y in inp.years:
            m.ever_def.add((m.ever[mid] if k == 1 else k * m.ever[mid]) >= blk.in_service[y])
        if not assets[mid].cfg.reinvest:
            m.ever_def.add((m.ever[mid] if k == 1 else k * m.ever[mid]) >= sum(
                blk.build[y] for y in assets[mid].build_years))
    m.exclusive_group_max = pyo.Constraint(m.exclusive_groups, rule=lambda m, g: sum(m.ever[x] for x in groups[g]) <= 1)
    m.prerequisite_in_service_max = pyo.ConstraintList()
    for _mid, mm in sorted(assets.items()):
        for req in mm.cfg.requires:
            if req not in assets:
                continue  # disabled prerequisite: the measure cannot run (handled below)
            need = assets[req].block.in_service
            for y in inp.years:  # a staged measure (stages k) runs up to k builds while its prerequisite runs
                m.prerequisite_in_service_max.add(mm.block.in_service[y] <= (
                    need[y] if mm.stages == 1 else mm.stages * need[y]))
        missing = [r for r in mm.cfg.requires if r not in assets]
        for y in mm.build_years if missing else []:
            mm.block.build[y].fix(0)
    if inp.max_adoptions_per_year is not None:
        n = inp.max_adoptions_per_year
        m.adoptions_max = pyo.Constraint(m.periods, rule=lambda m, y: (
            ledger.total("adoptions", None, y) <= n) if ledger.has("adoptions", None, y) else pyo.Constraint.Skip)
    if inp.capex_budget_mcny is not None:
        budget = inp.capex_budget_mcny
        m.capex_budget_max = pyo.Constraint(m.periods, rule=lambda m, y: (
            ledger.total("capex", None, y) <= budget[y]) if ledger.has("capex", None, y) else pyo.Constraint.Skip)
