"""The command line starts without the solver stack (issue 23): `import planner`, `planner --help` and
`planner validate` import neither Pyomo, SciPy nor HiGHS; the public names still resolve on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import ROOT

HEAVY = ("pyomo", "scipy", "highspy")


def _modules_after(code: str) -> dict:
    """Top-level packages imported by `code` run in a fresh interpreter, and what it printed to `out`."""
    prog = ("import json, sys\nout = None\n" + code +
            "\nprint(json.dumps({'mods': sorted({m.split('.')[0] for m in sys.modules}), 'out': out}))")
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def _cli(args: list[str]) -> str:
    return ("from click.testing import CliRunner\nfrom planner.cli import main\n"
            f"r = CliRunner().invoke(main, {args!r})\nout = [r.exit_code, r.output]")


@pytest.mark.parametrize("code", [
    "import planner.cli",
    "import planner",
    _cli(["--help"]),
    _cli(["run", "--help"]),
], ids=["import-cli", "import-planner", "help", "run-help"])
def test_start_imports_no_solver_and_no_pandas(code):
    mods = _modules_after(code)["mods"]
    assert not set(mods) & {*HEAVY, "pandas"}, set(mods) & {*HEAVY, "pandas"}


def test_validate_imports_no_solver():
    got = _modules_after(_cli(["validate", "scenarios/demo.yaml"]))
    assert got["out"][0] == 0, got["out"]
    assert not set(got["mods"]) & set(HEAVY), set(got["mods"]) & set(HEAVY)


def test_public_api_names_resolve_lazily():
    import planner

    for name in planner.__all__:
        assert getattr(planner, name) is not None
    from planner import Scenario, load_scenario, plan  # noqa: F401 - `from` imports go through __getattr__
    from planner.backend import REGISTRY, SolveInfo, build_model, solve

    assert callable(solve) and callable(build_model) and REGISTRY and SolveInfo
    with pytest.raises(AttributeError):
        planner.no_such_name  # noqa: B018


def test_the_solve_submodule_never_hides_the_solve_function():
    """`planner.backend.solve` is the function even when the submodule of that name was imported first."""
    got = _modules_after("import planner.backend.solve as m\nfrom planner.backend import solve\n"
                         "out = [callable(solve), type(solve).__name__]")
    assert got["out"] == [True, "function"]


def test_lazy_module_imports_on_first_attribute_only():
    got = _modules_after("from planner.lazy import LazyModule\nm = LazyModule('fractions')\nimport copy\n"
                         "copy.copy(m); before = 'fractions' in sys.modules\n"
                         "out = [before, m.Fraction(1, 2) == 0.5, 'fractions' in sys.modules, repr(m)]")
    assert got["out"] == [False, True, True, "<lazy module 'fractions'>"]
