"""Targets that cannot be met (issue 23): every infeasible case reaches the elastic diagnosis (exit 3, one line),
whichever row proves it, and the message names the failing years and the residual by source."""

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
    assert "2025 target, scope 3 -50%: best achievable -0% in 2025" in r.stderr


@pytest.mark.parametrize("extra", [{}, {"solver": {"heuristic": "sites"}},
                                   {"horizon": {"start": 2025, "end": 2030}, "measures": [efficiency()]}],
                         ids=["plain", "decomposition", "six-years"])
def test_plan_raises_infeasible_error_for_a_target_nothing_can_reduce(extra):
    """Failed before: InfeasibleConstraintException from planner.plan()."""
    targets = [{**SCOPE3_ONLY["targets"][0], "maintain": True}]
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(**{**SCOPE3_ONLY, "targets": targets, **extra}))
    (s,) = exc.value.details
    assert s.target == "s3" and s.best == pytest.approx(0.0, abs=1e-9) and s.year == 2025
    assert s.years == tuple(range(2025, 2026 + (5 if "horizon" in extra else 0)))
    assert [(x.scope, x.source, x.share_of_base) for x in s.residual] == [("scope3", "cat01", pytest.approx(1.0))]


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


# -- item 3: the message names the failing years and what is left -------------------------------------------

GAS = {"sites": [{**BASE["sites"][0], "energy": {"electricity": 1000, "natural_gas": 1000}}]}  # 500 t + 200 t
S12L = {"scope1": True, "scope2": "location"}


def test_shortfall_names_the_year_and_the_residual_by_source():
    """Efficiency saves 10% of electricity: 50 of 700 t. Before: '...-100%: best achievable -7.1%' only."""
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(**GAS, measures=[efficiency()],
                      targets=[{"id": "nz", "year": 2025, "coverage": S12L, "reduction": 1.0}]))
    msg = str(exc.value)
    assert msg == ("micro: targets cannot be met: 2025 target, scopes 1+2 location-based -100%: best achievable "
                   "-7.1% in 2025, residual 92.9% of the base: location-based scope 2 of s1 electricity 64.3%, "
                   "scope 1 of s1 combustion:natural_gas 28.6%")
    (s,) = exc.value.details
    assert (s.target, s.year, s.years, s.unit) == ("nz", 2025, (2025,), "tCO2e")
    assert s.required == 1.0 and s.best == pytest.approx(50 / 700) and s.shortfall == pytest.approx(650)
    assert [(x.scope, x.site, x.source) for x in s.residual] == [("scope2_location", "s1", "electricity"),
                                                                 ("scope1", "s1", "combustion:natural_gas")]
    assert [x.tco2e for x in s.residual] == pytest.approx([450, 200])
    assert sum(x.share_of_base for x in s.residual) == pytest.approx(1 - s.best)
    assert s.text in exc.value.shortfalls and s.to_dict()["residual"][0]["source"] == "electricity"


def test_shortfall_names_every_failing_year_of_a_pathway():
    """Linear 2024 -> 2030 to -30% with at most -10%: 2027 (-15%) to 2030 fail; the milestone is reported."""
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(horizon={"start": 2025, "end": 2030}, measures=[efficiency()],
                      targets=[{"id": "t", "year": 2030, "coverage": {"scope1": False, "scope2": "location"},
                                "reduction": 0.3, "pathway": "linear"}]))
    (s,) = exc.value.details
    assert s.year == 2030 and s.years == (2027, 2028, 2029, 2030)
    assert "best achievable -10% in 2030, short in 2027-2030, residual 90% of the base" in str(exc.value)


def test_cli_shortfall_is_one_line_with_year_and_residual(tmp_path):
    r = _cli(tmp_path, {**BASE, **GAS, "measures": [efficiency()],
                        "targets": [{"id": "nz", "year": 2025, "coverage": S12L, "reduction": 1.0}]})
    assert r.exit_code == 3 and r.stderr.count("\n") == 1
    assert "best achievable -7.1% in 2025, residual 92.9% of the base: location-based scope 2" in r.stderr


