"""Contractual instruments bought year by year: green PPA, certificates, carbon credits (§6.7)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import CarbonCredits, GreenCertificates, GreenPPA
from ...inputs import CNY, MWH, T
from ...trajectory import interpolate
from ..ledger import Ledger
from .base import MeasureModel


class GreenPowerModel(MeasureModel):
    """claim[s,t] <= max_share x grid[s,t]; sum_s claim <= max_mwh; cost = price x claim."""

    kinds = ("green_ppa", "green_certificates")
    size_unit = "MWh"
    cfg: GreenPPA | GreenCertificates

    def price(self) -> dict[int, float]:
        if isinstance(self.cfg, GreenPPA):
            return {t: v * CNY / MWH for t, v in self.inp.price("ppa_premium", self.cfg.premium_cny_per_mwh).items()}
        return {t: v * CNY / MWH for t, v in self.inp.price("gec", self.cfg.price_cny_per_mwh).items()}

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, m = self.inp, self.cfg, core.m
        sites = [cfg.site] if cfg.site else inp.sites
        blk.T = pyo.Set(initialize=self.years, ordered=True)
        blk.S = pyo.Set(initialize=sites, ordered=True)
        blk.claim = pyo.Var(blk.S, blk.T, domain=pyo.NonNegativeReals, doc="MWh claimed, GWh")
        blk.share = pyo.Constraint(blk.S, blk.T, rule=lambda b, s, t: b.claim[s, t] <= cfg.max_share * m.grid[s, t])
        if cfg.max_mwh is not None:
            cap = interpolate(cfg.max_mwh, self.years)
            blk.volume = pyo.Constraint(blk.T, rule=lambda b, t: sum(b.claim[s, t] for s in sites) <= cap[t] * MWH)
        price = self.price()
        category = "ppa_premium" if isinstance(cfg, GreenPPA) else "certificates"
        for t in self.years:
            for s in sites:
                ledger.add("green_claims", s, t, blk.claim[s, t], self.id)
                self.cost(ledger, category, t, inp.w[s] * price[t] * blk.claim[s, t])


class CarbonCreditsModel(MeasureModel):
    """credits[t] <= max_tco2e; counted against targets only as their offset rule allows."""

    kinds = ("carbon_credits",)
    size_unit = "tCO2e"
    cfg: CarbonCredits

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg = self.inp, self.cfg
        blk.T = pyo.Set(initialize=self.years, ordered=True)
        blk.credits = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="credits retired, ktCO2e")
        if cfg.max_tco2e is not None:
            cap = interpolate(cfg.max_tco2e, self.years)
            for t in self.years:
                blk.credits[t].setub(cap[t] * T)
        price = {t: v * CNY / T for t, v in inp.price("ccer", cfg.price_cny_per_t).items()}
        for t in self.years:
            ledger.add("credits", None, t, blk.credits[t], self.id)
            self.cost(ledger, "credits", t, price[t] * blk.credits[t])
