"""Tidy result frames read off a solved model (units in column names: tco2e, cny, mwh).

Abatement is attributed to measures through their tagged ledger terms (attribution.py), so by construction
it sums to BAU minus plan for every year, site and scope (tests check this identity). Values are read
through the backend (`LedgerValues`: the floats `BuiltModel.value` gives, each ledger term read once); this stage
never touches Pyomo itself. Every frame function takes an optional `lv`, so that `extract` reads each value once
for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..backend import COST_CATEGORIES, BuiltModel
from ..backend.reads import LedgerValues
from ..preprocess.baseline import fuel_emission_rows
from ..preprocess.targets import describe
from ..units import GWH_TO_MWH, KT_TO_T, MCNY_TO_CNY
from .attribution import attribute
from .carbon_free import carbon_free
from .dispatch import dispatch
from .economics import measure_economics
from .macc import plan_macc
from .markets import cbam_exposure, cbam_saving, ets_position
from .products import product_intensity, product_output

ROADMAP_COLUMNS = ["measure", "name", "name_zh", "kind", "family", "site", "year", "action", "size", "unit",
                   "capex_cny", "end_year", "share"]


def roadmap(b: BuiltModel, lv: LedgerValues | None = None) -> pd.DataFrame:
    """One row per build (assets) or per year of purchases (contracts), from each measure's own rows."""
    val = (lv or LedgerValues(b)).value
    rows = []
    for mm in b.measures:
        cfg = mm.cfg
        base = dict(measure=cfg.id, name=cfg.label, name_zh=cfg.label_zh, kind=cfg.kind, family=cfg.family_name,
                    site=cfg.site or "company")
        rows += [{**base, **r} for r in mm.roadmap_rows(val)]
    df = pd.DataFrame(rows, columns=ROADMAP_COLUMNS)
    return df.sort_values(["year", "site", "measure"], kind="stable").reset_index(drop=True)


def plan_emissions(b: BuiltModel, lv: LedgerValues | None = None) -> pd.DataFrame:
    """Plan emissions by year, site, scope, source (consolidated and at 100%), with the biogenic CO2 of the fuels
    burned on site apart from the scopes (biogenic_co2_t_site, biogenic_co2_t)."""
    lv = lv or LedgerValues(b)
    m, inp, core, val, total = b.m, b.inp, b.core, lv.value, lv.total
    time = inp.time
    gl, gm = inp.grid_location_kt_per_gwh, inp.grid_market_kt_per_gwh
    purchase = lv.indexed(m.grid_purchase)
    fuel_purchase = lv.indexed(m.fuel_purchase)
    rows = []
    for s in inp.sites:
        w = inp.site_share[s]
        for y in inp.years:
            slices = [(sl.key, wt) for sl, wt in time.members(y)]
            f = inp.factor_shape  # hourly grid factor of a slice (docs/model.md §15.6), 1 without one
            grid = sum(purchase[s, ts] * wt * f(s, ts) for ts, wt in slices)
            net = sum((purchase[s, ts] - total("green_claims", s, ts)) * wt * f(s, ts, True) for ts, wt in slices)
            rows.append((y, s, "scope2_location", "electricity", grid * gl[s, y] * KT_TO_T, 0.0, w))
            rows.append((y, s, "scope2_market", "electricity", net * gm[s, y] * KT_TO_T, 0.0, w))
            for c in core.scope1_fuels[s] + core.scope2_heat[s]:
                fuel = sum(fuel_purchase[s, c, ts] * wt for ts, wt in slices) * KT_TO_T
                e, bio = fuel * inp.fuel_factor(s, c), fuel * inp.fuel_biogenic(s, c)
                rows += [(y, s, scope, src, e, bio if scope == "scope1" else 0.0, w)
                         for scope, src in fuel_emission_rows(c, inp.carrier_scope[c])]
            for k, g in core.process_keys[s]:
                cut = sum(total("process_cut", (s, k, g), ts) * wt for ts, wt in slices)
                rows.append((y, s, "scope1", f"{k}:{g}", (inp.bau_process_kt[s, k, g, y] - cut) * KT_TO_T, 0.0, w))
    by_id = {mm.id: mm for mm in b.measures}
    for name in ("scope1_other", "biogenic_co2"):
        for s, ts, mid, x in lv.terms(name):
            x = x * KT_TO_T
            for y, wt in time.uses(ts):
                e, bio = (x * wt, 0.0) if name == "scope1_other" else (0.0, x * wt)
                rows.append((y, s, "scope1", by_id[mid].scope1_source(), e, bio, inp.site_share[s]))
    for c in core.scope3_categories:
        for y in inp.years:
            rows.append((y, "company", "scope3", f"cat{c:02d}", val(m.scope3[c, y]) * KT_TO_T, 0.0, 1.0))
    df = pd.DataFrame(rows, columns=["year", "site", "scope", "source", "tco2e_site", "biogenic_co2_t_site", "share"])
    df["tco2e"] = df.tco2e_site * df.share
    df["biogenic_co2_t"] = df.biogenic_co2_t_site * df.share
    return df.groupby(["year", "site", "scope", "source"], as_index=False).agg(
        tco2e_site=("tco2e_site", "sum"), share=("share", "first"), tco2e=("tco2e", "sum"),
        biogenic_co2_t=("biogenic_co2_t", "sum"))


