"""Tidy result frames read off a solved model (units in column names: tco2e, cny, mwh).

Abatement is attributed to measures through their tagged ledger terms, so by construction it sums to
BAU minus plan for every year, site and scope (tests check this identity).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from .config.measures import FuelSwitch
from .macc import plan_macc
from .model import COST_CATEGORIES, BuiltModel
from .model.measures import AssetModel, SizedAssetModel
from .targets import coverage_cats, describe

KT, GWH, MCNY = 1e3, 1e3, 1e6  # model units -> t, MWh, CNY
V = pyo.value


def _val(x) -> float:
    return float(V(x)) if not isinstance(x, int | float) else float(x)


def roadmap(b: BuiltModel) -> pd.DataFrame:
    """One row per build (assets) or per year of purchases (contracts)."""
    rows = []
    for mm in b.measures:
        cfg, blk = mm.cfg, mm.block
        base = dict(measure=cfg.id, name=cfg.label, name_zh=cfg.label_zh, kind=cfg.kind, family=cfg.family_name,
                    site=cfg.site or "company")
        if isinstance(mm, AssetModel):
            for t in mm.build_years:
                if _val(blk.build[t]) < 0.5:
                    continue
                size = _val(blk.size[t]) if isinstance(mm, SizedAssetModel) else 1.0
                unit = mm.size_unit if isinstance(mm, SizedAssetModel) else "adoption"
                rows.append({**base, "year": t, "action": "build", "size": size, "unit": unit,
                             "capex_cny": _val(blk.capex[t]) * MCNY, "end_year": t + cfg.lifetime - 1,
                             "share": mm.w})
        elif hasattr(blk, "claim"):
            for t in blk.T:
                vol = sum(_val(blk.claim[s, t]) for s in blk.S) * GWH
                if vol > 1e-6:
                    rows.append({**base, "year": t, "action": "purchase", "size": vol, "unit": "MWh",
                                 "capex_cny": 0.0, "end_year": t, "share": 1.0})
        elif hasattr(blk, "credits"):
            for t in blk.T:
                vol = _val(blk.credits[t]) * KT
                if vol > 1e-6:
                    rows.append({**base, "year": t, "action": "purchase", "size": vol, "unit": "tCO2e",
                                 "capex_cny": 0.0, "end_year": t, "share": 1.0})
    cols = ["measure", "name", "name_zh", "kind", "family", "site", "year", "action", "size", "unit", "capex_cny",
            "end_year", "share"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["year", "site", "measure"], kind="stable").reset_index(drop=True)


def _scope1_source(mm) -> str:
    return f"combustion:{mm.cfg.fuel}" if isinstance(mm.cfg, FuelSwitch) else "ccus_capture"


def plan_emissions(b: BuiltModel) -> pd.DataFrame:
    """Plan emissions by year, site, scope, source (consolidated and at 100%)."""
    m, inp, core, led = b.m, b.inp, b.core, b.ledger
    lib = inp.lib
    rows = []
    for s in inp.sites:
        w = inp.w[s]
        for t in inp.years:
            grid = _val(m.grid[s, t])
            claims = _val(led.total("green_claims", s, t))
            rows.append((t, s, "scope2_location", "electricity", grid * inp.gl[s, t] * KT, w))
            rows.append((t, s, "scope2_market", "electricity", (grid - claims) * inp.gm[s, t] * KT, w))
            for c in core.h1[s] + core.h2[s]:
                e = _val(m.fuel[s, c, t]) * inp.ef[c] * KT
                if lib.carriers[c].scope == 2:
                    rows += [(t, s, "scope2_location", c, e, w), (t, s, "scope2_market", c, e, w)]
                else:
                    rows.append((t, s, "scope1", f"combustion:{c}", e, w))
            for k, g in core.proc[s]:
                cut = _val(led.total("process_cut", (s, k, g), t))
                rows.append((t, s, "scope1", f"{k}:{g}", (inp.P[s, k, g, t] - cut) * KT, w))
    by_id = {mm.id: mm for mm in b.measures}
    for s, t, mid, expr in led.items("scope1_other"):
        rows.append((t, s, "scope1", _scope1_source(by_id[mid]), _val(expr) * KT, inp.w[s]))
    for c in core.cats:
        for t in inp.years:
            rows.append((t, "company", "scope3", f"cat{c:02d}", _val(m.scope3[c, t]) * KT, 1.0))
    df = pd.DataFrame(rows, columns=["year", "site", "scope", "source", "tco2e_site", "share"])
    df["tco2e"] = df.tco2e_site * df.share
    return df.groupby(["year", "site", "scope", "source"], as_index=False).agg(
        tco2e_site=("tco2e_site", "sum"), share=("share", "first"), tco2e=("tco2e", "sum"))


def emissions(b: BuiltModel, bau: pd.DataFrame) -> pd.DataFrame:
    """BAU and plan side by side (consolidated tCO2e) for every horizon year."""
    plan = plan_emissions(b)
    keys = ["year", "site", "scope", "source"]
    bau_h = bau[bau.year.isin(b.inp.years)][keys + ["tco2e"]].rename(columns={"tco2e": "bau_tco2e"})
    df = bau_h.merge(plan[keys + ["tco2e"]].rename(columns={"tco2e": "plan_tco2e"}), on=keys, how="outer")
    df[["bau_tco2e", "plan_tco2e"]] = df[["bau_tco2e", "plan_tco2e"]].fillna(0.0)
    df["share"] = df.site.map(b.inp.w).fillna(1.0)
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def abatement(b: BuiltModel) -> pd.DataFrame:
    """Attributed abatement (BAU - plan), tCO2e consolidated, by year, measure, site and scope."""
    inp, led = b.inp, b.ledger
    lib = inp.lib
    rows = []

    def add(t, mid, s, scope, v, source=""):
        rows.append((t, mid, s, scope, v, source))

    for s, t, mid, e in led.items("elec_load"):
        x = _val(e) * inp.w[s] * KT
        add(t, mid, s, "scope2_location", -x * inp.gl[s, t])
        add(t, mid, s, "scope2_market", -x * inp.gm[s, t])
    for s, t, mid, e in led.items("onsite_supply"):
        y = _val(e) * inp.w[s] * KT
        add(t, mid, s, "scope2_location", y * inp.gl[s, t])
        add(t, mid, s, "scope2_market", y * inp.gm[s, t])
    for s, t, mid, e in led.items("green_claims"):
        add(t, mid, s, "scope2_market", _val(e) * inp.w[s] * KT * inp.gm[s, t])
    for name in ("heat_displaced", "fuel_saved"):
        for (s, c), t, mid, e in led.items(name):
            q = _val(e) * (1 / inp.eta[s, c] if name == "heat_displaced" else 1.0)
            a = q * inp.ef[c] * inp.w[s] * KT
            scopes = ("scope2_location", "scope2_market") if lib.carriers[c].scope == 2 else ("scope1",)
            for sc in scopes:
                add(t, mid, s, sc, a)
    for (s, _k, _g), t, mid, e in led.items("process_cut"):
        add(t, mid, s, "scope1", _val(e) * inp.w[s] * KT)
    for s, t, mid, e in led.items("scope1_other"):
        add(t, mid, s, "scope1", -_val(e) * inp.w[s] * KT)
    for c, t, mid, e in led.items("scope3_cut"):
        add(t, mid, "company", "scope3", _val(e) * KT, f"cat{c:02d}")
    df = pd.DataFrame(rows, columns=["year", "measure", "site", "scope", "tco2e", "source"])
    fam = {mm.id: mm.cfg.family_name for mm in b.measures}
    df = df.groupby(["year", "measure", "site", "scope", "source"], as_index=False)["tco2e"].sum()
    df["family"] = df.measure.map(fam)
    return df[["year", "measure", "family", "site", "scope", "source", "tco2e"]]


def costs(b: BuiltModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(costs by year and category, costs by year, measure and category), nominal and discounted CNY."""
    m, inp = b.m, b.inp
    rows = [(t, c, _val(m.cost[c, t]) * MCNY) for t in inp.years for c in COST_CATEGORIES]
    df = pd.DataFrame(rows, columns=["year", "category", "nominal_cny"])
    df["discounted_cny"] = df.nominal_cny * df.year.map(inp.df)
    mrows = [(t, mid or "", c, _val(e) * MCNY) for c, t, mid, e in b.ledger.items("cost") if mid]
    md = pd.DataFrame(mrows, columns=["year", "measure", "category", "nominal_cny"])
    md = md.groupby(["year", "measure", "category"], as_index=False)["nominal_cny"].sum()
    md["discounted_cny"] = md.nominal_cny * md.year.map(inp.df)
    return df, md


