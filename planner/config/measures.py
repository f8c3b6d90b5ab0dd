"""Typed parameters of every measure kind (validated once; the model classes read these objects)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..trajectory import Trajectory

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]

FAMILIES = (
    "efficiency", "heat", "renewables", "storage", "process", "ccus", "green_power", "credits",
    "supply_chain",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeasureBase(Strict):
    """Fields every measure has."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    template: str | None = None
    name: str | None = None
    name_zh: str | None = None  # Chinese name for zh charts and reports
    family: str | None = None
    site: str | None = None
    earliest_year: int | None = None
    latest_year: int | None = None
    enabled: bool = True

    default_family: ClassVar[str] = "efficiency"

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def label_zh(self) -> str:
        return self.name_zh or self.label

    @property
    def family_name(self) -> str:
        return self.family or self.default_family


class AssetMeasure(MeasureBase):
    """A measure built in a year, in service for `lifetime` years, optionally reinvested."""

    lifetime: int = Field(20, ge=1, le=80)
    reinvest: bool = True
    capex_fixed_cny: NonNeg = 0.0
    fom_share: NonNeg = 0.0
    fom_fixed_cny: NonNeg = 0.0
    cost_index: str | None = None
    exclusive_group: str | None = None
    requires: list[str] = Field(default_factory=list)


class SizedMeasure(AssetMeasure):
    """An asset sized continuously between min_size and max_size per build (unit in `size_unit`)."""

    min_size: NonNeg = 0.0
    max_size: NonNeg | None = None

    @model_validator(mode="after")
    def _sizes(self):
        if self.max_size is not None and self.max_size < self.min_size:
            raise ValueError(f"max_size {self.max_size} is below min_size {self.min_size}")
        return self


class Efficiency(AssetMeasure):
    """Go/no-go retrofit saving a share of one or more carriers at a site."""

    kind: Literal["efficiency"]
    carriers: list[str] = Field(min_length=1)
    saving_share: Share
    capex_cny_per_mwh_saved: NonNeg = 0.0
    default_family: ClassVar[str] = "efficiency"


class HeatSupply(SizedMeasure):
    """Common fields of measures that take over useful heat from a fuel (MW_th)."""

    target_carrier: str
    capex_cny_per_kw: NonNeg = 0.0
    full_load_hours: Annotated[float, Field(gt=0, le=8760)] = 6000.0
    max_share: Share = 1.0
    default_family: ClassVar[str] = "heat"


class Electrification(HeatSupply):
    kind: Literal["electrification"]
    cop: Annotated[float, Field(gt=0)]


class FuelSwitch(HeatSupply):
    kind: Literal["fuel_switch"]
    fuel: str
    efficiency: Annotated[float, Field(gt=0, le=1.5)]


class WasteHeatRecovery(HeatSupply):
    kind: Literal["waste_heat_recovery"]
    parasitic_mwh_per_mwh: NonNeg = 0.0


class OnsiteGeneration(SizedMeasure):
    """On-site PV or wind (MW)."""

    kind: Literal["onsite_generation"]
    capex_cny_per_kw: NonNeg
    yield_mwh_per_mw: Annotated[float, Field(gt=0, le=8760)]
    self_consumption: Share = 1.0
    degradation: Annotated[float, Field(ge=0, lt=0.2)] = 0.0
    default_family: ClassVar[str] = "renewables"


class Storage(SizedMeasure):
    """Battery (MWh) that shifts surplus on-site generation to on-site use."""

    kind: Literal["storage"]
    capex_cny_per_kwh: NonNeg
    cycles_per_year: Annotated[float, Field(gt=0, le=1000)] = 330.0
    round_trip_efficiency: Annotated[float, Field(gt=0, le=1)] = 0.88
    default_family: ClassVar[str] = "storage"


class Process(AssetMeasure):
    """Go/no-go process retrofit or route change cutting process (or fugitive) emissions."""

    kind: Literal["process"]
    target: Literal["process", "fugitive"] = "process"
    gases: list[str] | None = None
    cut_share: Share
    carrier_change: dict[str, Annotated[float, Field(ge=-1.0, le=10.0)]] = Field(default_factory=dict)
    default_family: ClassVar[str] = "process"


class CCUS(SizedMeasure):
    """Capture of site scope-1 CO2 (capacity in t/yr)."""

    kind: Literal["ccus"]
    capture_rate: Share = 0.9
    capex_cny_per_tpa: NonNeg
    opex_cny_per_t: NonNeg = 0.0
    elec_mwh_per_t: NonNeg = 0.0
    default_family: ClassVar[str] = "ccus"


class GreenPower(MeasureBase):
    """Common fields of PPAs and certificates: claims against grid purchases, zero market-based factor."""

    max_share: Share = 1.0  # of each covered site's grid purchases
    max_mwh: Trajectory | None = None  # over all covered sites, per year
    default_family: ClassVar[str] = "green_power"


class GreenPPA(GreenPower):
    """Green power purchase: MWh at a premium over the grid price."""

    kind: Literal["green_ppa"]
    premium_cny_per_mwh: Trajectory | None = None


class GreenCertificates(GreenPower):
    """Unbundled certificates (1 per MWh): market-based scope 2 only."""

    kind: Literal["green_certificates"]
    price_cny_per_mwh: Trajectory | None = None


class CarbonCredits(MeasureBase):
    """Credits (tCO2e) retired each year; count only as each target's offset rule allows."""

    kind: Literal["carbon_credits"]
    price_cny_per_t: Trajectory | None = None
    max_tco2e: Trajectory | None = None
    default_family: ClassVar[str] = "credits"


class SupplyChain(AssetMeasure):
    """Programme cutting a scope-3 category by a share."""

    kind: Literal["supply_chain"]
    category: int = Field(ge=1, le=15)
    cut_share: Share
    cost_cny_per_tco2e: NonNeg = 0.0
    default_family: ClassVar[str] = "supply_chain"


MeasureConfig = Annotated[
    Efficiency | Electrification | FuelSwitch | WasteHeatRecovery | OnsiteGeneration | Storage | Process
    | CCUS | GreenPPA | GreenCertificates | CarbonCredits | SupplyChain,
    Field(discriminator="kind"),
]

SITE_KINDS = {"efficiency", "electrification", "fuel_switch", "waste_heat_recovery", "onsite_generation",
              "storage", "process", "ccus"}
