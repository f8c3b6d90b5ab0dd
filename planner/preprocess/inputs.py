"""Model inputs: every number the optimisation needs, scaled to model units (GWh, ktCO2e, MCNY) and keyed
by sorted sets, plus the typed measure configs and the few scenario settings the model reads.

Built from the validated scenario, the data library and the BAU drivers; no Pyomo. The model never sees
the raw scenario, the library or the drivers. A variant that only changes prices or costs changes only
these numbers (mutable model parameters), never the set structure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError
from ..schemas.library import Library, load_library
from ..schemas.measure import MeasureBase
from ..schemas.scenario import Scenario
from ..schemas.trajectory import Trajectory, interpolate
from ..units import (
    CNY_PER_MWH_TO_MCNY_PER_GWH,
    CNY_PER_T_TO_MCNY_PER_KT,
    CNY_TO_MCNY,
    MWH_TO_GWH,
    T_PER_MWH_TO_KT_PER_GWH,
    T_TO_KT,
)
from .baseline import Drivers, drivers
from .hourly import HourlyInputs, representative_days
from .markets import CbamInputs, market_inputs
from .timeindex import TimeIndex


@dataclass
class ModelInputs:
    """Scaled parameters. Units: energy GWh, emissions ktCO2e, money MCNY (real, base-year CNY).

    Names: `bau_` = business-as-usual quantity; keys are tuples of sorted set members and years."""

    name: str  # scenario name (model name, messages)
    time: TimeIndex
    sites: list[str]
    site_share: dict[str, float]  # consolidation share w_s
    site_fuels: dict[str, list[str]]  # site -> fuel/heat carriers with BAU use
    carrier_scope: dict[str, int]  # 1 = combusted on site, 2 = purchased heat
    bau_elec_gwh: dict[tuple[str, int], float]  # BAU electricity demand
    bau_heat_gwh: dict[tuple[str, str, int], float]  # BAU useful heat by (site, carrier)
    heat_efficiency: dict[tuple[str, str], float]  # useful heat per unit of fuel of the existing equipment
    # library factors per carrier; read them through fuel_factor(s, c) etc., which apply a site's own factors
    fuel_factor_kt_per_gwh: dict[str, float]  # fossil CO2 + non-CO2 (GWP-weighted) per GWh of fuel
    fuel_co2_kt_per_gwh: dict[str, float]  # fossil CO2 only (capturable)
    bau_process_kt: dict[tuple[str, str, str, int], float]  # (site, process|fugitive, gas, year)
    grid_location_kt_per_gwh: dict[tuple[str, int], float]
    grid_market_kt_per_gwh: dict[tuple[str, int], float]  # for unclaimed grid power (residual mix)
    price_elec_mcny_per_gwh: dict[tuple[str, int], float]
    price_fuel_mcny_per_gwh: dict[tuple[str, int], float]  # (carrier, year) per GWh of fuel
    price_export_mcny_per_gwh: dict[int, float]
    price_ets_mcny_per_kt: dict[int, float]
    price_internal_carbon_mcny_per_kt: dict[int, float]
    free_allocation_share: dict[int, float]
    bau_scope3_kt: dict[tuple[int, int], float]  # (category, year), consolidated
    bau_scope1_kt: dict[tuple[str, int], float]  # at 100% of the site (basis of free allocation)
    capex_budget_mcny: dict[int, float] | None
    export_limit_share: dict[str, float]
    ets_sites: list[str]
    ets_sell_surplus: bool
    internal_carbon_scope2: Literal["market", "location", "none"]
    internal_carbon_scope3: bool
    max_adoptions_per_year: int | None
    measures: list[MeasureBase]  # enabled measures, sorted by id
    prices_cny: dict[str, dict[int, float]] = field(default_factory=dict)  # library price items, scenario > library
    capex_indices: dict[str, dict[int, float]] = field(default_factory=dict)  # multipliers of unit capex
    hourly: HourlyInputs | None = None  # representative days (docs/model.md §15); None in the annual model
    fuel_biogenic_kt_per_gwh: dict[str, float] = field(default_factory=dict)  # biogenic CO2, outside the scopes
    # a site's own factors (sites[].emission_factors): (site, carrier) -> (scope factor, fossil CO2, biogenic CO2)
    site_fuel_kt_per_gwh: dict[tuple[str, str], tuple[float, float, float]] = field(default_factory=dict)
    site_output: dict[tuple[str, int], float] = field(default_factory=dict)  # (site, year): `output` in its unit
    # products and routes (docs/model.md §6.11)
    site_products: list[tuple[str, str]] = field(default_factory=list)  # (site, product) made by routes
    # every product of every site, base year and model years: made for sale, kt/yr
    product_output_kt: dict[tuple[str, str, int], float] = field(default_factory=dict)
    bau_route_kt: dict[tuple[str, int], float] = field(default_factory=dict)  # (route id, year): BAU production
    base_route_kt: dict[str, float] = field(default_factory=dict)  # route id: production in the base year
    gwp: dict[str, float] = field(default_factory=dict)  # gas -> GWP100 of the scenario's set
    # carbon markets (docs/model.md §10.1-10.2; preprocess/markets.py)
    ets_allocation: Literal["grandfathering", "benchmark"] = "grandfathering"
    ets_benchmark: dict[tuple[str, int], float] = field(default_factory=dict)  # (product, year): t/t x adjustment
    cbam: CbamInputs | None = None  # the CBAM's fixed numbers; None without CBAM products
    cbam_export_share: dict[tuple[str, int], float] = field(default_factory=dict)  # (product, year)
    price_cbam_mcny_per_kt: dict[int, float] = field(default_factory=dict)  # EU ETS price x EUR/CNY
    carrier_mwh_per_unit: dict[str, float] = field(default_factory=dict)  # energy per library unit of a carrier

    def fuel_factor(self, site: str, carrier: str) -> float:
        """Scope emissions per GWh of the carrier's fuel at the site, ktCO2e: fossil CO2 + CH4 and N2O."""
        own = self.site_fuel_kt_per_gwh.get((site, carrier))
        return self.fuel_factor_kt_per_gwh[carrier] if own is None else own[0]

    def fuel_co2(self, site: str, carrier: str) -> float:
        """Fossil CO2 per GWh of the carrier's fuel at the site (capturable), ktCO2."""
        own = self.site_fuel_kt_per_gwh.get((site, carrier))
        return self.fuel_co2_kt_per_gwh[carrier] if own is None else own[1]

    def fuel_biogenic(self, site: str, carrier: str) -> float:
        """Biogenic CO2 per GWh of the carrier's fuel at the site, ktCO2 (reported apart from the scopes)."""
        own = self.site_fuel_kt_per_gwh.get((site, carrier))
        return self.fuel_biogenic_kt_per_gwh.get(carrier, 0.0) if own is None else own[2]

    @property
    def years(self) -> list[int]:
        return self.time.years

    @property
    def discount(self) -> dict[int, float]:
        return self.time.discount

    @property
    def scope3_categories(self) -> list[int]:
        return sorted({c for c, _y in self.bau_scope3_kt})

    def price(self, item: str, override: Trajectory | None = None) -> dict[int, float]:
        """Price trajectory in CNY per the library unit: a measure's override > scenario > library."""
        return interpolate(override, self.years) if override is not None else self.prices_cny[item]

    def elec_load_gwh(self, site: str, ts) -> float:
        """BAU electricity demand in a slice (an annual rate): Eb_{s,y} x the load shape (annual: Eb_{s,y})."""
        y = self.time.period_of(ts)
        if self.hourly is None:
            return self.bau_elec_gwh[site, y]
        sl = self.time.slice(ts)
        return self.bau_elec_gwh[site, y] * self.hourly.load_shape[site, sl.day, sl.hour]

    def shape(self, kind: str, site: str, ts) -> float:
        """Weighted-mean-1 shape of a profile (load, pv, wind, heat, grid_factor) in a slice; 1 in the annual
        model."""
        if self.hourly is None:
            return 1.0
        sl = self.time.slice(ts)
        if kind in ("heat", "grid_factor"):  # flat unless the site has a heat or grid-factor profile
            table = self.hourly.heat_shape if kind == "heat" else self.hourly.factor_shape
            return table.get((site, sl.day, sl.hour), 1.0)
        return getattr(self.hourly, f"{kind}_shape")[site, sl.day, sl.hour]

    def factor_shape(self, site: str, ts, market: bool = False) -> float:
        """Hourly grid-factor shape of a slice (docs/model.md §15.6), 1 without one; the market-based (residual)
        factor follows it only with hourly matching."""
        if self.hourly is None or (market and not self.hourly.hourly_matching):
            return 1.0
        return self.shape("grid_factor", site, ts)

    def heat_shaped(self, site: str) -> bool:
        """True when the site's useful heat follows a profile (hourly mode with `heat` set)."""
        return self.hourly is not None and any(k[0] == site for k in self.hourly.heat_shape)

    def heat_gwh(self, site: str, carrier: str, ts) -> float:
        """BAU useful heat of a (site, fuel) in a slice, GWh/yr rate: the year's figure x the heat shape."""
        return self.bau_heat_gwh.get((site, carrier, self.time.period_of(ts)), 0.0) * self.shape("heat", site, ts)

    def elec_price(self, site: str, ts, year: int | None = None) -> float:
        """Electricity price in a slice, MCNY/GWh, paid in `year` (default the slice's own year; another year
        when the slice stands in for an interpolated year). Hourly: the tariff's time-of-use price x the
        site's price trajectory relative to the first model year."""
        y = self.time.period_of(ts) if year is None else year
        if self.hourly is None:
            return self.price_elec_mcny_per_gwh[site, y]
        sl = self.time.slice(ts)
        index = self.price_elec_mcny_per_gwh[site, y] / self.price_elec_mcny_per_gwh[site, self.years[0]]
        return self.hourly.tou_cny_per_mwh[site, sl.day, sl.hour] * CNY_PER_MWH_TO_MCNY_PER_GWH * index

    def export_price(self, site: str, ts, year: int | None = None) -> float | None:
        """Hourly mode with a tariff export price: that price in the slice x the scenario's export price
        trajectory relative to the first model year, MCNY/GWh, paid in `year` (default the slice's own year);
        otherwise None (the annual export price)."""
        if self.hourly is None:
            return None
        sl = self.time.slice(ts)
        x = self.hourly.export_cny_per_mwh.get((site, sl.day, sl.hour))
        if x is None:
            return None
        y = self.time.period_of(ts) if year is None else year
        base = self.price_export_mcny_per_gwh[self.years[0]]
        index = self.price_export_mcny_per_gwh[y] / base if base > 0 else 1.0
        return x * CNY_PER_MWH_TO_MCNY_PER_GWH * index

    def fuel_rise(self, site: str, carrier: str) -> float:
        """Largest relative rise of a site's BAU demand for a carrier that its measures can cause."""
        return sum(m.carrier_rise(carrier) for m in self.measures_at(site))

    def measures_at(self, site: str | None) -> list[MeasureBase]:
        """The enabled measures of a site (None: company measures), in their order; grouped once per measures
        list, so that asking for every site costs one pass, not one pass per site."""
        memo = self.__dict__.get("_measures_by_site")
        if memo is None or memo[0] is not self.measures:
            by_site: dict[str | None, list[MeasureBase]] = {}
            for m in self.measures:
                by_site.setdefault(m.site, []).append(m)
            memo = self.__dict__["_measures_by_site"] = (self.measures, by_site)
        return memo[1].get(site, [])


