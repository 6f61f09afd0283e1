"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

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


def write_html(path: Path, render: Callable[[], str], what: str = "report") -> int | None:
    """Render an HTML page and write it to ``path``, saying where; on failure, say why and give the exit code.

    Shared by ``debrief``, ``cohort`` and ``guide``: a missing ``reports`` extra is exit 2, a path that
    cannot be written is ``path:1:1: cannot write ...`` and exit 1, never a traceback.
    """
    from game.reports.html import ReportsUnavailable

    try:
        html = render()
    except ReportsUnavailable as exc:
        print(f"commonground: {exc}", file=sys.stderr)
        return 2
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        print(f"{path}:1:1: cannot write the {what}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{what}: {path}")
    return None
