"""Scenario-comparison charts, drawn from the comparison's tidy frames only (planner/studies/compare.py makes
them; docs/compare.md): trajectories overlaid, NPV waterfall, abatement by family, roadmap matrix.
Infeasible scenarios are left out of every chart (the tables keep them)."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common import style
from ..common.i18n import COST, FAMILY, pick, tr
from ..common.numbers import year_ticks
from ..common.render import ChartSpec, Frames
from ..common.style import text

NOT_SOLVED = ("infeasible", "no_solution")
REF_COLOUR = "#000000"
COLOURS = ["#1E88E5", "#D81B60", "#43A047", "#8E24AA", "#FB8C00", "#00ACC1", "#6D4C41", "#C0CA33", "#5E35B1"]
NET_STYLE = ":"  # a scenario's net-of-offsets line (thin, in its colour); no scenario's own line is dotted
STYLES: list = ["--", "-.", (0, (10, 3)), (0, (6, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (8, 2, 2, 2))]
UP, DOWN, TOTAL = "#E57373", "#66BB6A", "#546E7A"
THOUSANDS = FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def site_text(site, lang: str) -> str:
    """A site id as shown: the company level in words, a site by its id."""
    return tr("company", lang) if str(site) == "company" else str(site)


def reference(fr: Frames) -> str:
    sc = fr["scenarios"]
    ref = sc[sc.reference.astype(bool)] if "reference" in sc else sc.iloc[:0]
    return str((ref if len(ref) else sc).scenario.iloc[0])


def all_scenarios(fr: Frames) -> list[str]:
    """Every scenario label, reference first, then in the order of the scenarios frame."""
    ref = reference(fr)
    return [ref] + [s for s in fr["scenarios"].scenario.astype(str) if s != ref]


def feasible(fr: Frames) -> list[str]:
    sc = fr["scenarios"].assign(scenario=fr["scenarios"].scenario.astype(str)).set_index("scenario")
    return [s for s in all_scenarios(fr) if sc.status.get(s) not in NOT_SOLVED]


def look(fr: Frames, scenario: str) -> dict:
    """Colour, line style and width of a scenario, the same in every chart (reference: black, solid, thick)."""
    i = all_scenarios(fr).index(scenario)
    if i == 0:
        return {"color": REF_COLOUR, "ls": "-", "lw": 2.8}
    return {"color": COLOURS[(i - 1) % len(COLOURS)], "ls": STYLES[(i - 1) % len(STYLES)], "lw": 1.8}


def groups(fr: Frames) -> list[str]:
    return list(dict.fromkeys(fr["trajectories"].group.astype(str)))


def _names(df: pd.DataFrame, lang: str) -> pd.Series:
    if lang == "zh" and "name_zh" in df:
        return df.name_zh.where(df.name_zh.notna() & (df.name_zh.astype(str) != ""), df.name).astype(str)
    return df.name.astype(str)


def _empty(fig: Figure, title: str, note: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes, color="#616161")
    return fig


def trajectory(fr: Frames, lang: str, group: str) -> Figure:
    """Gross emissions of every feasible scenario, its net of offsets where offsets count, its target pathway
    and milestones, and BAU (thin grey; one line per distinct BAU)."""
    fig = style.new_figure(11, 5.8)
    ax = fig.add_subplot()
    tj = fr["trajectories"]
    tj = tj[tj.group.astype(str) == group]
    bau_drawn: list[pd.Series] = []
    any_net = any_path = any_ms = False
    years_all: list[int] = []
    for s in feasible(fr):
        d = tj[tj.scenario.astype(str) == s].sort_values("year")
        if d.empty:
            continue
        lk = look(fr, s)
        y = d.year.to_numpy()
        years_all += list(y)
        bau = d.set_index("year").bau_tco2e * T_TO_KT
        if not any(len(b) == len(bau) and np.allclose(b.to_numpy(), bau.to_numpy(), equal_nan=True)
                   and (b.index == bau.index).all() for b in bau_drawn):
            label = tr("bau", lang) if not bau_drawn else tr("cmp_bau", lang, scenario=text(s))
            ax.plot(y, bau.to_numpy(), color=style.BAU_COLOUR, lw=1.0, ls=lk["ls"] if bau_drawn else "-",
                    alpha=0.6, label=label, zorder=1)
            bau_drawn.append(bau)
        label = f"{text(s)} ({tr('cmp_reference', lang)})" if s == reference(fr) else text(s)
        ax.plot(y, d.plan_tco2e * T_TO_KT, color=lk["color"], ls=lk["ls"], lw=lk["lw"], label=label, zorder=3)
        if not np.allclose(d.net_tco2e.to_numpy(), d.plan_tco2e.to_numpy(), equal_nan=True):
            ax.plot(y, d.net_tco2e * T_TO_KT, color=lk["color"], ls=NET_STYLE, lw=1.0, alpha=0.8, zorder=2)
            any_net = True
        req = d[d.required_tco2e.notna()]
        path = req[~req.milestone.astype(bool)]
        if len(req) > 1 and len(path):
            ax.plot(req.year, req.required_tco2e * T_TO_KT, color=lk["color"], lw=1.0, alpha=0.5, zorder=2)
            any_path = True
        ms = req[req.milestone.astype(bool)]
        if len(ms):
            big = s == reference(fr)  # the reference's stars larger and below, so identical targets stay visible
            ax.scatter(ms.year, ms.required_tco2e * T_TO_KT, marker="*", s=260 if big else 120, color=lk["color"],
                       edgecolor="white", linewidth=0.6, zorder=4 if big else 5)
            any_ms = True
    extra = []
    if any_net:
        extra.append(Line2D([], [], color="#616161", ls=NET_STYLE, lw=1.0, label=tr("cmp_net", lang)))
    if any_path:
        extra.append(Line2D([], [], color="#616161", lw=1.0, alpha=0.5, label=tr("cmp_pathway", lang)))
    if any_ms:
        extra.append(Line2D([], [], color="#616161", marker="*", ms=11, ls="none", label=tr("cmp_milestones", lang)))
    if years_all:
        lo, hi = min(years_all), max(years_all)
        ax.set_xlim(lo - 0.5, hi + 0.5) if lo == hi else ax.set_xlim(lo - 0.25, hi + 0.25)
        marks = tj.loc[tj.milestone.astype(bool) & tj.required_tco2e.notna() & tj.scenario.astype(str).isin(
            feasible(fr)), "year"]
        ax.set_xticks(year_ticks(lo, hi, marks.astype(int)))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(THOUSANDS)
    label = group
    if lang == "zh" and "group_zh" in tj and tj.group_zh.notna().any():  # optional Chinese label of the coverage
        label = str(tj.group_zh.dropna().iloc[0])
    ax.set_title(tr("cmp_trajectory", lang, cov=text(label)))
    ax.set_xlabel(tr("year", lang))
    ax.set_ylabel(tr("emissions_kt", lang))
    h, _ = ax.get_legend_handles_labels()
    ax.legend(handles=h + extra, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


SHADOW = "carbon_internal"  # the internal carbon price: in the objective, not cash; left out of the waterfall


def _npv(fr: Frames, scenario: str) -> float:
    """The scenario's cash NPV (internal carbon price excluded)."""
    sc = fr["scenarios"]
    v = sc.loc[sc.scenario.astype(str) == scenario, "cash_npv_cny"]
    return float(v.iloc[0]) if len(v) else float("nan")


