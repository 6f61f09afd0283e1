"""What the log-reading commands (debrief, cohort, xapi) share: an optional library to look scenarios up in.

A log is a record in its own right: when the library cannot be loaded (no rubric, a broken folder), these
commands say so and go on with what the log holds, rather than refusing to show it.
"""

from __future__ import annotations

import argparse
import sys

from game.commands.common import open_library
from game.content.diagnostics import LoadError, format_report
from game.content.format import Rubric, Scenario


def optional_library(args: argparse.Namespace) -> tuple[dict[str, Scenario], Rubric | None]:
    """(scenarios by id, rubric), or ({}, None) with a warning when the library does not load."""
    try:
        lib = open_library(args, quiet=True)
    except LoadError as exc:
        print(format_report(exc.diagnostics), file=sys.stderr)
        print("warning: the scenario library did not load; going on with what the logs hold", file=sys.stderr)
        return {}, None
    return lib.scenarios, lib.rubric
