"""Heat-supply measures (MW_th) that take over useful heat from a fuel: electrification (heat pump,
electric boiler), fuel switch (hydrogen, biomass) and waste-heat recovery (docs/model.md §6.2)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import Electrification, FuelSwitch, HeatSupply, WasteHeatRecovery
from ...inputs import MWH
from ..ledger import Ledger
from .base import SizedAssetModel


class HeatSupplyModel(SizedAssetModel):
    """heat[t] <= capacity x full-load hours; heat[t] <= max_share x BAU useful heat of the target carrier."""

    kinds = ("electrification", "fuel_switch", "waste_heat_recovery")
    size_unit = "MW_th"
    cfg: HeatSupply

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kw * 1e-3  # CNY/kW -> MCNY/MW

    def natural_max(self) -> float:
        inp, s, c = self.inp, self.cfg.site, self.cfg.target_carrier
        peak = max((inp.Hb.get((s, c, t), 0.0) for t in inp.years), default=0.0)
        return self.cfg.max_share * peak / (self.cfg.full_load_hours * MWH)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, c = self.inp, self.cfg, self.cfg.site, self.cfg.target_carrier
        hours = cfg.full_load_hours * MWH
        blk.heat = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="useful heat supplied, GWh_th")
        blk.heat_cap = pyo.Constraint(blk.T, rule=lambda b, t: b.heat[t] <= hours * b.capacity[t])
        blk.heat_share = pyo.Constraint(blk.T, rule=lambda b, t: (
            b.heat[t] <= cfg.max_share * inp.Hb.get((s, c, t), 0.0)))
        for t in inp.years:
            ledger.add("heat_displaced", (s, c), t, blk.heat[t], self.id)
            self.input_energy(blk, ledger, t)

    def input_energy(self, blk: pyo.Block, ledger: Ledger, t: int) -> None:
        """Electricity or fuel used to make the heat."""
        cfg = self.cfg
        if isinstance(cfg, Electrification):
            ledger.add("elec_load", cfg.site, t, blk.heat[t] / cfg.cop, self.id)
        elif isinstance(cfg, WasteHeatRecovery):
            ledger.add("elec_load", cfg.site, t, cfg.parasitic_mwh_per_mwh * blk.heat[t], self.id)
        elif isinstance(cfg, FuelSwitch):
            inp = self.inp
            fuel = blk.heat[t] / cfg.efficiency
            ledger.add("scope1_other", cfg.site, t, inp.ef[cfg.fuel] * fuel, self.id)
            self.cost(ledger, "energy", t, self.w * inp.p_fuel[cfg.fuel, t] * fuel)
