"""The one render loop of every family: a chart spec is (file stem, drawing function of the frames and a
language); each chart is drawn once and saved as PNG (300 dpi) and SVG from that figure, under the chart style,
here (`render`) or by the pool of drawing processes (`render_langs`, common/parallel.py: the same bytes)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import style
from .parallel import Pool

Frames = dict[str, pd.DataFrame]  # a family's tidy frames by name
Draw = Callable[[Frames, str], Figure]  # frames, language -> figure
ChartSpec = tuple[str, Draw]  # (file stem, drawing function)


def render_one(fr: Frames, stem: str, fn: Draw, out_dir: Path, lang: str, when: datetime | None = None,
               prefix: str = "") -> list[Path]:
    """Draw one chart once and save it as `<prefix><stem>_<lang>`.png and .svg from that figure: [png, svg]
    (`when`: a run stamp dates the SVG, else it carries no date)."""
    with matplotlib.rc_context(style.rc()):
        return style.save(fn(fr, lang), Path(out_dir) / f"{prefix}{stem}_{lang}", when)


def render_and_copy(fr: Frames, stem: str, fn: Draw, out_dir: Path, lang: str, when: datetime | None = None,
                    prefix: str = "") -> tuple[list[Path], Figure]:
    """`render_one`, and a copy of the figure taken before its first draw, to be saved again elsewhere (the deck's
    picture at slide resolution) without building it a second time: a figure once drawn lays out differently
    when drawn again (constrained layout starts from where it ended), a copy of the undrawn one does not, so
    the copy gives the bytes of a figure built anew."""
    with matplotlib.rc_context(style.rc()):
        fig = fn(fr, lang)
        twin = copy.deepcopy(fig)
        return style.save(fig, Path(out_dir) / f"{prefix}{stem}_{lang}", when), twin


def render(fr: Frames, specs: list[ChartSpec], out_dir: Path, lang: str, when: datetime | None = None,
           prefix: str = "") -> dict[str, list[Path]]:
    """Draw and save every chart of `specs`, in order: stem -> [png, svg]."""
    return {stem: render_one(fr, stem, fn, out_dir, lang, when, prefix) for stem, fn in specs}


def render_langs(fr: Frames, specs: list[ChartSpec], out_dir: Path, langs: tuple[str, ...],
                 when: datetime | None = None, prefix: str = "") -> dict[str, dict[str, list[Path]]]:
    """Every chart of `specs` in every language, drawn by the pool of worker processes (each chart a task):
    lang -> stem -> [png, svg], the same files as `render` language by language."""
    tasks = [(render_one, (fr, stem, fn, out_dir, lang, when, prefix)) for lang in langs for stem, fn in specs]
    with Pool() as pool:
        done = iter(pool.run(tasks))
        handles = {lang: {stem: next(done) for stem, _ in specs} for lang in langs}
        return {lang: {stem: t.result() for stem, t in h.items()} for lang, h in handles.items()}
