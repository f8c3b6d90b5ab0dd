"""Key assumptions of a scenario as a tidy frame (group, item, year, value, text, unit, source) for reports."""

from __future__ import annotations

import pandas as pd

from ..preprocess.baseline import Drivers
from ..schemas.library import Library
from ..schemas.scenario import Scenario
from ..schemas.trajectory import interpolate


def stand_ins(drv: Drivers) -> list[dict]:
    """The summary's `stand_ins`: every input taken from another year or place than asked, one dict each."""
    return [{"what": "grid_factor", "region": si.region, "basis": si.basis, "years": [si.years[0], si.years[-1]],
             "n_years": len(si.years), "used_year": si.used_year, "tco2_per_mwh": si.tco2_per_mwh,
             "source": si.source, "text": si.text()} for si in drv.grid_stand_ins]


def assumptions(sc: Scenario, lib: Library, drv: Drivers) -> pd.DataFrame:
    """Discount rate, GWP, boundary, prices, grid factors (and the library years standing in for missing ones),
    ETS, CBAM and cost indices in key years."""
    y0, y1 = sc.years[0], sc.years[-1]
    key_years = sorted({y0, *(t.year for t in sc.targets), y1})
    rows = [("general", "discount_rate", None, sc.discount_rate, "1/yr (real)", "scenario"),
            ("general", "gwp", None, sc.gwp, "", "IPCC; data/gwp.csv"),
            ("general", "consolidation", None, sc.organisation.approach, "", "GHG Protocol ch. 3"),
            ("general", "base_year", None, float(sc.base_year), "", "scenario"),
            ("general", "horizon", None, f"{y0}-{y1}", "", "scenario")]
    used = {c for s in sc.sites for c in s.energy} | {"export_electricity", "ets", "ccer", "gec", "ppa_premium"}
    for item in sorted(used & set(lib.prices.index)):
        traj = sc.prices.get(item, lib.price(item))
        src = "scenario" if item in sc.prices else str(lib.prices.loc[item, "source"])
        for y, v in interpolate(traj, key_years).items():
            rows.append(("price", item, y, v, str(lib.prices.loc[item, "unit"]), src))
    for s in sc.sites:
        src = "scenario grid.factors" if s.grid_region in sc.grid.factors else "MEE/NBS regional factor x factor_index"
        for y in key_years:
            rows.append(("grid_factor", f"{s.id} ({s.grid_region}) location", y, drv.grid_location[s.id, y],
                         "tCO2/MWh", src))
            rows.append(("grid_factor", f"{s.id} market (unclaimed)", y, drv.grid_market[s.id, y], "tCO2/MWh",
                         "scenario" if sc.grid.residual_factor is not None else "MEE/NBS national residual"))
    if sc.time.resolution == "representative_days":  # hourly factors and matching (docs/model.md §15.6)
        if sc.time.scope2_matching != "annual":
            rows.append(("general", "scope2_matching", None, sc.time.scope2_matching, "", "scenario"))
        for s in sc.sites:
            spec = sc.time.sites[s.id].grid_factor
            if spec != "flat":
                src = ("computed from data/grid_hourly.csv (ASSUMPTION) and the MEE/NBS factors" if spec == "typical"
                       else "scenario CSV")
                rows.append(("grid_factor", f"{s.id} hourly shape", None, spec, "x annual factor", src))
    for si in drv.grid_stand_ins:  # library factors taken from another year: said, never silent
        rows.append(("stand_in", f"grid factor {si.region} ({si.basis})", None,
                     f"{si.used_year} factor for {si.span}", "", si.source))
    rows += _markets(sc, lib, key_years)
    for y, v in interpolate(sc.internal_carbon_price.price_cny_per_t, key_years).items():
        rows.append(("carbon", "internal_carbon_price", y, v, "CNY/tCO2e", "scenario"))
    for name, traj in sorted(sc.trajectories.capex_index.items()):
        for y, v in interpolate(traj, key_years).items():
            rows.append(("capex_index", name, y, v, "x stated unit capex", "scenario"))
    df = pd.DataFrame(rows, columns=["group", "item", "year", "value", "unit", "source"])
    text = df.value.map(lambda v: v if isinstance(v, str) else "")
    df["value"] = pd.to_numeric(df.value.where(text == ""), errors="coerce")
    df.insert(4, "text", text)  # non-numeric settings; `value` stays numeric for spreadsheets
    return df


def _markets(sc: Scenario, lib: Library, key_years: list[int]) -> list[tuple]:
    """The China ETS allocation (share or benchmarks) and the EU CBAM inputs in key years."""
    from ..preprocess.markets import cbam_factor  # noqa: PLC0415 (the CBAM factor with its library default)

    rows: list[tuple] = []
    if sc.ets.allocation == "grandfathering":
        for y, v in interpolate(sc.ets.free_allocation_share, key_years).items():
            rows.append(("ets", "free_allocation_share", y, v, "share of BAU", "scenario"))
    for p, b in sorted(sc.ets.benchmarks.items()):
        adj = interpolate(b.adjustment, key_years)
        for y, v in interpolate(b.tco2_per_t, key_years).items():
            rows.append(("ets", f"benchmark {p} (x adjustment {adj[y]:g})", y, v, "tCO2/t", b.source or "scenario"))
    cb = sc.cbam
    if not cb.products:
        return rows
    years = [y for y in key_years if y >= cb.start_year]
    factor = cbam_factor(sc, lib, years)
    src = "scenario" if cb.factor is not None else "Reg. (EU) 2023/956 Art. 31; data/cbam.csv"
    for y in years:
        rows.append(("cbam", "cbam_factor", y, factor[y], "share of EU free allocation kept", src))
    for y, v in interpolate(cb.eu_ets_price_eur_per_t, years).items():
        rows.append(("cbam", "eu_ets_price", y, v, "EUR/tCO2", "scenario"))
    for y, v in interpolate(cb.eur_cny, years).items():
        rows.append(("cbam", "eur_cny", y, v, "CNY per EUR", "scenario"))
    for p, spec in sorted(cb.products.items()):
        for y, v in interpolate(spec.export_share, years).items():
            rows.append(("cbam", f"export_share {p}", y, v, "share of output", spec.source or "scenario"))
        for y, v in interpolate(spec.eu_benchmark_tco2e_per_t, years).items():
            rows.append(("cbam", f"eu_benchmark {p}", y, v, "tCO2e/t", spec.source or "scenario"))
    return rows
