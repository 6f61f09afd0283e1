"""The scenario library: the built-in ``scenarios/`` folder plus any folders an academy adds.

Academies keep their own scenarios outside the install (``--library DIR`` or the
``COMMONGROUND_LIBRARY`` environment variable, folders separated by the OS path separator), so an
upgrade never touches them. A folder may carry its own ``topics.yaml`` that adds topics to the rubric.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.content.diagnostics import Diagnostic, LoadError
from game.content.format import Rubric, Scenario
from game.content.loader import PLAN_SUFFIX, RUBRIC_FILE, load_rubric, load_scenario

ENV_VAR = "COMMONGROUND_LIBRARY"
_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_dir(name: str) -> Path:
    """Where a built-in data folder (``scenarios`` or ``assets``) lives.

    A wheel carries them inside the package (``game/_data/NAME``); a source checkout or editable
    install has them at the top of the repository.
    """
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def library_dirs(extra: Sequence[str | Path] = (), *, env: dict[str, str] | None = None) -> list[Path]:
    """The built-in folder, then the environment's folders, then those given on the command line.

    A folder that does not exist is an error (a mistyped ``--library`` must not pass silently as an
    empty library); :class:`LoadError` names every such folder and where it was configured.
    """
    environ = os.environ if env is None else env
    from_env = [Path(p) for p in environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    given = [Path(p) for p in extra]
    missing = [Diagnostic(display_path(d), 1, 1, "CG030", f"library folder '{d}' does not exist", hint=where)
               for ds, where in ((from_env, f"it is listed in ${ENV_VAR}"), (given, "it was given with --library"))
               for d in ds if not d.is_dir()]
    if missing:
        raise LoadError(missing)
    dirs = [builtin_dir("scenarios"), *from_env, *given]
    unique: list[Path] = []
    for d in dirs:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def scenario_files(folder: Path) -> list[Path]:
    """Scenario files under a folder: every ``*.yaml``/``*.yml`` but the rubric and test plans.

    Files reached through a symlink that leaves the folder are left out (:func:`folder_files` reports them).
    """
    return folder_files(folder)[0]


def folder_files(folder: Path, suffixes: Sequence[str] = ("*.yaml", "*.yml"), *,
                 plans: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    """Scenario files (or test plans, with ``plans``) under a folder, and a CG027 for each one refused.

    A file that resolves outside the folder (a symlink to ``/etc/shadow``, say) is refused, never read:
    otherwise an error message quoting its first key would print another file's contents.
    """
    found = sorted(p for ext in suffixes for p in folder.rglob(ext)
                   if not any(part.startswith(".") for part in p.relative_to(folder).parts))
    if plans:
        found = [p for p in found if p.name.endswith(PLAN_SUFFIX)]
    else:
        found = [p for p in found if p.name != RUBRIC_FILE and not p.name.endswith(PLAN_SUFFIX)]
    kept: list[Path] = []
    refused: list[Diagnostic] = []
    for p in found:
        if inside(folder, p):
            kept.append(p)
        else:
            refused.append(outside_diagnostic(folder, p))
    return kept, refused


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path``, with every symlink followed, is still below ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def outside_diagnostic(folder: Path, path: Path) -> Diagnostic:
    return Diagnostic(display_path(path), 1, 1, "CG027",
                      f"a link to a file outside the library folder {display_path(folder)}; it was not read",
                      hint="copy the file into the folder instead of linking to it")


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def rubric_files(dirs: Iterable[Path]) -> list[Path]:
    """Each folder's ``topics.yaml``, unless it is a link out of its folder (that would read another file)."""
    return [d / RUBRIC_FILE for d in dirs if (d / RUBRIC_FILE).is_file() and inside(d, d / RUBRIC_FILE)]


@dataclass
class Library:
    """Every scenario that loaded, the rubric, and the diagnostics of those that did not."""

    rubric: Rubric
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)

    def rubric_beside(self, path: Path) -> Rubric:
        """The rubric for a scenario file: the library's, plus a ``topics.yaml`` in the file's own folder."""
        folder = path.resolve().parent
        if not (folder / RUBRIC_FILE).is_file() or any(folder == d.resolve() for d in self.dirs):
            return self.rubric
        return load_rubric(rubric_files([*(d for d in self.dirs if d.is_dir()), folder]))

    def find(self, name: str) -> Scenario:
        """A scenario by id, or by file path; raises KeyError with a helpful message."""
        if name in self.scenarios:
            return self.scenarios[name]
        path = Path(name)
        if path.suffix in (".yaml", ".yml") and path.exists():
            return load_scenario(path, self.rubric_beside(path), display_path(path))
        from difflib import get_close_matches

        close = get_close_matches(name, list(self.scenarios), n=1)
        extra = f"; did you mean '{close[0]}'?" if close else "; 'commonground list' shows them all"
        raise KeyError(f"no scenario '{name}'{extra}")


def load_library(extra: Sequence[str | Path] = (), *, env: dict[str, str] | None = None) -> Library:
    """Load the rubric and every scenario of every library folder; faults are collected, not raised.

    Raises :class:`LoadError` only when the rubric itself cannot be loaded, since nothing can be
    scored without it.
    """
    dirs = library_dirs(extra, env=env)
    rubric = load_rubric(rubric_files(d for d in dirs if d.is_dir()))
    lib = Library(rubric=rubric, dirs=dirs)
    origin: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        files, refused = folder_files(d)
        lib.diagnostics.extend(refused)
        for path in files:
            shown = display_path(path)
            try:
                scenario = load_scenario(path, rubric, shown)
            except LoadError as exc:
                lib.diagnostics.extend(exc.diagnostics)
                continue
            except (ValueError, TypeError, KeyError, IndexError, RecursionError, MemoryError) as exc:
                # A fault the loader should have reported: one bad file must never stop a class from playing.
                lib.diagnostics.append(Diagnostic(shown, 1, 1, "CG030", f"the file could not be loaded ({exc!r:.200})",
                                                  hint="run 'commonground validate' on it, and report this"))
                continue
            if scenario.id in lib.scenarios:
                message = f"scenario id '{scenario.id}' is already used by {origin[scenario.id]}"
                lib.diagnostics.append(Diagnostic(shown, 1, 1, "CG025", message, hint="give each scenario its own id"))
                continue
            lib.scenarios[scenario.id] = scenario
            origin[scenario.id] = shown
    return lib


def rubric_for(paths: Sequence[Path], extra: Sequence[str | Path] = ()) -> Rubric:
    """The rubric that applies to files being validated: the library's, plus any topics.yaml beside them."""
    dirs = [d for d in library_dirs(extra) if d.is_dir()]
    for p in paths:
        folder = p if p.is_dir() else p.parent
        if folder.is_dir() and (folder / RUBRIC_FILE).is_file() and all(folder.resolve() != d.resolve() for d in dirs):
            dirs.append(folder)
    return load_rubric(rubric_files(dirs))
