"""Fixtures. Shared helpers live in tests/helpers.py (re-exported here for older imports)."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import warnings

try:
    import fcntl  # the demo report's lock under pytest-xdist (POSIX); elsewhere each worker writes its own
except ImportError:  # pragma: no cover - Windows
    fcntl = None

import pytest
from helpers import BASE, DEMO_VARIANTS, ROOT, TEST_DATA, LogRecords, built, scenario, solve  # noqa: F401


@pytest.fixture
def testlib(monkeypatch):
    """Use tests/data: gas 0.2 t/MWh, coal 0.3, purchased heat 0.4 (scope 2); electricity 500 CNY/MWh."""
    monkeypatch.setenv("PLANNER_DATA", str(TEST_DATA))
    yield


def once_per_run(tmp_path_factory, name: str, make):
    """`make()` computed once per test run: under pytest-xdist the first worker to need it computes it holding a
    file lock and pickles it into the run's shared temporary folder, and the other workers unpickle it (the
    demo report's pattern below; a solved plan pickles, as compare's worker processes return it)."""
    if fcntl is None or not os.environ.get("PYTEST_XDIST_WORKER"):
        return make()
    root = tmp_path_factory.getbasetemp().parent  # the run's folder, shared by its workers
    done = root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.is_file():
            return pickle.loads(done.read_bytes())
        value = make()
        part = root / f"{name}.pickle.part"
        part.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        part.replace(done)
        return value


@pytest.fixture(scope="session")
def demo_plan(tmp_path_factory):
    """The bundled demo solved once per test run, with its stand-alone MACC (shared by the report tests)."""
    import planner

    return once_per_run(tmp_path_factory, "demo_plan",
                        lambda: planner.plan(ROOT / "scenarios" / "demo.yaml").with_standalone_macc())


@pytest.fixture(scope="session")
def bundled_plan(tmp_path_factory):
    """name -> the bundled scenario `name` (one of DEMO_VARIANTS) solved once per test run, as `planner.plan`
    solves it; for the files that compare or draw the demo's variants (the demo itself: `demo_plan`)."""
    import planner

    plans = {}

    def get(name: str):
        assert name in DEMO_VARIANTS, name
        if name not in plans:
            plans[name] = once_per_run(tmp_path_factory, name,
                                       lambda: planner.plan(ROOT / "scenarios" / f"{name}.yaml"))
        return plans[name]

    return get


@pytest.fixture(scope="session")
def steel_plan(tmp_path_factory):
    """The bundled steel scenario (benchmark ETS, EU CBAM) solved once per test run at a 2% gap on one thread."""
    import planner
    from planner.schemas import load_scenario

    def make():
        sc = load_scenario(ROOT / "scenarios" / "steel.yaml")
        return planner.plan(sc.model_copy(update={"solver": sc.solver.model_copy(update={"mip_rel_gap": 0.02,
                                                                                          "threads": 1})}))

    return once_per_run(tmp_path_factory, "steel_plan", make)


def _write_demo_report(plan, out) -> list[str]:
    """Write the demo's report into `out`; what writing it warned or logged (matplotlib)."""
    from planner.report import write_report

    rec = LogRecords()
    logging.getLogger("matplotlib").addHandler(rec)
    try:
        with warnings.catch_warnings(record=True) as caught, pytest.MonkeyPatch.context() as mp:
            warnings.simplefilter("always")  # a missing glyph is a UserWarning: test_report checks there are none
            # drawn in this process (no worker pool), so that the warnings and log lines are caught here; the
            # pool's files are compared with these byte for byte (test_deliverables)
            mp.setenv("PLANNER_REPORT_WORKERS", "1")
            write_report(plan, out, ("en", "zh"), ("html", "pptx"))
    finally:
        logging.getLogger("matplotlib").removeHandler(rec)
    return [f"{w.category.__name__}: {w.message}" for w in caught] + rec.messages


@pytest.fixture(scope="session")
def demo_report(demo_plan, tmp_path_factory):
    """The demo's report folder, both languages, HTML and slide deck, written once per test run: under
    pytest-xdist the first worker to need it writes it into the run's shared temporary folder, holding a file
    lock, with what writing it warned or logged beside it, and the other workers read both (the report is
    byte-reproducible, so it does not matter which worker's solve it came from; each worker gets a copy with
    its own result files)."""
    root = tmp_path_factory.getbasetemp()
    if fcntl is None or not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp("demo_report")
        DEMO_REPORT_MESSAGES.extend(_write_demo_report(demo_plan, out))
        return out
    root = root.parent  # the run's folder, shared by its workers (pytest's recipe for session data under xdist)
    shared, done = root / "demo_report", root / "demo_report_messages.json"
    with open(root / "demo_report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.is_file():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            done.write_text(json.dumps(_write_demo_report(demo_plan, shared)), encoding="utf-8")
    DEMO_REPORT_MESSAGES.extend(json.loads(done.read_text(encoding="utf-8")))
    # this worker's copy, with the result files of `demo_plan` (under xdist the first worker's solve, pickled by
    # `once_per_run`; summary.json holds the solve time; every other file is the same bytes from any solve)
    out = tmp_path_factory.mktemp("demo_report")
    shutil.copytree(shared, out, dirs_exist_ok=True)
    demo_plan.write(out)
    return out


DEMO_REPORT_MESSAGES: list[str] = []  # warnings and matplotlib log lines while the demo report was written


@pytest.fixture(scope="session")
def demo_report_messages(demo_report) -> list[str]:
    """What writing the demo report warned or logged (matplotlib): the report tests require none of it."""
    return DEMO_REPORT_MESSAGES


CPU_LOG = os.environ.get("PLANNER_TEST_CPU_LOG")  # a path: each test's CPU seconds are appended there (tab-separated)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With PLANNER_TEST_CPU_LOG set, append `nodeid, CPU s, wall s, xdist worker` per test: CPU of this process and
    of the child processes it waited for (solver pools, CLI subprocesses, chromium), setup and teardown included
    (a session fixture counts where it is first built). Sum by file to see where the suite's CPU goes."""
    if not CPU_LOG:
        yield
        return
    import resource
    import time

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c0, w0 = cpu(), time.perf_counter()
    yield
    with open(CPU_LOG, "a", encoding="utf-8") as f:
        f.write(f"{item.nodeid}\t{cpu() - c0:.3f}\t{time.perf_counter() - w0:.3f}\t"
                f"{os.environ.get('PYTEST_XDIST_WORKER', '-')}\n")
