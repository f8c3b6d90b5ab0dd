"""GHG baseline inventory and business-as-usual (BAU) projection; pure pandas, no Pyomo.

Activity data (per site, base year) x growth index x emission factors (GWP-weighted) give emissions by
year, site, scope and source, at 100% and at the site's consolidation share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from ..schemas.library import Library, load_library
from ..schemas.scenario import SCOPE3_CATEGORIES, Scenario
from ..schemas.trajectory import interpolate
from ..units import KG_TO_T
from .consolidation import entity_shares
from .products import ProductBAU, product_bau

SCOPES = ("scope1", "scope2_location", "scope2_market", "scope3")
SCOPE2_BASES = ("scope2_location", "scope2_market")


def fuel_emission_rows(carrier: str, carrier_scope: int) -> list[tuple[str, str]]:
    """(scope, source) rows of a carrier's emissions: purchased heat (scope 2) counts under both scope-2
    bases with the carrier as source; a fuel burned on site is scope 1, source `combustion:<carrier>`."""
    if carrier_scope == 2:
        return [(scope, carrier) for scope in SCOPE2_BASES]
    return [("scope1", f"combustion:{carrier}")]


def fuel_factor(lib: Library, carrier: str, gwp: str, own=None) -> tuple[float, float]:
    """(fossil CO2, non-CO2 CO2e) in tCO2e per MWh of fuel: the carrier's CO2 less its biogenic share (reported
    apart, `biogenic_factor`); CH4 at the fossil GWP for the fossil share, the non-fossil GWP for the biogenic
    share (CH4 and N2O of biomass stay in scope 1). `own`: a site's own factors (`sites[].emission_factors`)."""
    co2, bio, ch4, n2o = _factors(lib, carrier, own)
    bio_ch4 = bio if co2 else 1.0  # a carrier without CO2 (hydrogen): non-fossil CH4, as before
    ch4_gwp = bio_ch4 * lib.gwp_of("CH4", gwp) + (1 - bio_ch4) * lib.gwp_of("CH4_fossil", gwp)
    other = (ch4 * ch4_gwp + n2o * lib.gwp_of("N2O", gwp)) * KG_TO_T
    return co2 * (1 - bio), other


def biogenic_factor(lib: Library, carrier: str, own=None) -> float:
    """Biogenic CO2, t per MWh of fuel (outside the scopes, GHG Protocol): CO2 factor x biogenic share."""
    co2, bio, _ch4, _n2o = _factors(lib, carrier, own)
    return co2 * bio


def _factors(lib: Library, carrier: str, own) -> tuple[float, float, float, float]:
    """(CO2 t/MWh, biogenic share, CH4 kg/MWh, N2O kg/MWh): the site's own value where given, else the library's."""
    c = lib.carriers[carrier]
    vals = [c.co2_t_per_mwh, c.biogenic_share, c.ch4_kg_per_mwh, c.n2o_kg_per_mwh]
    if own is not None:
        for i, k in enumerate(("co2_t_per_mwh", "biogenic_share", "ch4_kg_per_mwh", "n2o_kg_per_mwh")):
            if getattr(own, k) is not None:
                vals[i] = getattr(own, k)
    return vals[0], vals[1], vals[2], vals[3]


def growth_index(traj, base_year: int, years: list[int]) -> dict[int, float]:
    """Activity index normalised to 1.0 in the base year."""
    vals = interpolate(traj, [base_year, *years], default=1.0)
    b = vals[base_year] or 1.0
    return {y: vals[y] / b for y in [base_year, *years]}


@dataclass(frozen=True)
class GridStandIn:
    """A grid factor the library lacks for some years, taken from another year's row (docs/scenarios.md)."""

    region: str
    basis: str  # "location" (the site's region) or "market" (national residual, unclaimed grid power)
    years: tuple[int, ...]  # the years (base year and horizon) that use another year's factor
    used_year: int  # the library year whose factor stands in (before grid.factor_index)
    tco2_per_mwh: float  # that year's factor
    source: str  # its citation in data/grid_factors.csv

    @property
    def span(self) -> str:
        """'2024' or '2024-2050' (the years are consecutive: all before, or all after, the library's years)."""
        return str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}-{self.years[-1]}"

    def text(self) -> str:
        """One line for a user: which factor stands for which years."""
        return (f"grid factor {self.region} ({self.basis}) {self.span}: data/grid_factors.csv has no row for "
                f"{'this year' if len(self.years) == 1 else 'these years'}; the {self.used_year} factor "
                f"{self.tco2_per_mwh:.4f} tCO2/MWh is used (x grid.factor_index)")


