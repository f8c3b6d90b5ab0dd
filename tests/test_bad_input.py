"""Corpus of malformed scenario files (issue #13): every one gives exactly one line naming the file and the
key path (or line and column), exit code 2, no traceback and nothing written.

The corpus is generated from mutations of scenarios/demo.yaml and of the micro scenario of conftest, by
class. Most cases run through the Python API (fast); a sample runs through the CLI in-process (CliRunner)
and a handful as real subprocesses. `python tests/test_bad_input.py` prints the number of cases by class.
"""

from __future__ import annotations

import copy
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from conftest import BASE, ROOT  # noqa: E402

from planner.errors import InputError  # noqa: E402
from planner.schemas import load_scenario  # noqa: E402
from planner.schemas.yamlio import MAX_EXTENDS_DEPTH, MAX_FILE_BYTES, MAX_NESTING, MAX_NODES  # noqa: E402

DEMO_TEXT = (ROOT / "scenarios" / "demo.yaml").read_text(encoding="utf-8")
DEMO = yaml.load(DEMO_TEXT, Loader=__import__("planner.schemas.yamlio", fromlist=["Loader"]).Loader)
LINE_COL = r"line \d+, column \d+"
SECRET = "TOP-SECRET-CONTENT-42"


@dataclass
class Case:
    cls: str  # issue class, e.g. "01 encoding"
    name: str
    files: dict[str, bytes]  # relative path -> content; the scenario is "s.yaml" unless `top` says otherwise
    path: str  # regex the error's key path (or line and column) must match in full
    words: str = ""  # regex the message must contain
    top: str = "s.yaml"
    root: str | None = None  # "tmp" -> the case folder's parent, "/" -> filesystem root
    secret: bool = False  # the message must not echo SECRET
    dirs: list[str] = field(default_factory=list)


def dump(d) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: the corpus builds faster
    return yaml.dump(d, Dumper=dumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def micro(**over) -> dict:
    d = copy.deepcopy(BASE)
    d.update(over)
    return d


def micro_text(**over) -> str:
    return dump(micro(**over)).decode("utf-8")


def paths(node, prefix=(), kp=""):
    """(path tuple, key path as the error names it, value) of every node below `node`."""
    if isinstance(node, dict):
        for k, v in node.items():
            sub = f"{kp}.{k}" if kp else str(k)
            yield prefix + (k,), sub, v
            yield from paths(v, prefix + (k,), sub)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,), f"{kp}[{i}]", v
            yield from paths(v, prefix + (i,), f"{kp}[{i}]")


def setat(d, p, value):
    d = copy.deepcopy(d)
    node = d
    for k in p[:-1]:
        node = node[k]
    node[p[-1]] = value
    return d


def demo_with(p, value) -> bytes:
    return dump(setat(DEMO, p, value))


# the micro scenario with one of most things: fast to parse, so every numeric leaf can be mutated many ways
RICH = micro(
    horizon={"start": 2025, "end": 2035}, revenue_mcny={2024: 100, 2035: 150},
    organisation={"approach": "equity_share", "reporting_entity": "p",
                  "entities": [{"id": "p"}, {"id": "j", "owners": [{"entity": "p", "share": 0.6}]}]},
    sites=[{"id": "s1", "entity": "p", "grid_region": "East", "energy": {"electricity": 1000, "natural_gas": 5e4},
            "heat_efficiency": {"natural_gas": 0.9}, "process_emissions": {"CO2": 100},
            "output": {"value": 10, "unit": "t"}, "growth": {2024: 1.0, 2035: 1.2}, "electricity_price": 600,
            "export_limit_share": 0.5},
           {"id": "s2", "entity": "j", "grid_region": "North", "energy": {"coal": 100},
            "output": {"value": 5, "unit": "t"}}],
    scope3={"categories": {1: {"tco2e": 500, "growth": {2024: 1, 2030: 1.1}}}},
    prices={"electricity": {2024: 600, 2030: 650}, "ets": 100},
    grid={"factor_index": {2024: 1.0, 2035: 0.8}, "factors": {"East": 0.5}, "residual_factor": 0.6},
    ets={"free_allocation_share": {2025: 0.9, 2035: 0.5}},
    internal_carbon_price={"price_cny_per_t": {2025: 50, 2035: 200}},
    trajectories={"capex_index": {"pv": {2024: 1.0, 2035: 0.7}}},
    targets=[{"id": "t30", "year": 2030, "reduction": 0.3, "coverage": {"scope1": True, "scope2": "market",
                                                                     "scope3": [1]}},
             {"id": "i35", "type": "intensity", "year": 2035, "reduction": 0.5},
             {"id": "re", "type": "renewable_share", "year": 2035, "share": 0.5}],
    measures=[{"id": "vsd", "template": "vsd_motors", "site": "s1", "earliest_year": 2026, "saving_share": 0.05},
              {"id": "pv", "template": "rooftop_pv", "site": "s1", "max_size": 2, "cost_index": "pv"},
              {"id": "hp", "template": "heat_pump", "site": "s1", "target_carrier": "natural_gas", "cop": 3},
              {"id": "cc", "template": "carbon_credits", "max_tco2e": {2025: 10, 2035: 100}},
              {"id": "ppa", "template": "green_ppa", "max_share": 0.5, "max_mwh": 800},
              {"id": "sc", "template": "supplier_engagement", "category": 1, "cut_share": 0.2}],
    constraints={"max_adoptions_per_year": 3, "capex_budget_cny": 1e7},
)


