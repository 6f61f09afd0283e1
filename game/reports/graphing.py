"""The branching graph of a scenario for authors, as Mermaid or Graphviz DOT text.

Nodes are the scenario's nodes and endings; edges are its choices, time-outs and automatic branches,
labelled with the choice text and its condition. Endings are coloured by outcome (and name it, so
colour is never the only cue), and the best path (the exemplar: the best option at every decision)
is drawn thick. Every label is escaped for its format: content is text, never markup.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from game.analysis import exemplar, statespace
from game.content.format import Scenario
from game.engine import rules
from game.engine.state import State

OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    # outcome -> (fill, border); good outcomes green, neutral grey/amber, coercive orange, harmful red
    "resolved": ("#c8e6c9", "#2e7d32"), "voluntary_help": ("#c8e6c9", "#2e7d32"), "referral": ("#dcedc8", "#558b2f"),
    "warning": ("#fff9c4", "#f9a825"), "citation": ("#fff9c4", "#f9a825"), "disengaged": ("#eeeeee", "#616161"),
    "arrest": ("#ffe0b2", "#e65100"), "involuntary_hold": ("#ffe0b2", "#e65100"),
    "complaint": ("#ffcdd2", "#c62828"), "use_of_force": ("#ffcdd2", "#c62828"), "injury": ("#ffcdd2", "#c62828"),
}
BEST = "#1565c0"
LABEL_WIDTH = 36


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    kind: str
    """``choice``, ``timeout`` or ``branch``."""
    key: str
    """The step id (``node.choice``, ``node.timeout``) or ``node.branch.N`` for the N-th branch (1-based)."""
    text: str
    condition: str | None


def edges(scenario: Scenario) -> list[GraphEdge]:
    out: list[GraphEdge] = []
    for name, node in scenario.nodes.items():
        for k, b in enumerate(node.branches, 1):
            out.append(GraphEdge(name, b.goto, "branch", f"{name}.branch.{k}", "", b.when))
        for c in node.choices:
            out.append(GraphEdge(name, c.goto, "choice", c.qid, c.text, c.when))
        if node.time_limit is not None:
            tl = node.time_limit
            out.append(GraphEdge(name, tl.goto, "timeout", f"{name}.timeout", f"{tl.seconds:g} s: {tl.text}", None))
    return out


def best_path_edges(scenario: Scenario, *, max_states: int = statespace.DEFAULT_MAX_STATES) -> set[str]:
    """Keys of the edges the best path takes (the first variant's, if any), automatic branches included.

    ``max_states`` is kept for callers; the exemplar follows one path and explores nothing.
    """
    variant = next(iter(scenario.variants), None)
    path = exemplar.best_path(scenario, variant).path
    state = State.initial(scenario, variant)
    keys = _branch_keys(scenario, rules.enter(scenario, state, scenario.start))
    for step_id in path:
        node = scenario.nodes[state.node]
        step = node.time_limit if step_id == f"{state.node}.timeout" else next(
            c for c in node.choices if c.qid == step_id)
        assert step is not None
        keys.add(step_id)
        keys |= _branch_keys(scenario, rules.take(scenario, state, step)[1])
    return keys


def _branch_keys(scenario: Scenario, routes: list[rules.RouteTaken]) -> set[str]:
    keys = set()
    for r in routes:
        for k, b in enumerate(scenario.nodes[r.origin].branches, 1):
            if b.goto == r.target and b.when == r.condition:
                keys.add(f"{r.origin}.branch.{k}")
                break
    return keys


def edge_label(e: GraphEdge) -> str:
    if e.kind == "branch":
        return f"auto: if {e.condition}" if e.condition else "auto: otherwise"
    text = textwrap.shorten(e.text, 90, placeholder="…")
    label = ("time-out " if e.kind == "timeout" else "") + text
    return label + (f"\n[if {e.condition}]" if e.condition else "")


def _wrap(text: str) -> list[str]:
    return [ln for part in text.split("\n") for ln in (textwrap.wrap(part, LABEL_WIDTH) or [""])]


def _ending_label(scenario: Scenario, name: str) -> list[str]:
    ending = scenario.endings[name]
    return [*_wrap(ending.title), f"({ending.outcome.replace('_', ' ')})"]


# --- Mermaid ----------------------------------------------------------------------------------

_MERMAID_ESCAPES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "|": "#124;"}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label (entity codes, so nothing is read as markup)."""
    return "".join(_MERMAID_ESCAPES.get(ch, ch) for ch in text)


def to_mermaid(scenario: Scenario, best: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    ids = {name: f"n{i}" for i, name in enumerate([*scenario.nodes, *scenario.endings])}
    lines = ["flowchart TD"]
    for name in scenario.nodes:
        label = "<br/>".join(mermaid_text(x) for x in _wrap(name))
        lines.append(f'  {ids[name]}["{label}"]')
    for name in scenario.endings:
        label = "<br/>".join(mermaid_text(x) for x in _ending_label(scenario, name))
        lines.append(f'  {ids[name]}(["{label}"])')
    best_links = []
    for i, e in enumerate(edges(scenario)):
        arrow = "-.->" if e.kind == "branch" else "==>" if e.kind == "timeout" else "-->"
        label = "<br/>".join(mermaid_text(x) for x in _wrap(edge_label(e)))
        lines.append(f'  {ids[e.source]} {arrow}|"{label}"| {ids[e.target]}')
        if e.key in best:
            best_links.append(str(i))
    for outcome, (fill, stroke) in OUTCOME_COLOURS.items():
        members = [ids[n] for n, end in scenario.endings.items() if end.outcome == outcome]
        if members:
            lines.append(f"  classDef {outcome} fill:{fill},stroke:{stroke},stroke-width:2px,color:#000")
            lines.append(f"  class {','.join(members)} {outcome}")
    lines.append(f"  classDef start stroke:{BEST},stroke-width:3px")
    lines.append(f"  class {ids[scenario.start]} start")
    if best_links:
        lines.append(f"  linkStyle {','.join(best_links)} stroke:{BEST},stroke-width:4px")
    return "\n".join(lines) + "\n"


# --- Graphviz DOT -----------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, lines joined with ``\\n``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(scenario: Scenario, best: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    lines = [f"digraph {dot_text(scenario.id)} {{",
             f"  graph [label={dot_text(scenario.title)}, labelloc=t, fontname=Helvetica, rankdir=TB];",
             "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=Helvetica, fontsize=11];",
             "  edge [fontname=Helvetica, fontsize=9, color=\"#555555\"];"]
    for name in scenario.nodes:
        extra = f", penwidth=3, color=\"{BEST}\"" if name == scenario.start else ""
        timed = " (timed)" if scenario.nodes[name].time_limit else ""
        lines.append(f"  {dot_text(name)} [label={dot_text(name + timed)}{extra}];")
    for name, ending in scenario.endings.items():
        fill, stroke = OUTCOME_COLOURS[ending.outcome]
        label = "\n".join(_ending_label(scenario, name))
        lines.append(f"  {dot_text(name)} [label={dot_text(label)}, shape=box, style=\"filled,bold\", "
                     f"fillcolor=\"{fill}\", color=\"{stroke}\", penwidth=2];")
    for e in edges(scenario):
        attrs = [f"label={dot_text(chr(10).join(_wrap(edge_label(e))))}"]
        if e.kind == "branch":
            attrs.append("style=dashed")
        elif e.kind == "timeout":
            attrs.append("style=dotted")
        if e.key in best:
            attrs += [f"color=\"{BEST}\"", "penwidth=3", f"fontcolor=\"{BEST}\""]
        lines.append(f"  {dot_text(e.source)} -> {dot_text(e.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"

