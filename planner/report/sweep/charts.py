"""Sweep charts, drawn from the analysis frames of planner/studies/sweep/analysis.py only (never solving):
adoption heat map, tornado, Morris/Sobol indices, emission fan, NPV and first-year distributions, the
interaction-aware MACC of a carbon-price sweep, infeasibility, parameters against NPV."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common import style
from ..common.i18n import FAMILY, pick
from ..common.render import Frames
from ..common.style import text
from .i18n import st

LOW, HIGH, BAND, MEDIAN = "#1E88E5", "#D81B60", "#90CAF9", "#0D47A1"
VERDICT_COLOURS = {"no_regret": "#2E7D32", "depends": "#F9A825", "never": "#9E9E9E"}
UNITS = {"cash_npv_cny": ("mcny", CNY_TO_MCNY), "objective_cny": ("mcny", CNY_TO_MCNY),
         "capex_2030_cny": ("mcny", CNY_TO_MCNY),
         "cumulative_scope12_tco2e": ("ktco2e", T_TO_KT)}  # unit word (sweep/i18n.py key) and factor
VISIBLE = 0.005  # a tornado bar shorter than this share of the longest is not drawn (under ~1 px)


def relaxed(fr: Frames) -> bool:
    """The sweep dropped the base scenario's targets (the summary's `targets_relaxed`)."""
    s = fr["summary"]
    return bool(len(s)) and s.loc[s["item"] == "targets_relaxed", "value"].eq("True").any()


def verdict(v: str, fr: Frames, lang: str) -> str:
    """A verdict in words; `never` in a sweep without targets says "not at any price"."""
    return st("never_relaxed" if v == "never" and relaxed(fr) else v, lang)


def rule(r, lang: str) -> str:
    """The 'depends' rule of an adoption or infeasibility row: "when p > t (explains 93%)"."""
    if not r.direction:
        return ""
    s = st("rule_above" if r.direction == "above" else "rule_below", lang, p=r.parameter, t=f"{r.threshold:.4g}")
    why = st("explains", lang, a=r.accuracy)
    return f"{s}（{why}）" if lang == "zh" else f"{s} ({why})"


def heatmap(fr: Frames, lang: str, columns: str) -> Figure:
    """Measures (rows, no-regret first) x variants or parameter bins; colour = adopted share; verdicts on
    the right."""
    mat, ad = fr["adoption_matrix"].set_index("measure"), fr["adoption"]
    n, k = mat.shape
    fig = style.new_figure(11, max(3.0, 1.2 + 0.28 * n))
    ax = fig.add_subplot()
    im = ax.imshow(mat.to_numpy(float), aspect="auto", cmap="Greens", vmin=0, vmax=1, interpolation="nearest")
    labels = [f"{text(r.site)} · {text(r.measure)}" for r in ad.set_index("measure").loc[mat.index]
              .reset_index().itertuples()]
    ax.set_yticks(range(n), labels, fontsize=7)
    verdicts = ad.set_index("measure").loc[mat.index]
    for i, r in enumerate(verdicts.itertuples()):
        why = rule(r, lang) if r.verdict == "depends" else ""
        ax.text(1.01, i, f"{r.frequency:.0%} {verdict(r.verdict, fr, lang)} {why}", transform=ax.get_yaxis_transform(),
                va="center", fontsize=7, color=VERDICT_COLOURS[r.verdict])
    if columns == "variant":
        ax.set_xlabel(st("heatmap_x_variant", lang))
        step = max(1, k // 20)
        ax.set_xticks(range(0, k, step), [str(c) for c in mat.columns[::step]], fontsize=7)
    else:
        ax.set_xlabel(st("heatmap_x_bins", lang, p=text(columns)))
        ax.set_xticks(range(k), [str(c) for c in mat.columns], fontsize=7, rotation=30, ha="right")
    ax.grid(False)
    fig.colorbar(im, ax=ax, location="bottom", shrink=0.4, label=st("heatmap_cbar", lang), pad=0.02)
    ax.set_title(st("heatmap", lang))
    return fig


def _tornado_row(ax, yi: float, ends: list[tuple[float, float]], shown: list[bool], lang: str) -> None:
    """Labels of one tornado row: the parameter value left of the left end and right of the right end (so
    they never overlap), or one "no visible change" label when neither bar is drawn."""
    if not any(shown):
        lo, hi = (f"{v:.4g}" for _, v in ends)
        ax.text(0, yi, " " + st("no_change", lang, lo=lo, hi=hi), va="center", ha="left", fontsize=7)
        return
    (dl, vl), (dr, vr) = sorted(ends, key=lambda e: e[0])
    ax.text(min(dl, 0.0), yi, f" {vl:.4g} ", va="center", ha="right", fontsize=7)
    ax.text(max(dr, 0.0), yi, f" {vr:.4g} ", va="center", ha="left", fontsize=7)


def tornado(fr: Frames, lang: str, metric: str) -> Figure:
    """Bars from the base value to the metric at each parameter's low and high, largest swing on top; a bar
    too short to see is left out and its row says so."""
    t = fr[f"tornado_{metric}"].dropna(subset=["swing"])
    unit_key, k = UNITS[metric]
    unit = st(unit_key, lang)
    fig = style.new_figure(10, max(3.0, 1.4 + 0.45 * len(t)))
    ax = fig.add_subplot()
    y = np.arange(len(t))[::-1]
    dl, dh = t.delta_low.to_numpy(float) * k, t.delta_high.to_numpy(float) * k
    longest = float(np.nanmax(np.abs(np.r_[dl, dh]))) if len(t) else 0.0
    show_l, show_h = np.abs(dl) > VISIBLE * longest, np.abs(dh) > VISIBLE * longest
    ax.barh(y[show_l], dl[show_l], color=LOW, height=0.6, label=st("tornado_low", lang))
    ax.barh(y[show_h], dh[show_h], color=HIGH, height=0.6, left=0, alpha=0.85, label=st("tornado_high", lang))
    for i, r in enumerate(t.itertuples()):
        _tornado_row(ax, y[i], [(dl[i], r.low_value), (dh[i], r.high_value)], [show_l[i], show_h[i]], lang)
    idle = t.changes_model.eq(False).fillna(False).to_numpy() if "changes_model" in t else np.zeros(len(t), bool)
    mark = ("（{}）" if lang == "zh" else "({})").format(st("no_effect_mark", lang))
    ax.set_yticks(y, [f"{text(p)}\n{mark}" if no else text(p)
                      for p, no in zip(t.parameter, idle, strict=True)])
    for label, no in zip(ax.get_yticklabels(), idle, strict=True):
        if no:  # a parameter that changed nothing in the model: its zero bar is not a finding
            label.set_color(HIGH)
    base = float(t.base_metric.iloc[0]) * k if len(t) else 0.0
    ax.axvline(0, color="black", lw=1.2)
    ax.set_xlabel(st("tornado_x", lang, unit=unit))
    ax.set_title(st("tornado", lang, metric=st(metric, lang)))
    handles = ax.get_legend_handles_labels()[0] + [Line2D([], [], color="black", lw=1.2,
                                                         label=st("tornado_base", lang, v=f"{base:,.1f} {unit}"))]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    ax.margins(x=0.15)
    ax.set_ylim(-0.6, len(t) - 0.4)  # rows without bars keep their room
    return fig


def indices(fr: Frames, lang: str) -> Figure:
    """Morris mu* against sigma, or Sobol S1 and ST bars with confidence intervals, or rank correlations."""
    ix = fr["indices_npv"]
    method = ix.method.iloc[0]
    fig = style.new_figure(10, 5)
    ax = fig.add_subplot()
    if method == "morris":
        mu = ix[ix["index"] == "mu_star"].set_index("parameter")
        sg = ix[ix["index"] == "sigma"].set_index("parameter")
        points = ax.errorbar(mu.value * CNY_TO_MCNY, sg.value.loc[mu.index] * CNY_TO_MCNY,
                             xerr=mu.conf * CNY_TO_MCNY, fmt="o", color=MEDIAN, ecolor=BAND)
        points[0].set_clip_on(False)  # a parameter without effect sits on the origin
        ax.set_xlim(left=0)  # both are magnitudes: distances from zero are the finding
        ax.set_ylim(bottom=0)
        for p in mu.index:
            ax.annotate(text(p), (mu.value[p] * CNY_TO_MCNY, sg.value[p] * CNY_TO_MCNY), fontsize=8,
                        xytext=(4, 4), textcoords="offset points")
        ax.set_xlabel(st("mu_star", lang))
        ax.set_ylabel(st("sigma", lang))
    else:
        kinds = ["S1", "ST"] if method == "sobol" else ["rho"]
        order = ix[ix["index"] == kinds[-1]].sort_values("value", key=abs, ascending=False).parameter.tolist()
        w = 0.8 / len(kinds)
        for j, kind in enumerate(kinds):
            d = ix[ix["index"] == kind].set_index("parameter").loc[order]
            ax.bar(np.arange(len(order)) + j * w, d.value, w, yerr=d.conf.fillna(0).to_numpy(), capsize=3,
                   color=[LOW, HIGH][j], label=st(kind, lang))
        ax.set_xticks(np.arange(len(order)) + w * (len(kinds) - 1) / 2, [text(p) for p in order], rotation=20,
                      ha="right")
        ax.axhline(0, color="black", lw=0.8)
        ax.legend(fontsize=8)
    ax.set_title(st("indices", lang, method=st(method, lang)))
    return fig


def fan(fr: Frames, lang: str) -> Figure:
    """Emissions per year as the targets count them (net of the offsets counted toward them): range, P10-P90
    band, median; the median gross emissions before offsets, the median BAU; the targets' required levels."""
    f, tl = fr["fan"], fr["target_levels"]
    fig = style.new_figure()
    ax = fig.add_subplot()
    k = T_TO_KT
    ax.fill_between(f.year, f["min"] * k, f["max"] * k, color=BAND, alpha=0.35, lw=0, label=st("fan_range", lang))
    ax.fill_between(f.year, f.p10 * k, f.p90 * k, color=BAND, alpha=0.9, lw=0, label=st("fan_p", lang))
    ax.plot(f.year, f.p50 * k, color=MEDIAN, lw=2, label=st("fan_median", lang))
    offsets = "offsets_p50" in f and bool((f.offsets_p50 > 0).any())
    if offsets:  # the gap between gross and net: what offsets cover
        ax.fill_between(f.year, f.p50 * k, f.gross_p50 * k, color=style.OFFSET_COLOUR, alpha=0.25, lw=0,
                        hatch="///", label=st("fan_offsets", lang))
        ax.plot(f.year, f.gross_p50 * k, color=MEDIAN, lw=1.2, ls=":", label=st("fan_gross", lang))
    ax.plot(f.year, f.bau_p50 * k, color=style.BAU_COLOUR, lw=1.2, ls="--", label=st("fan_bau", lang))
    markers = ["D", "s", "^", "v", "o", "P"]
    for i, (tgt, g) in enumerate(tl.groupby("target", sort=True)):
        ax.scatter(g.year, g.required * k, color=style.TARGET_COLOUR, marker=markers[i % len(markers)], zorder=5,
                   clip_on=False, label=st("fan_target", lang, t=text(tgt)))
    ax.set_xlabel(st("year", lang))
    ax.set_ylabel(st("emissions_kt", lang))
    ax.set_ylim(bottom=0)
    ax.set_title(st("fan_net" if offsets else "fan", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def npv_distribution(fr: Frames, lang: str) -> Figure:
    """Histogram of the NPV over solved variants with a box plot above it."""
    m = fr["metrics"]
    v = m.loc[m.status.isin(("optimal", "time_limit", "feasible")), "cash_npv_cny"].dropna() * CNY_TO_MCNY
    fig = style.new_figure(10, 5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 3])
    top.boxplot(v, orientation="horizontal", widths=0.6, patch_artist=True, boxprops={"facecolor": BAND})
    top.set_yticks([])
    bottom.hist(v, bins=min(40, max(5, int(math.sqrt(len(v))) + 1)), color=MEDIAN, alpha=0.85)
    bottom.set_xlabel(st("npv_x", lang))
    bottom.set_ylabel(st("count", lang))
    top.set_title(st("npv_dist", lang))
    return fig


def first_years(fr: Frames, lang: str) -> Figure:
    """Per measure adopted somewhere: how many variants first adopt it in each year (dot area)."""
    fy = fr["first_years"]
    order = fy.groupby("measure").variants.sum().sort_values(ascending=False).index.tolist()[:30]
    fy = fy[fy.measure.isin(order)]
    fam = fy.drop_duplicates("measure").set_index("measure").family
    fig = style.new_figure(10, max(3.0, 1.2 + 0.3 * len(order)))
    ax = fig.add_subplot()
    pos = {m: len(order) - 1 - i for i, m in enumerate(order)}
    big = max(1, fy.variants.max())
    ax.scatter(fy.first_year, fy.measure.map(pos), s=20 + 300 * fy.variants / big,
               c=[style.family_colour(fam[m]) for m in fy.measure], alpha=0.8, edgecolors="white")
    ax.set_yticks([pos[m] for m in order], [text(m) for m in order], fontsize=7)
    ax.set_xlabel(st("year", lang))
    fams = list(dict.fromkeys(fam.loc[order]))
    ax.legend(handles=[Patch(color=style.family_colour(f), label=pick(FAMILY, f, lang)) for f in fams], fontsize=7,
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(st("first_years", lang))
    return fig


def carbon_macc(fr: Frames, lang: str) -> Figure:
    """The abatement the optimum chooses at each carbon price (a supply curve: price up, abatement right)
    next to the stand-alone MACC (each measure alone, cheapest first), the differences written beside."""
    sup, sa, cmp = fr["carbon_supply"], fr["standalone_macc"], fr["macc_comparison"]
    fig = style.new_figure(12, 6)
    ax = fig.add_subplot()
    s = sup.dropna(subset=["abatement_tco2e_per_yr"])
    ax.step(s.abatement_tco2e_per_yr * T_TO_KT, s.price_cny_per_t, where="post", color=MEDIAN, lw=2,
            label=st("cp_supply", lang))
    ax.scatter(s.abatement_tco2e_per_yr * T_TO_KT, s.price_cny_per_t, color=MEDIAN, zorder=5, s=16, clip_on=False)
    if len(sa):
        sa = sa.sort_values("standalone_cost_cny_per_tco2e", kind="stable")
        x = np.r_[0, sa.potential_tco2e_per_yr.cumsum().to_numpy()] * T_TO_KT
        y = np.r_[sa.standalone_cost_cny_per_tco2e.to_numpy(), sa.standalone_cost_cny_per_tco2e.iloc[-1]]
        ax.step(x, y, where="post", color=style.BAU_COLOUR, ls="--", lw=1.3, label=st("cp_static", lang))
    top = float(s.price_cny_per_t.max()) if len(s) else 1.0
    ax.set_ylim(min(0.0, float(sa.standalone_cost_cny_per_tco2e.min()) if len(sa) else 0.0) - 0.05 * top, top * 1.15)
    notes: list[str] = []
    for reason, key in (("later", "later"), ("earlier", "earlier"), ("never", "never_cp")):
        g = cmp[cmp.reason == reason]
        if g.empty:
            continue
        notes.append(st(key, lang))
        notes += ["  " + st("note_line", lang, m=text(r.measure), c=r.standalone_cost_cny_per_tco2e,
                            e="—" if pd.isna(r.entry_price) else f"{r.entry_price:,.0f}")
                  for r in g.head(8).itertuples()]
        if len(g) > 8:
            notes.append(f"  … +{len(g) - 8}")
    if notes:
        ax.text(1.01, 0.0, "\n".join(notes), transform=ax.transAxes, fontsize=6.5, va="bottom")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlim(left=0)
    ax.set_xlabel(st("cp_x", lang))
    ax.set_ylabel(st("cp_y", lang))
    ax.set_title(st("cp_macc", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def infeasibility(fr: Frames, lang: str) -> Figure:
    """Share of variants missing each target (and with no feasible plan), with the parameter region."""
    t = fr["infeasibility"]
    fig = style.new_figure(10, max(2.5, 1.2 + 0.45 * len(t)))
    ax = fig.add_subplot()
    y = np.arange(len(t))[::-1]
    some = t.share.to_numpy(float) > 0  # a 0% row has its label only
    ax.barh(y[some], 100 * t.share[some], color=style.TARGET_COLOUR, height=0.6)
    for yi, r in zip(y, t.itertuples(), strict=True):
        ax.text(100 * r.share, yi, f" {r.share:.0%} {rule(r, lang)}", va="center", fontsize=7)
    ax.set_yticks(y, [st("all_targets", lang) if x == "all" else text(x) for x in t.target])
    ax.set_xlim(0, 130)
    ax.set_xlabel(st("infeasible_x", lang))
    ax.set_title(st("no_plan" if relaxed(fr) else "infeasible", lang))
    return fig


def scatter(fr: Frames, lang: str) -> Figure:
    """One panel per parameter (at most 12): NPV of each solved variant against the value, trend line."""
    s = fr["scatter_npv"]
    params = list(dict.fromkeys(s.parameter))[:12]
    cols = min(3, len(params))
    rows = math.ceil(len(params) / cols)
    fig = style.new_figure(11, 2.8 * rows + 0.6)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, p in zip(axes, params, strict=False):
        g = s[s.parameter == p]
        ax.scatter(g.value, g.cash_npv_cny * CNY_TO_MCNY, s=8, color=MEDIAN, alpha=0.6)
        if g.slope.notna().any():
            xs = np.linspace(g.value.min(), g.value.max(), 2)
            ax.plot(xs, (g.slope.iloc[0] * xs + g.intercept.iloc[0]) * CNY_TO_MCNY, color=HIGH, lw=1.5)
        ax.set_title(text(p), fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in axes[len(params):]:
        ax.set_visible(False)
    fig.supylabel(st("npv_x", lang), fontsize=9)
    fig.suptitle(st("scatter", lang))
    return fig
