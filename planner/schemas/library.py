"""The bundled data library (data/*.csv): GWPs, carriers, grid factors, prices, measure templates.

Every default row has a `source` column; rows marked ASSUMPTION are assumptions, not published figures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError

GWP_SETS = ("AR4", "AR5", "AR6")


def data_dir() -> Path:
    """Folder of the data library: $PLANNER_DATA or the repository's data/."""
    env = os.environ.get("PLANNER_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data"


def _read(name: str) -> pd.DataFrame:
    path = data_dir() / name
    if not path.exists():
        raise InputError(str(path), "", "data library file is missing")
    return pd.read_csv(path)


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


@dataclass(frozen=True)
class Library:
    """Typed view of the data library."""

    gwp: pd.DataFrame  # index gas, columns AR4/AR5/AR6
    carriers: dict[str, Carrier]
    grid: pd.DataFrame  # columns region, year, tco2_per_mwh
    prices: pd.DataFrame  # index item, columns unit, value, year, source
    templates: dict[str, dict]  # template id -> {param: value} (including kind)
    template_sources: pd.DataFrame

    def gwp_of(self, gas: str, gwp_set: str) -> float:
        """GWP100 of a gas in a set (AR4/AR5/AR6)."""
        return float(self.gwp.loc[gas, gwp_set])

    def grid_factor(self, region: str, year: int) -> float:
        """Grid factor for a region: the given year, else the nearest earlier (or first later) year."""
        rows = self.grid[self.grid.region == region].sort_values("year")
        earlier = rows[rows.year <= year]
        row = earlier.iloc[-1] if len(earlier) else rows.iloc[0]
        return float(row.tco2_per_mwh)

    @property
    def regions(self) -> list[str]:
        return sorted(self.grid.region.unique())

    def price(self, item: str) -> float:
        return float(self.prices.loc[item, "value"])


@lru_cache(maxsize=4)
def _load(folder: str) -> Library:
    gwp = _read("gwp.csv").set_index("gas")
    car = _read("carriers.csv")
    carriers = {
        r.carrier: Carrier(r.carrier, r.unit, float(r.mwh_per_unit), float(r.co2_t_per_mwh),
                           float(r.ch4_kg_per_mwh), float(r.n2o_kg_per_mwh), int(r.scope),
                           float(r.default_efficiency))
        for r in car.itertuples()
    }
    grid = _read("grid_factors.csv")
    prices = _read("prices.csv").set_index("item")
    lib = _read("measure_library.csv")
    templates: dict[str, dict] = {}
    for r in lib.itertuples():
        tpl = templates.setdefault(r.template, {"kind": r.kind})
        tpl[r.param] = yaml.safe_load(str(r.value))
    return Library(gwp, carriers, grid, prices, templates, lib)


def load_library() -> Library:
    """Load (and cache) the data library."""
    return _load(str(data_dir()))
