"""``commonground replay LOG...``: re-run score logs through the engine and check they give the same result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import add_library_option, open_library
from game.records.replay import replay
from game.records.scorelog import LogError, read_log


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="re-run score logs and check they reach the same state and score",
                       description="Replay each log's decisions against its scenario in the library and check "
                                   "the final state and score match what the log recorded. Exit 1 on any mismatch.")
    p.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="score log files (.jsonl)")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    lib = open_library(args, quiet=True)
    failures = 0
    for path in args.logs:
        try:
            log = read_log(path)
        except LogError as exc:
            print(exc, file=sys.stderr)
            failures += 1
            continue
        scenario_id = log.start.get("scenario", "")
        scenario = lib.scenarios.get(scenario_id)
        if scenario is None:
            print(f"{path}:1:1: scenario '{scenario_id}' is not in the library (use --library DIR)", file=sys.stderr)
            failures += 1
            continue
        result = replay(log, scenario, lib.rubric)
        note = " (the scenario file has changed since this session)" if result.content_changed else ""
        if result.matches:
            pct = result.card.overall.percent
            ending = result.session.state.ending or "no ending (abandoned)"
            variant = f", variant {result.variant}" if result.variant else ""
            shown = "not assessed" if pct is None else f"{pct:g}%"
            print(f"{path}: ok, {len(result.session.history)} steps{variant}, {ending}, overall {shown}, "
                  f"{'passed' if result.card.passed else 'not passed'}{note}")
            for n in result.notes:
                print(f"{path}: note: {n}")
        else:
            failures += 1
            for diff in result.differences:
                print(f"{path}:1:1: replay differs: {diff}{note}", file=sys.stderr)
        if log.truncated:
            print(f"{path}: note: the last line was cut off and skipped", file=sys.stderr)
    return 1 if failures else 0
