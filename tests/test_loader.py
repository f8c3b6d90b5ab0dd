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
from planner.schemas import yamlio
from planner.schemas.loader import load_scenario
from planner.schemas.yamlio import deep_merge


@pytest.fixture(params=[c.__name__ for c in yamlio.LOADERS])
def each_loader(request, monkeypatch):
    """Run the test with libyaml's parser (CLoader, when PyYAML has it) and with the pure-Python one."""
    monkeypatch.setattr(yamlio, "Loader", getattr(yamlio, request.param))
    return yamlio.Loader


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
@pytest.mark.usefixtures("each_loader")
def test_bad_input_names_file_path_and_expectation(tmp_path, mutate, path, words):
    err = bad(tmp_path, mutate)
    msg = str(err)
    assert msg.startswith(str(tmp_path / "bad.yaml") + ": ")
    assert f": {path}: " in msg, msg
    assert words in msg, msg
    assert "\n" not in msg


@pytest.mark.usefixtures("each_loader")
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


@pytest.mark.usefixtures("each_loader")
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


@pytest.mark.usefixtures("each_loader")
def test_extends_cycle(tmp_path):
    write(tmp_path, "a.yaml", {"extends": "b.yaml"})
    write(tmp_path, "b.yaml", {"extends": "a.yaml"})
    with pytest.raises(InputError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


@pytest.mark.usefixtures("each_loader")
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


@pytest.mark.usefixtures("each_loader")
def test_chinese_names_from_templates_and_renames(tmp_path):
    write(tmp_path, "s.yaml", {**BASE, "measures": [
        {"id": "a", "template": "rooftop_pv", "site": "s1"},
        {"id": "b", "template": "process_retrofit", "site": "s1", "name": "Route change"},
        {"id": "c", "template": "process_retrofit", "site": "s1", "name": "Route change", "name_zh": "路线变更"}]})
    ms = {m.id: m for m in load_scenario(tmp_path / "s.yaml").measures}
    assert ms["a"].label_zh == "屋顶光伏"
    assert ms["b"].label_zh == "Route change"  # the template's Chinese name described something else
    assert ms["c"].label_zh == "路线变更"


@pytest.mark.parametrize("text, value", [
    ("a: 1e6\nb: 1.2e-3\nc: 2030\nd: 0.5\ne: abc\nf: 0x1F\ng: 1_000\nh: .inf\ni: ~\nj: yes\nk: '1e6'\n",
     {"a": 1e6, "b": 1.2e-3, "c": 2030, "d": 0.5, "e": "abc", "f": 31, "g": 1000, "h": float("inf"), "i": None,
      "j": True, "k": "1e6"}),
    ("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", {"base": {"x": 1, "y": 2}, "d": {"x": 1, "y": 3}}),
    ("a: !!str 1\nb: ! 2\nc: |\n  x\n  y\nd: >-\n  p\n  q\n", {"a": "1", "b": 2, "c": "x\ny\n", "d": "p q"}),
])
def test_values_with_each_loader(each_loader, text, value):
    """YAML 1.2 floats, PyYAML's other implicit types, merge keys, tags and block scalars: the same values."""
    got = yamlio.parse_yaml(text, "f")
    assert got == value and [type(v) for v in got.values()] == [type(v) for v in value.values()]


@pytest.mark.parametrize("text, where, words", [
    ("a: 1\nb:\n  c: 2\n  c: 3\n", "line 4, column 3", "duplicate key 'c' (first at line 3)"),
    ("a: {x: 1, x: 2}\n", "line 1, column 11", "duplicate key 'x' (first at line 1)"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "line 1, column 43", "nesting deeper than 40 levels"),
    ("z: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 45)), "line 40, column 6",
     "nesting deeper than 40 levels once aliases are expanded"),
    ("a: &a [*a]\n", "line 1, column 4", "self-reference"),
    ("b0: &b0 [x]\n" + "".join(f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]\n" for i in range(1, 9)),
     "line 6, column 5", "expands to more than 100,000 values"),
    ("a: " + "9" * 5000 + "\n", "line 1, column 4", "integer too long"),
    ("a: !!float abc\n", "line 1, column 4", "cannot read 'abc' as !!float"),
    ("a: !!bool maybe\n", "line 1, column 4", "cannot read 'maybe' as !!bool"),
    ("a: !!python/name:os.system\n", "line 1, column 4", "could not determine a constructor"),
    ("a: 1\n  b: [\n", "line 2, column 4", "mapping values are not allowed here"),
    ("a: [1, 2\n", "line 2, column 1", "expected ',' or ']', but got '<stream end>'"),
    ("a: *nope\n", "line 1, column 4", "found undefined alias 'nope'"),
    ("a: 1\n---\nb: 2\n", "line 2, column 1", "expected a single document in the stream"),
    ("a: 1\t# c\n", "line 1, column 5", "found character '\\t' that cannot start any token"),
    ("a: x\x01y\n", "line 1, column 5", "character U+0001 is not allowed"),
])
def test_refusals_with_each_loader(each_loader, text, where, words):
    """Every refusal names the place and the problem, on one line, whichever parser read the text."""
    with pytest.raises(InputError) as exc:
        yamlio.parse_yaml(text, "f.yaml")
    msg = str(exc.value)
    assert msg.startswith(f"f.yaml: {where}: invalid YAML (") and words in msg and "\n" not in msg, msg
