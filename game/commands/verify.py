"""``commonground verify LOG...``: check score logs' hash chains and report tampering by line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.records.scorelog import academy_key, log_files
from game.records.verify import verify_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check score logs for edited, deleted, inserted or reordered events",
                       description="Walk each log's hash chain (keyed with the academy secret when one is set) and "
                                   "report every event that was edited, deleted, inserted or moved, with its line. "
                                   "Exit status 0 when every log verifies, 1 otherwise.")
    p.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="score log files (.jsonl) or folders of them")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the problems")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    key = academy_key()
    files = log_files(args.logs)
    if not files:
        print("commonground: no score logs found", file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        verdict = verify_file(path, key)
        if verdict.ok:
            if not args.quiet:
                how = "keyed with the academy secret" if verdict.keyed else "unkeyed chain"
                print(f"{path}: OK ({verdict.events} events, {how})")
            continue
        bad += 1
        for line in verdict.lines():
            print(line)
    if len(files) > 1 and not args.quiet:
        print(f"{len(files) - bad} of {len(files)} logs verified")
    return 1 if bad else 0
