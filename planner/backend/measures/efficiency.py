"""Efficiency retrofit (kind `efficiency`): go/no-go, saves a share of a site's carriers (docs/model.md §6.1)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...schemas.measure import AssetMeasure, CheckContext
from ...schemas.types import NonNeg, Share
from ...units import CNY_TO_MCNY, GWH_TO_MWH
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import AssetModel


class Efficiency(AssetMeasure):
    """Go/no-go retrofit saving a share of one or more carriers at a site."""

    kind: Literal["efficiency"]
    carriers: list[str] = Field(min_length=1)
    saving_share: Share
    capex_cny_per_mwh_saved: NonNeg = 0.0
    default_family = "efficiency"
    needs_site = True

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        site_carriers = ctx.site_carriers(self.site)
        for c in self.carriers:
            if c not in site_carriers:
                ctx.fail("carriers", f"carrier {c!r} is not used at site {self.site!r} "
                         f"(its energy has {sorted(site_carriers)})")


class EfficiencyModel(AssetModel):
    """Electricity: saving = share x BAU demand x in service. Fuels: saving = share x remaining fuel x in
    service, linearised exactly (McCormick on a binary) because the remaining fuel depends on other measures."""

    config = Efficiency
    cfg: Efficiency
    coefficient_fields = ("capex_cny_per_mwh_saved",)

    def bau_mwh(self, t: int) -> float:
        """BAU MWh of the covered carriers at the site in year t (the capex basis)."""
        inp, s = self.inp, self.cfg.site
        tot = 0.0
        for c in self.cfg.carriers:
            if c == "electricity":
                tot += inp.bau_elec_gwh[s, t] * GWH_TO_MWH
            elif (s, c, t) in inp.bau_heat_gwh:
                tot += inp.bau_heat_gwh[s, c, t] / inp.heat_efficiency[s, c] * GWH_TO_MWH
        return tot

    def max_fuel(self, c: str) -> float:
        """Upper bound of the carrier's fuel before savings, GWh: BAU peak, raised by any measure at the site
        that adds demand for it (so the McCormick linearisation stays exact)."""
        inp, s = self.inp, self.cfg.site
        peak = max(inp.bau_heat_gwh[s, c, t] for t in inp.years)
        return peak * (1 + inp.fuel_rise(s, c)) / inp.heat_efficiency[s, c]

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_mwh_saved * self.cfg.saving_share * self.bau_mwh(year) * CNY_TO_MCNY

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        saving_share = cfg.saving_share
        eff = inp.heat_efficiency
        fuels = [c for c in cfg.carriers if c != "electricity"]
        blk.fuels = pyo.Set(initialize=fuels)
        blk.saving = pyo.Var(blk.fuels, m.slices, domain=pyo.NonNegativeReals, doc="fuel saved, GWh")
        fuel_max = {c: self.max_fuel(c) for c in fuels}
        # rows as {index: expression} (no rule function for Pyomo to inspect), variables looked up once
        keys = [(c, ts) for c in fuels for ts in m.slices]
        saving, in_service = dict(blk.saving.items()), dict(blk.in_service.items())
        left = {(c, ts): saving_share * m.useful_heat[s, c, ts] / eff[s, c] for c, ts in keys}  # share x fuel left
        blk.saving_fuel_max = pyo.Constraint(blk.fuels, m.slices, rule={k: saving[k] <= left[k] for k in keys})
        blk.saving_in_service_max = pyo.Constraint(blk.fuels, m.slices, rule={(c, ts): (
            saving[c, ts] <= saving_share * fuel_max[c] * in_service[period(ts)]) for c, ts in keys})
        blk.saving_fuel_min = pyo.Constraint(blk.fuels, m.slices, rule={(c, ts): (
            saving[c, ts] >= left[c, ts] - saving_share * fuel_max[c] * (1 - in_service[period(ts)]))
            for c, ts in keys})
        for ts in m.slices:
            if "electricity" in cfg.carriers:
                y = period(ts)
                ledger.add("elec_load", s, ts, -saving_share * inp.elec_load_gwh(s, ts) * in_service[y], self.id)
            for c in fuels:
                ledger.add("fuel_saved", (s, c), ts, saving[c, ts], self.id)
