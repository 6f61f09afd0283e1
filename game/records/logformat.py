"""The score-log format as pydantic models: what every reader may rely on once an event has been read.

``docs/score-log.md`` describes the format in words; these models are its checkable form. Every reader
(debrief, cohort, xapi, replay, verify, the game's picker) validates each event it uses once, here, on
reading, so a log with a field of the wrong type (``"scores": [1, 2]``, a string where a number
belongs, a percentage of 150) is one error line naming the line and the field, and is skipped; no code
further on meets a value it did not expect. Validation is strict (no coercion: ``"3"`` is not 3, ``true``
is not 1), so a validated event is exactly the dict that was read. Fields the format does not define
are allowed and ignored, as the versioning rules say (an added optional field keeps ``v``).
:func:`parse_line` parses and validates a line in one pass (pydantic's JSON reader), which is what lets
``cohort`` check every event of 100,000 logs in less time than ``json.loads`` alone would take.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here on Python 3.11

MAX_INT = 2**53 - 1
"""No number in a log is larger (either sign): every JSON reader, chart and LRS keeps it exactly."""

Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Int = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Seconds = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Value = Int | bool

_CONFIG = ConfigDict(strict=True, extra="allow")
"""Strict (no coercion), and fields the format does not define are kept and ignored. The models are
TypedDicts, so validating gives back the very dicts every reader already uses."""


@with_config(_CONFIG)
class State(TypedDict):
    """The engine state as a ``node`` or ``ending`` event logs it (``game/engine/state.py``)."""

    version: Int
    node: str
    values: dict[str, Value]
    visited: NotRequired[list[str]]
    chosen: NotRequired[list[str]]
    turn: NotRequired[Count]
    ending: NotRequired[str | None]


@with_config(_CONFIG)
class _Event(TypedDict):
    v: Int
    seq: Count
    ts: str
    session: str
    prev: Hex64
    hash: Hex64


@with_config(_CONFIG)
class TestRun(TypedDict):
    """Where an author's test run started (``play --at NODE --set NAME=VALUE``): never counted as training."""

    at: str
    set: NotRequired[dict[str, Value]]


@with_config(_CONFIG)
class SessionStart(_Event):
    type: Literal["session_start"]
    scenario: str
    scenario_version: NotRequired[str | None]
    content_hash: NotRequired[str | None]
    title: NotRequired[str | None]
    trainee: str
    mode: NotRequired[str]
    app_version: NotRequired[str | None]
    keyed: NotRequired[bool]
    variant: NotRequired[str | None]
    seed: NotRequired[Int | None]
    test_run: NotRequired[TestRun | None]


@with_config(_CONFIG)
class NodeShown(_Event):
    type: Literal["node"]
    node: str
    offered: NotRequired[list[str]]
    unavailable: NotRequired[list[str]]
    time_limit: NotRequired[Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)] | None]
    state: State


@with_config(_CONFIG)
class Decision(_Event):
    """A ``choice`` or a ``timeout``."""

    type: Literal["choice", "timeout"]
    turn: NotRequired[Count]
    node: str
    choice: str
    elapsed: NotRequired[Seconds | None]
    effects: NotRequired[dict[str, Value]]
    scores: NotRequired[dict[str, Int]]
    goto: NotRequired[str | None]


@with_config(_CONFIG)
class Branch(_Event):
    type: Literal["branch"]
    node: str
    goto: str
    condition: NotRequired[str | None]


@with_config(_CONFIG)
class EndingReached(_Event):
    type: Literal["ending"]
    ending: str
    outcome: NotRequired[str | None]
    state: State


@with_config(_CONFIG)
class Abandoned(_Event):
    type: Literal["abandoned"]
    node: NotRequired[str | None]
    turn: NotRequired[Count]
    reason: NotRequired[str | None]


@with_config(_CONFIG)
class Restart(_Event):
    type: Literal["restart"]


