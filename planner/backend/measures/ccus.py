"""Carbon capture (kind `ccus`), capacity in kt/yr at a site (docs/model.md §6.6)."""

from __future__ import annotations

from typing import Literal

from ...schemas.measure import SizedMeasure
from ...schemas.types import NonNeg, Share
from ...units import CNY_PER_T_TO_MCNY_PER_KT, CNY_PER_TPA_TO_MCNY_PER_KTPA, MWH_PER_T_TO_GWH_PER_KT
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import SizedAssetModel


class CCUS(SizedMeasure):
    """Capture of site scope-1 CO2 (capacity in t/yr)."""

    kind: Literal["ccus"]
    capture_rate: Share = 0.9
    capex_cny_per_tpa: NonNeg
    opex_cny_per_t: NonNeg = 0.0
    elec_mwh_per_t: NonNeg = 0.0
    default_family = "ccus"
    needs_site = True


class CCUSModel(SizedAssetModel):
    """captured <= capacity; captured <= capture_rate x capturable scope-1 CO2; energy penalty as load."""

    config = CCUS
    size_unit = "kt/yr"
    cfg: CCUS

    coefficient_fields = ("capex_cny_per_tpa",)

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_tpa * CNY_PER_TPA_TO_MCNY_PER_KTPA

    def natural_max(self) -> float:
        return self.cfg.capture_rate * max(self.inp.bau_scope1_kt[self.cfg.site, t] for t in self.inp.years)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        blk.captured = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="CO2 captured, kt")
        blk.captured_capacity_max = pyo.Constraint(m.slices, rule=lambda b, ts: (
            b.captured[ts] <= b.capacity[period(ts)]))
        for ts in m.slices:
            ledger.add("captured", s, ts, blk.captured[ts], self.id)
            ledger.add("scope1_other", s, ts, -blk.captured[ts], self.id)
            ledger.add("elec_load", s, ts, cfg.elec_mwh_per_t * MWH_PER_T_TO_GWH_PER_KT * blk.captured[ts], self.id)
        for y, ts, w in inp.time.flows():
            share = self.share * w
            self.cost(ledger, "variable_om", y, share * cfg.opex_cny_per_t * CNY_PER_T_TO_MCNY_PER_KT
                      * blk.captured[ts])

    def link(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """captured <= capture_rate x capturable CO2, which reads every measure's process cuts."""
        rate, s = self.cfg.capture_rate, self.cfg.site
        blk.captured_rate_max = pyo.Constraint(core.m.slices, rule=lambda b, ts: (
            b.captured[ts] <= rate * core.capturable(ledger, s, ts)))

    def scope1_source(self) -> str:
        return "ccus_capture"
