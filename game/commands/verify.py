"""``commonground verify LOG...``: check score logs' hash chains and report tampering by line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import add_library_option
from game.commands.logs_common import optional_library
from game.records.logread import LogError, read_log
from game.records.scorelog import academy_key, log_files
from game.records.verify import verify_file, verify_log


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check score logs for edited, deleted, inserted or reordered events",
                       description="Walk each log's hash chain (keyed with the academy secret when one is set), "
                                   "check every event against the log format, and the summary against the logged "
                                   "choices played again by the engine (when the library holds the scenario text the "
                                   "session was played on), and report every event that was edited, deleted, "
                                   "inserted or moved, with its line. A keyed log that passes is 'verified'; an "
                                   "unkeyed one is 'unsigned: edits cannot be detected' (anyone can recompute its "
                                   "chain), and is "
                                   "refused where an academy key is configured. Exit status 1 when any log fails.")
    p.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="score log files (.jsonl) or folders of them")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the problems")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    key = academy_key()
    files = log_files(args.logs)
    if not files:
        print("commonground: no score logs found", file=sys.stderr)
        return 2
    counts = {"verified": 0, "unsigned": 0, "failed": 0}
    scenarios, rubric = optional_library(args)
    for path in files:
        try:
            log = read_log(path)
        except LogError:  # not readable as a log: verify_file says what is wrong with it, by line
            verdict = verify_file(path, key)
        else:  # the summary against the engine's play too, when the library holds the scenario
            verdict = verify_log(log, key, scenarios.get(str(log.start.get("scenario"))), rubric)
        counts[verdict.status] += 1
        if verdict.status == "failed":
            for line in verdict.lines():
                print(line)
        elif not args.quiet:
            print(f"{path}: {verdict.label} ({verdict.events} events"
                  + ("; set an academy key to sign logs: see docs/score-log.md" if verdict.status == "unsigned"
                     else "") + ")")
    if len(files) > 1 and not args.quiet:
        print(f"{len(files)} logs: {counts['verified']} verified, {counts['unsigned']} unsigned (edits cannot be "
              f"detected), {counts['failed']} failed")
    return 1 if counts["failed"] else 0
