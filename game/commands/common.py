"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import sys

from game.content.diagnostics import LoadError, format_report
from game.content.format import Scenario
from game.content.library import Library, load_library


def add_library_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", action="append", default=[], metavar="DIR",
                        help="an extra folder of scenarios (repeatable; also $COMMONGROUND_LIBRARY)")


def open_library(args: argparse.Namespace, *, quiet: bool = False) -> Library:
    """Load the library; broken scenarios are skipped with a one-line notice (``validate`` shows details)."""
    lib = load_library(args.library)
    if lib.diagnostics and not quiet:
        files = sorted({d.path for d in lib.diagnostics})
        print(f"note: {len(files)} scenario file(s) have errors and were skipped "
              f"(run 'commonground validate' for details): {', '.join(files)}", file=sys.stderr)
    return lib


def find_scenario(lib: Library, name: str) -> Scenario:
    try:
        return lib.find(name)
    except KeyError as exc:
        print(f"commonground: {exc.args[0]}", file=sys.stderr)
        raise SystemExit(2) from None
    except LoadError as exc:
        print(format_report(exc.diagnostics), file=sys.stderr)
        raise SystemExit(1) from None
