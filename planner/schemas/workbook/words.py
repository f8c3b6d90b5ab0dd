"""Labels and units of the workbook in English and Chinese: sheet names, table titles, column headers.

A field's English label is its name with spaces; its Chinese label comes from FIELD_ZH (a test checks that
every field of the scenario models has one, so a new key gets its Chinese label with the key). Units are read
from the field name (`_cny`, `_per_t`, `_mwh`, `share`, `year`...) or from the trajectory type's unit.
"""

from __future__ import annotations

import re

SHEETS = {  # sheet id -> (English, Chinese) sheet name, in workbook order
    "scenario": ("scenario", "情景"), "organisation": ("organisation", "组织架构"),
    "sites": ("sites", "厂区与活动数据"), "emissions": ("emissions", "工艺与逸散排放"),
    "scope3": ("scope3", "范围三"), "prices": ("prices", "价格与趋势"), "grid": ("grid", "电网"),
    "targets": ("targets", "目标"), "measures": ("measures", "减排措施"), "solver": ("solver", "求解设置"),
    "time": ("time", "时间分辨率"), "library": ("library", "措施库"), "lists": ("lists", "下拉列表"),
}
# the sheet of each table: the longest matching prefix of its id (a new top-level key gets its own sheet)
SHEET_OF = {
    "scenario": "scenario", "horizon": "scenario", "organisation": "organisation", "sites": "sites",
    "scope3": "scope3", "prices": "prices", "revenue_mcny": "prices", "trajectories": "prices", "ets": "prices",
    "cbam": "prices",
    "internal_carbon_price": "prices", "grid": "grid", "targets": "targets", "measures": "measures",
    "constraints": "solver", "solver": "solver", "time": "time",
}
EMISSIONS = re.compile(r"^sites\.[a-z_]*emission")  # site tables of emissions go to the emissions sheet

