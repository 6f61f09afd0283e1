"""``commonground graph SCENARIO --format mermaid|dot|svg``: the branching graph, best path highlighted."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from game.analysis.statespace import DEFAULT_MAX_STATES, ExplorationLimit
from game.commands.common import add_library_option, find_scenario, open_library
from game.engine.rules import EngineError
from game.reports.graphing import best_path_edges, to_dot, to_mermaid

NO_GRAPHVIZ = ("commonground: SVG needs Graphviz's 'dot' program, which is not installed. Install Graphviz "
               "(Debian/Ubuntu: sudo apt install graphviz; macOS: brew install graphviz; Windows: "
               "https://graphviz.org/download/), or use --format mermaid or --format dot.")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("graph", help="draw the branching graph of a scenario",
                       description="Print the scenario's branching graph as Mermaid or Graphviz DOT, or draw it as "
                                   "SVG with Graphviz. Endings are coloured by outcome, edges labelled with the "
                                   "choice and its condition, and the best path is drawn thick and blue.")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument("--format", choices=["mermaid", "dot", "svg"], default="mermaid", help="output format")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help="state bound when finding the best path")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = find_scenario(open_library(args, quiet=True), args.scenario)
    if args.format == "svg" and shutil.which("dot") is None:
        print(NO_GRAPHVIZ, file=sys.stderr)
        return 2
    try:
        best = best_path_edges(scenario, max_states=args.max_states)
    except (ExplorationLimit, EngineError) as exc:  # too big, or play stops somewhere: the graph still helps
        print(f"note: {exc}; the best path is not highlighted (run 'commonground validate')", file=sys.stderr)
        best = set()
    text = to_mermaid(scenario, best) if args.format == "mermaid" else to_dot(scenario, best)
    if args.format == "svg":
        done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            print(f"commonground: Graphviz failed: {done.stderr.strip()}", file=sys.stderr)
            return 1
        text = done.stdout
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
