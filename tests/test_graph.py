"""``commonground graph``: Mermaid, DOT and SVG with endings by outcome, labelled edges, best path, escaping."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.reports.graphing import best_path_edges, edges, to_dot, to_mermaid
from tests.conftest import LIB
from tests.helpers import cli

MINI = LIB / "mini.yaml"
NASTY = 'Say "stop" <script>alert(1)</script> | #1 & `x` \\ done'


def test_best_path_edges_follow_the_exemplar(mini) -> None:
    assert best_path_edges(mini) == {"arrival.distance", "talk.ask", "listen.help"}


def test_mermaid_has_every_node_outcome_colours_and_the_best_path(mini) -> None:
    text = to_mermaid(mini, best_path_edges(mini))
    assert text.startswith("flowchart TD\n")
    assert '(["Dog found<br/>(resolved)"])' in text
    assert re.search(r"^  class n\d+ use_of_force$", text, re.MULTILINE)
    assert '-.->|"auto: if agitation #gt;= 80"|' in text
    assert '|"Offer to help look.<br/>[if asked and trust #gt;= 30]"|' in text
    links = [ln for ln in text.splitlines() if re.match(r"  n\d+ (-->|==>|-\.->)", ln)]
    assert len(links) == len(edges(mini))
    styled = re.search(r"^  linkStyle ([\d,]+) stroke:#1565c0", text, re.MULTILINE)
    assert styled
    shown = [links[int(i)] for i in styled.group(1).split(",")]
    assert any("Stop and introduce yourself." in ln for ln in shown)
    assert any("Offer to help look." in ln for ln in shown) and len(shown) == 3


def test_labels_are_escaped(mini) -> None:
    mini.nodes["arrival"].choices[0].text = NASTY
    text = to_mermaid(mini)
    assert "<script>" not in text and '"stop"' not in text and "#quot;stop#quot;" in text
    assert "#lt;script#gt;" in text and "#124;" in text and "#35;1" in text
    dot = to_dot(mini)
    assert '\\"stop\\"' in dot and "\\\\ done" in dot
    # every quoted string in the DOT text is closed where it should be: quotes balance on each line
    for line in dot.splitlines():
        assert len(re.findall(r'(?<!\\)"', line.replace("\\\\", ""))) % 2 == 0, line


def test_dot_marks_endings_branches_and_best_path(mini) -> None:
    dot = to_dot(mini, best_path_edges(mini))
    assert '"end_good" [label="Dog found\\n(resolved)"' in dot and 'fillcolor="#c8e6c9"' in dot
    assert re.search(r'"talk" -> "hot" \[label="auto: if agitation >= 80", style=dashed\]', dot)
    assert re.search(r'"arrival" -> "talk" \[label="Stop and introduce yourself\.", color="#1565c0"', dot)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_through_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "mini.svg"
    result = cli("graph", str(MINI), "--library", str(LIB), "--format", "svg", "-o", str(out))
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert "<svg" in svg and "Dog found" in svg and "#1565c0" in svg


def test_svg_without_graphviz_says_so(tmp_path: Path) -> None:
    result = cli("graph", str(MINI), "--library", str(LIB), "--format", "svg", env={"PATH": str(tmp_path)})
    assert result.returncode == 2
    assert "Graphviz" in result.stderr and "--format mermaid" in result.stderr and "Traceback" not in result.stderr


def test_cli_mermaid_and_dot() -> None:
    for fmt, start in (("mermaid", "flowchart TD"), ("dot", 'digraph "mini"')):
        result = cli("graph", str(MINI), "--library", str(LIB), "--format", fmt)
        assert result.returncode == 0 and result.stdout.startswith(start), result.stderr
