"""Marginal abatement cost curves as tidy frames (results stage).

- Plan MACC: each adopted measure's abatement and net cost in the optimal plan, interactions included.
  Net cost = the measure's own cost terms + the energy cost change its ledger terms cause (priced exactly
  as emissions are attributed), discounted; cost per tCO2e = discounted net cost / discounted abatement.
- Stand-alone MACC: each measure forced alone at its potential (built in its first year at its maximum
  size and operated to maximise abatement, with any prerequisites in place), against BAU (or the
  prerequisites alone): levelised cost = discounted cost change excluding carbon prices / discounted
  abatement; potential = average annual abatement while in service.
Abatement basis: scope 1 + scope 2 market-based + scope 3 (consolidated).
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from . import baseline as bl
from .config.measures import CarbonCredits, GreenCertificates, GreenPPA
from .config.schema import Constraints, InternalCarbonPrice, Scenario
from .inputs import build_inputs
from .library import Library, load_library
from .model import COST_CATEGORIES, BuiltModel, build_model
from .model.measures import AssetModel, SizedAssetModel
from .solve import solve

MARKET_BASIS = ("scope1", "scope2_market", "scope3")
CARBON = ("carbon_ets", "carbon_internal")


def energy_cost_delta(b: BuiltModel) -> pd.DataFrame:
    """Energy cost change (nominal CNY, + = more) each measure's ledger terms cause: year, measure, cny."""
    inp, led = b.inp, b.ledger
    rows = []
    v = pyo.value
    for s, t, mid, e in led.items("elec_load"):
        rows.append((t, mid, v(e) * inp.p_elec[s, t] * inp.w[s]))
    for s, t, mid, e in led.items("onsite_supply"):
        rows.append((t, mid, -v(e) * inp.p_elec[s, t] * inp.w[s]))
    for (s, c), t, mid, e in led.items("heat_displaced"):
        rows.append((t, mid, -v(e) / inp.eta[s, c] * inp.p_fuel[c, t] * inp.w[s]))
    for (s, c), t, mid, e in led.items("fuel_saved"):
        rows.append((t, mid, -v(e) * inp.p_fuel[c, t] * inp.w[s]))
    df = pd.DataFrame(rows, columns=["year", "measure", "cny"])
    df["cny"] *= 1e6
    return df.groupby(["year", "measure"], as_index=False)["cny"].sum()


def plan_macc(b: BuiltModel, abatement: pd.DataFrame, measure_costs: pd.DataFrame) -> pd.DataFrame:
    """One row per adopted measure with positive abatement, sorted by cost per tCO2e."""
    df_ = b.inp.df
    ab = abatement[abatement.scope.isin(MARKET_BASIS)].groupby(["measure", "year"], as_index=False)["tco2e"].sum()
    ab["disc"] = ab.tco2e * ab.year.map(df_)
    en = energy_cost_delta(b)
    en["disc"] = en.cny * en.year.map(df_)
    own = measure_costs.groupby("measure").discounted_cny.sum()
    rows = []
    for mm in b.measures:
        a = ab[ab.measure == mm.id]
        total, disc = float(a.tco2e.sum()), float(a.disc.sum())
        if disc <= 1e-6:
            continue
        cost = float(own.get(mm.id, 0.0)) + float(en.loc[en.measure == mm.id, "disc"].sum())
        years = int((a.tco2e > 1e-6).sum())
        rows.append(dict(measure=mm.id, name=mm.cfg.label, name_zh=mm.cfg.label_zh, family=mm.cfg.family_name,
                         site=mm.cfg.site or "company",
                         abatement_tco2e=total, abatement_tco2e_per_yr=total / max(years, 1),
                         discounted_abatement_tco2e=disc, net_cost_cny=cost, cost_cny_per_tco2e=cost / disc))
    cols = ["measure", "name", "name_zh", "family", "site", "abatement_tco2e", "abatement_tco2e_per_yr",
            "discounted_abatement_tco2e", "net_cost_cny", "cost_cny_per_tco2e"]
    return pd.DataFrame(rows, columns=cols).sort_values("cost_cny_per_tco2e", kind="stable").reset_index(drop=True)


