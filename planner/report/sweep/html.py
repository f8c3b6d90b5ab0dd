"""The sweep report: charts (PNG + SVG), sweep_<lang>.html (offline: charts as embedded PNG, the font subset
embedded, no scripts; every string escaped by Jinja2's autoescape) and sweep.xlsx, all from the store alone.
The headline is which measures are safe bets (adoption frequency and verdicts)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...units import CNY_TO_MCNY
from ...version import __version__
from ..common.i18n import STATUS, pick
from ..common.pages import images, write_page
from ..common.render import ChartSpec, Frames, render_langs
from ..common.tables import cell, num
from ..common.workbook import write_sheets
from . import charts as sweep_charts
from . import verdicts
from .charts import VERDICT_COLOURS, relaxed, rule, verdict
from .i18n import DESIGN, DIFFERENCE, MODE, REASON, SWEEP_TEXT, fact, st

HIDDEN = ("heatmap_columns", "samples_inputs")  # summary items for the report itself, not the facts table
METRICS = ("cash_npv_cny", "cumulative_scope12_tco2e", "capex_2030_cny")  # the tornado metrics of the analysis


def chart_specs(fr: Frames, columns: str) -> list[ChartSpec]:
    """(file stem, drawing function) of every chart the frames support (those of other designs are left out)."""
    specs: list[ChartSpec] = []
    if len(fr["adoption_matrix"]):
        specs.append(("adoption", lambda f, lang: sweep_charts.heatmap(f, lang, columns)))
    for metric in METRICS:
        if fr[f"tornado_{metric}"].swing.notna().any():
            specs.append((f"tornado_{metric.removesuffix('_cny').removesuffix('_tco2e')}",
                          lambda f, lang, m=metric: sweep_charts.tornado(f, lang, m)))
    ix = fr["indices_npv"]
    if len(ix) and ix.value.notna().any():
        specs.append(("indices", sweep_charts.indices))
    if len(fr["carbon_supply"]) and fr["carbon_supply"].abatement_tco2e_per_yr.notna().any():
        specs.append(("carbon_price_macc", sweep_charts.carbon_macc))
    if len(fr["fan"]):
        specs.append(("emissions_fan", sweep_charts.fan))
    m = fr["metrics"]
    if m.cash_npv_cny.notna().sum() >= 2 and _item(fr, "samples_inputs") == "True":  # no distribution of oat variants
        specs.append(("npv_distribution", sweep_charts.npv_distribution))
    if len(fr["first_years"]):
        specs.append(("first_years", sweep_charts.first_years))
    if len(fr["infeasibility"]) and (fr["infeasibility"].missed > 0).any():
        specs.append(("infeasibility", sweep_charts.infeasibility))
    if len(fr["scatter_npv"]) and fr["scatter_npv"].value.nunique() > 1:
        specs.append(("scatter_npv", sweep_charts.scatter))
    return specs


def _item(fr: Frames, item: str) -> str:
    """A value of the summary frame ("" when absent)."""
    s = fr["summary"]
    v = s.loc[s["item"] == item, "value"]
    return str(v.iloc[0]) if len(v) else ""


def _adoption_table(fr: Frames, lang: str, n: int) -> dict:
    rows = []
    for r in fr["adoption"].itertuples():
        cls = {"no_regret": "ok", "never": "muted"}.get(r.verdict, "")
        rows.append([cell(str(r.site)), cell(str(r.measure)),
                     cell(f"{r.frequency:.0%}", "n", f"{r.adopted}/{r.variants}"),
                     cell(verdict(r.verdict, fr, lang), cls), cell(rule(r, lang)),
                     cell(num(r.first_year_median, ".0f"), "n"),
                     cell(num(r.capex_median_cny * CNY_TO_MCNY, ",.2f"), "n")])
    head = [st(k, lang) for k in ("site", "measure", "frequency", "verdict", "rule", "first_year", "capex")]
    return {"title": st("headline", lang), "note": st("headline_note", lang, n=n), "header": head, "rows": rows,
            "empty": st("none", lang)}


def _facts(fr: Frames, lang: str) -> dict:
    rows = [[cell(i), cell(v)] for i, v in (fact(str(r.item), str(r.value), lang)
                                              for r in fr["summary"].itertuples() if r.item not in HIDDEN)]
    return {"title": st("facts", lang), "header": [st("item", lang), st("value", lang)], "rows": rows}


def _known(x) -> bool:
    return x is not None and x is not pd.NA


def _idle(fr: Frames) -> set[str]:
    """Parameters that changed nothing in the model (checked before solving)."""
    e = fr["parameter_effects"]
    return {p for p, x in zip(e.parameter, e.changes_model, strict=True) if _known(x) and not x}


def _effect_cell(x, diff: str, lang: str) -> dict:
    if not _known(x):
        return cell(st("not_checked", lang), "muted")
    return cell(st("yes", lang), "ok", pick(DIFFERENCE, diff, lang)) if x else cell(st("no_effect_mark", lang), "bad")


def no_effect_warnings(fr: Frames, lang: str) -> list[str]:
    """The report's warning for each parameter that changed nothing in the model."""
    idle = _idle(fr)
    return [st("no_effect", lang, p=r.parameter, path=r.path, values=r.values_checked)
            for r in fr["parameter_effects"].itertuples() if r.parameter in idle]


