"""Known-answer tests of the sentences computed from the results (chart takeaways, headline decisions): tiny
hand-made frames where every number in the sentence is worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.report.plan import story
from planner.report.plan.charts import amount

SITES = {"north": "Tangshan casting plant", "east": "Suzhou plant"}


def _roadmap() -> pd.DataFrame:
    cols = ["measure", "name", "name_zh", "family", "site", "year", "action", "size", "unit", "capex_cny", "end_year"]
    rows = [("vsd", "VSD", "电机变频", "efficiency", "east", 2025, "build", 1.0, "adoption", 10e6, 2039),
            ("pv", "Rooftop PV", "屋顶光伏", "renewables", "east", 2026, "build", 10.0, "MW", 40e6, 2050),
            ("ccus", "CCUS", "碳捕集", "ccus", "north", 2030, "build", 100.0, "kt/yr", 200e6, 2049),
            ("gec", "Certificates", "绿证", "green_power", "company", 2030, "purchase", 1000.0, "MWh", 0.0, 2030)]
    return pd.DataFrame(rows, columns=cols)


@pytest.fixture
def fr() -> dict[str, pd.DataFrame]:
    """Scopes 1+2 targets (2030 met without offsets, 2050 met with 500 t of offsets, base 10,000 t); 2050
    abatement: CCUS 450 t, PV 300 t, VSD 250 t; capex 10 + 40 + 200 MCNY in 2025, 2026, 2030."""
    em = pd.DataFrame([(2025, "north", "scope1", "process:CO2", 6000.0, 6000.0),
                       (2050, "north", "scope1", "process:CO2", 6000.0, 800.0),
                       (2050, "east", "scope2_market", "electricity", 4000.0, 200.0),
                       (2050, "east", "scope2_location", "electricity", 5000.0, 300.0)],
                      columns=["year", "site", "scope", "source", "bau_tco2e", "plan_tco2e"])
    bau = pd.DataFrame([(2024, "north", "scope1", "process:CO2", 6000.0),
                        (2024, "east", "scope2_market", "electricity", 4000.0),
                        (2024, "east", "scope2_location", "electricity", 5000.0),
                        (2024, "company", "scope3", "cat01", 10000.0)],
                       columns=["year", "site", "scope", "source", "tco2e"])
    ab = pd.DataFrame([(2050, "ccus", "ccus", "north", "scope1", "process:CO2", 450.0),
                       (2050, "pv", "renewables", "east", "scope2_market", "electricity", 300.0),
                       (2050, "vsd", "efficiency", "east", "scope2_market", "electricity", 250.0),
                       (2050, "pv", "renewables", "east", "scope2_location", "electricity", 999.0),  # not covered
                       (2030, "ccus", "ccus", "north", "scope1", "process:CO2", 5000.0)],  # not the last year
                      columns=["year", "measure", "family", "site", "scope", "source", "tco2e"])
    tg = pd.DataFrame([("nt", "absolute", 2030, "tCO2e", 10000.0, 7000.0, 6500.0, 0.0, True, True),
                       ("nz", "absolute", 2040, "tCO2e", 10000.0, 4000.0, 4000.0, 0.0, True, False),
                       ("nz", "absolute", 2050, "tCO2e", 10000.0, 500.0, 1000.0, 500.0, True, True)],
                      columns=["target", "type", "year", "unit", "base", "required", "achieved", "offsets_used",
                               "met", "milestone"]).assign(scope1=True, scope2="market", scope3="")
    costs = pd.DataFrame([(2025, "capex", 10e6, 10e6), (2026, "capex", 40e6, 38e6), (2030, "capex", 200e6, 150e6),
                          (2030, "energy", 50e6, 37e6)], columns=["year", "category", "nominal_cny", "discounted_cny"])
    macc = pd.DataFrame([("vsd", "VSD", "电机变频", "efficiency", "east", 2000.0, -500.0),
                         ("pv", "Rooftop PV", "屋顶光伏", "renewables", "east", 3000.0, -100.0),
                         ("ccus", "CCUS", "碳捕集", "ccus", "north", 5000.0, 400.0),
                         ("gec", "Certificates", "绿证", "green_power", "company", 1000.0, 30.0)],
                        columns=["measure", "name", "name_zh", "family", "site", "abatement_tco2e",
                                 "plan_cost_cny_per_tco2e"])
    sa = pd.DataFrame([("ccus", "CCUS", "碳捕集", "ccus", "north", 420.0),
                       ("vsd", "VSD", "电机变频", "efficiency", "east", -600.0),
                       ("pv", "Rooftop PV", "屋顶光伏", "renewables", "east", -50.0)],
                      columns=["measure", "name", "name_zh", "family", "site", "standalone_cost_cny_per_tco2e"])
    a = pd.DataFrame([("price", "ets", 2030.0, 150.0), ("price", "ets", 2050.0, 350.0),
                      ("price", "electricity", 2050.0, 600.0)], columns=["group", "item", "year", "value"])
    return {"roadmap": _roadmap(), "emissions": em, "bau": bau, "abatement": ab, "targets": tg, "costs": costs,
            "macc": macc, "macc_standalone": sa, "assumptions": a}


def test_trajectory_takeaway(fr):
    # abatement 2025-2050 in scopes 1 + 2 market: CCUS 5,000 + 450, PV 300, VSD 250 = 6,000 t; CCUS 5,450 / 6,000
    # = 91%, built 2030 (the location-based 999 t is outside the coverage)
    assert story.takeaway("trajectory_1", fr, "en", SITES) == \
        "CCUS at Tangshan casting plant, from 2030, delivers 91% of the abatement 2025–2050"
    assert story.takeaway("trajectory_1", fr, "zh", SITES) == \
        "Tangshan casting plant的碳捕集自2030年起贡献2025–2050年累计减排量的91%"
    none = {**fr, "abatement": fr["abatement"].assign(tco2e=0.0)}
    assert story.takeaway("trajectory_1", none, "en") == \
        "No abatement 2025–2050: emissions follow business as usual"


def test_trajectory_takeaway_is_not_led_by_a_last_year_starter(fr):
    """Issue 24: a measure that starts in the last year and does all of that year's abatement ('delivers 100%
    of 2050 abatement') does not lead when others did the work over the horizon."""
    ab = fr["abatement"]
    last = pd.DataFrame([(2050, "pv", "renewables", "east", "scope2_market", "electricity", 1000.0)],
                        columns=ab.columns)
    ab = pd.concat([ab[ab.year != 2050], last], ignore_index=True)  # 2050: PV alone, 100% of that year
    title = story.takeaway("trajectory_1", {**fr, "abatement": ab}, "en", SITES)
    assert title == "CCUS at Tangshan casting plant, from 2030, delivers 83% of the abatement 2025–2050"


