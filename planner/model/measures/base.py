"""Measure base classes: the interface every measure type implements, and the asset machinery.

An asset measure has, per model year t: build[t] (binary: a build or reinvestment starts in t),
for sized assets size[t] (capacity built in t), active[t] (in service), and capacity[t]. Capex, fixed
O&M and salvage follow from the builds; subclasses add physics and variable costs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import pyomo.environ as pyo

from ...config.measures import AssetMeasure, MeasureBase, SizedMeasure
from ...inputs import CNY, ModelInputs
from ..ledger import Ledger


class MeasureModel(ABC):
    """Base of every measure type: `build` adds variables and constraints to its block and ledger terms."""

    kinds: ClassVar[tuple[str, ...]] = ()
    size_unit: ClassVar[str] = ""

    def __init__(self, cfg: MeasureBase, inp: ModelInputs):
        self.cfg, self.inp = cfg, inp
        self.id = cfg.id
        self.block: pyo.Block | None = None

    @property
    def w(self) -> float:
        """Consolidation share applied to the measure's site costs (1 for company-level measures)."""
        return self.inp.w[self.cfg.site] if self.cfg.site else 1.0

    @property
    def years(self) -> list[int]:
        lo = max(self.inp.years[0], self.cfg.earliest_year or self.inp.years[0])
        hi = min(self.inp.years[-1], self.cfg.latest_year or self.inp.years[-1])
        return [y for y in self.inp.years if lo <= y <= hi]

    @abstractmethod
    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """Add the measure's variables, constraints and ledger terms to its block."""

    def cost(self, ledger: Ledger, category: str, year: int, expr) -> None:
        ledger.add("cost", category, year, expr, self.id)


class AssetModel(MeasureModel):
    """Go/no-go asset: build[t] binaries, in service for `lifetime` years, optional reinvestment."""

    sized: ClassVar[bool] = False

    cfg: AssetMeasure

    def unit_capex(self, year: int) -> float:
        """Capex per unit of size in MCNY (before the cost index); go/no-go assets: per build."""
        return 0.0

    def max_size(self) -> float:
        return 1.0

    def window(self, t: int) -> list[int]:
        """Build years whose asset is in service in year t."""
        L = self.cfg.lifetime
        return [tau for tau in self.build_years if tau <= t <= tau + L - 1]

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg = self.inp, self.cfg
        T = inp.years
        self.build_years = self.years
        blk.T = pyo.Set(initialize=T, ordered=True)
        blk.TB = pyo.Set(initialize=self.build_years, ordered=True)
        blk.build = pyo.Var(blk.TB, domain=pyo.Binary)
        L = cfg.lifetime

        def recursive(var, built):  # var[t] = var[t-1] + built[t] - built[t-L]: the window sum, sparsely
            def rule(b, t):
                prev = var[t - 1] if t > T[0] else 0
                add = built[t] if t in self.build_years else 0
                drop = built[t - L] if (t - L) in self.build_years else 0
                return var[t] == prev + add - drop
            return rule

        if self.sized:
            smax = self.max_size()
            self.smax = smax
            blk.size = pyo.Var(blk.TB, bounds=(0, smax))
            blk.size_max = pyo.Constraint(blk.TB, rule=lambda b, t: b.size[t] <= smax * b.build[t])
            blk.size_min = pyo.Constraint(blk.TB, rule=lambda b, t: b.size[t] >= cfg.min_size * b.build[t])
            blk.capacity = pyo.Var(blk.T, bounds=(0, smax), doc="capacity in service (site potential as bound)")
            blk.capacity_def = pyo.Constraint(blk.T, rule=recursive(blk.capacity, blk.size))
        blk.in_service = pyo.Var(blk.T, bounds=(0, 1), doc="1 while a build is in service (one vintage at a time)")
        blk.in_service_def = pyo.Constraint(blk.T, rule=recursive(blk.in_service, blk.build))
        if not cfg.reinvest:
            blk.once = pyo.Constraint(expr=sum(blk.build[t] for t in blk.TB) <= 1)
        idx = inp.capex_index(cfg.cost_index)
        w = self.w
        size = blk.size if self.sized else blk.build

        def capex(t):  # MCNY, nominal, at 100% of the site
            return self.unit_capex(t) * idx[t] * size[t] + cfg.capex_fixed_cny * CNY * blk.build[t]

        blk.capex = pyo.Expression(blk.TB, rule=lambda b, t: capex(t))
        for t in self.build_years:
            self.cost(ledger, "capex", t, w * blk.capex[t])
            ledger.add("capex", None, t, w * blk.capex[t], self.id)
            ledger.add("adoptions", None, t, blk.build[t], self.id)
        for t in T:
            win = self.window(t)
            if not win:
                continue
            fom = sum(cfg.fom_share * blk.capex[x] for x in win) + cfg.fom_fixed_cny * CNY * blk.in_service[t]
            self.cost(ledger, "fixed_om", t, w * fom)
        end = T[-1]
        salvage = sum(blk.capex[x] * (x + L - 1 - end) / L for x in self.build_years if x + L - 1 > end)
        if not isinstance(salvage, int):
            self.cost(ledger, "salvage", end, -w * salvage)
        self.build_physics(blk, core, ledger)

    @abstractmethod
    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """The measure's effect on the ledgers and its variable costs."""


class SizedAssetModel(AssetModel):
    """Asset sized continuously (min_size..max_size per build)."""

    sized = True
    cfg: SizedMeasure

    @abstractmethod
    def natural_max(self) -> float:
        """Largest useful size when the scenario gives none."""

    def max_size(self) -> float:
        return float(self.cfg.max_size) if self.cfg.max_size is not None else self.natural_max()
