"""SBTi check of each target against the published criteria (near-term criteria and Corporate
Net-Zero Standard v1.x): 4.2%/yr linear for scopes 1+2, scope-3 ambition (2.5%/yr) and coverage
(67% near-term, 90% long-term), a scope-3 target when scope 3 >= 40% of the total, 5-10 year
near-term timeframe, >= 90% real reduction by 2050 for net zero (targets of >= 90%, net-zero
targets and targets for 2050 or later are judged as long-term), offsets not counted as reductions.

Pure pandas. The base year stands in for the submission year. An intensity target's yearly rate is the lower
of its intensity rate and its absolute-equivalent rate under the scenario's BAU denominator (a falling output
does not make a small intensity cut look like a steep one; a growing one does not excuse rising emissions). A
product intensity target of an SDA sector (cement, iron and steel, aluminium) is judged by the sector
decarbonisation approach instead (`sda_required`, docs/model.md §8.4).

SDA (SBTi, "Sectoral Decarbonization Approach (SDA): a method for setting corporate emission reduction targets
in line with climate science", 2015; the same convergence formula as the PACTA r2dii.analysis "SDA target"
documentation): the company's intensity in year y is
    I_c(y) = (I_c(b) - I_s(2050)) x p(y) x m(y) + I_s(2050),
    p(y) = (I_s(y) - I_s(2050)) / (I_s(b) - I_s(2050))           (sector decarbonisation index)
    m(y) = (P_c(b) / P_s(b)) / (P_c(y) / P_s(y))                  (market-share parameter)
with b the base year, I_s the sector intensity pathway and P_s the sector activity (data/sda_pathways.csv),
I_c(b) and P_c the company's base-year intensity and output of the product. Iron and steel: SBTi's two pathways
(0% and 100% scrap) weighted by the product's base-year scrap share, I_s = (1 - f) I_0% + f I_100%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..preprocess.baseline import Drivers
from ..preprocess.targets import cap_reduction, coverage_cats, coverage_emissions, denominator
from ..schemas.library import load_sda_pathways
from ..schemas.scenario import Scenario, Target

SRC_NT = "SBTi Corporate Near-Term Criteria"
SRC_NZ = "SBTi Corporate Net-Zero Standard v1.x"
SRC_SDA = "SBTi Sectoral Decarbonization Approach (2015); sector pathways: data/sda_pathways.csv"


def _absolute_equivalent(t: Target, drv: Drivers, base_year: int, base_tco2e: float = 0.0) -> float:
    if t.cap_tco2e is not None:  # an absolute cap: its reduction from the coverage's base-year emissions
        return cap_reduction(t, base_tco2e)
    if t.type == "absolute":
        return t.reduction
    ratio = denominator(t, drv, t.year) / denominator(t, drv, base_year)
    return 1 - (1 - t.reduction) * ratio


def _judged_reduction(t: Target, drv: Drivers, base_year: int, base_tco2e: float = 0.0) -> float:
    """The reduction the yearly-rate criteria judge: absolute targets their reduction (a cap: its reduction from
    `base_tco2e`); intensity targets the lower of the intensity reduction and its absolute equivalent."""
    red = _absolute_equivalent(t, drv, base_year, base_tco2e)
    return red if t.type == "absolute" else min(red, t.reduction)


def _at(points: pd.DataFrame, col: str, year: int) -> float:
    """A pathway column at `year`, linear between rows, held flat outside them."""
    return float(np.interp(year, points.year.to_numpy(float), points[col].to_numpy(float)))


def sda_levels(i_base: float, out: dict[int, float], points: pd.DataFrame, base_year: int) -> dict[int, float]:
    """The SDA intensity of a company by year (docs/model.md §8.4): i_base its base-year intensity, out its
    output by year (base year included), points the sector's pathway rows."""
    i50 = _at(points, "intensity_tco2e_per_t", LONG_TERM_YEAR)
    ib = _at(points, "intensity_tco2e_per_t", base_year)
    sb = _at(points, "activity_index", base_year)
    res = {}
    for y, o in sorted(out.items()):
        p = (_at(points, "intensity_tco2e_per_t", y) - i50) / (ib - i50) if ib != i50 else 0.0
        m = (out[base_year] / sb) / (o / _at(points, "activity_index", y)) if o > 0 else 1.0
        res[y] = (i_base - i50) * p * m + i50
    return res


def company_intensity(sc: Scenario, bau: pd.DataFrame, drv: Drivers, product: str, year: int,
                      boundary: str) -> tuple[float, float]:
    """(consolidated t sold, tCO2e per t on `boundary`) of a product in a BAU year: the emissions of its sites
    allocated by mass of the products each sells (docs/model.md §6.11)."""
    out = drv.products.output_t if drv.products is not None else {}
    scopes = boundary.split("+")
    sold, made, e = {}, 0.0, 0.0
    for (s, _p, y), v in out.items():
        if y == year:
            sold[s] = sold.get(s, 0.0) + v
    d = bau[(bau.year == year) & bau.scope.isin(scopes)].groupby("site").tco2e.sum()
    for (s, p, y), v in out.items():
        if p == product and y == year and sold[s] > 0:
            made += v * drv.site_share[s]
            e += float(d.get(s, 0.0)) * v / sold[s]
    return made, (e / made if made > 0 else float("nan"))


