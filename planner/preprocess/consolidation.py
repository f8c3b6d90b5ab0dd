"""Organisational boundary: the share of each entity's emissions the reporting entity counts.

GHG Protocol Corporate Standard ch. 3: equity share multiplies down ownership chains and sums over
paths; financial control counts controlled entities at 100% and jointly controlled ventures at the
equity share held by their (consolidated) owners; operational control counts operated entities at 100%.
"""

from __future__ import annotations

from functools import cache

from ..schemas.scenario import Organisation


def entity_shares(org: Organisation) -> dict[str, float]:
    """Share (0-1) of each entity's emissions counted by the reporting entity under `org.approach`."""
    ents = {e.id: e for e in org.entities}
    root = org.reporting_entity

    @cache
    def equity(x: str) -> float:
        if x == root:
            return 1.0
        return sum(o.share * equity(o.entity) for o in ents[x].owners)

    @cache
    def financial(x: str) -> float:
        if x == root:
            return 1.0
        ctrl = ents[x].financial_control
        if ctrl is None:
            return 0.0
        if ctrl == "joint":
            return sum(o.share * financial(o.entity) for o in ents[x].owners)
        return financial(ctrl)

    @cache
    def operational(x: str) -> float:
        if x == root:
            return 1.0
        ctrl = ents[x].operational_control
        return 0.0 if ctrl is None else operational(ctrl)

    fn = {"equity_share": equity, "financial_control": financial, "operational_control": operational}
    return {e: fn[org.approach](e) for e in sorted(ents)}
