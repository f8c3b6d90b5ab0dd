"""The robust studies' words in English and Chinese, one definition shared by the study's markdown pages
(planner/studies/robust/write.py) and the report family (planner/report/robust/): both may read this stage,
neither may read the other. Column names of the robust frames in Chinese (the markdown tables and the
Chinese workbooks)."""

from __future__ import annotations

from ..schemas.workbook.words import OPTION_ZH

WORDS: dict[str, dict[str, str]] = {
    # titles and sections
    "robust": {"en": "Stochastic roadmap", "zh": "随机路线图"},
    "alternatives": {"en": "Near-optimal alternatives", "zh": "近似最优方案"},
    "robust_title": {"en": "Stochastic roadmap: what to commit to before {split}",
                     "zh": "随机路线图：{split}年前需承诺的决策"},
    "alt_title": {"en": "Near-optimal roadmaps within {slack:.1%} of the least NPV",
                  "zh": "成本在最低净现值{slack:.1%}以内的近似最优路线图"},
    "objective": {"en": "Objective", "zh": "目标"},
    "expected": {"en": "expected NPV", "zh": "期望净现值"},
    "cvar": {"en": "expected NPV blended with CVaR (weight {w:g}, alpha {a:g})",
             "zh": "期望净现值与CVaR加权（权重{w:g}，置信水平{a:g}）"},
    "regret": {"en": "minimax regret against each branch's own optimum", "zh": "相对各分支自身最优的最小最大遗憾"},
    "commit_now": {"en": "Commit now (shared by every branch, before {split})",
                   "zh": "现在承诺（所有分支共享，{split}年前）"},
    "nothing": {"en": "Nothing to build before {split}.", "zh": "{split}年前无需建设。"},
    "nothing_now": {"en": "Nothing to build before {split}: under this objective, waiting is better.",
                    "zh": "{split}年前无需建设：在该目标下，等待更优。"},
    "continuations": {"en": "Each branch's continuation", "zh": "各分支的后续方案"},
    "branches": {"en": "Branches", "zh": "分支"},
    # EVPI and VSS
    "evpi": {"en": "EVPI (expected value of perfect information)", "zh": "完全信息期望价值（EVPI）"},
    "evpi_text": {"en": "what knowing the branch before {split} would save in expectation",
                  "zh": "若在{split}年前已知分支，期望可节省的成本"},
    "vss": {"en": "VSS (value of the stochastic solution)", "zh": "随机解的价值（VSS）"},
    "vss_text": {"en": "what the plan made for the average branch would cost more",
                 "zh": "按平均分支制定的方案多出的成本"},
    "vss_inf": {"en": "the plan made for the average branch cannot be completed in some branch",
                "zh": "按平均分支制定的方案在某些分支中无法完成"},
    "values": {"en": "Value of information", "zh": "信息价值"},
    "cny": {"en": "{x:,.0f} CNY", "zh": "{x:,.0f} 元"},
    "range_text": {"en": "proven between {lo:,.0f} and {hi:,.0f} CNY at the solver's gap",
                   "zh": "在求解器间隙下可证明位于 {lo:,.0f} 至 {hi:,.0f} 元之间"},
    "noise": {"en": "the proven range contains zero: not distinguishable from zero at the solver's gap; "
                    "solve with a smaller mip_rel_gap",
              "zh": "可证明范围包含零：在求解器间隙下与零无法区分，请用更小的 mip_rel_gap 求解"},
    # table headers
    "value": {"en": "Value (CNY)", "zh": "数值（元）"}, "range": {"en": "Proven range (CNY)", "zh": "可证明范围（元）"},
    "item": {"en": "Item", "zh": "项目"}, "note": {"en": "Note", "zh": "说明"},
    "measure": {"en": "Measure", "zh": "措施"}, "site": {"en": "Site", "zh": "工厂"},
    "year": {"en": "Year", "zh": "年份"},
    "capex": {"en": "Expected capex (CNY)", "zh": "期望资本支出（元）"},  # over the branches (commit now)
    "class": {"en": "Class", "zh": "分类"},
    "earliest": {"en": "Earliest year", "zh": "最早年份"}, "latest": {"en": "Latest year", "zh": "最晚年份"},
    "map": {"en": "Measure map", "zh": "措施分类"}, "costs": {"en": "Alternatives' costs", "zh": "各方案成本"},
    "alternative": {"en": "Alternative", "zh": "方案"}, "npv": {"en": "NPV (CNY)", "zh": "净现值（元）"},
    "above": {"en": "Above the least", "zh": "高于最低"}, "found_by": {"en": "Found by", "zh": "求得方式"},
    "builds": {"en": "Builds", "zh": "建设数"},
    "by_least_npv": {"en": "least NPV", "zh": "最低净现值"}, "by_distance": {"en": "most different", "zh": "差异最大"},
    "by_min": {"en": "fewest years in service: {family}", "zh": "{family}投运年数最少"},
    "by_max": {"en": "most years in service: {family}", "zh": "{family}投运年数最多"},
    "capex_mcny": {"en": "Expected capex (MCNY)", "zh": "期望资本支出（百万元）"},
    "npv_mcny": {"en": "NPV (MCNY)", "zh": "净现值（百万元）"},
    # classes (short labels) and their meaning
    "essential": {"en": "essential", "zh": "必做"}, "optional": {"en": "optional", "zh": "可选"},
    "never": {"en": "never", "zh": "不做"}, "unproven": {"en": "unproven", "zh": "未证明"},
    "essential_text": {"en": "essential: in every roadmap within the slack (a plan without it costs more)",
                       "zh": "必做：松弛范围内的每条路线图都包含（不做则成本超出）"},
    "optional_text": {"en": "optional: interchangeable, plans with and without it lie within the slack",
                      "zh": "可选：可互换，含与不含该措施的方案都在松弛范围内"},
    "never_text": {"en": "never: any plan with it costs more than the slack",
                   "zh": "不做：任何包含该措施的方案成本都超出松弛范围"},
    "unproven_text": {"en": "unproven: the probe stopped (time limit) before proving the class",
                      "zh": "未证明：探测求解在证明分类之前停止（达到时间限制）"},
    # how a class was proven (the measure map's evidence column)
    "ev_seen": {"en": "seen with and without", "zh": "含与不含该措施的方案均已找到"},
    "ev_none": {"en": "{mode}: no plan within the slack", "zh": "{mode}：松弛范围内无方案"},
    "ev_plan": {"en": "{mode}: a plan within the slack, NPV {npv:,.0f} CNY",
                "zh": "{mode}：松弛范围内有方案，净现值{npv:,.0f}元"},
    "ev_stopped": {"en": "{mode}: stopped before a proof", "zh": "{mode}：求解在得出证明前停止"},
    "forbid": {"en": "forbid", "zh": "禁止"}, "force": {"en": "force", "zh": "强制"},
    "yes": {"en": "yes", "zh": "是"}, "no": {"en": "no", "zh": "否"},
    # the fan chart
    "fan_title": {"en": "Emissions per branch under the stochastic plan, scopes 1+2+3 (market-based)",
                  "zh": "随机方案下各分支的排放（范围一+二+三，市场法）"},
    "tco2e": {"en": "tCO2e", "zh": "吨二氧化碳当量"}, "fan": {"en": "Branch emissions", "zh": "各分支排放"},
    # sweep verdicts free of solver noise
    "verdict_title": {"en": "Sweep verdicts free of solver noise (tolerance {tol:.2%})",
                      "zh": "排除求解器噪声的敏感性结论（容差{tol:.2%}）"},
    "no_regret": {"en": "no-regret", "zh": "无悔"}, "never_sweep": {"en": "never", "zh": "不做"},
    "interchangeable": {"en": "interchangeable", "zh": "可互换"}, "depends": {"en": "depends", "zh": "视情况而定"},
    "no_regret_text": {"en": "no-regret: essential in every variant: without it every plan costs more than the "
                             "tolerance",
                       "zh": "无悔：每个变体中都必做，不做则成本超出容差"},
    "never_sweep_text": {"en": "never: in every variant, doing it costs more than the tolerance",
                         "zh": "不做：每个变体中，做它的成本都超出容差"},
    "interchangeable_text": {"en": "interchangeable: in every variant plans with and without it lie within the "
                                   "tolerance (a single plan's choice is solver noise)",
                             "zh": "可互换：每个变体中含与不含该措施的方案都在容差以内"
                                   "（单一方案的选择属于求解器噪声）"},
    "unproven_sweep_text": {"en": "unproven: in some variant a probe stopped (time limit) before proving the "
                                  "class; the proven variants agree",
                            "zh": "未证明：某些变体中探测求解在证明分类前停止（达到时间限制），已证明的变体结论一致"},
    "depends_text": {"en": "depends on the assumptions: essential or never in some variants, not in others",
                     "zh": "取决于假设：在部分变体中必做或不做，在其他变体中则不然"},
    "tolerance_text": {"en": "Each verdict is proven by a probe solve per variant and measure: a measure is no-regret "
                             "when, in every variant, every plan without it costs more than {tol:.2%} of the NPV "
                             "above the best plan (the tolerance, at least the solver's gap), never when every "
                             "plan with it does. A verdict from the single returned plan of each variant can be "
                             "solver noise: several plans may lie within the solver's gap, and which one is "
                             "returned is chance.",
                       "zh": "每项结论都由每个变体、每项措施的一次探测求解证明：若在每个变体中，任何不含该措施的方案"
                             "成本都比最优方案高出净现值的{tol:.2%}以上（容差，至少为求解器间隙），则为无悔；"
                             "若任何包含该措施的方案都如此，则为不做。仅凭每个变体返回的单一方案得出的结论可能是"
                             "求解器噪声：求解器间隙内可能有多个方案，返回哪一个具有偶然性。"},
    "other_sweep": {"en": "verdicts.csv in this folder belongs to another sweep (digest {got}, this store {want}): "
                          "not shown; run planner sweep verdicts on this sweep file",
                    "zh": "此文件夹中的 verdicts.csv 属于另一次敏感性分析（摘要 {got}，本结果库 {want}），不予显示；"
                          "请对本敏感性分析文件运行 planner sweep verdicts"},
    "naive": {"en": "Single-plan verdict", "zh": "单一方案结论"},
    "verdict": {"en": "Noise-free verdict", "zh": "排除噪声的结论"},
    "family": {"en": "Family", "zh": "措施类别"},
    "classes": {"en": "Essential / optional / never (variants)", "zh": "必做 / 可选 / 不做（变体数）"},
}

