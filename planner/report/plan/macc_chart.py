"""The MACC charts (plan and stand-alone): bars of width = abatement, height = cost per tonne, each numbered at
its end, and a key beside the curve with every measure's number, cost, abatement and full name."""

from __future__ import annotations

import re
import textwrap
import unicodedata

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ...units import T_TO_KT
from ..common import style
from ..common.i18n import FAMILY, pick, tr

MIN_W, MIN_H = 0.004, 0.012  # narrowest and flattest drawn bar, as a share of the x and y spans
FS = 7.5  # bar numbers and key, points


def measure_names(df: pd.DataFrame, lang: str) -> pd.Series:
    """Measure names in the report language (Chinese names where the library or scenario gives them)."""
    if lang == "zh" and "name_zh" in df:
        return df.name_zh.fillna(df.name)
    return df.name


def _units(s: str) -> float:
    """Width of a text in ems (CJK characters one, others about 0.55)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in s)


def _wrap(s: str, ems: float) -> list[str]:
    """Lines of at most `ems` wide (words kept whole where possible; CJK text breaks anywhere)."""
    if _units(s) <= ems:
        return [s]
    if any(unicodedata.east_asian_width(c) in "WF" for c in s):  # break between CJK characters, not in a word
        lines, cur = [], ""
        for tok in re.findall(r"[!-~]+|\s+|.", s):
            if cur.strip() and _units(cur + tok) > ems:
                lines.append(cur.rstrip())
                cur = tok.lstrip()
            else:
                cur += tok
        return lines + [cur.rstrip()]
    return textwrap.wrap(s, max(8, int(ems / 0.55)), break_on_hyphens=False)


def _carbon_price(fr: dict[str, pd.DataFrame]) -> list[tuple[int, float]]:
    a = fr["assumptions"]
    p = a[(a.group == "price") & (a.item == "ets")].dropna(subset=["year"])
    if p.empty:
        return []
    p = p.sort_values("year")
    return [(int(p.year.iloc[0]), float(p.value.iloc[0])), (int(p.year.iloc[-1]), float(p.value.iloc[-1]))]


def _place(anchors: np.ndarray, ups: list[bool], widths: list[float], h: float, gap: float,
           left: float, right: float) -> list[tuple]:
    """Label boxes (x0, x1, y0, y1, row), pixels: each at its bar's end, away from zero, stacked one text height
    further out per row until it overlaps no label placed before it (left to right), and kept off the axes'
    left and right edges."""
    boxes: list[tuple] = []
    for (x, y), up, w in zip(anchors, ups, widths, strict=True):
        for r in range(len(anchors) + 1):
            off = gap + r * h
            bx = (x - w, x) if up else (x, x + w)  # above zero runs left (over lower bars), below runs right
            shift = max(0.0, left + 2 - bx[0]) - max(0.0, bx[1] - right + 1)
            bx = (bx[0] + shift, bx[1] + shift)
            by = (y + off, y + off + h) if up else (y - off - h, y - off)
            if not any(bx[0] < o[1] and o[0] < bx[1] and by[0] < o[3] and o[2] < by[1] for o in boxes):
                boxes.append((*bx, *by, r))
                break
    return boxes


def _layout(fig: Figure) -> None:
    """Place the axes as a draw would (the constrained layout), without drawing: what the label placement reads
    (the axes' box and data transform) is then what the figure is drawn with."""
    engine = fig.get_layout_engine()
    if engine is None:
        fig.draw_without_rendering()
    else:
        engine.execute(fig)


def _number_bars(fig: Figure, ax: Axes, bars: list[tuple[float, float, float, float]], lo: float, hi: float) -> None:
    """Number each bar (x0, x1, y0, y1) at its end, away from zero, stacking labels that would overlap;
    widens the y limits [lo, hi] so that every label stays inside the axes."""
    if not bars:
        ax.set_ylim(lo, hi)
        return
    px = fig.dpi / 72
    h, gap = 1.3 * FS * px, 2 * px
    ups = [b[3] > 0 for b in bars]
    widths = [_units(str(i + 1)) * FS * px + 2 for i in range(len(bars))]
    ends = [(b[1], b[3]) if up else (b[0], b[2]) for b, up in zip(bars, ups, strict=True)]
    for _ in range(4):  # widening the limits moves the bars' ends: place again until the labels fit
        ax.set_ylim(lo, hi)
        _layout(fig)
        anchors = ax.transData.transform(ends)
        boxes = _place(anchors, ups, widths, h, gap, ax.bbox.x0, ax.bbox.x1)
        y_lo, y_hi = ax.transData.transform([(0, lo), (0, hi)])[:, 1]
        below = max(0.0, y_lo + gap - min(b[2] for b in boxes))
        above = max(0.0, max(b[3] for b in boxes) + gap - y_hi)
        if below < 1 and above < 1:
            break
        per_px = (hi - lo) / (y_hi - y_lo)
        lo, hi = lo - 1.1 * below * per_px, hi + 1.1 * above * per_px
    for i, ((x, y), (ax_x, _), up, box) in enumerate(zip(ends, anchors, ups, boxes, strict=True)):
        off = (gap + box[4] * h) / px
        dx = ((box[1] if up else box[0]) - ax_x) / px
        ax.annotate(str(i + 1), (x, y), textcoords="offset points", xytext=(dx, off if up else -off), fontsize=FS,
                    ha="right" if up else "left", va="bottom" if up else "top", annotation_clip=False)


def _key(key: Axes, df: pd.DataFrame, kind: str, lang: str, width_col: str, cost_col: str, legend_rows: int) -> None:
    """Number, cost per tonne, abatement and full name (and site) of every bar, in curve order, above the legend
    (`legend_rows` rows of 8 pt at the bottom of the key's axes)."""
    key.axis("off")
    key.set_xlim(0, 1)
    key.set_ylim(0, 1)
    w_px, h_px = key.bbox.width, key.bbox.height
    px = key.figure.dpi / 72
    cols = (0.05, 0.2, 0.34, 0.37)  # right edges of number, cost, abatement; left edge of the name
    ems = (1 - cols[3]) * w_px / (FS * px) - 0.5
    lines = [(_wrap(r.name if r.site == "company" else f"{r.name} ({r.site})", ems), style.family_colour(r.family),
              i, getattr(r, cost_col), getattr(r, width_col) * T_TO_KT) for i, r in enumerate(df.itertuples())]
    total = 1 + sum(len(x[0]) for x in lines)
    room = h_px - (legend_rows * 1.45 * 8 + 12) * px
    fs = min(FS, 0.95 * room / (1.3 * px * total))
    step = 1.3 * fs * px / h_px
    kt = tr("macc_key_kt" if kind == "plan" else "macc_key_kt_yr", lang)
    head = (tr("macc_key_no", lang), tr("macc_key_cost", lang), kt, tr("macc_key_name", lang))
    y = 1.0
    for x, text, ha in zip(cols, head, ("right", "right", "right", "left"), strict=True):
        key.text(x, y, text, fontsize=fs, ha=ha, va="top")
    for name_lines, colour, i, cost, ab in lines:
        y -= step
        key.text(cols[0], y, str(i + 1), fontsize=fs, ha="right", va="top", color=colour)
        key.text(cols[1], y, f"{cost:,.0f}", fontsize=fs, ha="right", va="top")
        key.text(cols[2], y, f"{ab:,.1f}" if abs(ab) < 100 else f"{ab:,.0f}", fontsize=fs, ha="right", va="top")
        key.text(cols[3], y, "\n".join(name_lines), fontsize=fs, ha="left", va="top", linespacing=1.05)
        y -= step * (len(name_lines) - 1)


def macc(fr: dict[str, pd.DataFrame], lang: str, kind: str = "plan") -> Figure:
    """Bars of width = abatement and height = cost per tCO2e, cheapest first, numbered; ETS price lines; the key
    beside lists every bar. Bars too narrow or too flat to see are drawn at a minimum size (MIN_W, MIN_H),
    centred where they belong, so that no measure vanishes; the key gives the exact figures."""
    df = fr["macc"] if kind == "plan" else fr["macc_standalone"]
    width_col = "abatement_tco2e" if kind == "plan" else "potential_tco2e_per_yr"
    cost_col = f"{kind}_cost_cny_per_tco2e"
    df = df.sort_values(cost_col, kind="stable")
    df = df.assign(name=measure_names(df, lang))
    fig = style.new_figure(11.5, max(6.0, 0.2 * len(df) + 2))  # the deck fits charts up to 11.5 in wide
    ax, key = fig.subplots(1, 2, width_ratios=(1.35, 1))
    widths = (df[width_col] * T_TO_KT).to_numpy(float)
    costs = df[cost_col].to_numpy(float)
    total = max(widths.sum(), 1e-6)
    lo, hi = (min(0.0, costs.min()), max(0.0, costs.max())) if len(df) else (0.0, 1.0)
    prices = _carbon_price(fr)
    for _, p in prices:
        lo, hi = min(lo, p), max(hi, p)
    span = hi - lo or 1.0
    bars = []
    for x, w, h, fam in zip(np.cumsum(widths) - widths, widths, costs, df.family, strict=True):
        dw, dh = max(w, MIN_W * total), max(abs(h), MIN_H * span)
        x0 = x + w / 2 - dw / 2
        y0 = -dh / 2 if h == 0 else (0.0 if h > 0 else -dh)
        bars.append((x0, x0 + dw, y0, y0 + dh))
        ax.add_patch(Rectangle((x0, y0), dw, dh, facecolor=style.family_colour(fam), edgecolor="white", lw=0.3))
    handles = [Patch(color=style.family_colour(f), label=pick(FAMILY, f, lang)) for f in dict.fromkeys(df.family)]
    for (year, price), ls in zip(prices, ("--", ":"), strict=False):
        ax.axhline(price, color="#C62828", lw=1.2, ls=ls)
        handles.append(Line2D([], [], color="#C62828", lw=1.2, ls=ls,
                              label=tr("carbon_price", lang, year=year, price=price)))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(0, total)
    ax.set_xlabel(tr("macc_x_plan" if kind == "plan" else "macc_x_static", lang))
    ax.set_ylabel(tr("macc_y_plan" if kind == "plan" else "macc_y_static", lang))
    ax.set_title(tr("macc_plan" if kind == "plan" else "macc_static", lang))
    key.legend(handles=handles, loc="lower left", ncol=2, fontsize=8, borderaxespad=0)
    _number_bars(fig, ax, bars, lo - 0.05 * span, hi + 0.05 * span)
    _key(key, df, kind, lang, width_col, cost_col, (len(handles) + 1) // 2)
    return fig
