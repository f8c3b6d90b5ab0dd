"""Targets that cannot be met (issue 23): every infeasible case reaches the elastic diagnosis (exit 3, one line),
whichever row proves it."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
import yaml
from click.testing import CliRunner
from helpers import BASE, efficiency, scenario

from planner.api import plan
from planner.backend import build_model, solve
from planner.backend.matrix import compile_model
from planner.cli import main
from planner.errors import InfeasibleError
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years

pytestmark = pytest.mark.usefixtures("testlib")  # gas 0.2 t/MWh; grid East 0.5 t/MWh (BASE)

S3 = {"scope1": False, "scope2": "none", "scope3": "all"}
SCOPE3_ONLY = dict(scope3={"categories": {1: {"tco2e": 500}}},
                   targets=[{"id": "s3", "year": 2025, "coverage": S3, "reduction": 0.5}])


def _cli(tmp_path, d: dict):
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d))
    return CliRunner().invoke(main, ["run", str(f), "--out", str(tmp_path / "o")])


# -- item 2: a target nothing can reduce (a constant row, trivially infeasible at the hand-over) ------------

def test_target_nothing_can_reduce_exits_3_in_one_line(tmp_path):
    """Failed before: pyomo InfeasibleConstraintException 'target_level_max[s3@2025]' (exit 1, traceback)."""
    r = _cli(tmp_path, {**BASE, "measures": [efficiency()], **SCOPE3_ONLY})
    assert r.exit_code == 3, (r.output, r.exception)
    assert r.stdout == "" and r.stderr.count("\n") == 1 and r.stderr.startswith("error: micro: targets cannot be met")
    assert "2025 target, scope 3 -50%: best achievable -0%" in r.stderr


@pytest.mark.parametrize("extra", [{}, {"solver": {"heuristic": "sites"}},
                                   {"horizon": {"start": 2025, "end": 2030}, "measures": [efficiency()]}],
                         ids=["plain", "decomposition", "six-years"])
def test_plan_raises_infeasible_error_for_a_target_nothing_can_reduce(extra):
    """Failed before: InfeasibleConstraintException from planner.plan()."""
    targets = [{**SCOPE3_ONLY["targets"][0], "maintain": True}]
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(**{**SCOPE3_ONLY, "targets": targets, **extra}))
    assert "2025 target, scope 3 -50%: best achievable -0%" in str(exc.value)


def test_a_constant_row_becomes_an_empty_row_that_excludes_zero():
    """Pyomo's compiler raises on a constraint without free variables that its constant breaks; the matrix
    keeps it as an empty row (bounds less the constant), a satisfied one as a harmless empty row."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 1))
    m.y = pyo.Var()
    m.y.fix(2.0)
    m.bad = pyo.Constraint(expr=m.y <= 1.5)
    m.fine = pyo.Constraint(expr=m.y >= 1.0)
    m.real = pyo.Constraint(expr=m.x + m.y <= 10)
    m.obj = pyo.Objective(expr=m.x)
    mx = compile_model(m)
    rows = {c.name: i for i, c in enumerate(mx.rows)}
    assert set(rows) == {"bad", "fine", "real"}
    i, j = rows["bad"], rows["fine"]
    assert mx.A[[i], :].nnz == 0 and mx.row_upper[i] == pytest.approx(-0.5)  # 0 <= -0.5: infeasible
    assert mx.A[[j], :].nnz == 0 and mx.row_lower[j] == pytest.approx(-1.0) and mx.row_upper[j] > 1e20
    assert m.bad.active and m.fine.active  # deactivated only while compiling


def test_a_trivially_infeasible_row_other_than_a_target_is_reported_infeasible():
    sc = scenario(measures=[efficiency()])
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    b.m.grid_purchase["s1", b.m.slices.first()].fix(1.0)
    b.m.impossible = pyo.Constraint(expr=b.m.grid_purchase["s1", b.m.slices.first()] >= 2.0)
    info = solve(b, sc.solver)
    assert info.status == "infeasible" and not info.has_solution
