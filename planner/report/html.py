"""Self-contained HTML report (charts embedded as PNG data, no network) and the Excel workbook.
Every string from a scenario is escaped (Jinja2 autoescape)."""

from __future__ import annotations

import base64
import io
import math
from datetime import datetime
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import load_workbook

from ..units import CNY_TO_MCNY
from ..version import __version__
from . import numbers, story, words
from .cards import emission_cards
from .i18n import SCOPE, STATUS, TEXT, pick, tr
from .stable import normalise_zip

TEMPLATES = Path(__file__).parent / "templates"

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


def _cell(v, lang: str) -> dict:
    if isinstance(v, bool):
        return {"text": tr("yes" if v else "no", lang), "cls": "ok" if v else "bad"}
    if isinstance(v, float):
        if math.isnan(v):
            return {"text": "", "cls": "n"}
        return {"text": f"{v:,.4g}" if abs(v) < 10 else f"{v:,.0f}", "cls": "n"}
    if isinstance(v, int):
        return {"text": str(v), "cls": "n"}
    return {"text": "" if v is None else str(v), "cls": ""}


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
    rows = [[_cell(v.item() if hasattr(v, "item") else v, lang) for v in r] for r in df.itertuples(index=False)]
    return {"title": title, "header": [COLUMNS.get(c, (c, c))[i] for c in cols], "rows": rows}


def share_as_percent(t: pd.DataFrame) -> pd.DataFrame:
    """Target rows with the required, achieved and net levels of share targets (renewable electricity) as
    percentages ('80%'), the others as they are."""
    cols = [c for c in ("required", "achieved", "net") if c in t]
    share = t.unit == "share"
    return t.assign(**{c: [numbers.percent(v) if sh else v for sh, v in zip(share, t[c], strict=True)]
                       for c in cols})


SHARE_FORMAT = "0%"  # Excel's format of a share (renewable-share targets): 0.8 reads 80%


def embedded_font(text: str) -> str:
    """The bundled CJK font subset to the characters of `text`, as a base64 WOFF (a few hundred kB), so
    the report renders Chinese on machines with no CJK font and no network."""
    import logging

    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)

    from .style import FONT_FILE

    font = TTFont(str(FONT_FILE), fontNumber=0, recalcTimestamp=False)  # no save time: reproducible
    opts = Options()
    opts.flavor = "woff"
    opts.name_IDs = ["*"]
    sub = Subsetter(opts)
    sub.populate(text=text + "0123456789.,%()-+ abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sub.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    return base64.b64encode(buf.getvalue()).decode()


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
    images = [{"alt": stem, "data": base64.b64encode(files[0].read_bytes()).decode()}
              for stem, files in charts.items()]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    ctx = dict(lang=lang, t=t, company=sc.company, scenario=sc.name, description=sc.description or "", kpis=kpis,
               charts=images, tables=_tables(plan, lang),
               headline=story.headline(plan.frames(), lang, site_names(sc)))
    template = env.get_template("report.html.j2")
    text = template.render(**ctx, font="")
    html = template.render(**ctx, font=embedded_font(text))
    path = out / f"report_{lang}.html"
    path.write_text(html, encoding="utf-8")
    return path


def write_excel(plan, out: Path, when: datetime | None = None) -> Path:
    """results.xlsx: one sheet per result table, the same columns (units in the names) as the CSVs."""
    return write_sheets(plan.frames(), out / "results.xlsx", when)


def write_sheets(frames: dict[str, pd.DataFrame], path: Path, when: datetime | None = None) -> Path:
    """A workbook with one sheet per frame (names cut to Excel's 31 characters); text that looks like a
    formula is stored as text (no formula injection). Byte-reproducible: dated FIXED_TIME (or the run stamp)."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, frame in frames.items():
            frame.to_excel(xw, sheet_name=name[:31], index=False)
    wb = load_workbook(path)
    for ws in wb.worksheets:  # text that looks like a formula stays text (no formula injection)
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
        _share_formats(ws)
    wb.save(path)
    return normalise_zip(path, when)


def _share_formats(ws) -> None:
    """Levels of share targets (a `unit` column reading 'share') in percent format."""
    head = {c.value: c.column for c in ws[1]}
    if "unit" not in head:
        return
    cols = [head[c] for c in ("required", "achieved", "net") if c in head]
    for row in ws.iter_rows(min_row=2):
        if row[head["unit"] - 1].value == "share":
            for j in cols:
                row[j - 1].number_format = SHARE_FORMAT