def _steps(fr: Frames, lang: str, others: list[str]) -> tuple[list[str], dict[str, list[float]]]:
    """Category labels (the same in every panel; "other" where the ends and the categories differ) and, per
    scenario, its change in each, MCNY."""
    ref = reference(fr)
    c = fr["costs"].assign(scenario=fr["costs"].scenario.astype(str))
    c = c[c.category != SHADOW]
    delta = c.pivot_table(index="category", columns="scenario", values="delta_cny", aggfunc="sum", fill_value=0.0)
    delta = delta.reindex(columns=others, fill_value=0.0) * CNY_TO_MCNY
    cats = [k for k in style.COST_COLOURS if k in delta.index] + sorted(k for k in delta.index
                                                                        if k not in style.COST_COLOURS)
    cats = [k for k in cats if (delta.loc[k].abs() >= 0.05).any()]  # shows as +0.1 or more somewhere
    rest = {s: (_npv(fr, s) - _npv(fr, ref)) * CNY_TO_MCNY - float(delta[s].sum()) for s in others}
    labels = [pick(COST, k, lang) for k in cats]
    values = {s: [float(delta.at[k, s]) for k in cats] for s in others}
    if any(abs(v) >= 0.05 for v in rest.values()):
        labels.append(tr("other", lang))
        for s in others:
            values[s].append(rest[s])
    return labels, values


