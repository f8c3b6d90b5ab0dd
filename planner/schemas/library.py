"""The bundled data library (data/*.csv): GWPs, carriers, grid factors, prices, measure templates, SDA pathways
and the carbon-market tables (market_data.py).

Every default row has a `source` column; rows marked ASSUMPTION are assumptions, not published figures. Each file
also has a `source_zh` column, the source in Chinese for the Chinese report: a row has a `source_zh` exactly when it
has a `source` (docs/report.md#chinese-report).
"""

from __future__ import annotations

import bisect
import csv
import io
import math
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from ..errors import InputError
from .measure import MEASURE_KINDS
from .yamlio import check_tree, decode, parse_yaml, read_bytes

GWP_SETS = ("AR4", "AR5", "AR6")


def data_dir() -> Path:
    """Folder of the data library: $PLANNER_DATA or the repository's data/."""
    env = os.environ.get("PLANNER_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Carrier:
    """An energy carrier other than grid electricity; emission factors are per MWh of fuel input."""

    name: str
    unit: str
    mwh_per_unit: float
    co2_t_per_mwh: float
    ch4_kg_per_mwh: float
    n2o_kg_per_mwh: float
    scope: int
    default_efficiency: float
    biogenic_share: float = 0.0  # share of co2_t_per_mwh that is biogenic (reported apart from the scopes)


@dataclass(frozen=True)
class Library:
    """Typed view of the data library."""

    gwp: pd.DataFrame  # index gas, columns AR4/AR5/AR6
    carriers: dict[str, Carrier]
    grid: pd.DataFrame  # columns region, year, tco2_per_mwh
    prices: pd.DataFrame  # index item, columns unit, value, year, source
    templates: dict[str, dict]  # template id -> {param: value} (including kind)
    template_sources: pd.DataFrame
    sources_zh: dict[str, str] = field(default_factory=dict)  # source -> its Chinese text (`source_zh`)
    sda_pathways: pd.DataFrame | None = None  # SBTi SDA sector pathways (sda_pathways.csv)
    grid_hourly: dict[str, float] = field(default_factory=dict)  # inputs of the typical hourly grid factor
    ets_benchmarks: pd.DataFrame | None = None  # China ETS allocation data (ets_benchmarks.csv)
    cbam: pd.DataFrame | None = None  # EU CBAM factor, mark-up, default values, benchmarks (cbam.csv)

    def gwp_of(self, gas: str, gwp_set: str) -> float:
        """GWP100 of a gas in a set (AR4/AR5/AR6)."""
        return float(self.gwp.loc[gas, gwp_set])

    def grid_factor(self, region: str, year: int) -> float:
        """Grid factor for a region: the given year, else the nearest earlier (or first later) year
        (`grid_factor_row` says which year stood in)."""
        return self.grid_factor_row(region, year)[0]

    def grid_factor_row(self, region: str, year: int) -> tuple[float, int, str]:
        """(tCO2/MWh, library year used, source) of a region's factor for `year`: that year's row, else the
        nearest earlier year's, else the first later year's."""
        rows = self._grid_rows[region]
        i = bisect.bisect_right([y for y, _, _ in rows], year)
        used, value, source = rows[i - 1] if i else rows[0]
        return value, used, source

    @cached_property
    def _grid_rows(self) -> dict[str, list[tuple[int, float, str]]]:
        """region -> (year, tCO2/MWh, source) rows sorted by year (looked up per site and year)."""
        out: dict[str, list[tuple[int, float, str]]] = {}
        for r in self.grid.sort_values(["region", "year"], kind="stable").itertuples(index=False):
            out.setdefault(r.region, []).append((int(r.year), float(r.tco2_per_mwh), str(r.source)))
        return out

    @property
    def regions(self) -> list[str]:
        return sorted(self.grid.region.unique())

    def price(self, item: str) -> float:
        return float(self.prices.loc[item, "value"])


REQUIRED_GASES = ("CO2", "CH4", "CH4_fossil", "N2O")  # read by the baseline for fuel combustion
REQUIRED_REGIONS = ("national_residual",)  # default market-based factor
REQUIRED_PRICES = ("electricity", "export_electricity", "ets", "ccer", "gec", "ppa_premium")
MAX_GWP = 1e6  # the largest GWP100 in AR6 is ~25,000 (SF6)
MAX_DATA_ROWS = 100_000
ZH_COLUMN = "source_zh"  # in every file with a source: the source in Chinese


class _Table:
    """One CSV file of the library read into checked rows; errors name the file, the row and the column."""

    def __init__(self, name: str, columns: tuple[str, ...]):
        columns = columns + (ZH_COLUMN,) if "source" in columns else columns
        self.path = data_dir() / name
        self.file = str(self.path)
        data = read_bytes(self.path, self.file, "CSV file of the data library")
        text = decode(data, self.file)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records: list[list[str]] = []
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise InputError(self.file, f"row {len(records) + 1}", f"invalid CSV ({exc}; expected "
                                 f"{len(columns)} fields, an unclosed quote?)") from None
            records.append(rec)
        records = [r for r in records if r]  # blank lines
        if not records:
            raise InputError(self.file, "", f"empty file; expected a header line with {', '.join(columns)}")
        head = [h.strip().lstrip("\ufeff") for h in records[0]]
        missing = [c for c in columns if c not in head]
        if missing:
            raise InputError(self.file, "row 1", f"missing column(s) {', '.join(missing)}; expected the header "
                             f"{','.join(columns)}")
        extra = [h for h in head if h not in columns]
        if extra or len(set(head)) != len(head):
            raise InputError(self.file, "row 1", f"unexpected or repeated column(s) {extra or head}; expected the "
                             f"header {','.join(columns)}")
        if len(records) == 1:
            raise InputError(self.file, "", "no data rows")
        if len(records) > MAX_DATA_ROWS:
            raise InputError(self.file, "", f"more than {MAX_DATA_ROWS:,} rows")
        self.rows: list[tuple[int, dict[str, str]]] = []
        for n, rec in enumerate(records[1:], start=2):
            if len(rec) != len(head):
                raise InputError(self.file, f"row {n}", f"expected {len(head)} fields ({','.join(head)}), got "
                                 f"{len(rec)} (truncated or misquoted line?)")
            self.rows.append((n, dict(zip(head, rec, strict=True))))
        self.zh = self._sources_zh(head)

    def _sources_zh(self, head: list[str]) -> dict[str, str]:
        """source -> source_zh of the rows; a row has one exactly when it has a source, and one source has one
        Chinese text."""
        out: dict[str, str] = {}
        if "source" not in head:
            return out
        for n, r in self.rows:
            en, zh = r["source"].strip(), r[ZH_COLUMN].strip()
            if bool(en) != bool(zh):
                self.fail(n, "", ZH_COLUMN, "expected the Chinese text of the row's source" if en else
                          "a Chinese source text on a row without a source")
            if en and out.setdefault(en, zh) != zh:
                self.fail(n, "", ZH_COLUMN, f"the source {en[:40]!r} has another Chinese text on an earlier row")
        return out

    def fail(self, n: int, label: str, col: str, message: str):
        raise InputError(self.file, f"row {n} ({label}).{col}" if label else f"row {n}.{col}", message)

    def key(self, n: int, row: dict[str, str], col: str, seen: set | None = None) -> str:
        v = row[col].strip()
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}", v):
            self.fail(n, "", col, f"expected a name of letters, digits, _ . - (at most 64), got {v[:40]!r}")
        if seen is not None:
            if v in seen:
                self.fail(n, v, col, f"duplicate {col} {v!r}")
            seen.add(v)
        return v

    def num(self, n: int, label: str, row: dict[str, str], col: str, lo: float, hi: float,
            lo_open: bool = False) -> float:
        v = row[col].strip()
        try:
            x = float(v) if len(v) <= 40 else math.nan
        except ValueError:
            x = math.nan
        ok = math.isfinite(x) and (lo < x if lo_open else lo <= x) and x <= hi
        if not ok:
            self.fail(n, label, col, f"expected a finite number {'>' if lo_open else '>='} {lo:g} and <= {hi:g}, "
                      f"got {v[:40]!r}")
        return x

    def int_(self, n: int, label: str, row: dict[str, str], col: str, lo: int, hi: int) -> int:
        v = row[col].strip()
        if not re.fullmatch(r"-?[0-9]{1,6}", v) or not lo <= int(v) <= hi:
            self.fail(n, label, col, f"expected a whole number {lo}-{hi}, got {v[:40]!r}")
        return int(v)

    def text(self, row: dict[str, str], col: str) -> str:
        return row[col].strip()


