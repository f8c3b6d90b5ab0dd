"""Shortfalls read from a solved elastic model (docs/model.md §8): for each target that cannot be met, the
years it fails, its best achievable level and the covered emissions left, by source, at that plan."""

from __future__ import annotations

import pandas as pd

from ..backend.builder import BuiltModel
from ..errors import Residual, Shortfall, one_line
from ..preprocess.targets import TargetYear, covered, describe, pct_change
from ..schemas.scenario import Scenario
from ..units import GWH_TO_MWH, KT_TO_T, T_TO_KT
from .results import plan_emissions

TOLERANCE = 1e-6  # a slack below this share of the target's base (RE: GWh) is no shortfall
TOP_SOURCES = 3  # sources named in the message; the rest are summed
MAX_TEXT_CHARS = 1000  # one target's line (control characters escaped)
SCOPE_WORDS = {"scope1": "scope 1", "scope2_location": "location-based scope 2",
               "scope2_market": "market-based scope 2"}


def shortfalls(b: BuiltModel, sc: Scenario) -> list[Shortfall]:
    """Every target short at the elastic plan loaded in `b`, in the scenario's order."""
    slack = {r.key: b.m.target_slack[r.key].value or 0.0 for r in b.targets}
    short = [r for r in b.targets if slack[r.key] / _base_kt(r) > TOLERANCE]
    if not short:
        return []
    with b.evaluation():
        emissions = plan_emissions(b) if any(r.target.type != "renewable_share" for r in short) else None
        out = []
        for tid in dict.fromkeys(r.target.id for r in short):
            rows = [r for r in short if r.target.id == tid]
            milestone = [r for r in rows if r.year == r.target.year]
            r = milestone[0] if milestone else max(rows, key=lambda r: slack[r.key])  # first of equals
            years = tuple(sorted(x.year for x in rows))
            out.append(_renewable(b, sc, r, slack[r.key], years) if r.target.type == "renewable_share"
                       else _emission(b, sc, r, slack[r.key], years, emissions))
    return out


def _base_kt(r: TargetYear) -> float:
    """What a slack is measured against: the base-year coverage in kt (RE: 1 GWh)."""
    return 1.0 if r.target.type == "renewable_share" else max(r.base_tco2e * T_TO_KT, 1e-9)


def _emission(b: BuiltModel, sc: Scenario, r: TargetYear, slack_kt: float, years: tuple[int, ...],
              emissions: pd.DataFrame) -> Shortfall:
    """An emission target's shortfall. Its best achievable level is net of the offsets counted at the elastic
    plan; where the net-zero residual rule (gross emissions, before offsets) is what fails, the level before
    offsets against the rule's requirement (the elastic plan then buys no credits: they cannot help)."""
    full = r.base_tco2e * r.scale  # the base the reduction is measured from in this year
    k = r.key
    gross = b.value(b.core.total(r.year, r.scope1, r.scope2, list(r.scope3_categories),
                              dict(r.site_factors) or None)) * KT_TO_T
    offsets = b.value(b.m.offsets[k]) * KT_TO_T if k in b.m.offset_target_years else 0.0
    rule = r.real_limit is not None and gross - r.real_limit > TOLERANCE * max(full, 1.0)
    level, required = (gross, 1 - r.real_limit / full if full > 0 else 0.0) if rule else (gross - offsets, r.reduction)
    best = 1 - level / full if full > 0 else 0.0
    d = emissions[emissions.year == r.year]
    d = d[covered(d, r.target, sc)].sort_values("tco2e", ascending=False, kind="stable")
    residual = tuple(Residual(x.scope, x.site, x.source, float(x.tco2e), x.tco2e / full if full > 0 else None)
                     for x in d.itertuples() if abs(x.tco2e) > 1e-9)
    s = Shortfall(r.target.id, describe(r.target, sc), r.year, years, "tCO2e", required, best, slack_kt * KT_TO_T,
                  residual, offsets, "before offsets" if rule else "net")
    text = f"{s.description}: best achievable {_change(best)}{' before offsets' if rule else ''} in {r.year}"
    if rule:
        text += f" (the net-zero residual rule requires {_change(required)} before offsets)"
    elif r.year != r.target.year:
        text += f" (pathway year, requires {_change(r.reduction)})"
    if len(years) > 1:
        text += f", short in {year_ranges(years)}"
    return _with_text(s, f"{text}, {residual_text(residual, offsets, full)}")


def _change(x: float) -> str:
    """A reduction as a signed change, rounding noise shown as -0% (never +0%)."""
    return pct_change(0.0 if abs(x) < 5e-4 else x)


def _renewable(b: BuiltModel, sc: Scenario, r: TargetYear, slack_gwh: float, years: tuple[int, ...]) -> Shortfall:
    green, use = (b.value(x) for x in b.core.renewable_electricity(b.ledger, r.year))
    best = green / use if use > 0 else 1.0
    s = Shortfall(r.target.id, describe(r.target, sc), r.year, years, "MWh", r.limit, best, slack_gwh * GWH_TO_MWH)
    pathway = f"pathway year, requires {share_text(r.limit)}, " if r.year != r.target.year else ""
    text = (f"{s.description}: best achievable {share_text(best)} in {r.year} ({pathway}"
            f"{s.shortfall:,.0f} MWh of renewable electricity short)"
            + (f", short in {year_ranges(years)}" if len(years) > 1 else ""))
    return _with_text(s, text)


def _with_text(s: Shortfall, text: str) -> Shortfall:
    """The record with its message, on one printable line (names come from the scenario)."""
    return Shortfall(**{**s.__dict__, "text": one_line(text, MAX_TEXT_CHARS)})


def residual_text(residual: tuple[Residual, ...], offsets_t: float, full: float) -> str:
    """'residual 0.8% of the base: location-based scope 2 of north_casting electricity 0.6%, ...' (tonnes when
    the base is 0), the largest TOP_SOURCES sources named, the rest summed."""
    def amount(t: float) -> str:
        return share_text(t / full) if full > 0 else f"{t:,.0f} tCO2e"

    gross = sum(x.tco2e for x in residual)
    named = [x for x in residual[:TOP_SOURCES] if x.tco2e > 0]
    rest = residual[len(named):]
    parts = [f"{source_label(x)} {amount(x.tco2e)}" for x in named]
    if rest:
        parts.append(f"{len(rest)} more {amount(sum(x.tco2e for x in rest))}")
    if offsets_t > 0:
        parts.append(f"less offsets {amount(offsets_t)}")
    head = f"residual {amount(gross)}" + (" of the base" if full > 0 else "")
    return f"{head}: {', '.join(parts)}" if parts else f"{head}: nothing left to reduce"


def source_label(x: Residual) -> str:
    """'location-based scope 2 of north_casting electricity', 'scope 3 cat. 1'."""
    if x.scope == "scope3":
        return f"scope 3 cat. {int(x.source[3:])}" if x.source[3:].isdigit() else f"scope 3 {x.source}"
    return f"{SCOPE_WORDS.get(x.scope, x.scope)} of {x.site} {x.source}"


def share_text(x: float) -> str:
    """0.008 -> '0.8%', 0.94 -> '94%', 0.0001 -> '<0.1%'."""
    p = x * 100
    if 0 < abs(p) < 0.05:
        return ("<" if p > 0 else ">-") + "0.1%"
    return (f"{p:.0f}" if abs(p - round(p)) < 0.05 else f"{p:.1f}") + "%"


def year_ranges(years: tuple[int, ...]) -> str:
    """(2026, 2027, 2028, 2030) -> '2026-2028, 2030'."""
    out: list[list[int]] = []
    for y in years:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in out)
