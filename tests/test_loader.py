"""Scenario loading: extends/deep-merge, templates, and one-line errors naming file, key path, expectation."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BASE, ROOT
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import InputError
from planner.schemas.loader import load_scenario
from planner.schemas.yamlio import deep_merge


def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data, encoding="utf-8")
    return p


def bad(tmp_path, mutate) -> InputError:
    d = copy.deepcopy(BASE)
    mutate(d)
    with pytest.raises(InputError) as exc:
        load_scenario(write(tmp_path, "bad.yaml", d))
    return exc.value


@pytest.mark.parametrize("mutate, path, words", [
    (lambda d: d.update(discount=0.1), "discount", "unknown key"),
    (lambda d: d.update(discount_rate="high"), "discount_rate", "valid number"),
    (lambda d: d.pop("company"), "company", "required key is missing"),
    (lambda d: d["sites"][0].update(grid_region="Mars"), "sites[0].grid_region", "unknown region 'Mars'"),
    (lambda d: d["sites"][0].update(entity="nobody"), "sites[0].entity", "unknown entity"),
    (lambda d: d["sites"][0]["energy"].update(plutonium=1), "sites[0].energy.plutonium", "unknown fuel carrier"),
    (lambda d: d.update(measures=[{"id": "x", "template": "nope", "site": "s1"}]), "measures[0].template",
     "unknown template"),
    (lambda d: d.update(measures=[{"id": "x", "template": "rooftop_pv", "site": "s1", "yield_mwh_per_mw": -5}]),
     "measures[0].yield_mwh_per_mw", "greater than 0"),
    (lambda d: d.update(measures=[{"id": "x", "template": "rooftop_pv", "site": "s1", "colour": "red"}]),
     "measures[0].colour", "unknown key"),
    (lambda d: d.update(measures=[{"id": "x", "template": "rooftop_pv", "site": "zz"}]), "measures[0].site",
     "unknown site"),
    (lambda d: d.update(measures=[{"id": "x", "template": "heat_pump", "site": "s1", "target_carrier": "coal"}]),
     "measures[0].target_carrier", "used at site"),
    (lambda d: d.update(targets=[{"id": "t", "year": 2099, "reduction": 0.5}]), "targets[0].year",
     "within the horizon"),
    (lambda d: d.update(targets=[{"id": "t", "year": 2025}]), "targets[0]", "needs `reduction`"),
    (lambda d: d.update(horizon={"start": 2030, "end": 2025}), "horizon", "before start"),
    (lambda d: d["organisation"]["entities"].append({"id": "p"}), "organisation.entities[1].id", "duplicate"),
    (lambda d: d["organisation"].update(entities=[{"id": "p", "owners": [{"entity": "q", "share": 1}]},
                                                  {"id": "q", "owners": [{"entity": "p", "share": 1}]}]),
     "organisation", "cycle"),
])
def test_bad_input_names_file_path_and_expectation(tmp_path, mutate, path, words):
    err = bad(tmp_path, mutate)
    msg = str(err)
    assert msg.startswith(str(tmp_path / "bad.yaml") + ": ")
    assert f": {path}: " in msg, msg
    assert words in msg, msg
    assert "\n" not in msg


def test_invalid_yaml_and_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"line 2, column \d+: invalid YAML"):
        load_scenario(write(tmp_path, "x.yaml", "name: a\n  b: [\n"))
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_cli_bad_input_exit_2_one_line_no_traceback(tmp_path):
    d = copy.deepcopy(BASE)
    d["sites"][0]["grid_region"] = "Mars"
    f = write(tmp_path, "bad.yaml", d)
    for cmd in ("validate", "run", "baseline"):
        r = subprocess.run([sys.executable, "-m", "planner", cmd, str(f)], capture_output=True, text=True)
        assert r.returncode == 2
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
        assert "sites[0].grid_region" in r.stderr


def test_extends_merges_and_variants_stay_short(tmp_path):
    write(tmp_path, "base.yaml", {**BASE, "measures": [
        {"id": "a", "template": "vsd_motors", "site": "s1"}, {"id": "b", "template": "led_lighting", "site": "s1"}]})
    write(tmp_path, "v.yaml", {"extends": "base.yaml", "name": "v", "discount_rate": 0.1,
                               "measures": [{"id": "b", "enabled": False}, {"id": "c", "template": "compressed_air",
                                                                             "site": "s1"}]})
    sc = load_scenario(tmp_path / "v.yaml")
    assert sc.name == "v" and sc.discount_rate == 0.1 and sc.company == BASE["company"]
    ms = {m.id: m for m in sc.measures}
    assert list(ms) == ["a", "b", "c"] and not ms["b"].enabled and ms["a"].saving_share == 0.06


def test_extends_cycle(tmp_path):
    write(tmp_path, "a.yaml", {"extends": "b.yaml"})
    write(tmp_path, "b.yaml", {"extends": "a.yaml"})
    with pytest.raises(InputError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


def test_demo_and_variants_validate():
    for f in sorted((ROOT / "scenarios").glob("*.yaml")):
        assert load_scenario(f).name == f.stem


scalars = st.one_of(st.integers(), st.text(max_size=3), st.booleans())
trees = st.recursive(scalars, lambda ch: st.dictionaries(st.text("abc", min_size=1, max_size=2), ch, max_size=3),
                     max_leaves=8)


@given(trees, trees)
def test_deep_merge_properties(a, b):
    merged = deep_merge(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        assert set(merged) == set(a) | set(b)
        for k in b:
            if not (isinstance(b[k], dict) and isinstance(a.get(k), dict)):
                assert merged[k] == b[k]  # the override wins for leaves
    else:
        assert merged == b
    assert deep_merge(a, {}) == a if isinstance(a, dict) else True


def test_chinese_names_from_templates_and_renames(tmp_path):
    write(tmp_path, "s.yaml", {**BASE, "measures": [
        {"id": "a", "template": "rooftop_pv", "site": "s1"},
        {"id": "b", "template": "process_retrofit", "site": "s1", "name": "Route change"},
        {"id": "c", "template": "process_retrofit", "site": "s1", "name": "Route change", "name_zh": "路线变更"}]})
    ms = {m.id: m for m in load_scenario(tmp_path / "s.yaml").measures}
    assert ms["a"].label_zh == "屋顶光伏"
    assert ms["b"].label_zh == "Route change"  # the template's Chinese name described something else
    assert ms["c"].label_zh == "路线变更"