def test_gantt_takeaways(fr):
    # three builds 2025-2030 (the purchase is not an investment); CCUS 200 MCNY is the largest
    assert story.takeaway("gantt_by_site", fr, "en", SITES) == \
        "3 investments from 2025 to 2030; the largest: CCUS at Tangshan casting plant, 200.0 MCNY in 2030"
    # CCUS family: 200 of 250 MCNY = 80%
    assert story.takeaway("gantt_by_family", fr, "en") == "CCUS takes 80% of the capex (200.0 of 250.0 MCNY)"
    assert story.takeaway("gantt_by_family", fr, "zh") == "碳捕集利用与封存占总投资的80%（250.0百万元中的200.0百万元）"


def test_gantt_slide_takeaways(fr):
    """A Gantt slide of one site or some families says only what that slide shows."""
    # Suzhou plant: VSD 10 MCNY in 2025 and PV 40 MCNY in 2026 (the company's certificates are elsewhere)
    assert story.gantt_site(fr, "en", "east", SITES) == \
        "Suzhou plant: 2 investments from 2025 to 2026, 50.0 MCNY; the largest: Rooftop PV, 40.0 MCNY in 2026"
    assert story.gantt_site(fr, "zh", "east", SITES) == \
        "Suzhou plant：2025–2026年共2项投资，50.0百万元；最大一项：屋顶光伏，2026年投资40.0百万元"
    assert story.gantt_site(fr, "en", "north", SITES) == \
        "Tangshan casting plant: one investment, CCUS, 200.0 MCNY in 2030"
    assert story.gantt_site(fr, "en", "company", SITES) == "Company-wide: purchases only, no investment"
    # efficiency 10 + renewables 40 = 50 of 250 MCNY = 20%; the larger is renewables
    assert story.gantt_families(fr, "en", ["efficiency", "renewables"]) == \
        "Energy efficiency, On-site renewables: 20% of the plan's capex (50.0 of 250.0 MCNY); the largest: " \
        "On-site renewables"
    assert story.gantt_families(fr, "en", ["green_power"]) == \
        "Green power and certificates: purchases only, no investment"


