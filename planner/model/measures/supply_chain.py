"""Supply-chain programme cutting a scope-3 category (docs/model.md §6.8)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import SupplyChain
from ..ledger import Ledger
from .base import AssetModel


class SupplyChainModel(AssetModel):
    """cut = cut_share x BAU category emissions x active; running cost per tCO2e cut."""

    kinds = ("supply_chain",)
    cfg: SupplyChain

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg = self.inp, self.cfg
        for t in inp.years:
            cut = cfg.cut_share * inp.S3b[cfg.category, t] * blk.in_service[t]
            ledger.add("scope3_cut", cfg.category, t, cut, self.id)
            self.cost(ledger, "variable_om", t, cfg.cost_cny_per_tco2e * 1e-3 * cut)
