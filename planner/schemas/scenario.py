"""Pydantic schema of a scenario file (extra keys forbidden); the only place raw YAML becomes objects."""

from __future__ import annotations

import importlib
import re
import typing
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, ValidationError, create_model, field_validator, model_validator

from .connection import Connection
from .markets import CBAM, ETS
from .measure import MEASURE_KINDS, MeasureBase
from .trajectory import NonNegTrajectory, trajectory
from .types import MAX_ABS_NUMBER, Id, Share, Strict, Text, Year

MAX_OWNERSHIP_DEPTH = 50  # longest chain of owners/controllers from an entity up to the top
MAX_ENTITIES = 5_000
GridFactor = trajectory(0.0, 3.0, " tCO2/MWh")  # the dirtiest (lignite-only) grids are below 1.5
Price = trajectory(0.0, 1e7, " CNY per unit")
CarbonPrice = trajectory(0.0, 1e5, " CNY/t")
Amount = Annotated[float, Field(ge=0.0, le=1e12)]  # base-year activity or emission amount


SCOPE3_CATEGORIES = {
    1: "Purchased goods and services", 2: "Capital goods", 3: "Fuel- and energy-related activities",
    4: "Upstream transportation and distribution", 5: "Waste generated in operations",
    6: "Business travel", 7: "Employee commuting", 8: "Upstream leased assets",
    9: "Downstream transportation and distribution", 10: "Processing of sold products",
    11: "Use of sold products", 12: "End-of-life treatment of sold products",
    13: "Downstream leased assets", 14: "Franchises", 15: "Investments",
}


class Horizon(Strict):
    start: Year
    end: Year

    @model_validator(mode="after")
    def _order(self):
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Owner(Strict):
    entity: Id
    share: Share


class Entity(Strict):
    """A legal entity; `owners` give equity links, the control fields name who controls it."""

    id: Id
    name: Text | None = None
    owners: list[Owner] = Field(default_factory=list, max_length=100)
    financial_control: Id | None = None  # entity id, "joint" or None
    operational_control: Id | None = None  # entity id or None


class Organisation(Strict):
    approach: Literal["equity_share", "financial_control", "operational_control"] = "operational_control"
    reporting_entity: Id
    entities: list[Entity] = Field(min_length=1, max_length=MAX_ENTITIES)

    @model_validator(mode="after")
    def _acyclic(self):
        cycle = find_cycle(self.entities)
        if cycle:
            raise ValueError(f"ownership/control cycle {' -> '.join(cycle)}")
        depth, chain = longest_chain(self.entities)
        if depth > MAX_OWNERSHIP_DEPTH:
            raise ValueError(f"ownership/control chain of {depth} levels from {chain!r} is longer than the limit "
                             f"of {MAX_OWNERSHIP_DEPTH}")
        return self


def _edges(entities: list[Entity]) -> dict[str, list[str]]:
    edges: dict[str, set[str]] = {e.id: set() for e in entities}
    for e in entities:
        edges[e.id] |= {o.entity for o in e.owners}
        edges[e.id] |= {c for c in (e.financial_control, e.operational_control) if c not in (None, "joint")}
    return {k: sorted(v) for k, v in edges.items()}


def find_cycle(entities: list[Entity]) -> list[str] | None:
    """An ownership/control cycle (list of entity ids) or None. Iterative depth-first search."""
    edges = _edges(entities)
    state: dict[str, int] = {}
    for start in sorted(edges):
        if start in state:
            continue
        state[start] = 1
        path = [start]
        iters = [iter(edges.get(start, ()))]
        while iters:
            y = next(iters[-1], None)
            if y is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(y) == 1:
                return path[path.index(y):] + [y]
            elif y not in state:
                state[y] = 1
                path.append(y)
                iters.append(iter(edges.get(y, ())))
    return None


def longest_chain(entities: list[Entity]) -> tuple[int, str]:
    """Length of the longest owner/controller chain (edges) and the entity it starts from; acyclic input."""
    edges = _edges(entities)
    depth: dict[str, int] = {}
    for start in sorted(edges):
        stack = [start]
        while stack:
            x = stack[-1]
            if x in depth:
                stack.pop()
                continue
            todo = [y for y in edges.get(x, ()) if y not in depth and y in edges]
            if todo:
                stack.extend(todo)
            else:
                depth[x] = max((depth[y] + 1 for y in edges.get(x, ()) if y in depth), default=0)
                stack.pop()
    if not depth:
        return 0, ""
    top = max(sorted(depth), key=lambda k: depth[k])
    return depth[top], top


