"""Lint benchmark: the whole built-in library, cold (empty cache) and warm, against a bare load.

Each figure is printed with the baseline measured in the same run: loading every library file with the
project's loader (what any command pays to read the scenarios), so the ratios compare across machines.
Run: ``python bench/bench_lint.py``. The cache goes to a temporary folder; the user's is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "game", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COMMONGROUND_CACHE_DIR": tmp, "PYTHONPATH": str(ROOT)}
        bare = timed(["validate", "scenarios"], env)  # a bare load (and reference check) of the same files
        cold = timed(["lint", "scenarios"], env)
        warm = timed(["lint", "scenarios"], env)
    count = len([p for p in (ROOT / "scenarios").glob("*.yaml")
                 if p.name != "topics.yaml" and not p.name.endswith(".plan.yaml")])
    print(f"library: {count} scenarios")
    print(f"bare load (validate): {bare:6.2f} s")
    print(f"lint, cold cache:     {cold:6.2f} s   ratio to bare load {cold / bare:5.1f}")
    print(f"lint, warm cache:     {warm:6.2f} s   ratio to bare load {warm / bare:5.1f}   (target: at most 3 s)")


if __name__ == "__main__":
    main()
