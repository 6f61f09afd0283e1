"""The condition language: parsing, type checks, evaluation, and that nothing outside it ever runs."""

from __future__ import annotations

import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content import expr

VARS: dict[str, expr.Type] = {"agitation": "int", "trust": "int", "asked": "bool", "pushes": "int"}


class FakeState:
    def __init__(self, values: dict, visited: set[str] = frozenset(), chosen: set[str] = frozenset()):
        self.values = values
        self.visited = set(visited)
        self.chosen = set(chosen)


def holds(text: str, **values: int | bool) -> bool:
    tree = expr.parse(text)
    assert expr.check(tree, VARS) == "bool"
    base = {"agitation": 50, "trust": 50, "asked": False, "pushes": 0}
    return expr.evaluate(tree, FakeState({**base, **values}, {"threat"}, {"arrival.rush"}))


@pytest.mark.parametrize(("text", "values", "want"), [
    ("agitation >= 70", {"agitation": 70}, True),
    ("agitation >= 70", {"agitation": 69}, False),
    ("20 <= agitation < 70", {"agitation": 20}, True),
    ("20 <= agitation < 70", {"agitation": 70}, False),
    ("asked and trust > 40", {"asked": True, "trust": 41}, True),
    ("not asked or trust > 90", {"asked": True}, False),
    ("pushes + 1 < 3", {"pushes": 1}, True),
    ("pushes - 1 >= 1", {"pushes": 1}, False),
    ("visited(\"threat\") and not visited(\"calm\")", {}, True),
    ("chose(\"arrival.rush\")", {}, True),
    ("asked == false", {}, True),
    ("-trust < -40", {"trust": 50}, True),
])
def test_evaluation(text: str, values: dict, want: bool) -> None:
    assert holds(text, **values) is want


@pytest.mark.parametrize(("text", "code", "col"), [
    ("agitaton > 3", "CG022", 0),
    ("trust > 3 and foo", "CG022", 14),
    ("trust == true", "CG029", 9),
    ("asked < 3", "CG029", 8),
    ("not trust", "CG029", 4),
    ("__import__('os').system('x')", "CG023", 0),
    ("open('f')", "CG023", 0),
    ("trust.real > 1", "CG023", 0),
    ("[x for x in ()]", "CG023", 0),
    ("trust ** 2 > 1", "CG023", 0),
    ("lambda: 1", "CG023", 0),
    ("trust >", "CG023", 7),
    ("visited(trust)", "CG023", 0),
    ("", "CG023", 0),
])
def test_errors_point_at_the_fault(text: str, code: str, col: int) -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.check(expr.parse(text), VARS)
    assert info.value.code == code
    assert info.value.col == col


def test_unknown_variable_suggests_a_close_name() -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.check(expr.parse("agitaton > 3"), VARS)
    assert info.value.hint == "did you mean 'agitation'?"


def test_long_condition_is_refused() -> None:
    with pytest.raises(expr.ExprError, match="limit"):
        expr.parse("trust > 1 and " * 100 + "asked")


# --- properties -------------------------------------------------------------------------------

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
ints = st.one_of(
    st.integers(-1000, 1000).map(lambda n: (str(n) if n >= 0 else f"({n})", lambda v, n=n: n)),
    st.sampled_from(["agitation", "trust", "pushes"]).map(lambda name: (name, lambda v, name=name: v[name])),
)


def _arith(children):
    return st.tuples(children, st.sampled_from(["+", "-"]), children).map(
        lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                   lambda v, a=t[0][1], op=t[1], b=t[2][1]: a(v) + b(v) if op == "+" else a(v) - b(v)))


int_exprs = st.recursive(ints, _arith, max_leaves=6)
comparisons = st.tuples(int_exprs, st.sampled_from(sorted(_OPS)), int_exprs).map(
    lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}", lambda v, a=t[0][1], op=t[1], b=t[2][1]: _OPS[op](a(v), b(v))))
bool_atoms = st.one_of(comparisons, st.just(("asked", lambda v: v["asked"])),
                       st.sampled_from([("true", lambda v: True), ("false", lambda v: False)]))


def _bools(children):
    return st.one_of(
        children.map(lambda c: (f"not ({c[0]})", lambda v, f=c[1]: not f(v))),
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(
            lambda t: (f"({t[0][0]}) {t[1]} ({t[2][0]})",
                       lambda v, a=t[0][1], op=t[1], b=t[2][1]: (a(v) and b(v)) if op == "and" else (a(v) or b(v)))),
    )


bool_exprs = st.recursive(bool_atoms, _bools, max_leaves=8)
states = st.fixed_dictionaries({"agitation": st.integers(0, 100), "trust": st.integers(0, 100),
                                "pushes": st.integers(-5, 5), "asked": st.booleans()})


@settings(max_examples=300, deadline=None)
@given(bool_exprs, states)
def test_evaluation_matches_python_semantics(case, values) -> None:
    text, reference = case
    tree = expr.parse(text)
    assert expr.check(tree, VARS) == "bool"
    assert expr.evaluate(tree, FakeState(values)) == bool(reference(values))


@settings(max_examples=200, deadline=None)
@given(bool_exprs, states)
def test_canonical_text_round_trips(case, values) -> None:
    tree = expr.parse(case[0])
    again = expr.parse(expr.to_text(tree))
    assert expr.evaluate(again, FakeState(values)) == expr.evaluate(tree, FakeState(values))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        tree = expr.parse(text)
        expr.check(tree, VARS)
    except expr.ExprError as exc:
        assert exc.code.startswith("CG")
        assert 0 <= exc.col <= len(text) + 1


@settings(max_examples=300, deadline=None)
@given(bool_exprs, states)
def test_compiled_conditions_agree_with_the_tree_walk(case, values) -> None:
    tree = expr.parse(case[0])
    state = FakeState(values, {"threat"})
    assert expr.Condition(case[0], tree).holds(state) == bool(expr.evaluate(tree, state))
