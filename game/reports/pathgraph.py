"""The scenario's graph with one trainee's path drawn on it, as inline SVG for the debrief.

Graphviz (``dot -Tsvg``) lays it out when installed; otherwise matplotlib draws the same graph in
layers by distance from the start, so the report never depends on a system tool.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import deque
from collections.abc import Sequence
from itertools import pairwise

from game.content.format import Scenario
from game.reports.charts import GOOD, INK, MUTED, plt, to_svg

Edge = tuple[str, str, str]
"""(source, target, step id or ``branch``)."""


def edges(scenario: Scenario) -> list[Edge]:
    """Every way from one node to another: choices, time-outs and automatic branches."""
    out: list[Edge] = []
    for nid, node in scenario.nodes.items():
        for b in node.branches:
            out.append((nid, b.goto, "branch"))
        for c in node.choices:
            out.append((nid, c.goto, c.qid))
        if node.time_limit:
            out.append((nid, node.time_limit.goto, f"{nid}.timeout"))
    return out


def walked(scenario: Scenario, visits: Sequence[str]) -> set[tuple[str, str]]:
    """The (from, to) pairs along the visited sequence of nodes and ending."""
    return set(pairwise(visits))


def _dot_id(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(scenario: Scenario, visits: Sequence[str]) -> str:
    on_path = walked(scenario, visits)
    seen = set(visits)
    lines = ["digraph scenario {", '  rankdir=LR; bgcolor="transparent";',
             '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff"];',
             '  edge [fontname="Helvetica", fontsize=8];']
    for nid in scenario.nodes:
        colour = f'color="{INK}", penwidth=2, fillcolor="#e8f1f8"' if nid in seen else f'color="{MUTED}"'
        lines.append(f"  {_dot_id(nid)} [{colour}];")
    for eid, ending in scenario.endings.items():
        fill = "#e3f2ea" if ending.outcome == "resolved" else "#f7e4e0"
        pen = ", penwidth=2.5" if eid in seen else ""
        lines.append(f'  {_dot_id(eid)} [shape=doubleoctagon, fillcolor="{fill}", '
                     f'label={_dot_id(ending.title + chr(10) + "(" + ending.outcome.replace("_", " ") + ")")}{pen}];')
    drawn: set[tuple[str, str]] = set()
    for a, b, step in edges(scenario):
        if (a, b) in drawn:
            continue
        drawn.add((a, b))
        style = f'color="{GOOD}", penwidth=3' if (a, b) in on_path else f'color="{MUTED}", style=dashed' \
            if step == "branch" else f'color="{MUTED}"'
        lines.append(f"  {_dot_id(a)} -> {_dot_id(b)} [{style}];")
    lines.append("}")
    return "\n".join(lines)


def _graphviz(dot_text: str) -> str | None:
    exe = shutil.which("dot")
    if not exe:
        return None
    try:
        result = subprocess.run([exe, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=20,
                                check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    svg = result.stdout
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    return svg


def _layers(scenario: Scenario) -> dict[str, int]:
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    es = edges(scenario)
    while queue:
        a = queue.popleft()
        for src, dst, _ in es:
            if src == a and dst not in depth:
                depth[dst] = depth[a] + 1
                queue.append(dst)
    last = max(depth.values(), default=0) + 1
    for name in [*scenario.nodes, *scenario.endings]:
        depth.setdefault(name, last)
    return depth


def _matplotlib(scenario: Scenario, visits: Sequence[str]) -> str:
    depth = _layers(scenario)
    columns: dict[int, list[str]] = {}
    for name, d in depth.items():
        columns.setdefault(d, []).append(name)
    pos = {name: (d, -i + (len(names) - 1) / 2) for d, names in columns.items() for i, name in enumerate(names)}
    on_path, seen = walked(scenario, visits), set(visits)
    width = max(columns) + 1
    fig, ax = plt.subplots(figsize=(min(2.0 * width + 1, 12), max(2.5, 0.9 * max(map(len, columns.values())) + 1)))
    for a, b, step in edges(scenario):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        hot = (a, b) in on_path
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "color": GOOD if hot else MUTED, "lw": 2.5 if hot else 0.8,
                                "linestyle": "--" if step == "branch" and not hot else "-",
                                "shrinkA": 14, "shrinkB": 14, "connectionstyle": "arc3,rad=0.08"})
    for name, (x, y) in pos.items():
        ending = scenario.endings.get(name)
        face = ("#e3f2ea" if ending.outcome == "resolved" else "#f7e4e0") if ending else (
            "#e8f1f8" if name in seen else "#ffffff")
        label = f"{ending.title}\n({ending.outcome.replace('_', ' ')})" if ending else name
        ax.text(x, y, label, ha="center", va="center", fontsize=8.5, color=INK,
                bbox={"boxstyle": "round,pad=0.4", "fc": face, "ec": INK if name in seen else MUTED,
                      "lw": 2 if name in seen else 0.8})
    ax.set_xlim(-0.6, width - 0.4)
    ys = [p[1] for p in pos.values()]
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.axis("off")
    return to_svg(fig)


def path_svg(scenario: Scenario, visits: Sequence[str], *, prefer_graphviz: bool = True) -> tuple[str, str]:
    """(svg, engine): the graph with ``visits`` (node ids, then the ending) highlighted."""
    if prefer_graphviz:
        svg = _graphviz(to_dot(scenario, visits))
        if svg:
            return svg, "graphviz"
    return _matplotlib(scenario, visits), "matplotlib"
