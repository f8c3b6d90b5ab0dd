"""Sentences computed from the result frames, the same in English and Chinese: a one-line takeaway per chart
(deck slides) and the headline decisions at the top of the report (largest capex, first big investment year,
measures with negative cost per tonne, what the offsets cover, targets)."""

from __future__ import annotations

import pandas as pd

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common.i18n import FAMILY, LANGS, pick
from ..common.render import Frames
from . import markets, products
from .coverage import coverage_groups, covered
from .dispatch import pick_day, storage_decision

BIG_INVESTMENT_SHARE = 0.10  # a year is a big investment year when its capex is >= 10% of the horizon's capex

S: dict[str, tuple[str, str]] = {
    "traj": ("{who}, from {year}, delivers {pct} of the abatement {first}–{end}",
             "{who}自{year}年起贡献{first}–{end}年累计减排量的{pct}"),
    "traj_none": ("No abatement {first}–{end}: emissions follow business as usual",
                  "{first}–{end}年无减排：排放与基准情景一致"),
    "gantt": ("{n} investments from {first} to {last}; the largest: {who}, {capex} MCNY in {year}",
              "{first}–{last}年共{n}项投资；最大一项：{who}，{year}年投资{capex}百万元"),
    "gantt_family": ("{family} takes {pct} of the capex ({capex} of {total} MCNY)",
                     "{family}占总投资的{pct}（{total}百万元中的{capex}百万元）"),
    "gantt_none": ("No investment: the plan relies on purchases only", "无投资：规划仅依靠采购"),
    "gantt_site": ("{site}: {n} investments from {first} to {last}, {total} MCNY; the largest: {name}, {capex} MCNY "
                   "in {year}",
                   "{site}：{first}–{last}年共{n}项投资，{total}百万元；最大一项：{name}，{year}年投资{capex}百万元"),
    "gantt_site_one": ("{site}: one investment, {name}, {capex} MCNY in {year}",
                       "{site}：一项投资，{name}，{year}年投资{capex}百万元"),
    "gantt_site_none": ("{site}: purchases only, no investment", "{site}：仅采购，无投资"),
    "gantt_fams": ("{families}: {pct} of the plan's capex ({capex} of {total} MCNY); the largest: {family}",
                   "{families}：占规划总投资的{pct}（{total}百万元中的{capex}百万元）；最大：{family}"),
    "gantt_fams_none": ("{families}: purchases only, no investment", "{families}：仅采购，无投资"),
    "macc_sa": ("Stand-alone at full potential, {k} of {n} measures save money; the cheapest: {who} at {cost} CNY/t",
                "单独按全部潜力实施时，{n}项措施中有{k}项节省成本；最经济的是{who}，{cost}元/吨"),
    "macc_plan": ("{pct} of the plan's abatement costs less than the {year} ETS price of {price} CNY/t",
                  "规划减排量中{pct}的成本低于{year}年碳价{price}元/吨"),
    "macc_plan_neg": ("{pct} of the plan's abatement has a negative cost", "规划减排量中{pct}的成本为负"),
    "costs": ("Cash net present cost {npv} MCNY; capex peaks at {capex} MCNY in {year}",
              "现金净现值成本{npv}百万元；资本支出在{year}年达到峰值{capex}百万元"),
    "costs_nocapex": ("Cash net present cost {npv} MCNY, with no capital expenditure",
                      "现金净现值成本{npv}百万元，无资本支出"),
    "scopes": ("Scope 3 is {s3} of base-year emissions; the plan cuts scopes 1+2 (market-based) by {cut} by {end}",
               "范围三占基准年排放的{s3}；至{end}年规划使范围一+二（市场法）减少{cut}"),
    "compliance": ("{k} of {n} target milestones met; offsets cover {off} ktCO2e in {year}",
                   "{n}个目标节点中{k}个达成；{year}年碳信用抵消{off}千吨CO2e"),
    "compliance_nooff": ("{k} of {n} target milestones met, without offsets",
                         "{n}个目标节点中{k}个达成，未使用碳信用抵消"),
    "dispatch": ("Representative day {day} of {year} at {site}: storage built {storage}",
                 "{year}年典型日{day}（{site}）：新建储能 {storage}"),
    "dispatch_none": ("Representative day {day} of {year} at {site}: no battery built",
                      "{year}年典型日{day}（{site}）：未建储能"),
    "routes": ("{product} in {end}: {route} makes {pct} of the output (in {first}: {route0}, {pct0})",
               "{end}年{product}：{route}占产量的{pct}（{first}年：{route0}，{pct0}）"),
    "routes_same": ("{product} in {end}: {route} makes {pct} of the output ({pct0} in {first})",
                    "{end}年{product}：{route}占产量的{pct}（{first}年为{pct0}）"),
    "intensity": ("{product}: planned intensity {i1} tCO2e/t in {end} ({i0} in {first}), {cmp} the SBTi SDA pathway's "
                  "{req} tCO2e/t",
                  "{product}：{end}年规划强度{i1} tCO2e/吨（{first}年{i0}），{cmp}SBTi 行业减排路径的{req} tCO2e/吨"),
    "intensity_nosda": ("{product}: planned intensity {i1} tCO2e/t in {end} ({i0} in {first})",
                        "{product}：{end}年规划强度{i1} tCO2e/吨（{first}年{i0}）"),
    "below": ("at or below", "不高于"), "above": ("above", "高于"),
    "carbon_free": ("24/7 carbon-free electricity at {site}: {s0} in {first}, {s1} in {end}",
                    "{site}全天候（24/7）无碳电力占比：{first}年{s0}，{end}年{s1}"),
    "h_largest": ("Largest investment: {who}, {capex} MCNY in {year}",
                  "最大单项投资：{who}，{year}年投资{capex}百万元"),
    "h_first_big": ("First big investment year: {year}, {capex} MCNY ({pct} of all capex): {names}",
                    "首个大额投资年份：{year}年，投资{capex}百万元（占总投资{pct}）：{names}"),
    "h_negative": ("In the plan, {k} of {n} adopted measures pay for themselves (negative plan cost per tonne): "
                   "{names}; together {kt} ktCO2e over the horizon",
                   "规划中，{n}项已采用措施中有{k}项自身即可盈利（规划每吨减排成本为负）：{names}；规划期内合计减排{kt}千吨CO2e"),
    "h_no_negative": ("In the plan, no adopted measure pays for itself at the scenario's prices",
                      "按情景价格，规划中没有自身即可盈利的已采用措施"),
    "h_offsets": ("Offsets cover {kt} ktCO2e of target {target} in {year}, {pct} of its base-year emissions",
                  "碳信用抵消目标 {target} 在{year}年的{kt}千吨CO2e，占其基准年排放的{pct}"),
    "h_no_offsets": ("No offsets: every target is met by real reductions", "未使用碳信用：所有目标均通过实际减排达成"),
    "h_targets_met": ("All {n} target milestones are met", "全部{n}个目标节点均达成"),
    "h_targets_unmet": ("{k} of {n} target milestones are not met: {which}", "{n}个目标节点中{k}个未达成：{which}"),
    "more": ("{names} and {k} more", "{names}等{n}项"),
    "at": ("{name} at {site}", "{site}的{name}"),
    "company_wide": ("Company-wide", "公司层面"),
}


