"""`planner validate` is `planner run`'s gate (issue 23) on the broken data-library corpus: each broken library
file gives the same one-line error and exit code in both commands. A file of its own (and two chunks) so the
parallel test workers share it out."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import ROOT

sys.path.insert(0, str(Path(__file__).parent))
import test_bad_input_data as data_corpus  # noqa: E402
from test_validate_gate import _verdicts, no_solve  # noqa: E402, F401

DATA_CASES = data_corpus.CASES
HALF = (len(DATA_CASES) + 1) // 2


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("k", [0, 1])
def test_data_library_corpus_same_verdict_in_validate_and_run(k, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    differ = []
    for i, (cls, name, file, content, _path, _words) in enumerate(DATA_CASES[k * HALF:(k + 1) * HALF]):
        d = data_corpus.broken_copy(tmp_path / f"d{i}", file, content)
        monkeypatch.setenv("PLANNER_DATA", str(d))
        v, r = _verdicts([str(ROOT / "scenarios" / "demo.yaml")], tmp_path / f"d{i}" / "out")
        if v != r or v[0] != 2:
            differ.append(f"{cls} {name}: validate {v}, run {r}")
    assert not differ, "\n".join(differ)
