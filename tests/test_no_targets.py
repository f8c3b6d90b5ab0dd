"""A scenario without targets (issue 23): `planner run`, `planner.plan()` and the report all work, and say so."""

from __future__ import annotations

import warnings

import yaml
from click.testing import CliRunner
from helpers import BASE, scenario

from planner.api import plan
from planner.cli import main
from planner.run import PlanResult


def test_cli_run_without_targets_exits_0_and_says_there_are_none(tmp_path):
    """Failed before: AttributeError 'DataFrame' object has no attribute 'unit' (exit 1) after the files."""
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(BASE))
    r = CliRunner().invoke(main, ["run", str(f), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, (r.output, r.exception)
    assert "(no targets in the scenario)" in r.stdout and r.stderr == ""
    assert (tmp_path / "o" / "targets.csv").is_file()


def test_empty_targets_frame_is_typed_so_masks_select_rows():
    """An empty object-dtype mask selects columns in pandas (none); typed columns select rows."""
    p = plan(scenario())
    tg = p.targets
    assert len(tg) == 0 and tg.milestone.dtype == bool and tg.met.dtype == bool and tg.year.dtype.kind == "i"
    assert list(tg[tg.milestone].columns) == list(tg.columns)
    assert p.summary["targets_met"] is True


def test_report_and_deck_without_targets_from_a_plan_and_a_result_folder(tmp_path):
    """Failed before: KeyError 'year' in the deck's targets table (and a legend warning on the empty chart)."""
    from planner.report import write_report

    p = plan(scenario(), out_dir=tmp_path / "run")
    read = PlanResult.read(tmp_path / "run")
    assert read.targets.milestone.dtype == bool
    for name, q in (("plan", p), ("read", read)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib's 'No artists with labels' is a UserWarning
            files = write_report(q, tmp_path / name, ("en",), ("html", "pptx"))
        assert {f.suffix for f in files} >= {".html", ".pptx"}
