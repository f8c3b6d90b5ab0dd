"""Write a scenario workbook (openpyxl): the tables of `shape.layout()` on the sheets of `words.SHEETS`, with
headers and units in one language, drop-downs, numeric ranges, notes citing the library, and the raw
scenario's values (the keys as written, templates not expanded) when one is given."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..library import load_library
from ..trajectory import year_key
from .common import (
    COLUMN_IDS,
    COLUMN_LIST,
    KEY,
    LABEL,
    MARK,
    NOTES,
    PARENT,
    UNIT,
    VALUE,
    YEAR,
    key_group,
    keys_of,
    lists,
    map_unit,
    note,
    refs,
    rel_path,
)
from .shape import Column, Leaf, Table, layout
from .words import (
    KEY_WORD,
    PARENT_WORD,
    SHEETS,
    WORD,
    field_label,
    header,
    option_label,
    path_label,
    pick,
    sheet_name,
    sheet_of,
    table_title,
    unit_of,
    word,
)

TITLE = Font(bold=True, size=12)
HEAD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTE_FONT = Font(italic=True, color="666666")
SPARE_ROWS = {0: 15, 1: 25}  # empty rows left in a table of the template: top-level, child tables


def _get(node: Any, path: list[str]) -> Any:
    for p in path:
        if not isinstance(node, dict):
            return None
        node = node.get(p, node.get(int(p)) if p.isdigit() else None)
    return node


def _cell(v: Any, leaf: Leaf, lang: str, name: str = "") -> Any:
    """A raw value as a cell: numbers and text as they are, yes/no and choices in the language, lists
    comma-separated."""
    if v is None:
        return None
    if leaf.kind == "yaml":
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    if leaf.kind == "list":
        return ", ".join(str(x) for x in v) if isinstance(v, list) else option_label(name, v, lang)
    if leaf.options:
        return option_label(name, v, lang)
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else v
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)  # 1.2e6 as 1200000 (read back as a number either way)
    return v


def _quoted(title: str) -> str:
    """A sheet name as a formula names it: always quoted (Chinese names, spaces), quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def _range(leaf: Leaf, lang: str) -> str:
    lo = leaf.ge if leaf.ge is not None else leaf.gt
    hi = leaf.le if leaf.le is not None else leaf.lt
    if lo is None and hi is None:
        return ""
    return f"{word('range', lang)} {'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}"


