"""Generated strings of the result tables in the report language: target descriptions, SBTi criteria and their
requirements and values, inventory sources, assumption groups, items, units and sources. The result frames keep
their English codes (CSV, Excel); the report translates them here. Identifiers (site, measure, target ids),
scenario text (names, descriptions) and citations of data sources stay as they are."""

from __future__ import annotations

import re

from ...preprocess.targets import coverage_cats, describe, pct_change
from .i18n import SCOPE3_CAT, pick

CARRIER = {
    "electricity": ("electricity", "电力"), "natural_gas": ("natural gas", "天然气"), "coal": ("coal", "煤炭"),
    "diesel": ("diesel", "柴油"), "fuel_oil": ("fuel oil", "燃料油"), "lpg": ("LPG", "液化石油气"),
    "heat": ("purchased heat", "外购热力"), "hydrogen": ("hydrogen", "氢气"), "biomass": ("biomass", "生物质"),
    "export_electricity": ("electricity export", "余电上网"), "ets": ("ETS allowance", "碳排放配额"),
    "ccer": ("CCER credit", "CCER 核证自愿减排量"), "gec": ("green electricity certificate", "绿证"),
    "ppa_premium": ("green power premium", "绿电溢价"),
    # heavy-industry carriers (data/carriers.csv, issue 25)
    "refuse_derived_fuel": ("refuse-derived fuel", "垃圾衍生燃料"), "waste_tyres": ("waste tyres", "废轮胎"),
    "sewage_sludge": ("sewage sludge", "市政污泥"), "coke": ("coke", "焦炭"), "coking_coal": ("coking coal", "炼焦煤"),
    "petroleum_coke": ("petroleum coke", "石油焦"),
}

SOURCE_KIND = {"combustion": ("combustion", "燃烧"), "fugitive": ("fugitive", "逸散"), "process": ("process", "工艺"),
               "route": ("route", "工艺路线过程排放")}

ASSUMPTION_GROUP = {
    "general": ("general", "通用"), "price": ("price", "价格"), "grid_factor": ("grid factor", "电网排放因子"),
    "ets": ("ETS", "碳市场"), "carbon": ("carbon price", "碳价"), "capex_index": ("capex index", "投资成本指数"),
    "stand_in": ("stand-in (missing data)", "缺失数据替代"),
}
ASSUMPTION_ITEM = {
    "discount_rate": ("discount rate", "折现率"), "gwp": ("GWP", "全球变暖潜势 GWP"),
    "consolidation": ("consolidation", "合并口径"), "base_year": ("base year", "基准年"),
    "horizon": ("horizon", "规划期"), "free_allocation_share": ("free allocation share", "免费配额比例"),
    "internal_carbon_price": ("internal carbon price", "内部碳价"),
    "operational_control": ("operational control", "运营控制法"),
    "financial_control": ("financial control", "财务控制法"), "equity_share": ("equity share", "股权比例法"),
    "scope2_matching": ("scope 2 matching", "范围二绿电匹配方式"),
}
SETTING = {  # codes of settings shown as an assumption's value (hourly mode, docs/model.md §15.6)
    "hourly": ("hourly", "逐时匹配"), "annual": ("annual", "按年匹配"),
    "typical": ("typical (computed)", "典型曲线（计算所得）"), "flat": ("flat", "平坦"),
}
UNIT = {
    "1/yr (real)": ("1/yr (real)", "1/年（实际）"), "share of BAU": ("share of BAU", "占BAU排放比例"),
    "x stated unit capex": ("x stated unit capex", "× 设定单位投资"), "adoption": ("adoption", "项"),
    "share": ("share", "比例"), "x annual factor": ("x annual factor", "× 年度因子"),
}
ASSUMPTION_SOURCE = {
    "scenario": ("scenario", "情景设定"), "scenario grid.factors": ("scenario grid.factors", "情景设定的电网因子"),
    "MEE/NBS regional factor x factor_index": ("MEE/NBS regional factor x factor_index",
                                               "生态环境部/国家统计局区域电网因子 × 情景设定的因子指数"),
    "MEE/NBS national residual": ("MEE/NBS national residual", "生态环境部/国家统计局全国剩余电网因子"),
    "IPCC; data/gwp.csv": ("IPCC; data/gwp.csv", "IPCC 评估报告（数据库的全球变暖潜势表）"),
    "GHG Protocol ch. 3": ("GHG Protocol ch. 3", "温室气体核算体系企业标准 第3章"),
    "computed from data/grid_hourly.csv (ASSUMPTION) and the MEE/NBS factors":
        ("computed from data/grid_hourly.csv (ASSUMPTION) and the MEE/NBS factors",
         "由数据库的逐时电网结构表（假设值）与生态环境部/国家统计局电网因子计算"),
    "scenario CSV": ("scenario CSV", "情景提供的逐时数据文件"),
}
REGION = {  # grid regions of data/grid_factors.csv
    "Central": "华中", "East": "华东", "North": "华北", "Northeast": "东北", "Northwest": "西北", "South": "南方",
    "Southwest": "西南", "national": "全国", "national_residual": "全国剩余电网", "fossil_only": "化石能源电力",
}
CAPEX_INDEX = {  # usual names of trajectories.capex_index (scenario ids: others are shown as they are)
    "pv": "光伏", "battery": "储能电池", "heat_pump": "热泵", "wind": "风电", "electrolyser": "电解槽",
    "ccus": "碳捕集利用与封存", "boiler": "锅炉", "led": "照明",
}

