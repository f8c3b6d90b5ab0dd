"""Battery storage (kind `storage`), MWh: shifts surplus on-site generation to on-site use (docs/model.md §6.4)."""

from __future__ import annotations

from typing import Annotated, Literal

import pyomo.environ as pyo
from pydantic import Field

from ...schemas.measure import SizedMeasure
from ...schemas.types import NonNeg
from ...units import CNY_PER_KWH_TO_MCNY_PER_MWH, GWH_TO_MWH, MWH_TO_GWH
from ..ledger import Ledger
from .base import SizedAssetModel

DAYS_PER_YEAR = 365.0


class Storage(SizedMeasure):
    """Battery (MWh) that shifts surplus on-site generation to on-site use."""

    kind: Literal["storage"]
    capex_cny_per_kwh: NonNeg
    cycles_per_year: Annotated[float, Field(gt=0, le=1000)] = 330.0
    round_trip_efficiency: Annotated[float, Field(gt=0, le=1)] = 0.88
    default_family = "storage"
    needs_site = True


class StorageModel(SizedAssetModel):
    """charge <= cycles x capacity; supplies round_trip_efficiency x charge to the site's load."""

    config = Storage
    size_unit = "MWh"
    cfg: Storage

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kwh * CNY_PER_KWH_TO_MCNY_PER_MWH

    def natural_max(self) -> float:
        peak = max(self.inp.bau_elec_gwh[self.cfg.site, t] for t in self.inp.years)
        return peak * GWH_TO_MWH / DAYS_PER_YEAR * 0.5  # half a day of average load

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        blk.charge = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="charged from on-site surplus, GWh")
        blk.charge_cycles_max = pyo.Constraint(m.slices, rule=lambda b, ts: (
            b.charge[ts] <= cfg.cycles_per_year * MWH_TO_GWH * b.capacity[period(ts)]))
        for ts in m.slices:
            ledger.add("storage_charge", s, ts, blk.charge[ts], self.id)
            ledger.add("onsite_supply", s, ts, cfg.round_trip_efficiency * blk.charge[ts], self.id)
