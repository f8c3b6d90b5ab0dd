"""Read scenario YAML files: parse, resolve the `extends` chain and merge parent and child mappings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError


def deep_merge(base: Any, over: Any) -> Any:
    """Merge `over` onto `base`: dicts recursively, lists of {id: ...} items by id, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else copy.deepcopy(v)
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


def _id_list(x: Any) -> bool:
    return isinstance(x, list) and bool(x) and all(isinstance(i, dict) and "id" in i for i in x)


def read_yaml(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """Raw mapping of a scenario file with its `extends` chain merged in."""
    path = path.resolve()
    if path in _seen:
        raise InputError(str(path), "extends", "circular extends chain")
    if not path.exists():
        raise InputError(str(path), "", "file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(str(path), where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise InputError(str(path), "", "expected a mapping of scenario keys at the top level")
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise InputError(str(path), "extends", "expected a file name (string)")
    base = read_yaml(path.parent / parent, _seen + (path,))
    base.pop("name", None)
    return deep_merge(base, raw)
