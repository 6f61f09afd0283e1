"""Exploration benchmark: ``explore`` on a generated 20,000-node scenario, against bare baselines.

Prints each figure with two baselines measured in the same run: a bare ``yaml.load(..., CSafeLoader)``
of the same file (what merely reading it costs), and ``statespace.build`` alone (the state graph every
tool shares), with the ratios (machines here are noisy; the ratios are what to compare across runs).
Run: ``python bench/bench_explore.py [--nodes 20000]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import RUBRIC, scenario, write
from game.analysis import statespace
from game.analysis.exploration import approx, explore
from game.content.loader import load_rubric, load_scenario


def timed(func):
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=20_000)
    args = ap.parse_args()
    rubric = load_rubric(RUBRIC)
    with tempfile.TemporaryDirectory() as tmp:
        path = write(scenario(args.nodes), Path(tmp) / "big.yaml")
        t_bare, _ = timed(lambda: yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        t_load, loaded = timed(lambda: load_scenario(path, rubric))
        t_build, graph = timed(lambda: statespace.build(loaded))
        states = len(graph.states)
        del graph
        fresh = load_scenario(path, rubric)  # explore builds its own graph, as the command does
        t_explore, result = timed(lambda: explore(fresh))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scenario: {args.nodes:,} nodes, {states:,} reachable states, {result.moves:,} moves, "
          f"{approx(result.paths)} paths")
    print(f"  bare yaml.load(CSafeLoader):  {t_bare:6.2f} s")
    print(f"  load + validate + check:      {t_load:6.2f} s   ratio to bare {t_load / t_bare:5.2f}")
    print(f"  statespace.build (baseline):  {t_build:6.2f} s   ratio to bare {t_build / t_bare:5.2f}")
    print("  explore (paths, endings, score ranges, best and worst):")
    print(f"                                {t_explore:6.2f} s   ratio to bare {t_explore / t_bare:5.2f}, "
          f"to build {t_explore / t_build:5.2f}")
    print(f"  peak memory: {rss:,.0f} MB")


if __name__ == "__main__":
    main()
