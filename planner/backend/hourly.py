"""Site grid connection in the representative-day mode (docs/model.md §15): the monthly peak import behind the
demand charge of a two-part tariff, the export power limit, and the contracted connection (§15.6): import and
export limits, their upgrade and the capacity charge on the contracted kVA. Built by `Core.close` only when the
inputs carry hourly data; the annual model never reaches this module.
"""

from __future__ import annotations

from ..preprocess.inputs import ModelInputs
from ..units import CNY_PER_KW_TO_MCNY_PER_MW, CNY_TO_MCNY
from .lazy_pyomo import pyo
from .ledger import Ledger

HOURS_PER_YEAR = 8760.0
GWH_PER_YEAR_PER_MW = HOURS_PER_YEAR / 1000.0  # a slice's annual rate (GWh/yr) of 1 MW held all year


def _weighted(factor: float, expr):
    return expr if factor == 1.0 else factor * expr


def add_hourly_grid(m: pyo.ConcreteModel, inp: ModelInputs, ledger: Ledger) -> None:
    """Daily and monthly peak import (MW) with the demand charge as an `energy` cost; export power limit."""
    hi, time = inp.hourly, inp.time
    charged = [s for s in inp.sites if hi.demand_charge_cny_per_kw_month[s] > 0 and not (
        hi.connection.get(s) is not None and hi.connection[s].billing == "capacity")]
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


MONTHS = 12


def add_connection(m: pyo.ConcreteModel, inp: ModelInputs, ledger: Ledger) -> None:
    """Connection limits (MW) on import and export per slice, the upgrade decision (MW built per year, in
    service for its lifetime, capex and straight-line salvage as a measure's) and the capacity charge."""
    hi, time = inp.hourly, inp.time
    conns = {s: c for s, c in hi.connection.items() if c is not None}
    years = time.years
    up = {s: c.upgrade for s, c in conns.items() if c.upgrade is not None}
    built_years = {s: [t for t in years if t >= (u.earliest_year or years[0])] for s, u in up.items()}
    builds = [(s, t) for s, ts in built_years.items() for t in ts]
    m.connection_built = pyo.Var(builds, domain=pyo.NonNegativeReals, doc="connection capacity added, MW")
    if any(u.max_mw is not None for u in up.values()):
        m.connection_built_max = pyo.Constraint(m.periods, [s for s, u in up.items() if u.max_mw is not None],
                                                rule=lambda m, y, s: sum(
            m.connection_built[s, t] for t in built_years[s] if t <= y) <= up[s].max_mw)

    def added(s: str, y: int):
        if s not in up:
            return 0.0
        return sum(m.connection_built[s, t] for t in built_years[s] if t <= y < t + up[s].lifetime)

    m.connection_mw = pyo.Expression([(s, y) for s in conns for y in years], rule=lambda m, s, y: (
        (conns[s].contracted_mw or 0.0) + added(s, y)), doc="import limit in service, MW")
    rows = [(s, ts) for s, c in conns.items() if c.contracted_mw is not None for ts in time.slice_keys]
    m.connection_import_max = pyo.Constraint(rows, rule=lambda m, s, ts: (
        m.grid_purchase[s, ts] <= GWH_PER_YEAR_PER_MW * m.connection_mw[s, time.period_of(ts)]))
    rows = [(s, ts) for s, c in conns.items() if c.export_mw is not None for ts in time.slice_keys
            if ledger.has("export", s, ts)]
    m.connection_export_max = pyo.Constraint(rows, rule=lambda m, s, ts: (
        ledger.total("export", s, ts) <= GWH_PER_YEAR_PER_MW * (conns[s].export_mw + added(s, time.period_of(ts)))))
    end = years[-1]
    for s, t in builds:
        u, share = up[s], inp.site_share[s]
        capex = share * u.capex_cny_per_mw * CNY_TO_MCNY * m.connection_built[s, t]
        ledger.add("cost", "capex", t, capex)
        ledger.add("capex", None, t, capex)
        if t + u.lifetime - 1 > end:  # value left at the horizon's end (docs/model.md §4)
            ledger.add("cost", "salvage", end, -capex * (t + u.lifetime - 1 - end) / u.lifetime)
    for s, c in conns.items():
        if c.billing != "capacity":
            continue
        charge = hi.capacity_charge_cny_per_kva_month[s] * MONTHS * c.kva_per_mw * CNY_TO_MCNY  # MCNY per MW-yr
        for y in years:
            ledger.add("cost", "energy", y, inp.site_share[s] * charge * m.connection_mw[s, y])


def day_use_mwh(inp: ModelInputs, s: str) -> dict[tuple[int, int], float]:
    """(detail year, day) -> the site's BAU electricity plus all its BAU useful heat (an upper bound of the
    electricity that electrified heat could draw, COP >= 1) over the representative day, MWh: what storage
    can ever discharge into the site's bus in a day (natural bounds, docs/model.md §15.6)."""
    hi, time = inp.hourly, inp.time
    step = hi.hours_per_slice
    out: dict[tuple[int, int], float] = {}
    for sl in time.slices:
        rate = inp.elec_load_gwh(s, sl.key) + sum(inp.heat_gwh(s, c, sl.key) for c in inp.site_fuels[s])
        key = (sl.period, sl.day)
        out[key] = out.get(key, 0.0) + rate / GWH_PER_YEAR_PER_MW * step
    return out


def natural_storage_mwh(inp: ModelInputs, s: str, round_trip: float) -> float:
    """Largest useful battery energy: a day's largest use over the discharge efficiency (the state of charge is
    cyclic within a day, so a battery never holds more than it discharges in one day)."""
    return max(day_use_mwh(inp, s).values()) / round_trip ** 0.5


def natural_generation_mw(inp: ModelInputs, s: str, kind: str, mwh_per_mw_year: float, round_trip: float) -> float:
    """Largest useful PV or wind capacity: on the representative day that needs the most, the output that covers
    the day's use through a battery (1/round trip) plus the day's export at the export limit (0 when exports
    are unpaid). Days making under 10% of the mean day's output are left out (no plant is sized for them)."""
    hi, time = inp.hourly, inp.time
    step = hi.hours_per_slice
    per_mw = {}
    for sl in time.slices:
        key = (sl.period, sl.day)
        per_mw[key] = per_mw.get(key, 0.0) + mwh_per_mw_year / HOURS_PER_YEAR * inp.shape(kind, s, sl.key) * step
    mean = sum(per_mw.values()) / len(per_mw)
    lim = [x for x in (hi.export_limit_mw.get(s), getattr(hi.connection.get(s), "export_mw", None)) if x is not None]
    paid = any((inp.export_price(s, ts) or inp.price_export_mcny_per_gwh[time.period_of(ts)]) > 0
               for ts in time.slice_keys)
    export_day = (min(lim) * 24 if lim else float("inf")) if paid else 0.0
    use = day_use_mwh(inp, s)
    return max((use[k] / round_trip + export_day) / g for k, g in per_mw.items() if g >= 0.1 * mean)
