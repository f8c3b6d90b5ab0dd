"""Scenario keys of the carbon markets a producer's products are billed by (docs/model.md §10.1-10.2): the China
national ETS (`ets`: grandfathering as a share of BAU scope 1, or allocation by product benchmark) and the EU
CBAM on exports (`cbam`: export share, embedded emissions, EU price and exchange rate per product)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .trajectory import NonNegTrajectory, ShareTrajectory, trajectory
from .types import Id, NonNeg, Strict, Text

Intensity = trajectory(0.0, 100.0, " tCO2/t")  # t of CO2 per t of product (aluminium ~16 is the highest)
Factor = trajectory(0.0, 2.0)  # an allocation plan's adjustment factor (1.0 = none)
EurPrice = trajectory(0.0, 10_000.0, " EUR/t")
FxRate = trajectory(0.01, 1_000.0, " CNY per EUR")

# CBAM goods categories (Regulation (EU) 2023/956 Annex I) and the emissions their embedded emissions count
# (Annex II: indirect emissions are not counted for iron and steel, aluminium and hydrogen)
CBAM_GOODS = ("iron_and_steel", "aluminium", "hydrogen", "cement", "fertilisers")
CBAM_INDIRECT = ("cement", "fertilisers")
SECTOR_GOODS = {"iron_and_steel": "iron_and_steel", "aluminium": "aluminium", "cement": "cement"}


class Benchmark(Strict):
    """Free allocation of one product by the China ETS benchmark method: allowances = production (t) x
    `tco2_per_t` x `adjustment` (the product of the allocation plan's adjustment factors)."""

    tco2_per_t: Intensity  # benchmark intensity by year
    adjustment: Factor = 1.0  # e.g. a cooling or load factor of the plan, or a sector balance factor
    source: Text | None = None  # the allocation plan or ASSUMPTION (shown in the assumptions table)


class ETS(Strict):
    """China national ETS: how covered sites (`sites[].ets_covered`) get free allowances and whether a
    surplus is sold. `allocation: grandfathering` (the default) allocates `free_allocation_share` x BAU scope 1;
    `allocation: benchmark` allocates production x benchmark per product in `benchmarks`."""

    allocation: Literal["grandfathering", "benchmark"] = "grandfathering"
    free_allocation_share: ShareTrajectory = 0.0  # grandfathering: share of BAU covered emissions allocated free
    benchmarks: dict[Id, Benchmark] = Field(default_factory=dict, max_length=100)  # product -> its benchmark
    sell_surplus: bool = False

    @model_validator(mode="after")
    def _form(self):
        if self.allocation == "benchmark" and not self.benchmarks:
            raise ValueError("allocation: benchmark needs `benchmarks` (product -> tco2_per_t)")
        if self.allocation == "grandfathering" and self.benchmarks:
            raise ValueError("`benchmarks` apply with allocation: benchmark (now grandfathering)")
        if self.allocation == "benchmark" and self.free_allocation_share != 0.0:
            raise ValueError("free_allocation_share is the grandfathering form; with allocation: benchmark the "
                             "allowances come from `benchmarks`")
        return self


class CbamProduct(Strict):
    """A product exported to the EU under the CBAM (docs/model.md §10.2)."""

    export_share: ShareTrajectory  # of the product's output for sale, by year
    goods: Literal["iron_and_steel", "aluminium", "hydrogen", "cement", "fertilisers"] | None = None  # default: sector
    embedded: Literal["actual", "default"] = "actual"  # the plant's own (from the model) or the EU default value
    default_tco2e_per_t: NonNeg | None = None  # EU default value (before mark-up); needed with embedded: default
    cn_code: Text | None = None  # CN code of the default value in data/cbam.csv (when default_tco2e_per_t is unset)
    eu_benchmark_tco2e_per_t: Intensity  # CBAM benchmark of the free allocation adjustment (Reg. (EU) 2025/2620)
    cscf: Factor = 1.0  # cross-sectoral correction factor of the EU free allocation (ASSUMPTION 1.0 when unknown)
    source: Text | None = None


class CBAM(Strict):
    """EU CBAM on exports: certificates for the embedded emissions of goods exported to the EU, less the free
    allocation adjustment and the carbon price paid in China, at the EU ETS price (docs/model.md §10.2)."""

    eu_ets_price_eur_per_t: EurPrice = 0.0  # EU ETS (certificate) price by year
    eur_cny: FxRate = 8.2  # CNY per EUR by year
    factor: ShareTrajectory | None = None  # CBAM factor by year; default data/cbam.csv (2026-2034, 0 after)
    start_year: int = Field(2026, ge=2026, le=2100)  # first year certificates are due (definitive period)
    deduct_china_carbon_price: bool = True  # Art. 9: the China ETS price effectively paid reduces the certificates
    products: dict[Id, CbamProduct] = Field(default_factory=dict, max_length=100)


__all__ = ["CBAM", "CBAM_GOODS", "CBAM_INDIRECT", "ETS", "SECTOR_GOODS", "Benchmark", "CbamProduct",
           "NonNegTrajectory"]
