"""libyaml under `parse_yaml`: the C scanner and parser give the very values and messages of PyYAML's
pure-Python loader (hypothesis on generated documents, token soups, deep nesting and edits of the demo), a
2 MB file of nested brackets is refused without a crash, and without libyaml the pure loader is used."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.composer import Composer

from planner.errors import InputError
from planner.schemas import yamlio

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml: only the pure loader")

DEMO_TEXT = (ROOT / "scenarios" / "demo.yaml").read_text(encoding="utf-8")


@contextmanager
def using(loader):
    old = yamlio.Loader
    yamlio.Loader = loader
    try:
        yield
    finally:
        yamlio.Loader = old


def outcome(loader, text: str) -> tuple[str, str]:
    """parse_yaml's value (its repr: 1, 1.0 and True differ, NaN equals NaN) or its one-line message; any
    other exception fails the test (never a crash)."""
    with using(loader):
        try:
            return "value", repr(yamlio.parse_yaml(text, "f.yaml"))
        except InputError as exc:
            assert "\n" not in str(exc)
            return "error", str(exc)


def assert_same(text: str) -> None:
    assert outcome(yamlio.CLoader, text) == outcome(yamlio.PureLoader, text), repr(text)


def raw(loader, text: str):
    """The loader's own value or (error class, problem, line, column), without parse_yaml's routing."""
    try:
        return repr(yaml.load(text, Loader=loader))  # noqa: S506 - SafeLoader subclasses
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return type(exc).__name__, exc.problem, mark and (mark.line, mark.column)


FRAGMENTS = ["- ", ": ", ":", "[", "]", "{", "}", ", ", ",", "\n", "\n", "  ", " ", "a", "b", "1", "0x1F", "1e6",
             "1.5", ".inf", "-.inf", ".NaN", "&a ", "&b ", "*a", "*b", "!!str ", "!!int ", "!!float ", "!!bool ",
             "!!timestamp ", "!!map ", "!!seq ", "! ", "!x ", "'", '"', "''", '\\"', "# c", " #", "|", ">", "|-",
             ">+", "? ", "?", "---", "...", "--- ", "%YAML 1.1\n", "\\", "\\x41", "\\u00e9", "<<", "<<: ", "\t",
             "\x85", "\u2028", "é", "中", "~", "null", "true", "yes", "Off", "2020-01-01",
             "2001-12-14t21:59:43.10-05:00", "1_000", "0o17", "017", "+12", "-0", "1:20", "1e400", "9" * 30, "-",
             "--", "=", "@", "`", "%", "\r\n", "\r", "x: y", "k: v\n", "  - ", "    ", "\ufeff", "\x01", "'\n'",
             '"\n "', "a:b", "http://x"]
soup = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join)
flow_soup = st.lists(st.sampled_from(["[", "]", "{", "}", ", ", ",", ": ", ":", "a", "1", "'x'", '"y"', " ", "\n",
                                      "\n ", "?", "? ", "- ", "-", "#", " #", "&a ", "*a", "a:b", "|", ">"]),
                     min_size=1, max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(soup)
def test_token_soup_same_value_or_message(text):
    assert_same(text)


@settings(max_examples=300, deadline=None)
@given(flow_soup)
def test_flow_soup_same_value_or_message(text):
    assert_same(text)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["", "x: ", "x:\n  "]), st.sampled_from(["[", "- ", "{a: ", "[a: ", "&a [", "!!seq ["]),
       st.integers(yamlio.MAX_NESTING - 2, yamlio.MAX_NESTING + 2), soup)
def test_nesting_at_the_limit_then_anything(head, opener, depth, tail):
    """The nesting limit is met at the same event as in PyYAML, whatever follows (a syntax error included)."""
    assert_same(head + opener * depth + tail)


keys = st.one_of(st.text(max_size=8), st.integers(-3000, 3000), st.booleans())
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(["1e6", "1.2e-3", "1_000", "0x1F", "0o17", "017", "1:20", "2030", "yes", "Off",
                                     "~", "2020-01-01", ".5", "1.", "+1e+6", "-.INF", "0.1e1", "1e", "e1"]))
trees = st.recursive(scalars, lambda ch: st.lists(ch, max_size=4) | st.dictionaries(keys, ch, max_size=4),
                     max_leaves=25)


@settings(max_examples=250, deadline=None)
@given(trees, st.sampled_from([False, True, None]), st.booleans(), st.sampled_from([2, 4]),
       st.sampled_from([20, 80]))
def test_dumped_documents_same_value(tree, flow, unicode, indent, width):
    text = yaml.safe_dump({"x": tree}, default_flow_style=flow, allow_unicode=unicode, indent=indent, width=width)
    assert_same(text)
    if not yamlio._pure_only(text):  # the C path itself, not the routing, gives PyYAML's value
        assert raw(yamlio.CLoader, text) == raw(yamlio.PureLoader, text)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["1e6", "1.2E+6", "-1_000.5", ".5", "1.", "0x_1F", "0b101", "0o17", "017", "1:20:30",
                        "1:20.5", "+.inf", ".NaN", "~", "Null", "TRUE", "yes", "n", "2024-02-29",
                        "2001-12-14 21:59:43.10 -5", "<<", "=", "9" * 25, "'1e6'", '"\\x41\\u00e9"']),
       st.sampled_from(["a: {v}\n", "- {v}\n", "[{v}, {v}]\n", "{{k: {v}}}\n", "? {v}\n: {v}\n", "{v}: 1\n"]))
def test_plain_scalars_resolve_alike(value, form):
    """The implicit resolvers the module customises (YAML 1.2 floats) and PyYAML's others, in every position."""
    assert_same(form.format(v=value))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(DEMO_TEXT)), st.integers(0, 4),
                          st.lists(st.sampled_from(FRAGMENTS), max_size=3).map("".join)), min_size=1, max_size=3))
