"""Scenario workbooks (docs/workbook.md): the round trip YAML -> workbook -> YAML for every bundled scenario,
cell-addressed errors, the drop-downs and ranges, the Chinese workbook, and a new key working without edits."""

from __future__ import annotations

import copy
import re
from typing import Annotated, Literal

import pytest
from click.testing import CliRunner
from helpers import BASE, ROOT
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pydantic import Field, create_model

import planner
from planner.cli import main
from planner.errors import InputError
from planner.schemas import load_scenario
from planner.schemas.library import load_library
from planner.schemas.loader import apply_templates, validate
from planner.schemas.scenario import Site, scenario_model
from planner.schemas.trajectory import NonNegTrajectory
from planner.schemas.types import Strict
from planner.schemas.workbook import read_workbook, scenario_yaml, template, write_workbook
from planner.schemas.workbook.common import MARK, PARENT
from planner.schemas.workbook.shape import _layout, fields_of, layout
from planner.schemas.workbook.words import CODES, FIELD_ZH, OPTION_ZH, SHEETS
from planner.schemas.yamlio import read_yaml

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))  # new bundled scenarios are covered as they come


@pytest.fixture(scope="module")
def demo_zh(tmp_path_factory):
    """The demo as a Chinese workbook, written once."""
    out = tmp_path_factory.mktemp("wb") / "demo_zh.xlsx"
    return template(out, "zh", ROOT / "scenarios" / "demo.yaml")


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_round_trip_gives_the_same_validated_scenario(path, tmp_path):
    """YAML -> workbook -> YAML, without solving: the validated scenarios are equal at each step."""
    raw = read_yaml(path)
    if path.stem == "demo":  # text that a spreadsheet would take for a formula stays text
        raw["description"] = "=SUM(A1:A2) is not a formula here"
    original = validate(copy.deepcopy(raw), str(path))
    xlsx = write_workbook(raw, tmp_path / "s.xlsx")
    back, _ = read_workbook(xlsx)
    assert validate(copy.deepcopy(back), str(xlsx)) == original
    (tmp_path / "s.yaml").write_text(scenario_yaml(back), encoding="utf-8")
    assert validate(read_yaml(tmp_path / "s.yaml"), "s.yaml") == original


def test_chinese_workbook_round_trips_and_is_chinese_apart_from_ids(demo_zh):
    assert load_scenario(demo_zh) == load_scenario(ROOT / "scenarios" / "demo.yaml")
    wb = load_workbook(demo_zh)
    # units and symbols that stay as written in Chinese documents too
    symbols = re.compile(r"\((?:[^()]|\([^()]*\))*\)|（[^）]*）|MWh|kWh|kW|MW|tCO2e?|COP|GWP|YAML|ETS|CNY|0-1|"
                         r"CO2|CH4|N2O")  # unit and chemical symbols stay as written in Chinese too
    latin = []
    for ws in wb.worksheets:
        assert not re.search(r"[A-Za-z]", ws.title), ws.title
        rows = list(ws.iter_rows(values_only=True))
        marks = [i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith(MARK)]
        texts = [rows[0][1], rows[1][1]] if ws.title in ("情景", "厂区与活动数据") else []
        for i in marks:
            texts += [rows[i - 2][1], *rows[i - 1][1:]]  # table title and column headers
            if rows[i][2] == "value" and rows[i][1] == "@label":  # key/value rows: the labels
                texts += [r[1] for r in rows[i + 1:] if r[0] and not str(r[0]).startswith(MARK)]
        latin += [t for t in texts if isinstance(t, str) and re.search(r"[A-Za-z]", symbols.sub("", t))]
    assert not latin, latin[:10]
    assert next(r[2] for r in wb[SHEETS["organisation"][1]].iter_rows(values_only=True)
                if r[0] == "organisation.approach") == "运营控制法"  # a choice shown in Chinese, read back as its code
    note = _cell(wb[SHEETS["prices"][1]], "prices", "@notes", {"@key": "electricity"}).value
    assert note.startswith("默认值 630 CNY/MWh (2024): 工业电价")  # source_zh of data/prices.csv


def test_every_field_has_a_chinese_label():
    from planner.schemas.measure import MEASURE_KINDS

    names = {c.name for t in layout().values() for c in t.columns} | {p for t in layout() for p in t.split(".")}
    names |= set(fields_of(tuple(MEASURE_KINDS.values())))
    assert not sorted(names - set(FIELD_ZH)), "add the Chinese label of each new key to FIELD_ZH (words.py)"
    choices = {(c.name, o) for t in layout().values() for c in t.columns for o in c.leaf.options
               if isinstance(o, str) and c.name not in CODES}
    assert not sorted(x for x in choices if x[1] not in OPTION_ZH.get(x[0], {})), "add it to OPTION_ZH (words.py)"
    for name, labels in OPTION_ZH.items():
        assert len(set(labels.values())) == len(labels), f"{name}: two choices with one Chinese label"