# ------------------------------------------------------------------------------------------------------------
def encoding_cases():
    cls = "01 encoding"
    text = micro_text(company="Café Zhōngguó 中国")
    latin = micro_text(company="Café Müller").encode("latin-1")
    gbk = micro_text(company="中国制造有限公司").encode("gbk")
    yield Case(cls, "latin1", {"s.yaml": latin}, LINE_COL, "not UTF-8.*Latin-1")
    yield Case(cls, "latin1-issue", {"s.yaml": b"name: caf\xe9\n"}, LINE_COL, "not UTF-8")
    yield Case(cls, "gbk", {"s.yaml": gbk}, LINE_COL, "not UTF-8.*GBK")
    yield Case(cls, "gb18030", {"s.yaml": micro_text(company="华为技术").encode("gb18030")}, LINE_COL, "GBK")
    yield Case(cls, "big5", {"s.yaml": micro_text(company="台灣積體電路").encode("big5")}, LINE_COL, "not UTF-8")
    yield Case(cls, "shift-jis", {"s.yaml": micro_text(company="日本製鉄").encode("shift_jis")}, LINE_COL,
               "not UTF-8")
    yield Case(cls, "cp1252", {"s.yaml": micro_text(company="“quoted” – dash").encode("cp1252")}, LINE_COL,
               "not UTF-8")
    for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        yield Case(cls, f"{enc}-no-bom", {"s.yaml": text.encode(enc)}, LINE_COL, "UTF-16/UTF-32 without")
    for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        yield Case(cls, f"{enc}-bom-odd", {"s.yaml": bom + text.encode(enc)[:-1]}, "", "invalid UTF-16")
    yield Case(cls, "utf-8-bom-then-latin1", {"s.yaml": b"\xef\xbb\xbf" + latin}, "", "invalid UTF-8")
    rng = random.Random(13)
    for i in range(12):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        try:
            blob.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        yield Case(cls, f"random-binary-{i}", {"s.yaml": blob}, LINE_COL, "not UTF-8")
    for name, head in (("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("gzip", b"\x1f\x8b\x08\x00\x00\x00"),
                       ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff"), ("elf", b"\x7fELF\x02\x01\x01\x00\xfe"),
                       ("xlsx", b"PK\x03\x04\n\x00\x00\x00\x00\x00\x93\xba")):
        yield Case(cls, f"binary-{name}", {"s.yaml": head + bytes(range(256))}, LINE_COL, "not UTF-8")
    bad_seqs = {"truncated-2byte": b"\xc3", "truncated-3byte": b"\xe4\xb8", "overlong": b"\xc0\xaf",
                "surrogate": b"\xed\xa0\x80", "continuation": b"\x80", "ff": b"\xff",
                "beyond-u10ffff": b"\xf4\x90\x80\x80", "f8": b"\xf8\x88\x80\x80\x80"}
    lines = text.encode("utf-8").split(b"\n")
    for name, seq in bad_seqs.items():
        for at in (0, 3, len(lines) // 2, len(lines) - 2):
            ls = list(lines)
            ls[at] = ls[at] + b" # " + seq if at else seq + ls[at]
            yield Case(cls, f"{name}-line{at}", {"s.yaml": b"\n".join(ls)}, LINE_COL, "not UTF-8")


def accepted_encodings():
    """Files that must load: UTF-8 with a BOM, UTF-16 and UTF-32 with a BOM."""
    text = micro_text(company="中国制造")
    yield "utf-8-bom", b"\xef\xbb\xbf" + text.encode("utf-8")
    yield "utf-16", text.encode("utf-16")  # with a BOM
    yield "utf-32", text.encode("utf-32")
    yield "utf-16-be-bom", b"\xfe\xff" + text.encode("utf-16-be")
    yield "crlf", text.replace("\n", "\r\n").encode("utf-8")


def duplicate_key_cases():
    cls = "02 duplicate keys"
    key_line = re.compile(r"^( *)([A-Za-z0-9_]+): ?(.*)$")
    for src, text in (("rich", dump(RICH).decode("utf-8")),
                      ("demo", dump(DEMO).decode("utf-8"))):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            m = key_line.match(line)
            if not m or not m.group(3) or (src == "demo" and i % 6):
                continue  # keys with a scalar value; a sixth of the demo's
            dup = m.group(1) + m.group(2) + ": " + m.group(3)
            ls = lines[: i + 1] + [dup] + lines[i + 1:]
            yield Case(cls, f"{src}-line{i + 1}-{m.group(2)}", {"s.yaml": "\n".join(ls).encode()}, LINE_COL,
                       "duplicate key")
    yield Case(cls, "flow", {"s.yaml": micro_text().replace("horizon:", "horizon: {start: 1, start: 2}\nhorizon_:")
               .encode()}, LINE_COL, "duplicate key")
    yield Case(cls, "extends-twice", {"s.yaml": b"extends: a.yaml\nextends: b.yaml\n" + dump({"name": "x"})},
               LINE_COL, "duplicate key 'extends'")
    yield Case(cls, "measures-block-twice", {"s.yaml": dump(micro(measures=[])) + b"measures: []\n"}, LINE_COL,
               "duplicate key 'measures'")
    yield Case(cls, "year-key-twice", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "revenue_mcny: {2025: 1, 2030: 2, 2025: 3}\ndiscount_rate: 0.0").encode()}, LINE_COL,
               "duplicate key 2025")
    yield Case(cls, "true-and-1", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "prices: {1: 2, true: 3}\ndiscount_rate: 0.0").encode()}, LINE_COL, "duplicate key")
    yield Case(cls, "in-parent", {"s.yaml": dump({"extends": "p.yaml", "name": "v"}),
                                  "p.yaml": dump(micro()) + b"name: again\n"}, LINE_COL, "duplicate key 'name'")


