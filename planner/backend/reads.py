"""What a built model reads: the mutable parameter entries its constraints, objective and variable bounds
use, and whether new inputs would change any of them (a sweep's check that a parameter changes the model,
planner/studies/sweep/effects.py); and the other way, reading a solved model's values fast for the results
stage (`reader`, `LedgerValues`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyomo.environ as pyo
from pyomo.common.numeric_types import native_numeric_types
from pyomo.core.expr import numeric_expr as ne
from pyomo.core.expr.visitor import identify_mutable_parameters

if TYPE_CHECKING:  # the results stage imports this module: not the builder's and solver's imports (highspy, scipy)
    from ..preprocess.inputs import ModelInputs
    from ..preprocess.targets import TargetYear
    from .builder import BuiltModel


def read_parameters(m: pyo.ConcreteModel) -> list:
    """The mutable parameter entries an active constraint, the objective or a variable bound reads."""
    found: dict[int, object] = {}
    exprs = [c.expr for c in m.component_data_objects(pyo.Constraint, active=True)]
    exprs += [o.expr for o in m.component_data_objects(pyo.Objective, active=True)]
    for v in m.component_data_objects(pyo.Var):
        exprs += [b for b in (v._lb, v._ub) if b is not None and type(b) not in (int, float)]
    for e in exprs:
        for p in identify_mutable_parameters(e):
            found[id(p)] = p
    return list(found.values())


def model_difference(built: BuiltModel, params: list, inp: ModelInputs, rows: list[TargetYear]) -> str:
    """What differs between `built` and the model `inp`/`rows` give: a structural change, new discount
    factors or the first read parameter entry (`params`: read_parameters) whose value changes; '' when
    nothing does. `built` is left as it was."""
    from .resolve import structural_change, update_in_place

    reason = structural_change(built, inp, rows)
    if reason is not None:
        return reason
    old, old_rows = built.inp, built.targets
    if inp.discount != old.discount:
        return "discount factors"
    before = [p.value for p in params]
    update_in_place(built, inp, rows)
    try:
        changed = next((p for p, x in zip(params, before, strict=True) if p.value != x), None)
    finally:
        update_in_place(built, old, old_rows)
    return "" if changed is None else changed.name


# how a node class is evaluated: a number, a leaf (variable, parameter: its value), a named expression
# (memoised), or one of the operations below, each exactly as the class's own `_apply_operation` does it
_NATIVE, _LEAF, _NAMED, _PRODUCT, _SUM, _DIVISION, _NEGATION, _OTHER = range(8)
_OPERATIONS = ((ne.ProductExpression._apply_operation, _PRODUCT), (ne.SumExpression._apply_operation, _SUM),
               (ne.DivisionExpression._apply_operation, _DIVISION),
               (ne.NegationExpression._apply_operation, _NEGATION))
_KIND: dict[type, int] = {}


def _kind(e: object) -> int:
    cls = e.__class__
    if cls in native_numeric_types:
        kind = _NATIVE
    elif not e.is_expression_type():
        kind = _LEAF
    elif e.is_named_expression_type():
        kind = _NAMED
    else:
        op = cls._apply_operation
        kind = next((k for f, k in _OPERATIONS if op is f), _OTHER)
    _KIND[cls] = kind
    return kind


def reader(b: BuiltModel) -> Callable[[object], float]:
    """A function giving exactly the float `b.value(x)` gives (the same operations in the same order, so the
    same bits), about twice as fast: each node class is classified once, not asked per node, and the
    children of products and sums are read in place. Inside `b.evaluation()` it shares b's memo of named
    expressions; outside, it keeps its own for its lifetime (the values must not change meanwhile)."""
    memo = b._memo if b._memo is not None else {}
    kinds, numbers = _KIND, (int, float)

    def ev(e):
        k = kinds.get(e.__class__)
        if k is None:
            k = _kind(e)
        if k == _NAMED:
            key = id(e)
            x = memo.get(key)
            if x is None:
                x = memo[key] = ev(e.expr)
            return x
        if k == _PRODUCT:  # the commonest node (monomials): its children read here when simple
            a, c = e._args_
            ka, kc = kinds.get(a.__class__), kinds.get(c.__class__)
            x = a if ka == _NATIVE else a.value if ka == _LEAF else ev(a)
            return x * (c if kc == _NATIVE else c.value if kc == _LEAF else ev(c))
        if k == _LEAF:
            return e.value
        if k == _NATIVE:
            return e
        if k == _SUM:  # sums of monomials and named products (fixed O&M windows): those children read here
            vals = []
            for a in e.args:
                ka = kinds.get(a.__class__)
                if ka == _PRODUCT:
                    u, r = a._args_
                    ku, kr = kinds.get(u.__class__), kinds.get(r.__class__)
                    x = u if ku == _NATIVE else u.value if ku == _LEAF else ev(u)
                    if kr == _NAMED:  # a named expression read before (a capex in a fixed O&M window)
                        y = memo.get(id(r))
                        vals.append(x * (ev(r) if y is None else y))
                    else:
                        vals.append(x * (r if kr == _NATIVE else r.value if kr == _LEAF else ev(r)))
                else:
                    vals.append(a.value if ka == _LEAF else ev(a))
            if not vals:
                return 0
            it = iter(vals)
            return sum(it, start=next(it))
        if k == _DIVISION:
            a, c = e._args_
            return ev(a) / ev(c)
        if k == _NEGATION:
            return -ev(e._args_[0])
        return e._apply_operation([ev(a) for a in e.args])

    def value(x) -> float:
        if isinstance(x, numbers):
            return float(x)
        return float(ev(x))

    return value


class LedgerValues:
    """A solved model's values read once for the results stage: `value(x)` (the float `b.value(x)` gives, via
    `reader`), each ledger's terms evaluated once (`terms`), the ledger totals from them (`total`) and whole
    indexed components (`indexed`)."""

    def __init__(self, b: BuiltModel):
        self.b = b
        self.value = reader(b)
        self._terms: dict[str, list[tuple]] = {}
        self._items: dict[str, list[tuple]] = {}
        self._totals: dict[str, dict] = {}
        self._indexed: dict[int, dict] = {}

    def indexed(self, component) -> dict:
        """{index: value} of every entry of an indexed variable, parameter or expression (read once)."""
        key = id(component)
        if key not in self._indexed:
            self._indexed[key] = {k: self.value(x) for k, x in component.items()}
        return self._indexed[key]

    def terms(self, ledger: str) -> list[tuple]:
        """(key, time, measure, value) of every term of a ledger, in the order of `Ledger.items`."""
        if ledger not in self._terms:
            value = self.value
            self._items[ledger] = items = list(self.b.ledger.items(ledger))
            self._terms[ledger] = [(key, time, mid, value(e)) for key, time, mid, e in items]
        return self._terms[ledger]

    def total(self, ledger: str, key, time) -> float:
        """Exactly `b.value(b.ledger.total(ledger, key, time))`. Where every term is a variable or a product
        (a monomial), the sum Pyomo builds is the terms in order, its value their sum from the first term
        on (SumExpression): so it is that sum of the values read once. Where a term is a number or a sum
        (which Pyomo would merge into the total, adding in another order), the total is built and read."""
        if ledger not in self._totals:
            self._add_up(ledger)
        x = self._totals[ledger].get((key, time), 0.0)
        return self.value(self.b.ledger.total(ledger, key, time)) if x is None else x

    def _add_up(self, ledger: str) -> None:
        groups: dict[tuple, list] = {}
        values = self.terms(ledger)
        for (key, time, _mid, e), (*_, x) in zip(self._items[ledger], values, strict=True):
            plain = e.__class__ not in native_numeric_types and not isinstance(e, ne.SumExpression)
            groups.setdefault((key, time), []).append(x if plain else None)
        totals = {}
        for k, xs in groups.items():
            if None in xs:
                totals[k] = None
                continue
            t = xs[0]
            for x in xs[1:]:
                t += x
            totals[k] = t
        self._totals[ledger] = totals