def grid_stand_ins(lib: Library, uses: list[tuple[str, str]], years: list[int]) -> tuple[GridStandIn, ...]:
    """Every (region, basis) of `uses` whose library factor for some of `years` comes from another year,
    grouped by the year that stands in."""
    out = []
    for region, basis in uses:
        by_used: dict[int, list[int]] = {}
        rows = {}
        for y in years:
            v, used, src = lib.grid_factor_row(region, y)
            if used != y:
                by_used.setdefault(used, []).append(y)
                rows[used] = (v, src)
        for used, ys in sorted(by_used.items()):
            out.append(GridStandIn(region, basis, tuple(ys), used, *rows[used]))
    return tuple(out)


@dataclass(frozen=True)
class Drivers:
    """Exogenous inputs by year (base year first, then the horizon): the single source for BAU and model."""

    years: list[int]  # base year + horizon
    site_share: dict[str, float]
    elec_mwh: dict[tuple[str, int], float]  # (site, year)
    fuel_mwh: dict[tuple[str, str, int], float]  # (site, carrier, year): fuel input, heat carrier incl.
    efficiency: dict[tuple[str, str], float]  # (site, carrier): useful heat per MWh fuel
    process_t: dict[tuple[str, str, str, int], float]  # (site, kind process|fugitive, gas, year) tCO2e
    grid_location: dict[tuple[str, int], float]  # tCO2/MWh
    grid_market: dict[tuple[str, int], float]  # tCO2/MWh for unclaimed grid power
    fuel_co2: dict[str, float]  # tCO2 per MWh fuel
    fuel_other: dict[str, float]  # tCO2e non-CO2 per MWh fuel
    scope3: dict[tuple[int, int], float]  # (category, year) tCO2e, consolidated already
    output: dict[tuple[str, int], float]  # site production output
    revenue: dict[int, float]  # MCNY
    grid_stand_ins: tuple[GridStandIn, ...] = ()  # library grid factors taken from another year
    fuel_biogenic: dict[str, float] = field(default_factory=dict)  # biogenic tCO2 per MWh fuel (outside scopes)
    # a site's own factors (sites[].emission_factors): (site, carrier) -> (fossil CO2, non-CO2, biogenic) t/MWh
    site_fuel: dict[tuple[str, str], tuple[float, float, float]] = field(default_factory=dict)
    products: ProductBAU | None = None  # products and the BAU production of their routes (preprocess/products.py)

    def co2(self, site: str, carrier: str) -> float:
        """Fossil tCO2 per MWh of the carrier's fuel at the site (its own factor, else the library's)."""
        own = self.site_fuel.get((site, carrier))
        return self.fuel_co2[carrier] if own is None else own[0]

    def factor(self, site: str, carrier: str) -> float:
        """Scope tCO2e per MWh of fuel at the site: fossil CO2 + CH4 and N2O (GWP-weighted)."""
        own = self.site_fuel.get((site, carrier))
        return self.fuel_co2[carrier] + self.fuel_other[carrier] if own is None else own[0] + own[1]

    def biogenic(self, site: str, carrier: str) -> float:
        """Biogenic tCO2 per MWh of fuel at the site (reported apart from the scopes)."""
        own = self.site_fuel.get((site, carrier))
        return self.fuel_biogenic.get(carrier, 0.0) if own is None else own[2]

    def fuels(self, site: str) -> list[str]:
        """Fuel and heat carriers of a site with a BAU entry (its own energy, then its routes'), in that order."""
        memo = self.__dict__.get("_fuels_by_site")  # grouped in one pass (a frozen dataclass: set through __dict__)
        if memo is None:
            memo = {}
            for s, c in self.efficiency:
                memo.setdefault(s, []).append(c)
            self.__dict__["_fuels_by_site"] = memo
        return list(memo.get(site, ()))