COLUMNS_ZH: dict[str, str] = {
    "measure": "措施", "name": "名称", "name_zh": "中文名称", "kind": "措施类型", "action": "动作",
    "end_year": "结束年份", "share": "比例", "site": "工厂", "year": "年份", "size": "规模", "unit": "单位",
    "capex_cny": "资本支出（元）", "branch": "分支", "probability": "概率", "own_npv_cny": "自身最优净现值（元）",
    "stochastic_npv_cny": "随机方案净现值（元）", "regret_cny": "遗憾（元）", "variable": "变量", "value": "数值",
    "average_plan_npv_cny": "平均分支方案净现值（元）", "own_builds": "自身最优建设数", "scope": "范围",
    "tco2e": "排放量（tCO2e）", "alternative": "方案", "objective": "求得方式", "npv_cny": "净现值（元）",
    "above_least": "高于最低", "builds": "建设数", "measures": "措施数", "solve_seconds": "求解时间（秒）",
    "family": "措施类别", "class": "分类", "proven": "已证明", "adopted_in": "采用次数", "roadmaps": "路线图数",
    "evidence": "依据", "earliest_year": "最早年份", "latest_year": "最晚年份", "verdict": "结论",
    "naive_verdict": "单一方案结论", "variants": "变体数", "adopted": "采用数", "essential": "必做",
    "optional": "可选", "never": "不做", "unproven": "未证明", "variant": "变体", "probe": "探测",
    "probe_npv_cny": "探测方案净现值（元）",
}

