"""Waste-heat recovery (kind `waste_heat_recovery`), MW_th (docs/model.md §6.2): recovered heat serving a site's
low-temperature heat uses, displacing their fuel. Waste heat that makes power is `waste_heat_power`."""

from __future__ import annotations

from typing import Literal

from ...schemas.measure import CheckContext
from ...schemas.types import NonNeg, Share
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .heat_supply import HeatSupply, HeatSupplyModel


class WasteHeatRecovery(HeatSupply):
    kind: Literal["waste_heat_recovery"]
    parasitic_mwh_per_mwh: NonNeg = 0.0
    # share of the target carrier's useful heat that low-grade recovered heat can serve (drying, space heating,
    # feed-water or combustion-air preheating): no default, since a kiln's or furnace's own process heat cannot be
    # served by its waste heat and a default share of it books fuel savings that do not exist (docs/model.md §6.2)
    max_share: Share | None = None

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        if self.max_share is None:
            ctx.fail("max_share", f"expected the share of {self.target_carrier}'s useful heat at site {self.site!r} "
                     "that recovered heat can serve (low-temperature uses); a kiln's or furnace's own process heat "
                     "is not one: for power from its waste heat use kind waste_heat_power")


class WasteHeatRecoveryModel(HeatSupplyModel):
    """Parasitic electricity = parasitic share x heat."""

    config = WasteHeatRecovery
    cfg: WasteHeatRecovery

    def input_energy(self, blk: pyo.Block, core, ledger: Ledger, ts) -> None:
        ledger.add("elec_load", self.cfg.site, ts, self.cfg.parasitic_mwh_per_mwh * blk.heat[ts], self.id)
