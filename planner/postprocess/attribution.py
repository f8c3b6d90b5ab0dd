"""Attribution of every ledger term to its measure: the emissions it avoids (by scope, consolidated tCO2e)
and the energy cost it changes (nominal CNY, + = more), read in one pass (docs/model.md §11).

Every emission difference between BAU and plan flows through a ledger term, so the abatement rows sum to
BAU minus plan for every year, site and scope; the energy rows price the same quantities.
"""

from __future__ import annotations

import pandas as pd

from ..backend import BuiltModel
from ..backend.reads import LedgerValues
from ..preprocess.baseline import fuel_emission_rows
from ..units import KT_TO_T, MCNY_TO_CNY


def attribute(b: BuiltModel, lv: LedgerValues | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(abatement: year, measure, site, scope, source, tco2e; energy: year, measure, cny)."""
    lv = lv or LedgerValues(b)
    inp, time, m = b.inp, b.inp.time, b.m
    w, val = inp.site_share, lv.value
    gl, gm = inp.grid_location_kt_per_gwh, inp.grid_market_kt_per_gwh
    ab: list[tuple] = []
    en: list[tuple] = []
    prices: dict[tuple, float] = {}

    def elec_price(s, y, ts) -> float:  # read once per (site, year, slice): several measures' terms use it
        if (s, y, ts) not in prices:
            prices[s, y, ts] = val(b.core.elec_price(s, y, ts))
        return prices[s, y, ts]

    def terms(name):
        for key, ts, mid, x in lv.terms(name):
            for y, wt in time.uses(ts):  # its own year and any interpolated year it stands in for (§15.1)
                yield key, y, mid, x * wt, ts

    f = inp.factor_shape  # hourly grid factor of the slice (docs/model.md §15.6), 1 without one
    for s, y, mid, x, ts in terms("elec_load"):  # extra load: more grid power
        ab += [(y, mid, s, "scope2_location", "", -x * w[s] * KT_TO_T * gl[s, y] * f(s, ts)),
               (y, mid, s, "scope2_market", "", -x * w[s] * KT_TO_T * gm[s, y] * f(s, ts, True))]
        en.append((y, mid, x * elec_price(s, y, ts) * w[s]))
    for s, y, mid, x, ts in terms("onsite_supply"):  # on-site power replaces grid power
        ab += [(y, mid, s, "scope2_location", "", x * w[s] * KT_TO_T * gl[s, y] * f(s, ts)),
               (y, mid, s, "scope2_market", "", x * w[s] * KT_TO_T * gm[s, y] * f(s, ts, True))]
        en.append((y, mid, -x * elec_price(s, y, ts) * w[s]))
    for s, y, mid, x, ts in terms("green_claims"):
        ab.append((y, mid, s, "scope2_market", "", x * w[s] * KT_TO_T * gm[s, y] * f(s, ts, True)))
    for name in ("heat_displaced", "fuel_saved"):
        for (s, c), y, mid, x, _ts in terms(name):
            fuel = x / inp.heat_efficiency[s, c] if name == "heat_displaced" else x
            a = fuel * inp.fuel_factor(s, c) * w[s] * KT_TO_T
            ab += [(y, mid, s, scope, "", a) for scope, _src in fuel_emission_rows(c, inp.carrier_scope[c])]
            en.append((y, mid, -fuel * val(m.price_fuel[c, y]) * w[s]))
    for (s, _k, _g), y, mid, x, _ts in terms("process_cut"):
        ab.append((y, mid, s, "scope1", "", x * w[s] * KT_TO_T))
    for s, y, mid, x, _ts in terms("scope1_other"):
        ab.append((y, mid, s, "scope1", "", -x * w[s] * KT_TO_T))
    for c, y, mid, x, _ts in terms("scope3_cut"):
        ab.append((y, mid, "company", "scope3", f"cat{c:02d}", x * KT_TO_T))
    abatement = pd.DataFrame(ab, columns=["year", "measure", "site", "scope", "source", "tco2e"])
    energy = pd.DataFrame(en, columns=["year", "measure", "cny"])
    energy["cny"] *= MCNY_TO_CNY
    return abatement, energy.groupby(["year", "measure"], as_index=False)["cny"].sum()
