"""One cause, one error: follow-on diagnostics folded into the first, and reference checks that still run
when part of a file has the wrong shape.

A missing ``trust`` meter makes every condition that reads it an "unknown variable"; a misspelled
topic makes every score under it an "unknown topic". Listing each drowns the cause, so the first
stays, with a note of how many places it affects, and a missing required meter absorbs them all.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from game.content.diagnostics import Diagnostic

_FOLDED = [
    # (code, pattern whose first group names the cause)
    ("CG022", re.compile(r"unknown variable '([^']+)'")),
    ("CG021", re.compile(r"unknown topic '([^']+)'")),
    ("CG021", re.compile(r"unknown principle '([^']+)'")),
    ("CG024", re.compile(r"unknown speaker '([^']+)'")),
    ("CG020", re.compile(r"'([^']+)' is not a node")),
    ("CG031", re.compile(r"'([^']+)' is not an objective id")),
]
_MISSING_METER = re.compile(r"missing meter '([^']+)'")


def collapse(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Keep the first diagnostic of each cause, noting how many more places it affects."""
    missing = {m.group(1): d for d in diagnostics if d.code == "CG012" and (m := _MISSING_METER.search(d.message))}
    groups: dict[tuple[str, str, str], list[Diagnostic]] = {}
    kept: list[Diagnostic] = []
    for d in sorted(diagnostics):
        cause = _cause(d)
        if cause is None:
            kept.append(d)
            continue
        if cause[0] == "CG022" and cause[2] in missing:
            groups.setdefault(("CG012", "meter", cause[2]), []).append(d)
            continue
        group = groups.setdefault(cause, [])
        if not group:
            kept.append(d)
        group.append(d)
    out = []
    for d in kept:
        cause = _cause(d)
        more = len(groups.get(cause, [])) - 1 if cause else 0
        if more > 0:
            d = replace(d, message=f"{d.message} (and {more} more reference{'s' if more > 1 else ''} to it)")
        out.append(d)
    for name, d in missing.items():
        refs = len(groups.get(("CG012", "meter", name), []))
        if refs:
            out.remove(d)
            out.append(replace(d, message=f"{d.message} ({refs} condition{'s' if refs > 1 else ''} or effect"
                                          f"{'s' if refs > 1 else ''} refer to it)"))
    return sorted(out)


def _cause(d: Diagnostic) -> tuple[str, str, str] | None:
    for code, pattern in _FOLDED:
        if d.code == code and (m := pattern.search(d.message)):
            return code, pattern.pattern, m.group(1)
    return None


# --- reference checks despite structural errors ----------------------------------------------------

_GIVE_UP = {"nodes", "endings", "start", "topics", "meters", "flags", "counters", "people"}
"""Top-level fields without which reference checks would only produce noise."""
_PLACEHOLDER = {"id": "placeholder", "title": "placeholder", "summary": "placeholder", "setting": "placeholder",
                "minutes": 1, "difficulty": "introductory", "version": "1", "author": "placeholder",
                "sources": ["placeholder"], "format": 1, "objectives": ["placeholder"]}
MAX_ROUNDS = 5


class Pruned:
    """What was set aside to let the rest validate, so references to it are not reported as missing."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.objectives = False

    def covers(self, d: Diagnostic) -> bool:
        cause = _cause(d)
        if cause is not None and cause[2] in self.names:
            return True
        return self.objectives and d.code == "CG031"


def _drop_key(data: Any, loc: tuple) -> bool:
    """Remove an unknown key where it stands; False if the path no longer leads there."""
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(parent, dict) and loc[-1] in parent:
        del parent[loc[-1]]
        return True
    return False


def prune(data: Any, errors: list[tuple[tuple, str]], pruned: Pruned) -> Any | None:
    """A copy of ``data`` without the parts in ``errors`` ((loc, kind) pairs); None when nothing is checkable."""
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    start = data.get("start")
    for loc, kind in sorted(errors, key=lambda e: len(e[0]), reverse=True):
        if not loc:
            return None
        if kind == "extra_forbidden" and _drop_key(data, loc):
            continue
        head = loc[0]
        if head in ("nodes", "endings", "people", "meters", "variants") and len(loc) >= 2:
            container = data.get(head)
            if not isinstance(container, dict):
                return None
            key = loc[1]
            node = container.get(key)
            if head == "nodes" and isinstance(node, dict) and len(loc) >= 4 and loc[2] in ("choices", "branches"):
                items = node.get(loc[2])
                if isinstance(items, list) and isinstance(loc[3], int) and loc[3] < len(items):
                    if not isinstance(start, str):
                        return None
                    items[loc[3]] = {"text": "placeholder", "goto": start} if loc[2] == "choices" else {"goto": start}
                    continue
            if head == "nodes" and isinstance(node, dict) and len(loc) >= 3 and loc[2] == "time_limit":
                node.pop("time_limit", None)
                continue
            if key in container:
                del container[key]
            pruned.names.add(str(key))
        elif head in ("instructor", "pass_mark", "failing_outcomes", "principles"):
            data.pop(head, None)
        elif head == "objectives":
            data["objectives"] = ["placeholder"]
            pruned.objectives = True
        elif head in _PLACEHOLDER:
            data[head] = _PLACEHOLDER[head]
        else:
            return None  # a top-level field the references depend on (_GIVE_UP), or an unknown key's siblings
    return data


def references_despite(data: Any, locs: list[tuple[tuple, str]],
                        check: Callable[[Any], list[Diagnostic] | None]) -> list[Diagnostic]:
    """Reference diagnostics of the parts of a file that have the right shape.

    ``check`` validates plain data and returns its reference diagnostics; it raises :class:`StillWrong`
    with the locations that are still wrong, which are set aside in turn.
    """
    pruned = Pruned()
    for _ in range(MAX_ROUNDS):
        data = prune(data, locs, pruned)
        if data is None:
            return []
        try:
            found = check(data)
        except StillWrong as more:
            locs = more.locs
            continue
        return [d for d in (found or []) if not pruned.covers(d)]
    return []


class StillWrong(Exception):
    def __init__(self, locs: list[tuple[tuple, str]]):
        super().__init__(f"{len(locs)} location(s) still wrong")
        self.locs = locs