def _parameters(d, fr: Frames, lang: str) -> dict:
    p = d.tables["parameters"]
    e = fr["parameter_effects"].set_index("parameter")
    rows = [[cell(str(r.parameter)), cell(str(r.path), "code"), cell(pick(MODE, r.mode, lang)),
             cell(num(r.low, ",.4g"), "n"),
             cell(num(r.high, ",.4g"), "n"), cell(num(r.base, ",.4g"), "n"),
             _effect_cell(e.changes_model.get(r.parameter, pd.NA), str(e.difference.get(r.parameter, "")), lang)]
            for r in p.itertuples()]
    head = [st(k, lang) for k in ("parameter", "path", "mode", "low", "high", "base", "changes_model")]
    return {"title": st("parameters", lang), "header": head, "rows": rows}


def _tornado_table(fr: Frames, lang: str) -> dict:
    t = fr["tornado_cash_npv_cny"]
    idle = _idle(fr)
    rows = [[cell(str(r.parameter), "bad" if r.parameter in idle else "",
                   st("no_effect_mark", lang) if r.parameter in idle else ""),
             cell(num(r.low_value, ",.4g"), "n"), cell(num(r.high_value, ",.4g"), "n"),
             cell(num(r.metric_at_low * CNY_TO_MCNY, ",.1f"), "n"),
             cell(num(r.metric_at_high * CNY_TO_MCNY, ",.1f"), "n"), cell(num(r.swing * CNY_TO_MCNY, ",.1f"), "n")]
            for r in t.itertuples()]
    head = [st(k, lang) for k in ("parameter", "low", "high", "at_low", "at_high", "swing")]
    return {"title": st("tornado_table", lang), "header": head, "rows": rows}


def _infeasible_table(fr: Frames, lang: str) -> dict:
    rows = [[cell(st("all_targets", lang) if r.target == "all" else str(r.target)),
             cell(f"{r.share:.0%}", "bad" if r.missed else "n", f"{r.missed}/{r.variants}"), cell(rule(r, lang))]
            for r in fr["infeasibility"].itertuples()]
    return {"title": st("no_plan_table" if relaxed(fr) else "infeasible_table", lang),
            "header": [st(k, lang) for k in ("target", "share", "region")],
            "rows": rows, "empty": st("none", lang)}


def _macc_table(fr: Frames, lang: str) -> dict:
    rows = [[cell(str(r.site)), cell(str(r.measure)), cell(num(r.entry_price, ",.0f"), "n"),
             cell(num(r.standalone_cost_cny_per_tco2e, ",.0f"), "n"), cell(pick(REASON, r.reason, lang))]
            for r in fr["macc_comparison"].itertuples()]
    head = [st(k, lang) for k in ("site", "measure", "entry", "standalone", "why")]
    return {"title": st("macc_table", lang), "header": head, "rows": rows}