SHEETS_ZH: dict[str, str] = {
    "robust_average_plan": "平均分支方案", "robust_branches": "分支", "robust_commit_now": "现在承诺",
    "robust_continuations": "各分支后续方案", "robust_decisions": "共享决策", "robust_emissions": "分支排放",
    "robust_own_plans": "各分支自身最优", "alternatives": "各方案", "alternatives_roadmaps": "各方案路线图",
    "alternatives_measure_map": "措施分类", "verdicts": "排除噪声的结论", "verdict_status": "各变体措施分类",
}


def w(key: str, lang: str, **kw) -> str:
    """The word `key` in `lang`, formatted with `kw`."""
    return WORDS[key][lang].format(**kw)


VERDICT_WORD = {"no_regret": "no_regret", "never": "never_sweep", "interchangeable": "interchangeable",
                "depends": "depends", "unproven": "unproven"}


def evidence(probe: str, cls: str, npv_cny: float | None, lang: str) -> str:
    """How a measure's class was found: seen with and without (no probe), or the probe (forbid | force) and
    what it found: a plan within the slack (its NPV), none, or no proof before it stopped."""
    if not probe:
        return w("ev_seen", lang)
    mode = w(probe, lang)
    if npv_cny is not None and npv_cny == npv_cny:  # not NaN
        return w("ev_plan", lang, mode=mode, npv=npv_cny)
    return w("ev_stopped" if cls == "unproven" else "ev_none", lang, mode=mode)


