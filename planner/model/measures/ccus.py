"""Carbon capture (kt/yr capacity) at a site (docs/model.md §6.6)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import CCUS
from ..ledger import Ledger
from .base import SizedAssetModel


class CCUSModel(SizedAssetModel):
    """captured <= capacity; captured <= capture_rate x capturable scope-1 CO2; energy penalty as load."""

    kinds = ("ccus",)
    size_unit = "kt/yr"
    cfg: CCUS

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_tpa * 1e-3  # CNY per t/yr -> MCNY per kt/yr

    def natural_max(self) -> float:
        return self.cfg.capture_rate * max(self.inp.bau_scope1[self.cfg.site, t] for t in self.inp.years)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        blk.captured = pyo.Var(blk.T, domain=pyo.NonNegativeReals, doc="CO2 captured, kt")
        blk.cap_limit = pyo.Constraint(blk.T, rule=lambda b, t: b.captured[t] <= b.capacity[t])

        def rate_limit():
            blk.rate_limit = pyo.Constraint(blk.T, rule=lambda b, t: (
                b.captured[t] <= cfg.capture_rate * core.capturable(ledger, s, t)))
        core.defer(rate_limit)
        for t in inp.years:
            ledger.add("captured", s, t, blk.captured[t], self.id)
            ledger.add("scope1_other", s, t, -blk.captured[t], self.id)
            ledger.add("elec_load", s, t, cfg.elec_mwh_per_t * blk.captured[t], self.id)
            self.cost(ledger, "variable_om", t, self.w * cfg.opex_cny_per_t * 1e-3 * blk.captured[t])
