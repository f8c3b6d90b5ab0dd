"""The one render loop of every family: a chart spec is (file stem, drawing function of the frames and a
language); each chart is drawn once and saved as PNG (300 dpi) and SVG from that figure, under the chart style."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import style

Frames = dict[str, pd.DataFrame]  # a family's tidy frames by name
Draw = Callable[[Frames, str], Figure]  # frames, language -> figure
ChartSpec = tuple[str, Draw]  # (file stem, drawing function)


def render_one(fr: Frames, stem: str, fn: Draw, out_dir: Path, lang: str, when: datetime | None = None,
               prefix: str = "") -> list[Path]:
    """Draw one chart once and save it as `<prefix><stem>_<lang>`.png and .svg from that figure: [png, svg]
    (`when`: a run stamp dates the SVG, else it carries no date)."""
    with matplotlib.rc_context(style.rc()):
        return style.save(fn(fr, lang), Path(out_dir) / f"{prefix}{stem}_{lang}", when)


def render(fr: Frames, specs: list[ChartSpec], out_dir: Path, lang: str, when: datetime | None = None,
           prefix: str = "") -> dict[str, list[Path]]:
    """Draw and save every chart of `specs`, in order: stem -> [png, svg]."""
    return {stem: render_one(fr, stem, fn, out_dir, lang, when, prefix) for stem, fn in specs}