def test_edited_demo_same_value_or_message(edits):
    text = DEMO_TEXT
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut:]
    assert_same(text)


@pytest.mark.parametrize("text", [
    "a: 1\t# c\n", "{a:\t1}\n", "a: [1,\t2]\n",  # libyaml allows tabs where PyYAML does not
    "a: |# c\n", "a: >+# c\n",  # a comment right after a block scalar indicator
    "{a: b ? c}\n", "[a:?b]\n",  # `?` inside plain scalars in flow collections (libyaml 0.2.5)
    "! \n", "a: !\n", "!x!y z\n", "[!x]\n", "!!float abc\n", "!!bool maybe\n", "!!timestamp x\n", "!!int\n",
    "!!int abc\n", "a: 1\n\ufeffb: 2\n", "%YAML 1.3\n--- a\n", "a: 1\n---\nb: 2\n", "a: *nope\n",
    "a: &x 1\nb: &x 2\n", "a: 'x\n", "a: \ud800\n", "a: \x01\n",
])
def test_known_differences_of_libyaml_are_routed_to_pyyaml(text):
    """Texts libyaml reads differently from PyYAML (found by the tests above): parse_yaml's value or message
    is PyYAML's."""
    assert_same(text)


@pytest.mark.parametrize("path", sorted(ROOT.glob("scenarios/**/*.yaml")), ids=lambda p: p.name)
def test_bundled_files_same_value_on_the_c_path(path):
    text = path.read_text(encoding="utf-8")
    assert not yamlio._pure_only(text)  # the scenarios take the fast path
    assert raw(yamlio.CLoader, text) == raw(yamlio.PureLoader, text)


@pytest.mark.parametrize("text, words", [
    ("a: 1\nb:\n  c: 2\n  c: 3\n", "line 4, column 3: invalid YAML (duplicate key 'c' (first at line 3))"),
    ("a: " + "[" * 41 + "]" * 41 + "\n", "line 1, column 43: invalid YAML (nesting deeper than 40 levels)"),
    ("z: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 45)),
     "line 40, column 6: invalid YAML (nesting deeper than 40 levels once aliases are expanded)"),
    ("a: &a [*a]\n", "line 1, column 4: invalid YAML (an alias refers to a node that contains it (self-reference))"),
    ("b0: &b0 [x]\n" + "".join(f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]\n" for i in range(1, 9)),
     "line 6, column 5: invalid YAML (expands to more than 100,000 values (alias bomb?))"),
    ("a: " + "9" * 5000 + "\n", "line 1, column 4: invalid YAML (integer too long (expected a number within ±1e+15))"),
    ("a: !!float abc\n", "line 1, column 4: invalid YAML (cannot read 'abc' as !!float)"),
    ("名字é: {a: 1, a: 2}\n", "line 1, column 13: invalid YAML (duplicate key 'a' (first at line 1))"),
    ("\U0001F600: {b: 1, b: 2}\n", "line 1, column 11: invalid YAML (duplicate key 'b' (first at line 1))"),
    ("a: 2024-02-30\n", "line 1, column 4: invalid YAML (cannot read '2024-02-30' as !!timestamp)"),
])
def test_refusals_on_the_c_path(text, words):
    """Refusals the C path makes itself (the limits): PyYAML's message, at the same line and column."""
    assert not yamlio._pure_only(text) or "!" in text
    kind, msg = outcome(yamlio.CLoader, text)
    assert kind == "error" and msg.startswith("f.yaml: ") and words in msg, msg
    assert_same(text)


