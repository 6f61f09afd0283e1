"""The score-log format as pydantic models: what every reader may rely on once an event has been read.

``docs/score-log.md`` describes the format in words; these models are its checkable form. Every reader
(debrief, cohort, xapi, replay, verify, the game's picker) validates each event it uses once, here, on
reading, so a log with a field of the wrong type (``"scores": [1, 2]``, a string where a number
belongs, a percentage of 150) is one error line naming the line and the field, and is skipped; no code
further on meets a value it did not expect. Validation is strict (no coercion: ``"3"`` is not 3, ``true``
is not 1), so a validated event is exactly the dict that was read. Fields the format does not define
are allowed and ignored, as the versioning rules say (an added optional field keeps ``v``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_INT = 2**53 - 1
"""No number in a log is larger (either sign): every JSON reader, chart and LRS keeps it exactly."""

Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Int = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Seconds = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Value = Int | bool


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class State(_Model):
    """The engine state as a ``node`` or ``ending`` event logs it (``game/engine/state.py``)."""

    version: Int
    node: str
    values: dict[str, Value]
    visited: list[str] = []
    chosen: list[str] = []
    turn: Count = 0
    ending: str | None = None


class _Event(_Model):
    v: Int
    seq: Count
    ts: str
    session: str
    prev: Hex64
    hash: Hex64


class SessionStart(_Event):
    type: Literal["session_start"]
    scenario: str
    scenario_version: str | None = None
    content_hash: str | None = None
    title: str | None = None
    trainee: str
    mode: str = "practice"
    app_version: str | None = None
    keyed: bool = False


class NodeShown(_Event):
    type: Literal["node"]
    node: str
    offered: list[str] = []
    unavailable: list[str] = []
    time_limit: Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)] | None = None
    state: State


class Decision(_Event):
    """A ``choice`` or a ``timeout``."""

    type: Literal["choice", "timeout"]
    turn: Count = 0
    node: str
    choice: str
    elapsed: Seconds | None = None
    effects: dict[str, Value] = {}
    scores: dict[str, Int] = {}
    goto: str | None = None


class Branch(_Event):
    type: Literal["branch"]
    node: str
    goto: str
    condition: str | None = None


class EndingReached(_Event):
    type: Literal["ending"]
    ending: str
    outcome: str | None = None
    state: State


class Abandoned(_Event):
    type: Literal["abandoned"]
    node: str | None = None
    turn: Count = 0
    reason: str | None = None


class Restart(_Event):
    type: Literal["restart"]


class Reload(_Event):
    type: Literal["reload"]
    content_hash: str | None = None
    scenario_version: str | None = None


class Line(_Model):
    """One row of a score card: raw sum, best attainable, percentage (None when nothing is attainable)."""

    raw: Int
    best: Int
    percent: Percent | None = None


class Score(_Model):
    overall: Line
    topics: dict[str, Line] = {}
    principles: dict[str, Line] = {}
    outcome: str | None = None
    ending: str | None = None


class Summary(_Event):
    type: Literal["summary"]
    status: Literal["completed", "abandoned"]
    ending: str | None = None
    outcome: str | None = None
    score: Score | None = None
    path: list[str] = []
    steps: Count = 0
    unscored: str | None = None


Event = Annotated[SessionStart | NodeShown | Decision | Branch | EndingReached | Abandoned | Restart | Reload | Summary,
                  Field(discriminator="type")]
EVENT = TypeAdapter(Event)
TYPES = ("session_start", "node", "choice", "timeout", "branch", "ending", "abandoned", "restart", "reload", "summary")


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
