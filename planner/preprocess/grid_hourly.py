"""Hourly grid emission factors (docs/model.md §15.6): the computed `typical` month-by-hour shape of a grid
region's average factor.

Computed, not measured. Inputs: the region's annual average factor F and the fossil-only factor F_f of
data/grid_factors.csv (MEE/NBS), whose ratio gives the region's non-fossil generation share n = 1 - F/F_f;
the split of that share into solar, wind and firm (hydro, nuclear) generation, a system-load shape and a
minimum fossil share (data/grid_hourly.csv, ASSUMPTION rows citing the rounded national statistics); the
region's typical PV and wind profiles (profiles.py). In each hour, non-fossil output
n (a_s pv_h + a_w wind_h + (1 - a_s - a_w)) serves the system load D_h first and fossil units the rest (at
least `min_fossil_share` of D_h); the hour's factor is F_f x fossil_h / D_h. The hours are then averaged by
month and hour of day (a typical month-by-hour shape) and scaled to mean 1: the model multiplies the shape by
the region's annual factor of each year, so only the shape comes from here.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ..errors import InputError
from ..schemas.library import load_library
from .profiles import HOURS, MONTH_OF_DAY, typical_load, typical_pv, typical_wind


def _nonfossil_share(region: str) -> float:
    lib = load_library()
    if region not in lib.regions:
        raise InputError("scenario", "time.sites.grid_factor", f"no grid factor for region {region!r} to shape; "
                         f"have {lib.regions}")
    year = int(lib.grid.loc[lib.grid.region == region, "year"].max())  # the latest factor's mix
    f = lib.grid_factor(region, year)
    ff = lib.grid_factor("fossil_only", year) if "fossil_only" in lib.regions else max(f, 1e-9)
    return float(np.clip(1 - f / ff, 0.0, 1.0))


@cache
def _typical(region: str, n: float, a_s: float, a_w: float, flat: float, min_fossil: float) -> tuple[float, ...]:
    pv, wind = typical_pv(region), typical_wind(region)
    load = flat + (1 - flat) * typical_load()
    clean = n * (a_s * pv / pv.mean() + a_w * wind / wind.mean() + (1 - a_s - a_w))
    fossil = np.maximum(load - clean, min_fossil * load)
    hourly = fossil / load
    day = np.arange(HOURS) // 24
    month, hour = MONTH_OF_DAY[day], np.arange(HOURS) % 24
    table = np.zeros((12, 24))
    for mo in range(12):
        for h in range(24):
            table[mo, h] = hourly[(month == mo) & (hour == h)].mean()
    x = table[month, hour]
    return tuple(x / x.mean())


def typical_grid_factor(region: str) -> np.ndarray:
    """Month-by-hour shape (8,760 values, mean 1) of the region's grid emission factor."""
    p = load_library().grid_hourly
    return np.array(_typical(region, _nonfossil_share(region), p["solar_share_of_nonfossil"],
                             p["wind_share_of_nonfossil"], p["system_load_flat_share"], p["min_fossil_share"]))