def say(key: str, lang: str, **kw) -> str:
    return S[key][LANGS.index(lang)].format(**kw)


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def mcny(cny: float) -> str:
    return f"{cny * CNY_TO_MCNY:,.1f}"


def _name(row, lang: str) -> str:
    zh = getattr(row, "name_zh", "")
    return zh if lang == "zh" and isinstance(zh, str) and zh else row.name


def who(row, lang: str, sites: dict[str, str] | None = None) -> str:
    """'CCUS at the casting plant' (site name from the scenario, else its id); company-wide measures by name."""
    if row.site == "company":
        return _name(row, lang)
    return say("at", lang, name=_name(row, lang), site=(sites or {}).get(row.site, row.site))


def _names(rows: pd.DataFrame, lang: str, sites: dict[str, str] | None = None, k: int = 3) -> str:
    names = [who(r, lang, sites) for r in rows.itertuples()]
    sep = ", " if lang == "en" else "、"
    if len(names) <= k:
        return sep.join(names)
    return say("more", lang, names=sep.join(names[:k]), k=len(names) - k, n=len(names))


def trajectory(fr: Frames, lang: str, group: tuple[bool, str, str], sites: dict[str, str] | None = None) -> str:
    """The measure with the largest share of the coverage's abatement summed over the horizon (not one year's:
    a measure that starts in the last year would take all of it), and its first year."""
    ab = covered(fr["abatement"], group)
    first, end = int(fr["emissions"].year.min()), int(fr["emissions"].year.max())
    by = ab.groupby("measure").tco2e.sum()
    total = float(by.clip(lower=0).sum())
    if total <= 0 or by.max() <= 0:
        return say("traj_none", lang, first=first, end=end)
    mid = by.idxmax()
    rm = fr["roadmap"][fr["roadmap"].measure == mid]
    if rm.empty:  # an existing production route that runs less (no build, not in the roadmap): its first year
        first_cut = ab[(ab.measure == mid) & (ab.tco2e > 0)].year.min()
        return say("traj", lang, who=products.name(fr, "route", mid, lang), year=int(first_cut),
                   pct=pct(by[mid] / total), first=first, end=end)
    return say("traj", lang, who=who(next(rm.itertuples()), lang, sites), year=int(rm.year.min()),
               pct=pct(by[mid] / total), first=first, end=end)


