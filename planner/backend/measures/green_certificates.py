"""Unbundled green electricity certificates (kind `green_certificates`), 1 per MWh (docs/model.md §6.7)."""

from __future__ import annotations

from typing import Literal

from ...schemas.trajectory import NonNegTrajectory, Trajectory
from .green_power import GreenPower, GreenPowerModel


class GreenCertificates(GreenPower):
    """Unbundled certificates (1 per MWh): market-based scope 2 only."""

    kind: Literal["green_certificates"]
    price_cny_per_mwh: NonNegTrajectory | None = None

    def price_override(self) -> Trajectory | None:
        return self.price_cny_per_mwh


class GreenCertificatesModel(GreenPowerModel):
    config = GreenCertificates
    price_item = "gec"
    coefficient_fields = ("price_cny_per_mwh",)
    cost_category = "certificates"
