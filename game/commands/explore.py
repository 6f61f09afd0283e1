"""``commonground explore SCENARIO``: every reachable state: paths, endings, score ranges, best and worst path."""

from __future__ import annotations

import argparse
import json
import sys

from game.analysis.exemplar import Exemplar
from game.analysis.exploration import Exploration, approx, explore
from game.analysis.statespace import DEFAULT_MAX_STATES, ExplorationLimit, NoEnding
from game.commands.common import add_library_option, find_scenario, open_library
from game.engine.rules import EngineError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explore", help="explore every path of a scenario",
                       description="Explore every reachable state of a scenario (every variant): how many "
                                   "distinct paths, which endings they reach and how often, the overall score "
                                   "range of the paths to each ending, and the best and worst paths as "
                                   "decisions. A loop in play counts once.")
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


def _pct(x: float) -> str:
    return f"{x:g}%"


def path_lines(p: Exemplar, title: str) -> list[str]:
    """A path as decisions: each step on its own line, forced steps marked, then where it ends."""
    where = (f"ends at {p.ending}" if p.ending else f"never ends: the picks come back round at '{p.loops_at}'"
             if p.loops_at else f"stops at '{p.stuck_at}' with nothing offered")
    lines = [f"{title} ({len(p.decisions)} decisions, total {p.total:+d}; {where}):"]
    for n, s in enumerate(p.steps, 1):
        mark = "" if s.decision else "  (the only option)"
        lines.append(f"  {n:>2}. {s.choice}  \"{s.text}\"{mark}")
    return lines


def report(r: Exploration) -> str:
    lines = [f"{r.scenario}: {r.states:,} reachable states, {r.moves:,} moves"
             + (f" (every variant: {', '.join(r.variants)})" if r.variants else ""),
             f"paths: {approx(r.paths)} distinct playthroughs (a loop counts once)",
             "endings (share of paths, and the overall score of the paths that end there, lowest .. highest):"]
    width = max(len(e) for e in r.ending_paths)
    for ending, n in sorted(r.ending_paths.items(), key=lambda kv: -kv[1]):
        share = f"{100 * n / r.paths:5.1f}%" if r.paths else "    -"
        rng = r.ending_range[ending]
        scores = "never reached" if n == 0 else ("nothing at stake" if rng is None
                                                  else f"{_pct(rng[0])} .. {_pct(rng[1])}")
        fails = "  FAILS" if r.fails[ending] else ""
        lines.append(f"  {ending:<{width}}  {r.outcomes[ending]:<16} {r.severity[ending]:<8} {share}  "
                     f"{approx(n)} path(s)  {scores}{fails}")
    if r.overall_range:
        lo, hi = r.overall_range
        lines.append(f"overall over every complete path: {_pct(lo)} .. {_pct(hi)}")
    lines += path_lines(r.best, "best path: the best option at every decision, 100% overall")
    lines += path_lines(r.worst, "worst path: the worst option at every decision")
    for name, (weight, best, worst) in r.variants.items():
        ends = best.ending or f"no ending (loops at '{best.loops_at}')"
        lines.append(f"variant {name} (weight {weight}): best path {len(best.decisions)} decisions to {ends}; "
                     f"worst path to {worst.ending or 'no ending'}")
    if r.best.ending is None:
        lines.append("warning: taking the best option at every decision never reaches an ending; run "
                     "'commonground lint' (CG117)")
    if r.stuck_states or r.unfinished_states:
        lines.append(f"warning: {r.unfinished_states:,} state(s) cannot reach an ending "
                     f"({r.stuck_states:,} offer nothing); run 'commonground lint' to see where")
    return "\n".join(lines)
