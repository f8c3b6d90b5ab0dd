"""Products and routes (issue 25, docs/model.md §6.11, §8.4): the route mix (output by route over time, one panel
per product and site) and each product's carbon intensity, plan and BAU, against the SBTi SDA pathway and its
product intensity targets (tCO2e/t on the sector standard's boundary). Drawn from `product_output`,
`product_intensity`, `sda_pathway`, `targets` and `names` (product and route names from the scenario, added by
`with_names`; without it the ids are shown)."""

from __future__ import annotations

import re
import textwrap

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from ..common import style
from ..common.i18n import LANGS
from ..common.render import Frames

TEXT = {
    "routes": ("Output by production route", "分生产工艺路线产量"),
    "routes_y": ("Output ({unit}/yr)", "产量（{unit}/年）"),
    "intensity": ("Product carbon intensity", "产品碳排放强度"),
    "intensity_y": ("tCO2e per t", "tCO2e/吨"),
    "plan": ("Plan", "规划路径"), "bau": ("Business as usual", "基准情景（BAU）"),
    "sda": ("SBTi SDA pathway (company)", "SBTi 行业减排路径（本公司）"),
    "sector": ("Sector average pathway (SDA)", "行业平均路径"),
    "target": ("Product intensity target", "产品强度目标"),
    "year": ("Year", "年份"), "Mt": ("Mt", "百万吨"), "kt": ("kt", "千吨"),
}
SECTOR = {"iron_and_steel": ("iron and steel", "钢铁"), "cement": ("cement", "水泥"),
          "aluminium": ("aluminium", "铝"), "other": ("other", "其他")}


def t(key: str, lang: str, **kw) -> str:
    s = TEXT[key][LANGS.index(lang)]
    return s.format(**kw) if kw else s


def with_names(fr: Frames, sc) -> Frames:
    """The frames plus `names` (kind product | route, id, name, name_zh) from the scenario, when it has products."""
    if sc is None or "product_output" not in fr:
        return fr
    rows = [("product", p, spec.name or p, spec.name_zh or "") for s in sc.sites for p, spec in s.products.items()]
    rows += [("route", m.id, m.name or m.id, m.name_zh or "") for m in sc.measures if m.kind == "route"]
    names = pd.DataFrame(rows, columns=["kind", "id", "name", "name_zh"])
    return {**fr, "names": names.drop_duplicates(["kind", "id"])}


def name(fr: Frames, kind: str, key: str, lang: str) -> str:
    """A product's or route's name in the report language (its id when the frames have no name)."""
    n = fr.get("names")
    if n is None:
        return key
    r = n[(n.kind == kind) & (n.id == key)]
    if not len(r):
        return key
    zh = r.name_zh.iloc[0]
    return zh if lang == "zh" and isinstance(zh, str) and zh else str(r.name.iloc[0])


def _wrap(s: str, lang: str, width: int = 34) -> str:
    if lang == "zh":
        return "\n".join(s[i:i + 18] for i in range(0, len(s), 18))
    return "\n".join(textwrap.wrap(s, width)) or s


def made(fr: Frames) -> list[tuple[str, str]]:
    """(site, product) made at some time, biggest output first."""
    po = fr["product_output"]
    tot = po.groupby(["site", "product"]).output_t.sum()
    tot = tot[tot > 1e-6].sort_values(ascending=False, kind="stable")
    return list(tot.index)


def routes(fr: Frames, lang: str) -> Figure:
    """Stacked areas of each route's production, one panel per site and product; Mt/yr (kt/yr below 1 Mt)."""
    po = fr["product_output"]
    keys = made(fr)
    big = po.groupby(["site", "product", "year"]).output_t.sum().max() >= 1e6
    unit, scale = ("Mt", 1e-6) if big else ("kt", 1e-3)
    sites = {s for s, _ in keys}
    fig = style.new_figure(10, 0.4 + 3.0 * len(keys))
    cmap = matplotlib.colormaps["tab10"]
    all_routes = sorted(po.route.unique())
    for i, (site, product) in enumerate(keys):
        ax = fig.add_subplot(len(keys), 1, i + 1)
        d = po[(po.site == site) & (po["product"] == product)].pivot_table(
            index="year", columns="route", values="output_t", aggfunc="sum").clip(lower=0) * scale
        d = d[[r for r in d.columns if d[r].max() > 1e-9]]
        years = d.index.to_numpy()
        ax.stackplot(years, *[d[r].to_numpy() for r in d.columns],
                     colors=[cmap(all_routes.index(r) % 10) for r in d.columns],
                     labels=[_wrap(style.text(name(fr, "route", r, lang)), lang) for r in d.columns], alpha=0.9)
        title = name(fr, "product", product, lang) + (f" · {site}" if len(sites) > 1 else "")
        ax.set_title(style.text(title), fontsize=10)
        ax.set_ylabel(t("routes_y", lang, unit=t(unit, lang)))
        ax.set_ylim(bottom=0)
        ax.set_xlim(years[0], years[-1] if len(years) > 1 else years[0] + 1)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        if i == len(keys) - 1:
            ax.set_xlabel(t("year", lang))
    fig.suptitle(t("routes", lang))
    return fig