def is_traj(p, v) -> bool:
    return isinstance(v, dict) and bool(v) and all(isinstance(k, int) for k in v) and p[-1] != "categories"


BAD_TRAJ = [("empty", {}, "at least one point"), ("null-point", {2030: None}, "expected a number"),
            ("text-point", {2030: "high"}, "expected a number"), ("bad-year", {"2030a": 1.0}, "years"),
            ("far-year", {3030: 1.0}, "years 1990-2100"), ("list", [1, 2], "mapping"), ("bool", True, "number"),
            ("nan-point", {2030: math.nan}, "finite"), ("bool-year", {True: 1.0}, "years")]


def trajectory_cases():
    cls = "03 trajectories"
    for src, tree in (("rich", RICH), ("demo", DEMO)):
        for j, (p, kp, _v) in enumerate(x for x in paths(tree) if is_traj(x[0], x[2])):
            # every mutation on the small scenario; one in five on the demo (slower to parse)
            for i, (label, value, words) in enumerate(BAD_TRAJ):
                if src == "demo" and (i + j) % 5:
                    continue
                yield Case(cls, f"{src}-{label}-{kp}", {"s.yaml": dump(setat(tree, p, value))},
                           re.escape(kp) + r"(\.2030)?", words)
NOT_NUMBERS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1e300": 1e300, "-1e300": -1e300,
               "1e16": 1e16, "10^20": 10**20, "true": True}


def number_cases():
    cls = "04 numbers"
    for src, tree in (("rich", RICH), ("demo", DEMO)):
        numeric = [(p, kp) for p, kp, v in paths(tree) if isinstance(v, int | float) and not isinstance(v, bool)]
        for j, (p, kp) in enumerate(numeric):
            for i, (label, value) in enumerate(NOT_NUMBERS.items()):
                if src == "demo" and (i + j) % 8:
                    continue  # an eighth of the mutations on the demo (slower to parse)
                # NaN/inf/huge are caught by the reader at the key path; `true` by the strict schema at its field
                yield Case(cls, f"{src}-{kp}={label}", {"s.yaml": dump(setat(tree, p, value))}, re.escape(kp),
                           "finite number|within|valid number|valid integer|number within|a number")
    for label, text in (("1e400", "1e400"), ("-.inf", "-.inf"), (".NaN", ".NaN"), ("+.inf", "+.inf")):
        yield Case(cls, f"literal-{label}", {"s.yaml": micro_text().replace("discount_rate: 0.0",
                   f"discount_rate: {text}").encode()}, "discount_rate", "finite")
    specific = [
        ("negative-grid-factor", micro(grid={"factors": {"East": -0.5}}), "grid.factors.East", "0..3"),
        ("huge-grid-factor", micro(grid={"factors": {"East": 50}}), "grid.factors.East", "0..3"),
        ("negative-residual", micro(grid={"residual_factor": {2025: -1}}), r"grid\.residual_factor\.2025", "0..3"),
        ("free-allocation-1.5", micro(ets={"free_allocation_share": 1.5}), "ets.free_allocation_share", "0..1"),
        ("free-allocation-traj", micro(ets={"free_allocation_share": {2025: 0.5, 2030: 1.2}}),
         r"ets\.free_allocation_share\.2030", "0..1"),
        ("internal-price-nan", micro(internal_carbon_price={"price_cny_per_t": math.nan}),
         "internal_carbon_price.price_cny_per_t", "finite"),
        ("internal-price-negative", micro(internal_carbon_price={"price_cny_per_t": -5}),
         "internal_carbon_price.price_cny_per_t", r"within 0\.\."),
        ("credit-cap-inf", micro(measures=[{"id": "c", "template": "carbon_credits", "max_tco2e": math.inf}]),
         r"measures\[0\]\.max_tco2e", "finite"),
        ("credit-cap-negative", micro(measures=[{"id": "c", "template": "carbon_credits", "max_tco2e": -1}]),
         r"measures\[0\]\.max_tco2e", r"within 0\.\."),
        ("discount-1", micro(discount_rate=1.0), "discount_rate", "less than 1"),
        ("negative-energy", micro(sites=[{**BASE["sites"][0], "energy": {"electricity": -1}}]),
         r"sites\[0\]\.energy\.electricity", "greater than or equal"),
        ("huge-energy", micro(sites=[{**BASE["sites"][0], "energy": {"electricity": 1e13}}]),
         r"sites\[0\]\.energy\.electricity", "less than or equal"),
        ("negative-price", micro(prices={"electricity": -100}), "prices.electricity", r"within 0\.\."),
        ("threads-1e9", micro(solver={"threads": 10**9}), "solver.threads", "less than"),
        ("seed-huge", micro(solver={"seed": 10**12}), "solver.seed", "less than"),
        ("time-limit-0", micro(solver={"time_limit": 0}), "solver.time_limit", "greater than"),
        ("fom-share-5", micro(measures=[{"id": "a", "template": "vsd_motors", "site": "s1", "fom_share": 5}]),
         r"measures\[0\]\.fom_share", "less than"),
        ("year-3000", micro(targets=[{"id": "t", "year": 3000, "reduction": 0.5}]), r"targets\[0\]\.year",
         "less than"),
        ("base-year-float", micro(base_year=2024.5), "base_year", "valid integer"),
        ("scope3-cat-99", micro(targets=[{"id": "t", "year": 2025, "reduction": 0.5,
                                          "coverage": {"scope3": [99]}}]), r"targets\[0\]\.coverage\.scope3.*",
         "less than"),
        ("max-adoptions-huge", micro(constraints={"max_adoptions_per_year": 10**9}),
         "constraints.max_adoptions_per_year", "less than"),
        ("revenue-negative", micro(revenue_mcny=-5), "revenue_mcny", r"within 0\.\."),
        ("capex-index-negative", micro(trajectories={"capex_index": {"pv": {2024: 1, 2030: -1}}}),
         r"trajectories\.capex_index\.pv\.2030", r"within 0\.\."),
    ]
    for name, d, path, words in specific:
        yield Case(cls, name, {"s.yaml": dump(d)}, path, words)


