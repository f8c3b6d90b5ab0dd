"""Base schemas of measures and the registry of measure kinds.

Each measure kind is one module in planner/backend/measures/ holding its config class (a subclass of one
of the bases here, with `kind: Literal["<kind>"]`), its reference checks (`check`), its model and its
result rows. Importing that module registers the config class here; the scenario schema validates
`measures:` against exactly the registered kinds.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field, model_validator

from ..errors import InputError
from .types import Id, NonNeg, Share, Strict, Text, Year

if TYPE_CHECKING:
    from .library import Library
    from .scenario import Scenario

FAMILIES = (
    "efficiency", "heat", "renewables", "storage", "process", "ccus", "green_power", "credits",
    "supply_chain", "routes",
)

MEASURE_KINDS: dict[str, type[MeasureBase]] = {}


def register_kind(cls: type[MeasureBase]) -> type[MeasureBase]:
    """Register a config class under the single value of its `kind: Literal[...]` field."""
    (kind,) = typing.get_args(cls.model_fields["kind"].annotation)
    other = MEASURE_KINDS.get(kind)
    if other is not None and other is not cls:
        raise TypeError(f"measure kind {kind!r} registered twice ({other.__module__}, {cls.__module__})")
    MEASURE_KINDS[kind] = cls
    return cls


@dataclass(frozen=True)
class Production:
    """What a measure that makes a product declares to the BAU projection (docs/model.md §6.11): where, which
    product, the capacity in service at the base year, and per t of product its energy by carrier (carrier
    units; electricity MWh), process emissions by gas (t) and other inputs (products of the site, carriers or
    priced materials, per t)."""

    site: str
    product: str
    existing_capacity_t: float
    existing_until: int | None
    energy_per_t: dict[str, float]
    process_emissions_per_t: dict[str, float]
    inputs_per_t: dict[str, float]


@dataclass(frozen=True)
class CheckContext:
    """What a measure's reference check may look at: the scenario, the data library and where it sits."""

    scenario: Scenario
    lib: Library
    file: str
    path: str  # key path of the measure, e.g. measures[3]

    def fail(self, key: str, message: str) -> None:
        raise InputError(self.file, f"{self.path}.{key}" if key else self.path, message)

    @property
    def fuels(self) -> set[str]:
        return set(self.lib.carriers)

    @property
    def gases(self) -> set[str]:
        return set(self.lib.gwp.index)

    def site_carriers(self, site: str | None) -> set[str]:
        return set(self.scenario.site(site).energy) if site is not None else set()


class MeasureBase(Strict):
    """Fields every measure has."""

    id: Id
    template: Id | None = None
    name: Text | None = None
    name_zh: Text | None = None  # Chinese name for zh charts and reports
    family: Id | None = None
    site: Id | None = None
    earliest_year: Year | None = None
    latest_year: Year | None = None
    enabled: bool = True

    default_family: ClassVar[str] = "efficiency"
    needs_site: ClassVar[bool] = False  # a plant measure (True) or a company-level one

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def label_zh(self) -> str:
        return self.name_zh or self.label

    @property
    def family_name(self) -> str:
        return self.family or self.default_family

    def carrier_rise(self, carrier: str) -> float:
        """Largest relative rise of the site's BAU demand for `carrier` this measure can cause (0 for most)."""
        return 0.0

    def production(self) -> Production | None:
        """The product this measure makes and how (a production route), or None (most kinds)."""
        return None

    @model_validator(mode="after")
    def _window(self):
        if self.earliest_year is not None and self.latest_year is not None and self.earliest_year > self.latest_year:
            raise ValueError(f"earliest_year {self.earliest_year} is after latest_year {self.latest_year}")
        return self

    def check(self, ctx: CheckContext) -> None:
        """Cross-references pydantic cannot see (sites, carriers, gases, categories); subclasses extend."""
        sc = ctx.scenario
        site_ids = {s.id for s in sc.sites}
        if self.needs_site and self.site is None:
            ctx.fail("site", f"{self.kind} measure needs a site")
        if self.site is not None and self.site not in site_ids:
            ctx.fail("site", f"unknown site {self.site!r}; expected one of {sorted(site_ids)}")


class AssetMeasure(MeasureBase):
    """A measure built in a year, in service for `lifetime` years, optionally reinvested."""

    lifetime: int = Field(20, ge=1, le=80)
    reinvest: bool = True
    capex_fixed_cny: NonNeg = 0.0
    fom_share: Share = 0.0  # fixed O&M per year as a share of capex (at most all of it, every year)
    fom_fixed_cny: NonNeg = 0.0
    cost_index: Id | None = None
    exclusive_group: Id | None = None
    requires: list[Id] = Field(default_factory=list, max_length=100)

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        assets = {m.id for m in ctx.scenario.measures if isinstance(m, AssetMeasure)}
        for r in self.requires:
            if r not in assets:
                ctx.fail("requires", f"expected the id of a built measure (efficiency, heat, generation, "
                         f"storage, process, CCUS, supply chain), got {r!r}")


MAX_SIZE = 1e5  # MW, MW_th, MWh or kt/yr per build: 100 GW, 100 GWh or 100 Mt/yr is a typo, and breaks the MILP
Size = Annotated[float, Field(ge=0.0, le=MAX_SIZE)]


class SizedMeasure(AssetMeasure):
    """An asset sized continuously between min_size and max_size per build (unit in `size_unit`)."""

    min_size: Size = 0.0
    max_size: Size | None = None
    # builds that may be in service at once (capacity added in stages, each build with its own lifetime);
    # 1 = one build at a time (a reinvestment only after the previous one retires)
    stages: int = Field(1, ge=1, le=50)

    @model_validator(mode="after")
    def _sizes(self):
        if self.max_size is not None and self.max_size < self.min_size:
            raise ValueError(f"max_size {self.max_size} is below min_size {self.min_size}")
        return self
