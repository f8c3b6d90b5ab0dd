"""Efficiency retrofit: go/no-go, saves a share of a site's carriers (docs/model.md §6.1)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import Efficiency
from ...inputs import CNY, MWH
from ..ledger import Ledger
from .base import AssetModel


class EfficiencyModel(AssetModel):
    """Electricity: saving = share x BAU demand x active. Fuels: saving = share x remaining fuel x active,
    linearised exactly (McCormick on a binary) because the remaining fuel depends on other measures."""

    kinds = ("efficiency",)
    cfg: Efficiency

    def base_mwh(self, t: int) -> float:
        """BAU MWh of the covered carriers at the site in year t (the capex basis)."""
        inp, s = self.inp, self.cfg.site
        tot = 0.0
        for c in self.cfg.carriers:
            if c == "electricity":
                tot += inp.Eb[s, t] / MWH
            elif (s, c, t) in inp.Hb:
                tot += inp.Hb[s, c, t] / inp.eta[s, c] / MWH
        return tot

    def max_fuel(self, c: str) -> float:
        """Upper bound of the carrier's fuel before savings: BAU peak, raised by any route change at the
        site that adds demand for it (so the McCormick linearisation stays exact)."""
        inp, s = self.inp, self.cfg.site
        rise = sum(max(0.0, m.carrier_change.get(c, 0.0)) for m in inp.scenario.measures
                   if m.enabled and m.kind == "process" and m.site == s)
        return max(inp.Hb[s, c, t] for t in inp.years) * (1 + rise) / inp.eta[s, c]

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_mwh_saved * self.cfg.saving_share * self.base_mwh(year) * CNY

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        sigma = cfg.saving_share
        fuels = [c for c in cfg.carriers if c != "electricity"]
        blk.F = pyo.Set(initialize=fuels)
        blk.saving = pyo.Var(blk.F, blk.T, domain=pyo.NonNegativeReals, doc="fuel saved, GWh")
        umax = {c: self.max_fuel(c) for c in fuels}
        blk.sav_ub_fuel = pyo.Constraint(blk.F, blk.T, rule=lambda b, c, t: (
            b.saving[c, t] <= sigma * m.useful[s, c, t] / inp.eta[s, c]))
        blk.sav_ub_active = pyo.Constraint(blk.F, blk.T, rule=lambda b, c, t: (
            b.saving[c, t] <= sigma * umax[c] * b.in_service[t]))
        blk.sav_lb = pyo.Constraint(blk.F, blk.T, rule=lambda b, c, t: (
            b.saving[c, t] >= sigma * m.useful[s, c, t] / inp.eta[s, c] - sigma * umax[c] * (1 - b.in_service[t])))
        for t in inp.years:
            if "electricity" in cfg.carriers:
                ledger.add("elec_load", s, t, -sigma * inp.Eb[s, t] * blk.in_service[t], self.id)
            for c in fuels:
                ledger.add("fuel_saved", (s, c), t, blk.saving[c, t], self.id)