def drivers(sc: Scenario, lib: Library | None = None) -> Drivers:
    """Compute every exogenous driver of the scenario."""
    lib = lib or load_library()
    years = [sc.base_year, *sc.years]
    ent = entity_shares(sc.organisation)
    share = {s.id: ent[s.entity] for s in sc.sites}
    idx = interpolate(sc.grid.factor_index, years, default=1.0)
    grid_factor = cache(lib.grid_factor)  # many sites share a region: look each (region, year) up once
    gwp = cache(lambda gas: lib.gwp_of(gas, sc.gwp))  # a table look-up: once per gas, not per site and year
    elec, fuel, eff, proc, gl, gm, out = {}, {}, {}, {}, {}, {}, {}
    residual = (interpolate(sc.grid.residual_factor, years) if sc.grid.residual_factor is not None else
                {y: grid_factor("national_residual", y) * idx[y] for y in years})
    for s in sc.sites:
        g = growth_index(s.growth, sc.base_year, sc.years)
        if s.grid_region in sc.grid.factors:
            loc = interpolate(sc.grid.factors[s.grid_region], years)
        else:
            loc = {y: grid_factor(s.grid_region, y) * idx[y] for y in years}
        for y in years:
            elec[s.id, y] = s.energy.get("electricity", 0.0) * g[y]
            gl[s.id, y] = loc[y]
            gm[s.id, y] = loc[y] if sc.grid.market_basis == "location" else residual[y]
            if s.output is not None:
                out[s.id, y] = s.output.value * g[y]
            for c, amount in s.energy.items():
                if c != "electricity":
                    fuel[s.id, c, y] = amount * lib.carriers[c].mwh_per_unit * g[y]
            for kind, table in (("process", s.process_emissions), ("fugitive", s.fugitive_emissions)):
                for gas, t in table.items():
                    proc[s.id, kind, gas, y] = t * gwp(gas) * g[y]
        for c in s.energy:
            if c != "electricity":
                eff[s.id, c] = s.heat_efficiency.get(c, lib.carriers[c].default_efficiency)
    pb = product_bau(sc, lib, years)
    for (sid, y), v in pb.elec_mwh.items():  # BAU production of the routes adds to its site's activity
        elec[sid, y] += v
    for (sid, c, y), v in pb.fuel_mwh.items():
        fuel[sid, c, y] = fuel.get((sid, c, y), 0.0) + v
        if (sid, c) not in eff:
            eff[sid, c] = sc.site(sid).heat_efficiency.get(c, lib.carriers[c].default_efficiency)
    for (sid, gas, y), t in pb.process_t.items():
        proc[sid, "route", gas, y] = t * gwp(gas)
    fco2, foth = {}, {}
    for c in lib.carriers:
        fco2[c], foth[c] = fuel_factor(lib, c, sc.gwp)
    fbio = {c: biogenic_factor(lib, c) for c in lib.carriers}
    own = {(s.id, c): (*fuel_factor(lib, c, sc.gwp, f), biogenic_factor(lib, c, f))
           for s in sc.sites for c, f in s.emission_factors.items()}
    s3 = {}
    for cat, spec in sc.scope3.categories.items():
        g = growth_index(spec.growth, sc.base_year, sc.years)
        for y in years:
            s3[cat, y] = spec.tco2e * g[y]
    rev = interpolate(sc.revenue_mcny, years) if sc.revenue_mcny is not None else {}
    uses = sorted({(s.grid_region, "location") for s in sc.sites if s.grid_region not in sc.grid.factors})
    if sc.grid.residual_factor is None and sc.grid.market_basis != "location" and sc.sites:
        uses.append(("national_residual", "market"))
    stand_ins = grid_stand_ins(lib, uses, years)
    return Drivers(years, share, elec, fuel, eff, proc, gl, gm, fco2, foth, s3, out, rev, stand_ins,
                   fuel_biogenic=fbio, site_fuel=own, products=pb)


