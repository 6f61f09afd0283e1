"""``commonground lint PATH...``: warnings about scenarios that load but will not play as meant."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from game.analysis.lint import lint_cached, lint_file
from game.analysis.statespace import DEFAULT_MAX_STATES
from game.commands.common import add_library_option
from game.content.codes import CODES
from game.content.diagnostics import Diagnostic, LoadError, Severity, format_report
from game.content.library import display_path, folder_files, library_dirs, rubric_for
from game.content.loader import RUBRIC_FILE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lint", help="find unreachable nodes, dead ends and other authoring faults",
                       description="Check scenarios for faults that load fine but break play: unreachable "
                                   "nodes, dead ends, loops with no way out, conditions that never or always "
                                   "hold, unused variables, unscored choices, text too long to show. Each "
                                   "finding has a code documented in docs/diagnostics/.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the library)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1 on any finding)")
    p.add_argument("--ignore", action="append", default=[], metavar="CODE",
                   help="leave out findings of this code (repeatable, or comma-separated: CG114,CG115)")
    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"explore at most N states per scenario (default {DEFAULT_MAX_STATES:,})")
    p.add_argument("--no-cache", action="store_true",
                   help="explore every file again instead of reading unchanged files' findings from the cache")
    add_library_option(p)
    p.set_defaults(func=run)


def files_of(paths: list[Path], refused: list[Diagnostic] | None = None) -> list[Path]:
    """Scenario files named by the arguments: files as given, folders searched (rubric and plans left out).

    Files linked from outside a folder are not read; their diagnostics go to ``refused`` when given.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, out = folder_files(path)
            files += found
            if refused is not None:
                refused += out
        elif path.name != RUBRIC_FILE:
            files.append(path)
    return files


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [d for d in library_dirs(args.library) if d.is_dir()]
    out = sys.stdout if args.format == "json" else sys.stderr
    try:
        rubric = rubric_for(paths, args.library)
    except LoadError as exc:
        print(format_report(exc.diagnostics, args.format), file=out)
        return 1
    ignored = {c.strip().upper() for item in args.ignore for c in item.split(",") if c.strip()}
    unknown = sorted(c for c in ignored if c not in CODES)
    if unknown:
        print(f"commonground lint: --ignore {', '.join(unknown)}: no such code (see docs/diagnostics/)",
              file=sys.stderr)
        return 2
    found: list[Diagnostic] = []
    files = files_of(paths, found)
    for f in files:
        if args.no_cache:
            found += lint_file(f, rubric, display_path(f), max_states=args.max_states)[1]
        else:
            found += lint_cached(f, rubric, display_path(f), max_states=args.max_states)
    found = [d for d in found if d.code not in ignored]
    if args.strict:
        found = [dataclasses.replace(d, severity=Severity.ERROR) for d in found]
    errors = sum(d.severity is Severity.ERROR for d in found)
    if args.format == "json":
        print(format_report(found, "json"))
    elif found:
        print(format_report(found), file=sys.stderr)
        print(f"{errors} error(s), {len(found) - errors} warning(s) in {len({d.path for d in found})} of "
              f"{len(files)} file(s)", file=sys.stderr)
    else:
        print(f"ok: {len(files)} scenario(s) linted, no findings")
    return 1 if errors else 0
