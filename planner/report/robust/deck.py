"""The robust studies' decks (robust_<lang>.pptx, alternatives_<lang>.pptx) through the shared deck writer
(planner/report/common/deck.py): a title slide, then each slide titled with its takeaway (story.py, computed
from the frame the slide shows): the commit-now plan, the branch fan and EVPI/VSS with their proven ranges;
or the measure map (chart and table) and the alternatives' costs. Byte-reproducible."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pptx import Presentation

from ...postprocess.robust_words import WORDS, w
from ...units import CNY_TO_MCNY
from ..common import deck
from ..common.deck import GREEN, SLIDE_H, SLIDE_W, chart_png, picture, title_only
from ..common.render import Frames
from ..common.tables import num
from . import charts, story
from .charts import fan
from .story import proven_range

ROWS_PER_SLIDE = 14
SUBTITLE = {"robust": {"en": "{n} branches split at {split}; objective: {obj}",
                       "zh": "{n}个分支，{split}年分叉；目标：{obj}"},
            "alternatives": {"en": "{k} roadmaps within {slack:.1%} of the least NPV ({least:,.2f} MCNY)",
                             "zh": "最低净现值（{least:,.2f}百万元）{slack:.1%}以内的{k}条路线图"}}


def _chunks(rows: list, n: int = ROWS_PER_SLIDE) -> list[list]:
    return [rows[i:i + n] for i in range(0, len(rows), n)] or [[]]


def _tables(prs, title: str, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """The table over as many slides as it needs, each titled with the takeaway (and n/m)."""
    parts = _chunks(rows)
    for i, part in enumerate(parts, start=1):
        head = title + (f" ({i}/{len(parts)})" if len(parts) > 1 else "")
        slide = title_only(prs, head)
        if part:
            deck.table(slide, header, part, widths)


def robust_slides(prs, fr: Frames, s: dict, lang: str) -> None:
    now = fr["robust_commit_now"]
    rows = [[str(r.measure), str(r.site), str(r.year), num(r.capex_cny * CNY_TO_MCNY, ",.2f")]
            for r in now.itertuples()]
    head = [w("measure", lang), w("site", lang), w("year", lang), w("capex_mcny", lang)]
    _tables(prs, story.commit(fr, s, lang), head, rows, [4.0, 3.0, 1.5, 2.5])
    if len(fr["robust_emissions"]):
        picture(title_only(prs, story.fan(fr, lang)), *chart_png(lambda: fan(fr, lang)))
    vals = [[w("evpi", lang), f"{s['evpi_cny']:,.0f}", proven_range(s["evpi_range_cny"], lang)],
            [w("vss", lang), f"{s['vss_cny']:,.0f}" if s["vss_cny"] is not None else "",
             proven_range(s["vss_range_cny"], lang) if s["vss_cny"] is not None else w("vss_inf", lang)]]
    deck.table(title_only(prs, story.values(s, lang)), [w(k, lang) for k in ("item", "value", "range")], vals,
               [4.5, 2.5, 5.3])


def alternatives_slides(prs, fr: Frames, s: dict, lang: str) -> None:
    takeaway = story.measure_map(fr, s, lang)
    parts = charts.slide_parts(fr) if len(fr["alternatives_measure_map"]) else []
    for i, part in enumerate(parts, start=1):
        head = takeaway + (f" ({i}/{len(parts)})" if len(parts) > 1 else "")
        picture(title_only(prs, head), *chart_png(lambda part=part: charts.measure_map(fr, lang, part, slide=True)))
    o = fr["alternatives"]
    rows = [[str(r.alternative), story.found_by(str(r.objective), lang), num(r.npv_cny * CNY_TO_MCNY, ",.2f"),
             num(r.above_least, ".2%"), str(r.builds)] for r in o.itertuples()]
    head = [w("alternative", lang), w("found_by", lang), w("npv_mcny", lang),
            w("above", lang), w("builds", lang)]
    _tables(prs, story.costs(fr, lang), head, rows, [1.6, 3.6, 2.6, 2.0, 1.4])
    m = fr["alternatives_measure_map"]
    rows = [[str(r.measure), str(r.site), w(str(r.cls), lang) if str(r.cls) in WORDS else str(r.cls),
             num(r.earliest_year, ".0f"), num(r.latest_year, ".0f")]
            for r in m.rename(columns={"class": "cls"}).itertuples()]
    head = [w(k, lang) for k in ("measure", "site", "class", "earliest", "latest")]
    _tables(prs, takeaway, head, rows, [4.0, 2.6, 2.0, 1.8, 1.8])


def write_robust_deck(fr: Frames, s: dict, kind: str, path: Path, lang: str, when: datetime | None = None) -> Path:
    """<kind>_<lang>.pptx: a title slide, then the slides of `kind` ("robust" or "alternatives")."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title = f"{w(kind, lang)} — {s.get('scenario', '')}"
    deck.text(slide.shapes.title.text_frame, title, 36, bold=True, colour=GREEN)
    if kind == "robust":
        obj = w(s["objective"], lang, w=s.get("cvar_weight") or 0, a=s.get("cvar_alpha") or 0)
        sub = SUBTITLE[kind][lang].format(n=s["branches"], split=s["split_year"], obj=obj)
        robust_slides(prs, fr, s, lang)
    else:
        sub = SUBTITLE[kind][lang].format(k=len(fr["alternatives"]), slack=s["slack"],
                                          least=s["least_npv_cny"] * CNY_TO_MCNY)
        alternatives_slides(prs, fr, s, lang)
    deck.text(slide.placeholders[1].text_frame, sub, 16)
    return deck.save(prs, Path(path), title, when)


__all__ = ["write_robust_deck"]
