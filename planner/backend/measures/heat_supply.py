"""Shared base of the heat-supply kinds (MW_th) that take over useful heat from a fuel: `electrification`,
`fuel_switch` and `waste_heat_recovery` (docs/model.md §6.2). Not a kind itself."""

from __future__ import annotations

from abc import abstractmethod
from typing import Annotated

from pydantic import Field

from ...schemas.measure import CheckContext, SizedMeasure
from ...schemas.types import NonNeg, Share
from ...units import CNY_PER_KW_TO_MCNY_PER_MW, MWH_TO_GWH
from ..hourly import GWH_PER_YEAR_PER_MW
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import SizedAssetModel


class HeatSupply(SizedMeasure):
    """Common fields of measures that take over useful heat from a fuel (MW_th)."""

    target_carrier: str
    capex_cny_per_kw: NonNeg = 0.0
    full_load_hours: Annotated[float, Field(gt=0, le=8760)] = 6000.0
    max_share: Share = 1.0
    default_family = "heat"
    needs_site = True

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        site_carriers = ctx.site_carriers(self.site)
        tc = self.target_carrier
        if tc not in ctx.fuels or tc not in site_carriers:
            ctx.fail("target_carrier", f"expected a fuel or heat carrier used at site {self.site!r} "
                     f"({sorted(site_carriers - {'electricity'})}), got {tc!r}")


class HeatSupplyModel(SizedAssetModel):
    """heat <= capacity x full-load hours; heat <= max_share x BAU useful heat of the target carrier."""

    size_unit = "MW_th"
    cfg: HeatSupply
    coefficient_fields = ("capex_cny_per_kw",)

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kw * CNY_PER_KW_TO_MCNY_PER_MW

    def natural_max(self) -> float:
        inp, s, c = self.inp, self.cfg.site, self.cfg.target_carrier
        if inp.heat_shaped(s):  # the largest hourly rate of useful heat, at 1 MW per MW
            peak = max((inp.heat_gwh(s, c, ts) for ts in inp.time.slice_keys), default=0.0)
            return self.cfg.max_share * peak / GWH_PER_YEAR_PER_MW
        peak = max((inp.bau_heat_gwh.get((s, c, t), 0.0) for t in inp.years), default=0.0)
        return self.cfg.max_share * peak / (self.cfg.full_load_hours * MWH_TO_GWH)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, c, m = self.inp, self.cfg, self.cfg.site, self.cfg.target_carrier, core.m
        period = inp.time.period_of
        # GWh/yr per MW: the full-load hours spread evenly; with an hourly heat shape the shape decides when
        # the heat is needed, so a MW delivers at most 1 MW in any hour (8.76 GWh/yr as a rate)
        hours = GWH_PER_YEAR_PER_MW if inp.heat_shaped(s) else cfg.full_load_hours * MWH_TO_GWH
        blk.heat = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="useful heat supplied, GWh_th")
        heat, capacity = dict(blk.heat.items()), dict(blk.capacity.items())  # rows as {slice: expression}
        blk.heat_capacity_max = pyo.Constraint(m.slices, rule={ts: heat[ts] <= hours * capacity[period(ts)]
                                                               for ts in m.slices})
        blk.heat_share_max = pyo.Constraint(m.slices, rule={ts: heat[ts] <= cfg.max_share * inp.heat_gwh(s, c, ts)
                                                            for ts in m.slices})
        for ts in m.slices:
            ledger.add("heat_displaced", (s, c), ts, blk.heat[ts], self.id)
            self.input_energy(blk, core, ledger, ts)
        for y, ts, w in inp.time.flows():
            self.input_cost(blk, core, ledger, y, ts, w)

    @abstractmethod
    def input_energy(self, blk: pyo.Block, core, ledger: Ledger, ts) -> None:
        """Electricity or fuel used to make the heat in slice ts."""

    def input_cost(self, blk: pyo.Block, core, ledger: Ledger, y: int, ts, w: float) -> None:
        """Cost of the input energy of slice ts in period y (weight w), when the core does not price it."""
        return None
