"""Diagnostics as data: every finding about a file is a code, a severity, a place, a message and a hint.

Validation errors and lint warnings share this one type, so editors, CI and the game can all show the
same finding the same way (``path:line:col: CODE message``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Lines and columns are 1-based, as editors count them."""

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    end_line: int | None = field(default=None, compare=False)
    end_col: int | None = field(default=None, compare=False)

    def format(self, *, with_hint: bool = True) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.severity is not Severity.ERROR:
            text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.severity.value}: {self.message}"
        if with_hint and self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class LoadError(Exception):
    """Raised when a file cannot be loaded; carries every diagnostic found, not just the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format(with_hint=False) for d in self.diagnostics))


def format_report(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    """Render findings for a terminal (``text``) or for editors and CI (``json``)."""
    items = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([d.to_json() for d in items], indent=2)
    return "\n".join(d.format() for d in items)
