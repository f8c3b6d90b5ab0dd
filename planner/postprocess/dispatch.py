"""Hourly dispatch frame of the representative-day mode (docs/model.md §15): per site, year, representative
day and hour, the load, each source in MW, battery charge and state of charge, price and tariff period, the
hour's grid emission factor.
Sources are read from the measures' blocks by the names their kinds give them (PV/wind `direct`, `export`,
`generation`; storage `charge`, `discharge`, `soc`)."""

from __future__ import annotations

import pandas as pd

from ..backend.builder import BuiltModel
from ..backend.reads import LedgerValues
from ..units import MCNY_TO_CNY

MW_PER_RATE = 1000.0 / 8760.0  # a slice's annual rate (GWh/yr) in MW
MCNY_PER_GWH_TO_CNY_PER_MWH = MCNY_TO_CNY / 1000.0


def dispatch(b: BuiltModel, lv: LedgerValues | None = None) -> pd.DataFrame | None:
    """Tidy dispatch frame, or None in the annual model."""
    inp, m = b.inp, b.m
    hi = inp.hourly
    if hi is None:
        return None
    lv = lv or LedgerValues(b)
    v, purchase = lv.value, lv.indexed(m.grid_purchase)
    rows = []
    by_site: dict[str, list] = {s: [] for s in inp.sites}
    for mm in b.measures:
        if mm.cfg.site in by_site and (hasattr(mm.block, "soc") or hasattr(mm.block, "direct")):
            by_site[mm.cfg.site].append(mm)
    for s in inp.sites:
        for sl in inp.time.slices:
            ts = sl.key
            row = {"site": s, "year": sl.period, "day": sl.day, "hour": sl.hour,
                   "day_weight_days": hi.day_weight[sl.day], "period": hi.tou_period[s, sl.day, sl.hour],
                   "price_cny_per_mwh": v(m.price_elec[s, ts]) * MCNY_PER_GWH_TO_CNY_PER_MWH,
                   "bau_load_mw": inp.elec_load_gwh(s, ts) * MW_PER_RATE,
                   "grid_import_mw": purchase[s, ts] * MW_PER_RATE,
                   "onsite_mw": 0.0, "export_mw": 0.0, "curtailed_mw": 0.0, "battery_charge_mw": 0.0,
                   "battery_discharge_mw": 0.0, "battery_soc_mwh": 0.0,
                   # location-based grid factor of the hour (docs/model.md §15.6), t/MWh
                   "grid_factor_t_per_mwh": inp.grid_location_kt_per_gwh[s, sl.period] * inp.factor_shape(s, ts)}
            for mm in by_site[s]:
                blk = mm.block
                if hasattr(blk, "soc"):
                    row["battery_charge_mw"] += v(blk.charge[ts]) * MW_PER_RATE
                    row["battery_discharge_mw"] += v(blk.discharge[ts]) * MW_PER_RATE
                    row["battery_soc_mwh"] += v(blk.soc[ts])
                else:
                    gen, direct, exp = v(blk.generation[ts]), v(blk.direct[ts]), v(blk.export[ts])
                    row["onsite_mw"] += direct * MW_PER_RATE
                    row["export_mw"] += exp * MW_PER_RATE
                    row["curtailed_mw"] += max(gen - direct - exp, 0.0) * MW_PER_RATE
            rows.append(row)
    return pd.DataFrame(rows)


def reduction(b: BuiltModel) -> list[dict]:
    """Error of the representative-day reduction per site and profile (summary.json)."""
    hi = b.inp.hourly
    if hi is None:
        return []
    return [{k: (round(float(x), 4) if isinstance(x, float) else x) for k, x in r.items()}
            for r in hi.reduction.to_dict("records")]


def connection_upgrades(b: BuiltModel) -> dict[str, dict[int, float]]:
    """Grid connection capacity added per site and build year, MW (summary.json; docs/model.md §15.6)."""
    m = b.m
    if b.inp.hourly is None or not hasattr(m, "connection_built"):
        return {}
    out: dict[str, dict[int, float]] = {}
    for (s, t), var in m.connection_built.items():
        if (x := b.value(var)) > 1e-9:
            out.setdefault(s, {})[int(t)] = x
    return out
