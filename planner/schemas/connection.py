"""Schema of a site's grid connection in the representative-day mode (docs/model.md §15.6): import and export
power limits (MW, or the transformer's kVA and a power factor), an optional upgrade decision, and how the
two-part tariff's basic charge is billed (demand charge on the monthly peak, or capacity charge on the
contracted capacity)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .types import NonNeg, Strict, Year

Power = Annotated[float, Field(ge=0, le=1e5)]
# China's power-factor adjustment rules (《功率因数调整电费办法》, 1983) set 0.90 as the standard for industrial
# users of 160 kVA and above: the default converting kVA to MW
DEFAULT_POWER_FACTOR = 0.9


class ConnectionUpgrade(Strict):
    """More connection capacity (MW, continuous), built from `earliest_year`, in service `lifetime` years."""

    capex_cny_per_mw: NonNeg
    lifetime: Annotated[int, Field(ge=1, le=100)] = 30
    earliest_year: Year | None = None  # default: the first model year
    max_mw: Power | None = None  # default: no limit beyond what the plan can use


class Connection(Strict):
    """Contracted connection of a site: `import_mw` (or `kva` x `power_factor` / 1000) and `export_mw`."""

    import_mw: Power | None = None
    kva: Annotated[float, Field(ge=0, le=1e8)] | None = None  # transformer / contracted capacity
    power_factor: Annotated[float, Field(gt=0, le=1)] = DEFAULT_POWER_FACTOR
    export_mw: Power | None = None  # None: the tariff's export limit only
    upgrade: ConnectionUpgrade | None = None
    # basic charge of the two-part tariff: `demand` (demand charge on each month's peak import) or `capacity`
    # (the tariff's capacity_charge_cny_per_kva_month on the contracted kVA, upgrades included)
    billing: Literal["demand", "capacity"] = "demand"

    @model_validator(mode="after")
    def _one_size(self):
        if self.import_mw is not None and self.kva is not None:
            raise ValueError("give the connection as import_mw or as kva (with power_factor), not both")
        if self.import_mw is None and self.kva is None and (self.upgrade is not None or self.billing == "capacity"):
            raise ValueError("an upgrade or capacity billing needs the connection's import_mw or kva")
        return self

    @property
    def contracted_mw(self) -> float | None:
        """Import limit in MW before any upgrade."""
        if self.import_mw is not None:
            return self.import_mw
        return None if self.kva is None else self.kva * self.power_factor / 1000.0

    @property
    def kva_per_mw(self) -> float:
        """Contracted kVA per MW of import limit (1000 / power factor)."""
        return 1000.0 / self.power_factor
