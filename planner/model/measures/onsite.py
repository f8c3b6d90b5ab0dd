"""On-site generation (PV, wind; MW) and storage (MWh) (docs/model.md §6.3-6.4)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import OnsiteGeneration, Storage
from ...inputs import MWH
from ..ledger import Ledger
from .base import SizedAssetModel


class OnsiteGenerationModel(SizedAssetModel):
    """gen[t] = sum over vintages of size x yield x (1-degradation)^age;
    direct + export + to_storage <= gen; direct <= self_consumption x gen; export <= limit x gen."""

    kinds = ("onsite_generation",)
    size_unit = "MW"
    cfg: OnsiteGeneration

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kw * 1e-3

    def natural_max(self) -> float:
        peak = max(self.inp.Eb[self.cfg.site, t] for t in self.inp.years)
        return peak / (self.cfg.yield_mwh_per_mw * MWH)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        y = cfg.yield_mwh_per_mw * MWH
        if cfg.degradation:  # vintage-specific output
            blk.gen = pyo.Expression(blk.T, rule=lambda b, t: sum(
                b.size[x] * y * (1 - cfg.degradation) ** (t - x) for x in self.window(t)))
        else:
            blk.gen = pyo.Expression(blk.T, rule=lambda b, t: y * b.capacity[t])
        blk.direct = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="used on site directly, GWh")
        blk.export = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="exported, GWh")
        blk.to_storage = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="sent to storage, GWh")
        blk.split = pyo.Constraint(blk.T, rule=lambda b, t: b.direct[t] + b.export[t] + b.to_storage[t] <= b.gen[t])
        blk.self_use = pyo.Constraint(blk.T, rule=lambda b, t: b.direct[t] <= cfg.self_consumption * b.gen[t])
        lim = inp.export_limit[s]
        blk.export_limit = pyo.Constraint(blk.T, rule=lambda b, t: b.export[t] <= lim * b.gen[t])
        for t in inp.years:
            ledger.add("onsite_supply", s, t, blk.direct[t], self.id)
            ledger.add("surplus_to_storage", s, t, blk.to_storage[t], self.id)
            self.cost(ledger, "export_revenue", t, -self.w * inp.p_export[t] * blk.export[t])


class StorageModel(SizedAssetModel):
    """charge[t] <= cycles x capacity; supplies round_trip_efficiency x charge to the site's load."""

    kinds = ("storage",)
    size_unit = "MWh"
    cfg: Storage

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kwh * 1e-3  # CNY/kWh -> MCNY/MWh

    def natural_max(self) -> float:
        peak = max(self.inp.Eb[self.cfg.site, t] for t in self.inp.years)
        return peak / MWH / 365.0 * 0.5  # half a day of average load

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        blk.charge = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="charged from on-site surplus, GWh")
        blk.cycles = pyo.Constraint(blk.T, rule=lambda b, t: (
            b.charge[t] <= cfg.cycles_per_year * MWH * b.capacity[t]))
        for t in inp.years:
            ledger.add("storage_charge", s, t, blk.charge[t], self.id)
            ledger.add("onsite_supply", s, t, cfg.round_trip_efficiency * blk.charge[t], self.id)
