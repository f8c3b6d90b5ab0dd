"""Site grid connection in the representative-day mode (docs/model.md §15): the monthly peak import behind the
demand charge of a two-part tariff and the export power limit. Built by `Core.close` only when the inputs
carry hourly data; the annual model never reaches this module.
"""

from __future__ import annotations

from ..preprocess.inputs import ModelInputs
from ..units import CNY_PER_KW_TO_MCNY_PER_MW
from .lazy_pyomo import pyo
from .ledger import Ledger

HOURS_PER_YEAR = 8760.0
GWH_PER_YEAR_PER_MW = HOURS_PER_YEAR / 1000.0  # a slice's annual rate (GWh/yr) of 1 MW held all year


def _weighted(factor: float, expr):
    return expr if factor == 1.0 else factor * expr


def add_hourly_grid(m: pyo.ConcreteModel, inp: ModelInputs, ledger: Ledger) -> None:
    """Daily and monthly peak import (MW) with the demand charge as an `energy` cost; export power limit."""
    hi, time = inp.hourly, inp.time
    charged = [s for s in inp.sites if hi.demand_charge_cny_per_kw_month[s] > 0]
    m.rep_days = pyo.Set(initialize=hi.days, ordered=True, doc="representative days")
    m.months = pyo.Set(initialize=range(1, 13), ordered=True)
    detail = time.detail_years
    m.peak_day = pyo.Var(charged, detail, m.rep_days, domain=pyo.NonNegativeReals,
                         doc="peak grid import on a representative day of a detail year, MW")
    m.peak_month = pyo.Var(charged, detail, m.months, domain=pyo.NonNegativeReals,
                           doc="peak grid import of a month of a detail year, MW (billed by the demand charge)")
    day_of = {s.key: s.day for s in time.slices}
    rows = [(s, ts) for s in charged for ts in time.slice_keys]
    m.peak_day_min = pyo.Constraint(rows, rule=lambda m, s, ts: (
        m.peak_day[s, time.period_of(ts), day_of[ts]] >= m.grid_purchase[s, ts] / GWH_PER_YEAR_PER_MW))
    pairs = [(s, y, mo, d) for s in charged for y in detail for d in hi.days for mo in hi.day_months[d]]
    m.peak_month_min = pyo.Constraint(pairs, rule=lambda m, s, y, mo, d: m.peak_month[s, y, mo] >= m.peak_day[s, y, d])
    for s in charged:
        dc = hi.demand_charge_cny_per_kw_month[s] * CNY_PER_KW_TO_MCNY_PER_MW
        for y in time.years:  # an interpolated year pays the blend of its detail years' peaks (§15.1)
            peaks = sum(_weighted(f, sum(m.peak_month[s, d, mo] for mo in m.months)) for d, f in time.blend(y))
            ledger.add("cost", "energy", y, inp.site_share[s] * dc * peaks)
    limited = [(s, ts) for s in inp.sites if hi.export_limit_mw[s] is not None for ts in time.slice_keys
               if ledger.has("export", s, ts)]
    m.export_limit_max = pyo.Constraint(limited, rule=lambda m, s, ts: (
        ledger.total("export", s, ts) <= hi.export_limit_mw[s] * GWH_PER_YEAR_PER_MW))
