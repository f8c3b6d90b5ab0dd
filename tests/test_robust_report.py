"""The robust studies' report (planner/report/robust): pages per language from the frames the study wrote
(never solving), EVPI/VSS as in the frame, Chinese page without generated English, the charts clean; the decks'
takeaway titles true of the frames their slides show; the Chinese workbooks; the alternatives side by side
through the comparison report (CLI --compare-report); the noise-free verdicts in the sweep report."""

from __future__ import annotations

import json
import re

import matplotlib
import pandas as pd
import pytest
import yaml
from chart_check import problems
from click.testing import CliRunner
from test_deliverables import _Text, deck_text, english_words
from test_robust import four_retrofits, one_retrofit, tree

from planner.cli import main
from planner.report.common import style
from planner.report.robust import story, write_robust_report
from planner.report.robust.charts import measure_map
from planner.report.robust.html import fan
from planner.studies.robust import robust

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The two-branch hand case of tests/test_robust.py (regret: commits now) and a small alternatives study
    through the CLI with both reports (its own and the comparison)."""
    out = tmp_path_factory.mktemp("robust")
    sc = one_retrofit()
    robust(sc, tree(sc, {"objective": "regret"})).write(out / "r", ("en", "zh"))
    files = write_robust_report(out / "r", "robust", ("en", "zh"))
    (out / "four.yaml").write_text(yaml.safe_dump(four_retrofits().model_dump(mode="json", exclude_none=True)),
                                   encoding="utf-8")
    run = CliRunner().invoke(main, ["alternatives", str(out / "four.yaml"), "--slack", "5%", "--count", "2",
                                    "--out", str(out / "a"), "--lang", "zh", "--report", "--compare-report"])
    assert run.exit_code == 0, run.output
    files += write_robust_report(out / "a", "alternatives", ("en",))  # the comparison in Chinese only: faster
    return out, files


def _text(path) -> str:
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return "\n".join(p.parts)


def test_pages_show_the_frames_evpi_vss_and_commit_now(written):
    out, files = written
    s = json.loads((out / "r" / "robust_summary.json").read_text(encoding="utf-8"))
    page = _text(out / "r" / "robust_en.html")
    assert f"{s['evpi_cny']:,.0f}" in page and "EVPI" in page and "VSS" in page
    if s["vss_cny"] is not None:
        assert f"{s['vss_cny']:,.0f}" in page
    for r in (s["evpi_range_cny"], s["vss_range_cny"]):
        if r:
            assert f"{r[0]:,.0f} .. {r[1]:,.0f}" in page
            assert ("contains zero" in page) == any(x and x[0] <= 0 < x[1] for x in
                                                    (s["evpi_range_cny"], s["vss_range_cny"]))
    now = pd.read_csv(out / "r" / "robust_commit_now.csv")
    assert all(m in page for m in now.measure)
    assert (out / "r" / "charts" / "robust_fan_en.png").is_file() and (out / "r" / "robust.xlsx").is_file()
    alt = _text(out / "a" / "alternatives_en.html")
    mm = pd.read_csv(out / "a" / "alternatives_measure_map.csv")
    assert all(m in alt for m in mm.measure) and "Measure map" in alt
    assert all(c in alt for c in mm["class"])  # essential / optional / never, as classified
    assert (out / "a" / "alternatives.xlsx").is_file()


def test_zero_range_sentence(written):
    from planner.report.robust.html import proven_range as _range
    assert "contains zero" in _range([-5.0, 10.0], "en") and "包含零" in _range([-5.0, 10.0], "zh")
    s = {"evpi_cny": 3848.0, "evpi_range_cny": [-10.0, 116011.0], "vss_cny": None, "vss_range_cny": None}
    assert story.values(s, "en") == ("EVPI 3,848 CNY (solver noise: the proven range contains zero); "
                                      "VSS: the average branch's plan cannot be completed")
    assert "zero" not in _range([5.0, 10.0], "en")


def test_zh_pages_have_no_generated_english(written):
    out, _ = written
    sites = set(pd.read_csv(out / "r" / "robust_commit_now.csv").site)  # scenario ids stay as written
    for page, ids in ((out / "r" / "robust_zh.html", sites | {"e1", "company", "EVPI", "VSS", "mip_rel_gap"}),
                      (out / "a" / "alternatives_zh.html", set(pd.read_csv(out / "a" / "alternatives_measure_map.csv")
                                                                .measure) | {"company"})):
        alts = set()
        if "alternatives" in page.name:
            alts = {str(a) for a in pd.read_csv(out / "a" / "alternatives.csv").alternative}
        text = _text(page)
        assert re.search(r"[\u4e00-\u9fff]", text)
        assert english_words(text, ids | alts) == [], page.name
        deck = "\n".join(t for pair in deck_text(page.with_suffix(".pptx")) for t in pair)  # the zh deck too
        names = {"micro", "high", "low", "s1"}  # the scenario's name, branch names and site: ids
        assert re.search(r"[\u4e00-\u9fff]", deck)
        assert english_words(deck, ids | alts | names) == [], page.with_suffix(".pptx").name


def test_fan_chart_is_clean(written):
    out, _ = written
    fr = {"robust_emissions": pd.read_csv(out / "r" / "robust_emissions.csv")}
    with matplotlib.rc_context(style.rc()):
        for lang in ("en", "zh"):
            assert problems(fan(fr, lang)) == []
    a = out / "a"
    fr = {n: pd.read_csv(a / f"{n}.csv") for n in ("alternatives", "alternatives_roadmaps", "alternatives_measure_map")}
    with matplotlib.rc_context(style.rc()):
        for lang in ("en", "zh"):
            fig = measure_map(fr, lang)
            assert problems(fig) == []
            cells = [p for p in fig.axes[0].patches if p.get_width() == pytest.approx(0.9)]
            pairs = fr["alternatives_roadmaps"][["alternative", "measure"]].drop_duplicates()
            assert len(cells) == len(pairs)  # one filled cell per roadmap and measure it adopts
            assert problems(measure_map(fr, lang, slide=True)) == []


def _titles(path) -> list[str]:
    from pptx import Presentation

    return [sl.shapes.title.text_frame.text for sl in Presentation(str(path)).slides]


def test_deck_takeaways_are_true_of_their_frames(written):
    """Hand case: e1 (150,000 CNY) built in 2025 before the 2026 split in both branches; EVPI 72,000 CNY proven
    exactly (tests/test_robust.py); alternatives of four retrofits within 5%: a essential, b1/b2 optional, c never;
    alternative 1 (b1 + b2 + a, NPV 575,000) is 25,000 / 550,000 = 4.55% above the least."""
    out, _ = written
    r = {n: pd.read_csv(out / "r" / f"{n}.csv") for n in ("robust_commit_now", "robust_emissions")}
    s = json.loads((out / "r" / "robust_summary.json").read_text(encoding="utf-8"))
    assert story.commit(r, s, "en") == ("Commit now, before 2026: 1 build, 0.15 MCNY expected capex, the same in all "
                                        "2 branches")
    assert story.commit({"robust_commit_now": r["robust_commit_now"].iloc[:0]}, s, "en").startswith(
        "Nothing to commit before 2026")
    by = story.branch_totals(r).set_index(["branch", "year"]).tco2e
    last = by.xs(2026, level="year")
    assert story.fan(r, "en") == ("Every branch emits the same each year under the stochastic plan: "
                                  f"{last.iloc[0]:,.0f} tCO2e in 2026")
    # high doubled in 2025 only: the branches differ in 2025 alone
    k = r["robust_emissions"].branch.eq("high") & r["robust_emissions"].year.eq(2025)
    spread = r["robust_emissions"].assign(tco2e=lambda d: d.tco2e.where(~k, 2 * d.tco2e))
    first = by.xs(2025, level="year")
    assert story.fan({"robust_emissions": spread}, "en") == (
        f"The branches differ most in 2025: from {first['low']:,.0f} tCO2e (low) to {2 * first['high']:,.0f} "
        "tCO2e (high)")
    assert story.values(s, "en") == "EVPI 72,000 CNY (proven 72,000 to 72,000); VSS 0 CNY"
    assert _titles(out / "r" / "robust_en.pptx")[1:] == [story.commit(r, s, "en"), story.fan(r, "en"),
                                                          story.values(s, "en")]
    assert _titles(out / "r" / "robust_zh.pptx")[1] == story.commit(r, s, "zh")
    a = {n: pd.read_csv(out / "a" / f"{n}.csv") for n in ("alternatives", "alternatives_measure_map")}
    sa = json.loads((out / "a" / "alternatives_summary.json").read_text(encoding="utf-8"))
    assert a["alternatives_measure_map"].set_index("measure")["class"].to_dict() == {
        "a": "essential", "b1": "optional", "b2": "optional", "c": "never"}
    assert story.measure_map(a, sa, "en") == "Within 5.0% of the least NPV: 1 essential, 2 optional, 1 never"
    top = a["alternatives"].above_least.max()
    assert top == pytest.approx(25_000 / 550_000)
    assert story.costs(a, "en") == "2 alternatives, at most 4.55% above the least NPV of 0.55 MCNY"
    assert _titles(out / "a" / "alternatives_en.pptx")[1:] == [story.measure_map(a, sa, "en"), story.costs(a, "en"),
                                                               story.measure_map(a, sa, "en")]
    assert _titles(out / "a" / "alternatives_zh.pptx")[2] == story.costs(a, "zh")
    assert "(0.55 MCNY)" in deck_text(out / "a" / "alternatives_en.pptx")[0][1]  # the subtitle: as the takeaway


def test_deck_text_is_readable_and_on_the_slide(written):
    from pptx import Presentation
    from pptx.util import Pt

    from planner.report.common.deck import SLIDE_H, SLIDE_W

    out, _ = written
    for path in (out / "r" / "robust_zh.pptx", out / "a" / "alternatives_en.pptx"):
        for sl in Presentation(str(path)).slides:
            for sh in sl.shapes:
                assert sh.left + sh.width <= SLIDE_W and sh.top + sh.height <= SLIDE_H, path.name
                frames = ([c.text_frame for row in sh.table.rows for c in row.cells] if sh.has_table
                          else [sh.text_frame] if sh.has_text_frame else [])
                sizes = [r.font.size for f in frames for p in f.paragraphs for r in p.runs if r.font.size]
                assert all(z >= Pt(11) for z in sizes), path.name
    zh = "\n".join(sh.text_frame.text for sl in Presentation(str(out / "a" / "alternatives_zh.pptx")).slides
                   for sh in sl.shapes if sh.has_text_frame)
    assert "least_npv" not in zh and "最低净现值" in zh  # how each alternative was found, in Chinese


def test_chinese_workbooks(written):
    from openpyxl import load_workbook

    out, _ = written
    for path, sheet, head in ((out / "r" / "robust_zh.xlsx", "现在承诺", "资本支出（元）"),
                              (out / "a" / "alternatives_zh.xlsx", "措施分类", "分类")):
        wb = load_workbook(path)
        assert sheet in wb.sheetnames and not any(re.fullmatch(r"[a-z_]+", n) for n in wb.sheetnames)
        assert head in [c.value for c in wb[sheet][1]]


def test_alternatives_side_by_side_in_the_comparison_report(written):
    """Each roadmap is a compared scenario (alt_0 the least-NPV reference); its objective in the comparison is
    the alternative's NPV; the roadmap verdicts say where the alternatives differ."""
    out, _ = written
    c = out / "a" / "comparison"
    o = pd.read_csv(out / "a" / "alternatives.csv")
    sc = pd.read_csv(c / "scenarios.csv")
    assert list(sc.scenario) == [f"alt_{i}" for i in o.alternative] and sc.reference.tolist()[0]
    assert sc.objective_cny.tolist() == pytest.approx(o.npv_cny.tolist())
    rm = pd.read_csv(c / "roadmap.csv")
    assert "only in alt_1" in set(rm.verdict.dropna())  # b1: not in the least-NPV roadmap, in alternative 1
    for f in ("comparison_zh.html", "comparison.xlsx", "comparison_zh.xlsx"):
        assert (c / f).is_file()
    assert "成本在最低净现值5.0%以内的近似最优路线图" in _text(c / "comparison_zh.html")  # the page title