class Output(Strict):
    value: Amount
    unit: Text = "unit"


class SiteFuelFactor(Strict):
    """A site's own emission factors of a carrier (per MWh of fuel input, as data/carriers.csv), e.g. its measured
    coal quality; each key given overrides the library's value at this site only."""

    co2_t_per_mwh: Annotated[float, Field(ge=0, le=2)] | None = None  # all CO2, biogenic part included
    biogenic_share: Share | None = None  # share of that CO2 that is biogenic (reported apart from the scopes)
    ch4_kg_per_mwh: Annotated[float, Field(ge=0, le=100)] | None = None
    n2o_kg_per_mwh: Annotated[float, Field(ge=0, le=100)] | None = None

    @model_validator(mode="after")
    def _some(self):
        if all(v is None for v in (self.co2_t_per_mwh, self.biogenic_share, self.ch4_kg_per_mwh, self.n2o_kg_per_mwh)):
            raise ValueError("expected at least one of co2_t_per_mwh, biogenic_share, ch4_kg_per_mwh, n2o_kg_per_mwh")
        return self


SECTORS = ("iron_and_steel", "cement", "aluminium", "other")  # sector of a product (its SDA pathway)


class Product(Strict):
    """A product made at a site (docs/scenarios.md, "Products and routes"): base-year output for sale in t/yr,
    its growth index (default: the site's), its sector (the SBTi SDA pathway it follows) and names."""

    output_t: Amount  # t/yr made for sale at the base year (intermediate use by other routes comes on top)
    growth: NonNegTrajectory | None = None  # index of output (1.0 at the base year); default the site's growth
    sector: Literal["iron_and_steel", "cement", "aluminium", "other"] = "other"
    name: Text | None = None
    name_zh: Text | None = None


class Site(Strict):
    """A plant: base-year activity data in each carrier's library unit (electricity in MWh)."""

    id: Id
    name: Text | None = None
    entity: Id
    grid_region: Id
    output: Output | None = None
    growth: NonNegTrajectory | None = None  # index of activity (1.0 at the base year)
    energy: dict[str, Amount] = Field(default_factory=dict)
    heat_efficiency: dict[str, Annotated[float, Field(gt=0, le=1.5)]] = Field(default_factory=dict)
    process_emissions: dict[str, Amount] = Field(default_factory=dict)  # t of gas per year
    fugitive_emissions: dict[str, Amount] = Field(default_factory=dict)  # t of gas per year
    ets_covered: bool = False
    electricity_price: trajectory(0.0, 1e5, " CNY/MWh") | None = None  # overrides prices.electricity
    export_limit_share: Share = 1.0  # share of on-site generation that may be exported
    emission_factors: dict[str, SiteFuelFactor] = Field(default_factory=dict)  # carrier -> the site's own factors
    # products made by `route` measures (their energy is not in `energy`, which is the rest of the site)
    products: dict[Id, Product] = Field(default_factory=dict, max_length=100)


class Scope3Category(Strict):
    tco2e: Amount
    growth: NonNegTrajectory | None = None


class Scope3(Strict):
    categories: dict[int, Scope3Category] = Field(default_factory=dict)

    @field_validator("categories", mode="before")
    @classmethod
    def _digit_keys(cls, v):
        """A category written as digits in a string ("1", as JSON writes every key) is that category."""
        if not isinstance(v, dict):
            return v
        out = {}
        for k, x in v.items():
            c = int(k) if isinstance(k, str) and re.fullmatch(r"[0-9]{1,2}", k) else k
            if c in out:
                raise ValueError(f"expected each category once, got {c} twice")
            out[c] = x
        return out

    @field_validator("categories")
    @classmethod
    def _cats(cls, v):
        bad = [k for k in v if k not in SCOPE3_CATEGORIES]
        if bad:
            raise ValueError(f"scope-3 categories must be 1-15, got {bad}")
        return v


class Grid(Strict):
    factor_index: trajectory(0.0, 10.0) | None = None  # multiplies every regional factor (1.0 at the data year)
    factors: dict[Id, GridFactor] = Field(default_factory=dict)  # region -> tCO2/MWh, overrides data
    market_basis: Literal["residual", "location"] = "residual"
    residual_factor: GridFactor | None = None  # tCO2/MWh; default national_residual x factor_index


class InternalCarbonPrice(Strict):
    price_cny_per_t: CarbonPrice = 0.0
    scope2: Literal["market", "location", "none"] = "market"
    scope3: bool = False


