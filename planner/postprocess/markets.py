"""Carbon-market result frames (docs/model.md §10.1-10.2): the China ETS position of each covered site and
product, the EU CBAM exposure of each exported product, and the CBAM saving attributed to each measure.

`ets_position`: site, product, year, basis (`grandfathering`: share x BAU scope 1; `benchmark`: production x
benchmark x adjustment), production_t, benchmark_tco2_per_t, allowances_t,
covered_emissions_t, surplus_t (allowances - covered; < 0 a deficit bought), price_cny_per_t, cost_cny (what
the site pays, < 0 the surplus sold; consolidated like the costs frame), share. Tonnes at 100% of the site. A
benchmark site's covered emissions and cost are shared among its benchmark products in proportion to their
allowances (one product per site is the usual case); grandfathering gives one row per site (product "").

`cbam_exposure`: site, product, goods, year, embedded_basis (actual or default), exported_t,
embedded_actual_tco2e_per_t, embedded_default_tco2e_per_t (with the mark-up; NaN without a default value),
embedded_tco2e (of the exports, on the basis used), factor, faa_tco2e_per_t (EU benchmark x factor x CSCF),
certificates_t, eu_price_cny_per_t, gross_cost_cny, deduction_cny (China carbon price paid), cost_cny
(consolidated), share.

CBAM saving of a measure (`cbam_saving_cny` in the abatement frame and `cbam_saving_cny`,
`discounted_cbam_saving_cny` in measure_economics): per site, product and year, the CBAM cost at BAU emissions
less the plan's, shared among the measures in proportion to their attributed abatement of the emissions the
product's embedded emissions count (scope 1; plus scope 2 location-based for cement and fertilisers); it sums
to the CBAM cost saved by the plan.
"""

from __future__ import annotations

import math

import pandas as pd

from ..backend import BuiltModel
from ..backend.markets import allocation_share, bau_production_kt, benchmark_products, cbam_keys, production
from ..units import KT_TO_T, MCNY_TO_CNY

ETS_COLUMNS = ["site", "product", "year", "basis", "production_t", "benchmark_tco2_per_t", "allowances_t",
               "covered_emissions_t", "surplus_t", "price_cny_per_t", "cost_cny", "share"]
CBAM_COLUMNS = ["site", "product", "goods", "year", "embedded_basis", "exported_t", "embedded_actual_tco2e_per_t",
                "embedded_default_tco2e_per_t", "embedded_tco2e", "factor", "faa_tco2e_per_t", "certificates_t",
                "eu_price_cny_per_t", "gross_cost_cny", "deduction_cny", "cost_cny", "share"]


def ets_position(b: BuiltModel) -> pd.DataFrame | None:
    """The ETS position of every covered site by year (None without covered sites)."""
    m, inp, val, led = b.m, b.inp, b.value, b.ledger
    if not inp.ets_sites:
        return None
    bench = inp.ets_allocation == "benchmark"
    rows = []
    for s in inp.ets_sites:
        for y in inp.years:
            covered = val(m.scope1[s, y]) * KT_TO_T
            price = val(m.price_ets[y]) * MCNY_TO_CNY / KT_TO_T  # CNY/t
            cost = val(m.ets_excess[s, y]) * KT_TO_T * price * inp.site_share[s]
            if not bench:
                alloc = val(m.ets_allowances[s, y]) * KT_TO_T
                rows.append((s, "", y, "grandfathering", math.nan,
                             math.nan, alloc, covered, alloc - covered, price, cost, inp.site_share[s]))
                continue
            parts = [(p, val(production(b.core, led, s, p, y)) * KT_TO_T, val(m.ets_benchmark[p, y]))
                     for p in benchmark_products(inp, s)]
            total = sum(q * bm for _p, q, bm in parts)
            if not parts:
                rows.append((s, "", y, "benchmark", 0.0, math.nan, 0.0, covered, -covered,
                             price, cost, inp.site_share[s]))
            for p, q, bm in parts:
                f = q * bm / total if total > 0 else 1.0 / len(parts)
                rows.append((s, p, y, "benchmark", q, bm, q * bm,
                             covered * f, q * bm - covered * f, price, cost * f, inp.site_share[s]))
    return pd.DataFrame(rows, columns=ETS_COLUMNS)


