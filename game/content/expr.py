"""The condition language: a small, typed expression language over a scenario's state.

Examples: ``agitation >= 70 and not visited("threat")``, ``trust > 40 or asked_name``,
``warnings + 1 < 3``, ``chose("arrival.rush")``.

Text is parsed with Python's own parser (``ast.parse`` in expression mode, which runs nothing) and
then only a short whitelist of node kinds is accepted and turned into our own tiny tree. That tree is
type-checked against the scenario's declared variables at load time and evaluated by walking it:
there is no ``eval`` or ``exec`` anywhere.
"""

from __future__ import annotations

import ast
import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

MAX_LENGTH = 500
"""Longest condition accepted; a condition that long is unreadable and better split into branches."""

Type = Literal["int", "bool", "str"]
FUNCTIONS: dict[str, tuple[str, Type]] = {
    "visited": ("node", "bool"),
    "chose": ("choice", "bool"),
}
"""Built-in functions: name -> (what the one string argument names, result type)."""


class ExprError(ValueError):
    """A condition that cannot be parsed or does not type-check. ``col`` is 0-based in the text."""

    def __init__(self, message: str, col: int = 0, *, code: str = "CG023", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.col = col
        self.code = code
        self.hint = hint


class StateView(Protocol):
    """What evaluation reads: variable values, visited nodes and chosen choice ids."""

    values: Mapping[str, int | bool]
    visited: set[str] | frozenset[str]
    chosen: set[str] | frozenset[str]


# --- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: int | bool | str
    col: int


@dataclass(frozen=True)
class Var:
    name: str
    col: int


@dataclass(frozen=True)
class Call:
    func: str
    arg: str
    col: int


@dataclass(frozen=True)
class Not:
    operand: Node
    col: int


@dataclass(frozen=True)
class Neg:
    operand: Node
    col: int


@dataclass(frozen=True)
class BoolOp:
    op: Literal["and", "or"]
    operands: tuple[Node, ...]
    col: int


@dataclass(frozen=True)
class Arith:
    op: Literal["+", "-"]
    left: Node
    right: Node
    col: int


@dataclass(frozen=True)
class Compare:
    """A comparison chain such as ``20 <= agitation < 70``."""

    left: Node
    ops: tuple[str, ...]
    rights: tuple[Node, ...]
    col: int


Node = Const | Var | Call | Not | Neg | BoolOp | Arith | Compare

_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_CMP_FUNCS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_LITERAL_NAMES = {"true": True, "false": False, "True": True, "False": False}


# --- parsing ----------------------------------------------------------------------------------


def parse(text: str) -> Node:
    """Parse condition text into a tree, or raise :class:`ExprError` pointing at the fault."""
    if not isinstance(text, str):
        raise ExprError("a condition must be text")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"condition is {len(text)} characters; the limit is {MAX_LENGTH}",
                        hint="split it into several automatic branches")
    stripped = text.strip()
    if not stripped:
        raise ExprError("the condition is empty")
    if "\n" in stripped:
        raise ExprError("a condition must fit on one line")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        lead = len(text) - len(text.lstrip())
        col = lead + (exc.offset - 1 if exc.offset else len(stripped))  # offset 0 means an unexpected end
        raise ExprError(f"not a valid condition: {exc.msg}", col,
                        hint="write conditions like: agitation >= 70 and not visited(\"threat\")") from None
    offset = len(text) - len(text.lstrip())
    return _convert(tree.body, offset)


