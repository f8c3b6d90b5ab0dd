"""Target arithmetic before the model: which years each target constrains and the allowed level.

Pure pandas/python. A target's coverage is summed from the consolidated BAU frame in the base year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import InputError
from ..schemas.scenario import Scenario, Target
from .baseline import Drivers


def coverage_cats(t: Target, sc: Scenario) -> list[int]:
    """Scope-3 categories a target covers (only those with a baseline)."""
    cats = t.coverage.scope3
    return sorted(sc.scope3.categories) if cats == "all" else sorted(cats)


def pct_change(reduction: float) -> str:
    """A reduction as a signed change: 0.42 -> '-42%', -0.05 -> '+5%', 0.004 -> '-0.4%'."""
    x = -reduction * 100
    txt = f"{abs(x):.0f}" if abs(x - round(x)) < 0.05 else f"{abs(x):.1f}"
    return ("+" if x > 0 else "-") + txt + "%"


def describe(t: Target, sc: Scenario) -> str:
    """Business wording, e.g. '2030 target, scopes 1+2 market-based -42%'."""
    cov = t.coverage
    parts = (["1"] if cov.scope1 else []) + (["2"] if cov.scope2 != "none" else [])
    cats = coverage_cats(t, sc)
    scope = "scopes " + "+".join(parts) if len(parts) > 1 else ("scope " + parts[0] if parts else "")
    if cov.scope2 != "none":
        scope += f" {cov.scope2}-based"
    if cats:
        all3 = cats == sorted(sc.scope3.categories)
        s3 = "scope 3" + ("" if all3 else " cat. " + ",".join(str(c) for c in cats))
        scope = f"{scope} + {s3}" if scope else s3
    name = f"{t.year} target{' ' + repr(t.name) if t.name else ''}"
    if t.type == "renewable_share":
        return f"{name}, renewable electricity share {t.share:.0%}"
    if t.cap_tco2e is not None:
        return f"{name}, {scope} cap {t.cap_tco2e:,.0f} tCO2e"
    per = t.product if t.intensity_per == "product" else t.intensity_per  # one word: the report parses it
    kind = "" if t.type == "absolute" else f" intensity per {per}"
    return f"{name}, {scope}{kind} {pct_change(t.reduction)}"


def cap_reduction(t: Target, base_tco2e: float) -> float:
    """The reduction from the base year that an absolute cap amounts to (0 for a zero base)."""
    return 1 - t.cap_tco2e / base_tco2e if base_tco2e > 0 else 0.0


def covered(frame: pd.DataFrame, t: Target, sc: Scenario) -> pd.Series:
    """Which rows of an emissions frame (scope, source columns) a target's coverage includes."""
    scopes = (["scope1"] if t.coverage.scope1 else []) + (
        [f"scope2_{t.coverage.scope2}"] if t.coverage.scope2 != "none" else [])
    cats = {f"cat{c:02d}" for c in coverage_cats(t, sc)}
    return frame.scope.isin(scopes) | ((frame.scope == "scope3") & frame.source.isin(cats))


def coverage_emissions(bau: pd.DataFrame, t: Target, sc: Scenario, year: int) -> float:
    """Consolidated tCO2e of a target's coverage in one year of a BAU/plan emissions frame."""
    d = bau[bau.year == year]
    tot = 0.0
    if t.coverage.scope1:
        tot += d.loc[d.scope == "scope1", "tco2e"].sum()
    if t.coverage.scope2 != "none":
        tot += d.loc[d.scope == f"scope2_{t.coverage.scope2}", "tco2e"].sum()
    cats = {f"cat{c:02d}" for c in coverage_cats(t, sc)}
    tot += d.loc[(d.scope == "scope3") & d.source.isin(cats), "tco2e"].sum()
    return float(tot)


def denominator(t: Target, drv: Drivers, year: int) -> float:
    """Intensity denominator: consolidated output, revenue (MCNY) or t of a product sold."""
    if t.intensity_per == "revenue":
        return drv.revenue[year]
    if t.intensity_per == "product":
        out = drv.products.output_t if drv.products is not None else {}
        return sum(v * drv.site_share[s] for (s, p, y), v in out.items() if p == t.product and y == year)
    return sum(v * drv.site_share[s] for (s, y), v in drv.output.items() if y == year)


def product_factors(t: Target, drv: Drivers, year: int) -> tuple[tuple[str, float], ...]:
    """A product intensity target: (site, share of the site's emissions allocated to the product) of every site
    selling it in `year`, by mass of the products the site sells (docs/model.md §6.11); () for other targets."""
    if t.intensity_per != "product" or drv.products is None:
        return ()
    out = drv.products.output_t
    sold: dict[str, float] = {}
    for (s, _p, y), v in out.items():
        if y == year:
            sold[s] = sold.get(s, 0.0) + v
    return tuple(sorted((s, v / sold[s]) for (s, p, y), v in out.items()
                        if p == t.product and y == year and sold[s] > 0))