SCRAP = ("scrap",)  # scrap-based metallic input of steel routes (inputs_per_t)
ORE = ("iron_ore", "iron_ore_pellets", "pig_iron", "hot_metal", "dri")  # iron-ore-based metallic input


def scrap_share(sc: Scenario, product: str) -> float:
    """A product's scrap share in the base year: scrap / (scrap + iron-ore-based input) of its routes weighted by
    their BAU share (existing capacity, docs/model.md §6.11) and the sites' output; 0 without route inputs."""
    scrap = ore = 0.0
    for s in sc.sites:
        if product not in s.products:
            continue
        routes = [m for m in sc.measures if m.enabled and (pr := m.production()) is not None
                  and (pr.site, pr.product) == (s.id, product)]
        cap = sum(m.production().existing_capacity_t for m in routes)
        for m in routes:
            w = s.products[product].output_t * (m.production().existing_capacity_t / cap if cap > 0 else 0.0)
            ins = m.production().inputs_per_t
            scrap += w * sum(ins.get(k, 0.0) for k in SCRAP)
            ore += w * sum(ins.get(k, 0.0) for k in ORE)
    return scrap / (scrap + ore) if scrap + ore > 0 else 0.0


def sector_points(sc: Scenario, product: str, sector: str | None) -> pd.DataFrame:
    """The sector pathway a company's product follows: the sector's one pathway, or for iron and steel SBTi's
    two pathways (0% and 100% scrap, SBTi Steel Guidance v1.0, 2023) weighted by the product's scrap share."""
    points = load_sda_pathways()
    points = points[points.sector == sector]
    if points.empty or set(points.pathway) == {"default"}:
        return points
    f = scrap_share(sc, product)
    lo = points[points.pathway == "scrap_0"].set_index("year")
    hi = points[points.pathway == "scrap_100"].set_index("year")
    years = sorted(set(lo.index) | set(hi.index))
    cols = ["intensity_tco2e_per_t", "activity_index"]
    mix = {c: [(1 - f) * _at(lo.reset_index(), c, y) + f * _at(hi.reset_index(), c, y) for y in years] for c in cols}
    return pd.DataFrame({"sector": sector, "pathway": f"scrap_{f:.3f}", "year": years, **mix,
                         "boundary": lo.boundary.iloc[0]})


def sda_required(sc: Scenario, bau: pd.DataFrame, drv: Drivers, product: str, year: int) -> float | None:
    """The SDA reduction of a product's intensity from the base year to `year` (None outside SDA sectors)."""
    sectors = {p: spec.sector for s in sc.sites for p, spec in s.products.items()}
    points = sector_points(sc, product, sectors.get(product))
    if points.empty:
        return None
    boundary = points.boundary.iloc[0]
    by = sc.base_year
    out = {y: company_intensity(sc, bau, drv, product, y, boundary)[0] for y in (by, year)}
    i0 = company_intensity(sc, bau, drv, product, by, boundary)[1]
    level = sda_levels(i0, out, points, by)[year]
    return 1 - level / i0 if i0 > 0 else None


def sda_pathway(sc: Scenario, intensity: pd.DataFrame | None) -> pd.DataFrame | None:
    """The SDA pathway of every company product of an SDA sector against its BAU and plan intensity: site
    ("company"), product, sector, year, boundary, sector_tco2e_per_t, required_tco2e_per_t, plan_tco2e_per_t,
    bau_tco2e_per_t (the boundary of data/sda_pathways.csv)."""
    cols = ["site", "product", "sector", "year", "boundary", "sector_tco2e_per_t", "required_tco2e_per_t",
            "plan_tco2e_per_t", "bau_tco2e_per_t"]
    if intensity is None:
        return None
    rows = []
    comp = intensity[intensity.site == "company"]
    for (product, sector), d in comp.groupby(["product", "sector"], sort=True):
        points = sector_points(sc, product, sector)
        bau = d[d.case == "bau"].set_index("year")
        if points.empty or sc.base_year not in bau.index:
            continue
        plan = d[d.case == "plan"].set_index("year")
        boundary = points.boundary.iloc[0]

        def on(frame, y, boundary=boundary):
            r = frame.loc[y]
            return float(sum(r[f"{k}_tco2e_per_t"] for k in boundary.split("+")))

        out = dict(bau.output_t)
        levels = sda_levels(on(bau, sc.base_year), out, points, sc.base_year)
        for y in sorted(out):
            rows.append(("company", product, sector, y, boundary,
                         _at(points, "intensity_tco2e_per_t", y), levels[y],
                         on(plan, y) if y in plan.index else float("nan"), on(bau, y)))
    return pd.DataFrame(rows, columns=cols) if rows else None


LONG_TERM_YEAR = 2050  # a target for this year or later is a long-term (net-zero) target, whatever its size