def cbam_rows(b: BuiltModel, case: str, emissions: dict | None = None, bought: dict | None = None) -> list[dict]:
    """CBAM exposure rows of the plan (case "plan") or of BAU (`emissions` (site, year) -> (scope 1, scope 2
    location) t and `bought` (site, year) -> allowances bought t at BAU)."""
    m, inp, val = b.m, b.inp, b.value
    cb = inp.cbam
    rows = []
    for s, p, y in cbam_keys(inp):
        spec = cb.product(p)
        share = inp.cbam_export_share[p, y]
        alpha = allocation_share(inp, s, p, y)
        out_t = inp.product_output_kt[s, p, y] * KT_TO_T
        exported = share * out_t
        if case == "plan":
            e1, e2 = val(m.scope1[s, y]) * KT_TO_T, val(m.scope2_location[s, y]) * KT_TO_T
        else:
            e1, e2 = emissions[s, y]
        actual = alpha * (e1 + (e2 if spec.indirect else 0.0)) / out_t if out_t > 0 else math.nan
        default = dict(spec.default_t_per_t).get(y, math.nan)
        per_t = default if spec.embedded == "default" else actual
        embedded = exported * per_t
        faa = dict(spec.faa_t_per_t)[y]
        price = inp.price_cbam_mcny_per_kt[y] * MCNY_TO_CNY / KT_TO_T
        ets_price = inp.price_ets_mcny_per_kt[y] * MCNY_TO_CNY / KT_TO_T
        if case == "plan":
            certificates = val(m.cbam_certificates[s, p, y]) * KT_TO_T
            deduction = (val(m.cbam_deduction[s, p, y]) * MCNY_TO_CNY
                         if hasattr(m, "cbam_deduction_keys") and (s, p, y) in m.cbam_deduction_keys else 0.0)
        else:
            certificates = max(0.0, embedded - exported * faa)
            paid = ets_price * share * alpha * bought.get((s, y), 0.0) if cb.deduct else 0.0
            deduction = min(price * certificates, paid)
        gross = price * certificates
        w = inp.site_share[s]
        rows.append(dict(site=s, product=p, goods=spec.goods, year=y, embedded_basis=spec.embedded,
                         exported_t=exported, embedded_actual_tco2e_per_t=actual,
                         embedded_default_tco2e_per_t=default, embedded_tco2e=embedded,
                         factor=dict(cb.factor)[y], faa_tco2e_per_t=faa, certificates_t=certificates,
                         eu_price_cny_per_t=price, gross_cost_cny=gross * w, deduction_cny=deduction * w,
                         cost_cny=(gross - deduction) * w, share=w))
    return rows


def cbam_exposure(b: BuiltModel) -> pd.DataFrame | None:
    """CBAM exposure of every exported product by year (None without CBAM products)."""
    rows = cbam_rows(b, "plan")
    return pd.DataFrame(rows, columns=CBAM_COLUMNS) if rows else None


def bau_cbam(b: BuiltModel, bau: pd.DataFrame) -> pd.DataFrame:
    """The CBAM exposure at BAU emissions (and the BAU ETS position for the China price paid)."""
    inp = b.inp
    e = bau[bau.year.isin(inp.years)].groupby(["site", "year", "scope"]).tco2e_site.sum()
    emissions = {(s, y): (float(e.get((s, y, "scope1"), 0.0)), float(e.get((s, y, "scope2_location"), 0.0)))
                 for s in inp.sites for y in inp.years}
    bought = {}
    for s in inp.ets_sites:
        for y in inp.years:
            if inp.ets_allocation == "benchmark":
                alloc = sum(inp.ets_benchmark[p, y] * bau_production_kt(inp, s, p, y)
                            for p in benchmark_products(inp, s))
            else:
                alloc = inp.free_allocation_share[y] * inp.bau_scope1_kt[s, y]
            bought[s, y] = max(0.0, emissions[s, y][0] - alloc * KT_TO_T)
    return pd.DataFrame(cbam_rows(b, "bau", emissions, bought), columns=CBAM_COLUMNS)


def cbam_saving(b: BuiltModel, bau: pd.DataFrame, plan: pd.DataFrame | None, abatement: pd.DataFrame) -> pd.Series:
    """CBAM saving (CNY, + = less CBAM cost) of each abatement row, indexed like `abatement` (docs above)."""
    out = pd.Series(0.0, index=abatement.index)
    if plan is None or plan.empty:
        return out
    base = bau_cbam(b, bau).set_index(["site", "product", "year"]).cost_cny
    saved = (base - plan.set_index(["site", "product", "year"]).cost_cny).rename("saved").reset_index()
    for p, rows in saved.groupby("product"):
        scopes = ("scope1", "scope2_location") if b.inp.cbam.product(p).indirect else ("scope1",)
        sub = abatement[abatement.scope.isin(scopes)]
        total = sub.groupby(["site", "year"]).tco2e.transform("sum")
        x = pd.MultiIndex.from_frame(sub[["site", "year"]]).map(rows.set_index(["site", "year"]).saved.to_dict().get)
        x = pd.Series(x, index=sub.index, dtype=float).fillna(0.0)
        ok = total.abs() > 1e-9
        out.loc[sub.index[ok]] += (x * sub.tco2e / total)[ok]
    return out