FIELD_ZH = {
    # carbon markets (China ETS benchmark allocation, EU CBAM; docs/model.md §10.1-10.2)
    "adjustment": "调整系数", "allocation": "配额分配方法", "benchmarks": "基准值", "cbam": "欧盟碳边境调节机制",
    "cn_code": "欧盟合并命名法商品编码", "cscf": "跨行业修正系数", "deduct_china_carbon_price": "扣减国内已付碳价",
    "default_tco2e_per_t": "欧盟默认排放值", "embedded": "隐含排放取值",
    "eu_benchmark_tco2e_per_t": "欧盟碳边境调节基准值",
    "eu_ets_price_eur_per_t": "欧盟碳价", "eur_cny": "欧元兑人民币汇率", "export_share": "出口欧盟比例",
    "factor": "碳边境调节系数", "goods": "碳边境调节商品类别", "start_year": "起始年", "tco2_per_t": "基准排放强度",
    "approach": "合并口径", "base_year": "基准年", "build": "模型构建方式", "capex_budget_cny": "年度投资预算",
    "capex_cny_per_kw": "单位投资", "capex_cny_per_kwh": "单位投资", "capex_cny_per_mwh_saved": "单位节能投资",
    "capex_cny_per_tpa": "单位捕集能力投资", "capex_fixed_cny": "固定投资", "capex_index": "投资成本指数",
    "capture_rate": "捕集率", "carrier_change": "能源变化", "carriers": "能源品种", "categories": "类别",
    "category": "类别", "company": "公司名称", "constraints": "约束", "cop": "能效比 COP",
    "cost_cny_per_tco2e": "减排成本",
    "cost_index": "成本指数", "coverage": "覆盖范围", "currency": "币种", "cut_share": "削减比例",
    "cycles_per_year": "年循环次数", "days": "典型日数", "degradation": "年衰减率",
    "demand_charge_cny_per_kw_month": "需量电费",
    "description": "说明", "detail_years": "细化年份", "discount_rate": "折现率", "duration_h": "储能时长",
    "earliest_year": "最早年份", "efficiency": "效率", "elec_mwh_per_t": "单位耗电", "electricity_price": "电价",
    "enabled": "启用", "end": "结束年", "energy": "能源消费量", "entities": "法人实体", "entity": "法人实体",
    "ets": "碳市场", "ets_covered": "纳入全国碳市场", "exclusive_group": "互斥组", "export_limit_mw": "上网功率上限",
    "export_limit_share": "可上网比例", "export_price_cny_per_mwh": "上网电价", "factor_index": "排放因子指数",
    "factors": "区域排放因子", "family": "措施类别", "financial_control": "财务控制方", "fom_fixed_cny": "固定运维费用",
    "fom_share": "运维费率", "free_allocation_share": "免费配额比例", "fuel": "燃料", "fugitive_emissions": "逸散排放",
    "full_load_hours": "满负荷小时数", "gases": "气体", "grid": "电网", "grid_region": "电网区域", "growth": "增长指数",
    "gwp": "全球变暖潜势版本", "heat": "热负荷曲线", "heat_efficiency": "供热效率", "heuristic": "启发式求解",
    "horizon": "规划期", "hourly_years": "逐时年份", "hours": "分时时段", "hours_per_day": "每日小时数", "id": "编号",
    "intensity_per": "强度分母", "internal_carbon_price": "内部碳价", "kind": "措施类型", "latest_year": "最晚年份",
    "lifetime": "寿命", "load": "负荷曲线", "maintain": "保持", "market_basis": "市场法口径",
    "max_adoptions_per_year": "每年最多实施措施数", "max_mwh": "最大电量", "max_power_mw": "最大功率",
    "max_share": "最大比例", "max_size": "最大规模", "max_tco2e": "最大量", "measures": "减排措施",
    "min_real_reduction": "最低实际减排比例", "min_share": "最小比例", "min_size": "最小规模",
    "mip_rel_gap": "相对间隙", "name": "名称",
    "name_zh": "中文名称", "notes": "备注", "offset_share": "抵消比例", "offsets": "抵消方式",
    "operational_control": "运营控制方", "opex_cny_per_t": "单位运行成本", "organisation": "组织架构",
    "output": "产量", "owners": "股东", "parasitic_mwh_per_mwh": "自耗电", "pathway": "路径",
    "power_capex_cny_per_kw": "功率单位投资", "premium_cny_per_mwh": "溢价", "price_cny_per_mwh": "价格",
    "price_cny_per_t": "价格", "prices": "价格", "prices_cny_per_mwh": "分时电价", "process_emissions": "工艺排放",
    "pv": "光伏曲线", "reduction": "减排比例", "reinvest": "到期再投资", "reporting_entity": "报告主体",
    "requires": "前提措施", "residual_factor": "剩余电网因子", "resolution": "时间分辨率", "revenue_mcny": "营业收入",
    "round_trip_efficiency": "往返效率", "saving_share": "节能比例", "scope1": "范围一", "scope2": "范围二",
    "scope3": "范围三", "seed": "随机种子", "self_consumption": "自用比例", "sell_surplus": "出售富余配额",
    "share": "比例", "site": "厂区", "sites": "厂区", "solver": "求解器", "source": "来源", "start": "起始年",
    "target": "对象", "target_carrier": "替代能源", "targets": "目标", "tariff": "电价方案", "tco2e": "排放量",
    "technology": "技术", "template": "措施模板", "threads": "线程数", "time": "时间", "time_limit": "时间上限",
    "trajectories": "趋势", "type": "类型", "unit": "单位", "value": "数值", "wind": "风电曲线", "year": "年份",
    "yield_mwh_per_mw": "年发电量", "market": "市场法", "products": "产品", "output_t": "产量", "sector": "行业",
    "product": "产品", "route": "工艺路线", "scenario": "情景",
    # keys of the product/route and biogenic/site-factor work (issues 25, 26), labelled ahead of the merge
    "capex_cny_per_t": "单位产能投资", "energy_per_t": "单位产品能耗", "existing_capacity_t": "现有产能",
    "existing_until": "现有产能运行至", "fom_cny_per_t": "单位产能固定运维费", "inputs_per_t": "单位产品原料投入",
    "process_emissions_per_t": "单位产品工艺排放", "ramp_t_per_year": "年产量增幅上限", "stages": "分期建设次数",
    "vom_cny_per_t": "单位产品可变运维费", "biogenic_share": "生物质碳比例", "ch4_kg_per_mwh": "CH4排放因子",
    "co2_t_per_mwh": "CO2排放因子", "n2o_kg_per_mwh": "N2O排放因子", "emission_factors": "排放因子",
    "existing_size": "现有规模", "potential_mwh": "潜在发电量", "vom_cny_per_mwh": "单位电量可变运维费",
    "yield_kwh_per_t_output": "吨产品余热发电量", "yield_mwh_per_mwh_fuel": "单位燃料余热发电量",
    # hourly mode part two (issue 28)
    "cap_tco2e": "排放上限", "profile": "出力曲线", "days_file": "给定典型日文件", "scope2_matching": "范围二匹配方式",
    "grid_factor": "电网排放因子曲线", "connection": "电网接入", "import_mw": "受电容量上限", "kva": "报装容量",
    "power_factor": "功率因数", "export_mw": "上网容量上限", "upgrade": "增容", "capex_cny_per_mw": "单位增容投资",
    "max_mw": "最大增容", "billing": "基本电费计费方式", "rest_day_hours": "休息日分时时段",
    "capacity_charge_cny_per_kva_month": "容量电费",
}
# the column of a dict's keys, by the table's field name (other dicts: "name")
KEY_WORD = {
    "energy": ("carrier", "能源品种"), "heat_efficiency": ("carrier", "能源品种"),
    "carrier_change": ("carrier", "能源品种"),
    "process_emissions": ("gas", "气体"), "fugitive_emissions": ("gas", "气体"), "prices": ("item", "价格项"),
    "factors": ("grid region", "电网区域"), "capex_index": ("index", "指数名称"), "categories": ("category", "类别"),
    "sites": ("site", "厂区"), "products": ("product", "产品"), "emission_factors": ("carrier", "能源品种"),
    "energy_per_t": ("carrier", "能源品种"), "inputs_per_t": ("input", "投入品"),
    "process_emissions_per_t": ("gas", "气体"), "benchmarks": ("product", "产品"),
}
PARENT_WORD = {"sites": ("site", "厂区"), "measures": ("measure", "措施"), "entities": ("entity", "法人实体"),
               "categories": ("category", "类别"), "targets": ("target", "目标"), "products": ("product", "产品")}