def is_long_term(t: Target) -> bool:
    """Judged against the long-term / net-zero criteria: a reduction of 90% or more, a net-zero target
    (offsets: net_zero_residual) or a target year of 2050 or later (e.g. -85% by 2050 fails the 90% rule
    instead of the near-term 5-10 year timeframe)."""
    big = t.reduction is not None and t.reduction >= 0.9  # a cap is judged by its year and offsets rule
    return t.type != "renewable_share" and (big or t.offsets == "net_zero_residual" or t.year >= LONG_TERM_YEAR)


def check(sc: Scenario, bau: pd.DataFrame, drv: Drivers) -> pd.DataFrame:
    """One row per (target, criterion): requirement, value, ok, source."""
    by = sc.base_year
    base = bau[bau.year == by]
    s1 = base.loc[base.scope == "scope1", "tco2e"].sum()
    s2 = base.loc[base.scope == "scope2_market", "tco2e"].sum()
    s3_by_cat = base[base.scope == "scope3"].groupby("source")["tco2e"].sum()
    s3 = float(s3_by_cat.sum())
    total = s1 + s2 + s3
    rows = []

    def add(tid, crit, req, val, ok, src):
        rows.append(dict(target=tid, criterion=crit, requirement=req, value=val, ok=bool(ok), source=src))

    share3 = s3 / total if total > 0 else 0.0
    has_s3_nt = any(t.type != "renewable_share" and coverage_cats(t, sc) and not is_long_term(t) for t in sc.targets)
    add("(company)", "scope-3 near-term target needed when scope 3 >= 40% of total",
        ">= 40% -> target", f"scope 3 = {share3:.0%} of total", share3 < 0.4 or has_s3_nt, SRC_NT)
    for t in sc.targets:
        span = t.year - by
        if t.type == "renewable_share":
            need = 1.0 if t.year >= 2030 else 0.8
            add(t.id, "renewable electricity procurement (scope-2 alternative)", f">= {need:.0%} by {t.year}",
                f"{t.share:.0%}", t.share >= need, SRC_NT)
            continue
        cov = t.coverage
        cats = coverage_cats(t, sc)
        cov3 = sum(float(s3_by_cat.get(f"cat{c:02d}", 0.0)) for c in cats) / s3 if s3 > 0 else 0.0
        red = _judged_reduction(t, drv, by, coverage_emissions(bau, t, sc, by))
        rate = red / span if span > 0 else 0.0
        sda = (sda_required(sc, bau, drv, t.product, t.year)
               if t.type == "intensity" and t.intensity_per == "product" else None)
        if is_long_term(t):
            own = red if t.cap_tco2e is not None else t.reduction
            real = own if t.offsets == "none" else t.min_real_reduction
            add(t.id, "net zero no later than 2050", "year <= 2050", str(t.year), t.year <= 2050, SRC_NZ)
            add(t.id, "real reduction >= 90%, only the residual neutralised", ">= 90%", f"{real:.0%}",
                real >= 0.9 - 1e-9 and t.offsets != "share", SRC_NZ)
            add(t.id, "covers scopes 1 and 2", "scope 1 and scope 2", f"scope1={cov.scope1}, scope2={cov.scope2}",
                cov.scope1 and cov.scope2 != "none", SRC_NZ)
            add(t.id, "covers >= 90% of scope 3", ">= 90%", f"{cov3:.0%}", s3 == 0 or cov3 >= 0.9, SRC_NZ)
            continue
        add(t.id, "near-term timeframe 5-10 years", "5-10 years", f"{span} years", 5 <= span <= 10, SRC_NT)
        add(t.id, "offsets do not count toward reduction targets", "none", t.offsets, t.offsets == "none", SRC_NT)
        if cov.scope1 or cov.scope2 != "none":
            add(t.id, "covers scopes 1 and 2 (>= 95%)", "scope 1 and scope 2",
                f"scope1={cov.scope1}, scope2={cov.scope2}", cov.scope1 and cov.scope2 != "none", SRC_NT)
            if sda is not None:
                add(t.id, f"product intensity at or below the SBTi SDA pathway in {t.year}",
                    f">= {sda:.1%} intensity reduction", f"{t.reduction:.1%}", t.reduction >= sda - 1e-9, SRC_SDA)
            else:
                add(t.id, "scopes 1+2 linear reduction >= 4.2%/yr (1.5 C)", ">= 4.2%/yr", f"{rate:.2%}/yr",
                    rate >= 0.042 - 1e-9, SRC_NT)
        if cats:
            add(t.id, "scope 3 covers >= 67% of scope-3 emissions", ">= 67%", f"{cov3:.0%}", cov3 >= 0.67, SRC_NT)
            add(t.id, "scope 3 linear reduction >= 2.5%/yr (well-below 2 C)", ">= 2.5%/yr", f"{rate:.2%}/yr",
                rate >= 0.025 - 1e-9, SRC_NT)
    return pd.DataFrame(rows, columns=["target", "criterion", "requirement", "value", "ok", "source"])


def summary(checks: pd.DataFrame) -> dict[str, bool]:
    """target id -> all criteria met."""
    return {k: bool(v) for k, v in checks.groupby("target")["ok"].all().items()}