def test_sweep_report_shows_the_noise_free_verdicts(tmp_path):
    """With verdicts.csv next to the store, the sweep page shows each verdict beside the single-plan one and the
    tolerance sentence; without it, none is read (write_sweep_report passes what `read` finds)."""
    from sweep_store import synthetic_store

    from planner.report.sweep import verdicts as sv
    from planner.report.sweep import write_sweep_html
    from planner.studies.sweep import analysis as an

    folder = synthetic_store(tmp_path / "s", 8, measures=4)
    d = an.load(folder)
    fr = an.frames(d)
    assert sv.read(d.path.parent) is None
    pd.DataFrame([dict(measure="eff", family="efficiency", verdict="no_regret", naive_verdict="no_regret",
                       variants=8, adopted=8, essential=8, optional=0, never=0, unproven=0),
                  dict(measure="m0", family="efficiency", verdict="interchangeable", naive_verdict="depends",
                       variants=8, adopted=3, essential=0, optional=8, never=0, unproven=0)]
                 ).to_csv(d.path.parent / "verdicts.csv", index=False)
    (d.path.parent / "verdicts_summary.json").write_text(json.dumps({"tolerance": 0.001}), encoding="utf-8")
    nf = sv.read(d.path.parent)
    en = sv.table(*nf, "en")  # the section as the page gets it (the page itself: in Chinese below)
    assert en["title"] == "Sweep verdicts free of solver noise (tolerance 0.10%)"
    assert "can be solver noise" in en["note"] and "more than 0.10% of the NPV" in en["note"]
    assert [c["text"] for c in en["rows"][1]] == ["m0", "Energy efficiency", "interchangeable", "depends", "0 / 8 / 0"]
    zh = _text(write_sweep_html(d, fr, {}, tmp_path, "zh", nf))
    assert "排除求解器噪声" in zh and "可互换" in zh and "视情况" in zh and "求解器噪声" in zh


