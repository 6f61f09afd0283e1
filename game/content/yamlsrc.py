"""Safe YAML reading that keeps every value's place in the file.

One pass of libyaml's C parser gives the node tree (with line and column marks); we build plain
Python data from it ourselves. That is as fast as ``yaml.load(..., CSafeLoader)`` and lets every later
error, from pydantic or from reference checks, point at the exact line and column. Only plain data is
built: tags that would construct objects, duplicate keys, alias bombs, oversized files and bad
encodings are refused with a located diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.content.diagnostics import Diagnostic, LoadError
from game.content.gcpause import gc_paused

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_TIMESTAMP, _MAP, _SEQ, _MERGE = _T + "timestamp", _T + "map", _T + "seq", _T + "merge"

try:  # libyaml's C loader where present, the pure-Python safe loader otherwise
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a fast path for plain text scalars.

    YAML's implicit typing (ints, floats, booleans, nulls, dates) is looked up by a scalar's first
    character; most scenario text is a sentence that no implicit type could match, so it is text
    without trying any pattern. Every other scalar goes through the standard resolver unchanged.
    """

    _typed_first_chars = frozenset(k for k in _BaseLoader.yaml_implicit_resolvers if k)

    def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
        if kind is ScalarNode and implicit[0] and value:
            first = value[0]
            # letters only ever start booleans and nulls, and none of those is longer than five characters
            if first not in self._typed_first_chars or (first.isalpha() and len(value) > 5):
                return _STR
        return super().resolve(kind, value, implicit)

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest file accepted. A 20,000-node scenario is about 10 MB; anything far past that is a mistake."""

MAX_DEPTH = 200
"""Deepest nesting accepted. Scenarios nest about eight levels; libyaml's composer recurses on the C
stack and crashes the process on inputs thousands of levels deep, so depth is checked before composing."""

ALIAS_EXPANSION_FACTOR = 4
"""How many times larger than its own node count a document may grow through aliases."""

MAX_INT = 2**53 - 1
"""Largest whole number a scenario may hold (either sign): every JSON reader keeps it exactly, so logs and
xAPI statements can always be written and read back."""

MAX_NUMBER_CHARS = 64
"""Longest scalar read as a number; checked before converting, since converting a huge one costs time."""

_BOOL_VALUES = {"true": True, "false": False}
"""YAML 1.2's core schema, as JSON Schema tools read YAML: only true and false are booleans. The YAML 1.1
words (yes, no, on, off) stay text, so a line of dialogue that says "no" is never turned into false."""
_YAML11_WORDS = {"yes", "no", "on", "off", "y", "n"}

Location = tuple[int, int]
PathKey = Sequence[str | int]


@dataclass
class YamlSource:
    """A parsed YAML file: its plain data plus the node tree to locate any value in it."""

    path: Path
    display: str
    data: Any
    root: Node | None
    raw: bytes = b""

    def locate(self, loc: PathKey, *, key: bool = False) -> Location:
        """Line and column (1-based) of the value at ``loc``, or of its key when ``key`` is set.

        Walks as far down the path as the file goes, so a missing key points at its parent mapping.
        """
        node = self.node_at(loc, key=key)
        if node is None:
            return (1, 1)
        mark = node.start_mark
        return (mark.line + 1, mark.column + 1)

    def node_at(self, loc: PathKey, *, key: bool = False) -> Node | None:
        """The YAML node :meth:`locate` points at (None for an empty document)."""
        node = self.root
        if node is None:
            return None
        mark_node: Node = node
        for part in loc:
            if isinstance(node, MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, ScalarNode) and k.value == str(part):
                        found = (k, v)
                if found is None:
                    break
                mark_node = found[0] if key and part == loc[-1] else found[1]
                node = found[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark_node = node
            else:
                break
        return mark_node

    def diag(self, code: str, message: str, loc: PathKey = (), *, key: bool = False, hint: str = "") -> Diagnostic:
        line, col = self.locate(loc, key=key)
        return Diagnostic(self.display, line, col, code, message, hint=hint)


def read_yaml(path: Path, display: str | None = None, *, max_bytes: int = MAX_FILE_BYTES) -> YamlSource:
    """Read one YAML file safely; raise :class:`LoadError` with located diagnostics on any fault."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(str(path))
    except OSError as exc:
        raise LoadError([Diagnostic(shown, 1, 1, "CG030", f"cannot read the file: {exc.strerror or exc}")]) from None
    if size > max_bytes:
        raise LoadError([Diagnostic(
            shown, 1, 1, "CG003",
            f"file is {size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB",
            hint="split the content into several scenarios",
        )])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError([Diagnostic(shown, 1, 1, "CG030", f"cannot read the file: {exc.strerror or exc}")]) from None
    return parse_yaml(raw, shown, path=path)


