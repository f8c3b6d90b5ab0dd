"""Fuel switch (kind `fuel_switch`): hydrogen or biomass boilers taking over heat, MW_th (docs/model.md §6.2)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...schemas.measure import CheckContext
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .heat_supply import HeatSupply, HeatSupplyModel


class FuelSwitch(HeatSupply):
    kind: Literal["fuel_switch"]
    fuel: str
    efficiency: Annotated[float, Field(gt=0, le=1.5)]

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        if self.fuel not in ctx.fuels:
            ctx.fail("fuel", f"unknown fuel {self.fuel!r}")


class FuelSwitchModel(HeatSupplyModel):
    """New fuel = heat / efficiency: its emissions (scope1_other) and its energy cost."""

    config = FuelSwitch
    cfg: FuelSwitch

    def input_energy(self, blk: pyo.Block, core, ledger: Ledger, ts) -> None:
        inp, cfg = self.inp, self.cfg
        fuel = blk.heat[ts] / cfg.efficiency
        ledger.add("scope1_other", cfg.site, ts, inp.fuel_factor(cfg.site, cfg.fuel) * fuel, self.id)
        if bio := inp.fuel_biogenic(cfg.site, cfg.fuel):  # reported apart from the scopes
            ledger.add("biogenic_co2", cfg.site, ts, bio * fuel, self.id)

    def input_cost(self, blk: pyo.Block, core, ledger: Ledger, y: int, ts, w: float) -> None:
        share, fuel = self.share * w, blk.heat[ts] / self.cfg.efficiency
        self.cost(ledger, "energy", y, share * core.m.price_fuel[self.cfg.fuel, y] * fuel)

    def scope1_source(self) -> str:
        return f"combustion:{self.cfg.fuel}"
