"""Read scenario YAML files: parse, resolve the `extends` chain and merge parent and child mappings.

Reading is defensive: every file the planner reads goes through `read_bytes` (size cap, regular files
only) and `decode` (UTF-8, or UTF-8/16/32 with a byte-order mark; anything else is named and refused).
YAML is parsed by `Loader`, a SafeLoader (no Python tags) that refuses duplicate keys, nesting deeper than
MAX_NESTING, documents that expand (through aliases) to more than MAX_NODES nodes, self-referencing
aliases and integers too long to convert. Each problem is an InputError naming the file and the line and
column (or the key path), on one line. `Loader` scans and parses with libyaml (C) when PyYAML has it, and
hands text libyaml reads differently or refuses to the pure-Python `PureLoader`, so values and messages are
PyYAML's own either way.
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:  # libyaml's scanner and parser, when PyYAML was built with it
    from yaml.cyaml import CParser
except ImportError:
    CParser = None

from ..errors import InputError
from .types import MAX_ABS_NUMBER

MAX_FILE_BYTES = 2_000_000  # largest scenario or data file read (bytes); the demo is ~12 kB
MAX_NESTING = 40  # deepest nesting of mappings/lists in a scenario, aliases expanded (the demo needs 6)
MAX_NODES = 100_000  # most values in one file or in the merged scenario, aliases expanded (the demo ~1,500)
MAX_EXTENDS_DEPTH = 16  # longest `extends` chain (a file, its parent, ... : 16 files)


_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def read_bytes(path: Path, file: str | None = None, what: str = "scenario file") -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES (a larger file, a folder or a device is an error)."""
    file = file or str(path)
    try:
        if path.is_dir():
            raise InputError(file, "", f"is a folder; expected a {what}")
        if not path.exists():
            raise InputError(file, "", "file not found")
        if not path.is_file():
            raise InputError(file, "", f"is not a regular file (a device or pipe); expected a {what}")
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(file, "", f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
    except ValueError as exc:  # e.g. a NUL byte in the path
        raise InputError(file, "", f"invalid file name ({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(file, "", f"file is larger than the limit of {MAX_FILE_BYTES:,} bytes")
    return data


def _line_col(data: bytes | str, pos: int) -> str:
    head = data[:pos]
    nl = b"\n" if isinstance(head, bytes) else "\n"
    line = head.count(nl) + 1
    col = pos - (head.rfind(nl) + 1) + 1
    return f"line {line}, column {col}"


def decode(data: bytes, file: str) -> str:
    """Text of a file: UTF-8, or UTF-8/UTF-16/UTF-32 with a byte-order mark. Other encodings are refused
    with a guess of what was found (GBK, Latin-1, UTF-16 without a mark, binary)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(file, "", f"invalid {enc.upper()} text after its byte-order mark "
                                 f"(byte offset {exc.start + len(bom)})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
        raise InputError(file, _line_col(data, pos), f"not UTF-8 text (byte 0x{data[pos]:02x}); {_guess(data)}. "
                         "Save the file as UTF-8 (UTF-16/UTF-32 with a byte-order mark are also accepted)") from None
    if "\x00" in text:
        raise InputError(file, _line_col(text, text.index("\x00")), "NUL character: binary data or UTF-16/UTF-32 "
                         "without a byte-order mark, not UTF-8 text")
    return text


def _guess(data: bytes) -> str:
    if b"\x00" in data:
        return "it looks like binary data or UTF-16/UTF-32 without a byte-order mark"
    try:
        text = data.decode("gb18030")
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return "it looks like GBK/GB18030 (Chinese)"
    except UnicodeDecodeError:
        pass
    if all(b >= 0x20 or b in b"\t\r\n" for b in data):
        return "it looks like Latin-1/Windows-1252"
    return "it looks like binary data"


class _Limits:
    """The limits both loaders add to PyYAML's safe loading: duplicate keys, nesting, huge integers; the
    node graph (self-reference, alias bombs, nesting through aliases) is checked before construction."""

    _nesting = 0
    _nodes = 0  # nodes composed
    _anchors = False  # whether the document has anchors (and so may have aliases)

    def compose_node(self, parent, index):
        self._nesting += 1
        self._nodes += 1
        try:
            if self._nesting > MAX_NESTING:
                raise ConstructorError(None, None, f"nesting deeper than {MAX_NESTING} levels",
                                       self.peek_event().start_mark)
            node = super().compose_node(parent, index)
            if self._nesting == 1:  # the root: the composer forgets the anchors once the document is composed
                self._anchors = bool(self.anchors)
            return node
        finally:
            self._nesting -= 1

    def construct_document(self, node):
        if self._anchors or self._nodes > MAX_NODES:  # else a tree the composer checked (nesting, size)
            _check_graph(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:
                    raise ConstructorError("while constructing a mapping", node.start_mark,
                                           "found an unhashable key", key_node.start_mark) from None
                if first is not None:
                    raise ConstructorError(None, None, f"duplicate key {key!r} (first at line {first.line + 1})",
                                           key_node.start_mark)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            if self.resolve(ScalarNode, node.value, (True, False)) != "tag:yaml.org,2002:int":
                raise  # `!!int abc`: not an integer at all
            raise ConstructorError(None, None, f"integer too long (expected a number within ±{MAX_ABS_NUMBER:g})",
                                   node.start_mark) from None


def _readable(construct):
    """A scalar constructor whose failures (`!!float abc`, `!!bool maybe`, `2024-02-30`) are refusals at the
    scalar, not tracebacks."""
    def construct_checked(self, node):
        try:
            return construct(self, node)
        except (ValueError, LookupError, AttributeError, TypeError, OverflowError):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise ConstructorError(None, None, f"cannot read {str(node.value)[:60]!r} as {tag}",
                                   node.start_mark) from None
    return construct_checked


class PureLoader(_Limits, yaml.SafeLoader):
    """SafeLoader with the limits: PyYAML's pure-Python reader, scanner and parser (the reference)."""


if CParser is not None:
    class CLoader(_Limits, Composer, CParser, SafeConstructor, Resolver):
        """The same loader on libyaml's scanner and parser (C; the demo parses ~4.5x faster). PyYAML's Python
        composer builds the nodes from libyaml's events: libyaml's composer recurses in C and overflows the C
        stack on ~100,000 nested brackets (a 200 kB file) before any limit could apply."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    LOADERS: tuple[type, ...] = (CLoader, PureLoader)
else:
    LOADERS = (PureLoader,)
Loader = LOADERS[0]  # what parse_yaml tries first

# YAML 1.2 floats: `1e6` and `1.2e6` are numbers (YAML 1.1, PyYAML's default, reads them as strings)
_FLOAT = "tag:yaml.org,2002:float"
for _cls in LOADERS:
    for _tag, _construct in (("int", _Limits.construct_yaml_int), ("float", SafeConstructor.construct_yaml_float),
                             ("bool", SafeConstructor.construct_yaml_bool),
                             ("timestamp", SafeConstructor.construct_yaml_timestamp)):
        _cls.add_constructor(f"tag:yaml.org,2002:{_tag}", _readable(_construct))
    _cls.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != _FLOAT]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _cls.add_implicit_resolver(_FLOAT, re.compile(r"""^(?:
    [-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X), list("-+0123456789."))

# Text libyaml reads differently from PyYAML goes to PureLoader (found by tests/test_yaml_c.py): tabs, a
# byte-order mark, characters YAML does not allow, a comment right after a block scalar's `|` or `>`, tags
# (`!`), and `?` where flow collections (`[` `{`) are.
_PURE_ONLY = re.compile("[^\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
                        "|[|>][-+0-9]{0,2}#")


def _pure_only(text: str) -> bool:
    return "!" in text or ("?" in text and ("[" in text or "{" in text)) or bool(_PURE_ONLY.search(text))


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [x for kv in node.value for x in kv]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: Node) -> None:
    """Refuse a node graph that is cyclic (self-referencing alias), nests deeper than MAX_NESTING or expands
    to more than MAX_NODES nodes once aliases are expanded. Iterative, linear in the number of distinct nodes."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        k = id(node)
        if done:
            open_.discard(k)
            kids = _children(node)
            size[k] = 1 + sum(size[id(c)] for c in kids)
            depth[k] = 1 + max((depth[id(c)] for c in kids), default=0)
            if size[k] > MAX_NODES:
                raise ConstructorError(None, None, f"expands to more than {MAX_NODES:,} values (alias bomb?)",
                                       node.start_mark)
            if depth[k] > MAX_NESTING:
                raise ConstructorError(None, None, f"nesting deeper than {MAX_NESTING} levels once aliases "
                                       "are expanded", node.start_mark)
            continue
        if k in size:
            continue
        if k in open_:
            raise ConstructorError(None, None, "an alias refers to a node that contains it (self-reference)",
                                   node.start_mark)
        open_.add(k)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node))


def _load(text: str) -> Any:
    """The value of a YAML document by `Loader`. Text libyaml reads differently, and any text libyaml refuses
    for a reason other than the limits (syntax, characters, aliases, documents), goes to `PureLoader`: every
    value and every message is PyYAML's own."""
    if Loader is PureLoader or _pure_only(text):
        return yaml.load(text, Loader=PureLoader)  # noqa: S506 - a SafeLoader subclass
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - safe constructors only
    except ConstructorError:
        raise
    except (yaml.YAMLError, UnicodeError):
        pass
    return yaml.load(text, Loader=PureLoader)  # noqa: S506


def parse_yaml(text: str, file: str) -> Any:
    """Parse one YAML document with `Loader`; any problem is an InputError at the line and column."""
    try:
        return _load(text)
    except yaml.reader.ReaderError as exc:
        ch = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise InputError(file, _line_col(text, exc.position), f"invalid YAML (character U+{ch:04X} is not "
                         "allowed: control characters are not allowed in YAML)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            what = f"{exc.problem}, {exc.context}"
        raise InputError(file, where, f"invalid YAML ({what})") from None
    except yaml.YAMLError as exc:
        raise InputError(file, "", f"invalid YAML ({exc})") from None
    except RecursionError:
        raise InputError(file, "", f"invalid YAML (nesting deeper than {MAX_NESTING} levels)") from None


class _DuplicateKey(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def parse_json(text: str, file: str) -> Any:
    """Parse a JSON document (a `.json` scenario, as other tools write it): syntax errors at the line and
    column, duplicate keys refused; numbers and nesting are checked afterwards by `check_tree`."""
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise InputError(file, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON ({exc.msg})") from None
    except _DuplicateKey as exc:
        raise InputError(file, "", f"invalid JSON (duplicate key {str(exc.args[0])[:60]!r})") from None
    except RecursionError:
        raise InputError(file, "", f"invalid JSON (nesting deeper than {MAX_NESTING} levels)") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise InputError(file, "", f"invalid JSON ({exc})") from None


def parse_file_text(text: str, file: str, path: Path) -> Any:
    """A scenario file's text parsed by its extension: `.json` as JSON, anything else as YAML."""
    return parse_json(text, file) if path.suffix.lower() == ".json" else parse_yaml(text, file)


def check_tree(node: Any, file: str, path: str = "") -> int:
    """Check a parsed tree: every number finite and within ±MAX_ABS_NUMBER, nesting and size within the
    limits. Returns the number of values (aliases expanded). Raises InputError naming the key path."""
    count = 0
    stack: list[tuple[Any, str, int]] = [(node, path, 0)]
    while stack:
        x, p, d = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise InputError(file, p, f"the scenario has more than {MAX_NODES:,} values")
        if d > MAX_NESTING:
            raise InputError(file, p, f"nesting deeper than {MAX_NESTING} levels")
        if isinstance(x, bool):
            continue
        if isinstance(x, float) and not (math.isfinite(x) and abs(x) <= MAX_ABS_NUMBER):
            raise InputError(file, p, f"expected a finite number within ±{MAX_ABS_NUMBER:g}, got {x!r}")
        if isinstance(x, int) and abs(x) > MAX_ABS_NUMBER:
            raise InputError(file, p, f"expected a number within ±{MAX_ABS_NUMBER:g}, got an integer of "
                             f"{len(str(abs(x))) if abs(x) < 10**4000 else 'over 4,000'} digits")
        if isinstance(x, dict):
            for k, v in x.items():
                kp = f"{p}.{k}" if p else str(k)
                stack.append((k, kp, d + 1))
                stack.append((v, kp, d + 1))
        elif isinstance(x, list):
            stack.extend((v, f"{p}[{i}]", d + 1) for i, v in enumerate(x))
    return count


def deep_merge(base: Any, over: Any) -> Any:
    """Merge `over` onto `base`: dicts recursively, lists of {id: ...} items by id, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            bk = _same_key(base, k)
            if bk is not None and bk != k:
                del out[bk]  # a year written as 2030 in one file and "2030" (JSON) in the other: one point
            out[k] = deep_merge(base[bk], v) if bk is not None else copy.deepcopy(v)
        return out
    if _id_list(base) and _id_list(over):
        out = [copy.deepcopy(x) for x in base]
        index = {x["id"]: i for i, x in enumerate(out)}
        for item in over:
            if item["id"] in index:
                out[index[item["id"]]] = deep_merge(out[index[item["id"]]], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(over)


def _same_key(base: dict, k: Any) -> Any:
    """The key of `base` that `k` overrides: itself, or the same number written as an integer or as digits."""
    if k in base:
        return k
    if isinstance(k, str) and 0 < len(k) <= 18 and k.isascii() and k.isdigit() and int(k) in base:
        return int(k)
    if isinstance(k, int) and not isinstance(k, bool) and str(k) in base:
        return str(k)
    return None


def _id_list(x: Any) -> bool:
    return isinstance(x, list) and bool(x) and all(
        isinstance(i, dict) and isinstance(i.get("id"), str | int) and not isinstance(i.get("id"), bool) for i in x)


def _within(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path.is_relative_to(r) for r in roots)


BUNDLED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"  # the demo and its variants


def default_roots(scenario: Path) -> tuple[Path, ...]:
    """Folders `extends` may reach when no root is given: the scenario's own folder tree, and the bundled
    scenarios/ folder (so a variant anywhere may extend the demo)."""
    return (scenario.resolve().parent, BUNDLED_SCENARIOS)


def read_yaml(path: Path, root: str | Path | None = None, _seen: tuple[Path, ...] = (),
              _file: str | None = None, _roots: tuple[Path, ...] = ()) -> dict:
    """Raw mapping of a scenario file with its `extends` chain merged in.

    `extends` may only name files inside `root` (default: `default_roots`), at most MAX_EXTENDS_DEPTH files
    deep; files outside are refused before they are read (so nothing of them is quoted).
    """
    path = Path(path)
    file = _file or str(path)
    try:
        real = path.resolve()
        roots = _roots or ((Path(root).resolve(),) if root is not None else default_roots(path))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(file, "", f"cannot resolve the path ({exc})") from None
    if real in _seen:
        raise InputError(file, "extends", "circular extends chain")
    raw = parse_file_text(decode(read_bytes(path, file), file), file, path)
    if not isinstance(raw, dict):
        raise InputError(file, "", "expected a mapping of scenario keys at the top level")
    check_tree(raw, file)
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str) or not parent.strip() or "\x00" in parent:
        raise InputError(file, "extends", f"expected the name of a scenario file, got {parent!r}")
    if len(_seen) + 1 >= MAX_EXTENDS_DEPTH:
        raise InputError(file, "extends", f"extends chain longer than the limit of {MAX_EXTENDS_DEPTH} files")
    target = real.parent / parent
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(file, "extends", f"cannot resolve {parent!r} ({exc})") from None
    if not _within(resolved, roots):
        where = " or ".join(str(r) for r in roots)
        raise InputError(file, "extends", f"{parent!r} is outside the allowed folder {where}; extends may only "
                         "name files inside it (pass a wider root, `--root DIR`, to allow more)")
    base = read_yaml(resolved, None, _seen + (real,), str(target), roots)
    base.pop("name", None)
    merged = deep_merge(base, raw)
    check_tree(merged, file)
    return merged