def _convert(node: ast.AST, offset: int) -> Node:
    col = getattr(node, "col_offset", 0) + offset
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, str)):
            return Const(node.value, col)
        raise ExprError(f"'{node.value!r}' is not allowed: only whole numbers, true/false and quoted ids", col)
    if isinstance(node, ast.Name):
        if node.id in _LITERAL_NAMES:
            return Const(_LITERAL_NAMES[node.id], col)
        return Var(node.id, col)
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return BoolOp(op, tuple(_convert(v, offset) for v in node.values), col)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return Not(_convert(node.operand, offset), col)
        if isinstance(node.op, ast.USub):
            inner = _convert(node.operand, offset)
            if isinstance(inner, Const) and type(inner.value) is int:
                return Const(-inner.value, col)
            return Neg(inner, col)
        if isinstance(node.op, ast.UAdd):
            return _convert(node.operand, offset)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        op = "+" if isinstance(node.op, ast.Add) else "-"
        return Arith(op, _convert(node.left, offset), _convert(node.right, offset), col)
    if isinstance(node, ast.Compare):
        ops = []
        for o in node.ops:
            if type(o) not in _CMP:
                raise ExprError("only ==, !=, <, <=, > and >= compare values", col)
            ops.append(_CMP[type(o)])
        return Compare(_convert(node.left, offset), tuple(ops),
                       tuple(_convert(c, offset) for c in node.comparators), col)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else "this"
            known = ", ".join(f"{f}(\"id\")" for f in FUNCTIONS)
            raise ExprError(f"unknown function '{name}'", col, hint=f"the functions are {known}")
        if node.keywords or len(node.args) != 1 or not (
            isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            raise ExprError(f"{node.func.id}() takes one quoted id, as in {node.func.id}(\"arrival\")", col)
        return Call(node.func.id, node.args[0].value, col)
    if isinstance(node, ast.BinOp):
        raise ExprError("only + and - are allowed in arithmetic", col)
    raise ExprError(f"'{type(node).__name__}' is not part of the condition language", col,
                    hint="use variables, numbers, true/false, comparisons, and/or/not, + and -, visited() and chose()")


# --- checking ---------------------------------------------------------------------------------


def check(tree: Node, variables: Mapping[str, Type]) -> Type:
    """Type-check against the declared variables; return the result type or raise :class:`ExprError`."""
    if isinstance(tree, Const):
        return "bool" if isinstance(tree.value, bool) else "int" if isinstance(tree.value, int) else "str"
    if isinstance(tree, Var):
        if tree.name not in variables:
            from difflib import get_close_matches

            close = get_close_matches(tree.name, list(variables), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "declare it under meters:, flags: or counters:"
            raise ExprError(f"unknown variable '{tree.name}'", tree.col, code="CG022", hint=hint)
        return variables[tree.name]
    if isinstance(tree, Call):
        return FUNCTIONS[tree.func][1]
    if isinstance(tree, Not):
        _expect(tree.operand, variables, "bool", "'not' needs a true/false value")
        return "bool"
    if isinstance(tree, Neg):
        _expect(tree.operand, variables, "int", "'-' needs a number")
        return "int"
    if isinstance(tree, BoolOp):
        for operand in tree.operands:
            _expect(operand, variables, "bool", f"'{tree.op}' joins true/false values")
        return "bool"
    if isinstance(tree, Arith):
        _expect(tree.left, variables, "int", f"'{tree.op}' needs numbers")
        _expect(tree.right, variables, "int", f"'{tree.op}' needs numbers")
        return "int"
    if isinstance(tree, Compare):
        operands = (tree.left, *tree.rights)
        types = [check(o, variables) for o in operands]
        for op, (a, b), node in zip(tree.ops, itertools.pairwise(types), tree.rights):
            if a != b:
                raise ExprError(f"cannot compare {_kind(a)} with {_kind(b)}", node.col, code="CG029")
            if op not in ("==", "!=") and a != "int":
                raise ExprError(f"'{op}' compares numbers, not {_kind(a)}s", node.col, code="CG029")
        return "bool"
    raise AssertionError(tree)  # pragma: no cover


def _expect(tree: Node, variables: Mapping[str, Type], wanted: Type, message: str) -> None:
    got = check(tree, variables)
    if got != wanted:
        raise ExprError(f"{message}; this is {_kind(got)}", tree.col, code="CG029")


def _kind(t: Type) -> str:
    return {"int": "a number", "bool": "a true/false value", "str": "text"}[t]


def references(tree: Node) -> list[Node]:
    """Every Var and Call in the tree, for reference checks and lint."""
    out: list[Node] = []
    stack: list[Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (Var, Call)):
            out.append(node)
        elif isinstance(node, (Not, Neg)):
            stack.append(node.operand)
        elif isinstance(node, BoolOp):
            stack.extend(node.operands)
        elif isinstance(node, Arith):
            stack.extend((node.left, node.right))
        elif isinstance(node, Compare):
            stack.extend((node.left, *node.rights))
    return out


# --- evaluation -------------------------------------------------------------------------------


def evaluate(tree: Node, state: StateView) -> Any:
    """Walk the tree against a state. Assumes :func:`check` passed."""
    if isinstance(tree, Const):
        return tree.value
    if isinstance(tree, Var):
        return state.values[tree.name]
    if isinstance(tree, Compare):
        left = evaluate(tree.left, state)
        for op, right_node in zip(tree.ops, tree.rights):
            right = evaluate(right_node, state)
            if not _CMP_FUNCS[op](left, right):
                return False
            left = right
        return True
    if isinstance(tree, BoolOp):
        if tree.op == "and":
            return all(evaluate(o, state) for o in tree.operands)
        return any(evaluate(o, state) for o in tree.operands)
    if isinstance(tree, Not):
        return not evaluate(tree.operand, state)
    if isinstance(tree, Call):
        return tree.arg in (state.visited if tree.func == "visited" else state.chosen)
    if isinstance(tree, Arith):
        left, right = evaluate(tree.left, state), evaluate(tree.right, state)
        return left + right if tree.op == "+" else left - right
    if isinstance(tree, Neg):
        return -evaluate(tree.operand, state)
    raise AssertionError(tree)  # pragma: no cover


def to_text(tree: Node) -> str:
    """Canonical text of a tree (fully parenthesised where needed); parses back to the same tree shape."""
    if isinstance(tree, Const):
        if isinstance(tree.value, bool):
            return "true" if tree.value else "false"
        if isinstance(tree.value, str):
            return f'"{tree.value}"'
        return str(tree.value) if tree.value >= 0 else f"({tree.value})"
    if isinstance(tree, Var):
        return tree.name
    if isinstance(tree, Call):
        return f'{tree.func}("{tree.arg}")'
    if isinstance(tree, Not):
        return f"not ({to_text(tree.operand)})"
    if isinstance(tree, Neg):
        return f"-({to_text(tree.operand)})"
    if isinstance(tree, BoolOp):
        return f" {tree.op} ".join(f"({to_text(o)})" for o in tree.operands)
    if isinstance(tree, Arith):
        return f"({to_text(tree.left)}) {tree.op} ({to_text(tree.right)})"
    if isinstance(tree, Compare):
        parts = [f"({to_text(tree.left)})"]
        for op, r in zip(tree.ops, tree.rights):
            parts.append(f"{op} ({to_text(r)})")
        return " ".join(parts)
    raise AssertionError(tree)  # pragma: no cover


def compile_tree(tree: Node) -> Callable[[StateView], Any]:
    """Turn a checked tree into nested closures: the same result as :func:`evaluate`, several times faster.

    Exploration evaluates conditions millions of times; closures skip the per-node type dispatch.
    """
    if isinstance(tree, Const):
        value = tree.value
        return lambda s: value
    if isinstance(tree, Var):
        name = tree.name
        return lambda s: s.values[name]
    if isinstance(tree, Call):
        arg = tree.arg
        if tree.func == "visited":
            return lambda s: arg in s.visited
        return lambda s: arg in s.chosen
    if isinstance(tree, Not):
        inner = compile_tree(tree.operand)
        return lambda s: not inner(s)
    if isinstance(tree, Neg):
        inner = compile_tree(tree.operand)
        return lambda s: -inner(s)
    if isinstance(tree, BoolOp):
        parts = [compile_tree(o) for o in tree.operands]
        if tree.op == "and":
            return lambda s: all(p(s) for p in parts)
        return lambda s: any(p(s) for p in parts)
    if isinstance(tree, Arith):
        left, right = compile_tree(tree.left), compile_tree(tree.right)
        if tree.op == "+":
            return lambda s: left(s) + right(s)
        return lambda s: left(s) - right(s)
    if isinstance(tree, Compare):
        first = compile_tree(tree.left)
        if len(tree.ops) == 1:
            cmp, right = _CMP_FUNCS[tree.ops[0]], compile_tree(tree.rights[0])
            return lambda s: cmp(first(s), right(s))
        chain = [(_CMP_FUNCS[op], compile_tree(r)) for op, r in zip(tree.ops, tree.rights)]

        def compare(s: StateView) -> bool:
            left = first(s)
            for cmp, right in chain:
                value = right(s)
                if not cmp(left, value):
                    return False
                left = value
            return True

        return compare
    raise AssertionError(tree)  # pragma: no cover


@dataclass(frozen=True)
class Condition:
    """A parsed, checked condition as the engine holds it."""

    source: str
    tree: Node
    _fn: Callable[[StateView], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fn", compile_tree(self.tree))

    def holds(self, state: StateView) -> bool:
        return bool(self._fn(state))

    def __str__(self) -> str:
        return self.source
