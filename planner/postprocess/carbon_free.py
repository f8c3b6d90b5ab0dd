"""24/7 carbon-free share per site and year (representative-day mode, docs/model.md §15.6): the share of the
site's electricity use met hour by hour by on-site generation used on site and by contracted carbon-free
supply (PPAs, certificates) in the hours that supply produces.

carbon-free_{s,ts} = onsite_{s,ts} + min(grid_{s,ts}, Σ_m supply_{m,s,ts}); the share is Σ ω carbon-free over
Σ ω (grid + onsite) of the year's member slices. A contract's supply is its contracted output (hourly
matching) or, with annual matching, its year's claims spread over the year by its `profile`: so the share
says what hourly matching would credit either way. The grid's own carbon-free part is not counted.
"""

from __future__ import annotations

import pandas as pd

from ..backend.builder import BuiltModel
from ..backend.reads import LedgerValues
from ..units import GWH_TO_MWH

COLUMNS = ["year", "site", "consumption_mwh", "onsite_mwh", "matched_mwh", "carbon_free_mwh", "cfe_share"]


def carbon_free(b: BuiltModel, lv: LedgerValues | None = None) -> pd.DataFrame | None:
    """The 24/7 carbon-free share frame, or None in the annual model."""
    inp = b.inp
    if inp.hourly is None:
        return None
    lv = lv or LedgerValues(b)
    v, total, purchase = lv.value, lv.total, lv.indexed(b.m.grid_purchase)
    contracts = [mm for mm in b.measures if hasattr(mm, "supply")]
    rows = []
    for s in inp.sites:
        cache: dict = {}
        for y in inp.years:
            use = onsite = matched = 0.0
            for sl, w in inp.time.members(y):
                ts = sl.key
                if ts not in cache:
                    grid, own = purchase[s, ts], total("onsite_supply", s, ts)
                    supply = sum(mm.supply(v, s, ts) for mm in contracts)
                    cache[ts] = (grid + own, own, min(grid, supply))
                u, o, x = cache[ts]
                use, onsite, matched = use + w * u, onsite + w * o, matched + w * x
            free = onsite + matched
            rows.append((y, s, use * GWH_TO_MWH, onsite * GWH_TO_MWH, matched * GWH_TO_MWH, free * GWH_TO_MWH,
                         free / use if use > 0 else 0.0))
    return pd.DataFrame(rows, columns=COLUMNS)
