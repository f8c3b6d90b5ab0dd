"""Deliverables handed to clients unchanged (issue 14): the Chinese report and charts carry no generated English,
two report runs give byte-identical files (unless a run stamp is asked for), the slide deck reopens with the
expected slides, the trajectory charts draw every series over the whole horizon from zero."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from planner.report import write_report
from planner.report.common.deck import SLIDE_DPI
from planner.report.plan import charts
from planner.report.plan.html import write_excel, write_html
from planner.report.plan.slides import chart_slides
from planner.report.plan.specs import chart_specs

# units, chemical formulas, acronyms and product names that are the same in a Chinese report
ALLOWED_WORDS = {
    "tCO2e", "tCO2", "CO2e", "CO2", "CH4", "N2O", "HFC-134a", "NF3", "SF6", "CNY", "MCNY", "MWh", "MW", "MW_th",
    "kW", "kt", "yr", "Nm3", "SBTi", "NPV", "BAU", "ETS", "CCUS", "CCER", "GEC", "PPA", "ISO", "GWP", "AR5", "LFP",
    "PV", "planner", "UTC", "CBAM",
    # units and acronyms of the data library's citations (in its Chinese source texts, docs/report.md)
    "GJ", "TJ", "kg", "kcal", "kWh", "kWp", "Wh", "GB", "IPCC", "SM", "ECN", "LED", "LBNL", "COP", "IEA",
    "CF4", "C2F6",  # perfluorocarbons of aluminium smelting (scenarios/aluminium.yaml)
}


class _Text(HTMLParser):
    """Visible text of an HTML page (no style or script)."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_words(text: str, allowed_phrases: set[str]) -> list[str]:
    """English words left in a text once the scenario's own text, identifiers and citations are taken out."""
    for phrase in sorted((p for p in allowed_phrases if p), key=len, reverse=True):
        text = text.replace(phrase, " ")
    text = re.sub(r"\d(\.\d+)?e[-+]\d+", " ", text)  # numbers in scientific notation (the solver gap)
    words = re.findall(r"[A-Za-z][A-Za-z0-9_\-]*[A-Za-z0-9]", text)
    return sorted({w for w in words if w not in ALLOWED_WORDS})


def scenario_text(plan) -> set[str]:
    """The scenario's own text (company, names, description) and ids (site, measure, target): may stay as written.
    Data-library sources, grid regions and capex-index names are not in it: they have Chinese texts (issue 24)."""
    sc = plan.scenario
    out = {sc.company, sc.name, sc.description or ""}
    out |= {s.id for s in sc.sites} | {s.name for s in sc.sites if s.name}
    return out | {m.id for m in sc.measures} | {t.id for t in sc.targets} | {t.name for t in sc.targets if t.name}


def deck_text(path: Path) -> list[tuple[str, str]]:
    """(slide title, all text of the slide) per slide."""
    out = []
    for slide in Presentation(str(path)).slides:
        texts = []
        for sh in slide.shapes:
            if sh.has_text_frame:
                texts.append(sh.text_frame.text)
            if sh.has_table:
                texts += [c.text_frame.text for row in sh.table.rows for c in row.cells]
        out.append((slide.shapes.title.text_frame.text if slide.shapes.title else "", "\n".join(texts)))
    return out


def test_the_english_check_catches_generated_english():
    assert english_words("排放 electricity combustion:natural_gas 2.1e-05 tCO2e Huayao", {"Huayao"}) == \
        ["combustion", "electricity", "natural_gas"]


