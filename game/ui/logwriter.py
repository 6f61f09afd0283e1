"""The background log writer now lives with the score log (:mod:`game.records.logfile`); this name stays for
older imports."""

from __future__ import annotations

from game.records.logfile import QueuedFile

__all__ = ["QueuedFile"]
