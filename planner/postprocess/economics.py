"""Per-measure economics of a solved plan (`measure_economics.csv`): which measures pay for themselves.

One cash-flow series per adopted measure, nominal (real) CNY at the consolidation share, + = money in:
f_y = −(its own cost terms in year y: capex, O&M, its own energy purchases, contract payments, salvage
(a negative cost) + the energy cost change its ledger terms cause in y, priced as on the plan MACC).
Carbon prices (ETS payments and the internal carbon price) are left out, so the figures say whether a
measure pays on energy alone. The series starts in the year of the measure's first non-zero cash flow
(`first_year`: its first build, or a contract's first purchase) and runs to the end of the horizon; years
before it are zero. The EU CBAM saving the measure earns (postprocess/markets.py, one definition with the
abatement frame) is reported beside it (`cbam_saving_cny`, `discounted_cbam_saving_cny`), not in the series.
On that series:

- NPV vs not adopting = Σ_y δ_y f_y (δ: the scenario's discount factors, (1 + r)^−(y − base year));
- IRR: the rate at which that NPV is zero, where one exists in the sense of `cashflow.irr` (NPV < 0 at the
  discount rate then means IRR < rate); otherwise NaN and `irr_note` says why;
- payback: years from the start of the series' first year until the money put in is recovered (capex paid
  at the start of its year, the rest of each year's flow accruing evenly through it; `cashflow.payback`), so
  the cumulative undiscounted cash flow is >= 0 at the end of year ceil(payback); otherwise NaN and
  `payback_note` says why.

Plan cost per tonne (`plan_cost_cny_per_tco2e`, the same as on the plan MACC) = −NPV / discounted abatement
(scope 1 + scope 2 market-based + scope 3, consolidated); `abatement_tco2e` is the undiscounted total.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .cashflow import first_flow, irrs, payback
from .macc import MARKET_BASIS

COLUMNS = ["measure", "name", "name_zh", "family", "site", "kind", "first_year", "discounted_cost_cny",
           "abatement_tco2e", "discounted_abatement_tco2e", "plan_cost_cny_per_tco2e", "npv_vs_not_adopting_cny",
           "irr", "irr_note", "payback_years", "payback_note", "cbam_saving_cny", "discounted_cbam_saving_cny"]
FLOW_COLUMNS = ["measure", "year", "cash_flow_cny", "cumulative_cash_flow_cny", "discount_factor"]


def _table(series: pd.Series, years: list[int]) -> dict[str, np.ndarray]:
    """measure -> values per year (0 where missing), from a series indexed by (measure, year)."""
    if series.empty:
        return {}
    wide = series.unstack("year").reindex(columns=years, fill_value=0.0).fillna(0.0)
    return dict(zip(wide.index, np.ascontiguousarray(wide.to_numpy(dtype=float)), strict=True))


def cash_flows(measure_costs: pd.DataFrame, energy: pd.DataFrame, years: list[int]) -> dict[str, np.ndarray]:
    """measure -> its yearly cash flow over `years` (nominal CNY, + = money in); see the module doc."""
    costs = _table(measure_costs.groupby(["measure", "year"]).nominal_cny.sum(), years)
    en = _table(energy.groupby(["measure", "year"]).cny.sum(), years)
    zero = np.zeros(len(years))
    return {mid: -(costs.get(mid, zero) + en.get(mid, zero)) for mid in {*costs, *en}}


def measure_economics(roadmap: pd.DataFrame, measure_costs: pd.DataFrame, energy: pd.DataFrame,
                      abatement: pd.DataFrame, discount: dict[int, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per adopted measure in roadmap order, `measure_cash_flows`: the series each row is computed
    from, one row per measure and year from its first_year); see the module doc for the definitions."""
    if roadmap.empty:
        return pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=FLOW_COLUMNS)
    years = sorted(discount)
    yr = np.array(years)
    disc = np.array([discount[y] for y in years])
    flows_of = cash_flows(measure_costs, energy, years)
    capex_of = _table(measure_costs[measure_costs.category == "capex"].groupby(["measure", "year"]).nominal_cny.sum(),
                      years)
    ab = abatement[abatement.scope.isin(MARKET_BASIS)].groupby(["measure", "year"]).tco2e.sum().reset_index()
    # per-measure figures as plain dicts (a Series lookup per measure costs more than the figure)
    ab_total = ab.groupby("measure").tco2e.sum().to_dict()
    ab_disc = (ab.tco2e * ab.year.map(discount)).groupby(ab.measure).sum().to_dict()
    saving = abatement.cbam_saving_cny if "cbam_saving_cny" in abatement else pd.Series(0.0, index=abatement.index)
    cbam_total = saving.groupby(abatement.measure).sum().to_dict()
    cbam_disc = (saving * abatement.year.map(discount)).groupby(abatement.measure).sum().to_dict()
    first_built = roadmap.groupby("measure").year.min().to_dict()
    zero = np.zeros(len(years))
    rows, flow_rows, series_of = [], [], []
    firsts = roadmap.drop_duplicates("measure")
    for mid, name, name_zh, family, site, kind in zip(*(firsts[c].tolist() for c in (
            "measure", "name", "name_zh", "family", "site", "kind")), strict=True):
        flows = flows_of.get(mid, zero)
        i = first_flow(flows)
        start = int(first_built[mid]) if i is None else years[i]
        after = yr >= start
        series = flows[after]
        series_of.append(series)
        flow_rows += [(mid, y, f, c, discount[y]) for y, f, c in zip(yr[after].tolist(), series.tolist(),
                                                                      np.cumsum(series).tolist(), strict=True)]
        value = float((flows * disc).sum())
        d_ab = float(ab_disc.get(mid, 0.0))
        years_back, payback_note = payback(series, capex_of.get(mid, zero)[after])
        rows.append(dict(measure=mid, name=name, name_zh=name_zh, family=family, site=site,
                         kind=kind, first_year=start, discounted_cost_cny=-value,
                         abatement_tco2e=float(ab_total.get(mid, 0.0)), discounted_abatement_tco2e=d_ab,
                         plan_cost_cny_per_tco2e=-value / d_ab if d_ab > 1e-6 else math.nan,
                         npv_vs_not_adopting_cny=value, irr=math.nan, irr_note="", payback_years=years_back,
                         payback_note=payback_note, cbam_saving_cny=float(cbam_total.get(mid, 0.0)),
                         discounted_cbam_saving_cny=float(cbam_disc.get(mid, 0.0))))
    for row, (rate, irr_note) in zip(rows, irrs(series_of), strict=True):  # all series at once (cashflow.irrs)
        row.update(irr=rate, irr_note=irr_note)
    return pd.DataFrame(rows, columns=COLUMNS), pd.DataFrame(flow_rows, columns=FLOW_COLUMNS)