def _cell(ws, table: str, key: str, row_match: dict | None = None):
    """The cell of column `key` in table `table` (the first data row, or the one whose columns match)."""
    rows = list(ws.iter_rows())
    at = next(i for i, r in enumerate(rows) if r[0].value == MARK + table)
    keys = [c.value for c in rows[at]]
    for r in rows[at + 1:]:
        if r[0].value and str(r[0].value).startswith(MARK):
            break
        if all(r[keys.index(k)].value == v for k, v in (row_match or {}).items()):
            return r[keys.index(key)]
    raise AssertionError(f"no row {row_match} in {table}")


def _validate(path) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["validate", str(path)])
    return res.exit_code, res.output.strip()


def test_a_bad_cell_is_named_by_sheet_and_cell_exit_2(tmp_path):
    out = template(tmp_path / "d.xlsx", "en", ROOT / "scenarios" / "demo.yaml")
    wb = load_workbook(out)
    ws = wb["sites"]
    c = _cell(ws, "sites.energy", "value", {PARENT + "sites": "north_casting", "@key": "electricity"})
    c.value = "12,000 kWh"
    wb.save(out)
    code, text = _validate(out)
    assert code == 2 and "\n" not in text
    assert text == f'error: {out}: sites!{c.coordinate}: expected a number in MWh, got "12,000 kWh"'
    c.value = 60000
    wb.create_sheet("my notes")["C5"] = "a sheet of the user's own is left alone"
    year = _cell(wb["prices"], "prices", "year", {"@key": "ets", "year": 2030})
    year.value = 1850
    wb.save(out)
    code, text = _validate(out)
    assert text == f"error: {out}: prices!{year.coordinate}: expected a number >= 1990 and <= 2100, got 1850"
    year.value = 2030
    # a deleted key row: the table's rows (from its title on) are refused, never silently dropped
    at = next(r[0].row for r in wb["scope3"].iter_rows() if r[0].value == MARK + "scope3.categories")
    wb["scope3"].delete_rows(at)
    wb.save(out)
    code, text = _validate(out)
    assert code == 2 and f"scope3!{at - 2}:{at - 2}: a row outside any table" in text, text


def test_a_model_check_names_the_cell_and_the_key(tmp_path):
    out = template(tmp_path / "d.xlsx", "zh", ROOT / "scenarios" / "demo.yaml")
    wb = load_workbook(out)
    ws = wb[SHEETS["measures"][1]]
    c = _cell(ws, "measures", "site", {"id": "east_pv"})
    c.value = "no_such_site"
    wb.save(out)
    code, text = _validate(out)
    assert code == 2
    assert f"{ws.title}!{c.coordinate} (measures[3].site): unknown site 'no_such_site'" in text, text


def _dv(ws, cell):
    """The data validation of a cell."""
    found = [dv for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
    assert len(found) == 1, (cell.coordinate, found)
    return found[0]


def test_drop_downs_and_ranges(demo_zh):
    wb = load_workbook(demo_zh)
    ws = wb[SHEETS["sites"][1]]
    lists = wb[SHEETS["lists"][1]]
    names = [c.value for c in lists[1]]
    col = names.index("regions") + 1
    regions = [r[0] for r in lists.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True) if r[0]]
    assert {"East", "North", "national_residual"} <= set(regions)
    region = _dv(ws, _cell(ws, "sites", "grid_region"))
    assert region.type == "list" and region.formula1 == f"='下拉列表'!${get_column_letter(col)}$2:" \
        f"${get_column_letter(col)}${len(regions) + 1}"
    # a child table's site column lists the ids of the sites table
    sites_ids = _cell(ws, "sites", "id").column_letter
    assert f"${sites_ids}$" in _dv(ws, _cell(ws, "sites.energy", PARENT + "sites")).formula1
    # numeric range from the pydantic constraint (export_limit_share: 0..1)
    share = _dv(ws, _cell(ws, "sites", "export_limit_share"))
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    # choices of every registered measure kind, templates from the library
    wm = wb[SHEETS["measures"][1]]
    kind = _dv(wm, _cell(wm, "measures", "kind"))
    assert "碳捕集利用与封存" in kind.formula1 and "能效改造" in kind.formula1  # ccus, efficiency in Chinese
    assert "下拉列表" in _dv(wm, _cell(wm, "measures", "template")).formula1