def test_alternatives_comparison_needs_the_plans_and_how_each_was_found_reads_in_words():
    from planner.errors import InputError
    from planner.studies.robust import Alternatives
    from planner.studies.robust.compare import alternatives_comparison

    empty = pd.DataFrame()
    with pytest.raises(InputError, match="plans=True"):
        alternatives_comparison(Alternatives({}, empty, empty, empty))
    assert story.found_by("max_efficiency", "en") == "most years in service: Energy efficiency"
    assert story.found_by("min_ccus", "zh") == "碳捕集利用与封存投运年数最少"
    assert (story.found_by("least_npv", "zh"), story.found_by("distance", "en")) == ("最低净现值", "most different")


def _xlsx_text(path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def test_zh_markdown_and_workbooks_have_no_generated_english(written):
    """The Chinese markdown pages and workbooks translate the generated values (classes, evidence, how each
    alternative was found, yes/no, scopes, families in the workbooks); identifiers stay as written."""
    out, _ = written
    mm = pd.read_csv(out / "a" / "alternatives_measure_map.csv")
    ids = set(mm.measure) | {"company", "micro", "high", "low", "s1", "e1", "elec", "EVPI", "VSS", "NPV", "CVaR",
                             "tCO2e", "mip_rel_gap"}
    for path, extra in ((out / "r" / "robust_zh.md", set()), (out / "a" / "alternatives_zh.md", set(mm.family)),
                        (out / "r" / "robust_zh.xlsx", set()), (out / "a" / "alternatives_zh.xlsx", set())):
        text = _xlsx_text(path) if path.suffix == ".xlsx" else path.read_text(encoding="utf-8")
        for i in sorted(ids | extra | {"build", "size", "power_built"}, key=len, reverse=True):  # as whole words
            text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(i)}(?![A-Za-z0-9_])", " ", text)  # (decision variables:
        assert english_words(text, set()) == [], path.name  # model.md's names)
    assert "; )" not in (out / "r" / "robust_zh.md").read_text(encoding="utf-8")  # no empty range left behind
    md = (out / "a" / "alternatives_zh.md").read_text(encoding="utf-8")
    assert "必做" in md and "松弛范围内无方案" in md and "最低净现值" in md and "essential" not in md


