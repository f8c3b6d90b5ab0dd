"""The compliance chart: required vs achieved per target milestone, each target type on its own scale.

Emission targets (absolute and intensity) read as a reduction from the base year, higher is better: a net-zero
target requires 100%, an intensity target the reduction of its intensity, the achieved bar is gross of offsets
and the offsets used are hatched beyond it. Renewable-share targets have their own panel in % of electricity."""

from __future__ import annotations

import math
import re

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..common import style
from ..common.i18n import tr

GOOD, BAD = "#2E7D32", "#C62828"


def intensity_reduction(description: str) -> float | None:
    """The required intensity reduction (a share) stated at the end of a target's description ('... intensity per
    revenue -25%' -> 0.25), None when it states none."""
    m = re.search(r"intensity per \w+ ([+-]\d+(?:\.\d+)?)%$", str(description))
    return -float(m.group(1)) / 100 if m else None


def reductions(r) -> tuple[float, float, float]:
    """(required, achieved gross, achieved net of offsets) reduction from the base year, in %, of a milestone
    row of an emission target; of the intensity for an intensity target whose reduction is known."""
    red = intensity_reduction(r.description) if r.type == "intensity" else None
    if red is not None and r.required > 0:  # intensity = emissions / driver; the driver's growth cancels
        keep = (1 - red) / r.required
        return 100 * red, 100 * (1 - keep * r.achieved), 100 * (1 - keep * r.net)
    if not r.base:
        return math.nan, math.nan, math.nan
    return tuple(100 * (r.base - v) / r.base for v in (r.required, r.achieved, r.net))


def _pct(v: float) -> str:
    return f"{v:.0f}%" if abs(v - round(v)) < 0.05 or abs(v) >= 10 else f"{v:.1f}%"


def _panel(ax: Axes, rows: pd.DataFrame, lang: str, share: bool) -> None:
    """One bar pair per milestone: required and achieved (offsets hatched beyond the gross), values at the
    bars' ends, met or not met at the right of the panel."""
    labels, ends = [], [0.0, 100.0]
    for i, r in enumerate(rows.itertuples()):
        if share:
            req, gross, net = 100 * r.required, 100 * r.achieved, 100 * r.achieved
        else:
            req, gross, net = reductions(r)
        ax.barh(i - 0.19, req, 0.34, color=style.TARGET_COLOUR, alpha=0.5)
        ax.barh(i + 0.19, gross, 0.34, color=style.PLAN_COLOUR, alpha=0.75)
        if net > gross + 1e-6:
            ax.barh(i + 0.19, net - gross, 0.34, left=gross, facecolor="none", edgecolor=style.OFFSET_COLOUR,
                    hatch="///")
        ax.annotate(_pct(req), (max(req, 0), i - 0.19), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
        ach = _pct(gross) if net <= gross + 1e-6 else f"{_pct(gross)} + {_pct(net - gross)}"
        ax.annotate(ach, (max(net, 0), i + 0.19), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
        ax.text(1.01, i, tr("met" if r.met else "unmet", lang), transform=ax.get_yaxis_transform(), va="center",
                fontsize=9, color=GOOD if r.met else BAD)
        ends += [req, gross, net]
        kind = f", {tr('cmp_intensity', lang)}" if r.type == "intensity" else ""
        labels.append(f"{r.target} ({r.year}{kind})")
    ends = [e for e in ends if not math.isnan(e)]
    lo, hi = min(ends), max(ends)
    left = 0.0 if lo >= 0 else lo - 0.05 * (hi - lo)  # a quantity axis from zero unless a value is below it
    ax.set_xlim(left, hi + 0.2 * (hi - left))  # room for the values
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)


def compliance(fr: dict[str, pd.DataFrame], lang: str) -> Figure:
    """Required vs achieved per target milestone: emission targets as reductions from the base year, renewable
    shares in their own panel; offsets hatched; met or not met."""
    t = fr["targets"]
    t = t[t.milestone].sort_values(["year", "target"], kind="stable")
    em, re_ = t[t.type != "renewable_share"], t[t.type == "renewable_share"]
    parts = [(rows, share) for rows, share in ((em, False), (re_, True)) if len(rows)]
    fig = style.new_figure(10, 1.2 + sum(0.75 * len(rows) + 1.0 for rows, _ in parts))
    fig.suptitle(tr("compliance", lang))
    if not parts:  # no targets: an empty chart, no legend (matplotlib would warn)
        fig.add_subplot()
        return fig
    axes = fig.subplots(len(parts), 1, height_ratios=[len(rows) + 0.8 for rows, _ in parts], squeeze=False)[:, 0]
    for ax, (rows, share) in zip(axes, parts, strict=True):
        _panel(ax, rows, lang, share)
        ax.set_title(tr("cmp_re" if share else "cmp_reduction", lang), fontsize=10)
        ax.set_xlabel(tr("cmp_re_x" if share else "cmp_reduction_x", lang))
    handles = [Patch(color=style.TARGET_COLOUR, alpha=0.5, label=tr("required", lang)),
               Patch(color=style.PLAN_COLOUR, alpha=0.75, label=tr("achieved", lang))]
    if (em.offsets_used > 0).any():
        handles.append(Patch(facecolor="none", edgecolor=style.OFFSET_COLOUR, hatch="///", label=tr("offsets", lang)))
    fig.legend(handles=handles, loc="outside right upper", fontsize=8)
    return fig