def parse_yaml(raw: bytes, display: str, *, path: Path | None = None) -> YamlSource:
    """Parse bytes already read; see :func:`read_yaml`."""
    text = _decode(raw, display)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise LoadError([Diagnostic(display, 1, 1, "CG004", "the file is empty",
                                    hint="start from 'commonground new ID --topic TOPIC'")])
    _check_depth(text, display)
    with gc_paused():
        root = _compose(text, display)
        if root is None:
            raise LoadError([Diagnostic(display, 1, 1, "CG004", "the file is empty")])
        builder = _Builder(display)
        if "&" in text and _ANCHOR.search(text):
            builder.check_alias_budget(root)
        data = builder.build(root)
    if builder.errors:
        raise LoadError(builder.errors)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        message = f"the top level is {kind}; it must be a mapping of keys such as 'id:' and 'title:'"
        raise LoadError([Diagnostic(display, root.start_mark.line + 1, root.start_mark.column + 1, "CG005", message)])
    return YamlSource(path or Path(display), display, data, root, raw)


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError([Diagnostic(display, line, col, "CG002",
                                    f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
                                    hint="save the file as UTF-8 in your editor")]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise LoadError([Diagnostic(display, line, 1, "CG002", "the file holds NUL bytes; it is not text")])
    return text


_ANCHOR = re.compile(r"(?:^|[\s\[{,:?-])&\S")
_DEEP_RUN = rf"[ ?-]{{{MAX_DEPTH // 2}}}"
_DEEP_LINE = re.compile("\n" + _DEEP_RUN)  # led by a literal newline, the scan is far faster than with ^
_DEEP_FIRST_LINE = re.compile(_DEEP_RUN)
_BRACKETS = re.compile(r"[\[\]{}]")


def _check_depth(text: str, display: str) -> None:
    """Refuse absurdly deep nesting before libyaml's recursive composer sees it.

    A cheap upper bound clears every real scenario: block nesting cannot exceed a line's leading run
    of spaces and dashes, and flow nesting cannot exceed the bracket depth; only when either could
    pass half the limit are the parser's events walked to measure the true depth.
    """
    depth = flow = 0
    for m in _BRACKETS.finditer(text):
        flow = flow + 1 if m.group() in "[{" else max(flow - 1, 0)
        depth = max(depth, flow)
    if depth <= MAX_DEPTH // 2 - 2 and not _DEEP_LINE.search(text) and not _DEEP_FIRST_LINE.match(text):
        return
    level = 0
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                level += 1
                if level > MAX_DEPTH:
                    mark = event.start_mark
                    raise LoadError([Diagnostic(display, mark.line + 1, mark.column + 1, "CG011",
                                                f"the YAML nests more than {MAX_DEPTH} levels deep")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                level -= 1
    except yaml.YAMLError as exc:
        raise LoadError([_yaml_error(exc, display, text)]) from None
    finally:
        loader.dispose()


def _compose(text: str, display: str) -> Node | None:
    _check_indentation(text, display)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            mark = exc.problem_mark
            raise LoadError([Diagnostic(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                        "CG009", "the file holds more than one YAML document ('---')",
                                        hint="put each scenario in its own file")]) from None
        raise LoadError([_yaml_error(exc, display, text)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([_yaml_error(exc, display, text)]) from None
    finally:
        loader.dispose()
    return root


_NBSP_INDENT = re.compile(r"^[ \t]*[\u00a0\u2007\u202f][ \t\u00a0\u2007\u202f]*(?=[^\s:\u00a0\u2007\u202f])", re.M)
"""Non-breaking spaces where indentation goes, before a line's content (a key made of one alone is left be)."""


def _check_indentation(text: str, display: str) -> None:
    """A non-breaking space in a line's indentation (pasted from a word processor) is not a space to YAML:
    it would silently become part of a key. Say so, at its line, before YAML misreads it."""
    found = _NBSP_INDENT.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        col = found.group().find(next(c for c in found.group() if c in "\u00a0\u2007\u202f")) + 1
        raise LoadError([Diagnostic(display, line, col, "CG001",
                                    f"a non-breaking space (U+{ord(found.group()[col - 1]):04X}) in the indentation of "
                                    f"line {line}; YAML indents with plain spaces",
                                    hint="retype the indentation with the space bar; text pasted from a word "
                                         "processor often carries non-breaking spaces")])


def _yaml_error(exc: yaml.YAMLError, display: str, text: str = "") -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    hint = ""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    opened = getattr(exc, "context_mark", None)
    if "\t" in here[: len(here) - len(here.lstrip(" \t"))] or "\t" in problem:
        message = f"a tab in the indentation of line {line}; YAML indents with spaces only"
        hint = "replace the tab with spaces (set your editor to insert spaces for Tab in YAML files)"
    elif context and "flow" in context and opened is not None and opened.line + 1 != line:
        bracket = "{" if "mapping" in context else "["
        closing = "}" if bracket == "{" else "]"
        line, col = opened.line + 1, opened.column + 1
        message = f"the '{bracket}' opened on line {line} is never closed with '{closing}'"
        hint = f"add the missing '{closing}', or quote text that holds a '{bracket}'"
    elif "mapping values are not allowed" in problem:
        hint = "a line with ':' inside text needs quotes around the text"
    return Diagnostic(display, line, col, "CG001", message, hint=hint)


class _Builder:
    """Turns a node tree into dicts, lists and scalars, refusing anything but plain data."""

    def __init__(self, display: str):
        self.display = display
        self.errors: list[Diagnostic] = []
        self._scalar_loader = _Loader("")  # only for its YAML 1.1 int/float parsing rules

    def _error(self, node: Node, code: str, message: str, hint: str = "") -> None:
        m = node.start_mark
        self.errors.append(Diagnostic(self.display, m.line + 1, m.column + 1, code, message, hint=hint))

    def check_alias_budget(self, root: Node) -> None:
        """Refuse 'billion laughs' documents before expanding anything."""
        sizes: dict[int, int] = {}
        uses: dict[int, int] = {}
        nodes: dict[int, Node] = {}
        distinct = 0

        def size(node: Node) -> int:
            nonlocal distinct
            uses[id(node)] = uses.get(id(node), 0) + 1
            known = sizes.get(id(node))
            if known is not None:
                return known
            nodes[id(node)] = node
            distinct += 1
            total = 1
            if isinstance(node, MappingNode):
                for k, v in node.value:
                    total += size(k) + size(v)
            elif isinstance(node, SequenceNode):
                for item in node.value:
                    total += size(item)
            sizes[id(node)] = total
            return total

        expanded = size(root)
        if expanded > ALIAS_EXPANSION_FACTOR * distinct + 10_000:
            # the anchor to point at: the reused node that adds the most (its size times its extra uses)
            worst = max((i for i, n in uses.items() if n > 1), key=lambda i: (uses[i] - 1) * sizes[i], default=None)
            at = nodes[worst] if worst is not None else root
            raise LoadError([Diagnostic(
                self.display, at.start_mark.line + 1, at.start_mark.column + 1, "CG008",
                f"anchors and aliases expand {distinct:,} nodes to {expanded:,}; the anchor here is repeated by "
                f"{uses.get(worst, 1) - 1:,} aliases, {sizes.get(worst, expanded):,} nodes each; refusing to build it",
                hint="write the repeated content out, or reuse it by id rather than by YAML alias",
            )])

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._error(node, "CG007", f"tag '{node.tag}' is not allowed; only plain YAML data is")
            return [self.build(item) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                self._error(node, "CG007", f"tag '{node.tag}' is not allowed; only plain YAML data is")
            return self._mapping(node)
        raise AssertionError(f"unknown node {node!r}")  # pragma: no cover

    def _mapping(self, node: MappingNode) -> dict:
        """Keys written here override merged ones (``<<: *base`` then ``text: ...``), as YAML intends;
        only a key written twice here is a duplicate."""
        result: dict = {}
        explicit: set = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = self.build(value_node)
                sources = merged if isinstance(merged, list) else [merged]
                for src in sources:
                    if isinstance(src, dict):
                        for k, v in src.items():
                            result.setdefault(k, v)
                continue
            key = self.build(key_node)
            if isinstance(key, (list, dict)):
                self._error(key_node, "CG011", "a key must be a plain value, not a list or mapping")
                continue
            if key in explicit:
                self._error(key_node, "CG006", f"duplicate key '{key}' in this mapping",
                            hint="remove or rename one of them; YAML would silently keep only the last")
                continue
            explicit.add(key)
            result[key] = self.build(value_node)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT:
            return self._int(node)
        if tag == _BOOL:
            flag = _BOOL_VALUES.get(value.lower())
            if flag is None and value.lower() in _YAML11_WORDS:
                return value  # text, as YAML 1.2 reads it; a flag given it is told to write true or false
            if flag is None:
                self._error(node, "CG011", f"'{_shown(value)}' is not true or false",
                            hint="write true or false")
            return flag
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            return self._float(node)
        if tag == _TIMESTAMP:
            return value  # dates stay text: the format stores them as ISO strings
        self._error(node, "CG007", f"tag '{tag}' is not allowed; only plain YAML data is",
                    hint="remove the '!' tag; scenarios hold text, numbers, lists and mappings only")
        return None

    def _int(self, node: ScalarNode) -> int | None:
        """A whole number within :data:`MAX_INT` either way; anything else is a located error, never a crash."""
        value = node.value
        if len(value) > MAX_NUMBER_CHARS:
            self._error(node, "CG011", f"the number '{_shown(value)}' is too long ({len(value):,} characters)",
                        hint=f"numbers in a scenario lie between -{MAX_INT:,} and {MAX_INT:,}")
            return None
        try:
            number = int(value)
        except ValueError:
            try:  # YAML 1.1 forms: 0x1F, 0o17, 017, 0b101, 1_000, 1:30
                number = self._scalar_loader.construct_yaml_int(node)
            except (ValueError, IndexError):
                self._error(node, "CG011", f"'{_shown(value)}' is not a whole number",
                            hint="write digits such as 10 or -5, or remove the '!!int' tag")
                return None
        if not -MAX_INT <= number <= MAX_INT:
            self._error(node, "CG011", f"the number '{_shown(value)}' is too large",
                        hint=f"numbers in a scenario lie between -{MAX_INT:,} and {MAX_INT:,}")
            return None
        return number

    def _float(self, node: ScalarNode) -> float | None:
        value = node.value
        try:
            if len(value) > MAX_NUMBER_CHARS:
                raise ValueError(value)
            return float(self._scalar_loader.construct_yaml_float(node))
        except (ValueError, IndexError):
            self._error(node, "CG011", f"'{_shown(value)}' is not a number",
                        hint="write a number such as 10 or 2.5, or remove the '!!float' tag")
            return None


def _shown(value: str, limit: int = 40) -> str:
    """A scalar as an error message quotes it: short, one line."""
    text = value.replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 3] + "..."
