"""Process retrofit or route change: go/no-go cut of process or fugitive emissions, with optional
changes of the site's carrier demand (docs/model.md §6.5)."""

from __future__ import annotations

import pyomo.environ as pyo

from ...config.measures import Process
from ..ledger import Ledger
from .base import AssetModel


class ProcessModel(AssetModel):
    """cut = cut_share x BAU emissions x active; carrier_change moves BAU demand by a share x active."""

    kinds = ("process",)
    cfg: Process

    def build_physics(self, blk: pyo.Block, core, ledger: Ledger) -> None:
        inp, cfg, s = self.inp, self.cfg, self.cfg.site
        keys = [(s, k, g) for k, g in core.proc[s] if k == cfg.target and (cfg.gases is None or g in cfg.gases)]
        for t in inp.years:
            for key in keys:
                ledger.add("process_cut", key, t, cfg.cut_share * inp.P[(*key, t)] * blk.in_service[t], self.id)
            for c, delta in sorted(cfg.carrier_change.items()):
                if c == "electricity":
                    ledger.add("elec_load", s, t, delta * inp.Eb[s, t] * blk.in_service[t], self.id)
                else:
                    ledger.add("heat_displaced", (s, c), t, -delta * inp.Hb[s, c, t] * blk.in_service[t], self.id)
