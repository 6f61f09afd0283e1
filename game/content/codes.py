"""The catalogue of diagnostic codes. Each code is documented in ``docs/diagnostics/CODE.md``.

CG0xx are load errors (the file cannot be used); CG1xx are lint findings (``commonground lint``).
Codes never change meaning once published: logs, CI configs and editor settings refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.content.diagnostics import Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


_ERR = Severity.ERROR
_WARN = Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in [
        Code("CG001", "yaml-syntax", _ERR, "The file is not valid YAML (includes tab indentation)."),
        Code("CG002", "bad-encoding", _ERR, "The file is not UTF-8 text."),
        Code("CG003", "file-too-large", _ERR, "The file is larger than the loader accepts."),
        Code("CG004", "empty-file", _ERR, "The file holds no YAML document."),
        Code("CG005", "not-a-mapping", _ERR, "The top level of the file must be a mapping of keys."),
        Code("CG006", "duplicate-key", _ERR, "A key appears twice in the same mapping."),
        Code("CG007", "forbidden-tag", _ERR, "A YAML tag that would construct objects or is not plain data."),
        Code("CG008", "alias-expansion", _ERR, "Anchors and aliases expand to far more data than the file holds."),
        Code("CG009", "multiple-documents", _ERR, "The file holds more than one YAML document."),
        Code("CG010", "unknown-key", _ERR, "A key the format does not define (often a typo)."),
        Code("CG011", "invalid-value", _ERR, "A value has the wrong type or is out of range."),
        Code("CG012", "missing-key", _ERR, "A required key is missing."),
        Code("CG020", "unknown-target", _ERR, "A goto names a node or ending that does not exist."),
        Code("CG021", "unknown-principle", _ERR, "A score names a topic or principle that is not in the rubric."),
        Code("CG022", "unknown-variable", _ERR, "A condition or effect names a variable that is not declared."),
        Code("CG023", "bad-condition", _ERR, "A condition is not a valid expression of the condition language."),
        Code("CG024", "unknown-speaker", _ERR, "A speaker is not one of the scenario's people."),
        Code("CG025", "duplicate-id", _ERR, "Two nodes, endings, choices or scenarios share an id."),
        Code("CG026", "unknown-topic", _ERR, "A topic is not in the rubric."),
        Code("CG027", "path-escapes-folder", _ERR, "A path in the content points outside its folder."),
        Code("CG028", "topic-not-claimed", _ERR, "A score names a principle of a topic the scenario does not list."),
        Code("CG029", "type-mismatch", _ERR, "A condition or effect uses a variable as the wrong type."),
        Code("CG030", "unreadable-file", _ERR, "The file cannot be read (missing, a folder, or no permission)."),
        Code("CG031", "unknown-reference", _ERR,
             "An objective, failing outcome, review-question node or variant names something that does not exist."),
        Code("CG032", "branch-loop", _ERR, "Automatic branches route in a loop with no choice, so play would stop."),
        Code("CG033", "offers-nothing", _ERR,
             "A node that, in some reachable state, offers no choice and has no time limit, so play would stop."),
        Code("CG034", "too-many-states-to-score", _ERR,
             "More reachable states than scoring can explore, so a session could not be scored at its ending."),
        Code("CG035", "no-ending", _ERR, "No playthrough from the start reaches an ending, so no session could end."),
        # lint findings: the file loads, but something in it will not work as the author meant
        Code("CG101", "unreachable", _WARN, "A node or ending that no playthrough can reach."),
        Code("CG102", "dead-end", _WARN, "A node reachable in a state where nothing is offered and no timer runs."),
        Code("CG103", "no-way-out", _WARN, "A loop that, once entered, can never reach an ending."),
        Code("CG104", "never-holds", _WARN, "A condition that is false in every state in which it is checked."),
        Code("CG105", "always-holds", _WARN, "A condition that is true in every state in which it is checked."),
        Code("CG106", "unused-variable", _WARN, "A meter, flag or counter that nothing reads or changes."),
        Code("CG107", "no-score", _WARN, "A choice or time-out that scores no principle."),
        Code("CG108", "no-feedback", _WARN, "A choice or time-out with no feedback."),
        Code("CG109", "principle-not-scored", _WARN, "A principle the scenario claims to teach that no step scores."),
        Code("CG110", "timeout-goes-nowhere", _WARN, "Letting the time run out leads nowhere an ending can follow."),
        Code("CG111", "duplicate-choice-text", _WARN, "Two choices at one node read the same."),
        Code("CG112", "text-too-long", _WARN, "Text longer than the game can show in its place."),
        Code("CG113", "too-many-states", _WARN, "Too many states to explore; the state checks were skipped."),
        Code("CG114", "give-away", _WARN,
             "A decision where only one option scores positive, in a scenario where most decisions are like that."),
        Code("CG115", "best-is-longest", _WARN, "A decision whose best option is also its longest text."),
        Code("CG116", "critical-without-feedback", _WARN, "A choice marked as a critical error with no feedback."),
        Code("CG117", "positive-loop", _WARN, "A loop in play whose choices score positive each time round."),
        Code("CG120", "hidden-by-branch", _WARN,
             "A branch with no 'if' always routes away, so the node's line and choices are never shown."),
    ]
}