def waterfall(fr: Frames, lang: str) -> Figure:
    """Per other feasible scenario, one panel: from the reference's cash NPV (zero), the change of each cash
    cost category, and the net change (MCNY). Every panel has the same scale, from a zero that is the
    reference; the panel title gives both NPVs. The internal carbon price is a shadow price, not cash: left out."""
    ref = reference(fr)
    others = [s for s in feasible(fr) if s != ref]
    ref_npv = _npv(fr, ref)
    if not others or ref not in feasible(fr) or np.isnan(ref_npv):
        return _empty(style.new_figure(10, 3.5), tr("cmp_waterfall", lang), tr("cmp_nothing", lang))
    labels, values = _steps(fr, lang, others)
    ends = {s: float(np.cumsum([0.0, *values[s]])[-1]) for s in others}
    levels = [x for s in others for x in np.cumsum([0.0, *values[s]])]
    lo, hi = min(0.0, *levels), max(0.0, *levels)
    pad = 0.15 * (hi - lo) or 1.0
    visible = (hi - lo + 2 * pad) / 150  # about a pixel and a half on a panel: smaller steps get a mark
    fig = style.new_figure(11, 1.6 + 2.9 * len(others))
    axes = fig.subplots(len(others), 1, squeeze=False, sharex=True)[:, 0]
    n = len(labels)
    for ax, s in zip(axes, others, strict=True):
        level = 0.0
        for i, v in enumerate(values[s]):
            colour = UP if v > 0 else DOWN
            if abs(v) >= visible:
                ax.bar(i, v, bottom=level, color=colour, width=0.7)
            elif round(v, 1):
                ax.plot([i - 0.35, i + 0.35], [level + v, level + v], color=colour, lw=2.5, solid_capstyle="butt")
            if round(v, 1):
                ax.annotate(f"{v:+,.1f}", (i, max(level, level + v)), xytext=(0, 3), textcoords="offset points",
                            ha="center", fontsize=7)
            ax.plot([i - 0.35 - (i > 0) * 0.3, i + 0.35], [level, level], color="#9E9E9E", lw=0.6)
            level += v
        ax.plot([n - 1.35, n + 0.35], [level, level], color="#9E9E9E", lw=0.6)
        end = ends[s]
        ax.bar(n, end, color=TOTAL, width=0.7)
        ax.annotate(f"{end:+,.1f}", (n, max(end, 0.0)), xytext=(0, 3), textcoords="offset points", ha="center",
                    fontsize=7)
        ax.set_ylim(lo - pad if lo < 0 else 0.0, hi + pad if hi > 0 else 0.0)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_axisbelow(True)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.set_ylabel(tr("cmp_change_y", lang, ref=text(ref)), fontsize=8)
        ax.set_title(tr("cmp_waterfall_panel", lang, ref=text(ref), s=text(s), a=ref_npv * CNY_TO_MCNY,
                        b=_npv(fr, s) * CNY_TO_MCNY), fontsize=10)
    ticks = [*labels, tr("cmp_net_change", lang)]
    axes[-1].set_xticks(range(len(ticks)), [lab if len(lab) <= 30 else lab[:29] + "…" for lab in ticks],
                        rotation=25, ha="right", fontsize=8)
    fig.legend(handles=[Patch(color=UP, label=tr("cmp_increase", lang)),
                        Patch(color=DOWN, label=tr("cmp_decrease", lang)),
                        Patch(color=TOTAL, label=tr("cmp_net_change_legend", lang, ref=text(ref)))],
               loc="outside right upper", fontsize=8)
    fig.suptitle(tr("cmp_waterfall", lang))
    return fig


