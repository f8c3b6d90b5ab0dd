"""Battery storage (kind `storage`), MWh: shifts surplus on-site generation to on-site use (docs/model.md §6.4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...schemas.measure import CheckContext, SizedMeasure
from ...schemas.types import NonNeg
from ...units import (
    CNY_PER_KW_TO_MCNY_PER_MW,
    CNY_PER_KWH_TO_MCNY_PER_MWH,
    GWH_TO_MWH,
    MCNY_TO_CNY,
    MWH_TO_GWH,
)
from ..hourly import natural_storage_mwh
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import SizedAssetModel

DAYS_PER_YEAR = 365.0
MW_TO_GWH_PER_YEAR = 8.76  # 1 MW held all year is an annual rate of 8.76 GWh
MAX_C_RATE = 4.0  # default power potential: MW per MWh of the energy potential (a 15-minute battery)


class Storage(SizedMeasure):
    """Battery (MWh) that shifts surplus on-site generation to on-site use."""

    kind: Literal["storage"]
    capex_cny_per_kwh: NonNeg
    # full cycles a year; null: no limit (representative days only: the hourly dispatch limits the cycling)
    cycles_per_year: Annotated[float, Field(gt=0, le=1000)] | None = 330.0
    round_trip_efficiency: Annotated[float, Field(gt=0, le=1)] = 0.88
    duration_h: Annotated[float, Field(gt=0, le=24)] = 2.0  # hourly mode: power = energy size / duration
    # hourly mode: power (MW) as its own decision at this capex (duration_h then unused); energy at capex_cny_per_kwh
    power_capex_cny_per_kw: NonNeg | None = None
    max_power_mw: Annotated[float, Field(ge=0, le=1e6)] | None = None  # default: energy potential x 4 per hour
    default_family = "storage"
    needs_site = True

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        if self.cycles_per_year is None and ctx.scenario.time.resolution == "annual":
            ctx.fail("cycles_per_year", "the annual model needs a cycle limit (null only with representative days)")


class StorageModel(SizedAssetModel):
    """charge <= cycles x capacity; supplies round_trip_efficiency x charge to the site's load."""

    config = Storage
    size_unit = "MWh"
    cfg: Storage
    coefficient_fields = ("capex_cny_per_kwh", "power_capex_cny_per_kw")

    def unit_capex(self, year: int) -> float:
        return self.cfg.capex_cny_per_kwh * CNY_PER_KWH_TO_MCNY_PER_MWH

    def power_unit_capex(self) -> float:
        """Capex per MW of power (hourly mode with `power_capex_cny_per_kw`), MCNY."""
        return self.cfg.power_capex_cny_per_kw * CNY_PER_KW_TO_MCNY_PER_MW

    def coefficients(self) -> dict[str, dict]:
        out = super().coefficients()
        if hasattr(self.block, "power_unit_capex"):
            out["power_unit_capex"] = {t: self.power_unit_capex() for t in self.build_years}
        return out

    @classmethod
    def config_change(cls, old: Storage, new: Storage) -> str | None:
        """A power capex given or removed adds or drops the power decision: a rebuild."""
        if (old.power_capex_cny_per_kw is None) != (new.power_capex_cny_per_kw is None):
            return "power_capex_cny_per_kw"
        return super().config_change(old, new)

    def natural_max(self) -> float:
        if self.inp.hourly is not None:  # a day's largest use over the discharge efficiency (§15.6)
            return natural_storage_mwh(self.inp, self.cfg.site, self.cfg.round_trip_efficiency)
        peak = max(self.inp.bau_elec_gwh[self.cfg.site, t] for t in self.inp.years)
        return peak * GWH_TO_MWH / DAYS_PER_YEAR * 0.5  # half a day of average load

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        if self.inp.hourly is not None:
            self.build_dispatch(blk, core, ledger)
            return
        inp, cfg, s, m = self.inp, self.cfg, self.cfg.site, core.m
        period = inp.time.period_of
        blk.charge = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="charged from on-site surplus, GWh")
        blk.charge_cycles_max = pyo.Constraint(m.slices, rule=lambda b, ts: (
            b.charge[ts] <= cfg.cycles_per_year * MWH_TO_GWH * b.capacity[period(ts)]))
        for ts in m.slices:
            ledger.add("storage_charge", s, ts, blk.charge[ts], self.id)
            ledger.add("onsite_supply", s, ts, cfg.round_trip_efficiency * blk.charge[ts], self.id)

    def build_dispatch(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """Representative-day dispatch (docs/model.md §15): charge and discharge from and to the site's bus,
        state of charge cyclic within each day, power = energy size / duration."""
        inp, cfg, s, m, time = self.inp, self.cfg, self.cfg.site, core.m, self.inp.time
        period = time.period_of
        hours = inp.hourly.hours
        step_h = 24 / hours
        mwh_per_rate = step_h / MW_TO_GWH_PER_YEAR  # MWh moved in a slice per GWh/yr of rate
        eta = cfg.round_trip_efficiency ** 0.5  # charge and discharge efficiency each
        prev = {}
        for sl in time.slices:
            prev[sl.key] = f"{sl.period}.d{sl.day}.h{(sl.hour - 1) % hours:02d}"
        blk.charge = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="charging, GWh (annual rate)")
        blk.discharge = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="discharging, GWh (annual rate)")
        blk.soc = pyo.Var(m.slices, domain=pyo.NonNegativeReals, doc="state of charge at the end of a slice, MWh")
        blk.soc_def = pyo.Constraint(m.slices, rule=lambda b, ts: b.soc[ts] == b.soc[prev[ts]] + mwh_per_rate * (
            eta * b.charge[ts] - b.discharge[ts] / eta))
        blk.soc_max = pyo.Constraint(m.slices, rule=lambda b, ts: b.soc[ts] <= b.capacity[period(ts)])
        if cfg.power_capex_cny_per_kw is None:  # fixed duration: power = energy size / duration
            rate = MW_TO_GWH_PER_YEAR / cfg.duration_h  # GWh/yr of rate per MWh of energy size
            power = {y: rate * blk.capacity[y] for y in time.detail_years}
        else:
            self.build_power(blk, core, ledger)
            power = {y: MW_TO_GWH_PER_YEAR * blk.power[y] for y in time.detail_years}
        blk.charge_power_max = pyo.Constraint(m.slices, rule=lambda b, ts: b.charge[ts] <= power[period(ts)])
        blk.discharge_power_max = pyo.Constraint(m.slices, rule=lambda b, ts: b.discharge[ts] <= power[period(ts)])
        if cfg.cycles_per_year is not None:
            blk.discharge_cycles_max = pyo.Constraint(time.detail_years, rule=lambda b, y: sum(
                sl.weight * b.discharge[sl.key] for sl in time.own_slices(y))
                <= cfg.cycles_per_year * MWH_TO_GWH * b.capacity[y])
        for ts in m.slices:
            ledger.add("elec_load", s, ts, blk.charge[ts] - blk.discharge[ts], self.id)

    def build_power(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        """Power (MW) as a decision of its own (docs/model.md §15.3): built with the energy size in a build year
        (`power_built` <= potential x build), in service for the same lifetime, capex per MW with the same cost
        index, fixed O&M share and straight-line salvage as the energy size."""
        cfg, share, years = self.cfg, self.share, self.inp.years
        pmax = cfg.max_power_mw if cfg.max_power_mw is not None else MAX_C_RATE * self.smax
        blk.power_built = pyo.Var(blk.build_years, bounds=(0, pmax), doc="power built, MW")
        blk.power_built_max = pyo.Constraint(blk.build_years, rule=lambda b, t: b.power_built[t] <= pmax * b.build[t])
        blk.power = pyo.Var(blk.periods, bounds=(0, pmax), doc="power in service, MW")
        blk.power_def = pyo.Constraint(blk.periods, rule=lambda b, y: b.power[y] == sum(
            b.power_built[x] for x in self.window(y)))
        unit = self.power_unit_capex()
        blk.power_unit_capex = pyo.Param(blk.build_years, initialize=unit, mutable=True, within=pyo.Reals,
                                         doc="capex per MW of power, MCNY")
        index = core.capex_index(cfg.cost_index)
        blk.power_capex = pyo.Expression(blk.build_years, rule=lambda b, t: (
            b.power_unit_capex[t] * index[t] * b.power_built[t]), doc="capex of the power of a build, MCNY")
        for t in self.build_years:
            self.cost(ledger, "capex", t, share * blk.power_capex[t])
            ledger.add("capex", None, t, share * blk.power_capex[t], self.id)
        for t in years:
            if win := self.window(t):
                self.cost(ledger, "fixed_om", t, share * sum(cfg.fom_share * blk.power_capex[x] for x in win))
        life, end = cfg.lifetime, years[-1]
        left = [x for x in self.build_years if x + life - 1 > end]
        if left:
            self.cost(ledger, "salvage", end, -share * sum(blk.power_capex[x] * (x + life - 1 - end) / life
                                                           for x in left))

    def roadmap_rows(self, value) -> list[dict]:
        rows = super().roadmap_rows(value)
        if not hasattr(self.block, "power_built"):
            return rows
        out = []
        for r in rows:  # each build's power beside its energy size
            t = r["year"]
            out += [r, {**r, "size": value(self.block.power_built[t]), "unit": "MW",
                        "capex_cny": value(self.block.power_capex[t]) * MCNY_TO_CNY}]
        return out
