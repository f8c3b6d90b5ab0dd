"""The workbook's layout, derived from the pydantic models (never a list of today's keys): every scenario key
becomes a column, a key/value row or a long table, so a key added to a model appears in the workbook as is.

Rules (walking `model_fields` from the scenario model down):
- a scalar (number, text, yes/no, a choice) or a list of scalars is a cell;
- a nested model (e.g. `horizon`, `output`) is flattened into dotted columns (`output.value`);
- a list of models (sites, targets, measures of every registered kind) is a table, one row per item;
- a dict of models (scope-3 categories) is a table keyed by the dict key;
- a dict of numbers (energy by carrier) is a long table: parent id, key, value;
- a trajectory is a long table: parent id, year, value (one row with the year blank for a constant);
- a dict of trajectories (prices) is a long table: parent id, key, year, value;
- anything else (a union of a name and a model, such as an inline tariff) is one cell of inline YAML.
Top-level scalars are key/value rows; each top-level model's scalars are key/value rows of its own table.
"""

from __future__ import annotations

import inspect
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, PlainValidator
from pydantic.fields import FieldInfo

from ..trajectory import _validator

SCALARS = (str, int, float, bool)


@dataclass(frozen=True)
class Leaf:
    """A cell's type: `kind` scalar | list | yaml; `py` the Python type(s) (or Literal options); bounds."""

    kind: str
    py: tuple = ()
    options: tuple = ()  # Literal choices
    ge: float | None = None
    le: float | None = None
    gt: float | None = None
    lt: float | None = None
    unit: str = ""


@dataclass
class Column:
    key: str  # dotted path inside the row (or the key/value row's path from the scenario root)
    leaf: Leaf
    name: str  # the last field name (for labels and units)
    info: FieldInfo | None = None  # the pydantic field (its default is cited in the notes)


@dataclass
class Table:
    """One long or wide table: `form` fields (key/value rows) | rows (list of models) | models (dict of
    models) | map (dict of scalars) | series (a trajectory) | map_series (dict of trajectories)."""

    id: str  # dotted path of field names from the scenario root, e.g. sites.energy
    form: str
    parents: tuple[str, ...]  # ids of the tables whose row each row belongs to, outermost first
    columns: list[Column] = field(default_factory=list)
    key_leaf: Leaf | None = None  # dict key type (models, map, map_series)
    value_leaf: Leaf | None = None  # value type (map, series, map_series)

    @property
    def name(self) -> str:
        return self.id.rsplit(".", 1)[-1]


def strip(a: Any) -> Any:
    """The annotation without Annotated wrappers and without `| None`."""
    while typing.get_origin(a) is Annotated:
        a = typing.get_args(a)[0]
    if typing.get_origin(a) in (typing.Union, types.UnionType):
        args = [x for x in typing.get_args(a) if x is not type(None)]
        if len(args) == 1:
            return strip(args[0])
        return typing.Union[tuple(args)]  # noqa: UP007
    return a


def traj_bounds(a: Any, info: FieldInfo | None = None) -> tuple[float, float, str] | None:
    """(lo, hi, unit) when `a` (or the field) is a trajectory type (planner.schemas.trajectory), else None."""
    metas = list(info.metadata) if info is not None else []
    while True:
        if typing.get_origin(a) is Annotated:
            metas += list(a.__metadata__)
            a = typing.get_args(a)[0]
        elif typing.get_origin(a) in (typing.Union, types.UnionType):
            inner = [x for x in typing.get_args(a) if x is not type(None)]
            if len(inner) == 1:
                a = inner[0]
            else:
                hits = [traj_bounds(x) for x in inner if typing.get_origin(x) is Annotated]
                hits = [h for h in hits if h]
                if hits:
                    return hits[0]
                break
        else:
            break
    for m in metas:
        if isinstance(m, PlainValidator) and (b := func_bounds(m.func)):
            return b
    return None


def func_bounds(func: Any) -> tuple[float, float, str] | None:
    """(lo, hi, unit) of a trajectory's validator function (trajectory._validator), else None."""
    if not getattr(func, "__qualname__", "").startswith(_validator.__qualname__):
        return None
    v = inspect.getclosurevars(func).nonlocals
    return float(v["lo"]), float(v["hi"]), str(v["unit"]).strip()


def _bounds(metas: list) -> dict:
    out = {}
    metas = [x for m in metas for x in (m.metadata if isinstance(m, FieldInfo) else [m])]
    for m in metas:
        for k in ("ge", "le", "gt", "lt"):
            if getattr(m, k, None) is not None:
                out[k] = float(getattr(m, k))
    return out


def leaf_of(a: Any, info: FieldInfo | None = None) -> Leaf:
    """The cell type of a scalar-ish annotation (a model or a dict inside is `yaml`)."""
    metas = list(info.metadata) if info is not None else []
    b = a
    while True:  # collect Annotated bounds through `| None`
        if typing.get_origin(b) is Annotated:
            metas += list(b.__metadata__)
            b = typing.get_args(b)[0]
        elif typing.get_origin(b) in (typing.Union, types.UnionType) and \
                len([x for x in typing.get_args(b) if x is not type(None)]) == 1:
            b = next(x for x in typing.get_args(b) if x is not type(None))
        else:
            break
    bounds = _bounds(metas)
    if typing.get_origin(b) is Literal:
        opts = typing.get_args(b)
        return Leaf("scalar", tuple({type(o) for o in opts}), opts)
    if b in SCALARS:
        return Leaf("scalar", (b,), **bounds)
    origin, args = typing.get_origin(b), typing.get_args(b)
    if origin is list and args and (strip(args[0]) in SCALARS or typing.get_origin(strip(args[0])) is Literal):
        item = leaf_of(args[0])
        return Leaf("list", item.py, item.options, item.ge, item.le, item.gt, item.lt)
    if origin in (typing.Union, types.UnionType):  # e.g. list[int] | Literal["all"]: a list or a choice
        parts = [leaf_of(x) for x in args]
        lists = [p for p in parts if p.kind == "list"]
        if lists and all(p.kind in ("list", "scalar") and (p.kind == "list" or p.options) for p in parts):
            opts = tuple(o for p in parts if p.kind == "scalar" for o in p.options)
            return Leaf("list", lists[0].py, opts, lists[0].ge, lists[0].le)
        if all(p.kind == "scalar" for p in parts):
            return Leaf("scalar", tuple(t for p in parts for t in p.py), ())
    return Leaf("yaml")


