"""The HTML pages of every family: one offline file (charts as embedded PNG, the bundled font subset to the
page's characters as an embedded WOFF, no scripts, no network requests), every string escaped by Jinja2's
autoescape."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


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


def images(charts: dict[str, list[Path]]) -> list[dict[str, str]]:
    """The charts' PNGs (the first file of each) as embedded images: alt = stem, data = base64."""
    return [{"alt": stem, "data": base64.b64encode(files[0].read_bytes()).decode()} for stem, files in charts.items()]


def write_page(template_name: str, ctx: dict, path: Path) -> Path:
    """Render a template of planner/report/templates with `ctx` and the font subset to its text; write it."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template(template_name)
    html = template.render(**ctx, font=embedded_font(template.render(**ctx, font="")))
    path.write_text(html, encoding="utf-8")
    return path