def abatement(fr: Frames, lang: str) -> Figure:
    """Stacked horizon-total abatement by measure family, one bar per feasible scenario (negatives below 0)."""
    fig = style.new_figure(10, 5.5)
    ax = fig.add_subplot()
    scen = feasible(fr)
    a = fr["abatement"].assign(scenario=fr["abatement"].scenario.astype(str))
    p = a.pivot_table(index="scenario", columns="family", values="tco2e", aggfunc="sum", fill_value=0.0)
    p = p.reindex(scen, fill_value=0.0) * T_TO_KT
    fams = [f for f in style.FAMILY_COLOURS if f in p.columns] + sorted(f for f in p.columns
                                                                       if f not in style.FAMILY_COLOURS)
    fams = [f for f in fams if not np.allclose(p[f].to_numpy(), 0)]
    x = np.arange(len(scen))
    pos_b, neg_b = np.zeros(len(scen)), np.zeros(len(scen))
    for f in fams:
        v = p[f].to_numpy()
        lo, hi = np.clip(v, None, 0), np.clip(v, 0, None)
        up, down = hi > 0, lo < 0  # no zero-height bars (a label over one reads as a bar too thin to see)
        ax.bar(x[up], hi[up], bottom=pos_b[up], color=style.family_colour(f), width=0.6, label=pick(FAMILY, f, lang))
        ax.bar(x[down], lo[down], bottom=neg_b[down], color=style.family_colour(f), width=0.6)
        pos_b, neg_b = pos_b + hi, neg_b + lo
    for i, tot in enumerate(p[fams].sum(axis=1).to_numpy() if fams else np.zeros(len(scen))):
        ax.annotate(f"{tot:,.0f}", (i, pos_b[i]), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
    ax.set_xticks(x, [text(s) if len(s) <= 30 else text(s[:29]) + "…" for s in scen], rotation=15, ha="right")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_ylabel(tr("cmp_abatement_y", lang))
    ax.set_title(tr("cmp_abatement", lang))
    if fams:  # legend top-down in the order of the stack
        h, lab = ax.get_legend_handles_labels()
        ax.legend(h[::-1], lab[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def roadmap_matrix(fr: Frames, lang: str) -> Figure:
    """Measures (rows, by site) x feasible scenarios: the cell colour and text are the first year of adoption,
    hatched when not adopted; a strip in the family colour left of each row."""
    scen = feasible(fr)
    r = fr["roadmap"].assign(scenario=fr["roadmap"].scenario.astype(str))
    r = r[r.scenario.isin(scen)]
    r = r.assign(label=_names(r, lang), adopted=r.adopted.fillna(False).astype(bool))
    keys = r[r.adopted][["site", "measure"]].drop_duplicates()
    rows = keys.merge(r.drop_duplicates(["site", "measure"])[["site", "measure", "label", "family"]],
                      on=["site", "measure"]).sort_values(["site", "label", "measure"], kind="stable")
    if rows.empty:
        return _empty(style.new_figure(10, 3.5), tr("cmp_matrix", lang), tr("cmp_none_adopted", lang))
    first = r[r.adopted].set_index(["site", "measure", "scenario"]).first_year
    first = first[~first.index.duplicated()]
    years = first.dropna()
    lo, hi = (float(years.min()), float(years.max())) if len(years) else (0.0, 1.0)
    norm = Normalize(lo - 0.5, hi + 0.5) if lo == hi else Normalize(lo, hi)
    cmap = matplotlib.colormaps["viridis"]
    n, m = len(rows), len(scen)
    fig = style.new_figure(max(7.0, 4.5 + 1.5 * m), max(3.0, 0.42 * n + 1.8))
    ax = fig.add_subplot()
    for i, row in enumerate(rows.itertuples()):
        ax.add_patch(Rectangle((-0.72, i - 0.45), 0.16, 0.9, color=style.family_colour(row.family), lw=0))
        for j, s in enumerate(scen):
            y = first.get((row.site, row.measure, s))
            if y is None:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#F5F5F5", edgecolor="#BDBDBD", hatch="///",
                                       lw=0.5))
                continue
            ok = not pd.isna(y)
            colour = cmap(norm(y)) if ok else "#BDBDBD"
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=colour, edgecolor="white", lw=1))
            lum = np.dot(matplotlib.colors.to_rgb(colour), [0.299, 0.587, 0.114])
            ax.text(j, i, f"{int(y)}" if ok else "?", ha="center", va="center", fontsize=8,
                    color="black" if lum > 0.5 else "white")
    sites = rows.site.astype(str).tolist()
    for i in range(1, n):
        if sites[i] != sites[i - 1]:
            ax.axhline(i - 0.5, color="#424242", lw=1.2)
    ax.set_xlim(-0.75, m - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xticks(range(m), [text(s) if len(s) <= 24 else text(s[:23]) + "…" for s in scen], rotation=20, ha="right")
    lab = [f"{text(site_text(s, lang))} · {text(nm)}" for s, nm in zip(rows.site, rows.label, strict=True)]
    ax.set_yticks(range(n), [x if len(x) <= 45 else x[:44] + "…" for x in lab], fontsize=8)
    ax.tick_params(length=0)
    ax.grid(False)
    for sp in ax.spines.values():
        sp.set_visible(False)
    cb = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8, pad=0.02)
    cb.set_label(tr("cmp_matrix_cbar", lang))
    cb.set_ticks(year_ticks(int(lo), int(hi)) if len(years) else [])
    fams = list(dict.fromkeys(rows.family))
    handles = [Patch(facecolor="#F5F5F5", edgecolor="#BDBDBD", hatch="///", label=tr("cmp_not_adopted", lang))]
    handles += [Patch(color=style.family_colour(f), label=pick(FAMILY, f, lang)) for f in fams]
    fig.legend(handles=handles, loc="outside right upper", fontsize=8)
    ax.set_title(tr("cmp_matrix", lang))
    return fig


def chart_specs(fr: Frames) -> list[ChartSpec]:
    """(file stem, drawing function) of every comparison chart: a trajectory per target coverage, the NPV
    waterfall, abatement by family and the roadmap matrix."""
    specs: list[ChartSpec] = [
        (f"compare_trajectory_{i + 1}", lambda f, lang, g=g: trajectory(f, lang, g)) for i, g in enumerate(groups(fr))]
    return specs + [("compare_cost_waterfall", waterfall), ("compare_abatement", abatement),
                    ("compare_roadmap_matrix", roadmap_matrix)]
