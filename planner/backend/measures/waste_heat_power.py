"""Waste-heat power generation (kind `waste_heat_power`), MW_e: power from a site's process waste heat (a cement
kiln's preheater and cooler exhaust, a sinter plant's off-gas) supplied to the site's load (docs/model.md §6.10).

Unlike `waste_heat_recovery`, it saves no fuel: the kiln still burns what it burns; its electricity replaces grid
purchases (scope 2 avoided). A plant already in service is an asset of the measure (`existing_size`, no capex),
whose output the site's electricity figure is taken to be net of.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...schemas.measure import CheckContext, SizedMeasure
from ...schemas.trajectory import NonNegTrajectory, interpolate
from ...schemas.types import NonNeg, Year
from ...units import CNY_PER_KW_TO_MCNY_PER_MW, CNY_PER_MWH_TO_MCNY_PER_GWH, MWH_TO_GWH
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import SizedAssetModel

KWH_PER_T_TO_GWH_PER_T = 1e-6
OUTPUT_UNITS = ("t", "tonne", "tonnes")
BASES = ("yield_kwh_per_t_output", "yield_mwh_per_mwh_fuel", "potential_mwh")


class WasteHeatPower(SizedMeasure):
    """Waste-heat power plant (MW_e) at a site; its potential from exactly one of `yield_kwh_per_t_output` (the
    site's `output` in t), `yield_mwh_per_mwh_fuel` (the site's BAU fuel input) or `potential_mwh` (MWh/yr)."""

    kind: Literal["waste_heat_power"]
    capex_cny_per_kw: NonNeg
    full_load_hours: Annotated[float, Field(gt=0, le=8760)] = 7000.0  # h/yr at rated power (kiln availability)
    yield_kwh_per_t_output: Annotated[float, Field(ge=0, le=1000)] | None = None  # net kWh per t of site output
    yield_mwh_per_mwh_fuel: Annotated[float, Field(ge=0, le=1)] | None = None  # net MWh_e per MWh of BAU fuel
    potential_mwh: NonNegTrajectory | None = None  # net MWh/yr the site's waste heat can make
    existing_size: Annotated[float, Field(ge=0, le=1e5)] = 0.0  # MW in service at the base year, no capex
    existing_until: Year | None = None  # last year the existing plant runs (None: the whole horizon)
    vom_cny_per_mwh: NonNeg = 0.0  # variable O&M per MWh generated beyond the existing plant's BAU output
    default_family = "efficiency"
    needs_site = True

    @model_validator(mode="after")
    def _one_basis(self):
        given = [b for b in BASES if getattr(self, b) is not None]
        if len(given) > 1:
            raise ValueError(f"expected one potential basis of {', '.join(BASES)}, got {', '.join(given)}")
        return self

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        if not any(getattr(self, b) is not None for b in BASES):
            ctx.fail("yield_kwh_per_t_output", f"expected the waste-heat potential: one of {', '.join(BASES)}")
        if self.yield_kwh_per_t_output is not None:
            out = ctx.scenario.site(self.site).output
            if out is None or out.unit not in OUTPUT_UNITS:
                ctx.fail("yield_kwh_per_t_output", f"site {self.site!r} needs `output` in t (unit: t) for a yield "
                         "per t; or give yield_mwh_per_mwh_fuel or potential_mwh")


class WasteHeatPowerModel(SizedAssetModel):
    """generation <= full-load hours x (capacity + existing in service); generation <= potential; the site's
    load falls by generation - BAU output of the existing plant."""

    config = WasteHeatPower
    size_unit = "MW"
    cfg: WasteHeatPower
    coefficient_fields = ("capex_cny_per_kw",)

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kw * CNY_PER_KW_TO_MCNY_PER_MW

    def gwh_per_mw(self) -> float:
        return self.cfg.full_load_hours * MWH_TO_GWH

    def potential_gwh(self) -> dict[int, float]:
        """Net generation the site's waste heat allows each year, GWh."""
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        if cfg.potential_mwh is not None:
            return {y: v * MWH_TO_GWH for y, v in interpolate(cfg.potential_mwh, inp.years).items()}
        if cfg.yield_kwh_per_t_output is not None:
            return {y: cfg.yield_kwh_per_t_output * KWH_PER_T_TO_GWH_PER_T * inp.site_output.get((s, y), 0.0)
                    for y in inp.years}
        return {y: cfg.yield_mwh_per_mwh_fuel * sum(inp.bau_heat_gwh.get((s, c, y), 0.0) / inp.heat_efficiency[s, c]
                                                    for c in inp.site_fuels[s] if inp.carrier_scope[c] == 1)
                for y in inp.years}

    def existing_mw(self, y: int) -> float:
        until = self.cfg.existing_until
        return self.cfg.existing_size if until is None or y <= until else 0.0

    def bau_gwh(self) -> dict[int, float]:
        """The existing plant's output in the BAU (the site's electricity is net of it), GWh."""
        pot, h = self.potential_gwh(), self.gwh_per_mw()
        return {y: min(self.cfg.existing_size * h, pot[y]) for y in self.inp.years}

    def natural_max(self) -> float:
        """The MW the largest yearly potential supports beyond an existing plant that runs the whole horizon."""
        keep = self.cfg.existing_size if all(self.existing_mw(y) for y in self.inp.years) else 0.0
        return max(0.0, max(self.potential_gwh().values()) / self.gwh_per_mw() - keep)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        h, pot, bau = self.gwh_per_mw(), self.potential_gwh(), self.bau_gwh()
        blk.generation = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="net generation, GWh (annual rate)")
        blk.generation_capacity_max = pyo.Constraint(m.slices, rule=lambda b, ts: (
            b.generation[ts] <= h * (b.capacity[period(ts)] + self.existing_mw(period(ts)))))
        blk.generation_potential_max = pyo.Constraint(m.slices, rule=lambda b, ts: (
            b.generation[ts] <= pot[period(ts)]))
        for ts in m.slices:  # the site's purchases are net of the existing plant's BAU output already
            ledger.add("elec_load", s, ts, bau[period(ts)] - blk.generation[ts], self.id)
        vom = cfg.vom_cny_per_mwh * CNY_PER_MWH_TO_MCNY_PER_GWH
        if vom:
            for y, ts, w in inp.time.flows():
                self.cost(ledger, "variable_om", y, self.share * w * vom * (blk.generation[ts] - bau[period(ts)]))