def cross_field_cases():
    cls = "05 cross-field"
    s1 = BASE["sites"][0]
    eff = {"id": "a", "template": "vsd_motors", "site": "s1"}
    ents = [{"id": "p"}, {"id": "q"}]
    specific = [
        ("earliest-after-latest", micro(measures=[{**eff, "earliest_year": 2030, "latest_year": 2026}]),
         r"measures\[0\]", "earliest_year 2030 is after latest_year 2026"),
        ("unknown-cost-index", micro(measures=[{**eff, "cost_index": "nope"}]), r"measures\[0\]\.cost_index",
         "unknown cost index"),
        ("owner-shares-1.2", micro(organisation={"reporting_entity": "p", "entities": [
            *ents, {"id": "j", "owners": [{"entity": "p", "share": 0.6}, {"entity": "q", "share": 0.6}]}]}),
         r"organisation\.entities\[2\]\.owners", "sum to 1.2"),
        ("same-owner-twice", micro(organisation={"reporting_entity": "p", "entities": [
            *ents, {"id": "j", "owners": [{"entity": "p", "share": 0.3}, {"entity": "p", "share": 0.3}]}]}),
         r"organisation\.entities\[2\]\.owners\[1\]\.entity", "listed twice"),
        ("electricity-true", micro(sites=[{**s1, "energy": {"electricity": True}}]),
         r"sites\[0\]\.energy\.electricity", "valid number"),
        ("ets-covered-1", micro(sites=[{**s1, "ets_covered": 1}]), r"sites\[0\]\.ets_covered", "valid boolean"),
        ("ets-covered-yes-string", micro(sites=[{**s1, "ets_covered": "yes"}]), r"sites\[0\]\.ets_covered",
         "valid boolean"),
        ("enabled-0", micro(measures=[{**eff, "enabled": 0}]), r"measures\[0\]\.enabled", "valid boolean"),
        ("year-as-string", micro(base_year="2024"), "base_year", "valid integer"),
        ("share-as-string", micro(discount_rate="0.05"), "discount_rate", "valid number"),
        ("name-as-number", micro(name=123), "name", "valid string"),
        ("id-as-number", micro(sites=[{**s1, "id": 7}]), r"sites\[0\]\.id", "valid string"),
        ("duplicate-site", micro(sites=[s1, s1]), r"sites\[1\]\.id", "duplicate"),
        ("duplicate-measure", micro(measures=[eff, eff]), r"measures\[1\]\.id", "duplicate"),
        ("requires-unknown", micro(measures=[{**eff, "requires": ["ghost"]}]), r"measures\[0\]\.requires",
         "ghost"),
        ("target-before-horizon", micro(targets=[{"id": "t", "year": 2000, "reduction": 0.5}]),
         r"targets\[0\]\.year", "horizon"),
        ("horizon-before-base", micro(horizon={"start": 2020, "end": 2030}), "", "must be after base_year"),
        ("unknown-gas", micro(sites=[{**s1, "process_emissions": {"XYZ": 5}}]),
         r"sites\[0\]\.process_emissions\.XYZ", "unknown gas"),
        ("unknown-price", micro(prices={"unobtainium": 5}), "prices.unobtainium", "unknown price"),
        ("price-union-label", micro(prices={"electricity": "cheap"}), "prices.electricity", "number"),
        ("growth-union-label", micro(sites=[{**s1, "growth": "fast"}]), r"sites\[0\]\.growth", "number"),
        ("scope3-union", micro(targets=[{"id": "t", "year": 2025, "reduction": 0.5, "coverage": {"scope3": "most"}}]),
         r"targets\[0\]\.coverage\.scope3", ""),
        ("unknown-kind", micro(measures=[{"id": "x", "kind": "teleport", "site": "s1"}]), r"measures\[0\].*",
         "teleport|tag"),
        ("measure-not-mapping", micro(measures=["vsd"]), r"measures\[0\]", "mapping"),
        ("measures-not-list", micro(measures={"a": 1}), "measures", "list"),
        ("self-owner", micro(organisation={"reporting_entity": "p", "entities": [
            {"id": "p", "owners": [{"entity": "p", "share": 0.5}]}]}), "organisation", "cycle"),
    ]
    for name, d, path, words in specific:
        yield Case(cls, name, {"s.yaml": dump(d)}, path, words)


