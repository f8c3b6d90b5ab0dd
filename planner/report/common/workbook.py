"""The Excel workbooks of every family: one sheet per frame with the frame's columns (units in the names);
text that looks like a formula stored as text; byte-reproducible (planner/report/common/stable.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from .stable import normalise_zip

SHARE_FORMAT = "0%"  # Excel's format of a share (renewable-share targets): 0.8 reads 80%


def write_sheets(frames: dict[str, pd.DataFrame], path: Path, when: datetime | None = None) -> Path:
    """A workbook with one sheet per frame (names cut to Excel's 31 characters); text that looks like a
    formula is stored as text (no formula injection). Byte-reproducible: dated FIXED_TIME (or the run stamp)."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, frame in frames.items():
            frame.to_excel(xw, sheet_name=name[:31], index=False)
    wb = load_workbook(path)
    for ws in wb.worksheets:  # text that looks like a formula stays text (no formula injection)
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    c.data_type = "s"
        _share_formats(ws)
    wb.save(path)
    return normalise_zip(path, when)


def _share_formats(ws) -> None:
    """Levels of share targets (a `unit` column reading 'share') in percent format."""
    head = {c.value: c.column for c in ws[1]}
    if "unit" not in head:
        return
    cols = [head[c] for c in ("required", "achieved", "net") if c in head]
    for row in ws.iter_rows(min_row=2):
        if row[head["unit"] - 1].value == "share":
            for j in cols:
                row[j - 1].number_format = SHARE_FORMAT
