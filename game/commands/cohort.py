"""``commonground cohort DIR... --html OUT [--csv OUT]``: many sessions and trainees in one report."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from game.commands.common import add_library_option, write_html
from game.commands.logs_common import optional_library
from game.records.cohort import Aggregator, Filters, Judge, Record, csv_rows, log_files, scan
from game.records.scorelog import academy_key

PSEUDONYM_ENV = "COMMONGROUND_PSEUDONYM_KEY"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cohort", help="report across many sessions: principles, outcomes, hard decisions, progress",
                       description="Read every score log under the folders given and report per-principle averages "
                                   "and spread, outcomes and passes per scenario and variant, critical errors per "
                                   "decision point, the decision points where most trainees took a harmful choice, "
                                   "and each trainee's progress. Each session counts once (copies are listed), and "
                                   "only when its log is whole and finished: logs that fail their integrity check or "
                                   "were cut off are left out and listed (--include-unverified counts them, marked). "
                                   "Unkeyed logs count but are reported as unsigned: edits cannot be detected. Logs "
                                   "scored under an older scoring model are re-scored from their choices when the "
                                   "scenario is unchanged.")
    p.add_argument("dirs", nargs="+", type=Path, metavar="DIR", help="folders of score logs (or log files)")
    p.add_argument("--html", type=Path, metavar="OUT", help="write the HTML report here")
    p.add_argument("--csv", type=Path, metavar="OUT", help="write one row per session here")
    p.add_argument("--scenario", action="append", default=[], help="only this scenario id (repeatable)")
    p.add_argument("--trainee", action="append", default=[], help="only this trainee id (repeatable)")
    p.add_argument("--since", metavar="DATE", help="only sessions started on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="only sessions started on or before this date (YYYY-MM-DD)")
    p.add_argument("--pseudonymize", action="store_true",
                   help=f"replace trainee ids by keyed pseudonyms (key: ${PSEUDONYM_ENV}, else the academy key)")
    p.add_argument("--only-verified", action="store_true",
                   help="count only logs signed with the academy key that verify (leave out unsigned ones too)")
    p.add_argument("--include-unverified", action="store_true",
                   help="also count logs that fail their integrity check or were cut off (they stay listed)")
    p.add_argument("--workers", type=int, default=None, help="processes to read with (default: one per CPU)")
    add_library_option(p)
    p.set_defaults(func=run)


def _pseudonym_key(args: argparse.Namespace) -> bytes | None:
    import os

    if not args.pseudonymize:
        return None
    key = os.environ.get(PSEUDONYM_ENV, "").encode() or academy_key()
    if not key:
        print(f"commonground cohort: --pseudonymize needs a secret key (${PSEUDONYM_ENV} or the academy key): a plain "
              "hash of a trainee id can be reversed by guessing ids", file=sys.stderr)
        raise SystemExit(2)
    return key


def _owner_only(path: str, flags: int) -> int:
    """Reports hold trainees' records: created readable by their owner only."""
    import os

    return os.open(path, flags, 0o600)


def _date(text: str | None, name: str) -> str | None:
    from datetime import date

    if text is None:
        return None
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        print(f"commonground cohort: {name} wants a date like 2025-03-01, not {text!r}", file=sys.stderr)
        raise SystemExit(2) from None
    return text


