"""Whether a scenario that loads can also be played to an ending and scored, in every state it can reach.

Loading checks what a file says; some faults only show in play: automatic branches that route in a
loop with no choice, a node that in some reachable state offers nothing and has no timer, more
states than scoring can explore, or no ending reachable from the start (in both of the last two, the
score at the end of a session could never be worked out). The engine stops
on each of them mid-session, so ``commonground validate`` reports them as load errors, from the same
state graph the engine and scoring use.
"""

from __future__ import annotations

from game.analysis import statespace
from game.content.diagnostics import Diagnostic
from game.content.format import Scenario
from game.content.yamlsrc import YamlSource
from game.engine.rules import EngineError
from game.engine.state import State

LOOP_PREFIX = "automatic branches loop back to '"


def play_errors(scenario: Scenario, src: YamlSource, *,
                max_states: int = statespace.DEFAULT_MAX_STATES) -> list[Diagnostic]:
    """CG032 (branch loop), CG033 (a node that can offer nothing), CG034 (too many states to score) and CG035
    (no ending can be reached from the start)."""
    try:
        graph = statespace.build(scenario, max_states=max_states)
    except EngineError as exc:
        message = str(exc)
        node = message[len(LOOP_PREFIX):].split("'", 1)[0] if message.startswith(LOOP_PREFIX) else None
        if node is None or node not in scenario.nodes:
            return [src.diag("CG032", f"play stops: {message}", ("nodes",), key=True)]
        return [src.diag("CG032", f"automatic branches loop back to '{node}' without a choice; play would stop "
                                  "there", ("nodes", node), key=True,
                         hint="make one branch of the loop lead to a node with choices, or give it a condition "
                              "that fails on the way round")]
    except statespace.ExplorationLimit as exc:
        return [src.diag("CG034", f"{exc}; a session could not be scored at its ending", ("nodes",), key=True,
                         hint="counters and meters that change in many small steps multiply states: use fewer "
                              "distinct values, or flags")]
    if statespace.optimise(graph, lambda _scores: 0.0).value[0] == float("-inf"):
        return [src.diag("CG035", "no playthrough from the start reaches an ending, so no session could end or be "
                                  "scored", ("start",),
                         hint="give the scene a way out: a choice or branch that leads on towards an ending")]
    out: list[Diagnostic] = []
    reported: set[str] = set()
    for i in graph.stuck:
        state = graph.states[i]
        if state.node in reported:
            continue
        reported.add(state.node)
        out.append(src.diag("CG033", f"'{state.node}' offers no choice and has no time limit when "
                                     f"{describe(state)}; play would stop there", ("nodes", state.node), key=True,
                            hint="add a choice without 'if' (always offered), or a time_limit"))
    return out


def describe(state: State) -> str:
    """The variables of a state, as an author reads them: ``agitation=80, asked=false``."""
    return ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in state.values.items())