def found_by(objective: str, lang: str, family=lambda f: f) -> str:
    """How an alternative was found (least_npv, min_<family>, max_<family>, distance) in words; `family` names a
    family id in `lang` (the report passes its family names)."""
    head, _, fam = objective.partition("_")
    if objective in ("least_npv", "distance"):
        return w(f"by_{objective}", lang)
    if head in ("min", "max") and fam:
        return w(f"by_{head}", lang, family=family(fam))
    return objective


def column(c: str, lang: str) -> str:
    """A robust frame's column header in `lang`: COLUMNS_ZH, and `value_<parameter>` (a branch's parameter
    value) with the parameter's name kept."""
    if lang == "en":
        return c
    if c.startswith("value_") and c not in COLUMNS_ZH:
        return f"参数取值 {c[len('value_'):]}"
    return COLUMNS_ZH.get(c, c)


UNITS_ZH = {"adoption": "项"}  # a measure adopted whole (its size is 1); physical units keep their symbols


def localise(df, lang: str, family=lambda f: f):
    """The robust frames' generated values in `lang` (unchanged for "en"): classes, verdicts, yes/no, the
    evidence, how an alternative was found, measure kinds (the workbook's words), the adoption unit and the
    families (through `family`); identifiers keep their names."""
    if lang == "en" or df.empty:
        return df
    out = df.copy()
    for c in ("class", "verdict", "naive_verdict"):
        if c in out:
            out[c] = [w(VERDICT_WORD.get(v, v), lang) if VERDICT_WORD.get(v, v) in WORDS else v for v in out[c]]
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = [w("yes" if v else "no", lang) for v in out[c]]
    if "evidence" in out and "probe" in df:
        out["evidence"] = [evidence("" if p != p else str(p), str(k), n, lang)
                           for p, k, n in zip(df.probe, df["class"], df.probe_npv_cny, strict=True)]
        out["probe"] = ["" if p != p or not p else w(str(p), lang) for p in df.probe]
    if "objective" in out:
        out["objective"] = [found_by(str(o), lang, family) for o in out.objective]
    if "kind" in out:
        out["kind"] = [OPTION_ZH["kind"].get(k, k) if isinstance(k, str) else k for k in out.kind]
    if "unit" in out:
        out["unit"] = [UNITS_ZH.get(u, u) if isinstance(u, str) else u for u in out.unit]
    if "family" in out:
        out["family"] = [family(str(f)) for f in out.family]
    return out


__all__ = ["COLUMNS_ZH", "SHEETS_ZH", "UNITS_ZH", "VERDICT_WORD", "WORDS", "column", "evidence", "found_by",
           "localise", "w"]
