"""Scenarios written as JSON, or YAML with quoted years (issue 23): a key that is a year written as digits
("2024") is that year; anything else stays refused. A `.json` file is parsed as JSON (tabs, line and column
of a syntax error, duplicate keys) and loads, validates and runs like its YAML."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from click.testing import CliRunner
from helpers import BASE, ROOT

import planner
from planner.cli import main
from planner.errors import InputError
from planner.schemas import load_scenario
from planner.schemas.yamlio import read_yaml

BUNDLED = ["demo", "demo_hourly", "demo_hourly_milestones", "demo_high_carbon", "demo_no_ccus", "demo_strict"]


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenario_as_json_gives_the_same_scenario(name, tmp_path):
    raw = read_yaml(ROOT / "scenarios" / f"{name}.yaml")  # `extends` merged: one self-contained file
    f = tmp_path / f"{name}.json"
    f.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    assert load_scenario(f) == load_scenario(ROOT / "scenarios" / f"{name}.yaml")


@pytest.mark.parametrize("indent", [None, "\t"], ids=["compact", "tabs"])
def test_json_layouts_yaml_cannot_read(indent, tmp_path):
    raw = read_yaml(ROOT / "scenarios" / "demo.yaml")
    f = tmp_path / "demo.json"
    f.write_text(json.dumps(raw, indent=indent, separators=(",", ":") if indent is None else None), encoding="utf-8")
    assert load_scenario(f) == load_scenario(ROOT / "scenarios" / "demo.yaml")


def test_yaml_with_quoted_years(tmp_path):
    text = (ROOT / "scenarios" / "demo.yaml").read_text(encoding="utf-8")
    quoted = text.replace("growth: {2024: 1.0, 2030: 1.25,", 'growth: {"2024": 1.0, \'2030\': 1.25,')
    assert quoted != text
    f = tmp_path / "q.yaml"
    f.write_text(quoted, encoding="utf-8")
    assert load_scenario(f) == load_scenario(ROOT / "scenarios" / "demo.yaml")


@pytest.mark.parametrize("key", ["2024.0", " 2024", "2024 ", "abc", "２０２４", "20240", "1989", "2101", "", "+2024",
                                 "0x7e8"])
def test_other_keys_are_refused_as_before(key, tmp_path):
    d = copy.deepcopy(BASE)
    d["sites"][0]["growth"] = {key: 1.0}
    f = tmp_path / "k.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    assert exc.value.path == "sites[0].growth"
    assert exc.value.message.startswith(f"expected years 1990-2100 as keys, got {key!r}")


def test_a_year_written_twice_is_refused(tmp_path):
    f = tmp_path / "twice.yaml"
    d = copy.deepcopy(BASE)
    d["sites"][0]["growth"] = {2024: 1.0, "2024": 1.1}
    f.write_text(yaml.safe_dump(d), encoding="utf-8")
    with pytest.raises(InputError, match=r"sites\[0\]\.growth: expected each year once, got 2024 twice "
                                         r"\(as 2024 and '2024'\)"):
        load_scenario(f)


def test_scope3_categories_as_digits_and_their_key_paths(tmp_path):
    d = copy.deepcopy(BASE)
    d["scope3"] = {"categories": {"1": {"tco2e": 100.0, "growth": {"2024": 1.0, "2030": 1.2}}}}
    f = tmp_path / "s3.json"
    f.write_text(json.dumps(d), encoding="utf-8")
    sc = load_scenario(f)
    assert sc.scope3.categories[1].tco2e == 100.0 and sc.scope3.categories[1].growth == {2024: 1.0, 2030: 1.2}
    d["scope3"]["categories"]["1"]["tco2e"] = -5.0
    f.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    assert exc.value.path == "scope3.categories.1.tco2e"


def test_json_child_overrides_the_yaml_parent_year_by_year(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump({**BASE, "sites": [{**BASE["sites"][0],
                                                        "growth": {2024: 1.0, 2030: 1.5}}]}), encoding="utf-8")
    child = {"extends": "base.yaml", "name": "child", "sites": [{"id": "s1", "growth": {"2030": 2.0}}]}
    (tmp_path / "child.json").write_text(json.dumps(child), encoding="utf-8")
    assert load_scenario(tmp_path / "child.json").sites[0].growth == {2024: 1.0, 2030: 2.0}


@pytest.mark.parametrize("text, path, words", [
    ('{"name": "x",\n  "name": "y"}', "", "duplicate key 'name'"),
    ('{"name": "x",\n  "company": }', "line 2, column 14", "invalid JSON"),
    ('{"name": NaN}', "name", "expected a finite number"),
    ('{"name": ' + "9" * 5000 + "}", "", "invalid JSON"),
    ("[" * 100 + "]" * 100, r".*", "nesting|mapping"),
], ids=["duplicate-key", "syntax", "nan", "5000-digits", "deep"])
def test_json_errors_are_one_line(text, path, words, tmp_path):
    f = tmp_path / "bad.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    assert re.fullmatch(path, exc.value.path), str(exc.value)
    assert re.search(words, exc.value.message) and "\n" not in str(exc.value), str(exc.value)


def test_cli_validates_and_runs_a_json_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    raw = read_yaml(ROOT / "scenarios" / "demo.yaml")
    (tmp_path / "demo.json").write_text(json.dumps(raw), encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", "demo.json"])
    assert r.exit_code == 0 and "valid scenario 'demo'" in r.output, r.output
    assert planner.validate(tmp_path / "demo.json") == load_scenario(ROOT / "scenarios" / "demo.yaml")
    micro = copy.deepcopy(BASE)
    micro["sites"][0]["growth"] = {2024: 1.0, 2025: 0.8}  # activity falls 20%: a -10% target is met
    micro["targets"] = [{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "location"},
                         "reduction": 0.1}]  # (a run without targets is another item of issue 23)
    (tmp_path / "micro.json").write_text(json.dumps(micro), encoding="utf-8")
    r = CliRunner().invoke(main, ["run", "micro.json", "--out", "out"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert (tmp_path / "out" / "summary.json").is_file()
