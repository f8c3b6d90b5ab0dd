"""Read a scenario workbook back into the raw scenario mapping (the keys a YAML file would have), each cell
checked against its field's type: a problem is an InputError naming the sheet and the cell (`sites!D7`)."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

from ...errors import InputError
from ..types import MAX_YEAR, MIN_YEAR
from ..yamlio import MAX_FILE_BYTES, check_tree, parse_yaml, read_bytes
from .common import KEY, LABEL, MARK, NOTES, PARENT, UNIT, VALUE, YEAR, keys_of, map_unit, rel_path
from .shape import Leaf, Table, layout
from .words import FALSE_WORDS, TRUE_WORDS, option_code, sheet_id, unit_of

REFERENCE = ("library", "lists")  # sheets written for reference, not read

MAX_ROWS = 100_000  # rows read per sheet
MAX_WORKBOOK_BYTES = 10 * MAX_FILE_BYTES  # a workbook is zipped XML: ~10x the bytes of the same YAML


def _show(v: Any) -> str:
    s = f'"{v}"' if isinstance(v, str) else repr(v)
    return s if len(s) <= 40 else s[:39] + "…"


class Reader:
    def __init__(self, path: Path, file: str, tables: dict[str, Table] | None = None):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.file = file
        if path.is_file() and path.stat().st_size > MAX_WORKBOOK_BYTES:
            self.fail("", f"workbook is larger than the limit of {MAX_WORKBOOK_BYTES:,} bytes")
        data = path.read_bytes() if path.is_file() else read_bytes(path, file, "scenario workbook")
        try:
            import io

            self.wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError) as exc:
            raise InputError(file, "", f"not a readable .xlsx workbook ({type(exc).__name__}); expected a file "
                             f"written by `planner template` or Excel") from None
        self.tables = tables or layout()
        self.raw: dict = {}
        self.items: dict[str, dict[tuple, dict]] = {}  # table id -> keys -> item (rows/models tables)
        self.paths: dict[tuple, str] = {}  # (table id, keys) -> key path of the item, for error messages
        self.where: dict[str, str] = {}  # key path -> sheet!cell

    def fail(self, ref: str, msg: str):
        raise InputError(self.file, ref, msg)

    # cells ----------------------------------------------------------------------------------------------
    def value(self, v: Any, leaf: Leaf, ref: str, unit: str, name: str = "") -> Any:
        """A cell as the field's type; None for an empty cell."""
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        if isinstance(v, str) and not (leaf.kind == "scalar" and leaf.py == (str,) and not leaf.options):
            v = v.strip()  # text is kept as written; names, numbers and choices without the spaces around
        if leaf.kind == "yaml":
            if not isinstance(v, str):
                return v
            try:
                out = parse_yaml(v, self.file)
                check_tree(out, self.file)
            except InputError as exc:
                self.fail(ref, f"expected a YAML value, {exc.message}")
            return out
        if leaf.kind == "list":
            if isinstance(v, str) and (o := option_code(name, v, leaf.options)) is not None:
                return o
            parts = [p.strip() for p in re.split(r"[,，;；]", v)] if isinstance(v, str) else [v]
            return [self.scalar(p, Leaf("scalar", leaf.py, (), leaf.ge, leaf.le, leaf.gt, leaf.lt), ref, unit)
                    for p in parts if p != ""]
        return self.scalar(v, leaf, ref, unit, name)

    def scalar(self, v: Any, leaf: Leaf, ref: str, unit: str, name: str = "") -> Any:
        py = leaf.py
        if leaf.options:
            o = option_code(name, v, leaf.options)
            if o is None:
                self.fail(ref, f"expected one of {', '.join(str(o) for o in leaf.options)}, got {_show(v)}")
            return o
        if bool in py and len(py) == 1:
            if isinstance(v, bool):
                return v
            s = str(v).strip().lower()
            if s in TRUE_WORDS:
                return True
            if s in FALSE_WORDS:
                return False
            self.fail(ref, f"expected yes or no (TRUE/FALSE, 是/否), got {_show(v)}")
        if py in ((int,), (float,)):
            x = v
            if isinstance(v, str):
                try:
                    x = float(v.replace("_", "")) if re.fullmatch(r"[-+]?[0-9_.]+(?:[eE][-+]?[0-9]+)?", v) else None
                except ValueError:
                    x = None
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                what = "a whole number" if py == (int,) else "a number"
                self.fail(ref, f"expected {what}{' in ' + unit if unit else ''}, got {_show(v)}")
            if py == (int,) and float(x) != int(x):
                self.fail(ref, f"expected a whole number{' in ' + unit if unit else ''}, got {_show(v)}")
            if (leaf.ge is not None and x < leaf.ge) or (leaf.le is not None and x > leaf.le) or \
                    (leaf.gt is not None and x <= leaf.gt) or (leaf.lt is not None and x >= leaf.lt):
                lo = f"{'>' if leaf.gt is not None else '>='} {leaf.gt if leaf.gt is not None else leaf.ge:g}" \
                    if leaf.gt is not None or leaf.ge is not None else ""
                hi = f"{'<' if leaf.lt is not None else '<='} {leaf.lt if leaf.lt is not None else leaf.le:g}" \
                    if leaf.lt is not None or leaf.le is not None else ""
                self.fail(ref, f"expected a number {' and '.join(b for b in (lo, hi) if b)}"
                               f"{' (' + unit + ')' if unit else ''}, got {_show(v)}")
            return int(x) if py == (int,) or isinstance(x, int) else float(x)
        if str in py:
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return v if isinstance(v, str) else str(v)
        if isinstance(v, str) and (int in py or float in py):
            try:
                return int(v) if re.fullmatch(r"-?[0-9]+", v) else float(v)
            except ValueError:
                self.fail(ref, f"expected a number, got {_show(v)}")
        return v

    # tables ---------------------------------------------------------------------------------------------
    def read(self) -> dict:
        found: dict[str, tuple] = {}
        for ws in self.wb.worksheets:
            rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS))
            marks = [i for i, r in enumerate(rows) if r and isinstance(r[0], str) and r[0].startswith(MARK)]
            # the sheet's title and note, then each table's title and header above its key row: anything
            # else before the first key row belongs to no table (a deleted key row would lose it silently)
            sid = sheet_id(ws.title)
            first = marks[0] - 2 if marks else len(rows) if sid is not None and sid not in REFERENCE else 0
            stray = next((i for i, r in enumerate(rows[2:first], start=2) if any(v is not None for v in r)), None)
            if stray is not None:
                self.fail(f"{ws.title}!{stray + 1}:{stray + 1}", "a row outside any table (its hidden key row "
                          "deleted?); expected the tables of `planner template`, each under its header")
            for n, i in enumerate(marks):
                tid = rows[i][0][len(MARK):]
                if tid not in self.tables:
                    self.fail(f"{ws.title}!A{i + 1}", f"unknown table {tid!r} (a workbook of another planner "
                              f"version?); expected one of {sorted(self.tables)}")
                if tid in found:
                    self.fail(f"{ws.title}!A{i + 1}", f"table {tid!r} appears twice")
                end = marks[n + 1] - 2 if n + 1 < len(marks) else len(rows)
                found[tid] = (ws.title, rows[i], i + 1, rows[i + 1:end])
        for tid, t in self.tables.items():
            if tid in found:
                self.table(t, *found[tid])
        return self.raw

    def table(self, t: Table, sheet: str, keyrow: tuple, at: int, rows: list[tuple]) -> None:
        expected = keys_of(t)
        keys = [k for k in keyrow[1:]]
        while keys and keys[-1] is None:
            keys.pop()
        missing = [k for k in expected if k not in keys and k != NOTES]
        extra = [k for k in keys if k is not None and k not in expected]
        if extra:
            self.fail(f"{sheet}!{at}:{at}", f"unknown column key(s) {extra} in table {t.id}; expected {expected}")
        if missing:
            self.fail(f"{sheet}!{at}:{at}", f"the key row of table {t.id} lacks {missing}; expected {expected} "
                      f"(write a fresh template with `planner template`)")
        from openpyxl.utils import get_column_letter

        col = {k: i + 1 for i, k in enumerate(keys) if isinstance(k, str)}
        for r, row in enumerate(rows, start=at + 1):
            row = tuple(row) + (None,) * (len(keys) + 1 - len(row))  # read-only sheets cut trailing empty cells
            cells = {k: (row[i] if i < len(row) else None) for k, i in col.items() if k not in (NOTES, UNIT, LABEL)}
            if t.form == "fields":
                cells = {VALUE: cells.get(VALUE)}
                if isinstance(row[0], str):  # a missing required key is reported at its empty cell
                    self.where.setdefault(row[0], f"{sheet}!{get_column_letter(col[VALUE] + 1)}{r}")
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue

            def ref(k: str, r=r) -> str:
                return f"{sheet}!{get_column_letter(col[k] + 1)}{r}"

            self.row(t, row, cells, ref, f"{sheet}!B{r}")

    def parent(self, t: Table, cells: dict, ref) -> tuple[tuple, dict | None, str]:
        """Keys of the row's parents, the parent item and its key path."""
        if not t.parents:
            return (), None, ""
        keys = []
        for p in t.parents:
            pt = self.tables[p]
            v = self.value(cells.get(PARENT + p), pt.key_leaf or Leaf("scalar", (str,)), ref(PARENT + p), "")
            if v is None:
                self.fail(ref(PARENT + p), "expected the id of the row's " + p.rsplit(".", 1)[-1].rstrip("s"))
            keys.append(v)
        known = self.items.get(t.parents[-1], {})
        item = known.get(tuple(keys))
        if item is None:
            ids = sorted(str(k[-1]) for k in known)
            self.fail(ref(PARENT + t.parents[-1]), f"unknown {t.parents[-1]} id {_show(keys[-1])}; expected one "
                      f"of {ids[:20]}")
        return tuple(keys), item, self.paths[t.parents[-1], tuple(keys)]

    def container(self, t: Table, item: dict | None, default: Any) -> Any:
        node = self.raw if item is None else item
        path = t.id.split(".") if item is None else rel_path(t)
        for p in path[:-1]:
            node = node.setdefault(p, {})
        return node.setdefault(path[-1], default)

    @staticmethod
    def _set(node: dict, dotted: str, v: Any) -> None:
        parts = dotted.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = v

    def row(self, t: Table, row: tuple, cells: dict, ref, first: str) -> None:
        """One data row: a key/value row, an item (list or dict of records) or a value (dict, trajectory)."""
        if t.form == "fields":
            self.field_row(t, row[0], cells, ref, first)
            return
        keys, item, base = self.parent(t, cells, ref)
        where = (base + "." if base else "") + ".".join(t.id.split(".") if item is None else rel_path(t))
        if t.form in ("rows", "models"):
            self.item_row(t, keys, item, where, cells, ref, first)
        else:
            self.value_row(t, item, where, cells, ref)

    def field_row(self, t: Table, key: Any, cells: dict, ref, first: str) -> None:
        col = next((c for c in t.columns if c.key == key), None)
        if col is None:
            self.fail(first.replace("!B", "!A"), f"unknown key {_show(key)} in table {t.id}")
        v = self.value(cells[VALUE], col.leaf, ref(VALUE), unit_of(col.name, "en", col.leaf.unit), col.name)
        if v is not None:
            self._set(self.raw, key, v)
            self.where[key] = ref(VALUE)

    def item_row(self, t: Table, keys: tuple, item: dict | None, where: str, cells: dict, ref, first: str) -> None:
        new: dict = {}
        if t.form == "models":
            own = self.value(cells.get(KEY), t.key_leaf, ref(KEY), "")
            if own is None:
                self.fail(ref(KEY), "expected a key for this row")
            seq = self.container(t, item, {})
            if own in seq:
                self.fail(ref(KEY), f"{_show(own)} appears twice")
            seq[own] = new
            path = f"{where}.{own}"
        else:
            seq = self.container(t, item, [])
            path = f"{where}[{len(seq)}]"
            seq.append(new)
        self.where[path] = first
        for c in t.columns:
            v = self.value(cells.get(c.key), c.leaf, ref(c.key), unit_of(c.name, "en", c.leaf.unit), c.name)
            self.where[f"{path}.{c.key}"] = ref(c.key)  # also when empty: a missing key is named at its cell
            if v is not None:
                self._set(new, c.key, v)
        if t.form == "rows":
            own = new.get("id", len(seq))
        k = (*keys, own)
        if k in self.items.setdefault(t.id, {}):
            self.fail(first, f"id {_show(own)} appears twice in table {t.id}")
        self.items[t.id][k] = new
        self.paths[t.id, k] = path

    def value_row(self, t: Table, item: dict | None, where: str, cells: dict, ref) -> None:
        key = self.value(cells.get(KEY), t.key_leaf, ref(KEY), "") if t.form != "series" else None
        val = self.value(cells.get(VALUE), t.value_leaf, ref(VALUE), map_unit(t, key, "en"))
        if val is None:
            return  # a key (or year) without a value: not set (e.g. the template's rows citing defaults)
        if t.form == "series":
            self.point(t, item, None, cells, ref, where, val)
            return
        if key is None:
            self.fail(ref(KEY), "expected a name for this value")
        if t.form == "map":
            d = self.container(t, item, {})
            if key in d:
                self.fail(ref(KEY), f"{_show(key)} appears twice for the same row")
            d[key] = val
            self.where[f"{where}.{key}"] = ref(VALUE)
            return
        self.point(t, item, key, cells, ref, f"{where}.{key}", val)

    def point(self, t: Table, item: dict | None, key: Any, cells: dict, ref, where: str, val: Any) -> None:
        """One trajectory point (year blank: the constant)."""
        year = self.value(cells.get(YEAR), Leaf("scalar", (int,), (), MIN_YEAR, MAX_YEAR), ref(YEAR), "")
        self.where.setdefault(where, ref(YEAR))  # a problem with the series as a whole (e.g. a year out of range)
        parent_node = self.raw if item is None else item
        path = t.id.split(".") if item is None else rel_path(t)
        node = parent_node
        for p in path[:-1]:
            node = node.setdefault(p, {})
        last = path[-1]
        if key is not None:
            node = node.setdefault(last, {})
            last = key
        old = node.get(last)
        if year is None:
            if old is not None:
                self.fail(ref(VALUE), f"{where}: a constant (year blank) and other rows for the same series; "
                          "expected either one row with the year blank or one row per year")
            node[last] = val
            self.where[where] = ref(VALUE)
            return
        if old is not None and not isinstance(old, dict):
            self.fail(ref(YEAR), f"{where}: a year row after a constant (year blank) for the same series")
        pts = node.setdefault(last, {})
        if year in pts:
            self.fail(ref(YEAR), f"{where}: year {year} appears twice")
        pts[year] = val
        self.where[f"{where}.{year}"] = ref(VALUE)


def read_workbook(path: str | Path, file: str | None = None,
                  tables: dict[str, Table] | None = None) -> tuple[dict, dict[str, str]]:
    """(raw scenario mapping, key path -> sheet!cell) of a workbook; `tables`: another layout (tests)."""
    path = Path(path)
    file = file or str(path)
    r = Reader(path, file, tables)
    raw = r.read()
    check_tree(raw, file)
    return raw, r.where


def cell_of(path: str, where: dict[str, str]) -> str | None:
    """The cell of a key path (or of its nearest enclosing key that has one)."""
    p = path
    while p:
        if p in where:
            return where[p]
        cut = max(p.rfind("."), p.rfind("["))
        if cut <= 0:
            return None
        p = p[:cut]
    return None

