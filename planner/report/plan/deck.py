"""Slide deck (python-pptx, 16:9): a title slide, the headline decisions, one slide per chart with a one-line
takeaway computed from the results as its (editable) title and the chart as an image at slide resolution, in
representative-day mode the hourly statements (plan/hourly.py), the target table and the key assumptions.
Byte-reproducible like the other report files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches, Pt

from ...units import CNY_TO_MCNY
from ...version import __version__
from ..common import deck, words
from ..common.deck import GREEN, SLIDE_H, SLIDE_W, chart_png, picture, title_only
from ..common.i18n import LANGS, tr
from . import hourly, story
from .html import COLUMNS, site_names
from .slides import chart_slides
from .specs import report_frames

ROWS_PER_SLIDE = 14
TITLE = {"en": "Decarbonisation roadmap", "zh": "脱碳路线图"}


def _level(v: float, unit: str) -> str:
    return f"{100 * v:.0f}%" if unit == "share" else f"{v:,.0f}"


def _value(v: float) -> str:
    """Four significant figures; thousands separators only from 10,000 (a year reads 2024)."""
    return f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}"


def target_rows(plan, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the target table (milestone years)."""
    i = LANGS.index(lang)
    desc = {t.id: words.target_description(t, plan.scenario, lang) for t in plan.scenario.targets}
    t = plan.targets[plan.targets.milestone].sort_values(["year", "target"], kind="stable")
    cols = ["target", "description", "year", "required", "achieved", "offsets_used", "met"]
    rows = [[r.target, desc.get(r.target, r.description), str(int(r.year)), _level(r.required, r.unit),
             _level(r.achieved, r.unit), f"{r.offsets_used:,.0f}", tr("yes" if r.met else "no", lang)]
            for r in t.itertuples()]
    return [COLUMNS[c][i] for c in cols], rows


def assumption_rows(plan, lang: str) -> tuple[list[str], list[list[str]]]:
    """Key assumptions as one row per (group, item) and one column per key year (settings: in the first)."""
    a = words.assumption_rows(plan.assumptions, lang)
    years = sorted(int(y) for y in a.year.dropna().unique())
    rows = []
    for (g, it), d in a.groupby(["group", "item"], sort=False):
        vals = dict.fromkeys(years, "")
        if d.year.isna().all():
            r = d.iloc[0]
            vals[years[0]] = r.text or _value(r.value)
        else:
            for r in d.itertuples():
                vals[int(r.year)] = _value(r.value)
        rows.append([g, it, str(d.unit.iloc[0])] + [vals[y] for y in years])
    i = LANGS.index(lang)
    return [COLUMNS["group"][i], COLUMNS["item"][i], COLUMNS["unit"][i]] + [str(y) for y in years], rows


def write_deck(plan, path: str | Path, lang: str = "en", when: datetime | None = None,
               pictures: list | None = None) -> Path:
    """deck_<lang>.pptx: title, headline, one slide per chart (takeaway + image), targets, key assumptions.
    `pictures`: the chart slides' pictures already drawn (plan/tasks.py, in order), each a (PNG bytes, width,
    height) or a handle with `.result()` giving one; by default they are drawn here."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sc, fr = plan.scenario, report_frames(plan)
    sites = site_names(sc)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    deck.text(slide.shapes.title.text_frame, f"{TITLE[lang]} — {sc.company}", 36, bold=True, colour=GREEN)
    sub = tr("generated", lang, version=__version__, name=sc.name)
    if when is not None:
        sub += tr("stamped", lang, time=when.strftime("%Y-%m-%d %H:%M:%S UTC"))
    npv, obj = plan.summary.get("cash_npv_cny"), plan.summary.get("objective_cny")
    if obj is not None and npv is not None and abs(obj - npv) > 0.5:  # an internal carbon price is set
        sub = f"{tr('objective', lang)}: {obj * CNY_TO_MCNY:,.1f} {tr('mcny', lang)}\n{sub}"
    if npv is not None:
        sub = f"{tr('cash_npv', lang)}: {npv * CNY_TO_MCNY:,.1f} {tr('mcny', lang)}\n{sub}"
    deck.text(slide.placeholders[1].text_frame, sub, 16)
    slide = title_only(prs, tr("headline", lang))
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.4), SLIDE_W - Inches(1.2), SLIDE_H - Inches(2.0)).text_frame
    box.word_wrap = True
    for k, line in enumerate(story.headline(fr, lang, sites)):
        para = box.paragraphs[0] if k == 0 else box.add_paragraph()
        para.space_after = Pt(12)
        deck.font(para.add_run(), f"{k + 1}. {line}", 20)
    for k, (_stem, title, make) in enumerate(chart_slides(fr, lang, sites)):
        pic = chart_png(make) if pictures is None else pictures[k]
        picture(title_only(prs, title), *(pic.result() if hasattr(pic, "result") else pic))
    lines = hourly.lines(plan.summary, lang, sites)  # representative days: the rule, days, profiles, upgrades
    if lines:
        box = title_only(prs, tr("hourly_section", lang)).shapes.add_textbox(
            Inches(0.6), Inches(1.4), SLIDE_W - Inches(1.2), SLIDE_H - Inches(2.0)).text_frame
        box.word_wrap = True
        for k, line in enumerate(lines):
            para = box.paragraphs[0] if k == 0 else box.add_paragraph()
            para.space_after = Pt(10)
            deck.font(para.add_run(), line, 18)
    header, rows = target_rows(plan, lang)
    deck.table(title_only(prs, tr("targets_table", lang)), header, rows, [1.6, 5.0, 0.8, 1.3, 1.3, 1.3, 0.9])
    header, rows = assumption_rows(plan, lang)
    chunks = [rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    year_w = max(0.9, (12.3 - 6.6) / max(len(header) - 3, 1))
    for n, chunk in enumerate(chunks, start=1):
        title = tr("assumptions", lang) + (f" ({n}/{len(chunks)})" if len(chunks) > 1 else "")
        deck.table(title_only(prs, title), header, chunk, [1.6, 3.2, 1.8] + [year_w] * (len(header) - 3))
    return deck.save(prs, path, f"{TITLE[lang]} — {sc.company}", when)


__all__ = ["assumption_rows", "target_rows", "write_deck"]