class Trajectories(Strict):
    capex_index: dict[Id, NonNegTrajectory] = Field(default_factory=dict)


class Coverage(Strict):
    scope1: bool = True
    scope2: Literal["market", "location", "none"] = "market"
    scope3: list[Annotated[int, Field(ge=1, le=15)]] | Literal["all"] = Field(default_factory=list)


class Target(Strict):
    """A milestone target; see docs/model.md (targets)."""

    id: Id
    name: Text | None = None
    type: Literal["absolute", "intensity", "renewable_share"] = "absolute"
    year: Year
    coverage: Coverage = Coverage()
    reduction: Share | None = None  # against the base year (absolute and intensity)
    share: Share | None = None  # renewable_share targets
    cap_tco2e: Amount | None = None  # absolute target as a cap: covered tCO2e in the year (instead of `reduction`)
    intensity_per: Literal["output", "revenue", "product"] = "output"
    product: Id | None = None  # intensity per t of this product (every site making it), docs/scenarios.md
    pathway: Literal["milestone", "linear"] = "milestone"
    maintain: bool = False  # keep the level in every later year
    offsets: Literal["none", "share", "net_zero_residual"] = "none"
    offset_share: Share = 0.0
    min_real_reduction: Share = 0.9

    @model_validator(mode="before")
    @classmethod
    def _product_implies_per(cls, v):
        """`product: x` alone means an intensity per t of x."""
        if isinstance(v, dict) and v.get("product") is not None and "intensity_per" not in v:
            return {**v, "intensity_per": "product"}
        return v

    @model_validator(mode="after")
    def _fields(self):
        if (self.intensity_per == "product") != (self.product is not None):
            raise ValueError("a product intensity target needs both `intensity_per: product` and `product`")
        if self.product is not None and self.type != "intensity":
            raise ValueError("`product` is for intensity targets (type: intensity)")
        if self.cap_tco2e is not None:
            if self.type != "absolute" or self.reduction is not None:
                raise ValueError("`cap_tco2e` is an absolute target's level instead of `reduction`; give one of them")
        elif self.type == "renewable_share":
            if self.share is None:
                raise ValueError("renewable_share target needs `share`")
        elif self.reduction is None:
            raise ValueError(f"{self.type} target needs `reduction`")
        if self.offsets == "share" and self.offset_share <= 0:
            raise ValueError("offsets: share needs offset_share > 0")
        return self


class Constraints(Strict):
    max_adoptions_per_year: int | None = Field(None, ge=0, le=10_000)
    capex_budget_cny: trajectory(0.0, MAX_ABS_NUMBER, " CNY") | None = None


class Solver(Strict):
    time_limit: Annotated[float, Field(gt=0, le=1e6)] = 60.0
    mip_rel_gap: Annotated[float, Field(ge=0, le=1)] = 1e-4
    seed: int = Field(0, ge=0, le=2**31 - 1)
    threads: int = Field(1, ge=1, le=256)
    # first plan by site decomposition (docs/model.md §12): auto = for portfolios of 20+ sites
    heuristic: Literal["auto", "sites", "off"] = "auto"
    # portfolio matrix built in chunks of sites by worker processes (docs/model.md §12): auto = from 50 sites
    # with threads >= 2
    build: Literal["auto", "serial", "parallel"] = "auto"


TOU_CODES = {"c": "critical", "p": "peak", "f": "flat", "v": "valley"}  # one letter per hour of a tariff day


