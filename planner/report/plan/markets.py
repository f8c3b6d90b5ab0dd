"""The plan's carbon-market charts and their takeaways (issue 26, docs/model.md §10.1-10.2): the China ETS
position by year (`ets_position`: allowances vs covered emissions, the surplus sold or deficit bought, the cash
cost in a panel below) and the EU CBAM exposure by year (`cbam_exposure`: the
certificate cost gross and after the China carbon price deducted, the embedded intensity actual vs the EU default
and the free-allocation adjustment). Both languages; a chart is registered only when its frame is present."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common import style
from ..common.i18n import pick, tr
from ..common.render import ChartSpec, Frames

STEMS = ("ets_position", "cbam_exposure")

S: dict[str, tuple[str, str]] = {
    "section": ("Carbon markets: China ETS and EU CBAM", "碳市场：全国碳市场与欧盟CBAM"),
    "section_ets": ("Carbon market: China ETS", "碳市场：全国碳市场"),
    "section_cbam": ("Carbon market: EU CBAM", "碳市场：欧盟CBAM"),
    "ets_title": ("China ETS position ({basis})", "全国碳市场履约情况（{basis}）"),
    "ets_y": ("ktCO2e/yr", "千吨CO2e/年"),
    "ets_cost_y": ("ETS cost, MCNY/yr\n(< 0: surplus sold)", "碳市场成本（百万元/年）\n负值：出售盈余"),
    "allowances": ("Free allowances", "免费配额"),
    "covered": ("Covered emissions", "覆盖排放量"),
    "surplus": ("Surplus (sold if selling is allowed)", "配额盈余（允许出售时出售）"),
    "deficit": ("Deficit (bought)", "配额缺口（购买）"),
    "cbam_title": ("EU CBAM on exports to the EU", "出口欧盟的碳边境调节机制（CBAM）成本"),
    "cbam_cost_title": ("Certificate cost", "证书成本"),
    "cbam_int_title": ("Embedded emissions per tonne", "单位产品隐含排放"),
    "cbam_cost_y": ("MCNY/yr", "百万元/年"),
    "cbam_int_y": ("tCO2e per t exported", "吨CO2e/吨出口产品"),
    "gross": ("Certificates (gross)", "证书成本（扣减前）"),
    "deduction": ("China carbon price deducted", "扣减已付中国碳价"),
    "cbam_net": ("Cost after deduction", "扣减后成本"),
    "actual": ("Actual (plant)", "实际（工厂）"),
    "default": ("EU default value", "欧盟默认值"),
    "faa": ("Free-allocation adjustment", "免费配额调整"),
    "t_ets": ("China ETS ({basis}): deficit bought in every year {first}–{last}, {kt} ktCO2e in all, "
              "{mcny} MCNY", "全国碳市场（{basis}）：{first}–{last}年每年均有配额缺口，共购买{kt}千吨CO2e，"
              "{mcny}百万元"),
    "t_ets_surplus": ("China ETS ({basis}): surplus in {ns} of {n} years, from {year}; a {verb} of {kt} ktCO2e "
                      "over {first}–{last}, cost {mcny} MCNY",
                      "全国碳市场（{basis}）：{n}年中{ns}年有配额盈余，自{year}年起；{first}–{last}年{verb}"
                      "{kt}千吨CO2e，成本{mcny}百万元"),
    "t_cbam_none": ("EU CBAM: no certificates {first}–{last} (nothing exported to the EU); embedded {actual} "
                    "tCO2e/t in {last}",
                    "欧盟CBAM：{first}–{last}年无需证书（未出口欧盟）；{last}年隐含排放{actual}吨CO2e/吨"),
    "sold": ("net surplus", "净盈余"), "bought": ("net deficit", "净缺口"),
    "t_cbam": ("EU CBAM: {mcny} MCNY of certificates {first}–{last} after {ded} MCNY China carbon price deducted; "
               "peak {peak} MCNY in {year}; embedded {actual} tCO2e/t in {last} vs EU default {default}",
               "欧盟CBAM：{first}–{last}年证书成本{mcny}百万元（已扣减中国碳价{ded}百万元）；{year}年达峰值{peak}"
               "百万元；{last}年隐含排放{actual}吨CO2e/吨，欧盟默认值{default}"),
}
BASIS = {"grandfathering": ("grandfathering", "历史排放法"), "benchmark": ("benchmark", "基准线法")}
COLOURS = {"allowances": "#2E7D32", "covered": "#B71C1C", "surplus": "#81C784", "deficit": "#E57373",
           "actual": "#1A237E", "default": "#9E9E9E", "faa": "#00897B", "deduction": "#7CB342"}


def say(key: str, lang: str, **kw) -> str:
    return S[key][0 if lang == "en" else 1].format(**kw)


def amount(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}"


def present(fr: Frames, stem: str) -> bool:
    return fr.get(stem) is not None and len(fr[stem]) > 0


def specs(fr: Frames) -> list[ChartSpec]:
    """(stem, drawing function) of the market charts the frames support."""
    fns = {"ets_position": ets_chart, "cbam_exposure": cbam_chart}
    return [(s, fns[s]) for s in STEMS if present(fr, s)]


def basis(fr: Frames, lang: str) -> str:
    b = sorted(set(fr["ets_position"].basis))
    return "、".join(pick(BASIS, x, lang) for x in b) if lang == "zh" else ", ".join(pick(BASIS, x, lang) for x in b)


def ets_by_year(fr: Frames) -> pd.DataFrame:
    """Company totals by year: allowances, covered emissions and surplus (t), cost (CNY)."""
    cols = ["allowances_t", "covered_emissions_t", "surplus_t", "cost_cny"]
    return fr["ets_position"].groupby("year")[cols].sum()


def ets_chart(fr: Frames, lang: str) -> Figure:
    """Top: allowances and covered emissions (lines), surplus sold / deficit bought (bars). Bottom: the cash cost
    (< 0: surplus sold), a panel of its own: on a second axis sharing the first one's zero, a cost of -2,000 MCNY
    squeezed the tonnes into a sliver of the steel chart."""
    d = ets_by_year(fr)
    years = d.index.to_numpy()
    fig = style.new_figure(10.0, 6.5)
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    s = d.surplus_t.to_numpy() * T_TO_KT
    ax.bar(years, np.clip(s, 0, None), color=COLOURS["surplus"], width=0.8, label=say("surplus", lang))
    ax.bar(years, np.clip(s, None, 0), color=COLOURS["deficit"], width=0.8, label=say("deficit", lang))
    ax.plot(years, d.allowances_t * T_TO_KT, color=COLOURS["allowances"], lw=2, label=say("allowances", lang))
    ax.plot(years, d.covered_emissions_t * T_TO_KT, color=COLOURS["covered"], lw=2, label=say("covered", lang))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_ylabel(say("ets_y", lang))
    cost = d.cost_cny.to_numpy() * CNY_TO_MCNY
    ax2.bar(years, cost, color=[style.COST_COLOURS["carbon_ets"] if v > 0 else COLOURS["surplus"] for v in cost],
            width=0.8)
    ax2.axhline(0, color="black", lw=0.8)
    ax2.set_xlabel(tr("year", lang))
    ax2.set_ylabel(say("ets_cost_y", lang), fontsize=8)
    for a in (ax, ax2):
        a.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.set_title(say("ets_title", lang, basis=basis(fr, lang)))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", fontsize=8)
    return fig


def cbam_chart(fr: Frames, lang: str) -> Figure:
    """Left: the yearly certificate cost, gross above zero, the China carbon price deducted below, the cost
    after deduction as a line. Right: embedded tCO2e per t exported, actual vs EU default, and the
    free-allocation adjustment (per product)."""
    c = fr["cbam_exposure"]
    y = c.groupby("year")[["gross_cost_cny", "deduction_cny", "cost_cny"]].sum() * CNY_TO_MCNY
    fig = style.new_figure(11.0, 5.0)
    left, right = fig.subplots(1, 2)
    yr = y.index.to_numpy()
    left.bar(yr, y.gross_cost_cny, color=style.COST_COLOURS["carbon_cbam"], width=0.8, label=say("gross", lang))
    left.bar(yr, -y.deduction_cny.clip(lower=0), color=COLOURS["deduction"], width=0.8,
             label=say("deduction", lang))
    left.plot(yr, y.cost_cny, color="black", lw=1.5, marker="o", ms=3, label=say("cbam_net", lang))
    left.axhline(0, color="black", lw=0.8)
    left.set_ylim(bottom=min(0.0, left.get_ylim()[0]))
    left.set_xlabel(tr("year", lang))
    left.set_ylabel(say("cbam_cost_y", lang))
    left.set_title(say("cbam_cost_title", lang), fontsize=10)
    products = list(dict.fromkeys(c["product"]))
    for p in products:
        d = c[c["product"] == p].sort_values("year")
        tag = f" ({style.text(p)})" if len(products) > 1 else ""
        for key, col, ls in (("actual", "embedded_actual_tco2e_per_t", "-"),
                             ("default", "embedded_default_tco2e_per_t", "--"), ("faa", "faa_tco2e_per_t", ":")):
            if d[col].notna().any():
                right.plot(d.year, d[col], color=COLOURS[key], ls=ls, lw=2, label=say(key, lang) + tag)
    right.set_ylim(bottom=0)
    right.set_xlabel(tr("year", lang))
    right.set_ylabel(say("cbam_int_y", lang))
    right.set_title(say("cbam_int_title", lang), fontsize=10)
    fig.suptitle(say("cbam_title", lang))
    h1, l1 = left.get_legend_handles_labels()
    h2, l2 = right.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncols=3, fontsize=8)
    return fig


def ets_takeaway(fr: Frames, lang: str) -> str:
    """The ETS chart's sentence: deficit years or surplus years, net tonnes and cost over the horizon."""
    d = ets_by_year(fr)
    first, last = int(d.index.min()), int(d.index.max())
    net_kt = float(d.surplus_t.sum()) * T_TO_KT
    mcny = amount(float(d.cost_cny.sum()) * CNY_TO_MCNY)
    sur = d.index[d.surplus_t > 0.5]
    b = basis(fr, lang)
    if not len(sur):
        return say("t_ets", lang, basis=b, first=first, last=last, kt=amount(-net_kt), mcny=mcny)
    verb = say("sold" if net_kt >= 0 else "bought", lang)
    return say("t_ets_surplus", lang, basis=b, ns=len(sur), n=len(d), year=int(sur.min()), verb=verb,
               kt=amount(abs(net_kt)), first=first, last=last, mcny=mcny)


