"""Green power purchase agreement (kind `green_ppa`): MWh at a premium over the grid price (docs/model.md §6.7)."""

from __future__ import annotations

from typing import Literal

from ...schemas.trajectory import Trajectory, trajectory
from .green_power import GreenPower, GreenPowerModel


class GreenPPA(GreenPower):
    """Green power purchase: MWh at a premium over the grid price (the energy itself is paid at the grid price)."""

    kind: Literal["green_ppa"]
    premium_cny_per_mwh: trajectory(-1e4, 1e5, " CNY/MWh") | None = None  # may be a discount

    def price_override(self) -> Trajectory | None:
        return self.premium_cny_per_mwh


class GreenPPAModel(GreenPowerModel):
    config = GreenPPA
    price_item = "ppa_premium"
    coefficient_fields = ("premium_cny_per_mwh",)
    cost_category = "ppa_premium"
