"""Loader benchmark: full load, validation and reference checks versus a bare C-loader parse.

Prints each figure with the bare ``yaml.load(..., CSafeLoader)`` of the same files, measured in the
same run, and their ratio (machines here are noisy; the ratio is what to compare across runs).
Target: ratio <= 1.0. Run: ``python bench/bench_load.py [--nodes 20000] [--scenarios 200]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import RUBRIC, scenario, write
from bench.timing import best_of
from game.content.loader import load_rubric, load_scenario


def bare(paths: list[Path]) -> None:
    for p in paths:
        with open(p, encoding="utf-8") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=20_000)
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--library-nodes", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rubric = load_rubric(RUBRIC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = write(scenario(args.nodes), folder / "big.yaml")
        lib = folder / "lib"
        lib.mkdir()
        files = [write(scenario(args.library_nodes, seed=i, ident=f"s{i}"), lib / f"s{i}.yaml")
                 for i in range(args.scenarios)]
        size = big.stat().st_size / 1e6
        print(f"one scenario: {args.nodes:,} nodes, {size:.1f} MB")
        t_bare = best_of(args.repeat, lambda: bare([big]))
        t_full = best_of(args.repeat, lambda: load_scenario(big, rubric))
        print(f"  bare yaml.load(CSafeLoader): {t_bare:.2f} s")
        print(f"  load + validate + check:     {t_full:.2f} s   ratio {t_full / t_bare:.2f}")
        print(f"library: {args.scenarios} scenarios of {args.library_nodes} nodes, "
              f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
        t_bare = best_of(args.repeat, lambda: bare(files))
        t_full = best_of(args.repeat, lambda: [load_scenario(f, rubric) for f in files])
        print(f"  bare yaml.load(CSafeLoader): {t_bare:.2f} s")
        print(f"  load + validate + check:     {t_full:.2f} s   ratio {t_full / t_bare:.2f}")


if __name__ == "__main__":
    main()