WORD = {  # fixed words of the workbook
    "key": ("name", "名称"), "year": ("year", "年份"), "value": ("value", "数值"), "notes": ("notes", "备注"),
    "field": ("item", "项目"), "unit": ("unit", "单位"), "by": ("by", "按"), "of": ("of", "的"),
    "default": ("default", "默认值"), "constant": ("year blank = the same value every year",
                                                "年份留空 = 各年相同"),
    "title": ("Scenario workbook", "情景工作簿"), "template": ("template", "模板"), "kind": ("kind", "类型"),
    "param": ("parameter", "参数"), "source": ("source", "来源"), "yes_no": ("yes/no", "是/否"),
    "index": ("index (base year = 1)", "指数（基准年 = 1）"), "share": ("share 0-1", "比例 0-1"),
    "t_yr": ("t/yr", "吨/年"), "years": ("years", "年"), "s": ("s", "秒"), "h": ("h", "小时"),
    "h_yr": ("h/yr", "小时/年"),
    "list": ("comma-separated", "逗号分隔"), "yaml": ("YAML", "YAML"), "carrier_units": ("carrier's unit", "能源单位"),
    "see_library": ("library defaults: sheet library", "措施库默认值：见“措施库”工作表"),
    "range": ("range", "范围"), "intro": (
        "Fill the white cells; leave a cell empty for the default. Rows with an empty value are ignored. "
        "Hidden column A and the hidden row under each header are keys the planner reads: do not edit them.",
        "填写白色单元格；留空即用默认值。数值为空的行将被忽略。隐藏的第一列和每个表头下方的隐藏行是程序读取的键，请勿修改。"),
}
# the Chinese label of each choice, by field name (the Chinese workbook shows and offers these; either the
# label or the code is read back); a choice without a label is shown as its code
OPTION_ZH = {
    "allocation": {"grandfathering": "历史排放法", "benchmark": "基准线法"},
    "embedded": {"actual": "实际排放", "default": "欧盟默认值"},
    "goods": {"iron_and_steel": "钢铁", "aluminium": "铝", "hydrogen": "氢", "cement": "水泥", "fertilisers": "化肥"},
    "approach": {"equity_share": "股权比例法", "financial_control": "财务控制法", "operational_control": "运营控制法"},
    "heuristic": {"auto": "自动", "sites": "按厂区分解", "off": "关闭"},
    "build": {"auto": "自动", "serial": "单进程", "parallel": "按厂区并行"},
    "hourly_years": {"all": "全部年份", "milestones": "关键年份"},
    "intensity_per": {"output": "单位产量", "revenue": "单位营业收入", "product": "单位产品"},
    "market_basis": {"residual": "剩余电网因子", "location": "区域电网因子"},
    "offsets": {"none": "不使用抵消", "share": "按比例抵消", "net_zero_residual": "仅中和剩余排放"},
    "pathway": {"milestone": "仅目标年", "linear": "线性路径"},
    "resolution": {"annual": "逐年", "representative_days": "典型日"},
    "scope2": {"market": "市场法", "location": "基于位置法", "none": "不计入"},
    "scope3": {"all": "全部类别"},
    "target": {"process": "工艺排放", "fugitive": "逸散排放"},
    "technology": {"pv": "光伏", "wind": "风电"},
    "profile": {"flat": "平稳", "pv": "光伏", "wind": "风电"},
    "scope2_matching": {"annual": "按年匹配", "hourly": "逐时匹配"},
    "billing": {"demand": "按需量", "capacity": "按容量"},
    "type": {"absolute": "绝对量", "intensity": "强度", "renewable_share": "可再生电力比例"},
    "sector": {"iron_and_steel": "钢铁", "cement": "水泥", "aluminium": "铝", "other": "其他"},
    "kind": {"carbon_credits": "碳信用", "ccus": "碳捕集利用与封存", "efficiency": "能效改造",
             "electrification": "热力电气化", "fuel_switch": "燃料替代", "green_certificates": "绿证",
             "green_ppa": "绿电交易", "onsite_generation": "现场发电", "process": "工艺改造", "storage": "储能",
             "supply_chain": "供应链减排", "waste_heat_recovery": "余热回收", "route": "生产工艺路线",
             "waste_heat_power": "余热发电"},
}
CODES = {"currency", "gwp", "hours_per_day"}  # choices that are codes in Chinese too (CNY, AR5, 24)


