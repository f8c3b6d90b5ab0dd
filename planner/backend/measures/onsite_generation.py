"""On-site generation (kind `onsite_generation`): rooftop PV or wind, MW (docs/model.md §6.3)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...schemas.measure import SizedMeasure
from ...schemas.types import NonNeg, Share
from ...units import CNY_PER_KW_TO_MCNY_PER_MW, MWH_TO_GWH
from ..hourly import natural_generation_mw
from ..lazy_pyomo import pyo
from ..ledger import Ledger, sum_terms
from .base import SizedAssetModel


class OnsiteGeneration(SizedMeasure):
    """On-site PV or wind (MW)."""

    kind: Literal["onsite_generation"]
    capex_cny_per_kw: NonNeg
    yield_mwh_per_mw: Annotated[float, Field(gt=0, le=8760)]
    self_consumption: Share = 1.0
    degradation: Annotated[float, Field(ge=0, lt=0.2)] = 0.0
    technology: Literal["pv", "wind"] = "pv"  # which hourly profile of the site it follows (hourly mode)
    default_family = "renewables"
    needs_site = True


class OnsiteGenerationModel(SizedAssetModel):
    """generation = Σ over vintages of size x yield x (1 - degradation)^age;
    direct + export + to_storage <= generation; direct <= self_consumption x generation;
    export <= export limit x generation; the rest is curtailed."""

    config = OnsiteGeneration
    size_unit = "MW"
    cfg: OnsiteGeneration
    coefficient_fields = ("capex_cny_per_kw",)

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kw * CNY_PER_KW_TO_MCNY_PER_MW

    def natural_max(self) -> float:
        inp, s = self.inp, self.cfg.site
        if inp.hourly is not None:  # the output a day can use through storage and export (§15.6)
            eta = min((m.round_trip_efficiency for m in inp.measures if m.kind == "storage" and m.site == s),
                      default=1.0)
            return natural_generation_mw(inp, s, self.cfg.technology, self.cfg.yield_mwh_per_mw, eta)
        peak = max(self.inp.bau_elec_gwh[self.cfg.site, t] for t in self.inp.years)
        return peak / (self.cfg.yield_mwh_per_mw * MWH_TO_GWH)

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        hourly = inp.hourly is not None
        gwh_per_mw = cfg.yield_mwh_per_mw * MWH_TO_GWH
        shape = {ts: inp.shape(cfg.technology, s, ts) for ts in m.slices} if hourly else None
        slices = list(m.slices)
        size, capacity = dict(blk.size.items()), dict(blk.capacity.items())
        # expressions and rows as {slice: expression} (no rule function for Pyomo to inspect)
        if cfg.degradation:  # vintage-specific output
            blk.generation = pyo.Expression(m.slices, initialize={ts: sum_terms([
                size[x] * gwh_per_mw * (1 - cfg.degradation) ** (period(ts) - x) for x in self.window(period(ts))])
                * (shape[ts] if hourly else 1) for ts in slices})
        elif hourly:
            blk.generation = pyo.Expression(m.slices, initialize={ts: (
                gwh_per_mw * shape[ts] * capacity[period(ts)]) for ts in slices})
        else:
            blk.generation = pyo.Expression(m.slices, initialize={ts: gwh_per_mw * capacity[period(ts)]
                                                                  for ts in slices})
        blk.direct = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="used on site directly, GWh")
        blk.export = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="exported, GWh")
        generation, direct, export = dict(blk.generation.items()), dict(blk.direct.items()), dict(blk.export.items())
        if hourly:  # a battery charges from the site's bus (its charge is load), so no separate flow to storage
            blk.generation_split_max = pyo.Constraint(m.slices, rule={ts: (
                direct[ts] + export[ts] <= generation[ts]) for ts in slices})
        else:
            blk.to_storage = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="sent to storage, GWh")
            to_storage = dict(blk.to_storage.items())
            blk.generation_split_max = pyo.Constraint(m.slices, rule={ts: (
                direct[ts] + export[ts] + to_storage[ts] <= generation[ts]) for ts in slices})
        if not hourly:  # hourly: the load balance of each hour decides what the site can use
            blk.direct_self_consumption_max = pyo.Constraint(m.slices, rule={ts: (
                direct[ts] <= cfg.self_consumption * generation[ts]) for ts in slices})
        limit = inp.export_limit_share[s]
        blk.export_share_max = pyo.Constraint(m.slices, rule={ts: export[ts] <= limit * generation[ts]
                                                              for ts in slices})
        for ts in m.slices:
            ledger.add("onsite_supply", s, ts, direct[ts], self.id)
            if hourly:
                ledger.add("export", s, ts, export[ts], self.id)
            else:
                ledger.add("surplus_to_storage", s, ts, to_storage[ts], self.id)
        for y, ts, w in inp.time.flows():
            share = self.share * w
            self.cost(ledger, "export_revenue", y, -share * core.export_price(s, y, ts) * export[ts])