def test_markdown_numbers_in_the_house_format():
    """Years as written, missing values empty, large CNY whole with separators, small shares to 4 figures."""
    from planner.studies.robust.write import _table

    df = pd.DataFrame({"year": [2025.0, float("nan")], "npv_cny": [4.529e9, 1.5], "proven": [True, False],
                       "class": ["essential", "unproven"]})
    md = _table(df, "en")
    assert "| 2025 | 4,529,000,000 | True | essential |" in md and "|  | 1.5 | False | unproven |" in md
    assert "nan" not in md and "2,025" not in md and "e+09" not in md
    zh = _table(df, "zh")
    assert "| 2025 | 4,529,000,000 | 是 | 必做 |" in zh and "未证明" in zh


def test_fan_counts_scope_2_once():
    """robust_emissions holds both scope-2 bases; the fan and its takeaway use the plan report's total, scopes
    1+2+3 market-based. Hand frame: x and y emit 100 (scope 1) + 50 / 80 (scope 2 market) + 10 (scope 3) in
    2026, the same 160 in 2025; scope 2 location-based (x 1,000, y 0) would otherwise dominate."""
    from planner.report.robust.charts import fan as fan_chart

    rows = [(b, y, sc, t) for b in ("x", "y") for y in (2025, 2026) for sc, t in (
        ("scope1", 100.0), ("scope2_location", 1000.0 if b == "x" else 0.0),
        ("scope2_market", 80.0 if (b, y) == ("y", 2026) else 50.0), ("scope3", 10.0))]
    fr = {"robust_emissions": pd.DataFrame(rows, columns=["branch", "year", "scope", "tco2e"])}
    assert story.fan(fr, "en") == "The branches differ most in 2026: from 160 tCO2e (x) to 190 tCO2e (y)"
    fig = fan_chart(fr, "en")
    assert [list(ln.get_ydata()) for ln in fig.axes[0].lines] == [[160.0, 160.0], [160.0, 190.0]]


