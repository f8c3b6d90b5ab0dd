"""Scenario-comparison report on hand-made frames (three scenarios: the reference, a variant with a measure only
in it and a higher NPV, an infeasible one): every chart renders without warnings in both languages, the HTML
pages load in headless Chromium with no errors or network requests, scenario strings are escaped, the Excel
sheets equal the frames, and the report stage imports no solving stage."""

from __future__ import annotations

import ast
import logging
import warnings
from io import BytesIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import LogRecords as _Records
from helpers import open_in_chromium

from planner.report.compare import write_comparison_report

NAN = float("nan")
YEARS = list(range(2025, 2031))
EVIL = "<script>window.__pwned = 1</script> \"Q\" & 'Co'"
REF, VAR, BAD = "base", "high_carbon", "strict"


def make_frames(var: str = VAR, measure_name: str = "Rooftop PV") -> dict[str, pd.DataFrame]:
    """The frames of a comparison of REF, `var` (adds rooftop PV, NPV +60 MCNY) and BAD (infeasible)."""
    scen = [REF, var, BAD]
    scenarios = pd.DataFrame({
        "scenario": scen, "name": ["Demo", "Demo, high carbon price", "Demo, strict targets"],
        "company": ["Demo Co"] * 3, "source": ["demo.yaml", "demo_high_carbon.yaml", "demo_strict.yaml"],
        "reference": [True, False, False], "status": ["optimal", "optimal", "infeasible"],
        "gap": [0.0, 1e-4, NAN], "cash_npv_cny": [4.5e9, 4.54e9, NAN],
        "objective_cny": [4.5e9, 4.54e9, NAN],
        "shortfalls": ["", "", "target sbti_2030 short by 12,000 tCO2e in 2030; renewable share short by 5% in 2030"]})
    inputs = pd.DataFrame({
        "scenario": [var, var, BAD, BAD], "path": ["prices.ets[2030]", "measures[north_ccus].enabled",
                                                    "targets[sbti_2030].reduction", "targets[re100]"],
        "reference_value": ["80", "true", "0.42", "(absent)"], "value": ["150", "false", "0.9", "{year: 2030}"]})
    kpi_ids = ["cash_npv", "npv_capex", "npv_om", "npv_energy", "npv_ets", "npv_contracts", "npv_salvage",
               "total_capex", "avg_abatement_cost", "cumulative_emissions", "emissions_2027", "emissions_2030",
               "renewable_share_2030", "offsets_used", "targets_met", "targets_total", "sbti_passed", "sbti_total",
               "gap"]
    units = ["CNY"] * 8 + ["CNY/tCO2e", "tCO2e", "tCO2e", "tCO2e", "share", "tCO2e"] + ["count"] * 4 + ["share"]
    ref_v = [4.5e9, 1.2e9, 3e8, 2.5e9, 6e8, 1e8, -2e8, 1.5e9, 320.0, 2.1e6, 3.4e5, 2.6e5, 0.35, 0.0, 2, 2, 5, 6, 0.0]
    var_v = [4.54e9, 1.4e9, 3.2e8, 2.3e9, 6.6e8, 1e8, -2.2e8, 1.75e9, 290.0, 1.95e6, 3.3e5, 2.3e5, 0.52, 1.0e4, 2, 2,
             6, 6, 1e-4]
    kpis = pd.DataFrame([
        {"kpi": k, "unit": u, "scenario": s, "value": v, "delta": d}
        for k, u, a, b in zip(kpi_ids, units, ref_v, var_v, strict=True)
        for s, v, d in ((REF, float(a), 0.0), (var, float(b), float(b - a)), (BAD, NAN, NAN))])
    meas = [("eff", "s1", "VSD motors", "变频电机", "efficiency"), ("hp", "s1", "Heat pump", "热泵", "heat"),
            ("pv", "s2", measure_name, "屋顶光伏", "renewables"),
            ("ppa", "company", "Green PPA", "绿电协议", "green_power")]
    plan = {REF: {"eff": (2025, 1.0, "adoption"), "hp": (2027, 5.0, "MW"), "ppa": (2026, NAN, "MWh")},
            var: {"eff": (2025, 1.0, "adoption"), "hp": (2026, 7.0, "MW"), "pv": (2028, 12.0, "MW"),
                  "ppa": (2026, NAN, "MWh")},
            BAD: {}}
    verdict = {(var, "hp"): f"1 years earlier in {var}; 40% larger in {var}", (var, "pv"): f"only in {var}",
               (var, "eff"): "same", (var, "ppa"): "same"}
    roadmap = pd.DataFrame([
        {"measure": m, "site": site, "name": n, "name_zh": nz, "family": fam, "scenario": s, "adopted": m in plan[s],
         "first_year": float(plan[s][m][0]) if m in plan[s] else NAN,
         "size": plan[s][m][1] if m in plan[s] and plan[s][m][2] != "adoption" else NAN,
         "unit": plan[s].get(m, plan[REF].get(m, (0, 0, "MW")))[2],
         "verdict": "" if s == REF else verdict.get((s, m), f"not in {s}" if m in plan[REF] else "same")}
        for m, site, n, nz, fam in meas for s in scen])
    common = pd.DataFrame([dict(zip(["measure", "site", "name", "name_zh", "family"], x, strict=True))
                           for x in meas if x[0] != "pv"])
    rows = []
    for s, cut in ((REF, 0.06), (var, 0.09), (BAD, NAN)):
        for g, base in (("scopes 1+2 market-based", 4e5), ("scope 3 (categories 1, 4)", 1.5e5)):
            for i, y in enumerate(YEARS):
                bau = base * (1 + 0.01 * i)
                plan_t = base * (1 - cut * i) if s != BAD else NAN
                req = base * (1 - 0.07 * (y - 2024)) if y >= 2027 else NAN
                rows.append({"scenario": s, "year": y, "group": g, "plan_tco2e": plan_t,
                             "net_tco2e": plan_t - (5e3 if s == var and y == 2030 else 0.0), "bau_tco2e": bau,
                             "required_tco2e": req if s != BAD else base * 0.4, "milestone": y in (2027, 2030)})
    trajectories = pd.DataFrame(rows)
    cats = ["capex", "fixed_om", "variable_om", "energy", "carbon_ets", "carbon_internal", "ppa_premium",
            "certificates", "credits", "export_revenue", "salvage"]
    ref_c = [1.2e9, 2e8, 1e8, 2.5e9, 6e8, 0.0, 1e8, 0.0, 0.0, 0.0, -2e8]
    var_c = [1.4e9, 2.1e8, 1.1e8, 2.3e9, 6.6e8, 0.0, 1e8, 0.0, 0.0, -2e7, -2.2e8]
    costs = pd.DataFrame([{"scenario": s, "category": c, "discounted_cny": v, "delta_cny": d}
                          for c, a, b in zip(cats, ref_c, var_c, strict=True)
                          for s, v, d in ((REF, a, 0.0), (var, b, b - a), (BAD, NAN, NAN))])
    abatement = pd.DataFrame([{"scenario": s, "family": f, "tco2e": v}
                              for s, vals in ((REF, (1.1e5, 2.4e5, 0.0, 3e5)), (var, (1.1e5, 2.9e5, 1.2e5, 3e5)))
                              for f, v in zip(["efficiency", "heat", "renewables", "green_power"], vals, strict=True)])
    economics = pd.DataFrame([
        {"scenario": s, "measure": m, "name": n, "name_zh": nz, "family": fam, "site": site,
         "discounted_cost_cny": c, "abatement_tco2e": a, "plan_cost_cny_per_tco2e": c / a,
         "npv_vs_not_adopting_cny": -c, "irr": irr, "irr_note": "" if irr == irr else "cash flows never positive",
         "payback_years": pb, "payback_note": "" if pb == pb else "never pays back within the horizon"}
        for s, m, site, n, nz, fam, c, a, irr, pb in (
            (REF, "eff", "s1", "VSD motors", "变频电机", "efficiency", -3.3e7, 1.1e5, 0.31, 3.0),
            (REF, "hp", "s1", "Heat pump", "热泵", "heat", 4.8e7, 2.4e5, NAN, NAN),
            (var, "eff", "s1", "VSD motors", "变频电机", "efficiency", -3.3e7, 1.1e5, 0.31, 3.0),
            (var, "hp", "s1", "Heat pump", "热泵", "heat", 5.2e7, 2.9e5, 0.04, 14.0),
            (var, "pv", "s2", measure_name, "屋顶光伏", "renewables", 1.8e7, 1.2e5, 0.07, 9.5))])
    return {"scenarios": scenarios, "inputs": inputs, "kpis": kpis, "roadmap": roadmap, "common": common,
            "trajectories": trajectories, "costs": costs, "abatement": abatement, "economics": economics}