def target_points(fr: Frames, product: str) -> list[tuple[str, int, float]]:
    """(target id, year, required tCO2e/t) of the product intensity targets' milestones (required emissions over
    the company's output of the product that year)."""
    tg = fr["targets"]
    pi = fr["product_intensity"]
    out = pi[(pi.site == "company") & (pi["product"] == product) & (pi.case == "plan")].set_index("year").output_t
    pts = []
    for r in tg[tg.milestone & (tg.type == "intensity")].itertuples():
        m = re.search(r"intensity per (\S+) ", str(r.description))
        if m and m[1] == product and r.year in out.index and out[r.year] > 0:
            pts.append((r.target, int(r.year), float(r.required) / float(out[r.year])))
    return pts


def sold(fr: Frames) -> list[str]:
    """Products the company sells, biggest output first."""
    pi = fr["product_intensity"]
    c = pi[(pi.site == "company") & (pi.case == "bau")]
    return list(c.groupby("product").output_t.sum().sort_values(ascending=False, kind="stable").index)


def intensity(fr: Frames, lang: str) -> Figure:
    """Per product sold: plan and BAU intensity on its boundary, the SDA pathway, the targets."""
    pi = fr["product_intensity"]
    sda = fr.get("sda_pathway")
    products = sold(fr)
    fig = style.new_figure(10, 0.4 + 3.4 * len(products))
    for i, p in enumerate(products):
        ax = fig.add_subplot(len(products), 1, i + 1)
        c = pi[(pi.site == "company") & (pi["product"] == p)]
        plan = c[c.case == "plan"].sort_values("year")
        bau = c[c.case == "bau"].sort_values("year")
        ax.plot(plan.year, plan.boundary_tco2e_per_t, color=style.PLAN_COLOUR, lw=2.5, label=t("plan", lang))
        ax.plot(bau.year, bau.boundary_tco2e_per_t, color=style.BAU_COLOUR, lw=2, ls="--", label=t("bau", lang))
        if sda is not None and len(s := sda[sda["product"] == p].sort_values("year")):
            ax.plot(s.year, s.required_tco2e_per_t, color=style.TARGET_COLOUR, lw=1.5, ls="-.", label=t("sda", lang))
            ax.plot(s.year, s.sector_tco2e_per_t, color=style.TARGET_COLOUR, lw=1, ls=":", alpha=0.7,
                    label=t("sector", lang))
        for k, (tid, y, v) in enumerate(target_points(fr, p)):
            ax.scatter([y], [v], marker="*", s=180, color=style.TARGET_COLOUR, zorder=5,
                       label=t("target", lang) if k == 0 else None)
            ax.annotate(tid, (y, v), textcoords="offset points", xytext=(4, 8), fontsize=8, color=style.TARGET_COLOUR)
        boundary = c.boundary_zh.iloc[0] if lang == "zh" else c.boundary.iloc[0]
        sector = SECTOR.get(c.sector.iloc[0], (c.sector.iloc[0],) * 2)[LANGS.index(lang)]
        title = style.text(name(fr, "product", p, lang))
        head = f"{title}（{sector}）：{boundary}" if lang == "zh" else f"{title} ({sector}): {boundary}"
        ax.set_title(head, fontsize=10)
        ax.set_ylabel(t("intensity_y", lang))
        ax.set_ylim(bottom=0, top=1.15 * ax.get_ylim()[1])
        years = c.year
        ax.set_xlim(int(years.min()), int(years.max()))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        if i == len(products) - 1:
            ax.set_xlabel(t("year", lang))
    fig.suptitle(t("intensity", lang))
    return fig