def test_sweep_verdicts_of_another_sweep_are_not_shown_and_zh_sheet_is_chinese(tmp_path):
    from planner.report.sweep import verdicts as sv

    v = pd.DataFrame([dict(measure="m0", family="efficiency", verdict="interchangeable", naive_verdict="depends",
                           variants=2, adopted=1, essential=0, optional=2, never=0, unproven=0)])
    v.to_csv(tmp_path / "verdicts.csv", index=False)
    (tmp_path / "verdicts_summary.json").write_text(json.dumps({"tolerance": 0.001, "digest": "aaa"}), "utf-8")
    assert len(sv.read(tmp_path, "aaa")[0]) == 1
    other = sv.read(tmp_path, "bbb")
    sec = sv.table(*other, "en")
    assert other[0].empty and sec["rows"] == [] and "another sweep (digest aaa, this store bbb)" in sec["empty"]
    assert sv.sheets(other[0], "zh") == {}
    (sheet,) = sv.sheets(v, "zh").values()
    text = " ".join(str(x) for x in sheet.iloc[0])
    assert "可互换" in text and "视情况而定" in text and "能效提升" in text
    assert english_words(text, {"m0"}) == []


def test_fan_year_ticks_end_at_the_horizon():
    """The fan's year axis shows the horizon's last year (2050), as every other chart of the house."""
    from planner.report.robust.charts import fan as fan_chart

    rows = [(b, y, "scope1", 100.0) for b in ("x", "y") for y in range(2025, 2051)]
    fig = fan_chart({"robust_emissions": pd.DataFrame(rows, columns=["branch", "year", "scope", "tco2e"])}, "en")
    assert list(fig.axes[0].get_xticks()) == [2025, 2030, 2035, 2040, 2045, 2050]