def test_zh_report_charts_and_deck_have_no_generated_english(demo_plan, demo_report):
    allowed = scenario_text(demo_plan)
    parser = _Text()
    parser.feed((demo_report / "report_zh.html").read_text(encoding="utf-8"))
    page = "\n".join(parser.parts)
    assert english_words(page, allowed) == []
    for svg in sorted((demo_report / "charts").glob("*_zh.svg")):  # each text element is named in a comment
        comments = " ".join(re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8")))
        assert english_words(comments, allowed) == [], svg.name
    for title, text in deck_text(demo_report / "deck_zh.pptx"):
        assert english_words(text, allowed) == [], title
    assert "5,500 大卡动力煤，秦皇岛，2025年均价" in page and "Qinhuangdao" not in page  # library source in Chinese
    # the English report does use the English codes (the check is not vacuous)
    parser = _Text()
    parser.feed((demo_report / "report_en.html").read_text(encoding="utf-8"))
    assert {"electricity", "discount", "offsets", "Required"} <= set(english_words("\n".join(parser.parts), allowed))


def test_two_report_runs_give_identical_bytes(demo_plan, demo_report, tmp_path, monkeypatch):
    """A second run (Chinese only, to keep the suite short: it has the font subset and the CJK glyphs) gives
    every one of its files byte for byte as the first run (both languages) wrote them. The first run draws
    everything in the test process, the second in a pool of two worker processes (planner/report/common/parallel.py):
    the same bytes either way."""
    monkeypatch.setenv("PLANNER_REPORT_WORKERS", "2")
    write_report(demo_plan, tmp_path, ("zh",), ("html", "pptx"))
    first = {p.relative_to(demo_report) for p in demo_report.rglob("*") if p.is_file()}
    second = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert set(second) <= first and len(second) > 30
    assert {p.suffix for p in second} >= {".svg", ".png", ".html", ".xlsx", ".pptx", ".csv"}
    differ = [str(p) for p in second if (demo_report / p).read_bytes() != (tmp_path / p).read_bytes()]
    assert differ == []
    with zipfile.ZipFile(demo_report / "deck_en.pptx") as z:  # no time of writing inside the package
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_a_run_stamp_is_visible_and_dates_the_files(demo_plan, tmp_path):
    when = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    html = write_html(demo_plan, {}, tmp_path, "en", when).read_text(encoding="utf-8")
    assert "run 2031-05-06 07:08:09 UTC" in html
    assert "运行时间" not in write_html(demo_plan, {}, tmp_path, "zh").read_text(encoding="utf-8")  # no stamp asked
    with zipfile.ZipFile(write_excel(demo_plan, tmp_path, when)) as z:
        assert {i.date_time for i in z.infolist()} == {(2031, 5, 6, 7, 8, 8)}  # zip times have 2 s resolution
        assert "2031-05-06T07:08:09Z" in z.read("docProps/core.xml").decode()


def test_deck_reopens_with_the_expected_slides(demo_plan, demo_report):
    fr = demo_plan.frames()
    sites = {s.id: s.name for s in demo_plan.scenario.sites}
    for lang in ("en", "zh"):
        charts_ = chart_slides(fr, lang, sites)
        assert {s for s, _, _ in charts_} == {s for s, _ in chart_specs(fr)}  # every chart, Gantts over slides
        stems = [s for s, _, _ in charts_]
        prs = Presentation(str(demo_report / f"deck_{lang}.pptx"))
        slides = list(prs.slides)
        titles = [t for t, _ in deck_text(demo_report / f"deck_{lang}.pptx")]
        n_assumptions = len(titles) - 3 - len(stems)
        assert n_assumptions >= 1 and len(slides) == 2 + len(stems) + 1 + n_assumptions
        assert demo_plan.scenario.company in titles[0]
        assert titles[1] == ("Headline: the decisions that matter" if lang == "en" else "要点：关键决策")
        assert titles[2:2 + len(stems)] == [t for _, t, _ in charts_]
        for slide in slides[2:2 + len(stems)]:
            pics = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
            assert len(pics) == 1
            px_w = pics[0].image.size[0]
            assert 9.5 * SLIDE_DPI <= px_w <= 11.5 * SLIDE_DPI  # slide resolution, not the 300-dpi print files
            assert pics[0].left >= 0 and pics[0].left + pics[0].width <= prs.slide_width
            assert pics[0].top + pics[0].height <= prs.slide_height
        table = [sh for sh in slides[2 + len(stems)].shapes if sh.has_table][0].table
        assert len(table.rows) == 1 + int(demo_plan.targets.milestone.sum())
        assert titles[-1].startswith("Key assumptions" if lang == "en" else "关键假设")
    en = deck_text(demo_report / "deck_en.pptx")
    assert "1. Largest investment:" in en[1][1]  # the headline decisions, as editable text


@pytest.mark.parametrize("i", [0, 1])
def test_trajectory_draws_every_series_over_the_horizon_from_zero(demo_plan, i):
    fr = demo_plan.frames()
    group = charts.coverage_groups(fr)[i]
    fig = charts.trajectory(fr, "en", group)
    ax = fig.axes[0]
    years = sorted(fr["emissions"].year.unique())
    lines = {ln.get_label(): ln.get_xdata() for ln in ax.get_lines()}
    for label in ("Business as usual", "Plan (gross)"):
        assert list(lines[label]) == years, label
    for coll in ax.collections:  # wedges (and hatched offsets): their outline spans the whole horizon
        if coll.get_label().startswith("_"):
            continue
        xs = coll.get_paths()[0].vertices[:, 0]
        if coll.get_label() != "Offsets (credits)" and coll.get_label() != "Target milestone":
            assert xs.min() == years[0] and xs.max() == years[-1], coll.get_label()
    assert ax.get_ylim()[0] == 0
    lines_bau = [ln for ln in ax.get_lines() if ln.get_label() == "Business as usual"][0]
    plan = [ln for ln in ax.get_lines() if ln.get_label() == "Plan (gross)"][0]
    assert lines_bau.get_zorder() > plan.get_zorder()  # visible where BAU and plan coincide


def test_cli_report_format_pptx_and_stamp(tmp_path):
    """`planner report --format pptx` writes only the decks (one-year micro scenario); `--stamp` shows the run time."""
    import copy

    import yaml
    from click.testing import CliRunner
    from helpers import BASE, efficiency

    from planner.cli import main

    d = copy.deepcopy(BASE)
    d.update(measures=[efficiency("e1", share=0.2, capex=1000)],
             targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"}, "reduction": 0.1}])
    f = tmp_path / "micro.yaml"
    f.write_text(yaml.safe_dump(d), encoding="utf-8")
    r = CliRunner().invoke(main, ["report", str(f), "--out", str(tmp_path / "o"), "--format", "pptx", "--lang", "both",
                                  "--stamp"])
    assert r.exit_code == 0, r.output
    assert "deck:" in r.output and not list((tmp_path / "o").glob("*.html"))
    for lang in ("en", "zh"):
        titles = [t for t, _ in deck_text(tmp_path / "o" / f"deck_{lang}.pptx")]
        assert len(titles) >= 8
    first = deck_text(tmp_path / "o" / "deck_en.pptx")[0][1]
    assert re.search(r"; run \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", first)
    assert "1 of 1 target milestones met, without offsets" in [t for t, _ in deck_text(tmp_path / "o" / "deck_en.pptx")]


def test_summary_cards_say_what_the_emission_figures_cover(demo_plan, tmp_path):
    """Issue 24: total emissions rise (scope 3 grows) next to 'all targets met'; the cards say the total covers
    scopes 1+2+3 and show, per target coverage, the emissions its targets constrain and their change."""
    html = write_html(demo_plan, {}, tmp_path, "en").read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    fr = demo_plan.frames()
    bau, em = fr["bau"], fr["emissions"]
    b0 = bau[(bau.year == 2024) & (bau.scope != "scope2_location")].tco2e.sum()
    e1 = em[(em.year == 2050) & (em.scope != "scope2_location")].plan_tco2e.sum()
    assert f"{b0:,.0f} → {e1:,.0f} tCO2e ({100 * (e1 - b0) / b0:+.0f}%)" in text
    assert "Total emissions 2024 → 2050, scopes 1+2+3 (market-based), all sites" in text
    s12 = ["scope1", "scope2_market"]
    b = bau[(bau.year == 2024) & bau.scope.isin(s12)].tco2e.sum()
    e = em[(em.year == 2050) & em.scope.isin(s12)].plan_tco2e.sum()
    assert f"{b:,.0f} → {e:,.0f} tCO2e ({100 * (e - b) / b:+.0f}%)" in text
    assert "covered by nt_2030, nz_2050" in text and "covered by s3_intensity_2030 (intensity target)" in text
    assert "All targets met" not in text  # the old card, with no word of what it covers
    zh = write_html(demo_plan, {}, tmp_path, "zh").read_text(encoding="utf-8")
    assert "目标 nt_2030、nz_2050 的覆盖范围" in zh
