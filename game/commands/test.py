"""``commonground test [PATH...]``: run the test plans (``NAME.plan.yaml``) beside scenarios."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.analysis.plans import plan_for, run_file
from game.commands.common import add_library_option
from game.content.diagnostics import Diagnostic, LoadError, format_report
from game.content.library import display_path, folder_files, library_dirs, rubric_for, scenario_files
from game.content.loader import PLAN_SUFFIX


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("test", help="run the test plans of scenarios",
                       description="Play each test plan (NAME.plan.yaml beside NAME.yaml) through the engine and "
                                   "check its expectations. PATH may be a plan, a scenario or a folder (default: "
                                   "the library). Exit 1 if any plan fails.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="plans, scenarios or folders")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    add_library_option(p)
    p.set_defaults(func=run)


def _gather(paths: list[Path], refused: list[Diagnostic]) -> tuple[list[Path], list[Path]]:
    """Plan files to run, and scenario files in the folders given that have no plan (links out go to ``refused``)."""
    plans: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, out = folder_files(path, ("*" + PLAN_SUFFIX,), plans=True)
            plans += found
            refused += out
            missing += [s for s in scenario_files(path) if not plan_for(s).is_file()]
        elif path.name.endswith(PLAN_SUFFIX):
            plans.append(path)
        else:
            plans.append(plan_for(path))
    return plans, missing


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [d for d in library_dirs(args.library) if d.is_dir()]
    rubric = rubric_for(paths, args.library)
    broken: list[Diagnostic] = []
    plans, missing = _gather(paths, broken)
    passed = failed = 0
    for plan_path in plans:
        shown = display_path(plan_path)
        if not plan_path.is_file():
            broken.append(Diagnostic(shown, 1, 1, "CG030", "no test plan here",
                                     hint="write one: see 'Test plans' in docs/authoring.md"))
            continue
        try:
            outcomes = run_file(plan_path, rubric, shown)
        except LoadError as exc:
            broken += exc.diagnostics
            continue
        for outcome in outcomes:
            if outcome.failures:
                failed += 1
                for f in outcome.failures:
                    print(f"FAIL {f.format()}", file=sys.stderr)
            else:
                passed += 1
                if not args.quiet:
                    print(f"pass {shown}: {outcome.plan} ({outcome.steps} steps)")
    if broken:
        print(format_report(broken), file=sys.stderr)
    summary = f"{passed} plan(s) passed, {failed} failed"
    if broken:
        summary += f", {len({d.path for d in broken})} file(s) could not be run"
    if missing:
        summary += f"; no plan for: {', '.join(display_path(m) for m in missing)}"
    print(summary, file=sys.stderr if failed or broken else sys.stdout)
    return 1 if failed or broken else 0
