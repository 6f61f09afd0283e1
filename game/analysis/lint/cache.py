"""Lint findings kept in the per-user cache, so an unchanged scenario is not explored again.

A file's findings are stored under a key made of everything they depend on: the file's bytes, the
rubric, the name it is reported under, the state bound, and the program itself (a hash of the
package's source, so a new version or a local edit never reads stale findings). A changed file misses
the cache and is explored alone; the rest are read back. A cache that cannot be read or written is
ignored: lint is then only slower, never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from game import userdirs
from game.content.diagnostics import Diagnostic, Severity
from game.content.format import Rubric

PACKAGE = Path(__file__).resolve().parents[2]
FORMAT = 1


@cache
def program_hash() -> str:
    """sha256 over the package's Python source, in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def rubric_hash(rubric: Rubric) -> str:
    return hashlib.sha256(rubric.model_dump_json().encode()).hexdigest()


def key(raw: bytes, rubric: Rubric, display: str, max_states: int) -> str:
    parts = [str(FORMAT), program_hash(), rubric_hash(rubric), display, str(max_states),
             hashlib.sha256(raw).hexdigest()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def folder() -> Path:
    return userdirs.cache_dir() / "lint"


def read(cache_key: str) -> list[Diagnostic] | None:
    try:
        data = json.loads((folder() / f"{cache_key}.json").read_text(encoding="utf-8"))
        return [Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in data["findings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(cache_key: str, findings: list[Diagnostic]) -> None:
    """Write atomically (a temporary file renamed into place), so a reader never sees half a file."""
    try:
        where = folder()
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"findings": [d.to_json() for d in findings]}, out)
        os.replace(tmp, where / f"{cache_key}.json")
    except OSError:
        pass