def test_renewable_share_shortfall_names_year_and_best_share():
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(targets=[{"id": "re", "type": "renewable_share", "year": 2025, "share": 0.6}]))
    (s,) = exc.value.details
    assert (s.unit, s.year, s.best, s.shortfall) == ("MWh", 2025, 0.0, pytest.approx(600))
    assert "renewable electricity share 60%: best achievable 0% in 2025 (600 MWh of renewable electricity short)" \
        in str(exc.value)


def test_text_helpers():
    from planner.postprocess.shortfall import share_text, year_ranges

    assert year_ranges((2026, 2027, 2028, 2030)) == "2026-2028, 2030" and year_ranges((2050,)) == "2050"
    assert [share_text(x) for x in (0.008, 0.94, 0.0001, 0.125, 0.0)] == ["0.8%", "94%", "<0.1%", "12.5%", "0%"]


def test_net_zero_residual_rule_shortfall_is_stated_before_offsets():
    """-10% with offsets under the net-zero residual rule (gross at most 10% of the base): the plan reaches
    -10% before offsets. Before: 'best achievable +70%' (the rule's slack read as the level's)."""
    with pytest.raises(InfeasibleError) as exc:
        plan(scenario(measures=[efficiency()],
                      targets=[{"id": "t", "year": 2025, "coverage": {"scope1": False, "scope2": "location"},
                                "reduction": 0.1, "offsets": "net_zero_residual"}]))
    (s,) = exc.value.details
    assert s.basis == "before offsets" and s.best == pytest.approx(0.1) and s.required == pytest.approx(0.9)
    assert ("scope 2 location-based -10%: best achievable -10% before offsets in 2025 (the net-zero residual rule "
            "requires -90% before offsets), residual 90% of the base") in str(exc.value)


def test_a_sweep_variant_whose_target_nothing_can_reduce_is_recorded_infeasible(tmp_path):
    """The sweep's in-place re-solves compile the same way. Failed before: InfeasibleConstraintException."""
    import planner

    (tmp_path / "base.yaml").write_text(yaml.safe_dump({**BASE, "measures": [efficiency()], **SCOPE3_ONLY}))
    params = [{"name": "cut", "path": "targets[s3].reduction", "mode": "set", "values": [0.2, 0.5]}]
    (tmp_path / "sw.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "design": "grid", "parameters": params}))
    r = planner.sweep(str(tmp_path / "sw.yaml"), tmp_path / "out", quiet=True)
    m = r.tables(("metrics",))["metrics"].set_index("variant")
    assert list(m.status) == ["infeasible", "infeasible"] and m.shortfall[1].startswith("s3 2025: short by 250")


@pytest.mark.parametrize("found, words", [(None, "infeasible without any target"),
                                          ([], "met only within numerical tolerance")])
def test_an_infeasibility_without_a_target_short_still_says_why(monkeypatch, found, words):
    import planner.run as run

    monkeypatch.setattr(run, "diagnose_shortfalls", lambda *a: found)
    monkeypatch.setattr(run, "build_model", lambda *a, **k: None)
    monkeypatch.setattr(run, "relaxing_families", lambda *a: [])  # no family alone: the generic line
    exc = run.infeasible(scenario(), None, [])
    assert exc.exit_code == 3 and words in str(exc) and exc.shortfalls and exc.details == []


def test_a_connection_below_the_load_is_infeasible_without_any_target_and_names_the_limit(tmp_path):
    # 8,760 MWh a year on a flat load is 1 MW in every hour; a 0.5 MW import limit and nothing on site to make
    # power: no plan at all, with no target in the scenario; only relaxing the connection limits restores one.
    (tmp_path / "load.csv").write_text("1.0\n" * 8760, encoding="utf-8")
    tariff = {"source": "test", "hours": {"1-12": "v" * 12 + "p" * 12},
              "prices_cny_per_mwh": {"valley": 200, "peak": 1000}}
    sc = scenario(sites=[{"id": "s1", "energy": {"electricity": 8760}}],
                  time={"resolution": "representative_days", "days": 1, "hours_per_day": 2,
                        "sites": {"s1": {"tariff": tariff, "load": str(tmp_path / "load.csv"),
                                         "connection": {"import_mw": 0.5}}}})
    with pytest.raises(InfeasibleError) as exc:
        plan(sc)
    assert str(exc.value) == ("micro: the model is infeasible without any target: relaxing the grid connection "
                              "import/export limits alone restores a solution; check those inputs")
