"""Pausing Python's cyclic garbage collector around work that builds many objects at once.

Loading a large scenario or exploring its states creates hundreds of thousands of containers that
all stay alive; the collector would run again and again over them and find nothing to free.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collector off inside the block (nested blocks are fine), back on after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