def test_macc_takeaways(fr):
    # stand-alone: VSD -600 and PV -50 are below zero: 2 of 3; the cheapest is VSD
    assert story.takeaway("macc_standalone", fr, "en", SITES) == \
        "Stand-alone at full potential, 2 of 3 measures save money; the cheapest: VSD at Suzhou plant at -600 CNY/t"
    # plan: below the 2050 ETS price of 350: VSD 2,000 + PV 3,000 + certificates 1,000 of 11,000 t = 54.5%
    assert story.takeaway("macc_plan", fr, "en") == \
        "55% of the plan's abatement costs less than the 2050 ETS price of 350 CNY/t"
    assert story.takeaway("macc_plan", fr, "zh") == "规划减排量中55%的成本低于2050年碳价350元/吨"
    no_ets = {**fr, "assumptions": fr["assumptions"][fr["assumptions"]["item"] != "ets"]}
    # without an ETS price: negative cost only, VSD + PV = 5,000 of 11,000 t = 45.5%
    assert story.takeaway("macc_plan", no_ets, "en") == "45% of the plan's abatement has a negative cost"


def test_costs_scopes_compliance_takeaways(fr):
    # NPV = 10 + 38 + 150 + 37 = 235 MCNY; capex peaks in 2030 at 200
    assert story.takeaway("costs", fr, "en") == "Cash net present cost 235.0 MCNY; capex peaks at 200.0 MCNY in 2030"
    # base year without scope 2 location: 6,000 + 4,000 + 10,000; scope 3 = 50%; scopes 1+2 from 10,000 to 1,000
    assert story.takeaway("scopes", fr, "en") == \
        "Scope 3 is 50% of base-year emissions; the plan cuts scopes 1+2 (market-based) by 90% by 2050"
    assert story.takeaway("compliance", fr, "en") == "2 of 2 target milestones met; offsets cover 0.5 ktCO2e in 2050"
    assert story.takeaway("compliance", fr, "zh") == "2个目标节点中2个达成；2050年碳信用抵消0.5千吨CO2e"


def test_headline(fr):
    assert story.headline(fr, "en", SITES) == [
        "Largest investment: CCUS at Tangshan casting plant, 200.0 MCNY in 2030",
        # 10% of 250 MCNY = 25: 2025 (10) is below, 2026 (40 = 16%) is the first big year
        "First big investment year: 2026, 40.0 MCNY (16% of all capex): Rooftop PV at Suzhou plant",
        # negative cost per tonne: PV (3,000 t) and VSD (2,000 t), largest abatement first
        "In the plan, 2 of 4 adopted measures pay for themselves (negative plan cost per tonne): Rooftop PV at Suzhou "
        "plant, VSD at Suzhou plant; together 5 ktCO2e over the horizon",
        "Offsets cover 0.5 ktCO2e of target nz in 2050, 5% of its base-year emissions",
        "All 2 target milestones are met",
    ]
    zh = story.headline(fr, "zh", SITES)
    assert zh[0] == "最大单项投资：Tangshan casting plant的碳捕集，2030年投资200.0百万元"
    assert zh[2] == ("规划中，4项已采用措施中有2项自身即可盈利（规划每吨减排成本为负）：Suzhou plant的屋顶光伏、"
                     "Suzhou plant的电机变频；规划期内合计减排5千吨CO2e")


def test_headline_without_offsets_or_savings_and_with_a_miss(fr):
    tg = fr["targets"].assign(offsets_used=0.0)
    tg.loc[tg.year == 2050, "met"] = False
    fr = {**fr, "targets": tg, "macc": fr["macc"].assign(plan_cost_cny_per_tco2e=10.0)}
    h = story.headline(fr, "en", SITES)
    assert h[2:] == ["In the plan, no adopted measure pays for itself at the scenario's prices",
                     "1 of 2 target milestones are not met: nz (2050)"]


def test_amount_never_reads_zero():
    assert [amount(v) for v in (0.000162, 2.969, 8.0, 12.34, 44_949.9)] == \
        ["0.000162", "2.97", "8.00", "12.3", "44,950"]
