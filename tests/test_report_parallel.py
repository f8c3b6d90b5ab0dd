"""Issue 24 (speed): the report's drawings run in a pool of forked worker processes, and the CLI solves the
stand-alone MACC in a forked process while it solves the plan; both give what the serial code gives and fall
back to this process when a worker cannot run. (Byte identity of the pool's files: test_deliverables.)"""

from __future__ import annotations

import os

import pandas as pd
import pytest
from helpers import ROOT

import planner
from planner.report.common import parallel
from planner.report.common.parallel import Pool

PARENT = os.getpid()


def _pid_or_die(x: int) -> tuple[int, int]:
    if os.getpid() != PARENT:
        os._exit(3)  # a worker that dies: the pool is broken
    return x, os.getpid()


def _pid(x: int) -> tuple[int, int]:
    return x, os.getpid()


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    assert parallel.workers() == 1
    monkeypatch.setenv(parallel.WORKERS_ENV, "not a number")
    assert parallel.workers() == 1
    monkeypatch.delenv(parallel.WORKERS_ENV)
    assert parallel.workers() == max(1, min(2, os.cpu_count() or 1))


def test_the_pool_runs_tasks_in_worker_processes_in_order():
    with Pool(2) as pool:
        tasks = pool.run([(_pid, (k,)) for k in range(6)])
        out = [t.result() for t in tasks]
    assert [x for x, _ in out] == list(range(6))
    if "fork" in __import__("multiprocessing").get_all_start_methods():
        assert all(pid != PARENT for _, pid in out)


def test_one_worker_runs_everything_here_when_asked():
    with Pool(1) as pool:
        out = [t.result() for t in pool.run([(_pid, (k,)) for k in range(3)])]
    assert out == [(k, PARENT) for k in range(3)]


def test_a_dead_worker_falls_back_to_this_process():
    with Pool(2) as pool:
        out = [t.result() for t in pool.run([(_pid_or_die, (k,)) for k in range(4)])]
    assert out == [(k, PARENT) for k in range(4)]


def test_a_task_error_is_raised_not_hidden():
    with Pool(2) as pool, pytest.raises(ZeroDivisionError):
        [t.result() for t in pool.run([(divmod, (1, 0))])]


def test_the_background_standalone_macc_is_the_serial_one(demo_plan):
    from planner.studies.standalone_macc import Background

    pd.testing.assert_frame_equal(Background(demo_plan.scenario).result(), demo_plan.macc_standalone,
                                  check_exact=True)


def test_the_background_macc_forks_only_where_no_highs_ran(tmp_path):
    """A forked child must not solve after the parent made a HiGHS instance (fork does not copy the scheduler's
    threads): in this test process, where HiGHS ran, the MACC is computed in-process; in a fresh process it
    is forked, and both give the serial frame."""
    import subprocess
    import sys

    from planner.backend.subsolve import highs_used
    from planner.studies.standalone_macc import Background

    sc = planner.load_scenario(ROOT / "scenarios" / "demo.yaml")
    planner.plan(sc)
    assert highs_used() and Background(sc).executor is None
    code = ("import planner, sys; from planner.studies.standalone_macc import Background, standalone_macc; "
            "sc = planner.load_scenario(sys.argv[1]); b = Background(sc); forked = b.executor is not None; "
            "a = b.result(); import pandas as pd; pd.testing.assert_frame_equal(a, standalone_macc(sc), "
            "check_exact=True); print(forked)")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "scenarios" / "demo.yaml")], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def _shared_len(sh: parallel.Shared) -> tuple[int, int, int]:
    return len(sh.value), id(sh.value), os.getpid()


def test_a_started_pool_runs_pickled_tasks_and_unpickles_a_shared_value_once_per_worker():
    """A pool started before its tasks (the CLI starts it before the solve) gets each task pickled: a Shared value
    arrives once per worker (the same object in every task of a worker), a task that does not pickle (a lambda)
    runs here."""
    sh = parallel.Shared(list(range(1000)))
    with Pool(2).start("planner.report.common.render") as pool:
        tasks = pool.run([(_shared_len, (sh,)) for _ in range(8)] + [(lambda: os.getpid(), ())])
        out = [t.result() for t in tasks]
    assert all(n == 1000 for n, _, _ in out[:8])
    assert out[-1] == PARENT
    if "fork" in __import__("multiprocessing").get_all_start_methods():
        by_pid: dict[int, set[int]] = {}
        for _, ident, pid in out[:8]:
            by_pid.setdefault(pid, set()).add(ident)
        assert PARENT not in by_pid and all(len(ids) == 1 for ids in by_pid.values())


def test_a_chart_task_gives_the_report_files_and_the_slide_picture_of_a_fresh_figure(demo_plan, tmp_path):
    """The deck's picture of a non-Gantt chart comes from a copy of the report's figure (plan/tasks.py): the same
    bytes as the figure drawn anew for the slide, and the report's PNG and SVG as the serial render writes them."""
    from planner.report.common.deck import chart_png
    from planner.report.common.render import render_one
    from planner.report.plan import gantt, tasks

    sh = tasks.shared(demo_plan)
    fr, fns = tasks.specs(sh)
    paths, picture = tasks.chart(sh, "zh", "compliance", tmp_path / "pool", None, True)
    serial = render_one(fr, "compliance", fns["compliance"], tmp_path / "serial", "zh")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in serial]
    assert picture == chart_png(lambda: fns["compliance"](fr, "zh"))
    stem = next(s for s in fns if s.startswith("gantt_by_"))  # a Gantt part: drawn anew at slide size
    by, i = gantt.part_of(stem)
    assert tasks.slide_picture(sh, "en", stem) == chart_png(lambda: gantt.slide(fr, "en", by, gantt.parts(fr, by)[i]))
