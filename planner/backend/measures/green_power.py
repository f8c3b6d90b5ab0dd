"""Shared base of the green-power kinds bought year by year: `green_ppa` and `green_certificates`
(docs/model.md §6.7). Not a kind itself."""

from __future__ import annotations

from typing import ClassVar, Literal

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
    # hour-by-hour output of the contracted generation (hourly matching, docs/model.md §15.6): `flat` (baseload),
    # or the covered site's `pv` or `wind` profile
    profile: Literal["flat", "pv", "wind"] = "flat"
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
        bought = blk.claim  # what is paid for: the claims, or with hourly matching the contracted output
        if self.hourly_matching:  # claims only in the hours the contracted generation produces (§15.6)
            period = inp.time.period_of
            detail = sorted({period(ts) for ts in slices})
            blk.volume = pyo.Var(blk.sites, detail, domain=pyo.NonNegativeReals,
                                 doc="contracted generation, GWh/yr (its hourly output follows `profile`)")
            blk.claim_output_max = pyo.Constraint(blk.sites, blk.slices, rule=lambda b, s, ts: (
                b.claim[s, ts] <= self.output_shape(s, ts) * b.volume[s, period(ts)]))
            bought = {(s, ts): self.output_shape(s, ts) * blk.volume[s, period(ts)] for s in sites for ts in slices}
        if cfg.max_mwh is not None:
            cap = interpolate(cfg.max_mwh, self.years)
            blk.claim_volume_max = pyo.Constraint(self.years, rule=lambda b, y: sum(
                w * bought[s, ts] for yy, ts, w in flows if yy == y for s in sites) <= cap[y] * MWH_TO_GWH)
        for ts in slices:
            for s in sites:
                ledger.add("green_claims", s, ts, blk.claim[s, ts], self.id)
        for y, ts, w in flows:
            for s in sites:
                weight = inp.site_share[s] * w
                self.cost(ledger, self.cost_category, y, weight * blk.price[y] * bought[s, ts])

    @property
    def hourly_matching(self) -> bool:
        return self.inp.hourly is not None and self.inp.hourly.hourly_matching

    def output_shape(self, s: str, ts) -> float:
        """Weighted-mean-1 output of the contracted generation in a slice (1 for `flat`)."""
        return 1.0 if self.cfg.profile == "flat" else self.inp.shape(self.cfg.profile, s, ts)

    def supply(self, value: Value, s: str, ts) -> float:
        """Carbon-free output of the contract at site s in slice ts, GWh/yr rate (the 24/7 share, §15.6): the
        contracted volume, or with annual matching the year's claims, spread over the year by `profile`."""
        blk, time = self.block, self.inp.time
        if s not in blk.sites or ts not in blk.slices:
            return 0.0
        y = time.period_of(ts)
        if self.hourly_matching:
            return self.output_shape(s, ts) * value(blk.volume[s, y])
        year = sum(sl.weight * value(blk.claim[s, sl.key]) for sl in time.own_slices(y))
        return self.output_shape(s, ts) * year

    def roadmap_rows(self, value: Value) -> list[dict]:
        blk, time = self.block, self.inp.time
        vols = {y: 0.0 for y in self.years}
        for y, ts, w in time.flows():
            if y in vols and ts in blk.slices:  # MWh bought: claims, or the contracted output (hourly matching)
                vols[y] += sum(w * (self.output_shape(s, ts) * value(blk.volume[s, time.period_of(ts)])
                                    if self.hourly_matching else value(blk.claim[s, ts]))
                               for s in blk.sites) * GWH_TO_MWH
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
