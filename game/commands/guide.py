"""``commonground guide SCENARIO [--html OUT]``: the instructor's guide to one scenario."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import add_library_option, find_scenario, open_library, write_html
from game.reports.guide import build_guide, markdown


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("guide", help="the instructor's guide to a scenario (Markdown, or --html to print)",
                       description="Print the instructor's guide to a scenario: summary, objectives and the options "
                                   "that serve them, the best path, each decision with its options, scores and why, "
                                   "critical errors, endings, after-action review questions and jurisdiction notes.")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument("--html", type=Path, metavar="OUT", help="write a printable, self-contained HTML guide here")
    p.add_argument("--no-graphviz", action="store_true", help="draw the branching with matplotlib only")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lib = open_library(args, quiet=True)
    scenario = find_scenario(lib, args.scenario)
    guide = build_guide(scenario, lib.rubric)
    if not args.html:
        sys.stdout.write(markdown(guide))
        return 0
    from game.reports.html import guide_html

    failed = write_html(args.html, lambda: guide_html(guide, prefer_graphviz=not args.no_graphviz), "guide")
    return failed or 0
