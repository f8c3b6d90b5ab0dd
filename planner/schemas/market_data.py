"""Carbon-market tables of the data library: China ETS allocation (data/ets_benchmarks.csv) and the EU CBAM
(data/cbam.csv: CBAM factor, default-value mark-up, default values, benchmarks, prices). Tidy rows with `source`,
`source_zh` and a `status` on every row (verified, unverified, draft, not_found, ASSUMPTION; docs/sector-data.md)."""

from __future__ import annotations

import pandas as pd

STATUSES = ("verified", "unverified", "draft_verified", "draft_superseded", "not_found", "ASSUMPTION")
ETS_COLUMNS = ("sector", "product", "category", "year", "item", "value", "unit", "status", "source")
CBAM_COLUMNS = ("item", "product", "cn_code", "country", "route", "year", "value", "unit", "status", "source")
CBAM_ITEMS = ("cbam_factor", "default_markup", "default_direct", "default_indirect_shown", "default_total_global",
              "benchmark", "eu_ets_price", "eur_cny")


def _read(table_cls, name: str, columns: tuple[str, ...], zh: dict[str, str], item_col: str,
          items: tuple[str, ...] | None, required: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows of one table (one row per key and year); `value` may be empty only where the status is not_found;
    each `required` item has at least one row."""
    t = table_cls(name, columns)
    zh.update(t.zh)
    rows, seen = [], set()
    keys = [c for c in columns if c not in ("year", "value", "unit", "status", "source")]
    for n, r in t.rows:
        for c in names:  # identifier columns
            t.key(n, r, c)
        item = t.key(n, r, item_col)
        if items is not None and item not in items:
            t.fail(n, item, item_col, f"expected one of {list(items)}")
        status = t.text(r, "status")
        if status not in STATUSES:
            t.fail(n, item, "status", f"expected one of {list(STATUSES)}")
        if not t.text(r, "source"):
            t.fail(n, item, "source", "every row needs its source (or ASSUMPTION)")
        year = t.int_(n, item, r, "year", 1990, 2100)
        key = tuple(t.text(r, c) for c in keys) + (year,)
        if key in seen:
            t.fail(n, item, "year", f"duplicate row for {', '.join(k for k in map(str, key) if k)}")
        seen.add(key)
        if t.text(r, "value") == "" and status == "not_found":
            value = float("nan")
        else:
            value = t.num(n, item, r, "value", 0.0, 1e6)
        rows.append({**{c: t.text(r, c) for c in columns}, "year": year, "value": value,
                     "source_zh": t.text(r, "source_zh")})
    for item in required:
        if not any(r[item_col] == item for r in rows):
            t.fail(len(t.rows) + 1, item, item_col, f"no {item} rows (expected one per year)")
    return pd.DataFrame(rows)


def read_ets_benchmarks(table_cls, zh: dict[str, str]) -> pd.DataFrame:
    """data/ets_benchmarks.csv: sector, product, category, year, item, value, unit, status, source, source_zh."""
    return _read(table_cls, "ets_benchmarks.csv", ETS_COLUMNS, zh, "item", None,
                 names=("sector", "product", "category"))


def read_cbam(table_cls, zh: dict[str, str]) -> pd.DataFrame:
    """data/cbam.csv: item, product, cn_code, country, route, year, value, unit, status, source, source_zh."""
    return _read(table_cls, "cbam.csv", CBAM_COLUMNS, zh, "item", CBAM_ITEMS, required=("cbam_factor",
                                                                                         "default_markup"))


def cbam_series(cbam: pd.DataFrame, item: str) -> dict[int, float]:
    """year -> value of a yearly item of data/cbam.csv (cbam_factor, default_markup, eu_ets_price, eur_cny)."""
    rows = cbam[cbam["item"] == item]
    return {int(y): float(v) for y, v in zip(rows.year, rows.value, strict=True)}


def cbam_default(cbam: pd.DataFrame, cn_code: str, country: str = "CN") -> float | None:
    """The EU default direct value (before mark-up) of a CN code for a country, None when the table has none."""
    rows = cbam[(cbam["item"] == "default_direct") & (cbam.cn_code == cn_code) & (cbam.country == country)]
    return float(rows.value.iloc[0]) if len(rows) else None