def gantt(fr: Frames, lang: str, sites: dict[str, str] | None = None) -> str:
    b = fr["roadmap"][fr["roadmap"].action == "build"]
    if b.empty:
        return say("gantt_none", lang)
    top = next(b.sort_values(["capex_cny", "year"], ascending=[False, True], kind="stable").itertuples())
    return say("gantt", lang, n=len(b), first=int(b.year.min()), last=int(b.year.max()), who=who(top, lang, sites),
               capex=mcny(top.capex_cny), year=int(top.year))


def gantt_family(fr: Frames, lang: str) -> str:
    """The measure family with the largest share of the capex."""
    b = fr["roadmap"][fr["roadmap"].action == "build"]
    by = b.groupby("family").capex_cny.sum().sort_values(ascending=False, kind="stable")
    if by.empty or by.sum() <= 0:
        return say("gantt_none", lang)
    return say("gantt_family", lang, family=pick(FAMILY, by.index[0], lang), pct=pct(by.iloc[0] / by.sum()),
               capex=mcny(by.iloc[0]), total=mcny(by.sum()))


def gantt_site(fr: Frames, lang: str, site: str, sites: dict[str, str] | None = None) -> str:
    """A Gantt slide of one site: its investments, their span and total, and its largest."""
    name = say("company_wide", lang) if site == "company" else (sites or {}).get(site, site)
    rm = fr["roadmap"]
    b = rm[(rm.site == site) & (rm.action == "build")]
    if b.empty:
        return say("gantt_site_none", lang, site=name)
    top = next(b.sort_values(["capex_cny", "year"], ascending=[False, True], kind="stable").itertuples())
    kw = dict(site=name, name=_name(top, lang), capex=mcny(top.capex_cny), year=int(top.year))
    if len(b) == 1:
        return say("gantt_site_one", lang, **kw)
    return say("gantt_site", lang, n=len(b), first=int(b.year.min()), last=int(b.year.max()),
               total=mcny(b.capex_cny.sum()), **kw)


def gantt_families(fr: Frames, lang: str, families: list[str]) -> str:
    """A Gantt slide of some families: their share of the plan's capex and the largest of them."""
    names = ("、" if lang == "zh" else ", ").join(pick(FAMILY, f, lang) for f in families)
    b = fr["roadmap"][fr["roadmap"].action == "build"]
    by = b[b.family.isin(families)].groupby("family").capex_cny.sum().sort_values(ascending=False, kind="stable")
    total = float(b.capex_cny.sum())
    if by.empty or by.sum() <= 0 or total <= 0:
        return say("gantt_fams_none", lang, families=names)
    return say("gantt_fams", lang, families=names, pct=pct(by.sum() / total), capex=mcny(by.sum()),
               total=mcny(total), family=pick(FAMILY, by.index[0], lang))


def macc_standalone(fr: Frames, lang: str, sites: dict[str, str] | None = None) -> str:
    d = fr["macc_standalone"].sort_values("standalone_cost_cny_per_tco2e", kind="stable")
    cost = d.standalone_cost_cny_per_tco2e
    return say("macc_sa", lang, k=int((cost < 0).sum()), n=len(d),
               who=who(next(d.itertuples()), lang, sites), cost=f"{cost.iloc[0]:,.0f}")


def ets_price(fr: Frames) -> tuple[int, float] | None:
    """(year, CNY/t) of the last ETS price in the assumptions."""
    a = fr["assumptions"]
    p = a[(a.group == "price") & (a["item"] == "ets")].dropna(subset=["year"]).sort_values("year")
    return (int(p.year.iloc[-1]), float(p.value.iloc[-1])) if len(p) else None


