"""Timing shared by the benchmarks: the best of several runs, since the fastest is the least disturbed."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Seconds taken by the fastest of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)
