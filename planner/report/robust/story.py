"""One-line takeaways of the robust decks' slides, each computed from the frame (and summary) its slide shows:
the commit-now table, the branch fan, EVPI/VSS with their proven ranges, the measure map and the alternatives'
costs. tests/test_robust_report.py checks each against its frame."""

from __future__ import annotations

from ...postprocess.macc import MARKET_BASIS
from ...postprocess.robust_words import found_by as words_found_by
from ...postprocess.robust_words import w
from ...units import CNY_TO_MCNY
from ..common.i18n import FAMILY, pick
from ..common.render import Frames

TEXT: dict[str, dict[str, str]] = {
    "commit": {"en": "Commit now, before {split}: {n} build{s}, {capex:,.2f} MCNY expected capex, the same in all {k} "
                      "branches",
               "zh": "现在承诺（{split}年前）：{n}项建设，期望资本支出{capex:,.2f}百万元，{k}个分支均相同"},
    "commit_none": {"en": "Nothing to commit before {split}: every build waits for the branch to be known",
                    "zh": "{split}年前无需承诺：所有建设都可等到分支明确后再定"},
    "fan_same": {"en": "Every branch emits the same each year under the stochastic plan: {x:,.0f} tCO2e in {year}",
                 "zh": "随机方案下各分支每年排放相同：{year}年为{x:,.0f} tCO2e"},
    "fan_spread": {"en": "The branches differ most in {year}: from {lo:,.0f} tCO2e ({blo}) to {hi:,.0f} tCO2e ({bhi})",
                   "zh": "各分支排放差异最大在{year}年：从{lo:,.0f} tCO2e（{blo}）到{hi:,.0f} tCO2e（{bhi}）"},
    "evpi": {"en": "EVPI {x:,.0f} CNY", "zh": "EVPI {x:,.0f} 元"},
    "vss": {"en": "VSS {x:,.0f} CNY", "zh": "VSS {x:,.0f} 元"},
    "proven": {"en": " (proven {lo:,.0f} to {hi:,.0f})", "zh": "（可证明 {lo:,.0f} 至 {hi:,.0f}）"},
    "noise": {"en": " (solver noise: the proven range contains zero)", "zh": "（求解器噪声：可证明范围包含零）"},
    "vss_inf": {"en": "VSS: the average branch's plan cannot be completed", "zh": "VSS：平均分支的方案无法完成"},
    "map": {"en": "Within {slack:.1%} of the least NPV: {e} essential, {o} optional, {n} never",
            "zh": "在最低净现值{slack:.1%}以内：{e}项必做，{o}项可选，{n}项不做"},
    "unproven": {"en": ", {u} unproven", "zh": "，{u}项未证明"},
    "costs": {"en": "{k} alternatives, at most {top:.2%} above the least NPV of {least:,.2f} MCNY",
              "zh": "{k}个备选方案，最多高于最低净现值（{least:,.2f}百万元）{top:.2%}"},
    "costs_none": {"en": "No alternative found within the slack: the least NPV of {least:,.2f} MCNY stands alone",
                   "zh": "松弛范围内未找到备选方案：最低净现值{least:,.2f}百万元的方案唯一"},
}
SEP = {"en": "; ", "zh": "；"}


def t(key: str, lang: str, **kw) -> str:
    return TEXT[key][lang].format(**kw)


def commit(fr: Frames, s: dict, lang: str) -> str:
    """The commit-now slide: how many builds before the split year and their capex (robust_commit_now)."""
    now = fr["robust_commit_now"]
    if not len(now):
        return t("commit_none", lang, split=s["split_year"])
    return t("commit", lang, split=s["split_year"], n=len(now), s="" if len(now) == 1 else "s",
             capex=now.capex_cny.sum() * CNY_TO_MCNY,
             k=s["branches"])


def branch_totals(fr: Frames):
    """Total emissions per (branch, year), scopes 1+2+3 market-based (MARKET_BASIS: the plan report's total,
    scope 2 counted once), from robust_emissions."""
    e = fr["robust_emissions"]
    return e[e.scope.isin(MARKET_BASIS)].groupby(["branch", "year"], as_index=False).tco2e.sum()


def fan(fr: Frames, lang: str) -> str:
    """The fan slide: the year the branches' total emissions (branch_totals) differ most (the earliest of equal
    spreads), with the lowest and highest branch; or that they never differ (under 0.5 t)."""
    e = branch_totals(fr)
    spread = e.groupby("year").tco2e.agg(lambda x: x.max() - x.min())
    if spread.max() < 0.5:
        year = int(e.year.max())
        return t("fan_same", lang, year=year, x=e.loc[e.year == year, "tco2e"].iloc[0])
    year = int(spread.idxmax())
    at = e[e.year == year].sort_values(["tco2e", "branch"], kind="stable")
    lo, hi = at.iloc[0], at.iloc[-1]
    return t("fan_spread", lang, year=year, lo=lo.tco2e, blo=lo.branch, hi=hi.tco2e, bhi=hi.branch)


def _proven(r, lang: str) -> str:
    if not r:
        return ""
    lo, hi = r
    return t("noise", lang) if lo <= 0 < hi else t("proven", lang, lo=lo, hi=hi)


def proven_range(r, lang: str) -> str:
    """A proven range "lo .. hi" in CNY, with the noise sentence when it contains zero ("" without one)."""
    if not r:
        return ""
    lo, hi = r
    return f"{lo:,.0f} .. {hi:,.0f}" + (f" ({w('noise', lang)})" if lo <= 0 < hi else "")


def values(s: dict, lang: str) -> str:
    """The EVPI/VSS slide: both figures with their proven ranges, or noise when a range contains zero."""
    out = t("evpi", lang, x=s["evpi_cny"]) + _proven(s["evpi_range_cny"], lang)
    vss = (t("vss", lang, x=s["vss_cny"]) + _proven(s["vss_range_cny"], lang) if s["vss_cny"] is not None
           else t("vss_inf", lang))
    return out + SEP[lang] + vss


def measure_map(fr: Frames, s: dict, lang: str) -> str:
    """The measure-map slide: the count of each class (alternatives_measure_map)."""
    c = fr["alternatives_measure_map"]["class"].value_counts()
    out = t("map", lang, slack=s["slack"], e=c.get("essential", 0), o=c.get("optional", 0), n=c.get("never", 0))
    return out + (t("unproven", lang, u=c.get("unproven", 0)) if c.get("unproven", 0) else "")


def costs(fr: Frames, lang: str) -> str:
    """The costs slide: how many alternatives besides the least-NPV roadmap and the largest share above it."""
    o = fr["alternatives"]
    least = float(o.loc[o.alternative == 0, "npv_cny"].iloc[0]) * CNY_TO_MCNY
    others = o[o.alternative != 0]
    if not len(others):
        return t("costs_none", lang, least=least)
    return t("costs", lang, k=len(others), top=float(others.above_least.max()), least=least)


def found_by(objective: str, lang: str) -> str:
    """How an alternative was found (alternatives.objective: least_npv, min_<family>, max_<family>, distance),
    the family named in `lang`."""
    return words_found_by(objective, lang, lambda f: pick(FAMILY, f, lang))


__all__ = ["TEXT", "branch_totals", "proven_range", "commit", "costs", "fan", "found_by", "measure_map", "values"]
