"""Checking a score log's hash chain, so a trainee cannot quietly edit their own record.

Every event carries ``prev`` (the hash of the event before it) and ``hash`` (its own, chained; an
HMAC with the academy key when one is set). Walking the lines in order tells edited, deleted,
inserted and reordered events apart, each with the line where it shows. Reports and exports call
:func:`verify_lines` so an unverified log is flagged rather than trusted silently.

What a chain cannot prove: without an academy key anyone can recompute the whole chain after an
edit, so only a keyed log is tamper-evident against a deliberate forger. A whole unkeyed chain is
therefore called "unsigned: edits cannot be detected", never "verified"; and wherever a key is
configured an unkeyed log is refused (a keyed log rewritten as unkeyed would otherwise pass). Every
event is also checked against the format (:mod:`game.records.logformat`), and the summary against
the logged choices (:func:`game.records.integrity.summary_disagreement`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.records import integrity, logformat
from game.records.logread import LogRead
from game.records.scorelog import GENESIS, HASH_FIELD, SUPPORTED_VERSIONS, body_hash, chain_hash


@dataclass(frozen=True)
class Issue:
    """One finding; ``line`` is 1-based (0 for the file as a whole)."""

    line: int
    kind: str
    """edited, deleted, inserted, reordered, damaged, truncated, unkeyed, key, version, session, summary."""
    message: str


@dataclass
class Verdict:
    path: str
    events: int = 0
    keyed: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No issue: the chain is whole (which, for an unkeyed log, proves nothing: see :attr:`status`)."""
        return not self.issues

    @property
    def status(self) -> integrity.Status:
        """``verified`` (whole and keyed), ``unsigned`` (whole, unkeyed: edits cannot be detected) or ``failed``."""
        return integrity.status(self.ok, self.keyed)

    @property
    def label(self) -> str:
        return integrity.LABELS[self.status]

    def lines(self) -> list[str]:
        """``path:line:1: message`` for each issue, as every diagnostic in the project reads."""
        return [f"{self.path}:{max(i.line, 1)}:1: {i.kind}: {i.message}" for i in self.issues]

    @property
    def first(self) -> str:
        return self.lines()[0] if self.issues else ""


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("hash"), str) or not isinstance(event.get("seq"), int):
        return None
    return event if well_typed(event) else None


def well_typed(event: dict[str, Any]) -> bool:
    """The chain fields a check hashes or looks up are strings (anything else is damage, not a crash)."""
    return isinstance(event.get("prev", ""), str) and isinstance(event.get("session", ""), str)


TAIL = len(HASH_FIELD) + 64 + 2
"""The bytes after an event's canonical body on a line in the writer's layout: ``,"hash":"``, 64 hex digits, ``"}``."""


def split_line(line: bytes) -> tuple[bytes, bytes] | None:
    """A line in the writer's layout as (the hashed canonical bytes, the hash); None for any other layout.

    Nothing here says the bytes are canonical: only a hash that matches them does (see :func:`raw_ok`).
    """
    line = line.rstrip(b"\r")
    if len(line) <= TAIL or line[-TAIL:-TAIL + len(HASH_FIELD)] != HASH_FIELD or line[-2:] != b'"}':
        return None
    return line[:-TAIL] + b"}", line[-66:-2]


def raw_ok(line: bytes, prev: str, digest: str, key: bytes | None) -> bool:
    """The fast check: the line is in the writer's layout and its raw bytes hash to ``digest``, chained to ``prev``.

    The chain hashes canonical bytes, so a line that passes is byte for byte what the writer wrote (for a
    keyed log, only the writer can make one pass); a line that fails may still be an old-layout line, which
    the full parse and canonical check decides.
    """
    parts = split_line(line)
    return parts is not None and parts[1] == digest.encode() and body_hash(prev, parts[0], key) == digest


def version_message(version: object) -> str:
    """Why a log of another schema version is not read: older ones would need a converter, newer ones an upgrade."""
    reads = ", ".join(map(str, SUPPORTED_VERSIONS))
    if isinstance(version, int) and not isinstance(version, bool) and version > max(SUPPORTED_VERSIONS):
        return (f"score-log schema version {version} is newer than this program reads ({reads}): "
                "upgrade Common Ground to read it")
    return (f"score-log schema version {version!r} is not one this program reads ({reads}); "
            "see docs/score-log.md, Versions")


