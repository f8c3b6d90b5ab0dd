"""The hourly part of the plan report (representative-day mode, docs/model.md §15.6-15.7): the 24/7 carbon-free
share chart (frame `carbon_free`) and the lines stating the scope-2 matching rule, the days (given or
clustered) and profiles used, and the grid connection upgrades (summary.json `representative_days`)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..common import style
from ..common.i18n import LANGS
from ..common.render import Frames

TEXT = {
    "cfe": ("24/7 carbon-free electricity share", "全天候（24/7）无碳电力占比"),
    "cfe_y": ("Share of the site's electricity use (%)", "占工厂用电量比例（%）"),
    "cfe_note": ("on-site generation used on site + contracted supply matched hour by hour",
                 "厂内自发自用 + 逐时匹配的合约绿电"),
    "year": ("Year", "年份"),
    "matching_hourly": ("Scope 2 (market-based) matching: hourly. Green power contracts and certificates count only "
                        "in the hours they produce; the unmatched grid purchase carries the residual factor hour by "
                        "hour.", "范围二（市场法）匹配方式：逐时匹配。绿电合约与绿证仅在其发电的小时内计入；"
                        "未匹配的电网购电逐时按剩余电网因子计算。"),
    "matching_annual": ("Scope 2 (market-based) matching: annual. Green power contracts and certificates count "
                        "against the year's electricity use; the 24/7 share shows what hourly matching would credit.",
                        "范围二（市场法）匹配方式：按年匹配。绿电合约与绿证按全年用电量计入；"
                        "全天候无碳电力占比显示逐时匹配下可计入的部分。"),
    "days_given": ("{n} representative days of {h} hours, given in the scenario (no clustering); detail years "
                   "{y0}-{y1}.", "{n}个典型日（每日{h}小时），由情景直接给定（未聚类）；详细建模年份{y0}-{y1}年。"),
    "days_clustered": ("{n} representative days of {h} hours, clustered from the year's hourly profiles; detail "
                       "years {y0}-{y1}.",
                       "{n}个典型日（每日{h}小时），由全年逐时曲线聚类得到；详细建模年份{y0}-{y1}年。"),
    "profiles": ("Profiles used: {p}.", "所用曲线：{p}。"),
    "no_upgrade": ("Grid connection: no upgrade built.", "电网接入：未扩容。"),
    "upgrade": ("Grid connection upgrade: {u}.", "电网接入扩容：{u}。"),
    "upgrade_one": ("{site} +{mw} MW in {year}", "{site} {year}年扩容{mw}兆瓦"),
    "upgrade_many": ("{site} +{mw} MW in {n} steps, {first}-{last}", "{site} {first}-{last}年分{n}次共扩容{mw}兆瓦"),
}
PROFILE = {"load": ("electricity load", "用电负荷"), "pv": ("PV output", "光伏出力"),
           "wind": ("wind output", "风电出力"),
           "heat": ("heat load", "热负荷"), "grid_factor": ("grid emission factor", "电网排放因子"),
           "price": ("electricity price", "电价"), "export_price": ("export price", "上网电价")}


def t(key: str, lang: str, **kw) -> str:
    s = TEXT[key][LANGS.index(lang)]
    return s.format(**kw) if kw else s


def carbon_free(fr: Frames, lang: str) -> Figure:
    """The 24/7 carbon-free share per site and year, 0-100%."""
    cf = fr["carbon_free"]
    fig = style.new_figure(10, 4.5)
    ax = fig.add_subplot()
    for k, (site, d) in enumerate(cf.groupby("site", sort=True)):
        d = d.sort_values("year")
        ax.plot(d.year, 100 * d.cfe_share, lw=2.2, marker="o", ms=4, color=style.family_colour(["green_power",
                "renewables", "efficiency", "storage"][k % 4]), label=style.text(site))
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter(100))
    years = cf.year
    ax.set_xlim(int(years.min()) - 0.3, int(years.max()) + 0.3)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("cfe_y", lang))
    ax.set_title(f"{t('cfe', lang)}\n{t('cfe_note', lang)}", fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def profile(p: str, lang: str) -> str:
    """'pv:east_assembly' -> 'PV output (east_assembly)'."""
    kind, _, site = p.partition(":")
    name = PROFILE.get(kind, (kind, kind))[LANGS.index(lang)]
    return f"{name}（{site}）" if site and lang == "zh" else f"{name} ({site})" if site else name


def lines(summary: dict, lang: str, sites: dict[str, str] | None = None) -> list[str]:
    """The hourly section's statements: matching rule, days, profiles, connection upgrades (none outside the
    representative-day mode)."""
    rd = summary.get("representative_days")
    if not rd:
        return []
    out = [t("matching_hourly" if rd.get("scope2_matching") == "hourly" else "matching_annual", lang)]
    years = rd.get("detail_years") or [None]
    out.append(t("days_given" if rd.get("given") else "days_clustered", lang, n=rd.get("days"),
                 h=rd.get("hours_per_day"), y0=years[0], y1=years[-1]))
    if rd.get("profiles"):
        sep = "、" if lang == "zh" else ", "
        out.append(t("profiles", lang, p=sep.join(profile(p, lang) for p in rd["profiles"])))
    parts = []
    for s, by in sorted((rd.get("connection_upgrade_mw") or {}).items()):  # per site: its builds (MW by year)
        years = sorted(int(y) for y in by)
        if not years:
            continue
        kw = dict(site=(sites or {}).get(s, s), mw=f"{sum(by.values()):,.2f}")
        parts.append(t("upgrade_one", lang, year=years[0], **kw) if len(years) == 1 else
                     t("upgrade_many", lang, n=len(years), first=years[0], last=years[-1], **kw))
    if parts:
        out.append(t("upgrade", lang, u=("; " if lang == "en" else "；").join(parts)))
    else:
        out.append(t("no_upgrade", lang))
    return out
