"""Hourly profiles of a year (8,760 values): read from a CSV or the bundled typical profiles per grid region.

The typical profiles are computed, not measured (docs/model.md §15 states their source): PV from solar
geometry at the region's reference latitude times a daily clearness index drawn from a fixed seed around the
monthly mean; wind from a seasonal and diurnal shape with fixed-seed noise; load as a two-shift industrial
plant (weekday day shifts high, nights and Sundays lower, a summer cooling rise). They are shapes for a
first plan; a site's own meter data and a PV yield simulation (e.g. PVGIS) belong in CSVs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError

HOURS = 8760
# reference latitude (deg N) of each grid region's main load centre (ASSUMPTION: one city per region)
REGION_LATITUDE = {"North": 39.9, "Northeast": 41.8, "East": 31.2, "Central": 30.6, "Northwest": 34.3,
                   "South": 23.1, "Southwest": 30.7}
# monthly mean daily clearness index (ASSUMPTION: a typical humid-subtropical pattern, sunnier in the north)
CLEARNESS = np.array([0.45, 0.45, 0.45, 0.47, 0.50, 0.45, 0.55, 0.55, 0.52, 0.52, 0.48, 0.46])
MONTH_OF_DAY = np.repeat(np.arange(12), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def read_csv(path: str, what: str) -> np.ndarray:
    """8,760 non-negative numbers, one per line (a header line is skipped)."""
    p = Path(path)
    try:
        lines = [x.split(",")[-1].strip() for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    except OSError as e:
        raise InputError(str(p), what, f"cannot read the profile: {e.strerror}") from None
    try:
        vals = np.array([float(x) for x in lines[1:]] if lines and not _is_number(lines[0]) else
                        [float(x) for x in lines])
    except ValueError:
        raise InputError(str(p), what, "a profile holds one number per line") from None
    if len(vals) != HOURS or not np.all(np.isfinite(vals)) or vals.min() < 0:
        raise InputError(str(p), what, f"expected {HOURS} non-negative numbers, got {len(vals)}")
    return vals


def _is_number(x: str) -> bool:
    try:
        float(x)
    except ValueError:
        return False
    return True


def typical_pv(region: str) -> np.ndarray:
    """PV output per MW (capacity factor) at the region's latitude, hour by hour (hour = local solar time)."""
    lat = np.radians(REGION_LATITUDE.get(region, 32.0))
    day = np.arange(HOURS) // 24
    hour = np.arange(HOURS) % 24 + 0.5
    decl = np.radians(23.45) * np.sin(2 * np.pi * (284 + day + 1) / 365)
    cosz = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(np.radians(15 * (hour - 12)))
    rng = np.random.default_rng(7)
    kt = np.clip(CLEARNESS[MONTH_OF_DAY] + rng.normal(0, 0.15, 365), 0.08, 0.75)[day]
    return np.clip(cosz, 0, None) * kt * 1.25  # 1 kW/m2 panel rating; 1.25: a fixed tilt's gain, derate included


def typical_wind(region: str) -> np.ndarray:
    """Wind output per MW: winter-spring high, night high, fixed-seed weather noise."""
    t = np.arange(HOURS)
    rng = np.random.default_rng(11)
    noise = np.convolve(rng.normal(0, 1, HOURS + 48), np.ones(48) / 48, mode="same")[24:24 + HOURS] * 3
    base = 0.28 + 0.08 * np.cos(2 * np.pi * (t / HOURS - 0.1)) + 0.05 * np.cos(2 * np.pi * (t % 24) / 24)
    return np.clip(base + 0.25 * noise, 0, 1)


def typical_load() -> np.ndarray:
    """Two-shift industrial load shape (mean 1)."""
    day = np.arange(HOURS) // 24
    hour = np.arange(HOURS) % 24
    shift = np.where((hour >= 8) & (hour < 22), 1.25, 0.65)
    sunday = np.where(day % 7 == 6, 0.6, 1.0)
    summer = 1 + 0.12 * np.isin(MONTH_OF_DAY[day], [6, 7, 8]) * ((hour >= 10) & (hour < 18))
    x = shift * sunday * summer
    return x / x.mean()


def typical_heat() -> np.ndarray:
    """Useful-heat demand shape (mean 1): process heat following the two-shift production of `typical_load`
    (70% of the annual heat) plus space heating (30%) that follows a cosine of the season, zero from May to
    September, and is higher at night. Computed, not measured (docs/model.md §15.5)."""
    day = np.arange(HOURS) // 24
    hour = np.arange(HOURS) % 24
    process = typical_load()
    season = np.clip(np.cos(2 * np.pi * (day - 15) / 365), 0, None) * ~np.isin(MONTH_OF_DAY[day], [4, 5, 6, 7, 8])
    space = season * np.where((hour >= 8) & (hour < 18), 0.8, 1.2)
    return 0.7 * process / process.mean() + 0.3 * space / space.mean()


def profile(spec: str, kind: str, region: str, key: str | None = None) -> np.ndarray:
    """The 8,760-hour profile of `kind` (load, pv, wind, heat, grid_factor) for a spec (`typical`, `flat` or a
    CSV path); `key` is the scenario key path named in errors."""
    if spec == "flat":
        return np.ones(HOURS)
    if spec != "typical":
        return read_csv(spec, key or f"time.sites.{kind}")
    if kind == "grid_factor":
        from .grid_hourly import typical_grid_factor

        return typical_grid_factor(region)
    return {"load": typical_load, "pv": lambda: typical_pv(region), "wind": lambda: typical_wind(region),
            "heat": typical_heat}[kind]()