@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The report of the three scenarios in both languages, written once with warnings as errors; the variant's
    label and its new measure's name are a script tag with quotes and an ampersand."""
    out = tmp_path_factory.mktemp("comparison")
    frames = make_frames(EVIL, EVIL)
    rec = _Records()
    logging.getLogger("matplotlib").addHandler(rec)
    try:
        with warnings.catch_warnings(), pytest.MonkeyPatch.context() as mp:
            warnings.simplefilter("error")  # a missing glyph is a UserWarning: it fails here
            mp.setenv("PLANNER_REPORT_WORKERS", "1")  # drawn here, so that the log lines are caught here
            files = write_comparison_report(frames, out, ("en", "zh"), title="Strategy options")
    finally:
        logging.getLogger("matplotlib").removeHandler(rec)
    return {"out": out, "files": files, "frames": frames, "log": rec.messages}


STEMS = {"compare_trajectory_1", "compare_trajectory_2", "compare_cost_waterfall", "compare_abatement",
         "compare_roadmap_matrix"}


def test_every_chart_renders_in_both_languages_without_warnings(report):
    from PIL import Image
    assert not [m for m in report["log"] if "findfont" in m or "Glyph" in m], report["log"]
    out = report["out"]
    expected = {out / "charts" / f"{s}_{lang}.{ext}" for s in STEMS for lang in ("en", "zh") for ext in ("png", "svg")}
    expected |= {out / f for f in ("comparison_en.html", "comparison_zh.html", "comparison.xlsx", "comparison_zh.xlsx")}
    assert set(report["files"]) == expected and all(p.exists() for p in expected)
    assert set((out / "charts").iterdir()) == {p for p in expected if p.parent.name == "charts"}
    for p in expected:
        if p.suffix == ".png":
            assert p.stat().st_size > 20_000
            with Image.open(p) as im:
                assert im.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=1)
        elif p.suffix == ".svg":
            svg = p.read_text(encoding="utf-8")
            assert p.stat().st_size > 5_000 and "<text" not in svg and "<script" not in svg


