"""``commonground debrief LOG [--html OUT] [--json]``: walk through one session, in the terminal, as a report,
or as the score card for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.commands.common import add_library_option, write_html
from game.commands.logs_common import optional_library
from game.records.scorelog import LogError, academy_key, read_log
from game.records.verify import verify_log
from game.reports.debrief import build, terminal


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("debrief", help="review one session from its score log (terminal, or --html report)",
                       description="Summarise a session: outcome, scores by topic and principle, every decision "
                                   "with the meters, time, feedback and the best choice, and the path taken. The "
                                   "log's hash chain is checked and an unverified log is flagged.")
    p.add_argument("log", type=Path, metavar="LOG", help="a score log (.jsonl)")
    p.add_argument("--html", type=Path, metavar="OUT", help="also write a self-contained HTML report here")
    p.add_argument("--no-graphviz", action="store_true", help="draw the scenario graph with matplotlib only")
    p.add_argument("--json", action="store_true",
                   help="print the score card as JSON instead of the summary (shape in docs/scoring.md)")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        log = read_log(args.log)
    except LogError as exc:
        print(exc, file=sys.stderr)
        return 1
    scenarios, rubric = optional_library(args)
    scenario = scenarios.get(str(log.start.get("scenario")))
    verdict = verify_log(log, academy_key(), scenario, rubric)
    d = build(log, scenario, rubric, verdict)
    for warning in d.warnings:
        print(f"{args.log}:1:1: warning: {warning}", file=sys.stderr)
    for note in d.notes:
        print(f"{args.log}:1:1: note: {note}", file=sys.stderr)
    print(json.dumps(d.to_json(), indent=2, ensure_ascii=False) if args.json else terminal(d))
    if args.html:
        from game.reports.html import debrief_html

        failed = write_html(args.html, lambda: debrief_html(d, prefer_graphviz=not args.no_graphviz))
        if failed:
            return failed
    return 0