def emissions(b: BuiltModel, bau: pd.DataFrame, lv: LedgerValues | None = None) -> pd.DataFrame:
    """BAU and plan side by side (consolidated tCO2e) for every horizon year, with the biogenic CO2 of each
    source apart from the scopes (bau_biogenic_co2_t, plan_biogenic_co2_t; never in the tCO2e columns)."""
    plan = plan_emissions(b, lv)
    keys = ["year", "site", "scope", "source"]
    bau_h = bau[bau.year.isin(b.inp.years)][keys + ["tco2e", "biogenic_co2_t"]].rename(
        columns={"tco2e": "bau_tco2e", "biogenic_co2_t": "bau_biogenic_co2_t"})
    df = bau_h.merge(plan[keys + ["tco2e", "biogenic_co2_t"]].rename(
        columns={"tco2e": "plan_tco2e", "biogenic_co2_t": "plan_biogenic_co2_t"}), on=keys, how="outer")
    values = ["bau_tco2e", "plan_tco2e", "bau_biogenic_co2_t", "plan_biogenic_co2_t"]
    df[values] = df[values].fillna(0.0)
    df["share"] = df.site.map(b.inp.site_share).fillna(1.0)
    return df[keys + ["bau_tco2e", "plan_tco2e", "share", "bau_biogenic_co2_t", "plan_biogenic_co2_t"]].sort_values(
        keys, kind="stable").reset_index(drop=True)


def electricity(b: BuiltModel, lv: LedgerValues | None = None) -> pd.DataFrame:
    """Electricity use by year and site, MWh at 100% of the site: grid purchases, on-site supply (generation
    and storage used on site) and green claims (PPA, certificates), with the consolidation share."""
    lv = lv or LedgerValues(b)
    inp, total, time = b.inp, lv.total, b.inp.time
    purchase = lv.indexed(b.m.grid_purchase)
    rows = []
    for s in inp.sites:
        for y in inp.years:
            slices = [(sl.key, wt) for sl, wt in time.members(y)]
            rows.append((y, s, sum(purchase[s, ts] * w for ts, w in slices) * GWH_TO_MWH,
                         sum(total("onsite_supply", s, ts) * w for ts, w in slices) * GWH_TO_MWH,
                         sum(total("green_claims", s, ts) * w for ts, w in slices) * GWH_TO_MWH,
                         inp.site_share[s]))
    return pd.DataFrame(rows, columns=["year", "site", "grid_mwh", "onsite_mwh", "green_claims_mwh", "share"])


