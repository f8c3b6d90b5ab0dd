"""Sweep stores written before a column was renamed still read (under the current name)."""

from __future__ import annotations

import duckdb

from planner.studies.sweep.store import FILE_NAME, read_store


def test_a_stand_alone_macc_of_an_older_store_reads_under_its_current_name(tmp_path):
    con = duckdb.connect(str(tmp_path / FILE_NAME))
    con.execute("CREATE TABLE standalone_macc (measure VARCHAR, name VARCHAR, name_zh VARCHAR, family VARCHAR, "
                "site VARCHAR, potential_tco2e_per_yr DOUBLE, cost_cny_per_tco2e DOUBLE)")
    con.execute("INSERT INTO standalone_macc VALUES ('b', 'B', 'B', 'heat', 's', 2.0, 50.0), "
                "('a', 'A', 'A', 'heat', 's', 1.0, -10.0)")
    con.close()
    sa = read_store(tmp_path, ("standalone_macc",))["standalone_macc"]
    assert list(sa.columns)[-1] == "standalone_cost_cny_per_tco2e"
    assert list(sa.measure) == ["a", "b"] and list(sa.standalone_cost_cny_per_tco2e) == [-10.0, 50.0]