def product_coverage_emissions(bau: pd.DataFrame, t: Target, sc: Scenario, drv: Drivers, year: int) -> float:
    """Consolidated tCO2e of a product intensity target's coverage allocated to the product in `year`."""
    factors = dict(product_factors(t, drv, year))
    d = bau[(bau.year == year) & bau.site.isin(list(factors)) & covered(bau, t, sc)]
    return float(sum(factors[r.site] * r.tco2e for r in d.itertuples()))


@dataclass(frozen=True)
class TargetYear:
    """One constrained year of a target. Levels in tCO2e (RE share: a fraction)."""

    target: Target
    year: int
    reduction: float  # reduction (RE: share) required in this year
    base_tco2e: float  # coverage emissions in the base year
    limit: float  # allowed net emissions (or required RE share)
    real_limit: float | None  # net-zero residual rule: allowed gross emissions
    scope3_categories: tuple[int, ...] = ()  # covered categories with a baseline
    scale: float = 1.0  # intensity targets: the denominator in this year over the base year's
    # product intensity targets: (site, share of its emissions allocated to the product); () = every site, all
    site_factors: tuple[tuple[str, float], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.target.id}@{self.year}"

    @property
    def scope1(self) -> bool:
        """Scope 1 covered (never for a renewable-share target)."""
        return self.target.type != "renewable_share" and self.target.coverage.scope1

    @property
    def scope2(self) -> str:
        """Scope-2 basis covered: market, location or none."""
        return self.target.coverage.scope2 if self.target.type != "renewable_share" else "none"


def chain_key(t: Target, sc: Scenario) -> tuple:
    """Targets with the same key form one staged series (a linear path starts at the previous milestone)."""
    if t.type == "renewable_share":
        return ("renewable_share",)
    cov = t.coverage
    return (t.type, t.intensity_per if t.type == "intensity" else "", t.product or "", cov.scope1, cov.scope2,
            tuple(coverage_cats(t, sc)))


def previous_milestone(t: Target, sc: Scenario, base_tco2e: float = 0.0) -> tuple[int, float, float]:
    """(year, required level, required real reduction) of the latest earlier milestone in t's series, or the
    base year with nothing required. Levels are reductions (RE: shares; a cap as its reduction from
    `base_tco2e`, the series' base-year emissions)."""
    key = chain_key(t, sc)
    prev = [u for u in sc.targets if u is not t and chain_key(u, sc) == key and u.year < t.year]
    if not prev:
        return sc.base_year, 0.0, 0.0
    u = max(prev, key=lambda u: (u.year, u.id))
    if u.type == "renewable_share":
        return u.year, u.share, 0.0
    red = cap_reduction(u, base_tco2e) if u.cap_tco2e is not None else u.reduction
    real = red if u.offsets == "none" else (u.min_real_reduction if u.offsets == "net_zero_residual" else 0.0)
    return u.year, red, real


def target_years(sc: Scenario, bau: pd.DataFrame, drv: Drivers) -> list[TargetYear]:
    """Every constrained (target, year) with its allowed level. A linear pathway runs from the previous
    milestone of the same series (same type and coverage) to the target, or from the base year."""
    out: list[TargetYear] = []
    by, years = sc.base_year, sc.years
    for t in sc.targets:
        base = (0.0 if t.type == "renewable_share" else product_coverage_emissions(bau, t, sc, drv, by)
                if t.intensity_per == "product" and t.type == "intensity" else coverage_emissions(bau, t, sc, by))
        y0, r0, real0 = previous_milestone(t, sc, base) if t.pathway == "linear" else (by, 0.0, 0.0)
        ys = [y for y in years if y0 < y <= t.year] if t.pathway == "linear" else [t.year]
        if t.maintain:
            ys += [y for y in years if y > t.year]
        cats = tuple(coverage_cats(t, sc)) if t.type != "renewable_share" else ()
        goal = t.share if t.type == "renewable_share" else (
            cap_reduction(t, base) if t.cap_tco2e is not None else t.reduction)
        for y in ys:
            f = min(1.0, (y - y0) / (t.year - y0)) if t.pathway == "linear" else 1.0
            req = r0 + (goal - r0) * f
            if t.type == "renewable_share":
                out.append(TargetYear(t, y, req, 0.0, req, None, cats))
                continue
            d0 = 1.0 if t.type == "absolute" else denominator(t, drv, by)
            if d0 <= 0:
                raise InputError(sc.name, f"targets.{t.id}.intensity_per",
                                 f"the consolidated base-year {t.intensity_per} is 0; an intensity target needs > 0")
            scale = 1.0 if t.type == "absolute" else denominator(t, drv, y) / d0
            real = None
            if t.offsets == "net_zero_residual":
                real = (1 - (real0 + (t.min_real_reduction - real0) * f)) * base * scale
            factors = product_factors(t, drv, y) if t.type == "intensity" else ()
            limit = t.cap_tco2e if t.cap_tco2e is not None and f == 1.0 else (1 - req) * base * scale
            out.append(TargetYear(t, y, req, base, limit, real, cats, scale, factors))
    return out