def abatement(b: BuiltModel, attributed: pd.DataFrame, bau: pd.DataFrame | None = None,
              cbam: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attributed abatement (BAU - plan), tCO2e consolidated, by year, measure, site and scope, with the CBAM
    saving of each row (cbam_saving_cny; postprocess/markets.py, 0 without CBAM)."""
    df = attributed.groupby(["year", "measure", "site", "scope", "source"], as_index=False)["tco2e"].sum()
    df["family"] = df.measure.map({mm.id: mm.cfg.family_name for mm in b.measures})
    df["cbam_saving_cny"] = cbam_saving(b, bau, cbam, df) if bau is not None else 0.0
    return df[["year", "measure", "family", "site", "scope", "source", "tco2e", "cbam_saving_cny"]]


# priced in the objective, never paid: outside the cash NPV (carbon_ets and carbon_cbam are billed: cash)
SHADOW_CATEGORIES = ("carbon_internal",)


def cash_npv(costs_frame: pd.DataFrame) -> float:
    """Cash NPV, CNY: the discounted costs of every category but the shadow-priced ones (docs/report.md)."""
    return float(costs_frame.loc[~costs_frame.category.isin(SHADOW_CATEGORIES), "discounted_cny"].sum())


def costs(b: BuiltModel, lv: LedgerValues | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(costs by year and category, costs by year, measure and category), nominal and discounted CNY."""
    inp, lv = b.inp, lv or LedgerValues(b)
    # every cost term once; m.cost[c, y] is the sum of the terms of (c, y)
    terms = pd.DataFrame([(y, mid or "", c, x * MCNY_TO_CNY) for c, y, mid, x in lv.terms("cost")],
                         columns=["year", "measure", "category", "nominal_cny"])
    grid = pd.MultiIndex.from_product([inp.years, COST_CATEGORIES], names=["year", "category"])
    df = terms.groupby(["year", "category"]).nominal_cny.sum().reindex(grid, fill_value=0.0).reset_index()
    df["discounted_cny"] = df.nominal_cny * df.year.map(inp.discount)
    md = terms[terms.measure != ""]
    md = md.groupby(["year", "measure", "category"], as_index=False)["nominal_cny"].sum()
    md["discounted_cny"] = md.nominal_cny * md.year.map(inp.discount)
    return df, md


TARGET_DTYPES = {"target": object, "description": object, "type": object, "year": int, "unit": object,
                 "base": float, "required": float, "achieved": float, "offsets_used": float, "net": float,
                 "met": bool, "milestone": bool, "scope1": bool, "scope2": object, "scope3": object}


def targets_frame(b: BuiltModel, sc, lv: LedgerValues | None = None) -> pd.DataFrame:
    """Required vs achieved for every constrained (target, year), with the coverage of each target."""
    m, core, led, val = b.m, b.core, b.ledger, (lv or LedgerValues(b)).value
    rows = []
    for r in b.targets:
        t, k = r.target, r.key
        cov = dict(milestone=r.year == t.year, scope1=r.scope1, scope2=r.scope2,
                   scope3=",".join(str(c) for c in r.scope3_categories))
        head = dict(target=t.id, description=describe(t, sc), type=t.type, year=r.year)
        if t.type == "renewable_share":
            green, use = (val(x) for x in core.renewable_electricity(led, r.year))
            ach = green / use if use > 0 else 1.0
            rows.append({**head, "unit": "share", "base": None, "required": r.limit, "achieved": ach,
                         "offsets_used": 0.0, "net": ach, "met": ach >= r.limit - 1e-6, **cov})
            continue
        gross = val(core.total(r.year, r.scope1, r.scope2, list(r.scope3_categories),
                              dict(r.site_factors) or None)) * KT_TO_T
        off = val(m.offsets[k]) * KT_TO_T if k in m.offset_target_years else 0.0
        net = gross - off
        rows.append({**head, "unit": "tCO2e", "base": r.base_tco2e, "required": r.limit, "achieved": gross,
                     "offsets_used": off, "net": net, "met": net <= r.limit + 1e-6 * max(1.0, r.base_tco2e), **cov})
    df = pd.DataFrame(rows, columns=list(TARGET_DTYPES))
    # typed even when empty (a scenario without targets): `targets[targets.milestone]` must select rows, not
    # columns, which is what pandas does with an empty object-dtype Series
    return df if rows else df.astype(TARGET_DTYPES)


@dataclass
class Frames:
    roadmap: pd.DataFrame
    emissions: pd.DataFrame
    abatement: pd.DataFrame
    costs: pd.DataFrame
    measure_costs: pd.DataFrame
    targets: pd.DataFrame
    macc: pd.DataFrame
    measure_economics: pd.DataFrame
    measure_cash_flows: pd.DataFrame
    electricity: pd.DataFrame
    dispatch: pd.DataFrame | None = None  # representative-day mode only (postprocess/dispatch.py)
    product_output: pd.DataFrame | None = None  # scenarios with products (postprocess/products.py)
    product_intensity: pd.DataFrame | None = None
    carbon_free: pd.DataFrame | None = None  # 24/7 carbon-free share, representative-day mode only (carbon_free.py)
    ets_position: pd.DataFrame | None = None  # sites in the China ETS (postprocess/markets.py)
    cbam_exposure: pd.DataFrame | None = None  # products exported under the EU CBAM


def extract(b: BuiltModel, bau: pd.DataFrame, sc) -> Frames:
    with b.evaluation():
        lv = LedgerValues(b)  # every value read once, shared by the frames
        c, mc = costs(b, lv)
        attributed, energy = attribute(b, lv)
        cbam = cbam_exposure(b)
        ab = abatement(b, attributed, bau, cbam)
        rm = roadmap(b, lv)
        econ, flows = measure_economics(rm, mc, energy, ab, b.inp.discount)
        out_t = {k: v * KT_TO_T for k, v in b.inp.product_output_kt.items()}
        products = (product_output(b), product_intensity(b, bau, sc, out_t)) if out_t else (None, None)
        return Frames(rm, emissions(b, bau, lv), ab, c, mc, targets_frame(b, sc, lv), plan_macc(b, ab, mc, energy),
                      econ, flows, electricity(b, lv), dispatch(b, lv), *products, carbon_free(b, lv),
                      ets_position(b), cbam)
