"""``commonground lint``: static checks over a loaded scenario, each its own small pass.

Every pass is a module with ``CODES`` (the diagnostic codes it reports) and ``run(ctx)``. They run
outside the engine over the loaded scenario and its explored state space, so they can never disagree
with how the game plays.
"""

from __future__ import annotations

from pathlib import Path

from game.analysis.lint import (
    cache,
    conditions,
    critical,
    cycles,
    dead_ends,
    decisions,
    duplicates,
    explored,
    hidden,
    lengths,
    loops,
    principles,
    scoring,
    timeouts,
    unreachable,
    unused,
)
from game.analysis.lint.context import LintContext
from game.analysis.statespace import DEFAULT_MAX_STATES
from game.content.diagnostics import Diagnostic, LoadError
from game.content.format import Rubric, Scenario
from game.content.loader import load_scenario
from game.content.yamlsrc import YamlSource, read_yaml

PASSES = [explored, unreachable, dead_ends, cycles, conditions, timeouts, unused, scoring, principles, duplicates,
          lengths, hidden, decisions, critical, loops]
"""Every pass, in the order findings are gathered (they are reported sorted by line)."""


def lint_scenario(scenario: Scenario, src: YamlSource, rubric: Rubric, *,
                  max_states: int = DEFAULT_MAX_STATES) -> list[Diagnostic]:
    """Every finding of every pass for a scenario that loaded, sorted by place."""
    ctx = LintContext(scenario, src, rubric, max_states)
    for p in PASSES:
        p.run(ctx)
    return sorted(ctx.findings)


def lint_cached(path: Path, rubric: Rubric, display: str | None = None, *,
                max_states: int = DEFAULT_MAX_STATES) -> list[Diagnostic]:
    """The findings of :func:`lint_file`, read from the per-user cache when nothing they depend on changed."""
    try:
        raw = path.read_bytes()
    except OSError:
        return lint_file(path, rubric, display, max_states=max_states)[1]
    cache_key = cache.key(raw, rubric, display or str(path), max_states)
    found = cache.read(cache_key)
    if found is None:
        found = lint_file(path, rubric, display, max_states=max_states)[1]
        cache.write(cache_key, found)
    return found


def lint_file(path: Path, rubric: Rubric, display: str | None = None, *,
              max_states: int = DEFAULT_MAX_STATES) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load and lint one file: its load errors (CG0xx) if it does not load, else its findings (CG1xx)."""
    try:
        scenario = load_scenario(path, rubric, display)
        src = read_yaml(path, display)  # parsed again for its marks; cheap next to exploring
    except LoadError as exc:
        return None, exc.diagnostics
    return scenario, lint_scenario(scenario, src, rubric, max_states=max_states)
