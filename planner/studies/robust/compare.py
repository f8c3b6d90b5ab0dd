"""The near-optimal alternatives side by side through the comparison (planner/studies/compare.py): each
roadmap within the slack is one compared "scenario", labelled by its number, the least-NPV roadmap the
reference; nothing is re-solved (the alternatives study kept each roadmap's result frames, `plans=True`)."""

from __future__ import annotations

from ...errors import InputError
from ..compare import Comparison, Run, build_frames
from .alternatives import Alternatives


def label(i: int) -> str:
    """The comparison's label of alternative i ("alt_0" the least-NPV roadmap)."""
    return f"alt_{i}"


def alternatives_comparison(res: Alternatives) -> Comparison:
    """A comparison of the roadmaps of `res` (which must carry their plans), the least-NPV one the reference."""
    if not res.plans:
        raise InputError("alternatives", "plans", "expected the roadmaps' plans: run alternatives(..., plans=True)")
    if len(res.plans) < 2:
        raise InputError("alternatives", "count", "no alternative found within the slack: nothing to compare")
    runs = [Run(label(int(r.alternative)), str(r.objective), p.scenario, p, p.summary["status"])
            for r, p in zip(res.overview.itertuples(), res.plans, strict=True)]
    return Comparison(runs[0].label, runs, build_frames(runs))


__all__ = ["alternatives_comparison", "label"]
