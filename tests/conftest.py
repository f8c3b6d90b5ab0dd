"""Fixtures. Shared helpers live in tests/helpers.py (re-exported here for older imports)."""

from __future__ import annotations

import pytest
from helpers import BASE, ROOT, TEST_DATA, built, scenario, solve  # noqa: F401


@pytest.fixture
def testlib(monkeypatch):
    """Use tests/data: gas 0.2 t/MWh, coal 0.3, purchased heat 0.4 (scope 2); electricity 500 CNY/MWh."""
    monkeypatch.setenv("PLANNER_DATA", str(TEST_DATA))
    yield
