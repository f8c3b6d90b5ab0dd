"""Electrification of heat (kind `electrification`): heat pump or electric boiler, MW_th (docs/model.md §6.2)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .heat_supply import HeatSupply, HeatSupplyModel


class Electrification(HeatSupply):
    kind: Literal["electrification"]
    cop: Annotated[float, Field(gt=0, le=10)]


class ElectrificationModel(HeatSupplyModel):
    """Electricity input = heat / COP."""

    config = Electrification
    cfg: Electrification

    def input_energy(self, blk: pyo.Block, core, ledger: Ledger, ts) -> None:
        ledger.add("elec_load", self.cfg.site, ts, blk.heat[ts] / self.cfg.cop, self.id)
