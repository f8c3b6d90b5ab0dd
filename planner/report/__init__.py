"""Charts and client reports (HTML, Excel) in English or Chinese, drawn from the tidy result frames.

The report never solves: studies (such as the stand-alone MACC, `Plan.with_standalone_macc()`) run before it,
and a chart whose frame is absent is left out."""

from __future__ import annotations

from pathlib import Path

from .html import write_excel, write_html
from .i18n import LANGS
from .render import render


def write_report(plan, out_dir: str | Path, langs: tuple[str, ...] = ("en",)) -> list[Path]:
    """Charts (PNG + SVG), report_<lang>.html for each language and results.xlsx; returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plan.write(out)
    files: list[Path] = []
    for lang in langs:
        charts = render(plan.frames(), out / "charts", lang)
        files += [f for fs in charts.values() for f in fs]
        files.append(write_html(plan, charts, out, lang))
    files.append(write_excel(plan, out))
    return files


__all__ = ["LANGS", "render", "write_excel", "write_html", "write_report"]