def bau_emissions(sc: Scenario, drv: Drivers | None = None, lib: Library | None = None) -> pd.DataFrame:
    """BAU emissions: year, site, scope, source, tco2e_site (100%), share, tco2e (consolidated), and the
    biogenic CO2 of each fuel burned on site apart from the scopes: biogenic_co2_t_site, biogenic_co2_t."""
    lib = lib or load_library()
    drv = drv or drivers(sc, lib)
    rows = []
    process_keys: dict[str, list[tuple[str, str]]] = {}  # site -> (kind, gas), in the drivers' order
    for sid, kind, gas, _y in drv.process_t:
        keys = process_keys.setdefault(sid, [])
        if (kind, gas) not in keys:
            keys.append((kind, gas))
    for s in sc.sites:
        w = drv.site_share[s.id]
        for y in drv.years:
            e = drv.elec_mwh[s.id, y]
            rows.append((y, s.id, "scope2_location", "electricity", e * drv.grid_location[s.id, y], 0.0, w))
            rows.append((y, s.id, "scope2_market", "electricity", e * drv.grid_market[s.id, y], 0.0, w))
            for c in drv.fuels(s.id):
                mwh = drv.fuel_mwh[s.id, c, y]
                t, bio = mwh * drv.factor(s.id, c), mwh * drv.biogenic(s.id, c)
                rows += [(y, s.id, scope, src, t, bio if scope == "scope1" else 0.0, w)
                         for scope, src in fuel_emission_rows(c, lib.carriers[c].scope)]
            for kind, gas in process_keys.get(s.id, ()):
                rows.append((y, s.id, "scope1", f"{kind}:{gas}", drv.process_t[s.id, kind, gas, y], 0.0, w))
    for (cat, y), t in drv.scope3.items():
        rows.append((y, "company", "scope3", f"cat{cat:02d}", t, 0.0, 1.0))
    df = pd.DataFrame(rows, columns=["year", "site", "scope", "source", "tco2e_site", "biogenic_co2_t_site", "share"])
    df["tco2e"] = df.tco2e_site * df.share
    df["biogenic_co2_t"] = df.biogenic_co2_t_site * df.share
    return df.sort_values(["year", "site", "scope", "source"], kind="stable").reset_index(drop=True)


def inventory(sc: Scenario, lib: Library | None = None, drv: Drivers | None = None) -> pd.DataFrame:
    """Base-year inventory with activity data: site, scope, source, activity, unit, factor, tCO2e."""
    lib = lib or load_library()
    drv = drv or drivers(sc, lib)
    gwp = cache(lambda gas: lib.gwp_of(gas, sc.gwp))
    y = sc.base_year
    rows = []
    pb = drv.products
    for s in sc.sites:
        w = drv.site_share[s.id]
        energy = dict(s.energy)
        if pb is not None and pb.routes:  # the base-year energy of the routes' BAU production (carrier units)
            if (s.id, y) in pb.elec_mwh:
                energy["electricity"] = energy.get("electricity", 0.0) + pb.elec_mwh[s.id, y]
            for (sid, c, yy), v in pb.fuel_mwh.items():
                if sid == s.id and yy == y:
                    energy[c] = energy.get(c, 0.0) + v / lib.carriers[c].mwh_per_unit
        for c, amount in sorted(energy.items()):
            if c == "electricity":
                for scope, f in (("scope2_location", drv.grid_location), ("scope2_market", drv.grid_market)):
                    rows.append((s.id, scope, "electricity", amount, "MWh", f[s.id, y], amount * f[s.id, y], w))
                continue
            car = lib.carriers[c]
            per_unit = car.mwh_per_unit * drv.factor(s.id, c)
            for scope, src in fuel_emission_rows(c, car.scope):
                rows.append((s.id, scope, src, amount, car.unit, per_unit, amount * per_unit, w))
        route = {gas: t for (sid, gas, yy), t in (pb.process_t.items() if pb is not None else ()) if sid == s.id
                 and yy == y}
        for kind, table in (("process", s.process_emissions), ("fugitive", s.fugitive_emissions), ("route", route)):
            for gas, t in sorted(table.items()):
                g = gwp(gas)
                rows.append((s.id, "scope1", f"{kind}:{gas}", t, f"t {gas}", g, t * g, w))
    for cat, spec in sorted(sc.scope3.categories.items()):
        rows.append(("company", "scope3", f"cat{cat:02d} {SCOPE3_CATEGORIES[cat]}", spec.tco2e, "tCO2e", 1.0,
                     spec.tco2e, 1.0))
    df = pd.DataFrame(rows, columns=["site", "scope", "source", "activity", "unit", "factor_tco2e_per_unit",
                                     "tco2e_site", "share"])
    df["tco2e"] = df.tco2e_site * df.share
    return df


def scope_totals(emissions: pd.DataFrame, value: str = "tco2e") -> pd.DataFrame:
    """Year x scope totals (consolidated) from an emissions frame."""
    return emissions.pivot_table(index="year", columns="scope", values=value, aggfunc="sum", fill_value=0.0)
