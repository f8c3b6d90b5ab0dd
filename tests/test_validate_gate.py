"""`planner validate` is `planner run`'s gate (issue 23): it makes every check `run` makes before the solve,
with the same one-line message and exit code. Checked on the whole bad-input corpus (scenario files here; the
data library in test_validate_gate_data.py), on cases that only the pre-solve stages catch (magnitudes, hourly
profiles and tariffs) and on random mutations of the demo.

`run` is stopped where it would build the model (a sentinel replaces `build_model`), so no case solves: a
case `validate` accepts must reach that point in `run`, and a case `validate` refuses must fail in `run` with
the same line."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import test_bad_input as corpus  # noqa: E402

import planner  # noqa: E402
from planner.cli import main  # noqa: E402
from planner.errors import InputError  # noqa: E402
from planner.schemas import validate as validate_raw  # noqa: E402

DEMO = yaml.safe_load((ROOT / "scenarios" / "demo.yaml").read_text(encoding="utf-8"))
HOURLY = yaml.safe_load((ROOT / "scenarios" / "demo_hourly.yaml").read_text(encoding="utf-8"))
REACHED = "reached the model build"


class Reached(Exception):
    """Raised instead of building the model: `run` passed every pre-solve check."""


@pytest.fixture
def no_solve(monkeypatch):
    def stop(*_a, **_k):
        raise Reached(REACHED)

    monkeypatch.setattr("planner.run.build_model", stop)
    monkeypatch.setattr("planner.run.build_for_solve", stop)  # the plan's build (serial or parallel, solver.build)


def _verdicts(args: list[str], out: Path) -> tuple[tuple, tuple]:
    """(exit code, stderr) of `validate` and of `run`; `run` that reached the build counts as exit 0."""
    v = CliRunner().invoke(main, ["validate", *args])
    r = CliRunner().invoke(main, ["run", *args, "--out", str(out)])
    run_exit = 0 if isinstance(r.exception, Reached) else r.exit_code
    return (v.exit_code, v.stderr), (run_exit, r.stderr if run_exit else "")


def _changed(d: dict, edit) -> dict:
    d = copy.deepcopy(d)
    edit(d)
    return d


def _site_hourly(d: dict, **keys) -> None:
    d["time"]["sites"]["east_assembly"].update(keys)


# cases that pass the schema and the cross-field checks but that a stage before the solve refuses; before
# issue 23 `validate` accepted each of them (exit 0) and `run` failed. (name, scenario, files, key path)
PRESOLVE = [
    ("electricity-1e12-MWh", _changed(DEMO, lambda d: d["sites"][0]["energy"].update(electricity=1e12)), {},
     "energy"),
    ("coal-1e10-t", _changed(DEMO, lambda d: d["sites"][1]["energy"].update(coal=1e10)), {}, "energy"),
    ("process-co2-1e12-t", _changed(DEMO, lambda d: d["sites"][1]["process_emissions"].update(CO2=1e12)), {},
     "emissions"),
    ("scope3-1e12-t", _changed(DEMO, lambda d: d["scope3"]["categories"][1].update(tco2e=1e12)), {}, "emissions"),
    ("wind-flat", _changed(HOURLY, lambda d: _site_hourly(d, wind="flat")), {}, r"time\.sites\.east_assembly\.wind"),
    ("pv-flat", _changed(HOURLY, lambda d: _site_hourly(d, pv="flat")), {}, r"time\.sites\.east_assembly\.pv"),
    ("unknown-tariff", _changed(HOURLY, lambda d: _site_hourly(d, tariff="no_such_tariff")), {},
     r"time\.sites(\.east_assembly)?\.tariff"),
    ("profile-100-values", _changed(HOURLY, lambda d: _site_hourly(d, load="load.csv")),
     {"load.csv": "\n".join(["1.0"] * 100) + "\n"}, r"time\.sites\.east_assembly\.load"),
    ("profile-negative", _changed(HOURLY, lambda d: _site_hourly(d, pv="pv.csv")),
     {"pv.csv": "\n".join(["-1.0"] * 8760) + "\n"}, r"time\.sites\.east_assembly\.pv"),
    ("profile-zero-all-year", _changed(HOURLY, lambda d: _site_hourly(d, pv="pv.csv")),
     {"pv.csv": "\n".join(["0"] * 8760) + "\n"}, r"time\.sites\.east_assembly\.pv"),
    # given days (issue 28): weights that do not make a year, a column naming no profile
    ("days-weights-364", _changed(HOURLY, lambda d: d["time"].update(days_file="days.csv")),
     {"days.csv": "day,hour,weight,month,load,pv\n" + "".join(f"1,{h},364,1,1,1\n" for h in range(24))},
     r"time\.days_file\.weight"),
    ("days-unknown-column", _changed(HOURLY, lambda d: d["time"].update(days_file="days.csv")),
     {"days.csv": "day,hour,weight,month,load,solar\n" + "".join(f"1,{h},365,1,1,1\n" for h in range(24))},
     r"time\.days_file\.solar"),
]


def _write(tmp_path: Path, d: dict, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_bytes(corpus.dump(d))
    return f


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("name, d, files, path", PRESOLVE, ids=[c[0] for c in PRESOLVE])
def test_presolve_cases_fail_validate_as_they_fail_run(name, d, files, path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f = _write(tmp_path, d, files)
    (v_exit, v_err), run = _verdicts([str(f)], tmp_path / "out")
    assert v_exit == 2 and v_err.startswith("error: ") and v_err.count("\n") == 1, (name, v_exit, v_err)
    assert (v_exit, v_err) == run, name
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError) as exc:  # the Python API gives the same error
        planner.validate(f)
    assert f"error: {exc.value}\n" == v_err
    assert re.fullmatch(path, exc.value.path), (name, exc.value.path)


CHUNK = 100
CASES = corpus.CASES
CHUNKS = [CASES[i:i + CHUNK] for i in range(0, len(CASES), CHUNK)]


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("k", range(len(CHUNKS)))
def test_bad_input_corpus_same_verdict_in_validate_and_run(k, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    differ = []
    for i, case in enumerate(CHUNKS[k]):
        base = tmp_path / f"c{i}" / "w"
        top, root = corpus.materialise(case, base)
        args = [str(top)] + (["--root", root] if root else [])
        v, r = _verdicts(args, tmp_path / f"c{i}" / "out")
        if v != r or v[0] != 2:
            differ.append(f"{case.cls} {case.name}: validate {v}, run {r}")
    assert not differ, "\n".join(differ)


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("name", ["demo", "demo_hourly", "demo_no_ccus", "demo_strict"])
def test_bundled_scenarios_pass_validate_and_reach_the_build(name, tmp_path):
    v, r = _verdicts([str(ROOT / "scenarios" / f"{name}.yaml")], tmp_path / "out")
    assert v[0] == 0 and r == (0, ""), (v, r)


# random mutations of the demo (numbers out of scale, removed keys, junk values): the pre-solve gate and
# `run_plan` agree, whatever the mutation
NUMERIC = [p for p in corpus.paths(DEMO) if isinstance(p[2], int | float) and not isinstance(p[2], bool)]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(NUMERIC), st.sampled_from([0, -1, 1e-9, 1e6, 1e9, 1e12, 1e14])),
                min_size=1, max_size=3))
def test_mutated_demo_same_verdict_in_validate_and_run_plan(no_solve, mutations):
    from planner.run import run_plan

    d = copy.deepcopy(DEMO)
    for (path, _kp, old), factor in mutations:
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = factor if factor in (0, -1, 1e-9) else old * factor
    try:
        sc = validate_raw(d, "fuzz.yaml")
    except InputError:
        return  # the schema refuses it: both commands stop at the same loader
    try:
        planner.validate(sc)
        verdict = None
    except InputError as exc:
        verdict = str(exc)
    try:
        run_plan(sc)
        raise AssertionError("run_plan returned without building")
    except Reached:
        assert verdict is None, f"validate: {verdict}; run reached the build"
    except InputError as exc:
        assert verdict == str(exc), f"validate: {verdict}; run: {exc}"


TARIFF = "tariffs/jiangsu_industrial.yaml"
BROKEN_TARIFFS = [  # (id, new text of the bundled tariff file, key path, words of the message)
    ("bad-price", lambda t: t.replace("peak: 1075", "peak: abc"), r"prices_cny_per_mwh\.peak", "number"),
    ("unknown-key", lambda t: t + "\nsurcharge: 3\n", "surcharge", "unknown key"),
    ("not-a-mapping", lambda t: "- 1\n- 2\n", "", "mapping"),
    ("duplicate-key", lambda t: t + "\ndemand_charge_cny_per_kw_month: 41\n", r"line \d+, column \d+", "duplicate key"),
    ("not-utf8", lambda t: t.encode("gbk"), r"line \d+, column \d+", "UTF-8"),
]


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("case", BROKEN_TARIFFS, ids=[c[0] for c in BROKEN_TARIFFS])
def test_a_broken_bundled_tariff_is_one_line_naming_the_file_in_validate_and_run(case, tmp_path, monkeypatch):
    import shutil

    _id, edit, path, words = case
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    new = edit((data / TARIFF).read_text(encoding="utf-8"))
    (data / TARIFF).write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
    monkeypatch.setenv("PLANNER_DATA", str(data))
    monkeypatch.chdir(tmp_path)
    v, r = _verdicts([str(ROOT / "scenarios" / "demo_hourly.yaml")], tmp_path / "out")
    assert v == r and v[0] == 2, (v, r)
    line = v[1].strip()
    assert "\n" not in line and "Traceback" not in line, line
    assert str(data / TARIFF) in line and re.search(words, line), line
    assert re.search(path, line), (path, line)
