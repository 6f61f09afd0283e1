"""``commonground validate PATH...``: check scenario files and folders; exit 1 on any error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.analysis.playable import play_errors
from game.commands.common import add_library_option
from game.content.diagnostics import Diagnostic, LoadError, format_report
from game.content.library import display_path, folder_files, inside, outside_diagnostic, rubric_for
from game.content.loader import RUBRIC_FILE, load_scenario
from game.content.yamlsrc import read_yaml


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files for errors",
                       description="Check scenario files (and topics.yaml) for errors; exit 1 if any. Besides "
                                   "what a file says, every reachable state is explored for what would stop play: "
                                   "branch loops, nodes that can offer nothing, too many states to score.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the library)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.content.library import library_dirs

    paths: list[Path] = args.paths or [d for d in library_dirs(args.library) if d.is_dir()]
    diagnostics: list[Diagnostic] = []
    try:
        rubric = rubric_for(paths, args.library)
    except LoadError as exc:
        print(format_report(exc.diagnostics, args.format), file=sys.stdout if args.format == "json" else sys.stderr)
        return 1
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, refused = folder_files(path)
            files += found
            diagnostics += refused
            if (path / RUBRIC_FILE).is_file() and not inside(path, path / RUBRIC_FILE):
                diagnostics.append(outside_diagnostic(path, path / RUBRIC_FILE))
        elif path.name != RUBRIC_FILE:  # a topics.yaml was checked with the rest of the rubric by rubric_for
            files.append(path)
    ids: dict[str, str] = {}
    for f in files:
        shown = display_path(f)
        try:
            scenario = load_scenario(f, rubric, shown)
        except LoadError as exc:
            diagnostics += exc.diagnostics
            continue
        diagnostics += play_errors(scenario, read_yaml(f, shown))  # read again for its marks; cheap next to play
        if scenario.id in ids:
            diagnostics.append(Diagnostic(shown, 1, 1, "CG025",
                                          f"scenario id '{scenario.id}' is already used by {ids[scenario.id]}"))
        ids.setdefault(scenario.id, shown)
    if args.format == "json":
        print(format_report(diagnostics, "json"))
    elif diagnostics:
        print(format_report(diagnostics), file=sys.stderr)
        print(f"{len(diagnostics)} error(s) in {len({d.path for d in diagnostics})} file(s)", file=sys.stderr)
    else:
        print(f"ok: {len(files)} scenario(s) checked, no errors")
    return 1 if diagnostics else 0

