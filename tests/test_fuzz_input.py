"""Property: any mutation of a valid scenario either validates or raises InputError (never a traceback)."""

from __future__ import annotations

import copy

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import InputError
from planner.schemas.loader import validate

DEMO = yaml.safe_load((ROOT / "scenarios" / "demo.yaml").read_text(encoding="utf-8"))


def paths(node, prefix=()):
    """Every key path of a nested mapping/list."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


ALL = [p for p in paths(DEMO) if p]
junk = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                 st.text(max_size=6), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                          st.integers(), max_size=2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL), junk, st.booleans()), min_size=1, max_size=3))
def test_mutations_give_valid_scenario_or_input_error(mutations):
    d = copy.deepcopy(DEMO)
    for path, value, delete in mutations:
        node = d
        try:
            for k in path[:-1]:
                node = node[k]
            if delete:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    try:
        validate(d, "fuzz.yaml")
    except InputError as exc:
        assert str(exc).startswith("fuzz.yaml: ") and "\n" not in str(exc)


SHORT = copy.deepcopy(DEMO)
SHORT["horizon"] = {"start": 2025, "end": 2030}
SHORT["targets"] = [t for t in SHORT["targets"] if t["year"] <= 2030]
def _leaf(node, path):
    for k in path:
        node = node[k]
    return node


NUMERIC = [p for p in paths(SHORT) if p and isinstance(_leaf(SHORT, p), int | float)
           and not isinstance(_leaf(SHORT, p), bool)]


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NUMERIC), st.sampled_from([0, 1e-9, 1e9, -1, 1, 0.5, 3.0])),
                min_size=1, max_size=4))
def test_numeric_perturbations_plan_or_planner_error(mutations):
    """Valid-looking numbers end in a plan or a PlannerError (found: threads=1e9 exhausting memory,
    tiny base-year growth making HiGHS segfault, zero intensity denominators)."""
    from planner.api import plan
    from planner.errors import PlannerError

    d = copy.deepcopy(SHORT)
    for path, factor in mutations:
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = factor if factor in (0, 1e-9, 1e9, -1) else node[path[-1]] * factor
    try:
        sc = validate(d, "fuzz.yaml")
        sc = sc.model_copy(update={"solver": sc.solver.model_copy(update={"time_limit": 20})})
        plan(sc)
    except PlannerError as exc:
        assert "\n" not in str(exc)


def test_new_guards():
    import pytest

    for mutate, words in [
        (lambda d: d["solver"].update(threads=10**9), "solver.threads"),
        (lambda d: d["sites"][0]["growth"].update({2024: 0.0}), "sites[0].growth: expected a positive value"),
        (lambda d: d.update(revenue_mcny=0), "revenue_mcny: expected revenue > 0"),
        (lambda d: d["trajectories"]["capex_index"].update(pv={2024: 1.0, 2030: 5000.0}),
         "trajectories.capex_index.pv"),
    ]:
        d = copy.deepcopy(DEMO)
        mutate(d)
        with pytest.raises(InputError, match=words.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
            validate(d, "g.yaml")


# --------------------------------------------------------------------------------------------------------
# Files as bytes, and the data library (issue #13): any byte-level damage to a scenario, any junk in any cell
# of any data file, gives a valid result or one InputError line naming that file; never a traceback.

def _micro_bytes() -> bytes:
    from conftest import BASE

    return yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False).encode("utf-8")


MICRO_BYTES = _micro_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(MICRO_BYTES)), st.binary(max_size=4), st.integers(0, 3)),
                min_size=1, max_size=4))
def test_byte_damage_gives_valid_scenario_or_one_line(tmp_path, edits):
    from planner.schemas import load_scenario

    data = bytearray(MICRO_BYTES)
    for pos, ins, cut in edits:
        data[pos:pos + cut] = ins
    f = tmp_path / "b.yaml"
    f.write_bytes(bytes(data))
    try:
        load_scenario(f)
    except InputError as exc:
        assert str(exc).startswith(f"{f}: ") and "\n" not in str(exc)


DATA_FILES = sorted(p.name for p in (ROOT / "data").glob("*.csv"))
cell_junk = st.one_of(st.text(max_size=8), st.sampled_from(["nan", "inf", "-1", "1e300", "", "\"", "[", "{a: 1, a: 2}",
                                                            "!!python/name:os.system", "9" * 5000, "*x", "&x [*x]"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.sampled_from(DATA_FILES), st.integers(0, 10**6), st.integers(0, 10), cell_junk)
def test_data_library_cell_junk_loads_or_names_the_file(tmp_path_factory, monkeypatch, name, row, col, junk):
    import csv
    import io
    import shutil

    from planner.schemas.library import load_library

    d = tmp_path_factory.mktemp("data")
    shutil.rmtree(d)
    shutil.copytree(ROOT / "data", d)
    rows = list(csv.reader(io.StringIO((d / name).read_text(encoding="utf-8"), newline="")))
    r = rows[row % len(rows)]
    r[col % len(r)] = junk
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (d / name).write_text(out.getvalue(), encoding="utf-8")
    monkeypatch.setenv("PLANNER_DATA", str(d))
    try:
        load_library()
    except InputError as exc:
        # the damaged file, or another one that refers to it (a renamed carrier has no price in prices.csv)
        assert str(exc).startswith(f"{d}/") and exc.file.endswith(".csv") and "\n" not in str(exc), str(exc)
