"""Shared base of the green-power kinds bought year by year: `green_ppa` and `green_certificates`
(docs/model.md §6.7). Not a kind itself."""

from __future__ import annotations

from typing import ClassVar

from ...schemas.measure import MeasureBase
from ...schemas.trajectory import NonNegTrajectory, Trajectory, interpolate
from ...schemas.types import Share
from ...units import CNY_PER_MWH_TO_MCNY_PER_GWH, GWH_TO_MWH, KT_TO_T, MWH_TO_GWH
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import MeasureModel, Value, purchase_rows


class GreenPower(MeasureBase):
    """Common fields of PPAs and certificates: claims against grid purchases, zero market-based factor."""

    max_share: Share = 1.0  # of each covered site's grid purchases
    max_mwh: NonNegTrajectory | None = None  # over all covered sites, per year
    default_family = "green_power"

    def price_override(self) -> Trajectory | None:
        """The measure's own price trajectory (CNY/MWh), if any."""
        return None


class GreenPowerModel(MeasureModel):
    """claim[s,t] <= max_share x grid[s,t]; Σ_s claim <= max_mwh; cost = price x claim."""

    size_unit = "MWh"
    price_item: ClassVar[str]  # library price item
    cost_category: ClassVar[str]
    cfg: GreenPower

    def price_mcny_per_gwh(self) -> dict[int, float]:
        prices = self.inp.price(self.price_item, self.cfg.price_override())
        return {t: v * CNY_PER_MWH_TO_MCNY_PER_GWH for t, v in prices.items()}

    def coefficients(self) -> dict[str, dict]:
        prices = self.price_mcny_per_gwh()
        return {"price": {y: prices[y] for y in self.years}}

    @property
    def sites(self) -> list[str]:
        return [self.cfg.site] if self.cfg.site else self.inp.sites

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, m = self.inp, self.cfg, core.m
        years = set(self.years)
        slices = [ts for ts in inp.time.slice_keys if inp.time.period_of(ts) in years]
        sites = self.sites
        blk.slices = pyo.Set(initialize=slices, ordered=True)
        blk.sites = pyo.Set(initialize=sites, ordered=True)
        prices = self.price_mcny_per_gwh()
        blk.price = pyo.Param(self.years, initialize={y: prices[y] for y in self.years}, mutable=True, within=pyo.Reals,
                              doc="price per GWh claimed, MCNY/GWh")
        blk.claim = pyo.Var(blk.sites, blk.slices, domain=pyo.NonNegativeReals, doc="MWh claimed, GWh")
        blk.claim_share_max = pyo.Constraint(blk.sites, blk.slices, rule=lambda b, s, ts: (
            b.claim[s, ts] <= cfg.max_share * m.grid_purchase[s, ts]))
        flows = [(y, ts, w) for y, ts, w in inp.time.flows() if y in years and ts in blk.slices]
        if cfg.max_mwh is not None:
            cap = interpolate(cfg.max_mwh, self.years)
            blk.claim_volume_max = pyo.Constraint(self.years, rule=lambda b, y: sum(
                w * b.claim[s, ts] for yy, ts, w in flows if yy == y for s in sites) <= cap[y] * MWH_TO_GWH)
        for ts in slices:
            for s in sites:
                ledger.add("green_claims", s, ts, blk.claim[s, ts], self.id)
        for y, ts, w in flows:
            for s in sites:
                weight = inp.site_share[s] * w
                self.cost(ledger, self.cost_category, y, weight * blk.price[y] * blk.claim[s, ts])

    def roadmap_rows(self, value: Value) -> list[dict]:
        blk, time = self.block, self.inp.time
        vols = {y: 0.0 for y in self.years}
        for y, ts, w in time.flows():
            if y in vols and ts in blk.slices:
                vols[y] += sum(w * value(blk.claim[s, ts]) for s in blk.sites) * GWH_TO_MWH
        return purchase_rows(vols, "MWh")

    macc_method = "closed_form"

    def standalone_macc(self) -> tuple[float, float] | None:
        """All covered grid power claimed in the first year: potential = max_share x market-based scope 2;
        cost = price per MWh over the market-based factor."""
        inp, y0 = self.inp, self.inp.years[0]
        kt = sum(inp.site_share[s] * inp.bau_elec_gwh[s, y0] * inp.grid_market_kt_per_gwh[s, y0] for s in self.sites)
        gwh = sum(inp.site_share[s] * inp.bau_elec_gwh[s, y0] for s in self.sites)
        if kt <= 0:
            return None
        price = inp.price(self.price_item, self.cfg.price_override())[y0]  # CNY/MWh
        return self.cfg.max_share * kt * KT_TO_T, price * gwh / kt  # CNY/MWh over t/MWh
