"""The house rules, checked: stages import only from earlier stages, only the backend imports Pyomo, every
measure kind in the schema has a model and a docs section, and the names in docs/model.md exist in the model."""

from __future__ import annotations

import ast
import re

import pytest
from helpers import ROOT, efficiency, scenario

import planner
from planner.backend import REGISTRY, build_model, solve
from planner.backend.builder import BuiltModel
from planner.preprocess import baseline as bl
from planner.preprocess.inputs import build_inputs
from planner.preprocess.targets import target_years
from planner.schemas.measure import MEASURE_KINDS

PKG = ROOT / "planner"
# stage of each top-level module or folder; a module may import from its own stage and earlier ones
STAGES = {"errors": 0, "units": 0, "version": 0, "schemas": 1, "preprocess": 2, "backend": 3, "postprocess": 4,
          "run": 5, "studies": 6, "report": 7, "synthetic": 8, "api": 8, "cli": 9, "__init__": 9, "__main__": 9}
MODEL_MD = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def _stage(rel_parts: tuple[str, ...]) -> str:
    head = rel_parts[0]
    return head[:-3] if head.endswith(".py") else head


def _imports(path):
    """(module parts relative to planner, or None for third-party, first name) of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = path.relative_to(PKG).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = (*base, *(node.module.split(".") if node.module else ()))
                if not node.module:  # `from . import x`: x is the module
                    for alias in node.names:
                        yield (*mod, alias.name), None
                else:
                    yield mod, None
            elif node.module and node.module.split(".")[0] == "planner":
                yield tuple(node.module.split(".")[1:]) or ("__init__",), None
            else:
                yield None, node.module.split(".")[0] if node.module else ""
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield None, alias.name.split(".")[0]


MODULES = sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_modules_import_only_from_earlier_stages(path):
    own = STAGES[_stage(path.relative_to(PKG).parts)]
    for mod, _third in _imports(path):
        if mod is None or not mod:
            continue
        other = STAGES[_stage(mod if mod[0] not in ("",) else ("__init__",))]
        assert other <= own, f"{path.relative_to(PKG)} (stage {own}) imports planner.{'.'.join(mod)} (stage {other})"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_only_the_backend_imports_pyomo_and_the_report_never_solves(path):
    rel = path.relative_to(PKG).parts
    third = {t for _m, t in _imports(path) if t}
    if rel[0] != "backend":
        assert not third & {"pyomo", "highspy"}, f"{'/'.join(rel)} imports a solver library"
    if rel[0] == "report":
        stages = {_stage(m) for m, _t in _imports(path) if m}
        assert not stages & {"backend", "run", "studies", "api"}, f"{'/'.join(rel)} reaches a solving stage"


def test_every_schema_kind_has_a_model_and_a_docs_section_and_vice_versa():
    assert set(MEASURE_KINDS) == set(REGISTRY)
    assert len(REGISTRY) == 12
    for kind, model in REGISTRY.items():
        assert model.config is MEASURE_KINDS[kind]
        assert f"kind `{kind}`" in MODEL_MD, f"docs/model.md has no section naming kind `{kind}`"


def test_each_kind_module_holds_its_config_and_model():
    for kind, model in REGISTRY.items():
        assert model.__module__ == model.config.__module__
        assert model.__module__.rsplit(".", 1)[1] == kind, f"kind {kind} lives in {model.__module__}"


def _demo_model() -> BuiltModel:
    """The demo with one asset that may not be reinvested and a PPA volume cap (so that every optional
    component is built)."""
    sc = planner.load_scenario(ROOT / "scenarios" / "demo.yaml")
    ms = [m.model_copy(update={"reinvest": False}) if m.kind == "efficiency" and m.id == sc.measures[0].id
          else m.model_copy(update={"max_mwh": 1e5}) if m.kind == "green_ppa" else m for m in sc.measures]
    sc = sc.model_copy(update={"measures": ms})
    drv = bl.drivers(sc)
    return build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))


def _glossary_names() -> tuple[set[str], set[str]]:
    """(`m.<name>`, `blk.<name>`) names in docs/model.md."""
    return set(re.findall(r"`m\.([A-Za-z_0-9]+)", MODEL_MD)), set(re.findall(r"`blk\.([A-Za-z_0-9]+)", MODEL_MD))


def test_docs_names_exist_in_the_model_and_every_model_component_is_documented():
    b = _demo_model()
    model_names = {c.local_name for c in b.m.component_objects(descend_into=False)
                   if not c.local_name.startswith("measure_")}
    block_names = {c.local_name for mm in b.measures for c in mm.block.component_objects(descend_into=False)}
    doc_m, doc_blk = _glossary_names()
    assert doc_m - model_names == set(), "documented but not in the model"
    assert model_names - doc_m == set(), "in the model but not documented in docs/model.md"
    assert doc_blk - block_names == set(), "documented block components missing from the demo's measure blocks"
    assert block_names - doc_blk == set(), "measure block components not documented in docs/model.md"


@pytest.mark.usefixtures("testlib")
def test_changing_a_mutable_price_and_resolving_equals_rebuilding():
    # 10% of 1000 MWh saved for 30,000 CNY: adopted at 500 CNY/MWh (saves 50,000), not at 200 (saves 20,000).
    sc = scenario(measures=[efficiency()])
    drv = bl.drivers(sc)
    b = build_model(build_inputs(sc, None, drv), target_years(sc, bl.bau_emissions(sc, drv), drv))
    assert solve(b, sc.solver).has_solution and b.value(b.measures[0].block.build[2025]) > 0.5
    for key in b.m.price_elec:
        b.m.price_elec[key] = 200 * 1e-3  # CNY/MWh -> MCNY/GWh
    resolved = solve(b, sc.solver)
    rebuilt_sc = scenario(measures=[efficiency()], prices={"electricity": 200})
    rebuilt = planner.plan(rebuilt_sc)
    assert b.value(b.measures[0].block.build[2025]) < 0.5
    assert resolved.objective_mcny * 1e6 == pytest.approx(rebuilt.summary["npv_cny"], rel=1e-9)
    assert rebuilt.summary["npv_cny"] == pytest.approx(1000 * 200)


@pytest.mark.usefixtures("testlib")
def test_the_worked_example_in_architecture_md_adds_a_kind_without_touching_shared_files():
    import sys
    import types

    from planner.backend.measures import base as measure_base
    from planner.schemas import measure as measure_schema

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", doc, re.S).group(1)
    name = "planner.backend.measures.biogas"
    module = types.ModuleType(name)
    module.__package__ = "planner.backend.measures"
    sys.modules[name] = module
    try:
        exec(compile(code, "docs/architecture.md", "exec"), module.__dict__)
        # 1,000 MWh of gas at 200 CNY/MWh (0.2 t/MWh, boiler 0.9); biogas up to 30% at +150 CNY/MWh.
        # A 100% scope-1 cut by 2025 is impossible; -30% needs every MWh of biogas allowed: 300 MWh.
        sc = scenario(sites=[{"id": "s1", "energy": {"electricity": 1000, "natural_gas": 1000}}],
                      measures=[{"id": "bio", "kind": "biogas", "site": "s1", "max_share": 0.3}],
                      targets=[{"id": "t", "year": 2025, "coverage": {"scope1": True, "scope2": "none"},
                                "reduction": 0.3}])
        p = planner.plan(sc)
        bio = p.roadmap[p.roadmap.measure == "bio"]
        assert bio["size"].sum() == pytest.approx(300, rel=1e-6)
        ab = p.abatement[p.abatement.measure == "bio"].tco2e.sum()
        assert ab == pytest.approx(300 * 0.2, rel=1e-6)  # 60 t of fossil gas avoided
        energy = p.costs[p.costs.category == "energy"].nominal_cny.sum()
        assert energy == pytest.approx(1000 * 500 + 1000 * 200 + 300 * 150, rel=1e-6)
    finally:
        sys.modules.pop(name, None)
        measure_schema.MEASURE_KINDS.pop("biogas", None)
        measure_base.REGISTRY.pop("biogas", None)