def cbam_takeaway(fr: Frames, lang: str) -> str:
    """The CBAM chart's sentence: cost after deduction over the horizon, the peak year, intensity vs default."""
    c = fr["cbam_exposure"]
    y = c.groupby("year")[["cost_cny", "deduction_cny", "exported_t", "embedded_tco2e"]].sum()
    first, last = int(y.index.min()), int(y.index.max())
    peak = int(y.cost_cny.idxmax())
    lc = c[c.year == last]
    w = lc.exported_t if lc.exported_t.sum() > 0 else pd.Series(1.0, index=lc.index)  # by tonnes exported
    actual = float((lc.embedded_actual_tco2e_per_t * w).sum() / w.sum())
    default = float((lc.embedded_default_tco2e_per_t * w).sum() / w.sum())  # NaN without a default value
    if not (c.exported_t > 0.5).any():
        return say("t_cbam_none", lang, first=first, last=last, actual=f"{actual:.2f}")
    return say("t_cbam", lang, mcny=amount(float(y.cost_cny.sum()) * CNY_TO_MCNY),
               ded=amount(float(y.deduction_cny.sum()) * CNY_TO_MCNY), first=first, last=last,
               peak=amount(float(y.cost_cny[peak]) * CNY_TO_MCNY), year=peak,
               actual=f"{actual:.2f}", default="–" if math.isnan(default) else f"{default:.2f}")


def takeaway(stem: str, fr: Frames, lang: str) -> str:
    return {"ets_position": ets_takeaway, "cbam_exposure": cbam_takeaway}[stem](fr, lang)


def section_title(fr: Frames, lang: str) -> str:
    """The section's heading, naming only the markets the plan has."""
    ets, cbam = (present(fr, s) for s in STEMS)
    return say("section" if ets and cbam else "section_ets" if ets else "section_cbam", lang)


def section(fr: Frames, charts: dict, lang: str) -> list[dict]:
    """The HTML report's carbon-market section: [{alt, data, text}] of the market charts drawn, each with its
    takeaway (`charts`: the page's embedded images by stem)."""
    return [{**charts[s], "text": takeaway(s, fr, lang)} for s in STEMS if s in charts and present(fr, s)]