def _forced_run(sc: Scenario, lib: Library, ids: list[str]) -> tuple[float, dict[int, float]]:
    """(discounted cost excluding carbon prices, MCNY; market-basis emissions by year, kt) with the given
    asset measures forced in service from their first year at their potential size."""
    ms = [m.model_copy(update={"enabled": m.id in ids}) for m in sc.measures]
    # a very high internal carbon price (excluded from the reported cost) makes the dispatch of the forced
    # measures maximise abatement: each is operated at its potential, as a MACC assumes
    icp = InternalCarbonPrice(price_cny_per_t=1e5, scope2="market", scope3=True)
    sc2 = sc.model_copy(update={"measures": ms, "targets": [], "constraints": Constraints(),
                                "internal_carbon_price": icp,
                                "solver": sc.solver.model_copy(update={"mip_rel_gap": 0.0})})
    inp = build_inputs(sc2, lib, bl.drivers(sc2, lib))
    b = build_model(inp, [])
    for mm in b.measures:
        if not isinstance(mm, AssetModel) or not mm.build_years:
            continue
        t0 = mm.build_years[0]
        for t in mm.build_years:
            mm.block.build[t].fix(1 if t == t0 else 0)
            if isinstance(mm, SizedAssetModel):
                mm.block.size[t].fix(mm.smax if t == t0 else 0.0)
    info = solve(b, sc2.solver)
    if not info.has_solution:
        return float("nan"), {}
    m = b.m
    cost = sum(inp.df[t] * pyo.value(m.cost[c, t]) for c in COST_CATEGORIES if c not in CARBON for t in inp.years)
    em = {t: sum(inp.w[s] * pyo.value(m.scope1[s, t] + m.scope2_market[s, t]) for s in inp.sites)
          + sum(pyo.value(m.scope3[c, t]) for c in b.core.cats) for t in inp.years}
    return cost, em


def standalone_macc(sc: Scenario, lib: Library | None = None) -> pd.DataFrame:
    """Stand-alone levelised cost (CNY/tCO2e) and potential (tCO2e/yr) of every enabled measure."""
    lib = lib or load_library()
    inp = build_inputs(sc, lib)
    y0 = inp.years[0]
    cache: dict[tuple[str, ...], tuple[float, dict[int, float]]] = {}

    def run(ids: tuple[str, ...]):
        if ids not in cache:
            cache[ids] = _forced_run(sc, lib, list(ids))
        return cache[ids]

    rows = []
    for m in sorted((m for m in sc.measures if m.enabled), key=lambda m: m.id):
        base = dict(measure=m.id, name=m.label, name_zh=m.label_zh, family=m.family_name, site=m.site or "company")
        if isinstance(m, GreenPPA | GreenCertificates):
            sites = [m.site] if m.site else inp.sites
            gm = sum(inp.w[s] * inp.Eb[s, y0] * inp.gm[s, y0] for s in sites)  # kt if all grid power claimed
            mwh = sum(inp.w[s] * inp.Eb[s, y0] for s in sites)
            price = inp.price("ppa_premium" if isinstance(m, GreenPPA) else "gec",
                              m.premium_cny_per_mwh if isinstance(m, GreenPPA) else m.price_cny_per_mwh)[y0]
            if gm > 0:
                rows.append({**base, "potential_tco2e_per_yr": m.max_share * gm * 1e3,
                             "cost_cny_per_tco2e": price * mwh / gm})  # CNY/MWh over t/MWh
            continue
        if isinstance(m, CarbonCredits):
            continue  # offsets are not abatement; shown apart in the trajectory and targets
        pre = tuple(sorted(m.requires))
        c0, e0 = run(pre)
        c1, e1 = run(tuple(sorted({*pre, m.id})))
        if not e0 or not e1:
            continue
        dab = {t: (e0[t] - e1[t]) for t in inp.years}
        disc = sum(inp.df[t] * dab[t] for t in inp.years)
        in_service = [t for t in inp.years if abs(dab[t]) > 1e-9]
        if disc <= 1e-9 or not in_service:
            continue
        rows.append({**base, "potential_tco2e_per_yr": sum(dab[t] for t in in_service) / len(in_service) * 1e3,
                     "cost_cny_per_tco2e": (c1 - c0) / disc * 1e3})  # MCNY/kt -> CNY/t
    cols = ["measure", "name", "name_zh", "family", "site", "potential_tco2e_per_yr", "cost_cny_per_tco2e"]
    return pd.DataFrame(rows, columns=cols).sort_values("cost_cny_per_tco2e", kind="stable").reset_index(drop=True)
