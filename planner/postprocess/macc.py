"""Plan MACC as a tidy frame: each adopted measure's abatement and net cost in the optimal plan,
interactions included (the stand-alone MACC, which solves, is a study: planner/studies/standalone_macc.py).

Net cost = the measure's own cost terms + the energy cost change its ledger terms cause (priced exactly as
emissions are attributed), discounted; carbon prices are not in it (no measure books any). Plan cost per
tonne (`plan_cost_cny_per_tco2e`) = discounted net cost / discounted abatement, abatement on the basis
scope 1 + scope 2 market-based + scope 3 (consolidated). measure_economics.csv repeats it under that name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..backend import BuiltModel

MARKET_BASIS = ("scope1", "scope2_market", "scope3")
MACC_COLUMNS = ["measure", "name", "name_zh", "family", "site"]


def plan_macc(b: BuiltModel, abatement: pd.DataFrame, measure_costs: pd.DataFrame,
              energy: pd.DataFrame) -> pd.DataFrame:
    """One row per adopted measure with positive abatement, sorted by cost per tCO2e."""
    discount = b.inp.discount
    ab = abatement[abatement.scope.isin(MARKET_BASIS)].groupby(["measure", "year"], as_index=False)["tco2e"].sum()
    ab["disc"] = ab.tco2e * ab.year.map(discount)
    en = energy.assign(disc=energy.cny * energy.year.map(discount))
    own = measure_costs.groupby("measure").discounted_cny.sum()
    # each measure's rows by position, in frame order (one pass, not one scan of the frame per measure)
    ab_rows, en_rows = ab.groupby("measure", sort=False).indices, en.groupby("measure", sort=False).indices
    ab_t, ab_d, en_d = ab.tco2e.to_numpy(), ab.disc.to_numpy(), en.disc.to_numpy()
    none = np.zeros(0, dtype=int)
    rows = []
    for mm in b.measures:
        i = ab_rows.get(mm.id, none)
        total, disc = float(ab_t[i].sum()), float(ab_d[i].sum())
        if disc <= 1e-6:
            continue
        cost = float(own.get(mm.id, 0.0)) + float(en_d[en_rows.get(mm.id, none)].sum())
        years = int((ab_t[i] > 1e-6).sum())
        rows.append(dict(measure=mm.id, name=mm.cfg.label, name_zh=mm.cfg.label_zh, family=mm.cfg.family_name,
                         site=mm.cfg.site or "company",
                         abatement_tco2e=total, abatement_tco2e_per_yr=total / max(years, 1),
                         discounted_abatement_tco2e=disc, net_cost_cny=cost, plan_cost_cny_per_tco2e=cost / disc))
    cols = MACC_COLUMNS + ["abatement_tco2e", "abatement_tco2e_per_yr", "discounted_abatement_tco2e",
                           "net_cost_cny", "plan_cost_cny_per_tco2e"]
    return pd.DataFrame(rows, columns=cols).sort_values("plan_cost_cny_per_tco2e", kind="stable").reset_index(drop=True)