def targets_frame(b: BuiltModel) -> pd.DataFrame:
    """Required vs achieved for every constrained (target, year)."""
    m, inp, core, led = b.m, b.inp, b.core, b.ledger
    sc = inp.scenario
    rows = []
    for r in b.targets:
        t = r.target
        k = r.key
        if t.type == "renewable_share":
            green, use = (_val(x) for x in core.renewable_electricity(led, r.year))
            ach = green / use if use > 0 else 1.0
            rows.append(dict(target=t.id, description=describe(t, sc), type=t.type, year=r.year, unit="share",
                             base=None, required=r.limit, achieved=ach, offsets_used=0.0, net=ach,
                             met=ach >= r.limit - 1e-6))
            continue
        gross = _val(core.total(r.year, t.coverage.scope1, t.coverage.scope2, coverage_cats(t, sc))) * KT
        off = _val(m.offsets[k]) * KT if k in m.KO else 0.0
        net = gross - off
        rows.append(dict(target=t.id, description=describe(t, sc), type=t.type, year=r.year, unit="tCO2e",
                         base=r.base_tco2e, required=r.limit, achieved=gross, offsets_used=off, net=net,
                         met=net <= r.limit + 1e-6 * max(1.0, r.base_tco2e)))
    cov = {t.id: t for t in sc.targets}
    df = pd.DataFrame(rows, columns=["target", "description", "type", "year", "unit", "base", "required",
                                     "achieved", "offsets_used", "net", "met"])
    df["milestone"] = df.year == df.target.map(lambda k: cov[k].year)
    df["scope1"] = df.target.map(lambda k: cov[k].coverage.scope1 and cov[k].type != "renewable_share")
    df["scope2"] = df.target.map(lambda k: cov[k].coverage.scope2 if cov[k].type != "renewable_share" else "none")
    df["scope3"] = df.target.map(lambda k: ",".join(str(c) for c in coverage_cats(cov[k], sc))
                                 if cov[k].type != "renewable_share" else "")
    return df


@dataclass
class Frames:
    roadmap: pd.DataFrame
    emissions: pd.DataFrame
    abatement: pd.DataFrame
    costs: pd.DataFrame
    measure_costs: pd.DataFrame
    targets: pd.DataFrame
    macc: pd.DataFrame


def extract(b: BuiltModel, bau: pd.DataFrame) -> Frames:
    c, mc = costs(b)
    ab = abatement(b)
    return Frames(roadmap(b), emissions(b, bau), ab, c, mc, targets_frame(b), plan_macc(b, ab, mc))
