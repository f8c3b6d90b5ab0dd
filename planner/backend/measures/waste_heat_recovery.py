"""Waste-heat recovery (kind `waste_heat_recovery`), MW_th (docs/model.md §6.2)."""

from __future__ import annotations

from typing import Literal

from ...schemas.types import NonNeg
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .heat_supply import HeatSupply, HeatSupplyModel


class WasteHeatRecovery(HeatSupply):
    kind: Literal["waste_heat_recovery"]
    parasitic_mwh_per_mwh: NonNeg = 0.0


class WasteHeatRecoveryModel(HeatSupplyModel):
    """Parasitic electricity = parasitic share x heat."""

    config = WasteHeatRecovery
    cfg: WasteHeatRecovery

    def input_energy(self, blk: pyo.Block, core, ledger: Ledger, ts) -> None:
        ledger.add("elec_load", self.cfg.site, ts, self.cfg.parasitic_mwh_per_mwh * blk.heat[ts], self.id)
