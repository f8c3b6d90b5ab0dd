"""The plan's self-contained HTML report (charts embedded as PNG data, no network) and its Excel workbook.
Every string from a scenario is escaped (Jinja2 autoescape)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from ...units import CNY_TO_MCNY
from ...version import __version__
from ..common import numbers, words
from ..common.i18n import SCOPE, STATUS, TEXT, pick, tr
from ..common.pages import images, write_page
from ..common.tables import table, value_cell
from ..common.workbook import write_sheets
from . import hourly, markets, story
from .cards import emission_cards
from .specs import report_frames

COLUMNS = {  # header labels of the report tables (en, zh)
    "year": ("Year", "年份"), "site": ("Site", "工厂"), "name": ("Measure", "措施"), "action": ("Action", "动作"),
    "size": ("Size", "规模"), "unit": ("Unit", "单位"), "capex_cny": ("Capex (CNY)", "投资（元）"),
    "end_year": ("End of life", "寿命结束"), "target": ("Target", "目标"), "description": ("Description", "说明"),
    "required": ("Required", "要求"), "achieved": ("Achieved", "实际"), "offsets_used": ("Offsets (tCO2e)", "抵消量"),
    "met": ("Met", "达成"), "sbti_ok": ("SBTi", "SBTi"), "criterion": ("Criterion", "标准"),
    "requirement": ("Requirement", "要求"), "value": ("Value", "数值"), "ok": ("OK", "符合"),
    "source": ("Source", "来源"), "scope": ("Scope", "范围"), "activity": ("Activity", "活动数据"),
    "factor_tco2e_per_unit": ("Factor (tCO2e/unit)", "排放因子"), "tco2e": ("tCO2e (consolidated)", "tCO2e（合并）"),
    "share": ("Share", "合并比例"), "group": ("Group", "类别"), "item": ("Item", "项目"),
}


CODES = {"build": ("build", "建设"), "purchase": ("purchase", "采购"), "company": ("company", "公司层面"), **SCOPE}


def _table(title: str, df: pd.DataFrame, cols: list[str], lang: str) -> dict:
    i = 0 if lang == "en" else 1
    df = df[cols].copy()
    for c in ("year", "end_year"):
        if c in df:
            df[c] = df[c].astype("Int64").astype(str).replace("<NA>", "")
    for c in ("scope", "action", "site"):
        if c in df:
            df[c] = df[c].map(lambda v: pick(CODES, v, lang))
    rows = [[value_cell(v.item() if hasattr(v, "item") else v, lang) for v in r] for r in df.itertuples(index=False)]
    return table(title, [COLUMNS.get(c, (c, c))[i] for c in cols], rows)


def share_as_percent(t: pd.DataFrame) -> pd.DataFrame:
    """Target rows with the required, achieved and net levels of share targets (renewable electricity) as
    percentages ('80%'), the others as they are."""
    cols = [c for c in ("required", "achieved", "net") if c in t]
    share = t.unit == "share"
    return t.assign(**{c: [numbers.percent(v) if sh else v for sh, v in zip(share, t[c], strict=True)]
                       for c in cols})


def site_names(sc) -> dict[str, str]:
    """Site id -> its name in the scenario (the id when it has none)."""
    return {x.id: x.name or x.id for x in sc.sites} if sc is not None else {}


def _tables(plan, lang: str) -> list[dict]:
    """Roadmap, targets, SBTi, inventory and assumptions tables; generated text in the report language."""
    sc = plan.scenario
    rm = plan.roadmap
    if lang == "zh":
        rm = rm.assign(name=[z if isinstance(z, str) and z else n for n, z in zip(rm.name, rm.name_zh, strict=True)],
                       unit=[words.unit(u, lang) for u in rm.unit])
    ms = plan.targets[plan.targets.milestone]
    desc = {t.id: words.target_description(t, sc, lang) for t in sc.targets}
    ms = ms.assign(description=[desc.get(t, d) for t, d in zip(ms.target, ms.description, strict=True)])
    ms = share_as_percent(ms)
    sb = plan.sbti.assign(**{c: [words.sbti_cell(v, lang) for v in plan.sbti[c]]
                             for c in ("target", "criterion", "requirement", "value")})
    inv = plan.inventory.assign(source=[words.source(v, lang) for v in plan.inventory.source])
    a = words.assumption_rows(plan.assumptions, lang)
    a = a.assign(value=[t if t else numbers.year(v) if i == "base_year" else v
                        for i, v, t in zip(plan.assumptions["item"], a.value, a.text, strict=True)])
    return [
        _table(tr("roadmap_table", lang), rm, ["year", "site", "name", "action", "size", "unit", "capex_cny",
                                                "end_year"], lang),
        _table(tr("targets_table", lang), ms, ["target", "description", "year", "required", "achieved",
                                                "offsets_used", "met", "sbti_ok"], lang),
        _table(tr("sbti_table", lang), sb, ["target", "criterion", "requirement", "value", "ok"], lang),
        _table(tr("inventory", lang), inv, ["site", "scope", "source", "activity", "unit",
                                            "factor_tco2e_per_unit", "tco2e", "share"], lang),
        _table(tr("assumptions", lang), a, ["group", "item", "year", "value", "unit", "source"], lang),
    ]


PRODUCTS, HOURLY = ("routes", "product_intensity"), ("dispatch", "carbon_free")


def report_sections(plan, charts: dict[str, list[Path]], lang: str) -> tuple[dict[str, list[Path]], list[dict]]:
    """The charts of the main "Charts" section and the sections of their own: "Products and routes" (route mix,
    product intensity, each with its takeaway) and the hourly section (matching rule, days, profiles,
    connection upgrades, the 24/7 share's takeaway, dispatch and 24/7 charts)."""
    fr, sites = report_frames(plan), site_names(plan.scenario)
    main = {k: v for k, v in charts.items() if k not in PRODUCTS + HOURLY + markets.STEMS}
    sections = []
    own = {k: charts[k] for k in PRODUCTS if k in charts}
    if own:
        sections.append({"title": tr("products_section", lang), "charts": images(own),
                         "lines": [story.takeaway(k, fr, lang, sites) for k in own]})
    own = {k: charts[k] for k in HOURLY if k in charts}
    lines = hourly.lines(plan.summary, lang, sites)
    if own or lines:
        lines += [story.takeaway(k, fr, lang, sites) for k in own if k == "carbon_free"]
        sections.append({"title": tr("hourly_section", lang), "charts": images(own), "lines": lines})
    own = {k: charts[k] for k in markets.STEMS if k in charts}  # China ETS and EU CBAM (plan/markets.py)
    if own:
        sections.append({"title": markets.section_title(fr, lang), "charts": images(own),
                         "lines": [markets.takeaway(k, fr, lang) for k in own]})
    return main, sections


def write_html(plan, charts: dict[str, list[Path]], out: Path, lang: str, when: datetime | None = None) -> Path:
    """report_<lang>.html in out: headline decisions, KPIs, charts, tables; `when` (a run stamp) is shown in
    the footer, else the file has no time in it."""
    s, sc = plan.summary, plan.scenario
    t = {k: tr(k, lang) for k in TEXT if "{" not in TEXT[k][0]}
    t["generated"] = tr("generated", lang, version=__version__, name=sc.name)
    if when is not None:
        t["generated"] += tr("stamped", lang, time=when.strftime("%Y-%m-%d %H:%M:%S UTC"))
    gap = "n/a" if s["gap"] is None else f"{s['gap']:.2e}"
    kpis = [
        {"label": tr("cash_npv", lang), "value": f"{s['cash_npv_cny'] * CNY_TO_MCNY:,.1f} {tr('mcny', lang)}"},
        {"label": tr("objective", lang), "value": f"{s['objective_cny'] * CNY_TO_MCNY:,.1f} {tr('mcny', lang)}"},
        {"label": tr("capex", lang), "value": f"{s['total_capex_cny'] * CNY_TO_MCNY:,.1f} {tr('mcny', lang)}"},
        *emission_cards(plan.frames(), lang),
        {"label": tr("status", lang), "value": f"{pick(STATUS, s['status'], lang)} ({tr('gap_short', lang)} {gap})"},
    ]
    main, sections = report_sections(plan, charts, lang)
    ctx = dict(lang=lang, t=t, company=sc.company, scenario=sc.name, description=sc.description or "", kpis=kpis,
               charts=images(main), sections=sections, tables=_tables(plan, lang),
               headline=story.headline(plan.frames(), lang, site_names(sc)))
    return write_page("report.html.j2", ctx, out / f"report_{lang}.html")


def write_excel(plan, out: Path, when: datetime | None = None) -> Path:
    """results.xlsx: one sheet per result table, the same columns (units in the names) as the CSVs."""
    return write_sheets(plan.frames(), out / "results.xlsx", when)
