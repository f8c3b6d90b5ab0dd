"""Carbon-market inputs in model units (docs/model.md §10.1-10.2): the China ETS benchmarks by product and year,
and the EU CBAM's numbers by product and year (export share, free allocation adjustment per t, default embedded
emissions with the mark-up, EU price in MCNY/kt). Pure python; the scenario's keys are schemas/markets.py."""

from __future__ import annotations

from dataclasses import dataclass

from ..schemas.library import Library
from ..schemas.market_data import cbam_default, cbam_series
from ..schemas.markets import CBAM_INDIRECT, SECTOR_GOODS
from ..schemas.scenario import Scenario
from ..schemas.trajectory import interpolate
from ..units import CNY_PER_T_TO_MCNY_PER_KT


@dataclass(frozen=True)
class CbamProductInputs:
    """One CBAM product's fixed numbers (t/t = kt/kt); its export share and the EU price are mutable."""

    product: str
    goods: str
    indirect: bool  # embedded emissions count indirect (electricity) emissions: cement, fertilisers
    embedded: str  # "actual" (the model's emissions) or "default" (the EU default value)
    default_t_per_t: tuple[tuple[int, float], ...]  # (year, default value x (1 + mark-up)); () when none
    faa_t_per_t: tuple[tuple[int, float], ...]  # (year, EU benchmark x CBAM factor x CSCF)


@dataclass(frozen=True)
class CbamInputs:
    years: tuple[int, ...]  # model years from the CBAM's start year
    factor: tuple[tuple[int, float], ...]  # (year, CBAM factor)
    deduct: bool  # the China ETS price effectively paid reduces the certificates (Art. 9)
    products: tuple[CbamProductInputs, ...]

    def product(self, p: str) -> CbamProductInputs:
        return next(x for x in self.products if x.product == p)


def cbam_factor(sc: Scenario, lib: Library, years: list[int]) -> dict[int, float]:
    """The CBAM factor by year: the scenario's `cbam.factor` or data/cbam.csv (1 before the first row's year,
    which is never charged; 0 from the last row, 2034, on)."""
    if sc.cbam.factor is not None:
        return interpolate(sc.cbam.factor, years)
    table = cbam_series(lib.cbam, "cbam_factor")
    first, last = min(table), max(table)
    return {y: 1.0 if y < first else table[last] if y > last else table.get(y, interpolate(table, [y])[y])
            for y in years}


def default_markup(lib: Library, years: list[int]) -> dict[int, float]:
    """Mark-up on EU default values by year (data/cbam.csv: 10% 2026, 20% 2027, 30% from 2028)."""
    table = cbam_series(lib.cbam, "default_markup")
    return interpolate(table, years)


def default_value(sc: Scenario, lib: Library, p: str) -> float | None:
    """A CBAM product's EU default direct value before mark-up: the scenario's, else the CN code's in data/cbam.csv."""
    spec = sc.cbam.products[p]
    if spec.default_tco2e_per_t is not None:
        return spec.default_tco2e_per_t
    return cbam_default(lib.cbam, spec.cn_code) if spec.cn_code else None


def goods_of(sc: Scenario, p: str) -> str | None:
    """The CBAM goods category of product p: its `goods`, else its sector's (iron and steel, aluminium, cement)."""
    spec = sc.cbam.products[p]
    if spec.goods is not None:
        return spec.goods
    sectors = {s.products[p].sector for s in sc.sites if p in s.products}
    return next((SECTOR_GOODS[x] for x in sorted(sectors) if x in SECTOR_GOODS), None)


def market_inputs(sc: Scenario, lib: Library, years: list[int]) -> dict:
    """ModelInputs fields of the carbon markets."""
    out: dict = {"ets_allocation": sc.ets.allocation}
    if sc.ets.allocation == "benchmark":
        out["ets_benchmark"] = {(p, y): bm * adj for p, b in sorted(sc.ets.benchmarks.items())
                                for (y, bm), adj in zip(interpolate(b.tco2_per_t, years).items(),
                                                        interpolate(b.adjustment, years).values(), strict=True)}
    cb = sc.cbam
    if not cb.products:
        return out
    cyears = [y for y in years if y >= cb.start_year]
    factor = cbam_factor(sc, lib, years)
    markup = default_markup(lib, years)
    fx = interpolate(cb.eur_cny, years)
    products = []
    for p, spec in sorted(cb.products.items()):
        goods = goods_of(sc, p) or "iron_and_steel"  # checks.py refuses a product without a goods category
        d = default_value(sc, lib, p)
        bm = interpolate(spec.eu_benchmark_tco2e_per_t, years)
        cscf = interpolate(spec.cscf, years)
        products.append(CbamProductInputs(
            p, goods, goods in CBAM_INDIRECT, spec.embedded,
            tuple((y, d * (1 + markup[y])) for y in cyears) if d is not None else (),
            tuple((y, bm[y] * factor[y] * cscf[y]) for y in cyears)))
        for y in years:
            out.setdefault("cbam_export_share", {})[p, y] = interpolate(spec.export_share, [y])[y]
    out["cbam"] = CbamInputs(tuple(cyears), tuple((y, factor[y]) for y in cyears), cb.deduct_china_carbon_price,
                             tuple(products))
    out["price_cbam_mcny_per_kt"] = {y: v * fx[y] * CNY_PER_T_TO_MCNY_PER_KT
                                     for y, v in interpolate(cb.eu_ets_price_eur_per_t, years).items()}
    return out
