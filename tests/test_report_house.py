"""The report's house (issue 24): three deliverable families (plan/, compare/, sweep/) over a shared base
(common/). A family imports only from common/ and itself, common/ imports no family, no module imports or uses
another module's private names, and the shared pieces exist once: one render loop, one table helper, one alias
of the frames (docs/report.md, "Code layout")."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from helpers import ROOT

REPORT = ROOT / "planner" / "report"
FAMILIES = ("plan", "compare", "sweep")
ENTRY = {"plan": "write_report", "compare": "write_comparison_report", "sweep": "write_sweep_report"}


def _module(path: Path, root: Path) -> tuple[str, ...]:
    """A module's dotted name under `root`'s parent package as parts (planner, report, plan, charts)."""
    rel = path.relative_to(root.parents[1]).with_suffix("").parts
    return rel[:-1] if rel[-1] == "__init__" else rel


def _from(node: ast.ImportFrom, path: Path, root: Path) -> tuple[str, ...] | None:
    """The planner module a `from ... import` reads from (None for third-party code)."""
    if node.level:
        me = _module(path, root)
        pkg = me if path.name == "__init__.py" else me[:-1]
        return (*pkg[: len(pkg) - node.level + 1], *(node.module.split(".") if node.module else ()))
    if node.module and node.module.split(".")[0] == root.parent.name:
        return tuple(node.module.split("."))
    return None


def _exists(mod: tuple[str, ...], root: Path) -> bool:
    base = root.parents[1].joinpath(*mod)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imports(path: Path, root: Path):
    """(module parts, names imported from it) of every import of planner code in the module at `path`;
    `from . import x` of a module x yields x itself."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (mod := _from(node, path, root)) is not None:
            if not node.module:
                for a in node.names:
                    yield (*mod, a.name), []
            else:
                yield mod, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == root.parent.name:
                    yield tuple(a.name.split(".")), []


def _modules_bound(path: Path, root: Path) -> dict[str, tuple[str, ...]]:
    """Local name -> planner module, for every `from <package> import <module> [as name]`."""
    out = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (mod := _from(node, path, root)) is not None:
            for a in node.names:
                if _exists((*mod, a.name), root):
                    out[a.asname or a.name] = (*mod, a.name)
    return out


def violations(root: Path) -> list[str]:
    """Every breach of the house rules in the report package at `root` (planner/report)."""
    out = []
    name = root.name
    for path in sorted(root.rglob("*.py")):
        me = _module(path, root)
        where = me[me.index(name) + 1] if len(me) > me.index(name) + 1 else ""  # family, common or "" (facade)
        where = where if (root / where).is_dir() else ""
        rel = path.relative_to(root)
        for mod, names in _imports(path, root):
            if len(mod) < 2 or mod[1] != name:
                continue  # earlier stages: tests/test_architecture.py
            other = mod[2] if len(mod) > 2 and (root / mod[2]).is_dir() else ""
            if where == "common" and other != "common":
                out.append(f"{rel}: common/ imports {'.'.join(mod)}")
            elif where in FAMILIES and other not in ("common", where):
                out.append(f"{rel}: family {where} imports {'.'.join(mod)}")
            out += [f"{rel}: imports private {'.'.join(mod)}.{n}" for n in names if n.startswith("_")]
        bound = _modules_bound(path, root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                out.append(f"{rel}: uses private {'.'.join(bound[node.value.id])}.{node.attr}")
    return out


def copies(root: Path) -> list[str]:
    """Shared pieces defined outside common/: a render loop (saving charts, chart style context), a table cell
    or number helper, an alias of the frames."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] == "common":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in ("_cell", "_num", "render", "render_one"):
                if not (node.name == "render" and rel.name == "specs.py"):  # the plan's specs, through common's loop
                    out.append(f"{rel}: defines {node.name}")
            if isinstance(node, ast.Assign) and "dict[str, pd.DataFrame]" in ast.unparse(node.value):
                out.append(f"{rel}: aliases the frames")
            if isinstance(node, ast.Attribute) and node.attr in ("save", "rc_context") and isinstance(
                    node.value, ast.Name) and node.value.id in ("style", "matplotlib"):
                out.append(f"{rel}: {node.value.id}.{node.attr} (the render loop is common/render.py)")
    return out


def test_families_import_only_common_and_themselves_and_no_private_names():
    assert violations(REPORT) == []


def test_the_render_loop_table_helper_and_frames_alias_exist_once():
    assert copies(REPORT) == []
    for fam in FAMILIES:  # each family draws through common's loop
        text = "\n".join(p.read_text(encoding="utf-8") for p in (REPORT / fam).glob("*.py"))
        assert "common.render import" in text or "common import render" in text, fam


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_exposes_its_writer_and_the_package_re_exports_it(family):
    import planner.report

    mod = importlib.import_module(f"planner.report.{family}")
    assert getattr(planner.report, ENTRY[family]) is getattr(mod, ENTRY[family])


def test_the_checks_find_each_breach(tmp_path):
    """A report package with one breach of each rule: every one is named."""
    root = tmp_path / "planner" / "report"
    for d in ("common", "plan", "compare", "sweep"):
        (root / d).mkdir(parents=True)
        (root / d / "__init__.py").write_text("")
    (tmp_path / "planner" / "__init__.py").write_text("")
    (root / "__init__.py").write_text("from .plan import charts\n")  # the facade may import families
    (root / "common" / "style.py").write_text("from ..plan import charts\n")
    (root / "plan" / "charts.py").write_text("from ..compare.charts import text\nfrom .story import _names\n"
                                             "F = dict[str, pd.DataFrame]\n")
    (root / "plan" / "story.py").write_text("from . import charts\nx = charts._filter\n"
                                            "def _cell(v):\n    return v\n")
    (root / "sweep" / "html.py").write_text("import planner.report.compare.html\n"
                                            "def render(fr):\n    style.save(fr)\n")
    (root / "compare" / "charts.py").write_text("from ..common.style import text\n")
    found = violations(root)
    assert found == ["common/style.py: common/ imports planner.report.plan",
                     "plan/charts.py: family plan imports planner.report.compare.charts",
                     "plan/charts.py: imports private planner.report.plan.story._names",
                     "plan/story.py: uses private planner.report.plan.charts._filter",
                     "sweep/html.py: family sweep imports planner.report.compare.html"], found
    assert copies(root) == ["plan/charts.py: aliases the frames", "plan/story.py: defines _cell",
                            "sweep/html.py: defines render",
                            "sweep/html.py: style.save (the render loop is common/render.py)"], copies(root)
