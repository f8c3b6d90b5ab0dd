"""robust_<lang>.html / alternatives_<lang>.html and an xlsx from the frames a robust study wrote (CSV + JSON);
never solves. Charts: the emissions fan of the branches under the stochastic plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..common import style
from ..common.pages import images, write_page
from ..common.render import Frames, render
from ..common.tables import cell, num
from ..common.workbook import write_sheets

W = {
    "robust": {"en": "Stochastic roadmap", "zh": "随机路线图"},
    "alternatives": {"en": "Near-optimal alternatives", "zh": "近似最优方案"},
    "commit_now": {"en": "Commit now (shared by every branch, before {split})",
                   "zh": "现在承诺（所有分支共享，{split}年前）"},
    "nothing": {"en": "Nothing to build before {split}.", "zh": "{split}年前无需建设。"},
    "evpi": {"en": "EVPI (expected value of perfect information)", "zh": "完全信息期望价值（EVPI）"},
    "vss": {"en": "VSS (value of the stochastic solution)", "zh": "随机解的价值（VSS）"},
    "vss_inf": {"en": "the plan made for the average branch cannot be completed in some branch",
                "zh": "按平均分支制定的方案在某些分支中无法完成"},
    "value": {"en": "Value (CNY)", "zh": "数值（元）"}, "range": {"en": "Proven range (CNY)", "zh": "可证明范围（元）"},
    "item": {"en": "Item", "zh": "项目"}, "note": {"en": "Note", "zh": "说明"},
    "noise": {"en": "the proven range contains zero: not distinguishable from zero at the solver's gap; "
                       "solve with a smaller mip_rel_gap",
              "zh": "可证明范围包含零：在求解器间隙下与零无法区分，请用更小的 mip_rel_gap 求解"},
    "values": {"en": "Value of information", "zh": "信息价值"},
    "measure": {"en": "Measure", "zh": "措施"}, "site": {"en": "Site", "zh": "厂址"},
    "year": {"en": "Year", "zh": "年份"},
    "capex": {"en": "Capex (CNY)", "zh": "资本支出（元）"}, "class": {"en": "Class", "zh": "分类"},
    "earliest": {"en": "Earliest year", "zh": "最早年份"}, "latest": {"en": "Latest year", "zh": "最晚年份"},
    "map": {"en": "Measure map", "zh": "措施分类"}, "costs": {"en": "Alternatives' costs", "zh": "各方案成本"},
    "alternative": {"en": "Alternative", "zh": "方案"}, "npv": {"en": "NPV (CNY)", "zh": "净现值（元）"},
    "above": {"en": "Above the least", "zh": "高于最低"},
    "essential": {"en": "essential", "zh": "必做"}, "optional": {"en": "optional", "zh": "可选"},
    "never": {"en": "never", "zh": "不做"}, "unproven": {"en": "unproven", "zh": "未证明"},
    "fan_title": {"en": "Emissions per branch under the stochastic plan", "zh": "随机方案下各分支的排放"},
    "tco2e": {"en": "tCO2e", "zh": "吨二氧化碳当量"}, "fan": {"en": "Branch emissions", "zh": "各分支排放"},
}


def w(key: str, lang: str, **kw) -> str:
    return W[key][lang].format(**kw)


def fan(fr: Frames, lang: str):
    """Emissions (all scopes summed) per year, one line per branch."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    e = fr["robust_emissions"].groupby(["branch", "year"], as_index=False).tco2e.sum()
    styles = ["-", "--", ":", "-."]  # branches with equal emissions stay visible on top of each other
    for i, (b, g) in enumerate(e.groupby("branch")):
        ax.plot(g.year, g.tco2e, marker="os^D"[i % 4], linestyle=styles[i % 4], label=str(b))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_title(w("fan_title", lang))
    ax.set_ylabel(w("tco2e", lang))
    ax.legend()
    return fig


def _range(r, lang: str) -> str:
    if not r:
        return ""
    lo, hi = r
    return f"{lo:,.0f} .. {hi:,.0f}" + (f" ({w('noise', lang)})" if lo <= 0 < hi else "")


def _robust_tables(fr: Frames, s: dict, lang: str) -> list[dict]:
    now = fr["robust_commit_now"]
    rows = [[cell(str(r.measure)), cell(str(r.site)), cell(str(r.year), "n"), cell(num(r.capex_cny, ",.0f"), "n")]
            for r in now.itertuples()]
    split = s["split_year"]
    head = [w(k, lang) for k in ("measure", "site", "year", "capex")]
    vals = [[cell(w("evpi", lang)), cell(f"{s['evpi_cny']:,.0f}", "n"), cell(_range(s["evpi_range_cny"], lang))]]
    vals.append([cell(w("vss", lang)), cell(f"{s['vss_cny']:,.0f}" if s["vss_cny"] is not None else "", "n"),
                 cell(_range(s["vss_range_cny"], lang) if s["vss_cny"] is not None else w("vss_inf", lang))])
    return [{"title": w("commit_now", lang, split=split), "header": head, "rows": rows,
             "empty": w("nothing", lang, split=split)},
            {"title": w("values", lang), "header": [w(k, lang) for k in ("item", "value", "range")], "rows": vals}]


def _alt_tables(fr: Frames, lang: str) -> list[dict]:
    m = fr["alternatives_measure_map"]
    rows = [[cell(str(r.measure)), cell(w(str(r[2]), lang) if str(r[2]) in W else str(r[2])),
             cell(num(r.earliest_year, ".0f"), "n"), cell(num(r.latest_year, ".0f"), "n")]
            for r in m.rename(columns={"class": "cls"})[["measure", "site", "cls", "earliest_year", "latest_year"]]
            .itertuples(index=False)]
    o = fr["alternatives"]
    cost = [[cell(str(r.alternative)), cell(num(r.npv_cny, ",.0f"), "n"), cell(num(r.above_least, ".2%"), "n")]
            for r in o.itertuples()]
    return [{"title": w("map", lang), "header": [w(k, lang) for k in ("measure", "class", "earliest", "latest")],
             "rows": rows, "empty": ""},
            {"title": w("costs", lang), "header": [w(k, lang) for k in ("alternative", "npv", "above")],
             "rows": cost, "empty": ""}]


def write_robust_report(folder: Path, kind: str, langs: tuple[str, ...]) -> list[Path]:
    """Read the frames `kind` ("robust" or "alternatives") wrote into `folder`; write <kind>_<lang>.html,
    <kind>.xlsx and (robust) the fan chart under folder/charts."""
    folder = Path(folder)
    fr = {p.stem: pd.read_csv(p) for p in sorted(folder.glob(f"{kind}*.csv"))}
    s = json.loads((folder / f"{kind}_summary.json").read_text(encoding="utf-8"))
    files = [write_sheets(fr, folder / f"{kind}.xlsx")]
    for lang in langs:
        charts = {}
        if kind == "robust":
            charts = render(fr, [("robust_fan", fan)], folder / "charts", lang) if len(fr["robust_emissions"]) else {}
            tables = _robust_tables(fr, s, lang)
        else:
            tables = _alt_tables(fr, lang)
        files += [f for fs in charts.values() for f in fs]
        ctx = {"lang": lang, "title": w(kind, lang), "tables": tables, "images": images(charts)}
        files.append(write_page("robust.html.j2", ctx, folder / f"{kind}_{lang}.html"))
    return files
