"""What every lint pass works from: the loaded scenario, its YAML marks, and the explored state space.

Passes run outside the engine, like Ren'Py's lint: they read the scenario and the state graph that
:mod:`game.analysis.statespace` explores (the same rules the game plays by) and report :class:`Diagnostic`s at
the line and column of what they are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from yaml.nodes import MappingNode, Node, SequenceNode

from game.analysis.lint.space import Space, explore_space
from game.analysis.statespace import DEFAULT_MAX_STATES
from game.content.codes import CODES
from game.content.diagnostics import Diagnostic
from game.content.format import Choice, Rubric, Scenario, TimeLimit
from game.content.yamlsrc import PathKey, YamlSource


@dataclass
class LintContext:
    scenario: Scenario
    src: YamlSource
    rubric: Rubric
    max_states: int = DEFAULT_MAX_STATES
    findings: list[Diagnostic] = field(default_factory=list)
    space_error: str | None = None
    """Why the state space could not be explored (too many states, or an automatic-branch loop)."""

    def warn(self, code: str, message: str, loc: PathKey, *, key: bool = False, hint: str = "") -> None:
        """Record a finding of ``code`` at the value (or key) at ``loc``, with its severity from the catalogue."""
        line, col = self.src.locate(loc, key=key)
        end = _end(self.src, loc, key=key)
        self.findings.append(Diagnostic(self.src.display, line, col, code, message, CODES[code].severity, hint,
                                        end[0] if end else None, end[1] if end else None))

    def steps(self) -> list[tuple[str, Choice | TimeLimit, tuple]]:
        """Every choice and time-out, with how a finding names it and where it is written."""
        out: list[tuple[str, Choice | TimeLimit, tuple]] = []
        for name, node in self.scenario.nodes.items():
            out += [(f"choice '{c.qid}'", c, ("nodes", name, "choices", k)) for k, c in enumerate(node.choices)]
            if node.time_limit is not None:
                out.append((f"the time-out of '{name}'", node.time_limit, ("nodes", name, "time_limit")))
        return out

    @cached_property
    def space(self) -> Space | None:
        """The explored state space, or None when it could not be explored (see :attr:`space_error`)."""
        result = explore_space(self.scenario, self.max_states)
        if isinstance(result, str):
            self.space_error = result
            return None
        return result


def _end(src: YamlSource, loc: PathKey, *, key: bool) -> tuple[int, int] | None:
    """Line and column just past the value at ``loc`` (its key when ``key``), for editors' ranges."""
    node: Node | None = src.root
    mark_node = node
    for part in loc:
        if isinstance(node, MappingNode):
            found = next(((k, v) for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if found is None:
                return None
            mark_node = found[0] if key and part == loc[-1] else found[1]
            node = found[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = mark_node = node.value[part]
        else:
            return None
    if mark_node is None:
        return None
    mark = mark_node.end_mark
    return (mark.line + 1, mark.column + 1)
