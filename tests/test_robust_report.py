"""The robust studies' report (planner/report/robust): pages per language from the frames the study wrote
(never solving), EVPI/VSS as in the frame, Chinese page without generated English, the fan chart clean."""

from __future__ import annotations

import json
import re

import matplotlib
import pandas as pd
import pytest
from chart_check import problems
from test_deliverables import _Text, english_words
from test_robust import four_retrofits, one_retrofit, tree

from planner.report.common import style
from planner.report.robust import write_robust_report
from planner.report.robust.html import fan
from planner.studies.robust import alternatives, robust

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The two-branch hand case of tests/test_robust.py (regret: commits now) and a small alternatives study."""
    out = tmp_path_factory.mktemp("robust")
    sc = one_retrofit()
    robust(sc, tree(sc, {"objective": "regret"})).write(out / "r", ("en", "zh"))
    alternatives(four_retrofits(), slack=0.05, count=2).write(out / "a", ("en", "zh"))
    files = write_robust_report(out / "r", "robust", ("en", "zh"))
    files += write_robust_report(out / "a", "alternatives", ("en", "zh"))
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


def test_fan_chart_is_clean(written):
    out, _ = written
    fr = {"robust_emissions": pd.read_csv(out / "r" / "robust_emissions.csv")}
    with matplotlib.rc_context(style.rc()):
        for lang in ("en", "zh"):
            assert problems(fan(fr, lang)) == []
