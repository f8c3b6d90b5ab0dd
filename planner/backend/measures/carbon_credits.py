"""Carbon credits (kind `carbon_credits`), tCO2e retired each year (docs/model.md §6.7)."""

from __future__ import annotations

from typing import Literal

from ...schemas.measure import MeasureBase
from ...schemas.trajectory import NonNegTrajectory, interpolate
from ...units import CNY_PER_T_TO_MCNY_PER_KT, KT_TO_T, T_TO_KT
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import MeasureModel, Value, purchase_rows


class CarbonCredits(MeasureBase):
    """Credits (tCO2e) retired each year; count only as each target's offset rule allows."""

    kind: Literal["carbon_credits"]
    price_cny_per_t: NonNegTrajectory | None = None
    max_tco2e: NonNegTrajectory | None = None
    default_family = "credits"


class CarbonCreditsModel(MeasureModel):
    """credits[t] <= max_tco2e; counted against targets only as their offset rule allows."""

    config = CarbonCredits
    size_unit = "tCO2e"
    macc_method = "none"  # offsets are not abatement: shown apart in the trajectory and targets
    cfg: CarbonCredits
    coefficient_fields = ("price_cny_per_t",)

    def price_mcny_per_kt(self) -> dict[int, float]:
        """Credit price by year (the measure's own, else the scenario's or library's `ccer`), MCNY/kt."""
        prices = self.inp.price("ccer", self.cfg.price_cny_per_t)
        return {y: prices[y] * CNY_PER_T_TO_MCNY_PER_KT for y in self.years}

    def coefficients(self) -> dict[str, dict]:
        return {"price": self.price_mcny_per_kt()}

    def build(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        cfg = self.cfg
        blk.periods = pyo.Set(initialize=self.years, ordered=True)
        blk.credits = pyo.Var(blk.periods, domain=pyo.NonNegativeReals, doc="credits retired, ktCO2e")
        if cfg.max_tco2e is not None:
            cap = interpolate(cfg.max_tco2e, self.years)
            for y in self.years:
                blk.credits[y].setub(cap[y] * T_TO_KT)
        blk.price = pyo.Param(blk.periods, initialize=self.price_mcny_per_kt(), mutable=True, within=pyo.Reals,
                              doc="credit price, MCNY/kt")
        for y in self.years:
            ledger.add("credits", None, y, blk.credits[y], self.id)
            self.cost(ledger, "credits", y, blk.price[y] * blk.credits[y])

    def roadmap_rows(self, value: Value) -> list[dict]:
        return purchase_rows({y: value(self.block.credits[y]) * KT_TO_T for y in self.years}, "tCO2e")
