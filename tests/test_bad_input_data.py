"""Corpus of broken data libraries (issue #13, class 14): PLANNER_DATA pointing at a copy of data/ with one
file broken gives one line naming the data file and the row (and column), exit code 2, never a traceback and
never blaming the scenario."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ROOT  # noqa: E402

from planner.errors import InputError  # noqa: E402
from planner.schemas import load_scenario  # noqa: E402
from planner.schemas.library import _load, load_library  # noqa: E402
from planner.schemas.yamlio import MAX_FILE_BYTES  # noqa: E402

DATA = ROOT / "data"
FILES = sorted(p.name for p in DATA.glob("*.csv"))
ROW_COL = r"row \d+( \([^)]*\))?\.\w+"


def table(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DATA / name).read_text(encoding="utf-8"), newline="")))


def render(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


NUMERIC_COLS = {  # file -> numeric columns and a value out of range for each
    "gwp.csv": {"AR4": "-1", "AR5": "1e7", "AR6": "-0.5"},
    "carriers.csv": {"mwh_per_unit": "0", "co2_t_per_mwh": "5", "ch4_kg_per_mwh": "-1", "n2o_kg_per_mwh": "1e9",
                     "scope": "3", "default_efficiency": "0", "biogenic_share": "1.5"},
    "grid_factors.csv": {"year": "1850", "tco2_per_mwh": "-0.5"},
    "prices.csv": {"value": "-10", "year": "99999"},
}
JUNK = ["nan", "NaN", "inf", "-inf", "", "abc", "1,5", "true", "0x10", "1e999", "9" * 5000]


TEXT_PARAMS = ("name", "name_zh", "family", "cost_index", "target_carrier", "fuel", "exclusive_group", "target")


def cases():
    """(class, name, file, content bytes, path regex, message regex)."""
    for name in FILES:
        good = (DATA / name).read_bytes()
        rows = table(name)
        head = rows[0]
        yield "whole file", f"{name}-empty", name, b"", "", "empty file"
        yield "whole file", f"{name}-blank-lines", name, b"\n\n\n", "", "empty file"
        yield "whole file", f"{name}-header-only", name, render(rows[:1]), "", "no data rows"
        yield "whole file", f"{name}-binary", name, bytes(range(256)) * 4, r"line \d+, column \d+", "not UTF-8"
        yield "whole file", f"{name}-nul", name, good[:50] + b"\x00" + good[50:], r"line \d+, column \d+", "NUL"
        yield "whole file", f"{name}-latin1", name, good + "x,Caf\xe9\n".encode("latin-1"), r"line \d+, column \d+", \
            "not UTF-8"
        yield "whole file", f"{name}-utf16-no-bom", name, good.decode("utf-8").encode("utf-16-le"), \
            r"line \d+, column \d+", "UTF-16|NUL"
        yield "whole file", f"{name}-too-big", name, good + b"#" * MAX_FILE_BYTES, "", "larger than"
        yield "whole file", f"{name}-folder", name, None, "", "is a folder"
        yield "whole file", f"{name}-missing", name, "missing", "", "file not found"
        for col in head:
            yield "header", f"{name}-no-{col}", name, render([[c for c in r if True] for r in
                                                            [[c for i, c in enumerate(r) if head[i] != col]
                                                             for r in rows]]), "row 1", "missing column"
        yield "header", f"{name}-extra-col", name, render([r + ["x"] for r in rows]), "row 1", "unexpected"
        yield "header", f"{name}-renamed", name, render([[head[0].upper(), *head[1:]], *rows[1:]]), "row 1", "missing"
        for n in range(1, min(len(rows), 6)):
            yield "rows", f"{name}-row{n + 1}-short", name, render(rows[:n] + [rows[n][:-2]] + rows[n + 1:]), \
                rf"row {n + 1}", "expected \\d+ fields"
            yield "rows", f"{name}-row{n + 1}-long", name, render(rows[:n] + [rows[n] + ["x", "y"]] + rows[n + 1:]), \
                rf"row {n + 1}", "expected \\d+ fields"
        yield "rows", f"{name}-duplicate-row", name, render(rows + [rows[1]]), ROW_COL, "duplicate"
        yield "rows", f"{name}-bad-key", name, render(rows + [["bad key!"] + rows[1][1:]]), ROW_COL, "expected a name"
        yield "rows", f"{name}-unclosed-quote", name, good + b'x,"unclosed\n', r"row \d+", "fields"
        # truncated mid-row (not at a line end): the last row has too few fields
        lines = good.split(b"\n")
        for k in (2, 5, len(lines) // 2):
            if k < len(lines) - 1 and b'"' not in lines[k]:
                cut = b"\n".join(lines[:k]) + b"\n" + lines[k].split(b",")[0] + b","
                yield "rows", f"{name}-truncated-line{k + 1}", name, cut, rf"row {k + 1}", "fields"
        for col, bad in NUMERIC_COLS.get(name, {}).items():
            j = head.index(col)
            for n in (1, len(rows) - 1):
                for label, value in [("range", bad)] + [(f"junk-{v[:6]}", v) for v in JUNK]:
                    mutated = [list(r) for r in rows]
                    mutated[n][j] = value
                    yield "numbers", f"{name}-row{n + 1}-{col}-{label}", name, render(mutated), \
                        rf"row {n + 1} \([^)]*\)\.{col}", "expected a (finite|whole) number"
    # required rows
    for name, col, keys in (("gwp.csv", "gas", ("CO2", "CH4", "N2O")), ("grid_factors.csv", "region",
                                                                        ("national_residual",)),
                            ("prices.csv", "item", ("electricity", "ets", "natural_gas"))):
        rows = table(name)
        j = rows[0].index(col)
        for k in keys:
            yield "required rows", f"{name}-without-{k}", name, render([r for r in rows if r[j] != k]), col, \
                "missing required"
    rows = table("gwp.csv")
    yield "required rows", "gwp-co2-not-1", "gwp.csv", render([rows[0], ["CO2", "2", "1", "1", "x", "x"], *rows[2:]]), \
        r"row 2 \(CO2\)\.AR5", "CO2 is 1"
    rows = table("carriers.csv")
    yield "required rows", "carrier-electricity", "carriers.csv", render(rows + [["electricity", *rows[1][1:]]]), \
        ROW_COL, "grid electricity"
    # measure library
    rows = table("measure_library.csv")
    head = rows[0]
    ti, ki, pi, vi = (head.index(c) for c in ("template", "kind", "param", "value"))
    for n in (1, 20, 60, len(rows) - 1):
        r = rows[n]
        for label, value, words in (("nan", "nan", "valid|finite"), ("inf", ".inf", "finite"), ("text", "abc", ""),
                                    ("yaml-bomb", "[" * 200 + "]" * 200, "nesting"), ("dup-key", "{a: 1, a: 2}",
                                                                                       "duplicate"),
                                    ("python-tag", "!!python/name:os.system", "")):
            if label in ("text", "nan") and r[pi] in TEXT_PARAMS:
                continue
            mutated = [list(x) for x in rows]
            mutated[n][vi] = value
            yield "measure library", f"row{n + 1}-{r[pi]}-{label}", "measure_library.csv", render(mutated), \
                rf"row {n + 1} \({r[ti]}\)\.value", words
        mutated = [list(x) for x in rows]
        mutated[n][ki] = "teleport"
        yield "measure library", f"row{n + 1}-unknown-kind", "measure_library.csv", render(mutated), \
            rf"row {n + 1} \({r[ti]}\)\.kind", "unknown measure kind|has kind"
        mutated = [list(x) for x in rows]
        mutated[n][pi] = "colour"
        yield "measure library", f"row{n + 1}-unknown-param", "measure_library.csv", render(mutated), \
            r"row \d+ \(\w+\)\.value", "colour"
    yield "measure library", "kind-changes", "measure_library.csv", render(rows + [[rows[1][ti], "ccus", "lifetime",
                                                                                    "10", "", "", ""]]), \
        ROW_COL, "has kind"
    yield "measure library", "duplicate-param", "measure_library.csv", render(rows + [rows[1]]), ROW_COL, "duplicate"
    yield "measure library", "negative-lifetime", "measure_library.csv", render(
        rows + [["tx", "efficiency", "lifetime", "-5", "", "", ""]]), r"row \d+ \(tx\)\.value", "lifetime"


CASES = list(cases())


def broken_copy(tmp_path: Path, file: str, content) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    p = d / file
    if content is None:
        p.unlink()
        p.mkdir()
    elif content == "missing":
        p.unlink()
    else:
        p.write_bytes(content)
    return d


@pytest.mark.parametrize("case", CASES, ids=[c[1] for c in CASES])
def test_broken_data_library_names_file_and_row(case, tmp_path, monkeypatch):
    _cls, _name, file, content, path, words = case
    d = broken_copy(tmp_path, file, content)
    monkeypatch.setenv("PLANNER_DATA", str(d))
    with pytest.raises(InputError) as exc:
        load_library()
    e = exc.value
    msg = str(e)
    assert "\n" not in msg and msg.startswith(str(d / file) + ": "), msg
    assert re.fullmatch(path, e.path), (path, msg)
    assert re.search(words, e.message), (words, msg)
    assert len(msg) <= 1000


def test_unbroken_copy_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA", str(broken_copy(tmp_path, "gwp.csv", (DATA / "gwp.csv").read_bytes())))
    assert load_library().gwp_of("CH4", "AR5") == 28


def test_broken_library_blames_the_data_file_not_the_scenario(tmp_path, monkeypatch):
    """Through the CLI: exit 2, one line naming the data file and row; the scenario is not blamed."""
    from click.testing import CliRunner

    from planner.cli import main

    rows = table("gwp.csv")
    rows[2][2] = "nan"
    d = broken_copy(tmp_path, "gwp.csv", render(rows))
    monkeypatch.setenv("PLANNER_DATA", str(d))
    monkeypatch.chdir(tmp_path)
    for cmd in ("validate", "run", "baseline"):
        r = CliRunner().invoke(main, [cmd, str(ROOT / "scenarios" / "demo.yaml")])
        assert r.exit_code == 2, r.output
        assert r.stderr == f"error: {d / 'gwp.csv'}: row 3 (CH4).AR5: expected a finite number >= 0 and <= 1e+06, " \
                           "got 'nan'\n"
    assert not (tmp_path / "reports").exists()
    with pytest.raises(InputError, match="gwp.csv"):
        load_scenario(ROOT / "scenarios" / "demo.yaml")


def test_library_cache_is_per_folder():
    _load.cache_clear()
    assert load_library() is load_library()


def test_data_corpus_counts():
    counts = Counter(c[0] for c in CASES)
    assert sum(counts.values()) >= 200, counts


if __name__ == "__main__":
    for cls, n in sorted(Counter(c[0] for c in CASES).items()):
        print(f"{cls:20s} {n:5d}")
    print(f"{'total':20s} {len(CASES):5d}")


@pytest.mark.parametrize("file", ["carriers.csv", "grid_factors.csv", "gwp.csv", "prices.csv", "measure_library.csv"])
def test_every_library_source_has_its_chinese_text(file, tmp_path, monkeypatch):
    """Issue 24: every row with a source has a source_zh (the Chinese report's text); a copy with one left
    empty, or one on a row without a source, names the file, the row and the column."""
    rows = table(file)
    head = rows[0]
    s, z = head.index("source"), head.index("source_zh")
    assert all(bool(r[s].strip()) == bool(r[z].strip()) for r in rows[1:] if r)
    n = next(i for i, r in enumerate(rows) if i and r and r[s].strip())
    rows[n][z] = ""
    monkeypatch.setenv("PLANNER_DATA", str(broken_copy(tmp_path, file, render(rows))))
    with pytest.raises(InputError, match=rf"row {n + 1}\.source_zh: expected the Chinese text"):
        load_library()


def test_a_library_without_chinese_sources_is_refused(tmp_path, monkeypatch):
    rows = [r[:-1] for r in table("prices.csv") if r]
    monkeypatch.setenv("PLANNER_DATA", str(broken_copy(tmp_path, "prices.csv", render(rows))))
    with pytest.raises(InputError, match=r"missing column\(s\) source_zh"):
        load_library()