def macc_plan(fr: Frames, lang: str) -> str:
    d = fr["macc"]
    total = float(d.abatement_tco2e.clip(lower=0).sum())
    ets = ets_price(fr)
    limit = ets[1] if ets else 0.0
    below = d.loc[d.plan_cost_cny_per_tco2e < limit, "abatement_tco2e"].clip(lower=0).sum()
    share = below / total if total > 0 else 0.0
    if ets:
        return say("macc_plan", lang, pct=pct(share), year=ets[0], price=f"{ets[1]:,.0f}")
    return say("macc_plan_neg", lang, pct=pct(share))


def costs(fr: Frames, lang: str) -> str:
    c = fr["costs"]
    npv = mcny(c.loc[c.category != "carbon_internal", "discounted_cny"].sum())  # cash: no shadow price
    capex = c[c.category == "capex"].groupby("year").nominal_cny.sum()
    if capex.empty or capex.max() <= 0:
        return say("costs_nocapex", lang, npv=npv)
    return say("costs", lang, npv=npv, capex=mcny(capex.max()), year=int(capex.idxmax()))


def scopes(fr: Frames, lang: str) -> str:
    bau, em = fr["bau"], fr["emissions"]
    b = bau[(bau.year == bau.year.min()) & (bau.scope != "scope2_location")]
    s3 = b.loc[b.scope == "scope3", "tco2e"].sum() / b.tco2e.sum() if b.tco2e.sum() > 0 else 0.0
    end = int(em.year.max())
    s12 = ["scope1", "scope2_market"]
    base = b.loc[b.scope.isin(s12), "tco2e"].sum()
    now = em.loc[(em.year == end) & em.scope.isin(s12), "plan_tco2e"].sum()
    return say("scopes", lang, s3=pct(s3), cut=pct(1 - now / base if base > 0 else 0.0), end=end)


def compliance(fr: Frames, lang: str) -> str:
    t = fr["targets"][fr["targets"].milestone]
    k, n = int(t.met.sum()), len(t)
    off = t.groupby("year").offsets_used.sum()
    if off.empty or off.max() <= 0:
        return say("compliance_nooff", lang, k=k, n=n)
    return say("compliance", lang, k=k, n=n, off=f"{off.max() * T_TO_KT:,.1f}", year=int(off.idxmax()))


def dispatch(fr: Frames, lang: str, sites: dict[str, str] | None = None) -> str:
    """The dispatch chart's day (as the chart picks it) and the roadmap's storage builds."""
    site, year, day = pick_day(fr)
    storage, _first = storage_decision(fr)
    where = (sites or {}).get(site, site)
    if not storage:
        return say("dispatch_none", lang, day=day, year=year, site=where)
    return say("dispatch", lang, day=day, year=year, site=where, storage=storage)


def routes(fr: Frames, lang: str) -> str:
    """The largest product's leading route in the last year and in the first (its share of the product's output)."""
    site, product = products.made(fr)[0]
    po = fr["product_output"]
    d = po[(po.site == site) & (po["product"] == product)]
    first, end = int(d.year.min()), int(d.year.max())

    def top(y):
        r = d[d.year == y].sort_values(["output_t", "route"], ascending=[False, True], kind="stable").iloc[0]
        return products.name(fr, "route", r.route, lang), pct(r.share)

    (route, share), (route0, share0) = top(end), top(first)
    if route0 == route:
        return say("routes_same", lang, product=products.name(fr, "product", product, lang), end=end, route=route,
                   pct=share, first=first, pct0=share0)
    return say("routes", lang, product=products.name(fr, "product", product, lang), end=end, route=route, pct=share,
               first=first, route0=route0, pct0=share0)


def intensity(fr: Frames, lang: str) -> str:
    """The largest product sold: its planned intensity (sector boundary) first and last year, against the SDA."""
    p = products.sold(fr)[0]
    pi = fr["product_intensity"]
    c = pi[(pi.site == "company") & (pi["product"] == p) & (pi.case == "plan")].sort_values("year")
    first, end = int(c.year.iloc[0]), int(c.year.iloc[-1])
    i0, i1 = float(c.boundary_tco2e_per_t.iloc[0]), float(c.boundary_tco2e_per_t.iloc[-1])
    kw = dict(product=products.name(fr, "product", p, lang), end=end, first=first, i0=f"{i0:.2f}", i1=f"{i1:.2f}")
    sda = fr.get("sda_pathway")
    s = sda[(sda["product"] == p) & (sda.year == end)] if sda is not None else []
    if not len(s):
        return say("intensity_nosda", lang, **kw)
    req = float(s.required_tco2e_per_t.iloc[0])
    return say("intensity", lang, req=f"{req:.2f}", cmp=say("below" if i1 <= req + 1e-9 else "above", lang), **kw)


