"""Starting a test run anywhere: at any node, with any meters, flags and counters set.

Authors testing a late node should not replay from the start each time. A test run starts from the
state the scenario (and its variant) would start with, sets the values asked for, and enters the node
as play would (its automatic branches run). Values are checked like content: an unknown name, a
number for a flag, or a meter outside its bounds is an error that says so, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches

from game.content.format import Scenario
from game.engine.state import State


class StartError(ValueError):
    """A start point or a value that the scenario does not have; the message names the cause."""


def parse_settings(items: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` words from the command line, as text (typed later against the scenario)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise StartError(f"'{item}' is not NAME=VALUE (for example --set trust=60 --set gave_name=true)")
        out[name.strip()] = value.strip()
    return out


def typed_values(scenario: Scenario, settings: Mapping[str, object]) -> dict[str, int | bool]:
    """Each setting as the scenario's variable type, within a meter's bounds."""
    known = {**{m: "meter" for m in scenario.meters}, **{c: "counter" for c in scenario.counters},
             **{f: "flag" for f in scenario.flags}}
    out: dict[str, int | bool] = {}
    for name, raw in settings.items():
        kind = known.get(name)
        if kind is None:
            close = get_close_matches(name, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; the variables are: {', '.join(known)}"
            raise StartError(f"'{name}' is not a meter, flag or counter of '{scenario.id}'{hint}")
        text = str(raw).lower()
        if kind == "flag":
            if isinstance(raw, bool):
                out[name] = raw
            elif text in ("true", "false"):
                out[name] = text == "true"
            else:
                raise StartError(f"'{name}' is a flag: set it to true or false, not '{raw}'")
            continue
        try:
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(text)
        except ValueError:
            raise StartError(f"'{name}' is a {kind}: set it to a whole number, not '{raw}'") from None
        meter = scenario.meters.get(name)
        if meter is not None and not meter.min <= value <= meter.max:
            raise StartError(f"'{name}' runs from {meter.min} to {meter.max}; {value} is outside")
        out[name] = value
    return out


def start_state(scenario: Scenario, node: str, settings: Mapping[str, object], variant: str | None = None) -> State:
    """The state a test run starts from: the variant's start values, then ``settings``, at ``node``
    (not yet entered: :meth:`game.engine.session.Session.begin_at` enters it as play would)."""
    if node not in scenario.nodes:
        close = get_close_matches(node, list(scenario.nodes), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise StartError(f"'{node}' is not a node of '{scenario.id}'{hint}")
    state = State.initial(scenario, variant)
    state.values.update(typed_values(scenario, settings))
    state.node = node
    return state


def test_record(scenario: Scenario, node: str, settings: Mapping[str, object],
                variant: str | None = None) -> dict[str, object]:
    """What a score log records of a test run (``{"at": node, "set": typed values}``), once the start is good.

    Views call it before they create the log, so a mistyped node or value is a message and leaves no
    empty test log behind; :class:`StartError` says what is wrong.
    """
    start_state(scenario, node, settings, variant)
    return {"at": node, "set": typed_values(scenario, settings)}


def describe(record: Mapping[str, object] | None) -> str:
    """A test run's start in words, as every view shows it: ``'listen' with trust=40, asked=true``."""
    if not record:
        return ""
    values = record.get("set")
    shown = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items()) \
        if isinstance(values, Mapping) else ""
    return f"'{record.get('at')}'" + (f" with {shown}" if shown else "")