def file_cases():
    cls = "06 files and folders"
    child = {"name": "v"}
    for label, ext in (("empty", ""), ("dot", "."), ("dotdot-inside", "sub/.."), ("space", "  "),
                       ("number", 5), ("list", ["a.yaml"]), ("mapping", {"a": 1}), ("bool", True),
                       ("folder", "sub"), ("missing", "nope.yaml"), ("folder-slash", "sub/"),
                       ("nul", "a\x00b.yaml")):
        yield Case(cls, f"extends-{label}", {"s.yaml": dump({**child, "extends": ext}), "sub/x.yaml": dump(micro())},
                   "extends|", "expected|folder|not found|invalid")
    yield Case(cls, "file-is-folder", {"d/x.yaml": dump(micro())}, "", "is a folder", top="d")
    yield Case(cls, "file-missing", {}, "", "file not found", top="nothing.yaml")
    yield Case(cls, "empty-file", {"s.yaml": b""}, "", "mapping")
    yield Case(cls, "only-comment", {"s.yaml": b"# nothing\n"}, "", "mapping")
    yield Case(cls, "top-level-list", {"s.yaml": b"- a\n- b\n"}, "", "mapping")
    yield Case(cls, "top-level-scalar", {"s.yaml": b"hello\n"}, "", "mapping")
    yield Case(cls, "two-documents", {"s.yaml": dump(micro()) + b"---\n" + dump(micro())}, LINE_COL,
               "single document")
    yield Case(cls, "parent-not-mapping", {"s.yaml": dump({**child, "extends": "p.yaml"}), "p.yaml": b"[1, 2]\n"},
               "", "mapping")
    yield Case(cls, "parent-latin1", {"s.yaml": dump({**child, "extends": "p.yaml"}),
                                      "p.yaml": micro_text(company="Caf\xe9").encode("latin-1")}, LINE_COL, "UTF-8")
    yield Case(cls, "cycle", {"s.yaml": dump({**child, "extends": "p.yaml"}),
                              "p.yaml": dump({"extends": "s.yaml"})}, "extends", "circular")
    yield Case(cls, "self-extends", {"s.yaml": dump({**child, "extends": "s.yaml"})}, "extends", "circular")
    yield Case(cls, "symlink-loop", {"s.yaml": b"@symlink s.yaml"}, "", "resolve|not found|loop")
    yield Case(cls, "extends-symlink-loop", {"s.yaml": dump({**child, "extends": "l.yaml"}),
                                             "l.yaml": b"@symlink l.yaml"}, "extends|", "resolve|not found|loop")
    yield Case(cls, "extends-dangling-symlink", {"s.yaml": dump({**child, "extends": "l.yaml"}),
                                                 "l.yaml": b"@symlink nowhere.yaml"}, "", "not found")


def size_cases():
    cls = "07 size caps"
    yield Case(cls, "dev-zero", {}, "", "not a regular file", top="/dev/zero")
    yield Case(cls, "dev-null-extends", {"s.yaml": dump({"name": "v", "extends": "/dev/zero"})}, "",
               "not a regular file", root="/")
    yield Case(cls, "dev-zero-extends-default-root", {"s.yaml": dump({"name": "v", "extends": "/dev/zero"})},
               "extends", "outside")
    big = dump(micro()) + b"# " + b"x" * MAX_FILE_BYTES + b"\n"
    yield Case(cls, "over-cap", {"s.yaml": big}, "", "larger than")
    yield Case(cls, "over-cap-parent", {"s.yaml": dump({"name": "v", "extends": "p.yaml"}), "p.yaml": big}, "",
               "larger than")
    long_list = "sites:\n" + "".join(f"  - {{id: s{i}, entity: p, grid_region: East}}\n" for i in range(6000))
    yield Case(cls, "too-many-sites", {"s.yaml": micro_text().replace("sites:", "sites_old:").encode()
               + long_list.encode()}, "sites", "at most 5000")


def depth_cases():
    cls = "08 depth"
    for n in (MAX_EXTENDS_DEPTH + 1, 40, 1500):
        files = {f"c{i}.yaml": dump({"extends": f"c{i + 1}.yaml"}) for i in range(n)}
        files["c0.yaml"] = dump({"name": "deep", "extends": "c1.yaml"})
        files[f"c{n}.yaml"] = dump(micro())
        yield Case(cls, f"extends-chain-{n}", files, "extends", "longer than the limit", top="c0.yaml")
    for n in (60, 1500):
        ents = [{"id": "e0"}] + [{"id": f"e{i}", "owners": [{"entity": f"e{i - 1}", "share": 1.0}]}
                                 for i in range(1, n)]
        yield Case(cls, f"ownership-chain-{n}", {"s.yaml": dump(micro(organisation={
            "reporting_entity": "e0", "entities": ents}))}, "organisation", "longer than the limit")
        ents = [{"id": f"e{i}", "operational_control": f"e{i + 1}" if i < n - 1 else None} for i in range(n)]
        yield Case(cls, f"control-chain-{n}", {"s.yaml": dump(micro(organisation={
            "reporting_entity": "e0", "entities": ents}))}, "organisation", "longer than the limit")
    yield Case(cls, "self-alias-list", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "prices: &a [*a]\ndiscount_rate: 0.0").encode()}, LINE_COL, "self-reference")
    yield Case(cls, "self-alias-map", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "grid: &g {factors: *g}\ndiscount_rate: 0.0").replace("grid:\n  factors:\n    East: 0.5\n"
                                                                     "  residual_factor: 0.6\n", "").encode()},
               LINE_COL, "self-reference|duplicate")
    for n in (MAX_NESTING + 1, 500, 5000):
        yield Case(cls, f"nested-lists-{n}", {"s.yaml": micro_text().replace("discount_rate: 0.0",
                   "description: " + "[" * n + "]" * n + "\ndiscount_rate: 0.0").encode()}, LINE_COL, "nesting")
        nested = "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "1\n"
        yield Case(cls, f"nested-maps-{n}", {"s.yaml": micro_text().encode() + b"x:\n" + nested.replace(
            "\n", "\n  ", n).encode()}, LINE_COL + "|x.*|", "nesting|unknown key|larger than")
    chain = "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 120))
    yield Case(cls, "alias-depth", {"s.yaml": micro_text().encode() + b"z: &a0 [1]\n" + chain.encode()}, LINE_COL,
               "nesting")


