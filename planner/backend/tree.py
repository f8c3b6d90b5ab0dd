"""A two-stage scenario tree as one model: one copy of a scenario's model per branch, the investment decisions
before the split year shared (non-anticipativity), and a risk objective over the branches' NPVs
(docs/robust.md; the components are named `tree.<name>` in docs/model.md §16).

Each branch is a `BuiltModel` built as usual (builder.py) and then nested as block `branch_<k>` of a parent
model; its own objective is deactivated and its `m.npv` read by the tree objective. Only the backend
imports Pyomo: the study (planner/studies/robust/) passes built branches and reads values back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from .builder import BuiltModel
from .resolve import plan_by_name
from .solve import StartPlans

# measure-block variables indexed by build year: the investment decisions (AssetModel, storage power)
DECISION_COMPONENTS = ("build", "size", "power_built")


def decisions(built: BuiltModel, before: int) -> dict[tuple[str, str, int], object]:
    """The investment decision variables of a model with a build year before `before`, keyed by (measure id,
    component, year); `before` beyond the horizon gives every decision."""
    out = {}
    for mm in built.measures:
        for name in DECISION_COMPONENTS:
            var = getattr(mm.block, name, None)
            if not isinstance(var, pyo.Var):
                continue
            for t in var:
                if t < before:
                    out[(mm.id, name, t)] = var[t]
    return out


def fix_decisions(built: BuiltModel, before: int, values: dict[tuple[str, str, int], float]) -> None:
    """Fix a model's decisions before `before` at `values` (a decision missing from it at 0)."""
    for key, var in decisions(built, before).items():
        x = values.get(key, 0.0)
        if var.is_binary():
            x = round(x)
        else:  # the solver's value within its tolerance, put back within the variable's bounds
            x = min(max(x, var.lb if var.lb is not None else x), var.ub if var.ub is not None else x)
        var.fix(x)


@dataclass
class TreeModel:
    """The parent model, its branches (nested as blocks) and their probabilities."""

    m: pyo.ConcreteModel
    branches: list[BuiltModel]
    probabilities: list[float]
    split_year: int

    def as_built(self) -> BuiltModel:
        """The parent model wrapped for `solve.solve` (which reads only `m`, `elastic` and the sites)."""
        b0 = self.branches[0]
        return BuiltModel(self.m, b0.inp, b0.core, b0.ledger, [], [], False)

    def npv(self, k: int) -> float:
        """NPV of branch k in the loaded plan, MCNY."""
        return float(pyo.value(self.branches[k].m.npv))

    def shared(self, k: int = 0) -> dict[tuple[str, str, int], float]:
        """Values of the shared (first-stage) decisions in branch k."""
        return {key: float(pyo.value(v)) for key, v in decisions(self.branches[k], self.split_year).items()}

    def start(self, plans: list[dict[str, float]]) -> StartPlans:
        """A MIP start of the tree from one plan per branch, by the variable names of the branch's own model
        (e.g. the expected-value plan completed in every branch, solved alone: feasible for the tree, since
        its shared decisions are equal)."""
        merged = {f"{b.m.local_name}.{name}": x for b, plan in zip(self.branches, plans, strict=True)
                  for name, x in plan.items()}
        return StartPlans.of(self.m, [merged])

    def current(self) -> StartPlans:
        """The plan loaded in the tree as a MIP start of the tree."""
        return StartPlans.of(self.m, [plan_by_name(self.as_built())])

    def set_objective(self, kind: str, cvar_weight: float = 0.5, cvar_alpha: float = 0.9,
                      own_npv: list[float] | None = None, regret_cap: float | None = None) -> None:
        """Objective `expected` (E[NPV]), `cvar` ((1 - weight) E[NPV] + weight CVaR_alpha[NPV]) or `regret`
        (the largest regret NPV_k - own_npv[k]); `regret_cap` bounds that regret (a lexicographic second
        pass minimises E[NPV] under it)."""
        t = self.m.tree
        for name in ("objective", "regret_max", "regret_def", "regret_cap", "var_level", "excess", "excess_def",
                     "cvar"):
            if hasattr(t, name):
                t.del_component(name)
        p = self.probabilities
        ks = range(len(self.branches))
        if kind in ("regret",) or regret_cap is not None:
            if own_npv is None:
                raise ValueError("minimax regret needs each branch's own optimum")
            t.regret_max = pyo.Var(doc="largest regret over the branches, MCNY")
            t.regret_def = pyo.Constraint(ks, rule=lambda _, k: t.regret_max >= self.branches[k].m.npv - own_npv[k])
        if regret_cap is not None:
            t.regret_cap = pyo.Constraint(expr=t.regret_max <= regret_cap)
        if kind == "cvar":
            t.var_level = pyo.Var(doc="value at risk of the NPV (CVaR's threshold), MCNY")
            t.excess = pyo.Var(ks, domain=pyo.NonNegativeReals, doc="NPV of branch k above var_level, MCNY")
            t.excess_def = pyo.Constraint(ks, rule=lambda _, k: t.excess[k] >= self.branches[k].m.npv - t.var_level)
            t.cvar = pyo.Expression(expr=t.var_level + sum(p[k] * t.excess[k] for k in ks) / (1.0 - cvar_alpha))
            expr = (1.0 - cvar_weight) * t.expected_npv + cvar_weight * t.cvar
        elif kind == "regret" and regret_cap is None:
            expr = t.regret_max
        else:
            expr = t.expected_npv
        t.objective = pyo.Objective(expr=expr, sense=pyo.minimize)


def build_tree(branches: list[BuiltModel], probabilities: list[float], split_year: int) -> TreeModel:
    """Nest the branch models in one parent, share their decisions before `split_year` and minimise the
    expected NPV (change it with `TreeModel.set_objective`). Every branch must have the same measures."""
    m = pyo.ConcreteModel(name="tree")
    for k, b in enumerate(branches):
        b.m.objective.deactivate()
        m.add_component(f"branch_{k}", b.m)
    t = pyo.Block(concrete=True)
    m.add_component("tree", t)
    first = decisions(branches[0], split_year)
    keys = sorted(first)
    t.decisions = pyo.Set(initialize=keys, dimen=3, ordered=True, doc="shared decisions (measure, component, year)")
    t.branches = pyo.Set(initialize=range(1, len(branches)), ordered=True)
    others = [decisions(b, split_year) for b in branches]
    for k, d in enumerate(others[1:], start=1):
        if sorted(d) != keys:
            raise ValueError(f"branch {k} has other investment decisions than branch 0")
    t.nonanticipativity = pyo.Constraint(t.branches, t.decisions, rule=lambda _, k, *key: (
        others[k][key] == first[key]))
    t.expected_npv = pyo.Expression(expr=sum(p * b.m.npv for p, b in zip(probabilities, branches, strict=True)))
    tree = TreeModel(m, branches, list(probabilities), split_year)
    tree.set_objective("expected")
    return tree


__all__ = ["DECISION_COMPONENTS", "TreeModel", "build_tree", "decisions", "fix_decisions"]
