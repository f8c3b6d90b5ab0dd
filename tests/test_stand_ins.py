"""Library values taken from another year than asked ("stand-ins") are said: assumptions table and summary."""

from __future__ import annotations

import copy

import pandas as pd
from helpers import BASE, scenario

from planner.api import plan
from planner.postprocess.assumptions import stand_ins
from planner.preprocess import baseline as bl
from planner.report.common import words
from planner.schemas.library import load_library
from planner.schemas.loader import validate


def test_grid_factor_row_names_the_year_that_stands_in():
    lib = load_library()
    assert lib.grid_factor_row("East", 2023)[:2] == (0.55, 2023)  # its own row
    assert lib.grid_factor_row("East", 2030)[:2] == (0.55, 2023)  # nearest earlier
    assert lib.grid_factor_row("East", 2019)[:2] == (0.5617, 2022)  # none earlier: first later
    assert lib.grid_factor("East", 2019) == 0.5617


def test_stand_ins_are_grouped_by_the_year_used():
    lib = load_library()
    got = bl.grid_stand_ins(lib, [("East", "location")], [2020, 2021, 2022, 2023, 2024, 2025])
    assert [(s.years, s.used_year, s.tco2_per_mwh) for s in got] == [
        ((2020, 2021), 2022, 0.5617), ((2024, 2025), 2023, 0.55)]
    assert got[1].span == "2024-2025" and "2023 factor 0.5500 tCO2/MWh" in got[1].text()
    assert bl.grid_stand_ins(lib, [("East", "location")], [2022, 2023]) == ()


def test_a_base_year_the_library_lacks_is_in_the_assumptions_and_the_summary():
    # library factors (no grid.factors): base year 2024 and horizon 2025 both use the 2023 rows
    raw = copy.deepcopy(BASE)
    del raw["grid"]
    p = plan(validate(raw, "micro.yaml"))
    s = {(d["region"], d["basis"]): d for d in p.summary["stand_ins"]}
    assert set(s) == {("East", "location"), ("national_residual", "market")}
    east = s["East", "location"]
    assert (east["years"], east["n_years"], east["used_year"], east["tco2_per_mwh"]) == ([2024, 2025], 2, 2023, 0.55)
    a = p.assumptions[p.assumptions.group == "stand_in"]
    assert list(a["item"]) == ["grid factor East (location)", "grid factor national_residual (market)"]
    assert a.year.isna().all() and a.value.isna().all() and list(a.text) == ["2023 factor for 2024-2025"] * 2
    assert list(a.source) == ["MEE/NBS regional grid average factor", "MEE/NBS national factor excluding "
                              "market-traded non-fossil power (for market-based scope 2)"]
    # the factor used is the one the baseline used (factor_index 1 in the base year)
    assert p.inventory is not None
    zh = words.assumption_rows(a, "zh")
    assert list(zh["item"]) == ["电网排放因子 华东（位置法）", "电网排放因子 全国剩余电网（市场法）"]
    assert list(zh.text) == ["2024-2025年采用2023年因子（数据库缺该年）"] * 2
    assert list(words.assumption_rows(a, "en").text) == ["2023 factor used for 2024-2025 (no library row)"] * 2


def test_factors_given_by_the_scenario_need_no_stand_in():
    sc = scenario()  # grid.factors and residual_factor given
    drv = bl.drivers(sc)
    assert drv.grid_stand_ins == () and stand_ins(drv) == []
    loc_only = scenario(grid={"residual_factor": None, "market_basis": "location"})
    assert bl.drivers(loc_only).grid_stand_ins == ()


def test_demo_lists_every_region_it_takes_from_2023(demo_plan):
    a = demo_plan.assumptions
    rows = a[a.group == "stand_in"]
    assert set(rows["item"]) == {"grid factor East (location)", "grid factor North (location)",
                                 "grid factor Southwest (location)", "grid factor national_residual (market)"}
    assert pd.Series([d["used_year"] for d in demo_plan.summary["stand_ins"]]).eq(2023).all()
