"""The one table helper of the HTML pages: a table is a title, a header and rows of cells; a cell is its text,
a CSS class ("n" numbers, "ok", "bad", "muted", "b", "code"), a line below it (`sub`) and stacked lines."""

from __future__ import annotations

import math

import pandas as pd

from .i18n import tr


def missing(v) -> bool:
    """None, NaN or pandas' NA."""
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def num(v, fmt: str) -> str:
    """A number in `fmt` ("" when missing)."""
    return "" if missing(v) else format(float(v), fmt)


def cell(text: str = "", cls: str = "", sub: str = "", lines: list[str] | None = None) -> dict:
    """One table cell."""
    return {"text": text, "cls": cls, "sub": sub, "lines": lines or []}


def value_cell(v, lang: str) -> dict:
    """A cell of a frame's value, formatted by its type: yes/no (ok/bad), numbers to four significant figures
    below 10 else whole, text as it is."""
    if isinstance(v, bool):
        return cell(tr("yes" if v else "no", lang), "ok" if v else "bad")
    if isinstance(v, float):
        if math.isnan(v):
            return cell("", "n")
        return cell(f"{v:,.4g}" if abs(v) < 10 else f"{v:,.0f}", "n")
    if isinstance(v, int):
        return cell(str(v), "n")
    return cell("" if v is None else str(v))


def table(title: str, header: list[str], rows: list[list[dict]], **extra) -> dict:
    """A table section (extra keys: note, empty)."""
    return {"title": title, "header": header, "rows": rows, **extra}
