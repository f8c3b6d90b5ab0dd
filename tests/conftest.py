"""Fixtures. Shared helpers live in tests/helpers.py (re-exported here for older imports)."""

from __future__ import annotations

import pytest
from helpers import BASE, ROOT, TEST_DATA, built, scenario, solve  # noqa: F401


@pytest.fixture
def testlib(monkeypatch):
    """Use tests/data: gas 0.2 t/MWh, coal 0.3, purchased heat 0.4 (scope 2); electricity 500 CNY/MWh."""
    monkeypatch.setenv("PLANNER_DATA", str(TEST_DATA))
    yield


@pytest.fixture(scope="session")
def demo_plan():
    """The bundled demo solved once, with its stand-alone MACC (shared by the report tests)."""
    import planner

    return planner.plan(ROOT / "scenarios" / "demo.yaml").with_standalone_macc()


@pytest.fixture(scope="session")
def demo_report(demo_plan, tmp_path_factory):
    """The demo's report folder, both languages, HTML and slide deck, written once."""
    from planner.report import write_report

    out = tmp_path_factory.mktemp("demo_report")
    write_report(demo_plan, out, ("en", "zh"), ("html", "pptx"))
    return out
