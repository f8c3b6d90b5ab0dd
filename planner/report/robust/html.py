"""robust_<lang>.html / alternatives_<lang>.html, the decks (deck.py), robust.xlsx / alternatives.xlsx and their
Chinese workbooks from the frames a robust study wrote (CSV + JSON); never solves. Charts: charts.py."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd

from ...postprocess.robust_words import SHEETS_ZH, WORDS, column, localise, w
from ..common.i18n import FAMILY, SCOPE, pick
from ..common.pages import images, write_page
from ..common.render import Frames, render_langs
from ..common.tables import cell, num
from ..common.workbook import write_sheets
from . import charts
from .charts import fan
from .deck import write_robust_deck
from .story import found_by, proven_range


def _robust_tables(fr: Frames, s: dict, lang: str) -> list[dict]:
    now = fr["robust_commit_now"]
    rows = [[cell(str(r.measure)), cell(str(r.site)), cell(str(r.year), "n"), cell(num(r.capex_cny, ",.0f"), "n")]
            for r in now.itertuples()]
    split = s["split_year"]
    head = [w(k, lang) for k in ("measure", "site", "year", "capex")]
    vals = [[cell(w("evpi", lang)), cell(f"{s['evpi_cny']:,.0f}", "n"),
             cell(proven_range(s["evpi_range_cny"], lang))]]
    vals.append([cell(w("vss", lang)), cell(f"{s['vss_cny']:,.0f}" if s["vss_cny"] is not None else "", "n"),
                 cell(proven_range(s["vss_range_cny"], lang) if s["vss_cny"] is not None else w("vss_inf", lang))])
    return [{"title": w("commit_now", lang, split=split), "header": head, "rows": rows,
             "empty": w("nothing", lang, split=split)},
            {"title": w("values", lang), "header": [w(k, lang) for k in ("item", "value", "range")], "rows": vals}]


def _alt_tables(fr: Frames, lang: str) -> list[dict]:
    m = fr["alternatives_measure_map"]
    rows = [[cell(str(r.measure)), cell(w(str(r[2]), lang) if str(r[2]) in WORDS else str(r[2])),
             cell(num(r.earliest_year, ".0f"), "n"), cell(num(r.latest_year, ".0f"), "n")]
            for r in m.rename(columns={"class": "cls"})[["measure", "site", "cls", "earliest_year", "latest_year"]]
            .itertuples(index=False)]
    o = fr["alternatives"]
    cost = [[cell(str(r.alternative)), cell(found_by(str(r.objective), lang)), cell(num(r.npv_cny, ",.0f"), "n"),
             cell(num(r.above_least, ".2%"), "n"), cell(str(r.builds), "n")] for r in o.itertuples()]
    return [{"title": w("map", lang), "header": [w(k, lang) for k in ("measure", "class", "earliest", "latest")],
             "rows": rows, "empty": ""},
            {"title": w("costs", lang), "rows": cost, "empty": "",
             "header": [w(k, lang) for k in ("alternative", "found_by", "npv", "above", "builds")]}]


def zh_frame(v: pd.DataFrame) -> pd.DataFrame:
    """One frame in Chinese: generated values (classes, verdicts, yes/no, evidence, how found, families, scopes)
    through the shared words (robust_words.localise), then the column headers; identifiers keep their names."""
    out = localise(v, "zh", family=lambda f: pick(FAMILY, f, "zh"))
    if "scope" in out:
        out = out.assign(scope=[pick(SCOPE, s, "zh") if s in SCOPE else s for s in out.scope])
    return out.rename(columns=lambda c: column(c, "zh"))


def zh_sheets(fr: Frames) -> Frames:
    """The frames with Chinese sheet names, column headers and generated values (zh_frame)."""
    return {SHEETS_ZH.get(k, k): zh_frame(v) for k, v in fr.items()}


def write_robust_report(folder: Path, kind: str, langs: tuple[str, ...], when: datetime | None = None) -> list[Path]:
    """Read the frames `kind` ("robust" or "alternatives") wrote into `folder`; write <kind>_<lang>.html and
    <kind>_<lang>.pptx per language, <kind>.xlsx (and <kind>_zh.xlsx, Chinese sheets and headers, with Chinese
    among the languages) and the charts under folder/charts: the branch fan (robust) or the measure map."""
    folder = Path(folder)
    fr = {p.stem: pd.read_csv(p) for p in sorted(folder.glob(f"{kind}*.csv"))}
    s = json.loads((folder / f"{kind}_summary.json").read_text(encoding="utf-8"))
    files = [write_sheets(fr, folder / f"{kind}.xlsx", when)]
    if "zh" in langs:
        files.append(write_sheets(zh_sheets(fr), folder / f"{kind}_zh.xlsx", when))
    if kind == "robust":
        specs = [("robust_fan", fan)] if len(fr["robust_emissions"]) else []
    else:
        specs = [("alternatives_map", charts.measure_map)] if len(fr["alternatives_measure_map"]) else []
    every = render_langs(fr, specs, folder / "charts", langs, when)  # in the pool of drawing processes
    for lang in langs:
        tables = _robust_tables(fr, s, lang) if kind == "robust" else _alt_tables(fr, lang)
        drawn = every[lang]
        files += [f for fs in drawn.values() for f in fs]
        ctx = {"lang": lang, "title": w(kind, lang), "tables": tables, "images": images(drawn)}
        files.append(write_page("robust.html.j2", ctx, folder / f"{kind}_{lang}.html"))
        files.append(write_robust_deck(fr, s, kind, folder / f"{kind}_{lang}.pptx", lang, when))
    return files
