"""Reading a score log: every whole event, each validated against the log format; one error for a bad log.

The readers (debrief, replay, xapi, the game's picker) read through :func:`read_log`; ``cohort`` reads
its own way for speed, with the same validation. Kept apart from the writer (:mod:`game.records.scorelog`)
so the xAPI and outbox modules, which the writer uses, can read logs without importing the writer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.records import logformat

SUPPORTED_VERSIONS = (1,)


class LogError(ValueError):
    """A log that cannot be read. ``line`` is 1-based."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}:1: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class LogRead:
    path: str
    events: list[dict[str, Any]] = field(default_factory=list)
    """Every whole event, each validated against :mod:`game.records.logformat` (strictly: no coerced values)."""
    truncated: bool = False
    """The last line was cut off (a killed process); it was skipped."""
    raw: bytes = field(default=b"", repr=False)
    """The file's bytes as read, so a check of the chain reads the very bytes the events came from."""

    @property
    def start(self) -> dict[str, Any]:
        return self.events[0]

    @property
    def summary(self) -> dict[str, Any] | None:
        return next((e for e in reversed(self.events) if e["type"] == "summary"), None)

    def of_type(self, *types: str) -> Iterator[dict[str, Any]]:
        return (e for e in self.events if e["type"] in types)


MAX_LOG_BYTES = 64 * 1024 * 1024
"""Largest log read: a session writes a few kilobytes; anything near this is not a score log."""


def read_log(path: Path) -> LogRead:
    """Read a log, validating every event; a final line cut off mid-write is skipped, not fatal.

    Raises :class:`LogError` (``path:line:1: message``) for a file that cannot be read, is not a score
    log, has a schema version this program does not read, or holds an event that does not match the
    format (:func:`game.records.logformat.problem` says which field): readers report it and skip the log.
    """
    shown = str(path)
    try:
        if path.stat().st_size > MAX_LOG_BYTES:
            raise LogError(shown, 1, f"the file is larger than {MAX_LOG_BYTES // 1048576} MB; not a score log")
        raw = path.read_bytes()
    except OSError as exc:
        raise LogError(shown, 1, f"cannot read the log: {exc.strerror or exc}") from None
    return parse_log(shown, raw)


def parse_log(shown: str, raw: bytes) -> LogRead:
    """:func:`read_log` of bytes already read (``shown`` names them in errors)."""
    result = LogRead(shown, raw=raw)
    lines = raw.split(b"\n")
    complete = raw.endswith(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        last = number == len(lines) or (number == len(lines) - 1 and lines[-1] == b"")
        try:
            event = json.loads(line.decode("utf-8"))
            if not isinstance(event, dict) or "type" not in event:
                raise ValueError("not an event")
        except (ValueError, UnicodeDecodeError, RecursionError):
            if last and not complete:
                result.truncated = True
                break
            raise LogError(shown, number, "not a score-log event (the line is not a JSON object with a type)") from None
        version = event.get("v")
        if version not in SUPPORTED_VERSIONS:
            raise LogError(shown, number, f"log schema version {_shown_value(version)} is not supported "
                                          f"(this program reads {', '.join(map(str, SUPPORTED_VERSIONS))})")
        wrong = logformat.problem(event)
        if wrong is not None:
            raise LogError(shown, number, f"not a valid {_shown_value(event.get('type'))} event: {wrong}")
        result.events.append(event)
    if not result.events:
        raise LogError(shown, 1, "the log holds no events")
    if result.events[0]["type"] != "session_start":
        raise LogError(shown, 1, "the log does not begin with a session_start event")
    return result


def _shown_value(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
