"""The roadmap charts, drawn from the tidy result frames only (names as in Plan.frames())."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ...units import CNY_TO_MCNY, T_TO_KT
from ..common import style
from ..common.contrast import text_on
from ..common.i18n import COST, FAMILY, SCOPE, SCOPE3_CAT, pick, tr
from ..common.render import Frames
from .compliance_chart import compliance  # noqa: F401  (re-exported: charts.compliance)
from .coverage import coverage_groups, covered, group_label  # noqa: F401  (coverage_groups re-exported)
from .macc_chart import macc, measure_names  # noqa: F401  (macc re-exported: charts.macc)


def trajectory(fr: Frames, lang: str, group: tuple[bool, str, str]) -> Figure:
    """BAU, plan and targets with the abatement between BAU and plan as wedges by measure family."""
    fig = style.new_figure()
    ax = fig.add_subplot()
    e = covered(fr["emissions"], group).groupby("year")[["bau_tco2e", "plan_tco2e"]].sum() * T_TO_KT
    years = e.index.to_numpy()
    ab = covered(fr["abatement"], group).pivot_table(index="year", columns="family", values="tco2e",
                                                      aggfunc="sum", fill_value=0.0).reindex(years, fill_value=0)
    ab = ab * T_TO_KT
    pos = ab.clip(lower=0)
    order = [f for f in style.FAMILY_COLOURS if f in pos.columns and pos[f].sum() > 0] + sorted(
        f for f in pos.columns if f not in style.FAMILY_COLOURS and pos[f].sum() > 0)
    bottom = e.plan_tco2e.to_numpy().copy()
    for fam in order:
        top = bottom + pos[fam].to_numpy()
        ax.fill_between(years, bottom, top, color=style.family_colour(fam), alpha=0.85, lw=0,
                        label=pick(FAMILY, fam, lang))
        bottom = top
    ax.plot(years, e.plan_tco2e, color=style.PLAN_COLOUR, lw=2.5, label=tr("plan", lang))
    # BAU over the plan line: where they coincide (years before any abatement) the dashed line stays visible
    ax.plot(years, e.bau_tco2e, color=style.BAU_COLOUR, lw=2, ls="--", label=tr("bau", lang), zorder=4)
    t = fr["targets"]
    t = t[(t.type != "renewable_share") & (t.scope1 == group[0]) & (t.scope2 == group[1])
          & (t.scope3.fillna("").astype(str) == group[2])]
    if len(t):
        off = t.groupby("year").offsets_used.max().reindex(years, fill_value=0.0) * T_TO_KT
        if off.sum() > 0:
            net = e.plan_tco2e - off
            ax.fill_between(years, net, e.plan_tco2e, facecolor="none", edgecolor=style.OFFSET_COLOUR, hatch="///",
                            lw=0, label=tr("offsets", lang))
            ax.plot(years, net, color=style.OFFSET_COLOUR, lw=1.5, ls=":", label=tr("net", lang))
        for k, (tid, rows) in enumerate(t.groupby("target", sort=True)):
            rows = rows.sort_values("year")
            path = rows[~rows.milestone]
            if len(path):
                ax.plot(path.year, path.required * T_TO_KT, color=style.TARGET_COLOUR, lw=1, ls="-.",
                        label=tr("target_path", lang) if k == 0 else None)
            ms = rows[rows.milestone]
            ax.scatter(ms.year, ms.required * T_TO_KT, marker="*", s=180, color=style.TARGET_COLOUR, zorder=5,
                       label=tr("milestone", lang) if k == 0 else None)
            for r in ms.itertuples():
                ax.annotate(tid, (r.year, r.required * T_TO_KT), textcoords="offset points", xytext=(4, 8), fontsize=8,
                            color=style.TARGET_COLOUR)
    ax.set_ylim(bottom=0)
    lo, hi = (years[0], years[-1]) if len(years) > 1 else (years[0] - 0.5, years[0] + 0.5)
    ax.set_xlim(lo, hi)
    ax.set_title(tr("trajectory_cov", lang, cov=group_label(group, lang)))
    ax.set_xlabel(tr("year", lang))
    ax.set_ylabel(tr("emissions_kt", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def amount(v: float) -> str:
    """A size or an amount with three significant figures below 10 (0.162, 2.97, 8.00), one decimal up to 1,000 and
    none above, so a small build never reads '0.0'."""
    return f"{v:#,.3g}" if abs(v) < 10 else f"{v:,.1f}" if abs(v) < 1000 else f"{v:,.0f}"


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of years as (first, last)."""
    runs: list[tuple[int, int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def gantt(fr: Frames, lang: str, by: str = "site", only: list[str] | None = None, title: str | None = None) -> Figure:
    """One bar per adopted measure and site, adoption to end of life; reinvestments show as new bars. `only`:
    the rows whose `by` (site or family) is one of these (a part, plan/gantt.py); one site drops the site from
    the labels. `title`: the chart's title (default: "Roadmap of measures")."""
    r = fr["roadmap"]
    end = int(fr["costs"].year.max())
    site = r.site.where(r.site != "company", tr("company", lang))
    one_site = only is not None and by == "site" and len(only) == 1
    r = r.assign(label=measure_names(r, lang) if one_site else site + " · " + measure_names(r, lang))
    rows = r[r[by].isin(only)] if only is not None else r
    rows = rows.sort_values([by, "measure", "year"], kind="stable")
    labels = list(dict.fromkeys(rows.label))
    fig = style.new_figure(11, max(3.0, 0.38 * len(labels) + 1.4))
    ax = fig.add_subplot()
    for i, lab in enumerate(labels):
        g = rows[rows.label == lab]
        colour = style.family_colour(g.family.iloc[0])
        if (g.action == "purchase").all():
            for a, b in _runs(list(g.year)):
                ax.barh(i, b - a + 1, left=a, height=0.35, color=colour, alpha=0.6)
            qty = g["size"].sum()
            ax.text(g.year.max() + 1.2, i, f"{qty:,.0f} {g.unit.iloc[0]} {tr('purchases', lang)}", va="center",
                    fontsize=7)
            continue
        for b in g.itertuples():
            ax.barh(i, b.end_year - b.year + 1, left=b.year, height=0.6, color=colour, edgecolor="white")
            size = "" if b.unit == "adoption" else f"{amount(b.size)} {b.unit}, "
            label = f"{size}{amount(b.capex_cny * CNY_TO_MCNY)} {tr('mcny', lang)}"
            ax.text(b.year + 0.2, i, label, va="center", fontsize=7, color=text_on(colour),  # on its bar's
                    bbox={"facecolor": colour, "edgecolor": "none", "pad": 0.5})  # colour where it runs past the end
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(end + 1, color="grey", lw=0.8, ls=":")
    start = int(fr["costs"].year.min())
    ax.set_xlim(start, max(end + 1, int(r.end_year.max()) + 1 if len(r) else end + 1))
    ax.set_xlabel(tr("gantt_x", lang))
    ax.set_title(tr("gantt", lang) if title is None else title)
    fams = list(dict.fromkeys(rows.family))
    ax.legend(handles=[Patch(color=style.family_colour(f), label=pick(FAMILY, f, lang)) for f in fams],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def costs(fr: Frames, lang: str) -> Figure:
    """Stacked nominal costs by category (revenues below zero) and the cumulative discounted cash cost (the
    internal carbon price, a shadow price, is drawn as a bar but kept out of the line)."""
    c = fr["costs"].pivot_table(index="year", columns="category", values="nominal_cny", aggfunc="sum") * CNY_TO_MCNY
    years = c.index.to_numpy()
    fig = style.new_figure()
    ax = fig.add_subplot()
    pos_b, neg_b = np.zeros(len(c)), np.zeros(len(c))
    for cat in [k for k in style.COST_COLOURS if k in c.columns]:
        v = c[cat].to_numpy()
        if np.allclose(v, 0):
            continue
        p, n = np.clip(v, 0, None), np.clip(v, None, 0)
        ax.bar(years, p, bottom=pos_b, color=style.COST_COLOURS[cat], label=pick(COST, cat, lang), width=0.8)
        ax.bar(years, n, bottom=neg_b, color=style.COST_COLOURS[cat], width=0.8)
        pos_b, neg_b = pos_b + p, neg_b + n
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(tr("year", lang))
    ax.set_ylabel(tr("costs_y", lang))
    ax2 = ax.twinx()
    cash = fr["costs"][fr["costs"].category != "carbon_internal"]
    disc = cash.groupby("year").discounted_cny.sum().cumsum() * CNY_TO_MCNY
    ax2.plot(disc.index, disc.to_numpy(), color="black", lw=2, label=tr("cum_disc", lang))
    ax2.set_ylabel(tr("cum_disc", lang))
    ax2.grid(False)
    style.share_zero(ax, ax2)
    ax.set_title(tr("costs", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="outside right upper", fontsize=8)
    return fig


def scopes(fr: Frames, lang: str) -> Figure:
    """Scopes 1, 2 (location and market) and 3 by category: base year and each target year's plan."""
    bau, em = fr["bau"], fr["emissions"]
    base_year = int(bau.year.min())
    t = fr["targets"]
    years = sorted(set(t.loc[t.milestone, "year"])) or [int(em.year.max())]
    cols = [(tr("base_year", lang, year=base_year), bau[bau.year == base_year].rename(columns={"tco2e": "v"}))]
    cols += [(tr("target_year", lang, year=y), em[em.year == y].rename(columns={"plan_tco2e": "v"})) for y in years]
    fig = style.new_figure(11, 5.5)
    ax = fig.add_subplot()
    bars = ["scope1", "scope2_location", "scope2_market", "scope3"]
    width = 0.8 / len(bars)
    cats = sorted(bau.loc[bau.scope == "scope3", "source"].unique())
    cmap = matplotlib.colormaps["copper"]
    seen = set()
    for i, (_label, d) in enumerate(cols):
        for j, sc in enumerate(bars):
            x = i + (j - 1.5) * width
            if sc != "scope3":
                v = d.loc[d.scope == sc, "v"].sum() * T_TO_KT
                lab = pick(SCOPE, sc, lang) if sc not in seen else None
                ax.bar(x, v, width, color=style.SCOPE_COLOURS[sc], label=lab)
                seen.add(sc)
                continue
            bottom = 0.0
            for k, cat in enumerate(cats):
                v = d.loc[(d.scope == "scope3") & (d.source == cat), "v"].sum() * T_TO_KT
                n = int(cat[3:])
                lab = f"{pick(SCOPE, 'scope3', lang)} {n}: {pick(SCOPE3_CAT, n, lang)}" if cat not in seen else None
                ax.bar(x, v, width, bottom=bottom, color=cmap(0.25 + 0.6 * k / max(len(cats), 1)), label=lab)
                seen.add(cat)
                bottom += v
    ax.set_xticks(range(len(cols)), [c[0] for c in cols])
    ax.set_ylabel(tr("scopes_y", lang))
    ax.set_title(tr("scopes", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig
