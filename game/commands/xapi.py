"""``commonground xapi LOG...`` (to an LRS, or ``--out FILE``) and ``commonground xapi --outbox``.

Credentials come from the LRS config file, the environment or a prompt, never from the command line,
where every user of the machine could read them; they are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from game.commands.common import add_library_option
from game.commands.logs_common import optional_library
from game.records import lrsconfig
from game.records.lrs import Client, LRSError, redact
from game.records.lrsconfig import LRSConfig, LRSConfigError
from game.records.outbox import Outbox
from game.records.scorelog import LogError, academy_key, log_files, read_log
from game.records.verify import verify_log
from game.records.xapi import DEFAULT_PASS_MARK, Builder

NO_PASSWORD_FLAG = ("commonground xapi: passwords are never taken on the command line (every user of this machine "
                    f"can read it in the process list): set ${lrsconfig.ENV_PASSWORD}, put it in the LRS config "
                    "file (see docs/score-log.md), or answer the prompt")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("xapi", help="send score logs to a learning record store as xAPI statements (or --out)",
                       description="Turn score logs into xAPI statements (ADL and cmi5 verbs) and POST them to an "
                                   "LRS, batched and retried; statement ids come from the log events, so sending "
                                   "again stores nothing twice. Logs that fail verification are refused unless "
                                   "--allow-unverified (then they are marked as failed in each statement); unsigned "
                                   "logs are sent marked 'unsigned'. With --outbox: show and send the statements the "
                                   "game queued for the configured LRS. The endpoint, user and password come from "
                                   f"the LRS config ({lrsconfig.CONFIG_FILE} in the config folder) or "
                                   f"${lrsconfig.ENV_ENDPOINT}, ${lrsconfig.ENV_USER} and "
                                   f"${lrsconfig.ENV_PASSWORD}; a missing password is asked for.")
    p.add_argument("logs", nargs="*", type=Path, metavar="LOG", help="score logs, or folders of them")
    p.add_argument("--outbox", action="store_true", help="show and send what waits in the outbox")
    p.add_argument("--endpoint", metavar="URL", help="the LRS's xAPI base, e.g. https://lrs.example.org/xAPI/ "
                                                     "(default: the LRS config)")
    p.add_argument("--user", metavar="U", help=f"basic-auth user (default: the LRS config, or ${lrsconfig.ENV_USER})")
    p.add_argument("--password", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, metavar="FILE", help="write the statements as a JSON array instead of sending")
    p.add_argument("--batch", type=int, default=None, help="statements per request (default 50)")
    p.add_argument("--retries", type=int, default=None, help="retries per request, with doubling back-off (default 4)")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds each request may take in all (default 30)")
    p.add_argument("--pass-mark", type=float, default=None,
                   help="overall percentage for 'passed' in logs scored under an older model that cannot be "
                        f"re-scored (default: the scenario's pass mark, else {DEFAULT_PASS_MARK:g}); every other "
                        "log passes as its score card says (pass mark, critical errors, failing outcomes)")
    p.add_argument("--allow-unverified", action="store_true", help="send logs that fail their integrity check")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.password is not None:
        print(NO_PASSWORD_FLAG, file=sys.stderr)
        return 2
    try:
        config = lrsconfig.load()
    except LRSConfigError as exc:
        print(f"commonground xapi: {exc}", file=sys.stderr)
        return 2
    if args.outbox:
        return _outbox(args, config)
    if not args.logs:
        print("commonground xapi: give score logs (or folders), or --outbox", file=sys.stderr)
        return 2
    if not args.out and not (args.endpoint or config):
        print("commonground xapi: give --out FILE, or --endpoint URL (or configure an LRS: see docs/score-log.md)",
              file=sys.stderr)
        return 2
    statements, sent_logs, skipped = _statements(args)
    if statements is None:
        return 2
    if args.out:
        args.out.write_text(json.dumps(statements, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{len(statements)} statements from {sent_logs} log(s) written to {args.out}")
        return 1 if skipped else 0
    client = _client(args, config, args.endpoint)
    if client is None:
        return 2
    try:
        sent = client.send(statements, batch=_batch(args, config))
    except LRSError as exc:
        print(f"commonground xapi: {exc}", file=sys.stderr)
        return 1
    print(f"{len(statements)} statements from {sent_logs} log(s) in {sent.batches} batch(es): "
          f"{sent.stored} stored, {sent.already} already in the LRS")
    return 1 if skipped else 0


def _statements(args: argparse.Namespace) -> tuple[list[dict] | None, int, int]:
    files = log_files(args.logs)
    if not files:
        print("commonground: no score logs found", file=sys.stderr)
        return None, 0, 0
    key = academy_key()
    scenarios, rubric = optional_library(args)
    statements: list[dict] = []
    sent = skipped = 0
    for path in files:
        try:
            log = read_log(path)
        except LogError as exc:
            print(exc, file=sys.stderr)
            skipped += 1
            continue
        scenario = scenarios.get(str(log.start.get("scenario")))
        verdict = verify_log(log, key, scenario, rubric)
        if not verdict.ok:
            for line in verdict.lines():
                print(line, file=sys.stderr)
            if not args.allow_unverified:
                print(f"{path}:1:1: not sent: the log failed its integrity check (--allow-unverified to send it "
                      "marked as failed)", file=sys.stderr)
                skipped += 1
                continue
        elif verdict.status == "unsigned":
            print(f"{path}:1:1: note: unsigned: edits cannot be detected; sent marked 'unsigned'", file=sys.stderr)
        statements.extend(Builder(log, scenario, verified=verdict.status == "verified", integrity=verdict.status,
                                  pass_mark=args.pass_mark, rubric=rubric).statements())
        sent += 1
    return statements, sent, skipped


def _batch(args: argparse.Namespace, config: LRSConfig | None) -> int:
    return max(1, args.batch if args.batch is not None else config.batch if config else 50)


def _client(args: argparse.Namespace, config: LRSConfig | None, endpoint: str | None) -> Client | None:
    """A client from the command line's endpoint and user (if any), else the config; the password never from it."""
    endpoint = endpoint or (config.endpoint if config else None)
    if not endpoint:
        print("commonground xapi: no LRS is configured: give --endpoint, or see docs/score-log.md", file=sys.stderr)
        return None
    same = config is not None and endpoint == config.endpoint
    user = args.user or os.environ.get(lrsconfig.ENV_USER) or (config.user if config and same else None)
    password = os.environ.get(lrsconfig.ENV_PASSWORD)
    if password is None and config is not None and same:
        password = config.password
    if not user or password is None:
        if not sys.stdin.isatty():
            print(f"commonground xapi: the LRS at {redact(endpoint)} needs a user and password: set "
                  f"${lrsconfig.ENV_USER} and ${lrsconfig.ENV_PASSWORD}, or the LRS config file", file=sys.stderr)
            return None
        user = user or input(f"LRS user for {redact(endpoint)}: ").strip()
        password = getpass.getpass(f"LRS password for {user}: ")
    retries = args.retries if args.retries is not None else config.retries if config else 4
    timeout = args.timeout if args.timeout is not None else config.timeout if config else 30.0
    try:
        return Client(endpoint, user, password, retries=max(0, retries), timeout=max(0.1, timeout),
                      on_retry=lambda why, delay: print(f"LRS: {why}; retrying in {delay:g} s", file=sys.stderr))
    except LRSError as exc:
        print(f"commonground xapi: {exc}", file=sys.stderr)
        return None