class Writer:
    def __init__(self, raw: dict | None, lang: str, tables: dict[str, Table] | None = None):
        self.raw = raw or {}
        self.lang = lang
        self.wb = Workbook()
        self.tables = tables or layout()
        self.id_ranges: dict[str, str] = {}  # table id -> range of its id column (for drop-downs)
        self.lists = lists()
        self.list_ranges: dict[str, str] = {}
        self.spans: dict[str, tuple[int, int]] = {}  # table id -> first and last data row

    # instances of the raw scenario -------------------------------------------------------------------------
    def items(self, tid: str) -> list[tuple[tuple, dict]]:
        """(keys, item) of each item of a rows/models table: keys = parents' keys + its own id or dict key."""
        t = self.tables[tid]
        out = []
        for keys, node in self.containers(t):
            if t.form == "rows" and isinstance(node, list):
                out += [((*keys, it.get("id", i + 1)), it) for i, it in enumerate(node) if isinstance(it, dict)]
            elif t.form == "models" and isinstance(node, dict):
                out += [((*keys, k), v) for k, v in node.items() if isinstance(v, dict)]
        return out

    def containers(self, t: Table) -> list[tuple[tuple, Any]]:
        if not t.parents:
            v = _get(self.raw, t.id.split("."))
            return [((), v)] if v is not None else []
        return [(keys, v) for keys, item in self.items(t.parents[-1])
                if (v := _get(item, rel_path(t))) is not None]

    # sheets ---------------------------------------------------------------------------------------------
    def write(self, path: Path) -> None:
        self.wb.remove(self.wb.active)
        self.write_lists()
        by_sheet: dict[str, list[Table]] = {}
        for t in self.tables.values():
            by_sheet.setdefault(sheet_of(t.id), []).append(t)
        order = [s for s in SHEETS if s in by_sheet] + [s for s in by_sheet if s not in SHEETS]
        sheets = {s: self.wb.create_sheet(sheet_name(s, self.lang)[:31], i) for i, s in enumerate(order)}
        self.write_library(len(order))
        for s in order:  # first pass lays out the tables (ids ranges), the second fills validations
            ws = sheets[s]
            ws["B1"] = f"{word('title', self.lang)}: {sheet_name(s, self.lang)}"
            ws["B1"].font = TITLE
            ws["B2"] = word("intro", self.lang)
            ws["B2"].font = NOTE_FONT
            ws.column_dimensions["A"].hidden = True
            row = 4
            for t in by_sheet[s]:
                row = self.write_table(ws, t, row) + 2
        for s in order:
            for t in by_sheet[s]:
                self.validate_table(sheets[s], t)
        for ws in sheets.values():
            for col in range(2, ws.max_column + 1):
                ws.column_dimensions[get_column_letter(col)].width = 22
        self.wb.save(path)

    def write_lists(self) -> None:
        ws = self.wb.create_sheet(sheet_name("lists", self.lang))
        ws.sheet_state = "hidden"
        for j, (name, values) in enumerate(self.lists.items(), start=1):
            ws.cell(1, j, name)
            for i, v in enumerate(values, start=2):
                ws.cell(i, j, v)
            col = get_column_letter(j)
            self.list_ranges[name] = f"{_quoted(ws.title)}!${col}$2:${col}${max(2, len(values) + 1)}"

    def write_library(self, index: int) -> None:
        """Reference sheet (not read back): every template's parameters with their units and sources."""
        lib = load_library()
        ws = self.wb.create_sheet(sheet_name("library", self.lang), index)
        ws["A1"] = word("see_library", self.lang).split(":")[0]
        ws["A1"].font = TITLE
        heads = ("template", "kind", "param", "value", "unit", "source")
        for j, h in enumerate(heads, start=1):
            ws.cell(3, j, word(h, self.lang) if h != "value" else word("value", self.lang)).font = HEAD
        frame = lib.template_sources
        for i, r in enumerate(frame.itertuples(index=False), start=4):
            src = r.source_zh if self.lang == "zh" else r.source
            vals = (r.template, r.kind, r.param, r.value, r.unit, src)
            for j, v in enumerate(vals, start=1):
                ws.cell(i, j, v)
        for j, w in enumerate((22, 18, 24, 30, 12, 80), start=1):
            ws.column_dimensions[get_column_letter(j)].width = w

    # one table ------------------------------------------------------------------------------------------
    def labels(self, t: Table) -> list[str]:
        lang = self.lang
        out = []
        for k in keys_of(t):
            if k.startswith(PARENT):
                last = k[len(PARENT):].rsplit(".", 1)[-1]
                out.append(pick(PARENT_WORD.get(last, (last, field_label(last, "zh"))), lang))
            elif k == KEY:
                out.append(pick(KEY_WORD.get(t.name, WORD["key"]), lang))
            elif k in (LABEL, NOTES, UNIT, YEAR):
                out.append(word({LABEL: "field", NOTES: "notes", UNIT: "unit", YEAR: "year"}[k], lang))
            elif k == VALUE:
                unit = "" if t.form in ("fields", "map", "map_series") else self.unit(t.name, t.value_leaf)
                out.append(header(word("value", lang), unit))
            else:
                col = next(c for c in t.columns if c.key == k)
                out.append(header(path_label(k, lang), self.unit(col.name, col.leaf)))
        return out

    def unit(self, name: str, leaf: Leaf | None) -> str:
        if leaf is not None and leaf.kind == "list":
            return word("list", self.lang)
        if leaf is not None and leaf.py == (bool,):
            return word("yes_no", self.lang)
        return unit_of(name, self.lang, leaf.unit if leaf else "")

    def write_table(self, ws: Worksheet, t: Table, row: int) -> int:
        lang = self.lang
        keys = keys_of(t)
        title = table_title(t.id, lang)
        if t.form in ("series", "map_series"):
            title += f"  ({word('constant', lang)})"
        ws.cell(row, 2, title).font = TITLE
        for j, label in enumerate(self.labels(t), start=2):
            c = ws.cell(row + 1, j, label)
            c.font, c.fill = HEAD, HEAD_FILL
            c.alignment = Alignment(wrap_text=True)
        ws.cell(row + 2, 1, MARK + t.id)
        for j, k in enumerate(keys, start=2):
            ws.cell(row + 2, j, k)
        ws.row_dimensions[row + 2].hidden = True
        first = row + 3
        rows = list(self.rows(t))
        spare = 0 if t.form == "fields" else SPARE_ROWS[bool(t.parents)] if not rows else 5
        for i, vals in enumerate(rows):
            for j, v in enumerate(vals, start=1):
                if v is not None:
                    c = ws.cell(first + i, j, v)
                    if isinstance(v, str) and v.startswith("="):
                        c.data_type = "s"  # text, never a formula (a name or description starting with "=")
                    if j - 2 < len(keys) and j >= 2 and keys[j - 2] == NOTES:
                        c.font = NOTE_FONT
        last = first + len(rows) + spare - 1
        t_range = (first, max(last, first))
        self.spans[t.id] = t_range
        if t.form in ("rows", "models") and not t.parents:
            j = keys.index("id" if t.form == "rows" else KEY) + 2 if ("id" in keys or t.form == "models") else None
            if j:
                col = get_column_letter(j)
                self.id_ranges[t.id] = f"{_quoted(ws.title)}!${col}${t_range[0]}:${col}${t_range[1]}"
        return max(last, first)

    def rows(self, t: Table):
        """Cell values of each data row (column A first)."""
        lang = self.lang
        if t.form == "fields":
            for c in t.columns:
                v = _get(self.raw, c.key.split("."))
                leaf = c.leaf
                yield [c.key, path_label(c.key.split(".", 1)[-1] if "." in c.key else c.key, lang),
                       _cell(v, leaf, lang, c.name), self.unit(c.name, leaf), self.field_note(c)]
            return
        if t.form in ("rows", "models"):
            for keys_, item in self.items(t.id):
                parents, own = keys_[:-1], keys_[-1]
                vals: list[Any] = [None, *parents]
                if t.form == "models":
                    vals.append(own)
                vals += [_cell(_get(item, c.key.split(".")), c.leaf, lang, c.name) for c in t.columns]
                vals.append(self.row_note(t, item))
                yield vals
            return
        group = key_group(t)
        seen = set()
        for parents, node in self.containers(t):
            if t.form == "series":
                yield from ([None, *parents, y, v, None] for y, v in self.points(node))
            elif isinstance(node, dict):
                for k, v in node.items():
                    seen.add(str(k))
                    n = note(group, k, lang) if group else ""
                    if t.form == "map":
                        yield [None, *parents, k, _cell(v, t.value_leaf, lang), self.map_unit(t, k), n]
                    else:
                        for y, x in self.points(v):
                            yield [None, *parents, k, y, x, self.map_unit(t, k), n]
                            n = ""
        if not t.parents and t.form == "map_series" and group in ("prices", "regions"):
            # the library's items not set by the scenario: an empty row citing the default
            for k in refs_keys(group):
                if k not in seen:
                    yield [None, k, None, None, self.map_unit(t, k), note(group, k, lang)]

    @staticmethod
    def points(node: Any) -> list[tuple[int | None, Any]]:
        if isinstance(node, dict):
            return [(year_key(k), v) for k, v in node.items()]
        return [(None, node)]

    def map_unit(self, t: Table, key: Any) -> str:
        return map_unit(t, key, self.lang)

    def field_note(self, c: Column) -> str:
        """Default, choices and range of a key/value row."""
        info = c.info
        parts = []
        if info is not None and not info.is_required():
            d = info.get_default(call_default_factory=True)
            if d is not None and not hasattr(d, "model_fields") and d != [] and d != {}:
                if isinstance(d, bool) and self.lang == "zh":
                    d = "是" if d else "否"
                d = option_label(c.name, d, self.lang) if c.leaf.options else d
                parts.append(f"{word('default', self.lang)} {d}")
        if c.leaf.options:
            parts.append(" | ".join(str(option_label(c.name, o, self.lang)) for o in c.leaf.options))
        if r := _range(c.leaf, self.lang):
            parts.append(r)
        return "; ".join(parts)

    def row_note(self, t: Table, item: dict) -> str:
        lang = self.lang
        if "template" in item and isinstance(item["template"], str):
            lib = load_library()
            kind = lib.templates.get(item["template"], {}).get("kind", "")
            rows = lib.template_sources
            col = "source_zh" if lang == "zh" else "source"
            cited = [x for x in rows[rows.template == item["template"]][col] if isinstance(x, str) and x.strip()]
            src = f": {'; '.join(dict.fromkeys(cited))}" if cited else ""
            return f"{word('template', lang)} {item['template']} ({kind}){src}; {word('see_library', lang)}"
        if isinstance(item.get("grid_region"), str):
            return note("regions", item["grid_region"], lang)
        return ""

    # data validation ------------------------------------------------------------------------------------
    def validate_table(self, ws: Worksheet, t: Table) -> None:
        first, last = self.spans[t.id]
        keys = keys_of(t)
        for j, k in enumerate(keys, start=2):
            col = get_column_letter(j)
            ref = f"{col}{first}:{col}{last}"
            if t.form == "fields":
                if k == VALUE:
                    for i, c in enumerate(t.columns):
                        self.add_dv(ws, f"{col}{first + i}", c.key.rsplit(".", 1)[-1], c.leaf)
                continue
            if k.startswith(PARENT):
                formula = self.id_ranges.get(k[len(PARENT):])
                if formula:
                    self.dv(ws, ref, DataValidation("list", formula1="=" + formula, allow_blank=True))
            elif k == KEY:
                group = key_group(t)
                src = {"prices": "prices", "regions": "regions", "gases": "gases", "carriers": "carriers"}.get(group)
                if src and t.name != "prices":
                    self.dv(ws, ref, DataValidation("list", formula1="=" + self.list_ranges[src], allow_blank=True))
            elif k == YEAR:
                self.dv(ws, ref, DataValidation("whole", operator="between", formula1="1990", formula2="2100",
                                                allow_blank=True))
            elif k == VALUE:
                if t.value_leaf:
                    self.add_dv(ws, ref, t.name, t.value_leaf)
            elif k not in (NOTES, UNIT, LABEL):
                c = next(c for c in t.columns if c.key == k)
                self.add_dv(ws, ref, c.name, c.leaf)

    def add_dv(self, ws: Worksheet, ref: str, name: str, leaf: Leaf) -> None:
        if leaf.kind != "scalar":
            return
        if name in COLUMN_IDS and COLUMN_IDS[name] in self.id_ranges:
            self.dv(ws, ref, DataValidation("list", formula1="=" + self.id_ranges[COLUMN_IDS[name]], allow_blank=True))
        elif name in COLUMN_LIST and not leaf.options:
            self.dv(ws, ref, DataValidation("list", formula1="=" + self.list_ranges[COLUMN_LIST[name]],
                                            allow_blank=True))
        elif leaf.options or leaf.py == (bool,):
            opts = tuple(option_label(name, o, self.lang) for o in leaf.options) or (
                ("是", "否") if self.lang == "zh" else ("TRUE", "FALSE"))
            text = ",".join(str(o) for o in opts)
            if len(text) < 250:
                self.dv(ws, ref, DataValidation("list", formula1=f'"{text}"', allow_blank=True))
        elif leaf.py in ((int,), (float,)):
            lo = leaf.ge if leaf.ge is not None else leaf.gt
            hi = leaf.le if leaf.le is not None else leaf.lt
            if lo is None and hi is None:
                return
            lo = -1e15 if lo is None else lo
            hi = 1e15 if hi is None else hi
            kind = "whole" if leaf.py == (int,) else "decimal"
            dv = DataValidation(kind, operator="between", formula1=f"{lo:g}" if math.isfinite(lo) else "-1e15",
                                formula2=f"{hi:g}", allow_blank=True, showErrorMessage=True)
            dv.error = f"{lo:g}..{hi:g}"
            self.dv(ws, ref, dv)

    @staticmethod
    def dv(ws: Worksheet, ref: str, dv: DataValidation) -> None:
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)


def refs_keys(group: str) -> list[str]:
    return sorted(refs()[group])


def write_workbook(raw: dict | None, path: str | Path, lang: str = "en",
                   tables: dict[str, Table] | None = None) -> Path:
    """Write the workbook of a raw scenario mapping (None: an empty template) to `path`; `tables`: another
    layout than the scenario model's (tests)."""
    path = Path(path)
    Writer(raw, lang, tables).write(path)
    return path