def bomb(levels=9, width=9, anchor="b") -> str:
    out = f"{anchor}0: &{anchor}0 [lol]\n"
    for i in range(1, levels):
        out += f"{anchor}{i}: &{anchor}{i} [" + ", ".join([f"*{anchor}{i - 1}"] * width) + "]\n"
    return out


def bomb_cases():
    cls = "09 alias bombs"
    yield Case(cls, "billion-laughs", {"s.yaml": micro_text().encode() + bomb().encode()}, LINE_COL, "expands to more")
    small = "x0: &x0 {a: 1, b: 2}\n" + "".join(
        f"x{i}: &x{i} {{a: *x{i - 1}, b: *x{i - 1}, c: *x{i - 1}}}\n" for i in range(1, 14))
    yield Case(cls, "map-bomb", {"s.yaml": micro_text().encode() + small.encode()}, LINE_COL, "expands to more")
    # the same bomb under the same key in a parent and a child: each file is refused before any merge
    under = "measures_x:\n" + "".join("  " + line + "\n" for line in small.splitlines())
    yield Case(cls, "parent-and-child", {"s.yaml": dump({"extends": "p.yaml", "name": "v"}) + under.encode(),
                                         "p.yaml": dump(micro()) + under.encode()}, LINE_COL, "expands to more")
    yield Case(cls, "bomb-in-description", {"s.yaml": micro_text().encode() + ("description:\n" + "".join(
        "  " + line + "\n" for line in bomb(8, 10).splitlines())).encode()}, LINE_COL, "expands to more")
    # below the per-file limit, yet a merge must not expand anything exponentially
    mid = "x0: &x0 {a: 1, b: 2}\n" + "".join(f"x{i}: &x{i} {{a: *x{i - 1}, b: *x{i - 1}}}\n" for i in range(1, 12))
    under = "extra:\n" + "".join("  " + line + "\n" for line in mid.splitlines())
    yield Case(cls, "merge-below-limit", {"s.yaml": dump({"extends": "p.yaml", "name": "v"}) + under.encode(),
                                          "p.yaml": dump(micro()) + under.encode()}, "extra", "unknown key")
    assert MAX_NODES < 3 ** 14


def outside_cases():
    cls = "10 paths outside"
    secret = dump({"company": SECRET, "discount_rate": SECRET})
    for label, ext in (("dotdot", "../outside/secret.yaml"), ("dotdot-deep", "../../../../../../../../etc/passwd"),
                       ("absolute", "/etc/passwd"), ("absolute-hostname", "/etc/hostname"),
                       ("dotdot-missing", "../nowhere.yaml"), ("sub-then-up", "sub/../../outside/secret.yaml"),
                       ("proc", "/proc/self/environ")):
        yield Case(cls, f"extends-{label}", {"case/s.yaml": dump({"name": "v", "extends": ext}),
                                             "outside/secret.yaml": secret, "case/sub/k.yaml": b"a: 1\n"},
                   "extends", "outside the allowed folder", top="case/s.yaml", secret=True)
    yield Case(cls, "symlink-out", {"case/s.yaml": dump({"name": "v", "extends": "link.yaml"}),
                                    "outside/secret.yaml": secret,
                                    "case/link.yaml": b"@symlink ../outside/secret.yaml"},
               "extends", "outside", top="case/s.yaml", secret=True)
    # with a root that allows it, the parent is read (its errors then name it and may quote it)
    yield Case(cls, "root-allows", {"case/s.yaml": dump({"name": "v", "extends": "../outside/p.yaml"}),
                                    "outside/p.yaml": dump(micro(discount_rate=7))}, "discount_rate",
               "less than 1", top="case/s.yaml", root="tmp")


def number_text_cases():
    cls = "11 long integers"
    big = "9" * 5000
    for key in ("discount_rate", "base_year", "horizon.start", "solver.time_limit", "solver.threads"):
        text = micro_text()
        last = key.split(".")[-1]
        text = re.sub(rf"(?m)^(\s*){last}: .*$", rf"\g<1>{last}: {big}", text, count=1)
        yield Case(cls, f"{key}-5000-digits", {"s.yaml": text.encode()}, LINE_COL, "integer too long")
    yield Case(cls, "year-key-5000-digits", {"s.yaml": micro_text(revenue_mcny={2025: 1}).replace(
        "2025: 1", f"{big}: 1").encode()}, LINE_COL, "integer too long|invalid YAML")
    yield Case(cls, "hex-huge", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "discount_rate: 0x" + "f" * 4000).encode()}, "discount_rate", "within")
    yield Case(cls, "4000-digits", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "discount_rate: " + "9" * 4000).encode()}, "discount_rate", "within")
    yield Case(cls, "20-digits", {"s.yaml": micro_text().replace("discount_rate: 0.0",
               "discount_rate: " + "9" * 20).encode()}, "discount_rate", "within")