LIMITS = {  # model units; beyond these the MILP's numerics break down (HiGHS can crash)
    "energy": (1e7, "GWh of energy at one site in one year"),
    "emissions": (1e7, "ktCO2e from one source in one year"),
    "price": (1e5, "MCNY per GWh or kt"),
}


def check_magnitudes(inp: ModelInputs) -> None:
    """Reject inputs whose scaled magnitudes no real company reaches (typos such as 1e9 for 1e3)."""
    groups = {
        "energy": [*inp.bau_elec_gwh.values(), *inp.bau_heat_gwh.values()],
        "emissions": [*inp.bau_process_kt.values(), *inp.bau_scope3_kt.values()],
        "price": [*inp.price_elec_mcny_per_gwh.values(), *inp.price_fuel_mcny_per_gwh.values(),
                  *inp.price_ets_mcny_per_kt.values(), *inp.price_export_mcny_per_gwh.values(),
                  *inp.price_internal_carbon_mcny_per_kt.values(), *inp.price_cbam_mcny_per_kt.values(),
                  *(v * CNY_PER_MWH_TO_MCNY_PER_GWH for item in ("gec", "ppa_premium")
                    for v in inp.prices_cny[item].values()),
                  *(v * CNY_PER_T_TO_MCNY_PER_KT for v in inp.prices_cny["ccer"].values())],
    }
    for kind, vals in groups.items():
        limit, what = LIMITS[kind]
        worst = max((abs(v) for v in vals), default=0.0)
        if worst > limit:
            raise InputError(inp.name, kind, f"a value of {worst:.3g} {what} exceeds the plausible "
                             f"limit {limit:g}; check the scenario's {kind} figures and units")


