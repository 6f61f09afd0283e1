"""The ``commonground`` command: one entry point, one module per subcommand in :mod:`game.commands`.

Every subcommand turns bad input into ``path:line:col: message`` lines and a non-zero exit; a
traceback reaching the user is a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from game import __version__
from game.content.diagnostics import LoadError, format_report
from game.reports.safetext import SafeStream

COMMANDS = ["play", "list", "validate", "lint", "explore", "graph", "test", "new", "guide", "debrief", "cohort", "xapi",
            "verify", "replay", "schema", "doctor"]
"""Subcommands in the order ``--help`` lists them; each is ``game/commands/<name>.py`` with ``register()``."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commonground",
        description="Common Ground: scenario-based de-escalation training. Run 'commonground play' to start.",
    )
    parser.add_argument("--version", action="version", version=f"commonground {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"game.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"game.commands.{name}":
                continue  # a command not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not isinstance(sys.stdout, SafeStream):  # no control character from a log or scenario reaches the terminal
        sys.stdout = SafeStream(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)  # type: ignore[assignment]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["play", *(argv or sys.argv[1:])])
    try:
        return int(args.func(args) or 0)
    except LoadError as exc:
        print(format_report(exc.diagnostics), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    sys.exit(main())
