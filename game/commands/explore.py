"""``commonground explore SCENARIO``: every reachable state: paths, endings, score ranges, best and worst path."""

from __future__ import annotations

import argparse
import json
import sys

from game.analysis.exploration import Exploration, approx, explore
from game.analysis.statespace import DEFAULT_MAX_STATES, ExplorationLimit, NoEnding
from game.commands.common import add_library_option, find_scenario, open_library
from game.engine.rules import EngineError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explore", help="explore every path of a scenario",
                       description="Explore every reachable state of a scenario: how many distinct paths, which "
                                   "endings they reach and how often, the score range per principle, and the "
                                   "best and worst paths. A loop in play counts once.")
    p.add_argument("scenario", help="scenario id or file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"stop past N states (default {DEFAULT_MAX_STATES:,})")
    add_library_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = find_scenario(open_library(args, quiet=True), args.scenario)
    try:
        result = explore(scenario, max_states=args.max_states)
    except NoEnding as exc:
        print(f"commonground: {exc} (run 'commonground validate')", file=sys.stderr)
        return 1
    except ExplorationLimit as exc:
        print(f"commonground: {exc} (--max-states N)", file=sys.stderr)
        return 1
    except EngineError as exc:
        print(f"commonground: '{scenario.id}' cannot be explored: play stops when {exc} (run 'commonground "
              "validate')", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(report(result))
    return 0


def report(r: Exploration) -> str:
    lines = [f"{r.scenario}: {r.states:,} reachable states, {r.moves:,} moves",
             f"paths: {approx(r.paths)} distinct playthroughs (a loop counts once)", "endings:"]
    width = max(len(e) for e in r.ending_paths)
    for ending, n in sorted(r.ending_paths.items(), key=lambda kv: -kv[1]):
        share = f"{100 * n / r.paths:5.1f}%" if r.paths else "    -"
        lines.append(f"  {ending:<{width}}  {r.outcomes[ending]:<16} {share}  {approx(n)} path(s)"
                     + ("  (never reached)" if n == 0 else ""))
    lines.append("score range over complete paths (lowest .. highest):")
    kw = max(len(k) for k in r.score_range)
    for key, (lo, hi) in r.score_range.items():
        lines.append(f"  {key:<{kw}}  {lo:+d} .. {hi:+d}")
    lines.append(f"best path (total {r.best_total:+d}): " + " -> ".join(r.best_path))
    lines.append(f"worst path (total {r.worst_total:+d}): " + " -> ".join(r.worst_path))
    if r.stuck_states or r.unfinished_states:
        lines.append(f"warning: {r.unfinished_states:,} state(s) cannot reach an ending "
                     f"({r.stuck_states:,} offer nothing); run 'commonground lint' to see where")
    return "\n".join(lines)
