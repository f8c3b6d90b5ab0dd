"""The slide deck's shared parts (python-pptx, 16:9): slide size and picture area, text in the deck's fonts,
title-only slides, charts drawn at slide resolution and fitted under the title, editable tables, the deck's
metadata; byte-reproducible like every report file."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from . import style
from .stable import FIXED_TIME, normalise_zip

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
BOX_W, BOX_H, BOX_TOP = SLIDE_W - Inches(0.8), SLIDE_H - Inches(1.6), Inches(1.35)  # the picture's area
SLIDE_DPI = 150  # charts are 10-11 in wide: about 1,600 px, sharp on a 1080p projector and light in the file
LONG_TITLE = 70  # characters: a longer title is set at 20 pt, not 24, to stay within two lines
GREEN = RGBColor(0x1B, 0x3A, 0x2F)
EA_FONT = "Microsoft YaHei"  # East Asian typeface of the text (Chinese); Latin text keeps the theme font


def scale(w_in: float, h_in: float) -> float:
    """Size on the slide / size in the figure of a w_in x h_in figure fitted into the picture box."""
    return min(BOX_W / Inches(w_in), BOX_H / Inches(h_in))


def text(frame, s: str, size: int, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Replace a text frame's text with one paragraph in the deck's fonts."""
    frame.clear()
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    font(run, s, size, bold, colour)


def font(run, s: str, size: int, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Set a run's text, size, weight, colour and East Asian typeface."""
    run.text = s
    run.font.size, run.font.bold = Pt(size), bold
    if colour is not None:
        run.font.color.rgb = colour
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.append(ea)
    ea.set("typeface", EA_FONT)


def title_only(prs, title: str):
    """A new "Title Only" slide with its title set."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.25), SLIDE_W - Inches(1.0), Inches(1.0)
    text(shape.text_frame, title, 24 if len(title) <= LONG_TITLE else 20, bold=True, colour=GREEN)
    return slide


def chart_png(make: Callable[[], Figure]) -> tuple[bytes, float, float]:
    """A chart drawn at slide resolution: (PNG bytes, width and height in inches)."""
    with matplotlib.rc_context(style.rc()):
        fig = make()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=SLIDE_DPI)
    w, h = fig.get_size_inches()
    return buf.getvalue(), float(w), float(h)


def picture(slide, png: bytes, w_in: float, h_in: float) -> None:
    """The image fitted into the area under the title, centred, aspect kept."""
    k = scale(w_in, h_in)
    w, h = Emu(int(Inches(w_in) * k)), Emu(int(Inches(h_in) * k))
    slide.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - w) / 2)), BOX_TOP, w, h)


def table(slide, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """An editable table under the title (widths in inches)."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.5), Inches(1.35),
                                   Inches(sum(widths)), Inches(0.35 * (len(rows) + 1)))
    tab = shape.table
    for j, w in enumerate(widths):
        tab.columns[j].width = Inches(w)
    for j, h in enumerate(header):
        text(tab.cell(0, j).text_frame, h, 12, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            text(tab.cell(i, j).text_frame, v, 11)


def save(prs, path: Path, title: str, when: datetime | None = None) -> Path:
    """Set the deck's properties (title, author, dated `when` or FIXED_TIME), save it and make it byte-stable."""
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = title, "planner", "planner"
    props.created = props.modified = (when or FIXED_TIME).replace(tzinfo=None)
    props.revision = 1
    prs.save(path)
    return normalise_zip(path, when)