def _model(a: Any) -> type[BaseModel] | None:
    a = strip(a)
    return a if isinstance(a, type) and issubclass(a, BaseModel) else None


def _models(a: Any) -> tuple[type[BaseModel], ...]:
    """The models of a union of models (a discriminated list of measure kinds), or of one model."""
    a = strip(a)
    if _model(a):
        return (a,)
    if typing.get_origin(a) in (typing.Union, types.UnionType):
        ms = [_model(x) for x in typing.get_args(a)]
        if ms and all(ms):
            return tuple(ms)
    return ()


def fields_of(models: tuple[type[BaseModel], ...]) -> dict[str, FieldInfo]:
    """Union of the models' fields, in order of first appearance (the base class's fields first)."""
    out: dict[str, FieldInfo] = {}
    for m in models:
        for k, f in m.model_fields.items():
            out.setdefault(k, f)
    return out


def _series_leaf(lo: float, hi: float, unit: str) -> Leaf:
    return Leaf("scalar", (float,), (), lo, hi, unit=unit)


class Walker:
    """Collects the tables of a model tree."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}

    def add(self, t: Table) -> Table:
        self.tables[t.id] = t
        return t

    def collection(self, path: str, info: FieldInfo, parents: tuple[str, ...]) -> bool:
        """Make the table(s) of a collection or trajectory field; False when the field is a cell."""
        a = info.annotation
        tb = traj_bounds(a, info)
        if tb:
            self.add(Table(path, "series", parents, value_leaf=_series_leaf(*tb)))
            return True
        s = strip(a)
        origin, args = typing.get_origin(s), typing.get_args(s)
        if origin is list and args and _models(args[0]):
            self.rows(path, _models(args[0]), parents, "rows")
            return True
        if origin is dict and len(args) == 2:
            key = leaf_of(args[0])
            if key.kind != "scalar":
                return False
            vb = traj_bounds(args[1])
            if vb:
                self.add(Table(path, "map_series", parents, key_leaf=key, value_leaf=_series_leaf(*vb)))
                return True
            if _models(args[1]):
                self.rows(path, _models(args[1]), parents, "models", key)
                return True
            val = leaf_of(args[1])
            if val.kind == "scalar":
                self.add(Table(path, "map", parents, key_leaf=key, value_leaf=val))
                return True
        return False

    def rows(self, path: str, models: tuple[type[BaseModel], ...], parents: tuple[str, ...], form: str,
             key: Leaf | None = None) -> None:
        t = self.add(Table(path, form, parents, key_leaf=key))
        keyed = form == "models" or "id" in fields_of(models)
        self.flatten(t, models, "", path, (*parents, path) if keyed else None)

    def flatten(self, t: Table, models: tuple[type[BaseModel], ...], prefix: str, path: str,
                child_parents: tuple[str, ...] | None) -> None:
        for k, f in fields_of(models).items():
            if typing.get_origin(strip(f.annotation)) is Literal:  # e.g. `kind`: the choices of every model
                opts = tuple(o for m in models if k in m.model_fields
                             for o in typing.get_args(strip(m.model_fields[k].annotation)))
                t.columns.append(Column(prefix + k, Leaf("scalar", tuple({type(o) for o in opts}),
                                                         tuple(dict.fromkeys(opts))), k))
                continue
            sub = _model(f.annotation)
            if sub is not None and not traj_bounds(f.annotation, f):
                self.flatten(t, (sub,), f"{prefix}{k}.", f"{path}.{k}", child_parents)
                continue
            if child_parents is not None and self.collection(f"{path}.{k}", f, child_parents):
                continue
            t.columns.append(Column(prefix + k, leaf_of(f.annotation, f), k, f))

    def fields(self, tid: str, model: type[BaseModel], prefix: str) -> None:
        """Key/value rows of a top-level model (nested models flattened); collections become tables."""
        t = self.tables.get(tid) or self.add(Table(tid, "fields", ()))
        for k, f in model.model_fields.items():
            path = prefix + k
            if self.collection(path, f, ()):
                continue
            sub = _model(f.annotation)
            if sub is not None:
                self.fields(tid, sub, path + ".")
                continue
            t.columns.append(Column(path, leaf_of(f.annotation, f), k, f))


ROOT_TABLE = "scenario"  # key/value rows of the scenario's top-level scalars


@cache
def _layout(model: type[BaseModel]) -> dict[str, Table]:
    w = Walker()
    w.add(Table(ROOT_TABLE, "fields", ()))
    for k, f in model.model_fields.items():
        if w.collection(k, f, ()):
            continue
        sub = _model(f.annotation)
        if sub is not None:
            w.fields(k, sub, k + ".")
        else:
            w.tables[ROOT_TABLE].columns.append(Column(k, leaf_of(f.annotation, f), k, f))
    return {k: t for k, t in w.tables.items() if t.form != "fields" or t.columns}


def layout() -> dict[str, Table]:
    """Tables of the scenario workbook, by id, in the order of the model's fields."""
    from ..scenario import scenario_model

    return _layout(scenario_model())
