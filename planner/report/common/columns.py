"""Chinese names of the workbooks' sheets and columns (the comparison's and the sweep's frames). A Chinese
workbook (`<name>_zh.xlsx`) carries them; the English workbook keeps the frames' own names, as the CSVs do.
A column missing here keeps its name: the sweep's parameter names and variant numbers are data, not words."""

from __future__ import annotations

SHEET: dict[str, str] = {
    # comparison
    "scenarios": "情景", "inputs": "输入差异", "kpis": "关键指标", "roadmap": "路线图", "common": "共同措施",
    "trajectories": "排放轨迹", "costs": "成本", "abatement": "减排量", "economics": "措施经济性",
    "cbam": "欧盟碳边境调节机制",
    # sweep
    "summary": "概要", "adoption": "措施采用", "infeasibility": "不可行性", "fan": "排放扇形图",
    "target_levels": "目标水平", "first_years": "首次采用年份", "adoption_matrix": "采用矩阵",
    "tornado_cash_npv_cny": "龙卷风图_现金净现值", "tornado_cumulative_scope12_tco2e": "龙卷风图_范围一二累计排放",
    "tornado_capex_2030_cny": "龙卷风图_2030年资本支出", "parameter_effects": "参数效果",
    "indices_npv": "敏感性指数_净现值",
    "carbon_supply": "碳价减排供给", "macc_comparison": "碳价与单项成本对比", "standalone_macc": "单项边际减排成本",
    "metrics": "变体指标", "values": "参数取值", "trend_npv": "净现值趋势",
}

COLUMN: dict[str, str] = {
    "scenario": "情景", "name": "名称", "name_zh": "中文名称", "company": "公司", "source": "来源", "status": "状态",
    "gap": "最优性差距", "cash_npv_cny": "现金净现值（元）", "objective_cny": "目标函数值（元）",
    "reference": "参照情景", "shortfalls": "目标缺口", "path": "参数路径", "reference_value": "参照值", "value": "数值",
    "kpi": "指标", "unit": "单位", "delta": "差值", "site": "工厂", "measure": "措施", "family": "措施类别",
    "adopted": "是否采用", "first_year": "首次采用年份", "size": "规模", "volume": "采购量", "verdict": "结论",
    "abatement_tco2e": "减排量（tCO2e）", "group": "覆盖范围", "group_zh": "覆盖范围（中文）", "year": "年份",
    "milestone": "目标节点", "bau_tco2e": "基准情景排放（tCO2e）", "plan_tco2e": "规划排放（tCO2e）",
    "net_tco2e": "净排放（tCO2e）", "required_tco2e": "目标要求排放（tCO2e）", "category": "成本类别",
    "discounted_cny": "折现成本（元）", "delta_cny": "差值（元）", "tco2e": "减排量（tCO2e）", "kind": "措施类型",
    "discounted_cost_cny": "折现成本（元）", "discounted_abatement_tco2e": "折现减排量（tCO2e）",
    "plan_cost_cny_per_tco2e": "规划内每吨减排成本（元/tCO2e）", "npv_vs_not_adopting_cny": "相对不采用的净现值（元）",
    "irr": "内部收益率", "irr_note": "内部收益率说明", "payback_years": "回收期（年）", "payback_note": "回收期说明",
    "item": "项目", "accuracy": "解释比例", "capex_median_cny": "资本支出中位数（元）", "direction": "方向",
    "first_year_median": "首次采用年份中位数", "frequency": "采用频率", "parameter": "参数", "threshold": "阈值",
    "variants": "变体数", "missed": "未达成数", "share": "比例", "target": "目标",
    "bau_p50": "基准情景排放中位数（tCO2e）",
    "gross_p50": "总排放中位数（tCO2e）", "offsets_p50": "抵消量中位数（tCO2e）", "max": "最大值", "min": "最小值",
    "p10": "第10百分位", "p50": "中位数", "p90": "第90百分位", "required": "目标要求", "type": "类型",
    "base_metric": "基准值", "changes_model": "是否改变模型", "delta_high": "高值差", "delta_low": "低值差",
    "high_value": "高值", "low_value": "低值", "metric_at_high": "高值时指标", "metric_at_low": "低值时指标",
    "swing": "摆幅", "unsolved": "未求解数", "difference": "差异", "values_checked": "检查的取值", "warning": "警告",
    "conf": "置信区间", "index": "指数", "method": "方法", "note": "说明",
    "abatement_tco2e_per_yr": "年减排量（tCO2e/年）", "measures": "措施", "price_cny_per_t": "碳价（元/吨）",
    "variant": "变体", "entry_price": "进入碳价（元/吨）", "potential_tco2e_per_yr": "减排潜力（tCO2e/年）",
    "reason": "原因", "share_of_prices": "碳价占比", "standalone_cost_cny_per_tco2e": "单项每吨减排成本（元/tCO2e）",
    "bound_cny": "最优下界（元）", "capex_2030_cny": "2030年资本支出（元）", "cpu_seconds": "CPU时间（秒）",
    "cumulative_scope12_tco2e": "范围一二累计排放（tCO2e）", "highs_seconds": "HiGHS求解时间（秒）", "message": "消息",
    "peak_rss_mb": "峰值内存（MB）", "rebuild_reason": "重建原因", "rebuilt": "是否重建", "shortfall": "目标缺口",
    "solve_seconds": "求解时间（秒）", "targets_met": "目标是否达成", "targets_missed": "未达成目标数",
    "termination": "终止条件", "total_capex_cny": "总资本支出（元）", "wall_seconds": "耗时（秒）",
    "worker": "工作进程",
    "intercept": "截距", "slope": "斜率",
    # EU CBAM (comparison section) and the CBAM saving of each measure
    "product": "产品", "exported_t": "出口欧盟量（吨）", "embedded_tco2e_per_t": "隐含排放强度（tCO2e/吨）",
    "certificates_t": "CBAM证书（吨）", "cost_cny": "成本（元）", "delta_cost_cny": "成本差值（元）",
    "cbam_saving_cny": "CBAM节省（元）", "discounted_cbam_saving_cny": "折现CBAM节省（元）", "basis": "核算依据",
    "embedded_basis": "隐含排放依据",
}


def sheet_name(name: str, lang: str) -> str:
    """A sheet's name in the language (Excel's 31 characters)."""
    return (SHEET.get(name, name) if lang == "zh" else name)[:31]


def column_name(col, lang: str):
    """A column's header in the language (a name not listed, such as a parameter or a variant, stays)."""
    return COLUMN.get(col, col) if lang == "zh" and isinstance(col, str) else col