def _require(t: _Table, col: str, have: set[str], need: tuple[str, ...], why: str = "") -> None:
    missing = [x for x in need if x not in have]
    if missing:
        raise InputError(t.file, col, f"missing required {col}(s) {', '.join(missing)}{why}")


def _gwp(zh: dict[str, str]) -> pd.DataFrame:
    t = _Table("gwp.csv", ("gas", "AR4", "AR5", "AR6", "source"))
    zh.update(t.zh)
    seen: set[str] = set()
    rows = []
    for n, r in t.rows:
        gas = t.key(n, r, "gas", seen)
        vals = {s: t.num(n, gas, r, s, 0.0, MAX_GWP) for s in GWP_SETS}
        if gas == "CO2" and any(v != 1 for v in vals.values()):
            t.fail(n, gas, "AR5", "the GWP of CO2 is 1 by definition")
        rows.append({"gas": gas, **vals, "source": t.text(r, "source")})
    _require(t, "gas", seen, REQUIRED_GASES)
    return pd.DataFrame(rows).set_index("gas")


def _carriers(zh: dict[str, str]) -> dict[str, Carrier]:
    t = _Table("carriers.csv", ("carrier", "unit", "mwh_per_unit", "co2_t_per_mwh", "ch4_kg_per_mwh",
                                "n2o_kg_per_mwh", "scope", "default_efficiency", "biogenic_share", "source"))
    zh.update(t.zh)
    seen: set[str] = set()
    out = {}
    for n, r in t.rows:
        c = t.key(n, r, "carrier", seen)
        if c == "electricity":
            t.fail(n, c, "carrier", "grid electricity is not a library carrier (its factors are grid_factors.csv)")
        if not t.text(r, "unit"):
            t.fail(n, c, "unit", "expected a unit, e.g. t, Nm3, MWh")
        out[c] = Carrier(c, t.text(r, "unit"), t.num(n, c, r, "mwh_per_unit", 0.0, 1e4, lo_open=True),
                         t.num(n, c, r, "co2_t_per_mwh", 0.0, 2.0), t.num(n, c, r, "ch4_kg_per_mwh", 0.0, 100.0),
                         t.num(n, c, r, "n2o_kg_per_mwh", 0.0, 100.0), t.int_(n, c, r, "scope", 1, 2),
                         t.num(n, c, r, "default_efficiency", 0.0, 1.5, lo_open=True),
                         t.num(n, c, r, "biogenic_share", 0.0, 1.0))
    return out


