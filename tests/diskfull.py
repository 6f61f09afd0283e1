"""A disk that fills up, and a folder that cannot be written, for the tests of lost records.

As root (CI runs so), a real tmpfs of one free page is mounted, so the game's own writes meet a real
ENOSPC in any process; a read-only folder is a tmpfs mounted read-only (root ignores permission bits).
Otherwise ``os.write`` in :mod:`game.records.logfile` is replaced to fail with ENOSPC past a budget
(in-process only), and a read-only folder is one without write permission.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PAGE = 4096


@dataclass
class Disk:
    folder: Path
    real: bool
    """A real file system (usable from a subprocess); False when ENOSPC is simulated in this process."""


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    target.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True,
                              timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=20)


@contextlib.contextmanager
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free: int = PAGE) -> Iterator[Disk]:
    """A folder with about ``free`` bytes of room left."""
    target = tmp_path / "small-disk"
    if _mount(target, f"size={2 * PAGE},mode=0700"):
        try:
            (target / "filler").write_bytes(b"\0" * (2 * PAGE - free))
            yield Disk(target / "logs", real=True)
        finally:
            _umount(target)
        return
    import game.records.logfile as logfile

    written: dict[int, int] = {}
    real_write = os.write

    def write(fd: int, data: memoryview | bytes) -> int:
        written[fd] = written.get(fd, 0) + len(data)
        if sum(written.values()) > free:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(logfile, "_write", write)
    yield Disk(target / "logs", real=False)


@contextlib.contextmanager
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may create files in."""
    target = tmp_path / "read-only"
    if _mount(target, "ro,size=4096"):
        try:
            yield target
        finally:
            _umount(target)
        return
    target.mkdir()
    target.chmod(0o500)
    try:
        yield target
    finally:
        target.chmod(0o700)
