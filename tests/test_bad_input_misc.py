"""Issue #13 odds and ends: the SBTi judgement of long-term targets, the named limits (documented), the
one-line message form, and that merging shared YAML nodes stays linear."""

from __future__ import annotations

import copy
import math
import time

import pytest
from conftest import BASE, ROOT, scenario

from planner.errors import InputError, one_line
from planner.schemas import yamlio
from planner.schemas.loader import validate
from planner.schemas.scenario import MAX_OWNERSHIP_DEPTH
from planner.schemas.types import MAX_ABS_NUMBER, MAX_ID_CHARS

DOCS = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")


@pytest.mark.usefixtures("testlib")
def test_minus_85_percent_by_2050_is_judged_long_term():
    from planner.postprocess import sbti
    from planner.preprocess import baseline as bl

    sc = scenario(horizon={"start": 2025, "end": 2050},
                  targets=[{"id": "lt", "year": 2050, "coverage": {"scope1": True, "scope2": "market"},
                            "reduction": 0.85}])
    drv = bl.drivers(sc)
    df = sbti.check(sc, bl.bau_emissions(sc, drv), drv)
    rows = df[df.target == "lt"]
    assert not rows.criterion.str.contains("timeframe").any()  # not judged as a near-term target
    real = rows[rows.criterion.str.contains("real reduction >= 90%")]
    assert len(real) == 1 and not real.ok.iloc[0] and real.value.iloc[0] == "85%"
    assert sbti.is_long_term(sc.targets[0])


@pytest.mark.parametrize("name, value", [
    ("MAX_FILE_BYTES", yamlio.MAX_FILE_BYTES), ("MAX_NESTING", yamlio.MAX_NESTING),
    ("MAX_NODES", yamlio.MAX_NODES), ("MAX_EXTENDS_DEPTH", yamlio.MAX_EXTENDS_DEPTH),
    ("MAX_OWNERSHIP_DEPTH", MAX_OWNERSHIP_DEPTH), ("MAX_ABS_NUMBER", MAX_ABS_NUMBER), ("MAX_ID_CHARS", MAX_ID_CHARS),
])
def test_limits_are_documented(name, value):
    assert name in DOCS
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    assert shown in DOCS, (name, shown)


def test_api_dicts_get_the_same_checks():
    for mutate, path in [
        (lambda d: d.update(discount_rate=math.nan), "discount_rate"),
        (lambda d: d["sites"][0]["energy"].update(electricity=math.inf), "sites[0].energy.electricity"),
        (lambda d: d["sites"][0]["energy"].update(electricity=True), "sites[0].energy.electricity"),
        (lambda d: d.update(prices={"electricity": {2025: 10**30}}), "prices.electricity.2025"),
        (lambda d: d.update(name="x" * 300), "name"),
    ]:
        d = copy.deepcopy(BASE)
        mutate(d)
        with pytest.raises(InputError) as exc:
            validate(d, "api")
        assert exc.value.path == path, str(exc.value)


def test_one_line_escapes_controls_and_cuts():
    assert one_line("a\nb\x00c\u2028d\te") == "a\\nb\\x00c\\u2028d\\te"
    assert len(one_line("x" * 10_000)) == 400
    assert str(InputError("f\n.yaml", "k\r", "m\x1b[31m")) == "f\\n.yaml: k\\r: m\\x1b[31m"


def test_merging_shared_nodes_is_linear():
    """A tree of 2^k expanded nodes built from k shared dicts merges in time linear in its expanded size
    (bounded by MAX_NODES), not in the product of parent and child."""
    node: dict = {"a": 1}
    for _ in range(15):
        node = {"l": node, "r": node}
    t = time.perf_counter()
    with pytest.raises(InputError, match="more than"):
        yamlio.check_tree({"x": node}, "f")
    assert time.perf_counter() - t < 2


def test_yaml12_floats_and_ints():
    got = yamlio.parse_yaml("a: 1e6\nb: 1.2e-3\nc: 2030\nd: 0.5\ne: abc\n", "f")
    assert got == {"a": 1e6, "b": 1.2e-3, "c": 2030, "d": 0.5, "e": "abc"}
    assert isinstance(got["c"], int)


def test_unsafe_tags_never_run_code(tmp_path, monkeypatch):
    from planner.schemas import load_scenario

    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"
    for tag in (f"!!python/object/apply:os.system ['touch {marker}']",
                f"!!python/object/new:subprocess.check_call [['touch', '{marker}']]"):
        f = tmp_path / "s.yaml"
        f.write_text(f"name: x\ncompany: {tag}\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"line 2, column \d+: invalid YAML \(could not determine a constructor"):
            load_scenario(f)
    assert not marker.exists()
