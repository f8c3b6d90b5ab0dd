"""Defects found by the outside review of issue 23: each refused or explained, never priced or solved silently."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner
from helpers import BASE

import planner
import planner.run as run_module
from planner.cli import main
from planner.errors import SolverError


def _write(tmp_path, **over) -> str:
    d = copy.deepcopy(BASE)
    d.update(over)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d), encoding="utf-8")
    return str(f)


def _verdict(args: list[str]) -> tuple[int, str]:
    r = CliRunner().invoke(main, args)
    return r.exit_code, r.output


@pytest.mark.parametrize("size, ok", [(1e5, True), (1e12, False), (2e5, False)])
def test_an_absurd_measure_size_is_refused_by_validate_and_run_alike(tmp_path, size, ok):
    f = _write(tmp_path, measures=[{"id": "pv", "template": "rooftop_pv", "site": "s1", "max_size": size}])
    v = _verdict(["validate", f])
    if ok:
        assert v[0] == 0, v
        return
    r = _verdict(["run", f, "--out", str(tmp_path / "out")])
    assert v == r and v[0] == 2 and "measures[0].max_size" in v[1] and "100000" in v[1], (v, r)
    assert v[1].count("\n") == 1 and "Traceback" not in v[1]


def test_a_capex_index_written_relative_to_100_is_refused_with_the_reason(tmp_path):
    f = _write(tmp_path, trajectories={"capex_index": {"pv": {2024: 100, 2030: 80}}})
    code, out = _verdict(["validate", f])
    assert code == 2 and "trajectories.capex_index.pv" in out and "within 0..10" in out
    assert "divide" in out and "got 100" in out
    assert _verdict(["validate", _write(tmp_path, trajectories={"capex_index": {"pv": {2024: 1, 2030: 9.5}}})])[0] == 0


@pytest.mark.parametrize("status, advice", [("no_solution", "raise solver.time_limit"),
                                            ("error", "not for lack of time")])
def test_a_solver_failure_is_not_blamed_on_the_time_limit(tmp_path, monkeypatch, status, advice):
    info = SimpleNamespace(status=status, has_solution=False, termination="kSolveError" if status == "error"
                           else "kTimeLimit")
    monkeypatch.setattr(run_module, "solve", lambda *a, **k: info)
    with pytest.raises(SolverError) as exc:
        planner.plan(planner.load_scenario(_write(tmp_path)))
    assert advice in str(exc.value)
    other = "not for lack of time" if advice.startswith("raise") else "raise solver.time_limit"
    assert other not in str(exc.value)



@pytest.mark.usefixtures("testlib")
def test_no_roadmap_verdict_against_a_reference_without_a_plan():
    """An infeasible reference has no roadmap: "only in B" would read as a difference (review of issue 23)."""
    from helpers import efficiency, scenario

    from planner.studies.compare import compare

    bad = scenario(name="impossible", measures=[efficiency()],
                   targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                             "reduction": 0.5}])
    ok = scenario(measures=[efficiency()], targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False,
                                                                                           "scope2": "location"},
                                                     "reduction": 0.05}])
    c = compare([bad, ok])
    assert c.runs[0].plan is None and set(c.roadmap.scenario) == {"micro"} and len(c.roadmap)
    assert (c.roadmap.verdict == "").all()
    again = compare([ok, bad])  # the other way round the reference's measures are compared as before
    assert set(again.roadmap.scenario) == {"micro"}