def test_zh_charts_carry_chinese_labels(report):
    svg = (report["out"] / "charts" / "compare_roadmap_matrix_zh.svg").read_text(encoding="utf-8")
    assert "<!-- 各情景措施首次采用年份 -->" in svg and "屋顶光伏" in svg
    svg = (report["out"] / "charts" / "compare_cost_waterfall_zh.svg").read_text(encoding="utf-8")
    assert "资本支出" in svg


def test_infeasible_scenario_left_out_of_charts_kept_in_tables(report):
    from planner.report.compare.charts import feasible
    assert feasible(report["frames"]) == [REF, EVIL]
    for lang in ("en", "zh"):
        svg = (report["out"] / "charts" / f"compare_roadmap_matrix_{lang}.svg").read_text(encoding="utf-8")
        assert f"<!-- {BAD} -->" not in svg and f"<!-- {REF} -->" in svg
    html = (report["out"] / "comparison_en.html").read_text(encoding="utf-8")
    assert "target sbti_2030 short by 12,000 tCO2e in 2030" in html and "infeasible" in html


def test_excel_has_one_sheet_per_frame_equal_to_the_frame(report):
    from openpyxl import load_workbook
    path = report["out"] / "comparison.xlsx"
    xl = pd.read_excel(path, sheet_name=None)
    frames = report["frames"]
    assert list(xl) == list(frames)
    for name, a in frames.items():
        b = xl[name]
        assert list(a.columns) == list(b.columns) and len(a) == len(b), name
        for col in a.columns:
            x, y = a[col], b[col]
            if pd.api.types.is_bool_dtype(x):
                assert x.tolist() == y.tolist(), (name, col)
            elif pd.api.types.is_numeric_dtype(x):
                assert np.allclose(x.astype(float), y.astype(float), equal_nan=True, rtol=1e-12), (name, col)
            else:
                assert x.fillna("").astype(str).tolist() == y.fillna("").astype(str).tolist(), (name, col)
    assert all(c.data_type != "f" for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row)


def test_formula_text_stays_text_in_excel(tmp_path):
    from openpyxl import load_workbook

    from planner.report.compare import write_comparison_excel
    fr = make_frames()
    fr["inputs"].loc[0, "value"] = "=HYPERLINK(\"http://x\",\"y\")"
    path = write_comparison_excel(fr, tmp_path)
    ws = load_workbook(path)["inputs"]
    cell = ws.cell(row=2, column=4)
    assert cell.value == "=HYPERLINK(\"http://x\",\"y\")" and cell.data_type == "s"