def name_cases():
    cls = "12 names and ids"
    for label, name in (("300-chars", "n" * 300), ("65-chars", "n" * 65), ("dotdot", ".."), ("dot", "."),
                        ("slash", "a/b"), ("backslash", "a\\b"), ("space", "a b"), ("empty", ""),
                        ("unicode", "名字"), ("dash-first", "-x"), ("nul", "a\x00b"), ("newline", "a\nb")):
        yield Case(cls, f"name-{label}", {"s.yaml": dump(micro(name=name))}, "name", "")
    for label, sid in (("300-chars", "s" * 300), ("slash", "s/1"), ("dotdot", "..")):
        yield Case(cls, f"site-id-{label}", {"s.yaml": dump(micro(sites=[{**BASE["sites"][0], "id": sid}]))},
                   r"sites\[0\]\.id", "")
    yield Case(cls, "company-empty", {"s.yaml": dump(micro(company=""))}, "company", "at least 1")
    yield Case(cls, "company-huge", {"s.yaml": dump(micro(company="c" * 1000))}, "company", "at most")


def message_cases():
    cls = "13 message form"
    text = micro_text()
    chars = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x80", "\x9f", "\ufffe", "\uffff"]
    for ch in chars:
        for where, t in (("value", text.replace("Micro Co", f"Micro{ch}Co")),
                         ("key", text.replace("company:", f"comp{ch}any:")),
                         ("comment", text + f"# note {ch}\n")):
            yield Case(cls, f"U+{ord(ch):04X}-in-{where}", {"s.yaml": t.encode("utf-8")}, LINE_COL,
                       "not allowed|NUL character")
    yield Case(cls, "tab-indent", {"s.yaml": text.replace("\n  ", "\n\t").encode()}, LINE_COL, "invalid YAML")
    yield Case(cls, "unclosed-flow", {"s.yaml": text.encode() + b"x: [1, 2\n"}, LINE_COL, "invalid YAML")
    yield Case(cls, "unclosed-quote", {"s.yaml": text.encode() + b"x: 'abc\n"}, LINE_COL, "invalid YAML")
    yield Case(cls, "bad-indent", {"s.yaml": b"name: a\n  b: [\n"}, LINE_COL, "invalid YAML")
    yield Case(cls, "unknown-anchor", {"s.yaml": text.encode() + b"x: *nope\n"}, LINE_COL, "invalid YAML")
    for tag in ("!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!custom 1",
                "!!python/tuple [1, 2]", "!!binary aGVsbG8=", "!!timestamp 2020-01-01", "!!set {a, b}"):
        t = text.replace("Micro Co", tag)
        path = LINE_COL if "python" in tag or "custom" in tag else "company"
        yield Case(cls, f"tag-{tag.split()[0]}", {"s.yaml": t.encode()}, path, "")
    yield Case(cls, "newline-in-value-echoed", {"s.yaml": dump(micro(discount_rate="a\nb\x00c\u2028d"))},
               "discount_rate", "valid number")
    yield Case(cls, "huge-string-echoed", {"s.yaml": dump(micro(discount_rate="x" * 100_000))}, "discount_rate",
               "valid number")
    yield Case(cls, "unicode-key", {"s.yaml": dump(micro(**{"公司": 1}))}, "公司", "unknown key")
    yield Case(cls, "bidi-key", {"s.yaml": dump(micro(**{"a\u202eb": 1}))}, r"a\\u202eb", "unknown key")


def unit_cases():
    """Units or formatting written into numbers: `1000 MWh`, `50%`, `1,000`, `€5`; every one is an error at its
    key path (the unit of each number is fixed by the docs, never parsed from the text)."""
    cls = "14 units in numbers"
    numeric = [(p, kp, v) for p, kp, v in paths(RICH) if isinstance(v, int | float) and not isinstance(v, bool)]
    suffixes = [" MWh", "%", " tCO2/MWh", " CNY", "k"]
    for j, (p, kp, v) in enumerate(numeric):
        text = [f"{v}{suffixes[j % len(suffixes)]}", f"{v:,}" if abs(v) >= 1000 else f"~{v}", f"'{v}'"][j % 3]
        yield Case(cls, f"{kp}={text}", {"s.yaml": dump(setat(RICH, p, text))}, re.escape(kp),
                   "number|integer|finite|string")
    for label, text in (("percent", "50%"), ("comma-decimal", "0,5"), ("fraction", "1/2"), ("range", "0.3-0.5")):
        yield Case(cls, f"share-{label}", {"s.yaml": dump(micro(discount_rate=text))}, "discount_rate",
                   "valid number")


CLASSES = [encoding_cases, duplicate_key_cases, trajectory_cases, number_cases, cross_field_cases, file_cases,
           size_cases, depth_cases, bomb_cases, outside_cases, number_text_cases, name_cases, message_cases,
           unit_cases]
CASES = [c for gen in CLASSES for c in gen()]


def materialise(case: Case, base: Path) -> tuple[Path, str | None]:
    base.mkdir(parents=True, exist_ok=True)
    for rel, data in case.files.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if data.startswith(b"@symlink "):
            p.symlink_to(data[len(b"@symlink "):].decode())
        else:
            p.write_bytes(data)
    for d in case.dirs:
        (base / d).mkdir(parents=True, exist_ok=True)
    top = Path(case.top) if case.top.startswith("/") else base / case.top
    (base / "sub").mkdir(exist_ok=True)
    root = {"tmp": str(base), "/": "/", None: None}[case.root]
    return top, root


def check_error(case: Case, exc: InputError, top: Path, base: Path) -> None:
    msg = str(exc)
    assert "\n" not in msg and "\r" not in msg, msg
    assert msg.startswith(exc.file + ": ")
    assert exc.file == str(top) or exc.file.startswith(str(base)) or exc.file.startswith("/dev/"), msg
    assert re.fullmatch(case.path, exc.path), (case.name, exc.path, msg)
    labels = r"(float|int|str|bool|none|\[key\]|(dict|list|literal|union|function-\w+|constrained-\w+)\[.*)"
    assert not any(re.fullmatch(labels, part) for part in re.split(r"[.\[]", exc.path)), msg  # no pydantic labels
    assert re.search(case.words, exc.message), (case.name, msg)
    assert len(msg) <= 1000
    if case.secret:
        assert SECRET not in msg