def _grid(zh: dict[str, str]) -> pd.DataFrame:
    t = _Table("grid_factors.csv", ("region", "year", "tco2_per_mwh", "source"))
    zh.update(t.zh)
    seen: set[tuple[str, int]] = set()
    rows = []
    for n, r in t.rows:
        region = t.key(n, r, "region")
        year = t.int_(n, region, r, "year", 1990, 2100)
        if (region, year) in seen:
            t.fail(n, region, "year", f"duplicate row for {region} {year}")
        seen.add((region, year))
        rows.append({"region": region, "year": year, "tco2_per_mwh": t.num(n, region, r, "tco2_per_mwh", 0.0, 3.0),
                     "source": t.text(r, "source")})
    _require(t, "region", {r for r, _ in seen}, REQUIRED_REGIONS)
    return pd.DataFrame(rows)


def _prices(carriers: dict[str, Carrier], zh: dict[str, str]) -> pd.DataFrame:
    t = _Table("prices.csv", ("item", "unit", "value", "year", "source"))
    zh.update(t.zh)
    seen: set[str] = set()
    rows = []
    for n, r in t.rows:
        item = t.key(n, r, "item", seen)
        rows.append({"item": item, "unit": t.text(r, "unit"), "value": t.num(n, item, r, "value", 0.0, 1e7),
                     "year": t.int_(n, item, r, "year", 1990, 2100), "source": t.text(r, "source")})
    _require(t, "item", seen, REQUIRED_PRICES)
    _require(t, "item", seen, tuple(sorted(carriers)), " (every carrier of carriers.csv needs a price)")
    return pd.DataFrame(rows).set_index("item")


