"""SBTi check of each target against the published criteria (near-term criteria and Corporate
Net-Zero Standard v1.x): 4.2%/yr linear for scopes 1+2, scope-3 ambition (2.5%/yr) and coverage
(67% near-term, 90% long-term), a scope-3 target when scope 3 >= 40% of the total, 5-10 year
near-term timeframe, >= 90% real reduction by 2050 for net zero (targets of >= 90%, net-zero
targets and targets for 2050 or later are judged as long-term), offsets not counted as reductions.

Pure pandas. The base year stands in for the submission year. Intensity targets are checked by their
absolute-equivalent reduction under the scenario's BAU denominator growth.
"""

from __future__ import annotations

import pandas as pd

from ..preprocess.baseline import Drivers
from ..preprocess.targets import coverage_cats, denominator
from ..schemas.scenario import Scenario, Target

SRC_NT = "SBTi Corporate Near-Term Criteria"
SRC_NZ = "SBTi Corporate Net-Zero Standard v1.x"


def _absolute_equivalent(t: Target, drv: Drivers, base_year: int) -> float:
    if t.type == "absolute":
        return t.reduction
    ratio = denominator(t, drv, t.year) / denominator(t, drv, base_year)
    return 1 - (1 - t.reduction) * ratio


LONG_TERM_YEAR = 2050  # a target for this year or later is a long-term (net-zero) target, whatever its size


def is_long_term(t: Target) -> bool:
    """Judged against the long-term / net-zero criteria: a reduction of 90% or more, a net-zero target
    (offsets: net_zero_residual) or a target year of 2050 or later (e.g. -85% by 2050 fails the 90% rule
    instead of the near-term 5-10 year timeframe)."""
    return t.type != "renewable_share" and (t.reduction >= 0.9 or t.offsets == "net_zero_residual"
                                            or t.year >= LONG_TERM_YEAR)


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
        red = _absolute_equivalent(t, drv, by)
        rate = red / span if span > 0 else 0.0
        if is_long_term(t):
            real = t.reduction if t.offsets == "none" else t.min_real_reduction
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
