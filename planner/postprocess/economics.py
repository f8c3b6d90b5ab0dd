"""Per-measure economics of a solved plan (`measure_economics.csv`): which investments pay for themselves.

For each adopted measure: its discounted cost (own cost terms + the energy cost change its ledger terms
cause, as in the plan MACC), its abatement (scope 1 + scope 2 market + scope 3, consolidated, over the
horizon) and cost per tonne; for assets also the NPV against not adopting it at the plan's prices, the IRR
and the simple payback. The financial cash flow of a measure in year y is −(own costs + energy cost change):
carbon prices are left out (as on a MACC), so the NPV says whether the measure pays on energy alone.

- NPV vs not adopting = Σ_y δ_y × cash flow_y (δ: the scenario's discount factors, base year 0).
- IRR: the real rate r at which Σ_y cash flow_y (1 + r)^−(y − first build year) = 0 (NaN when the flows do
  not change sign).
- Simple payback of the first build = its capex (undiscounted, at the consolidation share) / its average
  yearly net saving (energy saving − O&M) over its years in service within the horizon; NaN when it never
  pays back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .macc import MARKET_BASIS

COLUMNS = ["measure", "name", "name_zh", "family", "site", "kind", "discounted_cost_cny", "abatement_tco2e",
           "cost_cny_per_tco2e", "npv_vs_not_adopting_cny", "irr", "payback_years"]


def irr(flows: np.ndarray, lo: float = -0.99, hi: float = 10.0) -> float:
    """Internal rate of return of yearly flows (first at t = 0) by bisection; NaN without a sign change."""
    if not (flows.min() < 0 < flows.max()):
        return math.nan
    t = np.arange(len(flows))

    def npv(r: float) -> float:
        return float((flows / (1 + r) ** t).sum())

    f_lo, f_hi = npv(lo), npv(hi)
    if f_lo * f_hi > 0:
        return math.nan
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = npv(mid)
        if abs(f_mid) < 1e-9 * max(1.0, abs(flows).max()) or hi - lo < 1e-12:
            return mid
        if f_lo * f_mid <= 0:
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
    return (lo + hi) / 2


def _table(series: pd.Series, years: list[int]) -> dict[str, np.ndarray]:
    """measure -> values per year (0 where missing), from a series indexed by (measure, year)."""
    if series.empty:
        return {}
    wide = series.unstack("year").reindex(columns=years, fill_value=0.0).fillna(0.0)
    return {mid: row.to_numpy(dtype=float) for mid, row in wide.iterrows()}


def measure_economics(roadmap: pd.DataFrame, measure_costs: pd.DataFrame, energy: pd.DataFrame,
                      abatement: pd.DataFrame, discount: dict[int, float]) -> pd.DataFrame:
    """One row per adopted measure (roadmap order); see the module doc for the definitions."""
    if roadmap.empty:
        return pd.DataFrame(columns=COLUMNS)
    years = sorted(discount)
    yr = np.array(years)
    zero = np.zeros(len(years))
    costs = _table(measure_costs.groupby(["measure", "year"]).nominal_cny.sum(), years)
    om = _table(measure_costs[measure_costs.category.isin(["fixed_om", "variable_om"])]
                .groupby(["measure", "year"]).nominal_cny.sum(), years)
    en = _table(energy.groupby(["measure", "year"]).cny.sum(), years)
    ab = abatement[abatement.scope.isin(MARKET_BASIS)].groupby("measure").tco2e.sum()
    disc = np.array([discount[y] for y in years])
    builds_of = {mid: g.sort_values("year", kind="stable")
                 for mid, g in roadmap[roadmap.action == "build"].groupby("measure", sort=False)}
    rows = []
    for mid, r in roadmap.drop_duplicates("measure").set_index("measure").iterrows():
        energy_change = en.get(mid, zero)
        flows = -(costs.get(mid, zero) + energy_change)  # nominal CNY per year, + = money in
        cost = float(-(flows * disc).sum())
        tco2e = float(ab.get(mid, 0.0))
        row = dict(measure=mid, name=r["name"], name_zh=r["name_zh"], family=r["family"], site=r["site"],
                   kind=r["kind"], discounted_cost_cny=cost, abatement_tco2e=tco2e,
                   cost_cny_per_tco2e=cost / tco2e if tco2e > 1e-9 else math.nan,
                   npv_vs_not_adopting_cny=math.nan, irr=math.nan, payback_years=math.nan)
        builds = builds_of.get(mid)
        if builds is not None and len(builds):
            first, end = int(builds.year.iloc[0]), int(builds.end_year.iloc[0])
            live = yr >= first
            nonzero = live & (np.abs(flows) > 1e-9)
            last = int(yr[nonzero].max()) if nonzero.any() else first
            row["npv_vs_not_adopting_cny"] = -cost
            row["irr"] = irr(flows[live & (yr <= last)])
            # simple payback of the first build: its capex over its average yearly net saving while in service
            saving = (-energy_change - om.get(mid, zero))[(yr >= first) & (yr <= end)]
            avg = float(saving.mean()) if len(saving) else 0.0
            spend = float(builds.capex_cny.iloc[0] * builds.share.iloc[0])
            row["payback_years"] = (spend / avg if avg > 1e-9 and spend > 0 else 0.0 if spend <= 0 < avg
                                    else math.nan)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
