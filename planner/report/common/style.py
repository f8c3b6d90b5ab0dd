"""Chart style: the bundled CJK font, fixed colours per measure family / cost category / scope, saving."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .stable import SVG_HASH_SALT  # noqa: E402

FONT_FILE = Path(__file__).resolve().parents[2] / "fonts" / "wqy-microhei.ttc"

FAMILY_COLOURS = {
    "efficiency": "#2E7D32", "heat": "#EF6C00", "renewables": "#F9A825", "storage": "#6A1B9A",
    "process": "#6D4C41", "ccus": "#455A64", "green_power": "#00897B", "credits": "#9E9E9E",
    "supply_chain": "#1565C0", "routes": "#827717",
}
COST_COLOURS = {
    "capex": "#37474F", "fixed_om": "#78909C", "variable_om": "#B0BEC5", "energy": "#FFB300",
    "carbon_ets": "#C62828", "carbon_cbam": "#1A237E", "carbon_internal": "#EF9A9A", "ppa_premium": "#00897B",
    "certificates": "#4DB6AC",
    "credits": "#9E9E9E", "export_revenue": "#7CB342", "salvage": "#AED581",
}
SCOPE_COLOURS = {"scope1": "#B71C1C", "scope2_location": "#1E88E5", "scope2_market": "#64B5F6", "scope3": "#8D6E63"}
BAU_COLOUR, PLAN_COLOUR, TARGET_COLOUR, OFFSET_COLOUR = "#424242", "#000000", "#D81B60", "#9E9E9E"


def family_colour(family: str) -> str:
    """Same colour for a family in every chart and scenario (a stable hash for unknown families)."""
    if family in FAMILY_COLOURS:
        return FAMILY_COLOURS[family]
    h = int(hashlib.sha1(family.encode()).hexdigest()[:6], 16)
    return matplotlib.colormaps["tab20"](h % 20)


@cache
def font_name() -> str:
    """Register the bundled font once; its name."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE)).get_name()


def rc() -> dict:
    """rcParams for every chart (Latin and CJK text in one font; ASCII minus, which it has)."""
    return {"font.family": [font_name(), "DejaVu Sans"], "axes.unicode_minus": False, "axes.spines.top": False,
            "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "legend.frameon": False,
            "figure.dpi": 100, "svg.fonttype": "path", "svg.hashsalt": SVG_HASH_SALT}


def new_figure(w: float = 10.0, h: float = 5.5) -> Figure:
    return Figure(figsize=(w, h), layout="constrained")


def save(fig: Figure, stem: Path, when: datetime | None = None) -> list[Path]:
    """PNG at 300 dpi (documents) and SVG (slides); byte-reproducible: no date in the SVG unless a run stamp
    `when` is given, ids hashed with a fixed salt (rc)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    fig.savefig(out[0], dpi=300)
    fig.savefig(out[1], metadata={"Date": when.isoformat() if when else None})
    return out


def share_zero(ax, ax2) -> None:
    """Set the y limits of two axes drawn over each other (twinx) so that zero is at the same height on both,
    each keeping all its data in view."""
    (a0, a1), (b0, b1) = ax.get_ylim(), ax2.get_ylim()
    a0, a1, b0, b1 = min(a0, 0.0), max(a1, 0.0), min(b0, 0.0), max(b1, 0.0)
    # zero's height as a share of the axis: the larger of the two, so both ranges stay in view
    f = max(-a0 / (a1 - a0) if a1 > a0 else 0.0, -b0 / (b1 - b0) if b1 > b0 else 0.0)
    if f >= 1.0:
        ax.set_ylim(a0, 0.0)
        ax2.set_ylim(b0, 0.0)
        return
    ax.set_ylim(-f / (1 - f) * a1, a1)  # a1, b1 > 0 here: an axis with no positive range has f = 1
    ax2.set_ylim(-f / (1 - f) * b1, b1)


def text(s) -> str:
    """A scenario string as literal chart text: `$` would start mathtext, a leading `_` hides a legend entry."""
    s = str(s).replace("$", r"\$")
    return " " + s if s.startswith("_") else s