@with_config(_CONFIG)
class Undo(_Event):
    """A test run took its last step back: ``choice`` is withdrawn and play goes on at ``node`` (shown again
    by the next event); readers leave the step out (``game/engine/undo.py``)."""

    type: Literal["undo"]
    node: str
    turn: NotRequired[Count]
    choice: str


@with_config(_CONFIG)
class Reload(_Event):
    type: Literal["reload"]
    content_hash: NotRequired[str | None]
    scenario_version: NotRequired[str | None]


@with_config(_CONFIG)
class Line(TypedDict):
    """One row of a score card. Scoring model 2: raw sum, points earned of points at stake at the decisions
    faced, percentage (None: not assessed). Model 1 (older logs): raw sum, best attainable, percentage."""

    raw: Int
    best: NotRequired[Int]
    earned: NotRequired[Int]
    stake: NotRequired[Int]
    percent: Percent | None


@with_config(_CONFIG)
class CriticalError(TypedDict):
    node: str
    choice: str
    reason: str


@with_config(_CONFIG)
class Judged(TypedDict):
    index: NotRequired[Count]
    node: str
    choice: str
    best_here: NotRequired[str | None]
    quality: NotRequired[Percent | None]


@with_config(_CONFIG)
class Score(TypedDict):
    overall: Line
    topics: NotRequired[dict[str, Line]]
    principles: NotRequired[dict[str, Line]]
    outcome: NotRequired[str | None]
    ending: NotRequired[str | None]
    model: NotRequired[Count]
    variant: NotRequired[str | None]
    pass_mark: NotRequired[Percent | None]
    failing_outcome: NotRequired[bool]
    passed: NotRequired[bool | None]
    critical: NotRequired[list[CriticalError]]
    decisions: NotRequired[list[Judged]]


@with_config(_CONFIG)
class Summary(_Event):
    type: Literal["summary"]
    status: Literal["completed", "abandoned"]
    ending: NotRequired[str | None]
    outcome: NotRequired[str | None]
    score: NotRequired[Score | None]
    path: NotRequired[list[str]]
    steps: NotRequired[Count]
    unscored: NotRequired[str | None]
    scoring: NotRequired[Count]
    passed: NotRequired[bool | None]


Event = Annotated[SessionStart | NodeShown | Decision | Branch | EndingReached | Abandoned | Restart | Undo | Reload
                  | Summary, Field(discriminator="type")]
EVENT: TypeAdapter[dict[str, Any]] = TypeAdapter(Event)
TYPES = ("session_start", "node", "choice", "timeout", "branch", "ending", "abandoned", "restart", "undo", "reload",
         "summary")


_validate_json = EVENT.validator.validate_json
"""pydantic-core's validator itself: ``cohort`` calls it for every line, so the adapter's wrapper is skipped."""


def parse_line(line: bytes) -> dict[str, Any] | None:
    """A line parsed and validated in one pass; None when it is not a valid event (see :func:`line_problem`)."""
    try:
        return _validate_json(line)
    except (ValidationError, ValueError, RecursionError):
        return None


def line_problem(line: bytes) -> str:
    """Why :func:`parse_line` refused a line, in one line."""
    import json

    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        return "not JSON"
    return problem(event) or "not a valid event"


def problem(event: Any) -> str | None:
    """None when ``event`` is a valid score-log event; else what is wrong, naming the field, in one line."""
    if not isinstance(event, dict):
        return "not a JSON object"
    kind = event.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        return f"unknown event type {_short(kind)}" if "type" in event else "no event type"
    try:
        EVENT.validate_python(event)
    except ValidationError as exc:
        return describe(exc)
    except RecursionError:
        return "nested too deeply"
    return None


def describe(exc: ValidationError) -> str:
    """The first error of a validation, as ``field.path: what was wrong`` (the discriminator left out)."""
    err = exc.errors(include_url=False, include_context=False, include_input=False)[0]
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in TYPES:
        loc = loc[1:]
    where = ".".join(loc) or "event"
    return f"{where}: {err['msg'].lower()}" + (f" ({len(exc.errors())} problems)" if exc.error_count() > 1 else "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