CHUNK = 40  # cases per test function: the corpus runs in ~35 tests rather than ~1,100 (pytest overhead)
CHUNKS = [CASES[i:i + CHUNK] for i in range(0, len(CASES), CHUNK)]


@pytest.mark.parametrize("k", range(len(CHUNKS)), ids=[f"{c[0].cls[:2]}-to-{c[-1].cls[:2]}-{k}"
                                                       for k, c in enumerate(CHUNKS)])
def test_corpus_cases_give_one_line_input_error(k, tmp_path):
    failures = []
    for i, case in enumerate(CHUNKS[k]):
        base = tmp_path / f"c{i}" / "w"
        top, root = materialise(case, base)
        try:
            load_scenario(top, root=root)
            failures.append(f"{case.cls} {case.name}: no error")
        except InputError as exc:
            try:
                check_error(case, exc, top, base)
            except AssertionError as a:
                failures.append(f"{case.cls} {case.name}: {a}")
        except Exception as exc:  # noqa: BLE001 - any other exception is a crash the corpus must catch
            failures.append(f"{case.cls} {case.name}: crashed with {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name, data", list(accepted_encodings()))
def test_accepted_encodings_load(name, data, tmp_path):
    f = tmp_path / "s.yaml"
    f.write_bytes(data)
    sc = load_scenario(f)
    assert sc.company == "中国制造"


def test_root_allows_parent_outside_scenario_folder(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "case").mkdir()
    (tmp_path / "base" / "b.yaml").write_bytes(dump(micro()))
    (tmp_path / "case" / "s.yaml").write_bytes(dump({"extends": "../base/b.yaml", "name": "v"}))
    with pytest.raises(InputError, match="outside the allowed folder"):
        load_scenario(tmp_path / "case" / "s.yaml")
    assert load_scenario(tmp_path / "case" / "s.yaml", root=tmp_path).name == "v"


# ---------------------------------------------------------------------------------------------------- CLI
CLI_SAMPLE = [c for c in random.Random(7).sample(CASES, 40) if not c.top.startswith("/")]
CLI_SAMPLE += [c for c in CASES if (c.cls.startswith(("06", "07")) and c.name != "too-many-sites") or c.name in (
    "latin1-issue", "gbk", "billion-laughs", "extends-absolute", "name-300-chars", "U+0000-in-value")]


@pytest.mark.parametrize("case", CLI_SAMPLE, ids=[f"{c.cls[:2]}-{c.name}" for c in CLI_SAMPLE])
def test_cli_validate_exit_2_one_line(case, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from planner.cli import main

    top, root = materialise(case, tmp_path / "w")
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.rglob("*"))
    args = ["validate", str(top)] + (["--root", root] if root else [])
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, (case.name, r.output, r.exception)
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr
    assert set(tmp_path.rglob("*")) == before  # nothing written


RUN_CASES = [
    ("internal-price-nan", micro(internal_carbon_price={"price_cny_per_t": math.nan}),
     "internal_carbon_price.price_cny_per_t"),
    ("energy-inf", micro(sites=[{**BASE["sites"][0], "energy": {"electricity": math.inf}}]),
     "sites[0].energy.electricity"),
    ("credit-cap-inf", micro(measures=[{"id": "c", "template": "carbon_credits", "max_tco2e": math.inf}]),
     "measures[0].max_tco2e"),
    ("free-allocation-1.5", micro(ets={"free_allocation_share": 1.5}), "ets.free_allocation_share"),
    ("negative-grid", micro(grid={"factors": {"East": -0.5}}), "grid.factors.East"),
    ("name-300", micro(name="n" * 300), "name"),
]


@pytest.mark.parametrize("name, d, path", RUN_CASES, ids=[c[0] for c in RUN_CASES])
def test_cli_run_rejects_at_validation_nothing_written(name, d, path, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from planner.cli import main

    f = tmp_path / "s.yaml"
    f.write_bytes(dump(d))
    monkeypatch.chdir(tmp_path)
    for cmd in ("run", "baseline"):
        r = CliRunner().invoke(main, [cmd, str(f)])
        assert r.exit_code == 2, r.output
        assert r.stderr.count("\n") == 1 and f": {path}: " in r.stderr, r.stderr
        assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("content, words", [  # real processes for the issue's reproductions; the rest in-process
    (b"name: caf\xe9\n", "not UTF-8"),
    (None, "is a folder"),
])
def test_subprocess_validate_exit_2(content, words, tmp_path):
    f = tmp_path / "s.yaml"
    if content is None:
        f.mkdir()
    else:
        f.write_bytes(content)
    r = subprocess.run([sys.executable, "-m", "planner", "validate", str(f)], capture_output=True, text=True,
                       cwd=tmp_path, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and words in r.stderr, r.stderr
    assert r.stdout == ""
    assert {p.name for p in tmp_path.iterdir()} == {"s.yaml"}


def test_corpus_counts():
    counts = Counter(c.cls for c in CASES)
    assert len(counts) == len(CLASSES) and sum(counts.values()) >= 500, counts


if __name__ == "__main__":
    for cls, n in sorted(Counter(c.cls for c in CASES).items()):
        print(f"{cls:28s} {n:5d}")
    print(f"{'total':28s} {len(CASES):5d}")