def option_label(name: str, code: object, lang: str) -> object:
    """A choice as shown in the workbook's language."""
    return OPTION_ZH.get(name, {}).get(code, code) if lang == "zh" and isinstance(code, str) else code


def option_code(name: str, text: object, options: tuple) -> object | None:
    """The choice a cell names: its code or its Chinese label (None if neither)."""
    for o in options:
        if text == o or str(text) == str(o) or text == OPTION_ZH.get(name, {}).get(o):
            return o
    return None


TRUE_WORDS = {"true", "yes", "y", "是", "1", "真"}
FALSE_WORDS = {"false", "no", "n", "否", "0", "假"}

_UNIT_EN = {"t": "t", "tpa": "t/yr", "kw": "kW", "kwh": "kWh", "mwh": "MWh", "mw": "MW", "tco2e": "tCO2e",
            "month": "month", "year": "yr", "yr": "yr", "kg": "kg"}
_UNIT_ZH = {"CNY": "元", "MCNY": "百万元", "t": "吨", "yr": "年", "year": "年", "MWh": "MWh", "kW": "kW", "kWh": "kWh",
            "tCO2e": "tCO2e", "month": "月", "saved": "节约", "output": "产品", "fuel": "燃料", "kg": "千克"}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def word(key: str, lang: str) -> str:
    return pick(WORD[key], lang)