def test_c_loader_never_uses_libyamls_recursive_composer():
    assert yamlio.Loader is yamlio.CLoader
    assert yamlio.CLoader.get_single_node is Composer.get_single_node
    assert yamlio.CLoader.compose_document is Composer.compose_document


@pytest.mark.parametrize("text", [
    "a: " + "[" * (yamlio.MAX_FILE_BYTES // 2 - 4) + "]" * (yamlio.MAX_FILE_BYTES // 2 - 4) + "\n",
    "a: " + "{a: " * (yamlio.MAX_FILE_BYTES // 4 - 2),
    "- " * (yamlio.MAX_FILE_BYTES // 2 - 2) + "1\n",
], ids=["brackets", "braces", "dashes"])
def test_2mb_of_nesting_refused_without_a_crash(tmp_path, text):
    """libyaml's own composer (yaml.CSafeLoader) overflows the C stack on 100,000 brackets; ours stops at
    MAX_NESTING. In a subprocess: a crash there must not take the test run down."""
    f = tmp_path / "deep.yaml"
    f.write_text(text, encoding="utf-8")
    code = ("import sys; from pathlib import Path; from planner.schemas import yamlio; from planner.errors import "
            "InputError\ntry:\n    yamlio.parse_yaml(Path(sys.argv[1]).read_text(), 'deep.yaml')\n"
            "except InputError as e:\n    print(e)")
    r = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert "invalid YAML (nesting deeper than 40 levels)" in r.stdout


def test_without_libyaml_the_pure_loader_reads_alike():
    code = ("import sys; sys.modules['yaml._yaml'] = None\nimport yaml; from planner.schemas import yamlio\n"
            "assert not yaml.__with_libyaml__ and yamlio.LOADERS == (yamlio.PureLoader,) and yamlio.Loader is "
            "yamlio.PureLoader\nprint(repr(yamlio.parse_yaml(sys.stdin.read(), 'f')))\n"
            "try:\n    yamlio.parse_yaml('a: 1\\na: 2\\n', 'f')\nexcept Exception as e:\n    print(e)")
    r = subprocess.run([sys.executable, "-c", code], input=DEMO_TEXT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    value, message = r.stdout.splitlines()
    assert value == repr(yamlio.parse_yaml(DEMO_TEXT, "f"))
    assert message == "f: line 2, column 1: invalid YAML (duplicate key 'a' (first at line 1))"


class AlwaysChecked(yamlio.PureLoader):
    """The loader as it was: the node graph checked on every document, anchors or not."""

    def construct_document(self, node):
        yamlio._check_graph(node)
        return super(yamlio._Limits, self).construct_document(node)


@settings(max_examples=300, deadline=None)
@given(soup)
def test_skipping_the_graph_check_without_anchors_changes_nothing(text):
    assert outcome(yamlio.PureLoader, text) == outcome(AlwaysChecked, text)


@pytest.mark.parametrize("n", [46, 47])
def test_many_values_without_anchors_refused_as_before(monkeypatch, n):
    monkeypatch.setattr(yamlio, "MAX_NODES", 50)  # the limit is read when used; 100,000 values take 20 s
    text = "a: [" + "1, " * n + "1]\n"  # the mapping, `a`, the list and its n + 1 items: n + 4 nodes
    for loader in (yamlio.CLoader, yamlio.PureLoader):
        assert outcome(loader, text) == outcome(AlwaysChecked, text)
    assert (outcome(AlwaysChecked, text)[0] == "error") == (n + 4 > 50)