def write_sweep_html(d, fr: Frames, charts: dict[str, list[Path]], out: Path, lang: str,
                     noise_free: tuple[pd.DataFrame, dict] | None = None) -> Path:
    """sweep_<lang>.html in out; `noise_free`: the (verdicts, summary) of `planner sweep verdicts`, shown after
    the adoption table (sweep/verdicts.py)."""
    t = {k: v[0 if lang == "en" else 1] for k, v in SWEEP_TEXT.items() if "{" not in v[0]}
    pictures = images(charts)
    n = len(d.solved())
    sections: list[tuple[str, dict]] = [("table", _adoption_table(fr, lang, n))]
    if noise_free is not None:
        sections.append(("table", verdicts.table(*noise_free, lang)))
    if "adoption" in charts:
        sections.append(("charts", {"title": st("heatmap", lang), "images": pictures[:1]}))
        pictures = pictures[1:]
    sections += [("charts", {"title": st("charts", lang), "note": st("reading", lang), "images": pictures}),
                 ("table", _facts(fr, lang)), ("table", _parameters(d, fr, lang))]
    if len(fr["tornado_cash_npv_cny"]):
        sections.append(("table", _tornado_table(fr, lang)))
    if len(fr["macc_comparison"]):
        sections.append(("table", _macc_table(fr, lang)))
    sections.append(("table", _infeasible_table(fr, lang)))
    meta = d.meta
    sub = st("subtitle", lang, name=meta.get("name", ""), base=meta.get("base_scenario", ""),
             design=pick(DESIGN, meta.get("design", ""), lang), stored=d.stored, planned=d.planned)
    counts = d.metrics.status.value_counts().sort_index()
    statuses = ", ".join(f"{pick(STATUS, s, lang)} {c}" for s, c in counts.items())
    ctx = dict(lang=lang, t=t, title=st("title", lang), company=meta.get("name", ""),
               reference=(f"{sub}（{statuses}）" if lang == "zh" else f"{sub} ({statuses})") if statuses else sub,
               warnings=([st("relaxed", lang)] if relaxed(fr) else [])
               + ([st("partial", lang, stored=d.stored, planned=d.planned)] if d.partial else [])
               + no_effect_warnings(fr, lang),
               sections=sections, generated=st("generated", lang, version=__version__, store=str(d.path)))
    return write_page("sweep.html.j2", ctx, out / f"sweep_{lang}.html")


def write_sweep_report(d, fr: Frames, out_dir: str | Path | None = None,
                       langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """Charts (out/charts/sweep_*_<lang>.png|svg), sweep_<lang>.html per language, sweep.xlsx (and sweep_zh.xlsx,
    Chinese sheet names and headers, with Chinese among the languages) from a loaded
    store `d` (planner.studies.sweep.analysis.load) and its analysis frames `fr` (analysis.frames); out
    defaults to the store's folder. Returns the files written. Draws only: nothing is solved here."""
    out = Path(out_dir) if out_dir is not None else d.path.parent
    out.mkdir(parents=True, exist_ok=True)
    s = fr["summary"]
    columns = str(s.loc[s["item"] == "heatmap_columns", "value"].iloc[0]) if len(s) else "variant"
    files: list[Path] = []
    noise_free = verdicts.read(d.path.parent, d.meta.get("digest"))  # `planner sweep verdicts` of this sweep
    drawn = render_langs(fr, chart_specs(fr, columns), out / "charts", langs, prefix="sweep_")  # the pool draws
    for lang in langs:
        charts = drawn[lang]
        files += [f for fs in charts.values() for f in fs]
        files.append(write_sweep_html(d, fr, charts, out, lang, noise_free))
    sheets = {k: v for k, v in fr.items() if len(v.columns) and k != "scatter_npv"}
    sheets["values"] = d.values.reset_index()  # variant x parameter (the scatter's points, with `metrics`)
    sc = fr["scatter_npv"]
    sheets["trend_npv"] = sc.drop_duplicates("parameter")[["parameter", "slope", "intercept"]]
    extra = {lang: verdicts.sheets(noise_free[0], lang) if noise_free is not None else {} for lang in ("en", *langs)}
    files.append(write_sheets({**sheets, **extra["en"]}, out / "sweep.xlsx"))
    files += [write_sheets({**sheets, **extra[lang]}, out / f"sweep_{lang}.xlsx", lang=lang)
              for lang in langs if lang != "en"]
    return files


__all__ = ["VERDICT_COLOURS", "chart_specs", "write_sweep_html", "write_sweep_report"]
