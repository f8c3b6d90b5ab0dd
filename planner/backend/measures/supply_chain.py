"""Supply-chain programme (kind `supply_chain`) cutting a scope-3 category (docs/model.md §6.8)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...schemas.measure import AssetMeasure, CheckContext
from ...schemas.types import NonNeg, Share
from ...units import CNY_PER_T_TO_MCNY_PER_KT
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import AssetModel


class SupplyChain(AssetMeasure):
    """Programme cutting a scope-3 category by a share."""

    kind: Literal["supply_chain"]
    category: int = Field(ge=1, le=15)
    cut_share: Share
    cost_cny_per_tco2e: NonNeg = 0.0
    default_family = "supply_chain"

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        if self.category not in ctx.scenario.scope3.categories:
            ctx.fail("category", f"scope-3 category {self.category} has no baseline in scope3")


class SupplyChainModel(AssetModel):
    """cut = cut_share x BAU category emissions x in service; running cost per tCO2e cut."""

    config = SupplyChain
    cfg: SupplyChain

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg = self.inp, self.cfg
        period = inp.time.period_of
        cuts = {}
        for ts in core.m.slices:
            y = period(ts)
            cuts[ts] = cfg.cut_share * inp.bau_scope3_kt[cfg.category, y] * blk.in_service[y]
            ledger.add("scope3_cut", cfg.category, ts, cuts[ts], self.id)
        for y, ts, w in inp.time.flows():
            self.cost(ledger, "variable_om", y, w * cfg.cost_cny_per_tco2e * CNY_PER_T_TO_MCNY_PER_KT * cuts[ts])