def run(args: argparse.Namespace) -> int:
    filters = Filters(frozenset(args.scenario), frozenset(args.trainee), _date(args.since, "--since"),
                      _date(args.until, "--until"))
    missing = [str(d) for d in args.dirs if not d.exists()]
    if missing:
        for m in missing:
            print(f"{m}:1:1: no such folder or file", file=sys.stderr)
        return 1
    files = log_files(args.dirs)
    scenarios, rubric = optional_library(args)  # to re-score logs scored under an older model
    agg = Aggregator(only_verified=args.only_verified, pseudonym_key=_pseudonym_key(args), scenarios=scenarios,
                     rubric=rubric, include_unverified=args.include_unverified)
    for item in scan(files, academy_key(), filters, workers=args.workers, judge=Judge(scenarios, rubric)):
        agg.add(item, keep_rows=bool(args.csv))
        if args.csv and isinstance(item, Record):
            item.decisions = []  # the CSV does not need them; keep memory flat over 100,000 logs
    cohort = agg.finish()
    for line in cohort.errors[:20]:
        print(line, file=sys.stderr)
    if len(cohort.errors) > 20:
        print(f"... and {len(cohort.errors) - 20} more file(s) that are not score logs", file=sys.stderr)
    counted = " (counted, marked, as --include-unverified asks)" if args.include_unverified else \
        " and were left out of the statistics"
    if cohort.unverified:
        print(f"warning: {len(cohort.unverified)} log(s) failed their integrity check{counted}", file=sys.stderr)
        for r in cohort.unverified[:10]:
            print(f"  {r.issue}", file=sys.stderr)
    cut = [r for r in cohort.unfinished if r.integrity != "failed"]
    if cut:
        print(f"note: {len(cut)} log(s) end without a summary (cut off){counted}", file=sys.stderr)
        for r in cut[:10]:
            print(f"  {r.path}", file=sys.stderr)
    if cohort.duplicates:
        print(f"note: {len(cohort.duplicates)} log(s) are copies of sessions already counted (same session id); "
              "each session counts once", file=sys.stderr)
    if cohort.not_rederived:
        print(f"note: {cohort.not_rederived} counted session(s) could not be played again by the engine (their "
              "scenario is not in the library, or has changed since): their summaries were checked against their "
              "own logged figures only", file=sys.stderr)
    if cohort.unsigned:
        print(f"note: {cohort.unsigned} counted session(s) are unsigned: edits cannot be detected (no academy key; "
              "see docs/score-log.md, Keys)", file=sys.stderr)
    print(f"{len(files)} log files; {cohort.sessions} sessions of {cohort.trainees} trainees"
          + (f" from {cohort.first[:10]} to {cohort.last[:10]}" if cohort.sessions else "")
          + f"; {cohort.passed} passed")
    if cohort.rescored:
        print(f"note: {cohort.rescored} log(s) scored under an older scoring model were re-scored from their logged "
              "choices")
    if cohort.legacy:
        print(f"warning: {len(cohort.legacy)} log(s) scored under an older scoring model could not be re-scored "
              "(their scenario is missing or changed); their logged figures are counted, flagged", file=sys.stderr)
    for p in cohort.critical_points[:5]:
        print(f"  critical: {p.scenario} at '{p.node}': {p.count} critical error(s) in {p.reached} session(s) "
              f"(most often {p.choice})")
    for s in cohort.principles:
        print(f"  {s.key}: mean {s.mean:g}% (sd {s.stdev:g}, median {s.median:g}, n={s.n})")
    for scenario, counts in cohort.outcomes.items():
        print(f"  {scenario}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    for v in cohort.variants:
        if v.variant != "-":
            mean = "-" if v.mean is None else f"{v.mean:g}%"
            print(f"  {v.scenario} [{v.variant}]: {v.sessions} session(s), {v.passed} passed, mean {mean}")
    for p in cohort.hard_points[:5]:
        best = f"; best here: {p.best_here}" if p.best_here else ""
        print(f"  hardest: {p.scenario} at '{p.node}': {p.harmful} of {p.reached} took a harmful choice "
              f"(most often {p.worst_choice}{best})")
    if args.csv:
        principles = sorted({k for r in agg.rows for k in r.principles})
        with open(args.csv, "w", newline="", encoding="utf-8", opener=_owner_only) as f:
            csv.writer(f).writerows(csv_rows(agg.rows, principles))
        print(f"csv: {args.csv}")
    if args.html:
        from game.reports.html import cohort_html

        titles = {ref: rubric.principle(ref).title for ref in rubric.principle_refs()} if rubric else {}
        failed = write_html(args.html, lambda: cohort_html(
            cohort, filters=filters, pseudonymized=bool(args.pseudonymize), files=len(files), titles=titles,
            only_verified=args.only_verified, include_unverified=args.include_unverified))
        if failed:
            return failed
    return 1 if cohort.errors else 0