def _templates(zh: dict[str, str]) -> tuple[dict[str, dict], pd.DataFrame]:
    t = _Table("measure_library.csv", ("template", "kind", "param", "value", "unit", "source"))
    zh.update(t.zh)
    templates: dict[str, dict] = {}
    where: dict[tuple[str, str], int] = {}
    for n, r in t.rows:
        tpl = t.key(n, r, "template")
        kind = t.key(n, r, "kind")
        param = t.key(n, r, "param")
        if MEASURE_KINDS and kind not in MEASURE_KINDS:
            t.fail(n, tpl, "kind", f"unknown measure kind {kind!r}; expected one of {sorted(MEASURE_KINDS)}")
        d = templates.setdefault(tpl, {"kind": kind})
        if d["kind"] != kind:
            t.fail(n, tpl, "kind", f"template {tpl!r} has kind {d['kind']!r} on an earlier row, here {kind!r}")
        if param in ("kind", "id", "template") or param in d:
            t.fail(n, tpl, "param", f"duplicate or reserved parameter {param!r}")
        try:
            value = parse_yaml(r["value"], t.file)
            check_tree(value, t.file)
        except InputError as exc:
            t.fail(n, tpl, "value", exc.message)
        d[param] = value
        where[tpl, param] = n
    for tpl, d in templates.items():
        cls = MEASURE_KINDS.get(d["kind"])
        if cls is None:
            continue
        try:
            cls.model_validate({**d, "id": "x"})
        except ValidationError as exc:
            for err in exc.errors():
                if err["type"] == "missing" or not err["loc"]:
                    continue  # the scenario supplies it (e.g. the site)
                param = str(err["loc"][0])
                n = where.get((tpl, param), min(n for (tp, _), n in where.items() if tp == tpl))
                t.fail(n, tpl, "value", f"{param}: {err['msg']}")
    frame = pd.DataFrame([r for _, r in t.rows], columns=list(t.rows[0][1]))
    return templates, frame


GRID_HOURLY_ITEMS = ("solar_share_of_nonfossil", "wind_share_of_nonfossil", "system_load_flat_share",
                     "min_fossil_share")  # shares 0-1 (docs/model.md §15.6)


def _grid_hourly(zh: dict[str, str]) -> dict[str, float]:
    t = _Table("grid_hourly.csv", ("item", "value", "source"))
    zh.update(t.zh)
    seen: set[str] = set()
    out = {}
    for n, r in t.rows:
        item = t.key(n, r, "item", seen)
        out[item] = t.num(n, item, r, "value", 0.0, 1.0)
        if not t.text(r, "source"):
            t.fail(n, item, "source", "expected the source of the value (or ASSUMPTION)")
    _require(t, "item", seen, GRID_HOURLY_ITEMS)
    return out


