"""Production route (kind `route`): one way of making one product at one site, with capacity in kt/yr (existing
capacity without capex, new capacity as a sized, staged decision), production per year within capacity and
ramp, and per t of product its energy, process emissions and inputs (docs/model.md §6.11)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...preprocess.products import NOT_MATERIALS
from ...schemas.measure import CheckContext, Production, SizedMeasure
from ...schemas.types import Id, NonNeg, Share, Year
from ...units import CNY_PER_T_TO_MCNY_PER_KT, CNY_PER_TPA_TO_MCNY_PER_KTPA, KT_TO_T, T_TO_KT
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import SizedAssetModel


class Route(SizedMeasure):
    """A way of making `product` at `site`; sizes (max_size, min_size) are new capacity per build in kt/yr."""

    kind: Literal["route"]
    product: Id
    existing_capacity_t: NonNeg = 0.0  # t/yr in service at the base year, no capex
    existing_until: Year | None = None  # last year the existing capacity runs (None: the whole horizon)
    capex_cny_per_t: NonNeg = 0.0  # per t/yr of new capacity
    fom_cny_per_t: NonNeg = 0.0  # fixed O&M per t/yr of capacity (existing and new) and year
    vom_cny_per_t: NonNeg = 0.0  # variable O&M per t made, energy and priced inputs excluded
    ramp_t_per_year: NonNeg | None = None  # largest rise of production from one year to the next, t/yr
    max_share: Share | None = None  # of the product's production (for sale + intermediate use)
    energy_per_t: dict[Id, NonNeg] = Field(default_factory=dict, max_length=50)  # carrier units (MWh) per t
    process_emissions_per_t: dict[Id, NonNeg] = Field(default_factory=dict, max_length=20)  # t of gas per t
    inputs_per_t: dict[Id, NonNeg] = Field(default_factory=dict, max_length=50)  # product/carrier/material per t
    default_family = "routes"
    needs_site = True

    def production(self) -> Production:
        return Production(self.site or "", self.product, self.existing_capacity_t, self.existing_until,
                          dict(self.energy_per_t), dict(self.process_emissions_per_t), dict(self.inputs_per_t))

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        products = ctx.scenario.site(self.site).products
        if self.product not in products:
            ctx.fail("product", f"unknown product {self.product!r} of site {self.site!r}; expected one of "
                     f"{sorted(products)}")
        carriers = ctx.fuels | {"electricity"}
        for c in self.energy_per_t:
            if c not in carriers:
                ctx.fail(f"energy_per_t.{c}", f"unknown carrier; expected one of {sorted(carriers)}")
        for g in self.process_emissions_per_t:
            if g not in ctx.gases:
                ctx.fail(f"process_emissions_per_t.{g}", f"unknown gas; expected one of {sorted(ctx.gases)}")
        materials = set(ctx.lib.prices.index) - set(NOT_MATERIALS) - set(ctx.lib.carriers)
        for x in self.inputs_per_t:
            if x == self.product:
                ctx.fail(f"inputs_per_t.{x}", "a route cannot consume its own product")
            if x not in products and x not in ctx.fuels and x not in materials:
                ctx.fail(f"inputs_per_t.{x}", f"expected a product of site {self.site!r} {sorted(products)}, a "
                         f"carrier or a priced material of data/prices.csv {sorted(materials)}")
            made = [m for m in ctx.scenario.measures if m.enabled and (p := m.production()) is not None
                    and (p.site, p.product) == (self.site, x)]
            if x in products and not made:
                ctx.fail(f"inputs_per_t.{x}", f"product {x!r} of site {self.site!r} is made by no route; an "
                         "intermediate needs a route that makes it")


class RouteModel(SizedAssetModel):
    """production <= existing + new capacity; ramp; share; energy, process emissions and inputs per t as the
    change from the route's BAU production (which the BAU projection already counts at the site)."""

    config = Route
    size_unit = "kt/yr"
    macc_method = "none"  # a route changes how a product is made: valued in the plan's MACC, not forced alone
    coefficient_fields = ("capex_cny_per_t", "vom_cny_per_t")  # read only by blk.unit_capex and blk.unit_vom
    cfg: Route

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_t * CNY_PER_TPA_TO_MCNY_PER_KTPA

    def coefficients(self) -> dict[str, dict]:
        """unit capex of new capacity and the variable O&M with priced materials (a material price may change)."""
        return {**super().coefficients(), "unit_vom": {y: self.unit_vom(y) for y in self.inp.years}}

    def siblings(self) -> list[str]:
        """Ids of the routes making the same product at the same site (this one included)."""
        cfg = self.cfg
        made = {m.id: m.production() for m in self.inp.measures}
        return [i for i, p in made.items() if p is not None and (p.site, p.product) == (cfg.site, cfg.product)]

    def natural_max(self) -> float:
        """The product's largest BAU production (all its routes), kt/yr."""
        return max(sum(self.inp.bau_route_kt[r, y] for r in self.siblings()) for y in self.inp.years)

    def unit_vom(self, y: int) -> float:
        """Variable O&M plus the priced materials of `inputs_per_t` in year y, MCNY per kt made."""
        inp, cfg = self.inp, self.cfg
        products = {p for s, p in inp.site_products if s == cfg.site}
        materials = sum(x * inp.prices_cny[c][y] for c, x in sorted(cfg.inputs_per_t.items())
                        if c not in products and c not in inp.carrier_mwh_per_unit)  # CNY per t of product
        return (cfg.vom_cny_per_t + materials) * CNY_PER_T_TO_MCNY_PER_KT

    def existing_kt(self, y: int) -> float:
        """Existing capacity in service in year y, kt/yr."""
        until = self.cfg.existing_until
        return self.cfg.existing_capacity_t * T_TO_KT if until is None or y <= until else 0.0

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period, years = inp.time.period_of, inp.years
        blk.production = pyo.Var(m.periods, domain=pyo.NonNegativeReals, doc="production, kt/yr")
        blk.production_capacity_max = pyo.Constraint(m.periods, rule=lambda b, y: (
            b.production[y] <= self.existing_kt(y) + b.capacity[y]))
        if cfg.ramp_t_per_year is not None:
            ramp = cfg.ramp_t_per_year * T_TO_KT
            blk.production_ramp_max = pyo.Constraint(m.periods, rule=lambda b, y: (
                b.production[y] - (b.production[y - 1] if y > years[0] else inp.base_route_kt[self.id]) <= ramp))
        key = (s, cfg.product)
        products = {p for ss, p in inp.site_products if ss == s}
        for y in years:
            ledger.add("product_made", key, y, blk.production[y], self.id)
            for q, x in sorted(cfg.inputs_per_t.items()):
                if q in products:  # an intermediate product of the site (t per t)
                    ledger.add("product_used", (s, q), y, x * blk.production[y], self.id)
        energy = dict(cfg.energy_per_t)
        for c, x in cfg.inputs_per_t.items():
            if c not in products and c in inp.carrier_mwh_per_unit:  # a carrier named as an input: energy
                energy[c] = energy.get(c, 0.0) + x
        for ts in m.slices:
            y = period(ts)
            delta = blk.production[y] - inp.bau_route_kt[self.id, y]  # kt/yr more than in BAU
            for c, x in sorted(energy.items()):
                if c == "electricity":  # MWh/t = GWh/kt, shaped like the site's load
                    ledger.add("elec_load", s, ts, x * inp.shape("load", s, ts) * delta, self.id)
                else:  # carrier units/t x MWh/unit = GWh/kt of fuel, shaped like the site's heat
                    gwh = x * inp.carrier_mwh_per_unit[c] * inp.shape("heat", s, ts)
                    ledger.add("fuel_saved", (s, c), ts, -gwh * delta, self.id)
            for g, x in sorted(cfg.process_emissions_per_t.items()):
                ledger.add("process_cut", (s, "route", g), ts, -x * inp.gwp[g] * delta, self.id)
        # variable O&M and priced materials per kt, a mutable parameter (a material price is a coefficient)
        blk.unit_vom = pyo.Param(m.periods, initialize={y: self.unit_vom(y) for y in years}, mutable=True,
                                 within=pyo.Reals, doc="variable O&M and materials per kt made, MCNY")
        for y in years:
            self.cost(ledger, "variable_om", y, self.share * blk.unit_vom[y] * blk.production[y])
            if cfg.fom_cny_per_t > 0:
                self.cost(ledger, "fixed_om", y, self.share * cfg.fom_cny_per_t * CNY_PER_T_TO_MCNY_PER_KT
                          * (self.existing_kt(y) + blk.capacity[y]))

    def link(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """production <= max_share x the product's production by every route (read from the ledger)."""
        if self.cfg.max_share is None:
            return
        key, share = (self.cfg.site, self.cfg.product), self.cfg.max_share
        blk.production_share_max = pyo.Constraint(core.m.periods, rule=lambda b, y: (
            b.production[y] <= share * ledger.total("product_made", key, y)))

    def production_t(self, value) -> dict[int, float]:
        """Production by year, t (read by the product frames)."""
        return {y: value(self.block.production[y]) * KT_TO_T for y in self.inp.years}