def product_inputs(drv: Drivers, years: list[int], base_year: int) -> dict:
    """The products and routes' BAU production in model units (kt/yr)."""
    pb = drv.products
    if pb is None or not pb.output_t:
        return {}
    keep = {base_year, *years}
    return dict(site_products=pb.site_products(),
                product_output_kt={(s, p, y): v * T_TO_KT for (s, p, y), v in pb.output_t.items() if y in keep},
                bau_route_kt={(r, y): v * T_TO_KT for (r, y), v in pb.route_t.items() if y in years},
                base_route_kt={r: pb.route_t[r, base_year] * T_TO_KT for r in pb.routes})


def build_inputs(sc: Scenario, lib: Library | None = None, drv: Drivers | None = None) -> ModelInputs:
    """Scale and key every parameter for the model."""
    lib = lib or load_library()
    drv = drv or drivers(sc, lib)
    hourly = representative_days(sc) if sc.time.resolution == "representative_days" else None
    if hourly is None:
        time = TimeIndex.annual(sc.base_year, sc.years, sc.discount_rate)
    else:
        time = TimeIndex.representative(sc.base_year, sc.years, sc.discount_rate, hourly.day_weight, hourly.hours,
                                        sc.detail_years())
    years = time.years
    sites = sorted(s.id for s in sc.sites)
    site_fuels = {s.id: sorted(drv.fuels(s.id)) for s in sc.sites}
    bau_elec = {(s, y): drv.elec_mwh[s, y] * MWH_TO_GWH for s in sites for y in years}
    bau_heat, eff = {}, {}
    for s in sites:
        for c in site_fuels[s]:
            eff[s, c] = drv.efficiency[s, c]
            for y in years:
                bau_heat[s, c, y] = drv.fuel_mwh[s, c, y] * eff[s, c] * MWH_TO_GWH
    ef = {c: (drv.fuel_co2[c] + drv.fuel_other[c]) * T_PER_MWH_TO_KT_PER_GWH for c in lib.carriers}
    prices = {item: interpolate(sc.prices.get(item, lib.price(item)), years) for item in lib.prices.index}

    def scaled(item: str, factor: float) -> dict[int, float]:
        return {y: v * factor for y, v in prices[item].items()}

    price_elec = {}
    for s in sc.sites:
        traj = s.electricity_price if s.electricity_price is not None else sc.prices.get(
            "electricity", lib.price("electricity"))
        for y, v in interpolate(traj, years).items():
            price_elec[s.id, y] = v * CNY_PER_MWH_TO_MCNY_PER_GWH
    price_fuel = {(c, y): v for c, car in lib.carriers.items()
                  for y, v in scaled(c, CNY_PER_MWH_TO_MCNY_PER_GWH / car.mwh_per_unit).items()}
    process_t = defaultdict(float)  # (site, year) -> t, summed over kinds and gases
    for (s, _k, _g, y), v in drv.process_t.items():
        process_t[s, y] += v
    bau1 = {}
    for s in sites:
        for y in years:
            fuel = sum(drv.fuel_mwh[s, c, y] * drv.factor(s, c) for c in site_fuels[s] if lib.carriers[c].scope == 1)
            bau1[s, y] = (fuel + process_t[s, y]) * T_TO_KT
    budget = None
    if sc.constraints.capex_budget_cny is not None:
        budget = {y: v * CNY_TO_MCNY for y, v in interpolate(sc.constraints.capex_budget_cny, years).items()}
    icp = sc.internal_carbon_price
    # a capex index multiplies the stated unit capex as written (not relative to its base-year value), so
    # scaling a whole trajectory scales the capex (docs/scenarios.md, "Capex indices")
    indices = {name: interpolate(traj, years, default=1.0) for name, traj in sc.trajectories.capex_index.items()}
    grid_factor = T_PER_MWH_TO_KT_PER_GWH
    inp = ModelInputs(
        name=sc.name, time=time, sites=sites, site_share=dict(drv.site_share), site_fuels=site_fuels,
        carrier_scope={c: car.scope for c, car in lib.carriers.items()},
        bau_elec_gwh=bau_elec, bau_heat_gwh=bau_heat, heat_efficiency=eff, fuel_factor_kt_per_gwh=ef,
        fuel_co2_kt_per_gwh={c: drv.fuel_co2[c] * T_PER_MWH_TO_KT_PER_GWH for c in lib.carriers},
        bau_process_kt={k: v * T_TO_KT for k, v in drv.process_t.items() if k[3] in years},
        grid_location_kt_per_gwh={k: v * grid_factor for k, v in drv.grid_location.items() if k[1] in years},
        grid_market_kt_per_gwh={k: v * grid_factor for k, v in drv.grid_market.items() if k[1] in years},
        price_elec_mcny_per_gwh=price_elec, price_fuel_mcny_per_gwh=price_fuel,
        price_export_mcny_per_gwh=scaled("export_electricity", CNY_PER_MWH_TO_MCNY_PER_GWH),
        price_ets_mcny_per_kt=scaled("ets", CNY_PER_T_TO_MCNY_PER_KT),
        price_internal_carbon_mcny_per_kt={y: v * CNY_PER_T_TO_MCNY_PER_KT
                                           for y, v in interpolate(icp.price_cny_per_t, years).items()},
        free_allocation_share=interpolate(sc.ets.free_allocation_share, years),
        bau_scope3_kt={k: v * T_TO_KT for k, v in drv.scope3.items() if k[1] in years},
        bau_scope1_kt=bau1, capex_budget_mcny=budget,
        export_limit_share={s.id: s.export_limit_share for s in sc.sites},
        ets_sites=sorted(s.id for s in sc.sites if s.ets_covered), ets_sell_surplus=sc.ets.sell_surplus,
        internal_carbon_scope2=icp.scope2, internal_carbon_scope3=icp.scope3,
        max_adoptions_per_year=sc.constraints.max_adoptions_per_year,
        measures=sorted((m for m in sc.measures if m.enabled), key=lambda m: m.id),
        prices_cny=prices, capex_indices=indices, hourly=hourly,
        fuel_biogenic_kt_per_gwh={c: v * T_PER_MWH_TO_KT_PER_GWH for c, v in drv.fuel_biogenic.items()},
        site_fuel_kt_per_gwh={k: ((co2 + other) * grid_factor, co2 * grid_factor, bio * grid_factor)
                              for k, (co2, other, bio) in drv.site_fuel.items()},
        site_output={k: v for k, v in drv.output.items() if k[1] in years},
        **product_inputs(drv, years, sc.base_year),
        gwp={g: lib.gwp_of(g, sc.gwp) for g in lib.gwp.index},
        **market_inputs(sc, lib, years),
        carrier_mwh_per_unit={c: car.mwh_per_unit for c, car in lib.carriers.items()},
    )
    check_magnitudes(inp)
    return inp