class Tariff(Strict):
    """A time-of-use two-part industrial tariff (docs/model.md §15): period letters per hour by month, prices per
    period, a demand charge per kW of monthly peak import, an export power limit."""

    source: Text
    notes: Annotated[str, Field(max_length=5000)] | None = None
    hours: dict[Annotated[str, Field(pattern=r"^\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*$")],
                Annotated[str, Field(pattern=r"^[cpfv]{24}$")]]  # months "1-6,9-12" -> 24 letters c/p/f/v
    prices_cny_per_mwh: dict[Literal["critical", "peak", "flat", "valley"], Annotated[float, Field(ge=0, le=1e5)]]
    demand_charge_cny_per_kw_month: Annotated[float, Field(ge=0, le=1e4)] = 0.0
    export_limit_mw: Annotated[float, Field(ge=0, le=1e5)] | None = None  # None: no limit
    # rest days (Saturdays, Sundays; given days of day_type rest) take these letters when set (docs/model.md §15.7)
    rest_day_hours: dict[Annotated[str, Field(pattern=r"^\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*$")],
                         Annotated[str, Field(pattern=r"^[cpfv]{24}$")]] | None = None
    # capacity charge per kVA of contracted capacity and month (billed instead of the demand charge when the
    # site's connection says `billing: capacity`)
    capacity_charge_cny_per_kva_month: Annotated[float, Field(ge=0, le=1e4)] = 0.0
    # price paid for exported on-site generation: one figure, or one per TOU period (None: the scenario's
    # annual export price, prices.export_electricity)
    export_price_cny_per_mwh: (Annotated[float, Field(ge=0, le=1e5)]
                               | dict[Literal["critical", "peak", "flat", "valley"],
                                      Annotated[float, Field(ge=0, le=1e5)]] | None) = None

    @model_validator(mode="after")
    def _months(self):
        for key, table in (("hours", self.hours), ("rest_day_hours", self.rest_day_hours or {})):
            months: list[int] = []
            for spec in table:
                for part in spec.split(","):
                    lo, _, hi = part.partition("-")
                    months += range(int(lo), int(hi or lo) + 1)
            if table and sorted(months) != list(range(1, 13)):
                raise ValueError(f"tariff `{key}` must name each month 1-12 exactly once")
        used = {TOU_CODES[c] for table in (self.hours, self.rest_day_hours or {}) for letters in table.values()
                for c in letters}
        if missing := sorted(used - set(self.prices_cny_per_mwh)):
            raise ValueError(f"tariff has no price for period(s) {missing}")
        if isinstance(self.export_price_cny_per_mwh, dict) and (
                missing := sorted(used - set(self.export_price_cny_per_mwh))):
            raise ValueError(f"tariff has no export price for period(s) {missing}")
        return self

    def month_letters(self, rest: bool = False) -> dict[int, str]:
        """Month (1-12) -> its 24 period letters (of rest days with `rest` when the tariff has them)."""
        out = {}
        for spec, letters in (self.rest_day_hours if rest and self.rest_day_hours else self.hours).items():
            for part in spec.split(","):
                lo, _, hi = part.partition("-")
                out.update({mo: letters for mo in range(int(lo), int(hi or lo) + 1)})
        return out


class SiteHourly(Strict):
    """Hourly data of a site: profiles (a CSV of 8,760 values or `typical`) and its tariff (a bundled name in
    data/tariffs/ or the tariff itself)."""

    load: Text = "typical"  # electrical load shape: CSV path (one column, 8,760 rows) or "typical"
    pv: Text = "typical"  # PV output per MW, same forms ("typical": the site's grid-region profile)
    wind: Text = "typical"
    # useful-heat demand shape of the site's fuels (heat pumps, boilers, process changes follow it): "flat"
    # (every hour alike, the default), "typical" (two-shift process heat plus winter space heating) or a CSV
    heat: Text = "flat"
    # grid emission factor shape (docs/model.md §15.6): "flat" (the annual factor in every hour, the default),
    # "typical" (the region's computed month-by-hour shape) or a CSV of 8,760 values; scaled to mean 1 and
    # multiplied by the region's annual factor
    grid_factor: Text = "flat"
    tariff: Id | Tariff
    connection: Connection | None = None  # grid connection limits, upgrade and basic-charge billing

    @field_validator("load", "pv", "wind")
    @classmethod
    def _not_flat(cls, v: str) -> str:
        """`flat` is a heat shape only: a flat load, PV or wind profile is no profile (it would be read as a
        file named `flat`)."""
        if v == "flat":
            raise ValueError("expected 'typical' or the path of a CSV of 8,760 values ('flat' is for heat only)")
        return v

    @field_validator("tariff", mode="before")
    @classmethod
    def _tariff(cls, v):
        """An inline tariff is validated on its own, so that its first problem is the message (not a union's)."""
        if not isinstance(v, dict):
            return v
        try:
            return Tariff.model_validate(v)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ValueError(f"{loc + ': ' if loc else ''}{err['msg'].removeprefix('Value error, ')}") from None


