"""Process retrofit or route change (kind `process`): go/no-go cut of process or fugitive emissions, with
optional changes of the site's carrier demand (docs/model.md §6.5)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ...schemas.measure import AssetMeasure, CheckContext
from ...schemas.types import Share
from ..lazy_pyomo import pyo
from ..ledger import Ledger
from .base import AssetModel


class Process(AssetMeasure):
    """Go/no-go process retrofit or route change cutting process (or fugitive) emissions."""

    kind: Literal["process"]
    target: Literal["process", "fugitive"] = "process"
    gases: list[str] | None = None
    cut_share: Share
    carrier_change: dict[str, Annotated[float, Field(ge=-1.0, le=10.0)]] = Field(default_factory=dict)
    default_family = "process"
    needs_site = True

    def carrier_rise(self, carrier: str) -> float:
        return max(0.0, self.carrier_change.get(carrier, 0.0)) if self.enabled else 0.0

    def check(self, ctx: CheckContext) -> None:
        super().check(ctx)
        site_carriers = ctx.site_carriers(self.site)
        for c in self.carrier_change:
            if c not in site_carriers:
                ctx.fail(f"carrier_change.{c}", f"carrier is not used at site {self.site!r}")
        for g in self.gases or []:
            if g not in ctx.gases:
                ctx.fail("gases", f"unknown gas {g!r}")


class ProcessModel(AssetModel):
    """cut = cut_share x BAU emissions x in service; carrier_change moves BAU demand by a share x in service."""

    config = Process
    cfg: Process

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        period = inp.time.period_of
        keys = [(s, k, g) for k, g in core.process_keys[s]
                if k == cfg.target and (cfg.gases is None or g in cfg.gases)]
        for ts in core.m.slices:
            y = period(ts)
            for key in keys:
                ledger.add("process_cut", key, ts, cfg.cut_share * inp.bau_process_kt[(*key, y)] * blk.in_service[y],
                           self.id)
            for c, delta in sorted(cfg.carrier_change.items()):
                if c == "electricity":
                    ledger.add("elec_load", s, ts, delta * inp.elec_load_gwh(s, ts) * blk.in_service[y], self.id)
                else:
                    ledger.add("heat_displaced", (s, c), ts, -delta * inp.heat_gwh(s, c, ts) * blk.in_service[y],
                               self.id)
