"""The layers of ``game/`` and the direction of imports between them.

content -> engine -> analysis -> records -> reports -> views (ui, terminal play, commands). A module may
import its own layer and the layers below; only ``game/ui`` imports pygame; no two modules import each
other in a cycle (imports under ``if TYPE_CHECKING:`` do not run, so they are left out of the cycle check).
The checker works on source text, so the tests below can try it on planted violations.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"

RANK = {"shared": 0, "content": 1, "engine": 2, "analysis": 3, "records": 4, "reports": 5, "views": 6}
SHARED = {"game", "game.userdirs"}
VIEWS = ("game.ui", "game.commands", "game.textplay", "game.cli", "game.__main__")


def layer_of(module: str) -> str:
    if module in SHARED:
        return "shared"
    if module.startswith(VIEWS):
        return "views"
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in RANK:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: put it in a subpackage or list it in this test")


@dataclass(frozen=True)
class Import:
    target: str
    line: int
    typing_only: bool


def module_name(path: Path) -> str:
    rel = path.relative_to(GAME.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(source: str, module: str, known: set[str]) -> Iterator[Import]:
    """Every import of a ``game`` module or of pygame in ``source``, wherever it stands (functions too)."""
    tree = ast.parse(source)
    typing_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for inner in node.body:
                typing_lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    package = module if f"{module}.__init__" in known or module == "game" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            # `from game.x import y` may import the module game.x.y or a name of game.x
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for name in names:
            if name == "pygame" or (name.startswith(("pygame.", "game.", "game")) and name.split(".")[0] in (
                    "game", "pygame")):
                yield Import(name, node.lineno, node.lineno in typing_lines)


def all_modules() -> dict[str, str]:
    found = {module_name(p): p.read_text(encoding="utf-8") for p in GAME.rglob("*.py")}
    return found


def violations(modules: dict[str, str]) -> list[str]:
    """Imports that go up a layer, pygame outside ``game/ui``, and cycles; empty when the layers hold."""
    known = set(modules) | {f"{m}.__init__" for m in modules if _is_package(m, modules)}
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, source in modules.items():
        mine = layer_of(module)
        for imp in imports_of(source, module, known):
            if imp.target.split(".")[0] == "pygame":
                if not module.startswith("game.ui"):
                    problems.append(f"{module}:{imp.line}: imports pygame; only game/ui may")
                continue
            target = _resolve(imp.target, modules)
            if target is None or target == module:
                continue
            theirs = layer_of(target)
            if mine != "views" and RANK[theirs] > RANK[mine]:
                problems.append(f"{module}:{imp.line}: {mine} imports {target} ({theirs}), a higher layer")
            if not imp.typing_only:
                graph[module].add(target)
    problems.extend(_cycles(graph))
    return problems


def _is_package(module: str, modules: dict[str, str]) -> bool:
    return any(other.startswith(module + ".") for other in modules)


def _resolve(name: str, modules: dict[str, str]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """Modules that import each other, directly or round a loop (a package importing its own parent is
    not counted: Python runs ``game/x/__init__`` before any module under it)."""
    found: list[str] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if m.startswith(t + "."):
                continue
            if state.get(t) == 1:
                found.append("import cycle: " + " -> ".join([*stack[stack.index(t):], t]))
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def test_every_module_belongs_to_a_layer_and_imports_go_down_only() -> None:
    assert violations(all_modules()) == []


def test_the_top_of_game_holds_the_subpackages_and_few_modules() -> None:
    top = sorted(p.name for p in GAME.glob("*.py"))
    assert len(top) <= 8, top
    for layer in ("content", "engine", "analysis", "records", "reports", "ui", "commands"):
        init = GAME / layer / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), layer


@pytest.mark.parametrize(("module", "planted", "expected"), [
    ("game.content.format", "import pygame\n", "imports pygame"),
    ("game.engine.session", "from game.reports.debrief import build\n", "a higher layer"),
    ("game.content.loader", "from game.engine import rules\n", "a higher layer"),
    ("game.records.scorelog", "def f():\n    from game.ui.app import run_game\n", "a higher layer"),
    ("game.analysis.scoring", "from game.commands.common import open_library\n", "a higher layer"),
    ("game.engine.state", "from game.engine.session import Session\n", "import cycle"),
])
def test_the_checker_catches_a_planted_violation(module: str, planted: str, expected: str) -> None:
    modules = all_modules()
    modules[module] = planted + modules[module]
    assert any(expected in p and (module in p or "cycle" in p) for p in violations(modules)), violations(modules)


def test_imports_used_only_for_typing_are_no_cycle() -> None:
    modules = all_modules()
    modules["game.engine.state"] = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                    "    from game.engine.session import Session\n") + modules["game.engine.state"]
    assert violations(modules) == []