class Time(Strict):
    """Time resolution (docs/model.md §15): `annual` (one slice per year) or `representative_days`."""

    resolution: Literal["annual", "representative_days"] = "annual"
    days: int = Field(8, ge=1, le=60)  # representative days, the peak-load day among them
    hours_per_day: Literal[1, 2, 3, 4, 6, 8, 12, 24] = 24
    sites: dict[Id, SiteHourly] = Field(default_factory=dict)  # every site in representative_days mode
    # which years carry hourly dispatch (docs/model.md §15.1): every year, or the first and last model year,
    # every target year and `detail_years`, the years between them interpolated
    hourly_years: Literal["all", "milestones"] = "all"
    detail_years: list[Year] = Field(default_factory=list, max_length=200)  # extra detail years (milestones)
    # given representative days (docs/model.md §15.7): a CSV of day profiles with weights, used as they are
    # (no clustering, no appended peak day); its path relative to the scenario file
    days_file: Text | None = None
    # market-based scope 2: claims (PPAs, certificates) netted over the year (`annual`, the GHG Protocol's
    # current rule) or only in the hours their generation produces (`hourly`, docs/model.md §15.6)
    scope2_matching: Literal["annual", "hourly"] = "annual"


class Scenario(Strict):
    """A validated scenario."""

    name: Id
    description: Annotated[str, Field(max_length=5000)] | None = None
    company: Annotated[str, Field(min_length=1, max_length=200)]
    currency: Literal["CNY"] = "CNY"
    base_year: Year
    horizon: Horizon
    discount_rate: Annotated[float, Field(ge=0, lt=1)] = 0.06
    gwp: Literal["AR4", "AR5", "AR6"] = "AR5"
    organisation: Organisation
    sites: list[Site] = Field(min_length=1, max_length=5_000)
    scope3: Scope3 = Scope3()
    revenue_mcny: trajectory(0.0, 1e9, " MCNY") | None = None
    prices: dict[str, Price] = Field(default_factory=dict)
    grid: Grid = Grid()
    ets: ETS = ETS()
    cbam: CBAM = CBAM()  # EU CBAM on exports (docs/model.md §10.2)
    internal_carbon_price: InternalCarbonPrice = InternalCarbonPrice()
    trajectories: Trajectories = Trajectories()
    targets: list[Target] = Field(default_factory=list)
    measures: list[MeasureBase] = Field(default_factory=list)  # validated as the registered kinds
    constraints: Constraints = Constraints()
    solver: Solver = Solver()
    time: Time = Time()

    @model_validator(mode="after")
    def _years(self):
        if self.horizon.start <= self.base_year:
            raise ValueError(f"horizon.start {self.horizon.start} must be after base_year {self.base_year}")
        if self.time.resolution == "representative_days":
            ids = {s.id for s in self.sites}
            if missing := sorted(ids - set(self.time.sites)):
                raise ValueError(f"time.sites needs the hourly data of every site; missing {missing}")
            if extra := sorted(set(self.time.sites) - ids):
                raise ValueError(f"time.sites names unknown site(s) {extra}")
        elif self.time.days_file is not None or self.time.scope2_matching == "hourly":
            raise ValueError("time.days_file and scope2_matching: hourly need resolution: representative_days")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.horizon.start, self.horizon.end + 1))

    def detail_years(self) -> list[int]:
        """Years with hourly dispatch (docs/model.md §15.1): every model year with `hourly_years: all`; with
        `milestones` the first and last model year, every target year and `time.detail_years`."""
        years = self.years
        if self.time.hourly_years == "all":
            return years
        keep = {years[0], years[-1], *(t.year for t in self.targets), *self.time.detail_years}
        return [y for y in years if y in keep]

    def site(self, site_id: str) -> Site:
        return next(s for s in self.sites if s.id == site_id)


MEASURE_PLUGINS = "planner.backend.measures"  # the package whose modules define the measure kinds


def load_kinds() -> None:
    """Import every measure-kind module (plugin discovery; each registers its config class on import). The
    one place the schemas stage reaches a later stage, by name, so that validation knows every kind."""
    importlib.import_module(MEASURE_PLUGINS)


@cache
def _scenario_model(kinds: tuple[str, ...]) -> type[Scenario]:
    classes = tuple(MEASURE_KINDS[k] for k in kinds)
    item = classes[0] if len(classes) == 1 else Annotated[typing.Union[classes], Field(discriminator="kind")]  # noqa: UP007
    return create_model("ScenarioWithKinds", __base__=Scenario, __module__=__name__,
                        measures=(list[item], Field(default_factory=list)))


def scenario_model() -> type[Scenario]:
    """The Scenario schema whose `measures` accept exactly the registered measure kinds."""
    if not MEASURE_KINDS:
        load_kinds()
    cls = _scenario_model(tuple(sorted(MEASURE_KINDS)))
    globals()["ScenarioWithKinds"] = cls  # pickle finds validated scenarios by this module-level name
    return cls


def __getattr__(name: str):
    if name == "ScenarioWithKinds":  # unpickling in a fresh process: build the class first
        return scenario_model()
    raise AttributeError(name)
