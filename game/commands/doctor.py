"""``commonground doctor``: what this computer can and cannot do for the game, told to the instructor.

Trainees never see developer messages in the game: a missing optional package (read aloud, sound), a
scenario file with errors or a folder that cannot be written shows up here instead, each with what to
do about it. Exit 1 when something the game needs is missing, 0 otherwise (warnings included).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from game import userdirs
from game.commands.common import add_library_option

Check = tuple[str, str, str]
"""(status ``ok``/``warn``/``FAIL``, what was checked, what was found or what to do)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check this computer for the game: window, faces, sound, speech, library",
                       description="Check what the game needs on this computer and say what to do about "
                                   "anything missing. Exit 1 when something required is missing.")
    add_library_option(p)
    p.set_defaults(func=run)


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return ("ok" if ok else "FAIL", "Python", f"{sys.version.split()[0]}" + ("" if ok else ": 3.11 or newer needed"))


def _writable(name: str, folder: Path) -> Check:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return "FAIL", name, f"{folder} cannot be written ({exc.strerror}): logs and settings would be lost"
    return "ok", name, str(folder)


def _library(args: argparse.Namespace) -> list[Check]:
    from game.content.library import load_library

    lib = load_library(args.library)
    out: list[Check] = [("ok" if lib.scenarios else "FAIL", "scenarios",
                         f"{len(lib.scenarios)} in {', '.join(str(d) for d in lib.dirs)}")]
    files = sorted({d.path for d in lib.diagnostics})
    for path in files:
        out.append(("warn", "scenario file", f"{path} has errors and is left out of the picker: "
                                             f"commonground validate {path}"))
    return out


def run(args: argparse.Namespace) -> int:
    checks: list[Callable[[], Check]] = [_python]
    if importlib.util.find_spec("pygame") is None:
        checks.append(lambda: ("FAIL", "pygame-ce", "not installed: pip install pygame-ce (or reinstall commonground)"))
    else:
        from game.ui import checks as ui

        checks += [ui.pygame_version, ui.display, ui.fonts, ui.portraits, ui.sound, ui.speech]
    checks += [lambda: _writable("score logs", userdirs.log_dir()),
               lambda: _writable("settings", userdirs.config_dir())]
    results = [check() for check in checks]
    results += _library(args)
    for status, what, detail in results:
        print(f"{status:<4}  {what}: {detail}")
    failed = sum(1 for r in results if r[0] == "FAIL")
    warned = sum(1 for r in results if r[0] == "warn")
    print(f"\n{failed} problem(s), {warned} warning(s)")
    return 1 if failed else 0