SBTI_CRITERION = {
    "scope-3 near-term target needed when scope 3 >= 40% of total": "范围三占总排放≥40%时须设定范围三近期目标",
    "renewable electricity procurement (scope-2 alternative)": "可再生电力采购（范围二替代路径）",
    "net zero no later than 2050": "不晚于2050年实现净零",
    "real reduction >= 90%, only the residual neutralised": "实际减排≥90%，仅中和剩余排放",
    "covers scopes 1 and 2": "覆盖范围一和范围二",
    "covers >= 90% of scope 3": "覆盖≥90%的范围三排放",
    "near-term timeframe 5-10 years": "近期目标时间跨度5-10年",
    "offsets do not count toward reduction targets": "碳抵消不计入减排目标",
    "covers scopes 1 and 2 (>= 95%)": "覆盖范围一和范围二（≥95%）",
    "scopes 1+2 linear reduction >= 4.2%/yr (1.5 C)": "范围一+二线性减排≥4.2%/年（1.5°C）",
    "scope 3 covers >= 67% of scope-3 emissions": "范围三目标覆盖≥67%的范围三排放",
    "scope 3 linear reduction >= 2.5%/yr (well-below 2 C)": "范围三线性减排≥2.5%/年（远低于2°C）",
}
OFFSETS = {"none": "无", "share": "按比例抵消", "net_zero_residual": "仅中和剩余排放"}
SCOPE2_ZH = {"market": "市场法", "location": "位置法", "none": "无"}

# requirement and value cells of the SBTi check (sbti.py) in Chinese, by pattern
SBTI_PATTERNS: list[tuple[str, object]] = [
    (r">= 40% -> target", "≥40%时须设目标"),
    (r"product intensity at or below the SBTi SDA pathway in (\d+)", r"\1年产品碳强度不高于 SBTi 行业减排路径"),
    (r">= ([\d.]+%) intensity reduction", r"强度降幅≥\1"),
    (r"(\d+)-(\d+) years", r"\1-\2年"),
    (r"(-?\d+) years", r"\1年"),
    (r"scope 1 and scope 2", "范围一和范围二"),
    (r"scope1=(True|False), scope2=(\w+)",
     lambda m: f"范围一：{'是' if m[1] == 'True' else '否'}，范围二：{SCOPE2_ZH.get(m[2], m[2])}"),
    (r">= ([\d.]+%)/yr", r"≥\1/年"),
    (r"(-?[\d.]+%)/yr", r"\1/年"),
    (r">= ([\d.]+%) by (\d+)", r"\2年≥\1"),
    (r">= ([\d.]+%)", r"≥\1"),
    (r"year <= (\d+)", r"年份≤\1"),
    (r"scope 3 = ([\d.]+%) of total", r"范围三占总排放\1"),
    (r"(none|share|net_zero_residual)", lambda m: OFFSETS[m[1]]),
]


def sbti_cell(text: str, lang: str) -> str:
    """A criterion, requirement or value of the SBTi check in the report language."""
    if lang == "en" or not isinstance(text, str):
        return text
    if text in SBTI_CRITERION:
        return SBTI_CRITERION[text]
    if text == "(company)":
        return "（公司整体）"
    for pat, rep in SBTI_PATTERNS:
        m = re.fullmatch(pat, text)
        if m:
            return rep(m) if callable(rep) else m.expand(rep)
    return text


def carrier(c: str, lang: str) -> str:
    return pick(CARRIER, c, lang)


def source(src: str, lang: str) -> str:
    """An inventory or emissions source: 'electricity', 'combustion:natural_gas', 'fugitive:SF6', 'process:CO2',
    'cat01' or 'cat01 Purchased goods and services'."""
    if lang == "en" or not isinstance(src, str):
        return src
    m = re.fullmatch(r"cat(\d\d)(?: .*)?", src)
    if m:
        n = int(m[1])
        return f"第{n}类 {pick(SCOPE3_CAT, n, lang)}"
    kind, _, rest = src.partition(":")
    if rest and kind in SOURCE_KIND:
        what = carrier(rest, lang) if kind == "combustion" else rest
        return f"{pick(SOURCE_KIND, kind, lang)}：{what}"
    return carrier(src, lang)


