"""``commonground xapi LOG... --endpoint URL --user U --password P`` (or ``--out FILE``): records to an LRS."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from game.commands.common import add_library_option
from game.commands.logs_common import optional_library
from game.records.lrs import Client, LRSError
from game.records.scorelog import LogError, academy_key, log_files, read_log
from game.records.verify import verify_file
from game.records.xapi import DEFAULT_PASS_MARK, Builder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("xapi", help="send score logs to a learning record store as xAPI statements (or --out)",
                       description="Turn score logs into xAPI statements (ADL and cmi5 verbs) and POST them to an "
                                   "LRS, batched and retried; statement ids come from the log events, so sending "
                                   "again stores nothing twice. Logs that fail verification are refused unless "
                                   "--allow-unverified (then they are marked unverified in each statement).")
    p.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="score logs, or folders of them")
    p.add_argument("--endpoint", metavar="URL", help="the LRS's xAPI base, e.g. https://lrs.example.org/xAPI/")
    p.add_argument("--user", metavar="U", help="basic-auth user (or $COMMONGROUND_LRS_USER)")
    p.add_argument("--password", metavar="P", help="basic-auth password (or $COMMONGROUND_LRS_PASSWORD)")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the statements as a JSON array instead of sending")
    p.add_argument("--batch", type=int, default=50, help="statements per request (default 50)")
    p.add_argument("--retries", type=int, default=4, help="retries per request, with doubling back-off (default 4)")
    p.add_argument("--pass-mark", type=float, default=None,
                   help="overall percentage for 'passed' in logs scored under an older model that cannot be "
                        f"re-scored (default: the scenario's pass mark, else {DEFAULT_PASS_MARK:g}); every other "
                        "log passes as its score card says (pass mark, critical errors, failing outcomes)")
    p.add_argument("--allow-unverified", action="store_true", help="send logs that fail their integrity check")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.endpoint:
        print("commonground xapi: give --endpoint URL (with --user and --password) or --out FILE", file=sys.stderr)
        return 2
    files = log_files(args.logs)
    if not files:
        print("commonground: no score logs found", file=sys.stderr)
        return 2
    key = academy_key()
    scenarios, rubric = optional_library(args)
    statements, skipped = [], 0
    for path in files:
        try:
            log = read_log(path)
        except LogError as exc:
            print(exc, file=sys.stderr)
            skipped += 1
            continue
        verdict = verify_file(path, key)
        if not verdict.ok:
            for line in verdict.lines():
                print(f"{line}", file=sys.stderr)
            if not args.allow_unverified:
                print(f"{path}:1:1: not sent: the log failed its integrity check (--allow-unverified to send it "
                      "marked as unverified)", file=sys.stderr)
                skipped += 1
                continue
        scenario = scenarios.get(str(log.start.get("scenario")))
        statements.extend(Builder(log, scenario, verified=verdict.ok, pass_mark=args.pass_mark,
                                  rubric=rubric).statements())
    if args.out:
        args.out.write_text(json.dumps(statements, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{len(statements)} statements from {len(files) - skipped} log(s) written to {args.out}")
        return 1 if skipped else 0
    user = args.user or os.environ.get("COMMONGROUND_LRS_USER")
    password = args.password or os.environ.get("COMMONGROUND_LRS_PASSWORD")
    if not user or password is None:
        print("commonground xapi: --user and --password are needed to send to an LRS", file=sys.stderr)
        return 2
    try:
        client = Client(args.endpoint, user, password, retries=args.retries,
                        on_retry=lambda why, delay: print(f"LRS: {why}; retrying in {delay:g} s", file=sys.stderr))
        sent = client.send(statements, batch=max(1, args.batch))
    except LRSError as exc:
        print(f"commonground xapi: {exc}", file=sys.stderr)
        return 1
    print(f"{len(statements)} statements from {len(files) - skipped} log(s) in {sent.batches} batch(es): "
          f"{sent.stored} stored, {sent.already} already in the LRS")
    return 1 if skipped else 0