def _written(event: dict[str, Any]) -> bytes:
    """An event as the writer laid it out before lines were canonical (fields in writing order)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def chain_intact(raw_lines: Sequence[bytes], key: bytes | None) -> bool:
    """Whether every non-blank line, in order, is the writer's line chained to the one before it from the start.

    A walk over raw bytes that parses no JSON, for readers of many logs. ``key`` is the key the log was
    written with (None for an unkeyed log). A log that passes has no edited, deleted, inserted or reordered
    line (for an unkeyed log: none but by recomputing the chain, which no check can catch); a log that fails
    may still verify (lines in the old layout, or only spacing changed), so :func:`verify_lines` decides it.
    A log cut short is a whole chain too: whether it ends in its summary is the caller's to check.
    """
    genesis = prev = GENESIS.encode()
    field, sha256, mac = HASH_FIELD, hashlib.sha256, hmac.digest  # body_hash, inlined: cohort runs this per line
    for line in raw_lines:
        line = line.rstrip(b"\r")
        if len(line) <= TAIL or line[-TAIL:-TAIL + len(field)] != field or line[-2:] != b'"}':
            if line.strip():
                return False
            continue
        digest = line[-66:-2]
        data = prev + b"\n" + line[:-TAIL] + b"}"
        made = mac(key, data, "sha256").hex() if key else sha256(data).hexdigest()
        if made.encode() != digest:
            return False
        prev = digest
    return prev != genesis


def verify_lines(path: str, raw_lines: Sequence[bytes], key: bytes | None,
                 events: Sequence[dict[str, Any] | None] | None = None, *, strict: bool = True) -> Verdict:
    """Check a log given as its lines (``events`` may pass them already parsed, one per line)."""
    parsed = list(events) if events is not None else [_parse(b) if b.strip() else None for b in raw_lines]
    rows = [(n, e) for n, (b, e) in enumerate(zip(raw_lines, parsed), 1) if b.strip()]
    verdict = Verdict(path)
    issues = verdict.issues
    if not rows:
        issues.append(Issue(1, "truncated", "the log holds no events"))
        return verdict
    first = rows[0][1]
    good = [e for _, e in rows if e is not None]
    if first is not None and first.get("type") == "session_start":
        verdict.keyed = bool(first.get("keyed"))
    else:  # the start is gone or damaged: tell a keyed log by its hashes
        verdict.keyed = bool(key) and any(chain_hash(e.get("prev", ""), e, key) == e["hash"] for e in good)
    if verdict.keyed and not key:
        issues.append(Issue(0, "key", "the log is keyed with an academy secret and none is set here "
                                      "(set COMMONGROUND_ACADEMY_KEY or the academy.key file to verify it)"))
        return verdict
    use_key = key if verdict.keyed else None
    verdict.events = len(good)
    if key and not verdict.keyed:
        issues.append(Issue(1, "unkeyed", "the log is not keyed with the academy secret, so its chain proves nothing "
                                          "against a deliberate edit"))
    where: dict[str, list[int]] = {}
    for n, e in rows:
        if e is not None:
            where.setdefault(e["hash"], []).append(n)
    exact = {n for n, e in rows if e is not None and raw_ok(raw_lines[n - 1], e.get("prev", ""), e["hash"], use_key)}
    self_ok = {n: n in exact or (e is not None and chain_hash(e.get("prev", ""), e, use_key) == e["hash"])
               for n, e in rows}
    if good and not any(self_ok.values()):
        why = "the academy key differs from the one it was written with, or " if verdict.keyed else ""
        issues.append(Issue(0, "key", f"no event matches its hash: {why}the whole log was rewritten"))
        return verdict
    if strict:  # the writer's exact bytes (either layout): a change that JSON parsing would hide is still a change
        for n, e in rows:
            if e is not None and self_ok[n] and n not in exact and raw_lines[n - 1].rstrip(b"\r") != _written(e):
                self_ok[n] = False
    sessions = [e.get("session") for e in good]
    session = max(set(sessions), key=sessions.count) if sessions else None
    last: dict[str, Any] | None = None  # the last event accepted into the chain
    last_line = 0
    before_last = GENESIS  # the hash the accepted event chained to
    skip_link = False  # the previous line was already reported, so its successor's link is unknown
    flagged_out_of_order: set[str] = set()
    for index, (n, e) in enumerate(rows):
        want_prev = last["hash"] if last else GENESIS
        want_seq = last["seq"] + 1 if last else 0
        nxt = rows[index + 1][1] if index + 1 < len(rows) else None
        if e is None:
            issues.append(Issue(n, "damaged", "not a score-log event (the line was edited or damaged)"))
            skip_link = True
            continue
        if e.get("v") not in SUPPORTED_VERSIONS and not any(i.kind == "version" for i in issues):
            issues.append(Issue(n, "version", version_message(e.get("v"))))
        if session is not None and e.get("session") != session:
            issues.append(Issue(n, "inserted", f"event from another session ({e.get('session')!r})"))
            skip_link = True
            continue
        if not self_ok[n]:
            if nxt is not None and nxt.get("prev") == want_prev and nxt.get("seq") == e.get("seq"):
                issues.append(Issue(n, "inserted", "an event that is not in the chain (the next event follows the "
                                                   "one before it)"))
                continue
            issues.append(Issue(n, "edited", f"event seq {e['seq']} does not match its hash (edited)"))
            last, last_line, before_last, skip_link = e, n, want_prev, True
            continue
        copies = where.get(e["hash"], [])
        if len(copies) > 1 and e.get("prev") != want_prev:
            other = next(c for c in copies if c != n)
            issues.append(Issue(n, "inserted", f"a copy of the event on line {other}"))
            continue
        if e.get("prev") == want_prev:
            if last is not None and last.get("type") == "summary":
                issues.append(Issue(n, "inserted", "an event after the closing summary (a log ends with it)"))
                continue
            if e["seq"] != want_seq:
                issues.append(Issue(n, "edited", f"sequence number {e['seq']} where {want_seq} belongs"))
            last, last_line, before_last, skip_link = e, n, want_prev, False
            continue
        if skip_link or e.get("prev") in flagged_out_of_order:
            last, last_line, before_last, skip_link = e, n, e.get("prev", ""), False
            continue
        later = [c for c in where.get(e.get("prev", ""), []) if c > n]
        if later:
            issues.append(Issue(n, "reordered", f"event seq {e['seq']} comes before the event it follows "
                                                f"(line {later[0]})"))
            flagged_out_of_order.add(e["hash"])
            continue
        if last is not None and e.get("prev") == before_last:
            issues.append(Issue(last_line, "inserted", f"an event that is not in the chain (line {n} follows the "
                                                       "event before it)"))
            last, last_line, before_last = e, n, e["prev"]
            continue
        gap = e["seq"] - want_seq
        missing = f"seq {want_seq}" if gap == 1 else f"seq {want_seq} to {e['seq'] - 1}" if gap > 1 else "events"
        issues.append(Issue(n, "deleted", f"{missing} missing before this line (its predecessor is gone)"))
        last, last_line, before_last = e, n, e.get("prev", "")
    for n, e in rows:
        wrong = logformat.problem(e) if e is not None else None
        if wrong is not None:
            issues.append(Issue(n, "damaged", f"not a valid {str(e.get('type'))[:20]!r} event: {wrong}"))
    if not any(e is not None and e.get("type") == "summary" for _, e in rows):
        issues.append(Issue(rows[-1][0], "truncated", "the log ends without its closing summary (events deleted "
                                                      "at the end, or the session was cut off)"))
    elif not issues:
        summary_check(verdict, [e for _, e in rows if e is not None], rows[-1][0])
    return verdict


def summary_check(verdict: Verdict, events: Sequence[dict[str, Any]], line: int, scenario: Any = None,
                  rubric: Any = None) -> None:
    """Add a ``summary`` issue when the closing summary disagrees with the logged choices."""
    why = integrity.summary_disagreement(events, scenario, rubric)
    if why is not None:
        verdict.issues.append(Issue(line, "summary", f"{why} (the summary was edited, or not written by this program)"))


def verify_log(log: LogRead, key: bytes | None, scenario: Any = None, rubric: Any = None) -> Verdict:
    """Verify a log already read (the very bytes its events came from); with its scenario at hand, the summary is
    also compared with what the engine makes of the logged choices. What debrief, xapi and verify each ask."""
    lines = log.raw.split(b"\n")
    verdict = verify_lines(log.path, lines, key)
    if verdict.ok and scenario is not None and rubric is not None:
        summary_check(verdict, log.events, len(lines), scenario, rubric)
    return verdict


def verify_file(path: Path, key: bytes | None) -> Verdict:
    """Verify one log file; an unreadable file is one issue, not an exception."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Verdict(str(path), issues=[Issue(0, "damaged", f"cannot read the log: {exc.strerror or exc}")])
    return verify_lines(str(path), raw.split(b"\n"), key)
