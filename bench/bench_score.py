"""Scoring benchmark: the time to score a finished session, against the time to load its scenario.

For every library scenario (each variant), plays a session to an ending (random choices, seeded) and
times, next to loading the scenario file (in the same run, CPU time of this thread, medians of
``--repeat`` runs; the ratio is what to compare across runs, since machines here are noisy):

* ``end``: :func:`game.engine.scoring.session_card` on the finished session, as the end screen calls
  it (each step was judged as it was taken, so this adds the judgements up). Target: ratio <= 0.01.
* ``log``: scoring the same session from its logged steps with nothing known about the scenario (its
  scoring index dropped: every option looked up, every decision judged), as a re-scored old log is.

``--interleave`` times each scoring right after a load (its caches cold from the load's work), the
harshest case. ``--explore`` also times what scoring did before decision scoring: exploring every
state (``statespace.build``). Run: ``python bench/bench_score.py``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of
from game.analysis import statespace
from game.content.library import load_library
from game.content.loader import load_scenario
from game.engine.scoring import score, session_card, taken_from_history
from game.engine.session import Session


def finished(scenario, rubric, variant, rng: random.Random) -> Session:
    """A session played to an ending (or 300 steps) with random choices."""
    session = Session(scenario, rubric, variant=variant, clock=lambda: 0.0)
    while not session.finished and len(session.history) < 300:
        offers = session.choices
        if session.time_limit is not None and (not offers or rng.random() < 0.2):
            session.time_out()
        else:
            session.choose(rng.choice(offers).id)
    return session


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--explore", action="store_true", help="also time the old way (exploring every state)")
    ap.add_argument("--interleave", action="store_true", help="score right after each load (cold caches)")
    args = ap.parse_args()
    lib = load_library(env={})
    rng = random.Random(10)
    ratios, log_ratios = [], []
    print(f"{'scenario':<28} {'steps':>5} {'load ms':>8} {'end ms':>7} {'ratio':>7} {'log ms':>7} {'ratio':>7}"
          + ("  explore s" if args.explore else ""))
    clock = time.thread_time
    for sid, scenario in sorted(lib.scenarios.items()):
        path = Path(scenario.source_path)
        for variant in list(scenario.variants) or [None]:
            session = finished(scenario, lib.rubric, variant, rng)
            taken = taken_from_history(scenario, session.history)
            loads, ends, logs = [], [], []

            def timed(func, into: list[float]) -> None:
                t0 = clock()
                func()
                into.append(clock() - t0)

            def from_log(s=scenario, t=taken, e=session.state.ending, v=variant) -> None:
                s._derived.pop("scoring", None)  # nothing known: every decision judged from scratch
                score(s, lib.rubric, t, ending=e, variant=v)

            def load(p=path) -> None:
                load_scenario(p, lib.rubric)

            def end(x=session) -> None:
                session_card(x)

            if args.interleave:
                for _ in range(args.repeat):
                    for func, into in ((load, loads), (end, ends), (load, loads), (from_log, logs)):
                        timed(func, into)
            else:
                for func, into in ((load, loads), (end, ends), (from_log, logs)):
                    for _ in range(args.repeat):
                        timed(func, into)
            t_load, t_end, t_log = (statistics.median(x) for x in (loads, ends, logs))
            ratios.append(t_end / t_load)
            log_ratios.append(t_log / t_load)
            name = sid + (f" [{variant}]" if variant else "")
            line = (f"{name:<28} {len(session.history):>5} {t_load * 1e3:8.2f} {t_end * 1e3:7.3f} "
                    f"{t_end / t_load:7.4f} {t_log * 1e3:7.3f} {t_log / t_load:7.4f}")
            if args.explore:
                line += f"  {best_of(1, lambda s=scenario: statespace.build(s)):9.2f}"
            print(line)
    print(f"end screen: score a finished session / load its scenario: median {statistics.median(ratios):.4f}, "
          f"worst {max(ratios):.4f} (target <= 0.01)")
    print(f"from the log, nothing known: median {statistics.median(log_ratios):.4f}, worst {max(log_ratios):.4f}")

if __name__ == "__main__":
    main()