def carbon_free(fr: Frames, lang: str, sites: dict[str, str] | None = None) -> str:
    """The 24/7 carbon-free share of the site with the most electricity use, first and last year."""
    cf = fr["carbon_free"]
    site = cf.groupby("site").consumption_mwh.sum().idxmax()
    d = cf[cf.site == site].sort_values("year")
    return say("carbon_free", lang, site=(sites or {}).get(site, site), first=int(d.year.iloc[0]),
               end=int(d.year.iloc[-1]), s0=pct(d.cfe_share.iloc[0]), s1=pct(d.cfe_share.iloc[-1]))


def takeaway(stem: str, fr: Frames, lang: str, sites: dict[str, str] | None = None) -> str:
    """The one-line takeaway of a chart (file stem as in specs.chart_specs)."""
    if stem.startswith("trajectory_"):
        return trajectory(fr, lang, coverage_groups(fr)[int(stem.split("_")[1]) - 1], sites)
    if stem == "gantt_by_family":
        return gantt_family(fr, lang)
    if stem.startswith("gantt"):
        return gantt(fr, lang, sites)
    if stem == "macc_standalone":
        return macc_standalone(fr, lang, sites)
    if stem in markets.STEMS:
        return markets.takeaway(stem, fr, lang)
    if stem == "dispatch":  # representative-day mode (the deck of demo_hourly raised KeyError before)
        return dispatch(fr, lang, sites)
    if stem == "carbon_free":
        return carbon_free(fr, lang, sites)
    fn = {"macc_plan": macc_plan, "costs": costs, "scopes": scopes, "compliance": compliance, "routes": routes,
          "product_intensity": intensity}[stem]
    return fn(fr, lang)


def headline(fr: Frames, lang: str, sites: dict[str, str] | None = None) -> list[str]:
    """Three to five decisions that matter, in business terms."""
    out: list[str] = []
    rm = fr["roadmap"]
    b = rm[rm.action == "build"]
    if len(b):
        top = next(b.sort_values(["capex_cny", "year"], ascending=[False, True], kind="stable").itertuples())
        out.append(say("h_largest", lang, who=who(top, lang, sites), capex=mcny(top.capex_cny), year=int(top.year)))
    c = fr["costs"]
    capex = c[c.category == "capex"].groupby("year").nominal_cny.sum()
    if capex.sum() > 0:
        year = int(capex.index[capex >= BIG_INVESTMENT_SHARE * capex.sum()].min())
        builds = b[b.year == year].sort_values("capex_cny", ascending=False, kind="stable")
        out.append(say("h_first_big", lang, year=year, capex=mcny(capex[year]), pct=pct(capex[year] / capex.sum()),
                       names=_names(builds, lang, sites)))
    m = fr["macc"]
    neg = m[m.plan_cost_cny_per_tco2e < 0].sort_values("abatement_tco2e", ascending=False, kind="stable")
    if len(neg):
        out.append(say("h_negative", lang, k=len(neg), n=len(m), names=_names(neg, lang, sites),
                       kt=f"{neg.abatement_tco2e.sum() * T_TO_KT:,.0f}"))
    else:
        out.append(say("h_no_negative", lang))
    t = fr["targets"][fr["targets"].milestone]
    off = t[t.offsets_used > 0].sort_values(["offsets_used", "year"], ascending=[False, True], kind="stable")
    if len(off):
        r = next(off.itertuples())
        out.append(say("h_offsets", lang, kt=f"{r.offsets_used * T_TO_KT:,.1f}", target=r.target, year=int(r.year),
                       pct=pct(r.offsets_used / r.base) if r.base else "-"))
    elif t.met.all():
        out.append(say("h_no_offsets", lang))
    unmet = t[~t.met.astype(bool)]
    if len(unmet):
        which = ", ".join(f"{r.target} ({int(r.year)})" for r in unmet.itertuples())
        out.append(say("h_targets_unmet", lang, k=len(unmet), n=len(t), which=which))
    else:
        out.append(say("h_targets_met", lang, n=len(t)))
    return out[:5]
