"""Text from logs and scenarios, made safe for a terminal: no control characters reach it.

A trainee id, a title or a file name holding ``ESC[8m`` would hide the lines that follow it (the
"WARNING: UNVERIFIED" line, say); a carriage return would overwrite a line; bidirectional overrides
would reorder what the instructor reads. :class:`SafeStream` wraps standard output and error for the
whole command line, so every command is covered, not only those that remembered to clean their text:
each such character is shown as ``?``. Newlines and tabs pass. JSON output escapes control characters
itself, so it is unchanged.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` with every control character (but newline and tab) and bidi override shown as ``?``."""
    return UNSAFE.sub("?", text)


class SafeStream:
    """A text stream that writes :func:`terminal_text` of whatever it is given; everything else passes through."""

    def __init__(self, inner: TextIO):
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(terminal_text(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    @property
    def inner(self) -> TextIO:
        return self._inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
