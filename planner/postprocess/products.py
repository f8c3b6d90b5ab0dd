"""Product result frames (docs/model.md §6.11): output by route and product carbon intensity.

`product_output`: site, product, route, year, output_t (the route's production), share (of the product's
production, intermediate use included). `product_intensity`: per site (at 100%) and for the company
(consolidated), plan and BAU, the tCO2e per t of product sold by scope and on the sector standard's boundary.

Allocation: a site's emissions are shared among the products it sells in proportion to their mass (t sold),
so every product of a site has the site's intensity per t sold; an intermediate (clinker) carries no emissions
of its own, it is inside the products it goes into (for cement this is the t of cementitious product of the
SBTi/GCCA boundary). Auxiliary energy of the site (its `energy`) is inside the boundary.
"""

from __future__ import annotations

import pandas as pd

from ..backend import BuiltModel
from ..schemas.scenario import Scenario
from ..units import KT_TO_T

# the boundary a sector standard states its intensity on (docs/model.md §6.11)
BOUNDARY = {
    "iron_and_steel": ("scope1+scope2_market", "scopes 1+2 (market-based) per t crude steel",
                       "每吨粗钢范围一+范围二（基于市场）"),
    "aluminium": ("scope1+scope2_market", "scopes 1+2 (market-based) per t aluminium",
                  "每吨铝范围一+范围二（基于市场）"),
    "cement": ("scope1", "scope 1 per t cementitious product", "每吨胶凝材料范围一"),
    "other": ("scope1+scope2_market", "scopes 1+2 (market-based) per t product", "每吨产品范围一+范围二（基于市场）"),
}
SCOPES = ("scope1", "scope2_location", "scope2_market")
OUTPUT_COLUMNS = ["site", "product", "route", "year", "output_t", "share"]
INTENSITY_COLUMNS = ["site", "product", "sector", "year", "case", "output_t", "scope1_tco2e_per_t",
                     "scope2_location_tco2e_per_t", "scope2_market_tco2e_per_t", "boundary", "boundary_zh",
                     "boundary_tco2e_per_t"]
ZERO_T = 1e-6  # |production| below this many t is solver tolerance noise (-1.6e-11, -0.0): written as 0


def product_output(b: BuiltModel) -> pd.DataFrame:
    """Production of every route by year, t, and its share of the product's production."""
    rows = []
    for mm in b.measures:
        made = mm.cfg.production()
        if made is None:
            continue
        for y in b.inp.years:
            t = b.value(mm.block.production[y]) * KT_TO_T
            rows.append((made.site, made.product, mm.id, y, t if abs(t) >= ZERO_T else 0.0))
    df = pd.DataFrame(rows, columns=OUTPUT_COLUMNS[:-1])
    total = df.groupby(["site", "product", "year"]).output_t.transform("sum")
    df["share"] = (df.output_t / total.where(total > 0)).fillna(0.0)
    return df.sort_values(["site", "product", "year", "route"], kind="stable").reset_index(drop=True)


def sold_t(sc: Scenario, products_output_t: dict) -> dict[tuple[str, int], float]:
    """(site, year) -> t of products sold (the allocation basis)."""
    out: dict[tuple[str, int], float] = {}
    for (s, _p, y), v in products_output_t.items():
        out[s, y] = out.get((s, y), 0.0) + v
    return out


def intensity_rows(sc: Scenario, output_t: dict, site_emissions: dict, share: dict, case: str) -> list[tuple]:
    """Rows of product_intensity for one case; site_emissions[(site, year, scope)] at 100% of the site, tCO2e."""
    sold = sold_t(sc, output_t)
    rows = []
    company: dict[tuple[str, int], list[float]] = {}
    for s in sc.sites:
        for p, spec in sorted(s.products.items()):
            for (ss, pp, y), out in sorted(output_t.items()):
                if (ss, pp) != (s.id, p) or out <= 0:  # an intermediate not sold: inside the products it makes
                    continue
                e = [site_emissions.get((s.id, y, k), 0.0) * (out / sold[s.id, y] if sold[s.id, y] > 0 else 0.0)
                     for k in SCOPES]
                rows.append(_row(s.id, p, spec.sector, y, case, out, e))
                acc = company.setdefault((p, y), [0.0, 0.0, 0.0, 0.0])
                w = share[s.id]
                acc[0] += w * out
                for i in range(3):
                    acc[i + 1] += w * e[i]
    sectors = {p: spec.sector for s in sc.sites for p, spec in s.products.items()}
    for (p, y), (out, *e) in sorted(company.items()):
        rows.append(_row("company", p, sectors[p], y, case, out, e))
    return rows


def _row(site, product, sector, year, case, out, e):
    per = [x / out if out > 0 else float("nan") for x in e]
    key, text, text_zh = BOUNDARY[sector]
    boundary = per[0] + (per[2] if key.endswith("scope2_market") else 0.0)
    return (site, product, sector, year, case, out, *per, text, text_zh, boundary)


def product_intensity(b: BuiltModel, bau: pd.DataFrame, sc: Scenario, output_t: dict) -> pd.DataFrame:
    """Product carbon intensity, plan and BAU, per site and for the company (tCO2e per t sold)."""
    m, val, inp = b.m, b.value, b.inp
    plan = {}
    for s in inp.sites:
        for y in inp.years:
            plan[s, y, "scope1"] = val(m.scope1[s, y]) * KT_TO_T
            plan[s, y, "scope2_location"] = val(m.scope2_location[s, y]) * KT_TO_T
            plan[s, y, "scope2_market"] = val(m.scope2_market[s, y]) * KT_TO_T
    years = set(inp.years)
    b0 = bau[bau.year.isin(years | {sc.base_year}) & bau.scope.isin(SCOPES)]
    base = {(r.site, r.year, r.scope): r.tco2e_site
            for r in b0.groupby(["site", "year", "scope"], as_index=False).tco2e_site.sum().itertuples()}
    plan_out = {k: v for k, v in output_t.items() if k[2] in years}
    bau_out = {k: v for k, v in output_t.items() if k[2] in years | {sc.base_year}}
    rows = intensity_rows(sc, bau_out, base, inp.site_share, "bau")
    rows += intensity_rows(sc, plan_out, plan, inp.site_share, "plan")
    df = pd.DataFrame(rows, columns=INTENSITY_COLUMNS)
    return df.sort_values(["site", "product", "case", "year"], kind="stable").reset_index(drop=True)
