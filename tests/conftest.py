"""Fixtures. Shared helpers live in tests/helpers.py (re-exported here for older imports)."""

from __future__ import annotations

import logging
import warnings

import pytest
from helpers import BASE, ROOT, TEST_DATA, LogRecords, built, scenario, solve  # noqa: F401


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
def steel_plan():
    """The bundled steel scenario (benchmark ETS, EU CBAM) solved once at a 2% gap on one thread."""
    import planner
    from planner.schemas import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "steel.yaml")
    return planner.plan(sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 0.02,
                                                                                      "threads": 1})}))


@pytest.fixture(scope="session")
def demo_report(demo_plan, tmp_path_factory):
    """The demo's report folder, both languages, HTML and slide deck, written once."""
    from planner.report import write_report

    out = tmp_path_factory.mktemp("demo_report")
    rec = LogRecords()
    logging.getLogger("matplotlib").addHandler(rec)
    try:
        with warnings.catch_warnings(record=True) as caught, pytest.MonkeyPatch.context() as mp:
            warnings.simplefilter("always")  # a missing glyph is a UserWarning: test_report checks there are none
            # drawn in this process (no worker pool), so that the warnings and log lines are caught here; the
            # pool's files are compared with these byte for byte (test_deliverables)
            mp.setenv("PLANNER_REPORT_WORKERS", "1")
            write_report(demo_plan, out, ("en", "zh"), ("html", "pptx"))
    finally:
        logging.getLogger("matplotlib").removeHandler(rec)
    DEMO_REPORT_MESSAGES.extend([f"{w.category.__name__}: {w.message}" for w in caught] + rec.messages)
    return out


DEMO_REPORT_MESSAGES: list[str] = []  # warnings and matplotlib log lines while the demo report was written


@pytest.fixture(scope="session")
def demo_report_messages(demo_report) -> list[str]:
    """What writing the demo report warned or logged (matplotlib): the report tests require none of it."""
    return DEMO_REPORT_MESSAGES