def _open(html: Path, probe: str):
    return open_in_chromium(html, probe)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_in_headless_chromium(report, lang):
    from PIL import Image
    probe = "净现值成本" if lang == "zh" else "Scenarios"
    msgs, shot, text, flag, fonts = _open(report["out"] / f"comparison_{lang}.html", probe)
    assert not [m for m in msgs if m[0] in ("error", "warning", "pageerror", "network")], msgs
    im = np.asarray(Image.open(BytesIO(shot)).convert("L"), dtype=float)
    assert im.std() > 20  # not blank
    assert fonts["loaded"] and fonts["check"]
    assert fonts["scripts"] == 0 and fonts["images"] == len(STEMS) and fonts["broken"] == 0
    assert flag == "undefined"  # the scenario label's script never ran...
    assert EVIL in text  # ...and shows literally
    assert text.startswith("Strategy options — Demo Co")
    if lang == "zh":
        assert "输入差异" in text and f"仅在 {EVIL} 中采用" in text and "提前 1 年" in text
        assert "净现值成本（NPV）" in text and "变频电机" in text and "VSD motors" not in text
    else:
        assert "What differs (inputs)" in text and f"only in {EVIL}" in text and "VSD motors" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_escapes_every_scenario_string(report, lang):
    html = (report["out"] / f"comparison_{lang}.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "&#34;Q&#34; &amp; &#39;Co&#39;" in html


def test_report_stage_imports_no_solving_stage():
    root = Path(__file__).resolve().parents[1] / "planner" / "report"
    for path in sorted((root / "compare").glob("*.py")):
        pkg = ["planner", "report", "compare"]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = []
            if isinstance(node, ast.ImportFrom):
                base = pkg[:len(pkg) - node.level + 1] if node.level else []
                mods = [[*base, *(node.module or "").split(".")]]
                mods += [[*mods[0], a.name] for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name.split(".") for a in node.names]
            for resolved in mods:
                resolved = [x for x in resolved if x]
                assert not (resolved[0] == "planner" and len(resolved) > 1
                            and resolved[1] in ("backend", "studies", "api")), (path.name, resolved)


def _only_reference(fr):
    """The reference alone feasible: the other scenarios infeasible, nothing in common, no input differs."""
    fr = {k: v.copy() for k, v in fr.items()}
    fr["scenarios"]["status"] = ["optimal", "no_solution", "infeasible"]
    fr["inputs"] = fr["inputs"].iloc[:0]
    fr["common"] = fr["common"].iloc[:0]
    return fr


@pytest.mark.parametrize("case", ["only_reference", "reference_infeasible", "nothing_adopted", "reference_last"])
def test_degenerate_comparisons_still_draw(case):
    """Every chart and page section copes with odd comparisons (figures built, not saved, to stay fast)."""
    import matplotlib

    from planner.report.common import style
    from planner.report.compare import charts as cc
    from planner.report.compare import html as ch
    fr = make_frames()
    if case == "only_reference":
        fr = _only_reference(fr)
    elif case == "reference_infeasible":
        fr["scenarios"]["status"] = ["infeasible", "optimal", "infeasible"]
        fr["scenarios"]["cash_npv_cny"] = [NAN, 4.54e9, NAN]
        zh = {"scopes 1+2 market-based": "范围一+二（市场法）"}  # an optional column; one group without it
        fr["trajectories"]["group_zh"] = fr["trajectories"].group.map(zh)
    elif case == "nothing_adopted":
        fr["roadmap"]["adopted"] = False
        fr["abatement"] = fr["abatement"].iloc[:0]
        fr["economics"] = pd.DataFrame()  # the study's frame when no run has a plan
    else:  # the reference flag on the last row: it still comes first; a label that would be mathtext
        fr["scenarios"] = fr["scenarios"].iloc[::-1].reset_index(drop=True)
        for df in fr.values():
            if "scenario" in df:
                df["scenario"] = df.scenario.replace({VAR: r"_$\notacommand{$ plan"})
    assert cc.all_scenarios(fr)[0] == REF
    with warnings.catch_warnings(), matplotlib.rc_context(style.rc()):
        warnings.simplefilter("error")
        for _stem, fn in cc.chart_specs(fr):
            for lang in ("en", "zh"):
                fn(fr, lang).savefig(BytesIO(), format="png", dpi=40)
    for lang in ("en", "zh"):
        for make in (ch._scenarios, ch._inputs, ch._causes, ch._kpis, ch._roadmap, ch._common, ch._economics,
                     ch._costs):
            sec = make(fr, lang)
            assert sec["title"] and (sec.get("rows") or sec.get("entries") or sec.get("empty")), (make, sec)


def test_verdicts_in_chinese():
    from planner.report.compare.html import verdict_text
    assert verdict_text("3 years earlier in A; 25% smaller in A", "zh") == ["A 中提前 3 年", "A 中规模小 25%"]
    assert verdict_text("only in B; not in B", "zh") == ["仅在 B 中采用", "B 中未采用"]
    assert verdict_text("2 years later in C; 40% larger in C", "en") == ["2 years later in C", "40% larger in C"]
    assert verdict_text("something new", "zh") == ["something new"]
    v = "2.2x the volume in B; 93% less volume in C; 8% more volume in D; 2.0x the size in E"
    assert verdict_text(v, "zh") == ["B 中采购量为 2.2 倍", "C 中采购量少 93%", "D 中采购量多 8%", "E 中规模为 2.0 倍"]
