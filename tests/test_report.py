"""Charts and reports: every chart renders without warnings in both languages (no missing glyphs), the
HTML report loads in headless Chromium with no console errors and a non-blank screenshot, scenario
strings are escaped, the Excel sheets equal the CSV results."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import BASE, open_in_chromium

import planner
from planner.report import write_report
from planner.report.common.style import FAMILY_COLOURS, family_colour
from planner.schemas import validate


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_renders_without_warnings(demo_report, demo_report_messages, lang):
    """The demo report (both languages, written once by the session fixture) drew every chart with no warning
    and no matplotlib font message (a missing glyph is a UserWarning plus a 'findfont' log line)."""
    assert demo_report_messages == []
    expected = {"trajectory_1", "trajectory_2", "macc_standalone", "macc_plan", "costs", "scopes", "compliance",
                "ets_position",  # north_casting is in the ETS (grandfathering basis)
                *(f"gantt_by_site_{i}" for i in range(1, 5)),  # the demo's four sites (company level included)
                *(f"gantt_by_family_{i}" for i in range(1, 4))}  # its families, packed up to 9 rows a chart
    pngs = {p.name.removesuffix(f"_{lang}.png"): p for p in (demo_report / "charts").glob(f"*_{lang}.png")}
    assert set(pngs) == expected
    from PIL import Image

    for stem, png in pngs.items():
        svg = png.with_suffix(".svg")
        assert png.stat().st_size > 20_000 and svg.stat().st_size > 5_000, stem
        with Image.open(png) as im:
            assert im.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=1)


def test_chinese_text_uses_the_bundled_font(demo_report):
    svg = (demo_report / "charts" / "compliance_zh.svg").read_text(encoding="utf-8")
    assert "<text" not in svg  # text is drawn as glyph paths from the bundled font, not left to the viewer
    assert "<!-- 目标达成情况 -->" in svg and svg.count("<use") > 50  # glyphs defined once, reused


def test_family_colours_are_fixed():
    assert family_colour("efficiency") == FAMILY_COLOURS["efficiency"]
    assert family_colour("my_family") == family_colour("my_family")


def test_excel_sheets_equal_csv(demo_report):
    xl = pd.read_excel(demo_report / "results.xlsx", sheet_name=None)
    csvs = sorted(demo_report.glob("*.csv"))
    assert {p.stem[:31] for p in csvs} == set(xl)
    for p in csvs:
        a, b = pd.read_csv(p), xl[p.stem[:31]]
        assert list(a.columns) == list(b.columns), p.stem
        for col in a.columns:
            x, y = a[col], b[col]
            if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
                assert np.allclose(x.astype(float), y.astype(float), equal_nan=True, rtol=1e-12), (p.stem, col)
            else:
                assert x.fillna("").astype(str).tolist() == y.fillna("").astype(str).tolist(), (p.stem, col)


def _open(html: Path):
    msgs, shot, text, flag, fonts = open_in_chromium(html)
    return msgs, shot, text, flag, fonts["check"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_report_in_headless_chromium(demo_report, lang):
    from io import BytesIO

    from PIL import Image
    msgs, shot, text, _flag, fonts_ok = _open(demo_report / f"report_{lang}.html")
    assert not [m for m in msgs if m[0] in ("error", "pageerror", "network")], msgs
    im = np.asarray(Image.open(BytesIO(shot)).convert("L"), dtype=float)
    assert im.std() > 20  # not blank
    assert ("脱碳路线图" in text) == (lang == "zh") and fonts_ok


def test_scenario_strings_are_escaped(tmp_path):
    evil = "<script>window.__pwned = 1</script> \"Quotes\" & 'Co'"
    d = copy.deepcopy(BASE)
    d.update(company=evil, description=evil,
             sites=[{**BASE["sites"][0], "name": evil}],
             measures=[{"id": "v", "template": "vsd_motors", "site": "s1", "name": evil, "capex_fixed_cny": 1}],
             targets=[{"id": "t", "name": evil, "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                       "reduction": 0.05}])
    p = planner.plan(validate(d)).with_standalone_macc()
    write_report(p, tmp_path, ("en",))
    html = (tmp_path / "report_en.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    msgs, _shot, text, flag, _ = _open(tmp_path / "report_en.html")
    assert flag == "undefined"  # the script never ran
    assert evil in text  # ...and shows literally
    assert not [m for m in msgs if m[0] in ("error", "pageerror")]


def test_cli_report_and_run_report(tmp_path):
    """`planner run --report` in a subprocess (the demo's report is covered by the session fixture; a
    one-year micro scenario keeps this end-to-end check short)."""
    import subprocess
    import sys

    import yaml
    from helpers import efficiency

    d = copy.deepcopy(BASE)
    d.update(measures=[efficiency("e1", share=0.2, capex=1000), efficiency("e2", share=0.1, capex=3000)],
             targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                       "reduction": 0.25}])
    f = tmp_path / "micro.yaml"
    f.write_text(yaml.safe_dump(d), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "planner", "run", str(f),
                        "--out", str(tmp_path), "--report", "--lang", "zh"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "report_zh.html").exists() and (tmp_path / "results.xlsx").exists()
    assert (tmp_path / "charts" / "gantt_by_site_1_zh.png").exists()
    assert (tmp_path / "charts" / "macc_plan_zh.svg").exists()
