"""Dispatch chart of the representative-day mode: one representative day stacked by source (on-site
generation, battery discharge, grid import; charging and export below zero), the battery's state of charge
and the tariff periods shaded behind, titled with the storage decision of the roadmap."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..common import style
from ..common.render import Frames

PERIOD_COLOUR = {"valley": "#d8ecd8", "flat": "#ffffff", "peak": "#fbe3c8", "critical": "#f6c4c4"}
TEXT = {
    "en": {"title": "Representative day {day} of {year} ({w:.0f} days a year)", "mw": "MW", "soc": "battery SoC, MWh",
           "onsite": "on-site generation", "discharge": "battery discharge", "grid": "grid import",
           "charge": "battery charge", "export": "export", "hour": "hour", "none": "no battery built",
           "valley": "valley tariff", "flat": "flat tariff", "peak": "peak tariff", "critical": "critical peak",
           "gf": "grid factor,\ntCO2/MWh", "gf_line": "hourly grid emission factor (location-based)"},
    "zh": {"title": "{year}年 典型日 {day}（代表每年 {w:.0f} 天）", "mw": "兆瓦", "soc": "储能荷电量（兆瓦时）",
           "onsite": "自发电", "discharge": "储能放电", "grid": "电网购电", "charge": "储能充电", "export": "上网",
           "hour": "小时", "none": "未建储能", "valley": "谷时段", "flat": "平时段", "peak": "峰时段",
           "critical": "尖峰时段", "gf": "电网因子\n（tCO2/MWh）", "gf_line": "逐时电网排放因子（位置法）"},
}


def storage_decision(fr: Frames) -> tuple[str, int | None]:
    """Text of the roadmap's storage builds ("40 MWh (2025)") and the first build year."""
    rm = fr["roadmap"]
    st = rm[(rm.unit == "MWh") & (rm.action == "build")]
    if not len(st):
        return "", None
    return ", ".join(f"{r.measure} {r.size:,.1f} MWh ({int(r.year)})" for r in st.itertuples()), int(st.year.min())


def pick_day(fr: Frames) -> tuple[str, int, int]:
    """(site, year, day): the first year with a battery in service (else the first year), the day with the
    largest battery throughput (else the heaviest-weighted day), at the site with the most on-site supply."""
    d = fr["dispatch"]
    _text, first = storage_decision(fr)
    year = first if first is not None and first in set(d.year) else int(d.year.min())
    sub = d[d.year == year]
    site = sub.groupby("site").onsite_mw.sum().idxmax()
    sub = sub[sub.site == site]
    thr = sub.groupby("day").battery_discharge_mw.sum()
    day = int(thr.idxmax()) if thr.max() > 1e-9 else int(sub.groupby("day").day_weight_days.first().idxmax())
    return site, year, day


def chart(fr: Frames, lang: str) -> Figure:
    t = TEXT.get(lang, TEXT["en"])
    site, year, day = pick_day(fr)
    d = fr["dispatch"]
    x = d[(d.site == site) & (d.year == year) & (d.day == day)].sort_values("hour")
    h = x.hour.to_numpy()
    gf = "grid_factor_t_per_mwh" in x  # the hour's grid factor in a panel of its own below (no third y axis)
    fig = Figure(figsize=(9, 5.6 if gf else 4.2))
    ax, low_ax = (fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1]}) if gf
                  else (fig.add_subplot(1, 1, 1), None))
    width = 1.0
    for hh, p in zip(h, x.period, strict=True):
        ax.axvspan(hh - 0.5, hh + 0.5, color=PERIOD_COLOUR.get(p, "#ffffff"), zorder=0, lw=0)
    up = [("onsite", x.onsite_mw, "#f2b701"), ("discharge", x.battery_discharge_mw, "#3969ac"),
          ("grid", x.grid_import_mw, "#7f7f7f")]
    bottom = 0 * x.onsite_mw.to_numpy()
    for key, vals, colour in up:
        ax.bar(h, vals, width, bottom=bottom, color=colour, label=t[key], zorder=2)
        bottom = bottom + vals.to_numpy()
    ax.bar(h, -x.battery_charge_mw, width, color="#80ba5a", label=t["charge"], zorder=2)
    ax.bar(h, -x.export_mw, width, bottom=-x.battery_charge_mw, color="#e68310", label=t["export"], zorder=2)
    ax.axhline(0, color="black", lw=0.6)
    low = float((x.battery_charge_mw + x.export_mw).max())
    ax.set_ylim(-1.15 * low if low > 0 else 0, 1.35 * float(bottom.max() or 1))
    ax.set_xlabel("" if gf else t["hour"])
    ax.set_ylabel(t["mw"])
    ax2 = ax.twinx()
    ax2.grid(False)
    ax2.plot(h, x.battery_soc_mwh, color="#11a579", lw=2, marker=".", label=t["soc"], zorder=3)
    ax2.set_ylabel(t["soc"])
    ax2.set_ylim(0, 1.35 * float(x.battery_soc_mwh.max() or 1))  # the same headroom for the legend as the MW axis
    style.share_zero(ax, ax2)  # SoC zero level with the MW axis's zero
    ax2.set_yticks([v for v in ax2.get_yticks() if 0 <= v <= ax2.get_ylim()[1]])  # no negative SoC ticks
    text, _first = storage_decision(fr)
    title = t["title"].format(day=day, year=year, w=float(x.day_weight_days.iloc[0]))
    ax.set_title(f"{title}\n{site}: {text or t['none']}", fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    periods = [Patch(facecolor=c, edgecolor="#bbbbbb", label=t[p]) for p, c in PERIOD_COLOUR.items()
               if p in set(x.period)]
    ax.legend(handles + h2 + periods, labels + l2 + [p.get_label() for p in periods], fontsize=7, ncol=3,
              loc="upper left")
    if low_ax is not None:
        low_ax.step(h, x.grid_factor_t_per_mwh, where="mid", color="#5d4037", lw=1.8, label=t["gf_line"])
        low_ax.set_ylim(0, 1.45 * float(x.grid_factor_t_per_mwh.max() or 1))
        low_ax.set_ylabel(t["gf"], fontsize=8)
        low_ax.set_xlabel(t["hour"])
        low_ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig
