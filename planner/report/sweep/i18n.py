"""Text of the sweep charts and report in English and Chinese (beside planner/report/common/i18n.py's shared texts)."""

from __future__ import annotations

from ..common.i18n import LANGS, STATUS, pick

SWEEP_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Sensitivity sweep", "敏感性分析"),
    "subtitle": ("Sweep {name} of scenario {base}: design {design}, {stored} of {planned} variants stored",
                 "情景 {base} 的扫描 {name}：设计 {design}，已存储 {stored} / {planned} 个变体"),
    "partial": ("Partial sweep: {stored} of {planned} variants are in the store (the sweep was interrupted or is "
                "still running); every figure below is computed from those variants only. Finish it with "
                "`planner sweep FILE --resume`.",
                "部分结果：存储中仅有 {stored} / {planned} 个变体（扫描被中断或仍在运行）；以下所有结果仅基于这些变体。"
                "可用 `planner sweep FILE --resume` 完成扫描。"),
    "headline": ("Which measures are safe bets?", "哪些措施是稳妥之选？"),
    "headline_note": ("Share of the {n} solved variants in which each measure is adopted. No-regret: adopted in "
                      "at least 95%; never: in none; depends: the rule on one parameter that best separates adopting "
                      "from not, and the share of variants it explains.",
                      "各措施在 {n} 个已求解变体中被采用的比例。无悔：至少 95% 的变体采用；从不：没有变体采用；"
                      "视情况：最能区分采用与否的单参数规则及其解释的变体比例。"),
    "no_regret": ("no-regret", "无悔措施"), "never": ("never", "从不采用"), "depends": ("depends", "视情况"),
    "rule_above": ("when {p} > {t}", "当 {p} > {t} 时"), "rule_below": ("when {p} ≤ {t}", "当 {p} ≤ {t} 时"),
    "explains": ("explains {a:.0%}", "解释 {a:.0%}"),
    "measure": ("Measure", "措施"), "site": ("Site", "工厂"), "frequency": ("Adopted in", "采用比例"),
    "verdict": ("Verdict", "结论"), "rule": ("Depends on", "取决于"),
    "first_year": ("First year (median)", "首年（中位数）"),
    "capex": ("Capex when adopted (MCNY, median)", "采用时投资（百万元，中位数）"),
    "heatmap": ("Adoption of each measure across the variants", "各措施在各变体中的采用情况"),
    "heatmap_x_variant": ("Variant", "变体"), "heatmap_x_bins": ("{p} (bins of equal count)", "{p}（等频分组）"),
    "heatmap_cbar": ("Adopted (share of variants)", "采用（变体比例）"),
    "tornado": ("Tornado: {metric}", "龙卷风图：{metric}"),
    "tornado_x": ("Change from the base ({unit})", "相对基准的变化（{unit}）"),
    "tornado_low": ("parameter at low", "参数取低值"), "tornado_high": ("parameter at high", "参数取高值"),
    "tornado_base": ("base: {v}", "基准：{v}"),
    "cash_npv_cny": ("cash NPV (internal carbon price excluded)", "现金净现值（不含内部碳价）"),
    "objective_cny": ("objective (net present cost incl. internal carbon price)", "优化目标（含内部碳价的净现值成本）"),
    "cumulative_scope12_tco2e": ("cumulative scope 1+2 emissions", "累计范围一+二排放"),
    "capex_2030_cny": ("capex up to 2030", "2030年前投资"),
    "indices": ("Which assumptions matter (cash NPV): {method}", "关键假设（现金净现值）：{method}"),
    "morris": ("Morris elementary effects", "Morris 基本效应"), "sobol": ("Sobol indices", "Sobol 指数"),
    "spearman": ("Spearman rank correlation", "Spearman 秩相关"),
    "mu_star": ("mu* (MCNY)", "μ*（百万元）"), "sigma": ("sigma (MCNY)", "σ（百万元）"),
    "mcny": ("MCNY", "百万元"), "ktco2e": ("ktCO2e", "千吨CO2e"),
    "no_change": ("{lo} and {hi}: no visible change", "{lo} 和 {hi}：无明显变化"),
    "S1": ("first order", "一阶"), "ST": ("total", "总效应"), "rho": ("rank correlation", "秩相关系数"),
    "fan": ("Emissions across the variants, scopes 1+2 (market-based)", "各变体排放分布：范围一+二（市场法）"),
    "fan_range": ("range (min–max)", "范围（最小–最大）"), "fan_p": ("P10–P90", "P10–P90"),
    "fan_median": ("median (P50)", "中位数（P50）"), "fan_bau": ("business as usual (median)", "基准情景（中位数）"),
    "fan_target": ("target {t}: required, net of offsets", "目标 {t}：要求水平（扣除抵消后）"),
    "fan_net": ("Emissions across the variants, scopes 1+2 (market-based),\nnet of the offsets counted toward the "
                "targets", "各变体排放分布：范围一+二（市场法），\n扣除计入目标的抵消量"),
    "fan_gross": ("gross emissions, before offsets (median)", "总排放，抵消前（中位数）"),
    "fan_offsets": ("offsets counted toward the targets (median)", "计入目标的抵消量（中位数）"),
    "emissions_kt": ("Emissions (ktCO2e/yr)", "排放量（千吨CO2e/年）"), "year": ("Year", "年份"),
    "npv_dist": ("Distribution of the cash NPV (net present cost; internal carbon price excluded)",
                 "现金净现值分布（净现值成本，不含内部碳价）"),
    "npv_x": ("Cash NPV (MCNY)", "现金净现值（百万元）"),
    "count": ("Variants", "变体数"),
    "first_years": ("First year of adoption across the variants", "各变体中措施首次采用年份"),
    "cp_macc": ("Interaction-aware MACC (carbon-price sweep) and the stand-alone MACC",
                "考虑交互作用的边际减排成本曲线（碳价扫描）与单项措施曲线"),
    "cp_x": ("Abatement (ktCO2e/yr, horizon average; scopes 1+2 market+3)",
             "减排量（千吨CO2e/年，规划期平均；范围一+二市场法+三）"),
    "cp_y": ("Carbon price / cost (CNY/tCO2e)", "碳价 / 成本（元/吨CO2e）"),
    "cp_supply": ("chosen by the optimum at each price", "各碳价下最优方案选择的减排量"),
    "cp_static": ("stand-alone MACC (each measure alone)", "单项措施曲线（各措施单独实施）"),
    "later": ("Later than its stand-alone cost: worth less once other measures have cut what it abates",
              "晚于单项成本：其他措施已削减其减排对象，价值降低"),
    "earlier": ("Earlier than its stand-alone cost: sized or timed below its full potential, or cheaper with others",
                "早于单项成本：以低于全部潜力的规模或较晚时间实施，或与其他措施共同实施时更便宜"),
    "never_cp": ("Not chosen at any price: the price does not reach what it abates (e.g. scope 3), or others took it",
                 "任何碳价下均未被选择：碳价未覆盖其减排范围（如范围三），或减排量已被其他措施取得"),
    "note_line": ("{m}: enters at {e}, stand-alone {c:,.0f} CNY/t", "{m}：进入碳价 {e}，单项成本 {c:,.0f} 元/吨"),
    "infeasible": ("Where targets stop being met", "目标无法达成的情形"),
    "infeasible_x": ("Share of variants (%)", "变体比例（%）"),
    "all_targets": ("any (no feasible plan)", "任一（无可行方案）"),
    "scatter": ("Each parameter against the net present cost", "各参数与净现值成本"),
    "trend": ("trend", "趋势"),
    "facts": ("The sweep", "扫描概况"), "item": ("Item", "项目"), "value": ("Value", "数值"),
    "parameters": ("Parameters", "参数"), "parameter": ("Parameter", "参数"), "path": ("Path", "路径"),
    "mode": ("Mode", "方式"), "low": ("Low", "低值"), "high": ("High", "高值"), "base": ("Base", "基准"),
    "tornado_table": ("Tornado (cash NPV, MCNY)", "龙卷风（现金净现值，百万元）"),
    "at_low": ("NPV at low", "低值时净现值"), "at_high": ("NPV at high", "高值时净现值"), "swing": ("Swing", "摆幅"),
    "infeasible_table": ("Targets missed", "未达成目标"), "target": ("Target", "目标"), "share": ("Share", "比例"),
    "region": ("Where", "发生区域"), "macc_table": ("Entry price against stand-alone cost", "进入碳价与单项成本"),
    "entry": ("Enters at (CNY/t)", "进入碳价（元/吨）"),
    "standalone": ("Stand-alone cost (CNY/t)", "单项成本（元/吨）"),
    "why": ("Why", "原因"), "none": ("—", "—"),
    "charts": ("Charts", "图表"),
    "generated": ("Generated by planner {version} from the store {store}; nothing was re-solved.",
                  "由 planner {version} 根据存储 {store} 生成；未重新求解。"),
    "reading": ("How to read the charts: docs/sweeps.md (Reading a sweep).",
                "图表解读见 docs/sweeps.md（解读扫描结果）。"),
    "status": ("Status", "状态"),
    "no_effect": ("Parameter {p} ({path}) did not change the model inputs at {values}: its variants solve the "
                  "base model, so every result below shows no effect of it. Check the path and the range.",
                  "参数 {p}（{path}）在取值 {values} 时未改变模型输入：其变体求解的就是基准模型，因此下文各结果均不反映"
                  "该参数的影响。请检查路径和取值范围。"),
    "no_effect_mark": ("did not change the model inputs", "未改变模型输入"),
    "changes_model": ("Changes the model", "改变模型"), "yes": ("yes", "是"),
    "not_checked": ("not checked", "未检查"),
    "relaxed": ("Targets relaxed: a carbon-price sweep drops the base scenario's targets in every variant, so that "
                "what is adopted answers the carbon price alone. No target is checked here: a measure marked "
                "\"not at any price\" may still be needed to meet the targets (e.g. scope-3 supplier programmes, "
                "which an internal price on scopes 1+2 does not reach).",
                "目标已放宽：碳价扫描在每个变体中去掉基准情景的目标，使措施的采用仅反映碳价本身。此处不检查任何目标："
                "标为“任何碳价下均未采用”的措施仍可能是达成目标所必需的（如范围三供应商项目，针对范围一+二的内部碳价"
                "无法覆盖）。"),
    "never_relaxed": ("not at any price", "任何碳价下均未采用"),
    "no_plan_table": ("Variants without a feasible plan (targets relaxed: not checked)",
                      "无可行方案的变体（目标已放宽，不检查）"),
    "no_plan": ("Where no feasible plan is found (targets relaxed)", "无可行方案的情形（目标已放宽）"),
}

# design, mode and reason words, and the facts table's items (the store's keys)
DESIGN = {"oat": ("one at a time", "单因素（逐一变动）"), "grid": ("grid", "网格"),
          "lhs": ("Latin hypercube", "拉丁超立方抽样"), "montecarlo": ("Monte Carlo", "蒙特卡洛抽样"),
          "morris": ("Morris screening", "Morris 筛选"), "sobol": ("Sobol", "Sobol 抽样"),
          "carbon_price": ("carbon price", "碳价扫描")}
MODE = {"scale": ("scale", "按比例缩放"), "set": ("set", "设为数值"), "add": ("add", "加上数值"),
        "shift": ("shift", "平移")}
REASON = {"as_expected": ("as expected", "符合预期"), "earlier": ("earlier", "更早"), "later": ("later", "更晚"),
          "never": ("not at any price", "任何碳价下均未采用"), "beyond": ("costs more than the highest price",
                                                                  "成本高于最高碳价"),
          "no stand-alone cost": ("no stand-alone cost", "无单项成本")}
FACT = {"name": ("Name", "名称"), "design": ("Design", "设计"), "base_scenario": ("Base scenario", "基准情景"),
        "variants_planned": ("Variants planned", "计划变体数"), "variants_stored": ("Variants stored", "已存储变体数"),
        "partial": ("Partial", "部分结果"), "targets_relaxed": ("Targets relaxed", "目标已放宽"),
        "parameters_without_effect": ("Parameters without effect", "未产生影响的参数")}
DIFFERENCE = {"discount factors": ("discount factors", "贴现系数")}
YES_NO = {"True": ("yes", "是"), "False": ("no", "否")}


def st(key: str, lang: str, **kw) -> str:
    """Sweep text of a key in a language, formatted with kw."""
    s = SWEEP_TEXT[key][LANGS.index(lang)]
    return s.format(**kw) if kw else s


def fact(item: str, value: str, lang: str) -> tuple[str, str]:
    """A row of the facts table in words: (item, value); statuses as `status_<s>`."""
    if item.startswith("status_"):
        sep = "：" if lang == "zh" else ": "
        return f"{st('status', lang)}{sep}{pick(STATUS, item.removeprefix('status_'), lang)}", value
    value = pick(DESIGN, value, lang) if item == "design" else pick(YES_NO, value, lang) if value in YES_NO else value
    return pick(FACT, item, lang), value
