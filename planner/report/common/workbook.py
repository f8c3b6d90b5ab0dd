"""The Excel workbooks of every family: one sheet per frame with the frame's columns (units in the names);
text that looks like a formula stored as text; byte-reproducible (planner/report/common/stable.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from .columns import column_name, sheet_name
from .stable import normalise_zip

SHARE_FORMAT = "0%"  # Excel's format of a share (renewable-share targets): 0.8 reads 80%


def write_sheets(frames: dict[str, pd.DataFrame], path: Path, when: datetime | None = None,
                 lang: str = "en") -> Path:
    """A workbook with one sheet per frame (names cut to Excel's 31 characters; in Chinese sheet names and
    column headers for lang "zh", planner/report/common/columns.py); text that looks like a formula is stored
    as text (no formula injection). Byte-reproducible: dated FIXED_TIME (or the run stamp)."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, frame in frames.items():
            out = frame.rename(columns=lambda c: column_name(c, lang)) if lang != "en" else frame
            out.to_excel(xw, sheet_name=sheet_name(name, lang), index=False)
    wb = load_workbook(path)
    for ws, frame in zip(wb.worksheets, frames.values(), strict=True):
        for row in ws.iter_rows():  # text that looks like a formula stays text (no formula injection)
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
        _share_formats(ws, list(frame.columns))
    wb.save(path)
    return normalise_zip(path, when)


def _share_formats(ws, columns: list) -> None:
    """Levels of share targets (a `unit` column reading 'share') in percent format (`columns`: the frame's own
    names, whatever the headers' language)."""
    head = {c: j + 1 for j, c in enumerate(columns)}
    if "unit" not in head:
        return
    cols = [head[c] for c in ("required", "achieved", "net") if c in head]
    for row in ws.iter_rows(min_row=2):
        if row[head["unit"] - 1].value == "share":
            for j in cols:
                row[j - 1].number_format = SHARE_FORMAT
