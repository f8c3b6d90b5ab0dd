"""`planner validate` is `planner run`'s gate (issue 23) on the broken data-library corpus: each broken library
file gives the same one-line error and exit code in both commands. A file of its own (and two chunks) so the
parallel test workers share it out.

The scenario only carries the broken library to the two commands: both read the scenario file and then load the
library first thing (`schemas.loader.validate` calls `load_library()` before it looks at the scenario), and every
case of the corpus fails in `load_library()` itself (test_bad_input_data.test_broken_data_library_names_file_and_row).
So the whole corpus runs on the micro scenario (tests/helpers.BASE, parsed in a few milliseconds) and the first case
of each class also on the bundled demo (whose YAML took most of this file's time when every case read it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import BASE, ROOT

sys.path.insert(0, str(Path(__file__).parent))
import test_bad_input as corpus  # noqa: E402
import test_bad_input_data as data_corpus  # noqa: E402
from test_validate_gate import _verdicts, no_solve  # noqa: E402, F401

DATA_CASES = data_corpus.CASES
HALF = (len(DATA_CASES) + 1) // 2
DEMO = ROOT / "scenarios" / "demo.yaml"
FIRST_OF_CLASS = {c[0]: c for c in reversed(DATA_CASES)}  # class -> its first case


def _differ(cases, scenario: Path, tmp_path: Path, monkeypatch) -> list[str]:
    """Cases whose verdicts differ between `validate` and `run` (or are not exit 2), with `scenario` read."""
    differ = []
    for i, (cls, name, file, content, _path, _words) in enumerate(cases):
        d = data_corpus.broken_copy(tmp_path / f"d{i}", file, content)
        monkeypatch.setenv("PLANNER_DATA", str(d))
        v, r = _verdicts([str(scenario)], tmp_path / f"d{i}" / "out")
        if v != r or v[0] != 2:
            differ.append(f"{cls} {name} ({scenario.name}): validate {v}, run {r}")
    return differ


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("k", [0, 1])
def test_data_library_corpus_same_verdict_in_validate_and_run(k, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    micro = tmp_path / "micro.yaml"
    micro.write_bytes(corpus.dump(BASE))
    differ = _differ(DATA_CASES[k * HALF:(k + 1) * HALF], micro, tmp_path / "micro", monkeypatch)
    assert not differ, "\n".join(differ)


@pytest.mark.usefixtures("no_solve")
def test_first_case_of_each_class_same_verdict_on_the_demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(FIRST_OF_CLASS) >= 6, sorted(FIRST_OF_CLASS)
    differ = _differ(list(FIRST_OF_CLASS.values()), DEMO, tmp_path, monkeypatch)
    assert not differ, "\n".join(differ)


@pytest.mark.usefixtures("no_solve")
def test_the_micro_scenario_passes_validate_with_the_unbroken_library(tmp_path, monkeypatch):
    """The corpus's verdicts come from the broken library, not from the micro scenario: unbroken, it passes."""
    monkeypatch.chdir(tmp_path)
    micro = tmp_path / "micro.yaml"
    micro.write_bytes(corpus.dump(BASE))
    monkeypatch.setenv("PLANNER_DATA", str(data_corpus.broken_copy(tmp_path, "gwp.csv",
                                                                   (data_corpus.DATA / "gwp.csv").read_bytes())))
    assert _verdicts([str(micro)], tmp_path / "out") == ((0, ""), (0, ""))