def field_label(name: str, lang: str) -> str:
    """Label of a field: its name with spaces (en) or its Chinese label (the name if none yet)."""
    return FIELD_ZH.get(name, name) if lang == "zh" else name.replace("_", " ")


def path_label(path: str, lang: str) -> str:
    """Label of a dotted path: the labels of its parts (`coverage.scope1` -> `coverage scope1`)."""
    parts = [field_label(p, lang) for p in path.split(".")]
    return ("·" if lang == "zh" else " ").join(parts)


def unit_of(name: str, lang: str, traj_unit: str = "") -> str:
    """Unit of a field from its name (`capex_cny_per_kw` -> CNY/kW) or its trajectory type."""
    u = traj_unit.replace(" per unit", "/unit").strip()
    if not u and "emissions" in name:
        if name.endswith("emissions"):
            return word("t_yr", lang)
        u = "t/t" if name.endswith("_per_t") else ""
    if not u:
        m = re.search(r"(?:^|_)(m?cny|mwh|mw|kwh|kw|kg|tco2e|t)(?:_per_(.+))?$", name)
        if m:
            head = {"cny": "CNY", "mcny": "MCNY", "mwh": "MWh", "mw": "MW", "kwh": "kWh", "kw": "kW", "kg": "kg",
                    "tco2e": "tCO2e", "t": "t"}[m.group(1)]
            tail = ""
            for i, part in enumerate((m.group(2) or "").split("_")):  # units after `per`, qualifiers apart
                unit = _UNIT_EN.get(part)
                tail += ("" if i == 0 else "/" if unit else " ") + (unit or part)
            u = head + ("/" + tail if tail else "")
        elif name == "tco2e":
            u = "tCO2e/yr"
        elif name.endswith("_h"):
            return word("h", lang)
        elif name in ("lifetime",):
            return word("years", lang)
        elif name == "time_limit":
            return word("s", lang)
        elif name == "full_load_hours":
            return word("h_yr", lang)
        elif name.endswith("share") or name in ("discount_rate", "reduction", "capture_rate", "degradation",
                                                 "min_real_reduction", "self_consumption", "mip_rel_gap",
                                                 "round_trip_efficiency", "efficiency", "heat_efficiency"):
            return word("share", lang)
        elif name in ("growth",) or name.endswith("_index") or name == "capex_index":
            return word("index", lang)
    if lang == "zh" and u:
        u = re.sub(r"[A-Za-z]+", lambda w: _UNIT_ZH.get(w[0], w[0]), u).replace(" ", "")
    return u


def header(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else label


def table_title(tid: str, lang: str) -> str:
    """Title of a table: the labels of its path (`sites.energy` -> `sites · energy`)."""
    return " · ".join(field_label(p, lang) for p in tid.split("."))


def sheet_of(tid: str) -> str:
    if EMISSIONS.match(tid):
        return "emissions"
    parts = tid.split(".")
    for n in range(len(parts), 0, -1):
        s = SHEET_OF.get(".".join(parts[:n]))
        if s:
            return s
    return parts[0][:31]


def sheet_name(sheet: str, lang: str) -> str:
    return pick(SHEETS[sheet], lang) if sheet in SHEETS else sheet


def sheet_id(title: str) -> str | None:
    """Sheet id of a sheet name in either language (a new top-level key's sheet: its own name)."""
    for k, pair in SHEETS.items():
        if title in pair:
            return k
    return None