def test_empty_template_cites_library_defaults_and_filled_by_hand_validates(tmp_path):
    out = template(tmp_path / "t.xlsx", "en")
    wb = load_workbook(out)
    assert [ws.title for ws in wb.worksheets][:3] == ["scenario", "organisation", "sites"]
    note = _cell(wb["prices"], "prices", "@notes", {"@key": "electricity"}).value
    assert note.startswith("default 630 CNY/MWh (2024): Industrial electricity")  # data/prices.csv
    code, text = _validate(out)
    assert code == 2 and "scenario!C" in text and "(name): required key is missing" in text
    # fill the micro scenario of tests/helpers.py in by hand, as a user would
    sc = wb["scenario"]
    values = {"name": BASE["name"], "company": BASE["company"], "base_year": 2024, "horizon.start": 2025,
              "horizon.end": 2025, "organisation.reporting_entity": "p", "solver.threads": 1}
    for ws in wb.worksheets:
        for r in ws.iter_rows():
            if r[0].value in values:
                r[2].value = values[r[0].value]
    _cell(wb["organisation"], "organisation.entities", "id").value = "p"
    site = _cell(wb["sites"], "sites", "id")
    site.value = "s1"
    row = site.row
    keys = [c.value for c in next(r for r in wb["sites"].iter_rows() if r[0].value == MARK + "sites")]
    wb["sites"].cell(row, keys.index("entity") + 1, "p")
    wb["sites"].cell(row, keys.index("grid_region") + 1, "East")
    e = _cell(wb["sites"], "sites.energy", "value")
    wb["sites"].cell(e.row, e.column - 2, "s1")
    wb["sites"].cell(e.row, e.column - 1, "electricity")
    e.value = 1000
    wb.save(out)
    sc = load_scenario(out)
    assert (sc.name, sc.sites[0].energy, sc.solver.threads) == ("micro", {"electricity": 1000.0}, 1)
    res = CliRunner().invoke(main, ["run", str(out), "--out", str(tmp_path / "run")])  # the newcomer's path
    assert res.exit_code == 0 and "status optimal" in res.output, res.output
    assert (tmp_path / "run" / "inventory.csv").read_text().count("\n") > 1


def test_a_new_key_appears_without_edits(tmp_path):
    """The layout is derived from the models: a new site key (records with a trajectory inside, as products on
    sites) gets its tables, with no edit in the workbook code, and goes through the workbook unchanged."""
    product = create_model("Product", __base__=Strict, output_t=(Annotated[float, Field(ge=0)], ...),
                           growth=(NonNegTrajectory | None, None), sector=(Literal["cement", "other"], "other"))
    new_site = create_model("NewSite", __base__=Site, products=(dict[str, product], {}), colour=(str | None, None))
    model = create_model("NewScenario", __base__=scenario_model(), sites=(list[new_site], ...))
    tables = _layout(model)
    assert tables["sites.products"].form == "models" and tables["sites.products"].parents == ("sites",)
    assert tables["sites.products.growth"].parents == ("sites", "sites.products")
    assert "colour" in [c.key for c in tables["sites"].columns]
    raw = read_yaml(ROOT / "scenarios" / "demo.yaml")
    raw["sites"][1]["products"] = {"castings": {"output_t": 4.5e5, "growth": {2024: 1.0, 2050: 1.2},
                                                "sector": "other"}, "clinker": {"output_t": 1e5, "growth": 0.9}}
    raw["sites"][1]["colour"] = "blue"
    back, where = read_workbook(write_workbook(raw, tmp_path / "n.xlsx", "zh", tables), tables=tables)
    assert back["sites"][1]["products"] == raw["sites"][1]["products"] and back["sites"][1]["colour"] == "blue"
    assert model.model_validate(apply_templates(back, load_library(), "n")) == \
        model.model_validate(apply_templates(raw, load_library(), "n"))
    assert where["sites[1].products.clinker.growth"].startswith("厂区与活动数据!")


def test_cli_and_python_api(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["template", "--xlsx", str(tmp_path / "a.xlsx"), "--from",
                               str(ROOT / "scenarios" / "demo_no_ccus.yaml"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["convert", str(tmp_path / "a.xlsx"), "--to", str(tmp_path / "a.yaml")])
    assert res.exit_code == 0 and (tmp_path / "a.yaml").is_file()
    res = runner.invoke(main, ["convert", str(tmp_path / "a.yaml"), "--to", str(tmp_path / "a.txt")])
    assert res.exit_code == 2 and res.output.count("\n") == 1
    assert planner.template(tmp_path / "c.xlsx").is_file() and callable(planner.convert)
    with pytest.raises(InputError, match="not a readable .xlsx"):
        (tmp_path / "bad.xlsx").write_text("not a workbook")
        load_scenario(tmp_path / "bad.xlsx")