@lru_cache(maxsize=4)
def _load(folder: str) -> Library:
    zh: dict[str, str] = {}
    gwp = _gwp(zh)
    carriers = _carriers(zh)
    grid = _grid(zh)
    prices = _prices(carriers, zh)
    templates, lib = _templates(zh)
    from .market_data import read_cbam, read_ets_benchmarks  # carbon-market tables (their own module)
    return Library(gwp, carriers, grid, prices, templates, lib, zh, _sda(zh), grid_hourly=_grid_hourly(zh),
                   ets_benchmarks=read_ets_benchmarks(_Table, zh), cbam=read_cbam(_Table, zh))


SDA_SECTORS = ("cement", "iron_and_steel", "aluminium")
SDA_BOUNDARIES = ("scope1", "scope1+scope2_market", "scope1+scope2_location")


SDA_PATHWAYS = ("default", "scrap_0", "scrap_100")  # iron and steel: SBTi's two pathways weighted by scrap share


def _sda(zh: dict[str, str]) -> pd.DataFrame:
    t = _Table("sda_pathways.csv", ("sector", "pathway", "year", "intensity_tco2e_per_t", "activity_index",
                                     "boundary", "status", "source"))
    zh.update(t.zh)
    rows, seen = [], set()
    for n, r in t.rows:
        sector = t.key(n, r, "sector")
        if sector not in SDA_SECTORS:
            t.fail(n, sector, "sector", f"expected one of {list(SDA_SECTORS)}")
        pathway = t.key(n, r, "pathway")
        if pathway not in SDA_PATHWAYS or (pathway != "default" and sector != "iron_and_steel"):
            t.fail(n, sector, "pathway", f"expected one of {list(SDA_PATHWAYS)} (scrap_* for iron_and_steel only)")
        year = t.int_(n, sector, r, "year", 1990, 2100)
        if (sector, pathway, year) in seen:
            t.fail(n, sector, "year", f"duplicate row for {sector} {pathway} {year}")
        seen.add((sector, pathway, year))
        boundary = t.text(r, "boundary")
        if boundary not in SDA_BOUNDARIES:
            t.fail(n, sector, "boundary", f"expected one of {list(SDA_BOUNDARIES)}")
        from .market_data import STATUSES  # noqa: PLC0415 (one list of statuses for the library)
        if t.text(r, "status") not in STATUSES:
            t.fail(n, sector, "status", f"expected one of {list(STATUSES)}")
        rows.append({"sector": sector, "pathway": pathway, "year": year,
                     "intensity_tco2e_per_t": t.num(n, sector, r, "intensity_tco2e_per_t", 0.0, 100.0),
                     "activity_index": t.num(n, sector, r, "activity_index", 0.0, 100.0, lo_open=True),
                     "boundary": boundary, "status": t.text(r, "status"), "source": t.text(r, "source"),
                     "source_zh": t.text(r, ZH_COLUMN)})
    df = pd.DataFrame(rows).sort_values(["sector", "pathway", "year"], kind="stable").reset_index(drop=True)
    for sector, d in df.groupby("sector"):
        kinds = set(d.pathway)
        if kinds not in ({"default"}, {"scrap_0", "scrap_100"}):
            t.fail(len(t.rows) + 1, sector, "pathway", f"expected one default pathway or both scrap_0 and scrap_100, "
                   f"got {sorted(kinds)}")
    return df


def load_sda_pathways() -> pd.DataFrame:
    """SBTi SDA sector pathways (data/sda_pathways.csv: sector, pathway, year, intensity_tco2e_per_t,
    activity_index, boundary, status, source, source_zh); iron and steel has two pathways (0% and 100% scrap)
    that a company's scrap share weights (postprocess/sbti.py)."""
    return load_library().sda_pathways


def load_library() -> Library:
    """Load (and cache) the data library; every file is checked (columns, types, finiteness, ranges,
    duplicates, required rows) and a problem is an InputError naming the file, the row and the column."""
    return _load(str(data_dir()))
