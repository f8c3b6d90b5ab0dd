"""Given representative days (`time.days_file`, docs/model.md §15.7): a CSV of day profiles with their weights,
used as they are (no clustering, no appended peak day).

One row per (day, hour): `day` (any whole numbers, in order of appearance), `hour` (0 .. hours_per_day - 1),
`weight` (days of the year the day stands for, the same on each row of a day; the weights sum to 365), and
`month` (1-12: the tariff's month and the month of the demand charge; required when a site has no `price`
column, i.e. its prices come from its tariff; without a tariff a day without it counts in
every month) and `day_type` (`working` or `rest`: a tariff's `rest_day_hours`). Profile columns are `<kind>`
(every site) or `<kind>:<site>` (one site, over `<kind>`), kind one of load, pv, wind, heat, grid_factor
(shapes: scaled to weighted mean 1 as the clustered days are), price and export_price (CNY/MWh, the hour's
price in the first model year; instead of the tariff's time-of-use prices).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError

SHAPES = ("load", "pv", "wind", "heat", "grid_factor")
PRICES = ("price", "export_price")
DAYS_PER_YEAR = 365.0


@dataclass
class GivenDays:
    """The file's days: weights, months, day types and the columns per (kind, site) as (days, hours) arrays."""

    weight: np.ndarray  # (n,)
    month: np.ndarray | None  # (n,) 1-12, or None when the file has no month column
    rest: np.ndarray  # (n,) bool
    hours: int
    columns: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def column(self, kind: str, site: str) -> np.ndarray | None:
        """The (days, hours) values of `kind` at a site: its own column, else the all-sites column, else None."""
        return self.columns.get((kind, site), self.columns.get((kind, "")))


def read_days(path: str, sites: list[str], hours: int) -> GivenDays:
    """Read and check a days file; every problem is an InputError naming the file and the column."""
    key = "time.days_file"
    try:
        df = pd.read_csv(path)
    except (OSError, ValueError) as e:
        raise InputError(path, key, f"cannot read the days file: {e}") from None
    df.columns = [str(c).strip() for c in df.columns]
    for col in ("day", "hour", "weight"):
        if col not in df.columns:
            raise InputError(path, key, f"missing column {col!r}; expected day, hour, weight and profile columns")
    known = {"day", "hour", "weight", "month", "day_type"}
    cols: dict[tuple[str, str], str] = {}
    for c in df.columns:
        if c in known:
            continue
        kind, _, site = c.partition(":")
        if kind not in SHAPES + PRICES or (site and site not in sites):
            raise InputError(path, f"{key}.{c}", f"unknown column; expected <kind> or <kind>:<site> with kind in "
                             f"{list(SHAPES + PRICES)} and site in {sites}")
        cols[kind, site] = c
    num = [c for c in df.columns if c != "day_type"]
    try:
        vals = df[num].astype(float)
    except ValueError:
        raise InputError(path, key, "expected numbers in every column but day_type") from None
    if not np.isfinite(vals.to_numpy()).all() or (vals.to_numpy() < 0).any():
        raise InputError(path, key, "expected finite non-negative numbers (no blanks)")
    days = list(dict.fromkeys(df["day"].tolist()))
    n = len(days)
    if len(df) != n * hours:
        raise InputError(path, key, f"expected {hours} rows per day (time.hours_per_day), got {len(df)} rows for "
                         f"{n} days")
    df = df.assign(_d=df["day"].map({d: i for i, d in enumerate(days)})).sort_values(["_d", "hour"], kind="stable")
    if list(df["hour"]) != list(range(hours)) * n:
        raise InputError(path, f"{key}.hour", f"expected hours 0..{hours - 1} once for each day")

    def per_day(col: str) -> np.ndarray:
        x = df[col].to_numpy().reshape(n, hours)
        if (x != x[:, :1]).any():
            raise InputError(path, f"{key}.{col}", "expected one value per day (the same on each of its rows)")
        return x[:, 0]

    weight = per_day("weight").astype(float)
    if (weight <= 0).any() or abs(weight.sum() - DAYS_PER_YEAR) > 1e-6:
        raise InputError(path, f"{key}.weight", f"expected positive day weights summing to 365 days, got "
                         f"{weight.sum():g}")
    month = None
    if "month" in df.columns:
        month = per_day("month").astype(int)
        if ((month < 1) | (month > 12)).any() or (month != per_day("month")).any():
            raise InputError(path, f"{key}.month", "expected a whole month 1-12")
    rest = np.zeros(n, dtype=bool)
    if "day_type" in df.columns:
        types = per_day("day_type").astype(str)
        if bad := sorted(set(types) - {"working", "rest"}):
            raise InputError(path, f"{key}.day_type", f"expected working or rest, got {bad}")
        rest = types == "rest"
    out = {k: df[c].to_numpy(dtype=float).reshape(n, hours) for k, c in cols.items()}
    return GivenDays(weight, month, rest, hours, out)