def assumption_item(group: str, item: str, lang: str) -> str:
    """An assumption's item: a carrier or price name, a setting, or a grid-factor line of a site."""
    if item in ASSUMPTION_ITEM:
        return pick(ASSUMPTION_ITEM, item, lang)
    if group == "price":
        return carrier(item, lang)
    if lang == "en":
        return item.replace("national_residual", "national residual")
    if group == "capex_index":
        return CAPEX_INDEX.get(item, item)
    m = re.fullmatch(r"(\S+) \((.+)\) location", item)
    if m:
        return f"{m[1]}（{REGION.get(m[2], m[2])}）位置法"
    m = re.fullmatch(r"(\S+) hourly shape", item)
    if m:
        return f"{m[1]} 逐时电网因子曲线"
    m = re.fullmatch(r"(\S+) market \(unclaimed\)", item)
    if m:
        return f"{m[1]} 市场法（未声明绿电部分）"
    m = re.fullmatch(r"grid factor (\S+) \((location|market)\)", item)
    if m:
        region = REGION.get(m[1], m[1])
        return f"电网排放因子 {region}（{'位置法' if m[2] == 'location' else '市场法'}）"
    return item  # a scenario identifier (capex index name)


def assumption_rows(df, lang: str):
    """The assumptions frame with group, item, text value, unit and generated sources in the report language
    (English: readable words instead of the codes of the CSV)."""
    return df.assign(
        group=[pick(ASSUMPTION_GROUP, g, lang) for g in df.group],
        item=[assumption_item(g, it, lang) for g, it in zip(df.group, df["item"], strict=True)],
        # a setting's code given as the value (scope2_matching: hourly; an hourly shape: typical) reads as text
        text=[assumption_text(t if t or not isinstance(v, str) else v, lang) for t, v in zip(df.text, df.value,
                                                                                               strict=True)],
        unit=[unit(u, lang) for u in df.unit],
        source=[source_text(s, lang) for s in df.source])


def source_text(src: str, lang: str) -> str:
    """An assumption's source: a generated one (ASSUMPTION_SOURCE), else a data-library citation, in Chinese from
    the library's `source_zh` column (as written when the library has none)."""
    if src in ASSUMPTION_SOURCE or lang == "en" or not isinstance(src, str):
        return pick(ASSUMPTION_SOURCE, src, lang)
    from ...schemas.library import load_library

    return load_library().sources_zh.get(src, src)


def assumption_text(t: str, lang: str) -> str:
    """A non-numeric assumption: a setting's code, or a stand-in ('2023 factor for 2024-2050')."""
    if t in ASSUMPTION_ITEM:
        return pick(ASSUMPTION_ITEM, t, lang)
    if t in SETTING:
        return pick(SETTING, t, lang)
    m = re.fullmatch(r"(\d{4}) factor for (\d{4}(?:-\d{4})?)", t) if isinstance(t, str) else None
    if m:
        return f"{m[2]}年采用{m[1]}年因子（数据库缺该年）" if lang == "zh" else \
            f"{m[1]} factor used for {m[2]} (no library row)"
    return t


def unit(u: str, lang: str) -> str:
    return pick(UNIT, u, lang) if isinstance(u, str) else u


def target_description(t, sc, lang: str) -> str:
    """Business wording of a target: en from preprocess.describe, zh e.g.
    '2030年目标「近期」：范围一+二（市场法）-42%'."""
    if lang == "en":
        return describe(t, sc)
    cov = t.coverage
    parts = (["一"] if cov.scope1 else []) + (["二"] if cov.scope2 != "none" else [])
    scope = "范围" + "+".join(parts) if parts else ""
    if cov.scope2 != "none":
        scope += f"（{SCOPE2_ZH[cov.scope2]}）"
    cats = coverage_cats(t, sc)
    if cats:
        s3 = "范围三" + ("" if cats == sorted(sc.scope3.categories) else "第" + "、".join(map(str, cats)) + "类")
        scope = f"{scope} + {s3}" if scope else s3
    name = f"{t.year}年目标" + (f"「{t.name}」" if t.name else "")
    if t.type == "renewable_share":
        return f"{name}：可再生电力占比{t.share:.0%}"
    if getattr(t, "cap_tco2e", None) is not None:
        return f"{name}：{scope}排放上限 {t.cap_tco2e:,.0f} tCO2e"
    product = getattr(t, "product", None)
    if product:  # per t of a product: its Chinese name (else its name, else its id)
        names = [spec.name_zh or spec.name for s in sc.sites for p, spec in s.products.items() if p == product]
        product = names[0] if names and names[0] else product
    per = ("单位营业收入排放强度" if t.intensity_per == "revenue"
           else f"单位{product}产量排放强度" if product else "单位产量排放强度")
    kind = "" if t.type == "absolute" else per
    return f"{name}：{scope}{kind} {pct_change(t.reduction)}"
