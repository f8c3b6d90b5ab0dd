"""Model inputs: every number the optimisation needs, scaled (GWh, ktCO2e, MCNY) and keyed by sorted sets.

Built from the validated scenario and the BAU drivers; no Pyomo. A variant that only changes prices or
costs changes only these numbers, never the set structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .baseline import Drivers, drivers
from .config.schema import Scenario
from .errors import InputError
from .library import Library, load_library
from .trajectory import interpolate

MWH = 1e-3  # MWh -> GWh
T = 1e-3  # t -> kt
CNY = 1e-6  # CNY -> MCNY


@dataclass
class ModelInputs:
    """Scaled parameters. Units: energy GWh, emissions ktCO2e, money MCNY (real, base-year CNY)."""

    scenario: Scenario
    lib: Library
    drv: Drivers
    years: list[int]  # model years (horizon)
    sites: list[str]
    w: dict[str, float]  # consolidation share per site
    df: dict[int, float]  # discount factor per year
    heat_carriers: dict[str, list[str]]  # site -> fuel/heat carriers with BAU use
    Eb: dict[tuple[str, int], float]  # BAU electricity demand, GWh
    Hb: dict[tuple[str, str, int], float]  # BAU useful heat by carrier, GWh_th
    eta: dict[tuple[str, str], float]
    ef: dict[str, float]  # ktCO2e per GWh fuel (CO2 + non-CO2)
    ef_co2: dict[str, float]  # ktCO2 per GWh fuel
    P: dict[tuple[str, str, str, int], float]  # process/fugitive ktCO2e (site, kind, gas, year)
    gl: dict[tuple[str, int], float]  # kt/GWh location-based
    gm: dict[tuple[str, int], float]  # kt/GWh market-based residual
    p_elec: dict[tuple[str, int], float]  # MCNY/GWh
    p_fuel: dict[tuple[str, int], float]  # (carrier, year) MCNY per GWh of fuel
    p_export: dict[int, float]
    p_ets: dict[int, float]  # MCNY/kt
    free_share: dict[int, float]
    p_icp: dict[int, float]
    p_gec: dict[int, float]  # MCNY/GWh
    p_ppa: dict[int, float]  # MCNY/GWh premium
    p_ccer: dict[int, float]  # MCNY/kt
    S3b: dict[tuple[int, int], float]  # (category, year) kt
    bau_scope1: dict[tuple[str, int], float]  # kt at 100%
    budget: dict[int, float] | None  # MCNY per year
    export_limit: dict[str, float] = field(default_factory=dict)

    def capex_index(self, name: str | None) -> dict[int, float]:
        """Cost index by year (1.0 where the scenario gives none), normalised to the base year."""
        traj = self.scenario.trajectories.capex_index.get(name) if name else None
        vals = interpolate(traj, [self.scenario.base_year, *self.years], default=1.0)
        b = vals[self.scenario.base_year] or 1.0
        return {y: vals[y] / b for y in self.years}

    def price(self, item: str, override=None) -> dict[int, float]:
        """Price trajectory in CNY per the library unit: measure override > scenario > library."""
        traj = override if override is not None else self.scenario.prices.get(item, self.lib.price(item))
        return interpolate(traj, self.years)


LIMITS = {  # model units; beyond these the MILP's numerics break down (HiGHS can crash)
    "energy": (1e7, "GWh of energy at one site in one year"),
    "emissions": (1e7, "ktCO2e from one source in one year"),
    "price": (1e5, "MCNY per GWh or kt"),
}


def check_magnitudes(inp: ModelInputs) -> None:
    """Reject inputs whose scaled magnitudes no real company reaches (typos such as 1e9 for 1e3)."""
    groups = {
        "energy": [*inp.Eb.values(), *inp.Hb.values()],
        "emissions": [*inp.P.values(), *inp.S3b.values()],
        "price": [*inp.p_elec.values(), *inp.p_fuel.values(), *inp.p_ets.values(), *inp.p_export.values(),
                  *inp.p_gec.values(), *inp.p_ppa.values(), *inp.p_ccer.values(), *inp.p_icp.values()],
    }
    for kind, vals in groups.items():
        limit, what = LIMITS[kind]
        worst = max((abs(v) for v in vals), default=0.0)
        if worst > limit:
            raise InputError(inp.scenario.name, kind, f"a value of {worst:.3g} {what} exceeds the plausible "
                             f"limit {limit:g}; check the scenario's {kind} figures and units")


def build_inputs(sc: Scenario, lib: Library | None = None, drv: Drivers | None = None) -> ModelInputs:
    """Scale and key every parameter for the model."""
    lib = lib or load_library()
    drv = drv or drivers(sc, lib)
    years = sc.years
    sites = sorted(s.id for s in sc.sites)
    r = sc.discount_rate
    df = {y: (1 + r) ** -(y - sc.base_year) for y in years}
    heat_carriers = {s.id: sorted(c for c in s.energy if c != "electricity") for s in sc.sites}
    Eb = {(s, y): drv.elec_mwh[s, y] * MWH for s in sites for y in years}
    Hb, eta = {}, {}
    for s in sites:
        for c in heat_carriers[s]:
            eta[s, c] = drv.efficiency[s, c]
            for y in years:
                Hb[s, c, y] = drv.fuel_mwh[s, c, y] * eta[s, c] * MWH
    ef = {c: drv.fuel_co2[c] + drv.fuel_other[c] for c in lib.carriers}
    P = {k: v * T for k, v in drv.process_t.items() if k[3] in years}

    def scaled(item: str, factor: float) -> dict[int, float]:
        traj = sc.prices.get(item, lib.price(item))
        return {y: v * factor for y, v in interpolate(traj, years).items()}

    p_elec = {}
    for s in sc.sites:
        traj = s.electricity_price if s.electricity_price is not None else sc.prices.get(
            "electricity", lib.price("electricity"))
        for y, v in interpolate(traj, years).items():
            p_elec[s.id, y] = v * CNY / MWH
    p_fuel = {}
    for c, car in lib.carriers.items():
        for y, v in scaled(c, CNY / MWH / car.mwh_per_unit).items():
            p_fuel[c, y] = v
    bau1 = {}
    for s in sites:
        for y in years:
            fuel = sum(drv.fuel_mwh[s, c, y] * ef[c] for c in heat_carriers[s] if lib.carriers[c].scope == 1)
            proc = sum(v for (ss, _k, _g, yy), v in drv.process_t.items() if ss == s and yy == y)
            bau1[s, y] = (fuel + proc) * T
    budget = None
    if sc.constraints.capex_budget_cny is not None:
        budget = {y: v * CNY for y, v in interpolate(sc.constraints.capex_budget_cny, years).items()}
    inp = ModelInputs(
        scenario=sc, lib=lib, drv=drv, years=years, sites=sites, w=dict(drv.site_share), df=df,
        heat_carriers=heat_carriers, Eb=Eb, Hb=Hb, eta=eta, ef=ef,
        ef_co2={c: drv.fuel_co2[c] for c in lib.carriers}, P=P,
        gl={k: v for k, v in drv.grid_location.items() if k[1] in years},
        gm={k: v for k, v in drv.grid_market.items() if k[1] in years},
        p_elec=p_elec, p_fuel=p_fuel, p_export=scaled("export_electricity", CNY / MWH),
        p_ets=scaled("ets", CNY / T), free_share=interpolate(sc.ets.free_allocation_share, years),
        p_icp={y: v * CNY / T for y, v in interpolate(sc.internal_carbon_price.price_cny_per_t, years).items()},
        p_gec=scaled("gec", CNY / MWH), p_ppa=scaled("ppa_premium", CNY / MWH), p_ccer=scaled("ccer", CNY / T),
        S3b={k: v * T for k, v in drv.scope3.items() if k[1] in years},
        bau_scope1=bau1, budget=budget,
        export_limit={s.id: s.export_limit_share for s in sc.sites},
    )
    check_magnitudes(inp)
    return inp
