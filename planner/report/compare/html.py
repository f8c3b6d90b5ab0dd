"""The scenario comparison as one offline HTML page per language (charts as embedded PNG, the font subset
embedded, no scripts, no network; every string escaped by Jinja2's autoescape) and an Excel workbook with one
sheet per comparison frame."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...units import CNY_TO_MCNY
from ...version import __version__
from ..common.i18n import COST, FAMILY, KPI, NOTE, STATUS, TEXT, pick, tr
from ..common.pages import images, write_page
from ..common.render import Frames
from ..common.tables import cell, missing, num
from ..common.workbook import write_sheets
from .causes import sentences
from .cbam import cbam_table
from .charts import NOT_SOLVED, all_scenarios, reference, site_text

DASH = "—"


def _mcny(v, sign: bool = False) -> str:
    return "" if missing(v) else format(float(v) * CNY_TO_MCNY, "+,.1f" if sign else ",.1f")


def _qty(v) -> str:
    """A size or volume: whole numbers from 1,000 up, else four significant digits."""
    return f"{float(v):,.0f}" if abs(float(v)) >= 1000 else f"{float(v):,.4g}"


def _pct(v, digits: int = 1) -> str:
    return "" if missing(v) else f"{100 * float(v):,.{digits}f}%"


def _kpi_label(kpi: str, lang: str) -> str:
    m = re.fullmatch(r"(emissions|renewable_share)_(\d{4})", kpi)
    if m:
        return pick(KPI, m.group(1), lang).format(year=m.group(2))
    return pick(KPI, kpi, lang)


def _fixed(v: float, digits: int, sign: bool) -> str:
    """v with thousands separators and `digits` decimals; no "-0.0" (rounded first), "+" on deltas."""
    r = round(float(v), digits) + 0.0
    return format(r, f"{'+' if sign else ''},.{digits}f")


def _kpi_value(kpi: str, unit: str, v, lang: str, delta: bool = False) -> str:
    """A KPI value (or its delta) in display units: CNY in MCNY, shares in % (deltas in percentage points)."""
    if missing(v):
        return DASH if not delta else ""
    if unit == "CNY":
        return _fixed(float(v) * CNY_TO_MCNY, 1, delta)
    if unit == "share":
        d = 2 if kpi == "gap" else 1
        return f"{_fixed(100 * float(v), d, True)} {tr('cmp_pp', lang)}" if delta else f"{_fixed(100 * v, d, False)}%"
    if unit in ("count", "tCO2e"):
        return _fixed(v, 0, delta)
    if unit.startswith("CNY/"):
        return _fixed(v, 1, delta)
    return format(float(v), "+,.4g" if delta else ",.4g")


def _unit(unit: str, lang: str) -> str:
    return {"CNY": tr("mcny", lang), "share": "%", "count": ""}.get(unit, unit)


VERDICTS_ZH = [  # the study's verdict phrases (English) in Chinese; unknown phrases stay as they are
    (r"same", "相同"), (r"only in (.+)", r"仅在 \1 中采用"), (r"not in (.+)", r"\1 中未采用"),
    (r"(\d+) years? earlier in (.+)", r"\2 中提前 \1 年"), (r"(\d+) years? later in (.+)", r"\2 中推迟 \1 年"),
    (r"([\d.]+)% larger in (.+)", r"\2 中规模大 \1%"), (r"([\d.]+)% smaller in (.+)", r"\2 中规模小 \1%"),
    (r"([\d.]+)x the size in (.+)", r"\2 中规模为 \1 倍"), (r"([\d.]+)x the volume in (.+)", r"\2 中采购量为 \1 倍"),
    (r"([\d.]+)% more volume in (.+)", r"\2 中采购量多 \1%"), (r"([\d.]+)% less volume in (.+)", r"\2 中采购量少 \1%"),
]


def verdict_text(v: str, lang: str) -> list[str]:
    """A verdict as lines (one per "; "-joined part), translated in the zh page."""
    parts = [p.strip() for p in str(v).split("; ") if p.strip()]
    if lang != "zh":
        return parts
    out = []
    for p in parts:
        for pat, rep in VERDICTS_ZH:
            if re.fullmatch(pat, p):
                p = re.sub(pat, rep, p)
                break
        out.append(p)
    return out


def _names(df: pd.DataFrame, lang: str) -> list[str]:
    if lang == "zh" and "name_zh" in df:
        return [str(z) if not missing(z) and str(z) else str(n) for n, z in zip(df.name, df.name_zh, strict=True)]
    return [str(n) for n in df.name]


def _infeasible(fr: Frames) -> set[str]:
    sc = fr["scenarios"]
    return set(sc.loc[sc.status.isin(NOT_SOLVED), "scenario"].astype(str))


def _head(fr: Frames, lang: str) -> list[str]:
    ref, bad = reference(fr), _infeasible(fr)
    return [s + (f" ({tr('cmp_reference', lang)})" if s == ref else "") + (
        f" ({pick(STATUS, 'infeasible', lang)})" if s in bad else "") for s in all_scenarios(fr)]


def _scenarios(fr: Frames, lang: str) -> dict:
    ref, bad = reference(fr), _infeasible(fr)
    rows = []
    for r in fr["scenarios"].itertuples(index=False):
        s = str(r.scenario)
        status = pick(STATUS, r.status, lang)
        rows.append([
            cell(s, "b", tr("cmp_reference", lang) if s == ref else ""), cell(str(r.name)), cell(str(r.company)),
            cell(str(r.source)),
            cell(status, "bad" if s in bad else "ok", tr("cmp_infeasible", lang) if s in bad else ""),
            cell(_pct(r.gap, 2), "n"), cell(_mcny(r.cash_npv_cny), "n"), cell(_mcny(r.objective_cny), "n"),
            cell(lines=[x for x in str(r.shortfalls or "").split("; ") if x and x != "nan"], cls="bad")])
    head = [tr(k, lang) for k in ("cmp_scenario", "cmp_name", "cmp_company", "cmp_source", "status", "gap",
                                  "cmp_npv", "cmp_objective", "cmp_shortfalls")]
    return {"title": tr("cmp_scenarios", lang), "header": head, "rows": rows}


def _inputs(fr: Frames, lang: str) -> dict:
    absent = tr("cmp_absent", lang)
    rows = [[cell(str(r.scenario)), cell(str(r.path), "code"),
             cell(absent if str(r.reference_value) == "(absent)" else str(r.reference_value), "code"),
             cell(absent if str(r.value) == "(absent)" else str(r.value), "code")]
            for r in fr["inputs"].itertuples(index=False)]
    head = [tr(k, lang) for k in ("cmp_scenario", "cmp_path", "cmp_ref_value", "cmp_value")]
    return {"title": tr("cmp_inputs", lang), "header": head, "rows": rows,
            "empty": tr("cmp_no_inputs", lang) if not rows else ""}


def _kpis(fr: Frames, lang: str) -> dict:
    k = fr["kpis"].assign(scenario=fr["kpis"].scenario.astype(str))
    scen, ref = all_scenarios(fr), reference(fr)
    rows = []
    for kpi in dict.fromkeys(k.kpi):
        d = k[k.kpi == kpi].drop_duplicates("scenario").set_index("scenario")
        unit = str(d.unit.iloc[0])
        row = [cell(_kpi_label(kpi, lang)), cell(_unit(unit, lang))]
        for s in scen:
            if s not in d.index:
                row.append(cell(DASH, "n"))
                continue
            sub = "" if s == ref else _kpi_value(kpi, unit, d.at[s, "delta"], lang, delta=True)
            row.append(cell(_kpi_value(kpi, unit, d.at[s, "value"], lang), "n", sub))
        rows.append(row)
    head = [tr("cmp_kpi", lang), tr("cmp_unit", lang), *_head(fr, lang)]
    return {"title": tr("cmp_kpis", lang), "note": tr("cmp_kpis_note", lang), "header": head, "rows": rows}


def _roadmap(fr: Frames, lang: str) -> dict:
    r = fr["roadmap"].assign(scenario=fr["roadmap"].scenario.astype(str))
    scen, ref, bad = all_scenarios(fr), reference(fr), _infeasible(fr)
    r = r.assign(label=_names(r, lang), adopted=r.adopted.fillna(False).astype(bool), verdict=r.verdict.fillna(""))
    rows = []
    for (site, _measure), g in r.groupby(["site", "measure"], sort=False):
        g = g.drop_duplicates("scenario").set_index("scenario")
        verdicts = [v for s, v in g.verdict.items() if s != ref and s not in bad and str(v) not in ("", "same")]
        if not verdicts:
            continue
        row = [cell(site_text(site, lang)), cell(str(g.label.iloc[0]))]
        for s in scen:
            if s in bad or s not in g.index:
                row.append(cell("", "muted"))
            elif not g.at[s, "adopted"]:
                row.append(cell(DASH, "muted"))
            else:
                y, size, unit = g.at[s, "first_year"], g.at[s, "size"], g.at[s, "unit"]
                if missing(size) and "volume" in g:  # a purchase: the volume bought over the horizon
                    size = g.at[s, "volume"]
                text = "" if missing(y) else f"{int(y)}"
                sub = "" if missing(size) else f"{_qty(size)} {'' if missing(unit) else unit}".strip()
                row.append(cell(text, "n", sub))
        row.append(cell(lines=[x for v in verdicts for x in verdict_text(v, lang)]))
        rows.append((str(site), str(g.label.iloc[0]), row))
    rows.sort(key=lambda x: (x[0], x[1]))
    head = [pick(_COLS, "site", lang), pick(_COLS, "name", lang), *_head(fr, lang), tr("cmp_verdict", lang)]
    return {"title": tr("cmp_roadmap", lang), "note": tr("cmp_roadmap_note_volume", lang), "header": head,
            "rows": [x[2] for x in rows], "empty": tr("cmp_no_roadmap", lang) if not rows else ""}


_COLS = {"site": ("Site", "工厂"), "name": ("Measure", "措施")}


def _common(fr: Frames, lang: str) -> dict:
    c = fr["common"]
    items = sorted(f"{site_text(s, lang)} · {n}" for s, n in zip(c.site.astype(str), _names(c, lang), strict=True))
    return {"title": tr("cmp_common", lang), "entries": items, "empty": tr("cmp_no_common", lang) if not items else ""}


def _or_none(value: str, note, lang: str) -> dict:
    """A number, or "none" with its reason below it."""
    if value:
        return cell(value, "n")
    return cell(tr("cmp_none", lang), "n", pick(NOTE, str(note), lang) if not missing(note) and note else "")


def _economics(fr: Frames, lang: str) -> dict:
    e = fr["economics"]
    need = {"scenario", "site", "name", "family", "discounted_cost_cny", "abatement_tco2e", "plan_cost_cny_per_tco2e",
            "npv_vs_not_adopting_cny", "irr", "irr_note", "payback_years", "payback_note"}
    if e.empty or not need <= set(e.columns):
        e = pd.DataFrame(columns=sorted(need))
    order = {s: i for i, s in enumerate(all_scenarios(fr))}  # scenario order, then cheapest per tonne first
    e = e.assign(_o=e.scenario.astype(str).map(order)).sort_values(["_o", "plan_cost_cny_per_tco2e"],
                                                                              kind="stable")
    rows = [[cell(str(r.scenario)), cell(site_text(r.site, lang)), cell(nm), cell(pick(FAMILY, r.family, lang)),
             cell(_mcny(r.discounted_cost_cny), "n"), cell(num(r.abatement_tco2e, ",.0f"), "n"),
             cell(num(r.plan_cost_cny_per_tco2e, ",.0f"), "n"), cell(_mcny(r.npv_vs_not_adopting_cny), "n"),
             _or_none(_pct(r.irr), r.irr_note, lang), _or_none(num(r.payback_years, ",.0f"), r.payback_note, lang)]
            for r, nm in zip(e.itertuples(index=False), _names(e, lang), strict=True)]
    head = [tr("cmp_scenario", lang), pick(_COLS, "site", lang), pick(_COLS, "name", lang)] + [
        tr(k, lang) for k in ("cmp_family", "cmp_disc_cost", "cmp_abated", "cmp_cost_t", "cmp_npv_vs", "cmp_irr",
                              "cmp_payback")]
    return {"title": tr("cmp_economics", lang), "header": head, "rows": rows,
            "empty": tr("cmp_no_economics", lang) if not rows else ""}


SHADOW = "carbon_internal"  # a steering price, not a payment: outside the cash total


def _total_row(c: pd.DataFrame, scen: list[str], ref: str, label: str, cls: str = "b") -> list[dict]:
    """One row of per-scenario sums of discounted_cny (with the delta below) over the rows of c."""
    tot = c.groupby("scenario")[["discounted_cny", "delta_cny"]].sum(min_count=1)
    row = [cell(label, cls)]
    for s in scen:
        ok = s in tot.index and not missing(tot.at[s, "discounted_cny"])
        row.append(cell(_mcny(tot.at[s, "discounted_cny"]) if ok else DASH, f"n {cls}".strip(),
                         "" if s == ref or not ok else _mcny(tot.at[s, "delta_cny"], sign=True)))
    return row


def _costs(fr: Frames, lang: str) -> dict:
    c = fr["costs"].assign(scenario=fr["costs"].scenario.astype(str))
    scen, ref = all_scenarios(fr), reference(fr)
    rows = []
    shadow = c[c.category == SHADOW]
    c = c[c.category != SHADOW]
    for cat in dict.fromkeys(c.category):
        if not (c.loc[c.category == cat, ["discounted_cny", "delta_cny"]].abs() > 0.5).any(axis=None):
            continue  # zero in every scenario
        d = c[c.category == cat].groupby("scenario")[["discounted_cny", "delta_cny"]].sum(min_count=1)
        row = [cell(pick(COST, cat, lang))]
        for s in scen:
            if s not in d.index or missing(d.at[s, "discounted_cny"]):
                row.append(cell(DASH, "n"))
            else:
                row.append(cell(_mcny(d.at[s, "discounted_cny"]), "n",
                                 "" if s == ref else _mcny(d.at[s, "delta_cny"], sign=True)))
        rows.append(row)
    rows.append(_total_row(c, scen, ref, tr("cmp_total_cash", lang)))
    if (shadow[["discounted_cny", "delta_cny"]].abs() > 0.5).any(axis=None):
        rows.append(_total_row(shadow, scen, ref, pick(KPI, "internal_carbon", lang), ""))
        rows.append(_total_row(pd.concat([c, shadow]), scen, ref, pick(KPI, "objective", lang)))
    head = [tr("cmp_category", lang), *_head(fr, lang)]
    return {"title": tr("cmp_costs", lang), "note": tr("cmp_costs_note", lang), "header": head, "rows": rows}


def _causes(fr: Frames, lang: str) -> dict:
    sep = "：" if lang == "zh" else ": "
    entries = [{"scenario": s, "sep": sep, "text": t} for s, t in sentences(fr, lang)]
    return {"title": tr("cmp_causes", lang), "note": tr("cmp_causes_note", lang), "entries": entries,
            "empty": tr("cmp_no_causes", lang) if not entries else ""}


def write_comparison_html(fr: Frames, charts: dict[str, list[Path]], out: Path, lang: str, title: str = "") -> Path:
    """comparison_<lang>.html in out."""
    t = {k: tr(k, lang) for k in TEXT if "{" not in TEXT[k][0]}
    ref = reference(fr)
    companies = list(dict.fromkeys(str(c) for c in fr["scenarios"].company if not missing(c)))
    sections = [("table", _scenarios(fr, lang)), ("table", _inputs(fr, lang)), ("causes", _causes(fr, lang)),
                ("table", _kpis(fr, lang)),
                ("charts", {"title": tr("charts", lang), "images": images(charts)}), ("table", _roadmap(fr, lang)),
                ("list", _common(fr, lang)), ("table", _economics(fr, lang)), ("table", _costs(fr, lang))]
    sections += [("table", cb)] if (cb := cbam_table(fr, lang)) is not None else []  # EU CBAM (issue 26)
    title = title or tr("cmp_title_of", lang, labels=tr("cmp_vs", lang).join(all_scenarios(fr)))
    ctx = dict(lang=lang, t=t, title=title, company=" · ".join(companies),
               reference=tr("cmp_ref_line", lang, ref=ref), sections=sections,
               generated=tr("cmp_generated", lang, version=__version__, n=len(fr["scenarios"]), ref=ref))
    return write_page("comparison.html.j2", ctx, out / f"comparison_{lang}.html")


def write_comparison_excel(fr: Frames, out: Path, lang: str = "en") -> Path:
    """comparison.xlsx: one sheet per frame with the frame's columns; text that looks like a formula stays text.
    lang "zh": comparison_zh.xlsx, the same sheets with Chinese sheet names and headers."""
    return write_sheets(fr, out / ("comparison.xlsx" if lang == "en" else f"comparison_{lang}.xlsx"), lang=lang)