def _outbox(args: argparse.Namespace, config: LRSConfig | None) -> int:
    box = Outbox()
    entries = box.entries()
    pending = sum(e.statements for e in entries)
    print(f"outbox {box.folder}: {len(entries)} session(s), {pending} statement(s) pending"
          + (f" (oldest queued {entries[0].queued})" if entries else ""))
    last = box.last_attempt()
    if last:
        print(f"last attempt: {last}")
    if not entries:
        return 0
    if config is None and not args.endpoint:
        print("commonground xapi: no LRS is configured to send them to: see docs/score-log.md", file=sys.stderr)
        return 2
    client = _client(args, config, args.endpoint)
    if client is None:
        return 2
    result = box.flush(client, batch=_batch(args, config),
                       on_batch=lambda stored, already: print(f"  batch: {stored} stored, {already} already held"))
    if result.busy:
        print("commonground xapi: another sender is using the outbox right now; try again in a moment",
              file=sys.stderr)
        return 1
    left = sum(e.statements for e in result.remaining)
    print(f"sent {result.sessions} session(s): {result.stored} stored, {result.already} already in the LRS; "
          f"{left} statement(s) still pending")
    if result.error:
        print(f"commonground xapi: {result.error}", file=sys.stderr)
    return 1 if result.remaining else 0
