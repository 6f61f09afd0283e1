"""The instructor's guide to one scenario: what to teach, each decision with its options and why.

Built from the loaded scenario and the rubric alone (no log): the summary and objectives, the
decisions in reading order with every option's scores, feedback and critical errors, the path that
takes the best option at every decision (one per variant), the endings and what fails, and the
instructor's layer (facilitation notes, after-action review questions by step of the Critical
Decision-Making Model, jurisdiction notes). ``markdown`` prints it; ``game.reports.html`` renders it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from game.analysis import exemplar
from game.content.format import Choice, Rubric, Scenario, TimeLimit

PHASES: dict[str, str] = {
    "information": "Information: what did you know, and what did you find out?",
    "threat": "Threat and risk: what could go wrong, for whom, and how soon?",
    "authority": "Authority and policy: what did the law and policy allow and require?",
    "options": "Options: what else could you have done?",
    "act": "Act, review and re-assess: did it work, and when did you change course?",
}


@dataclass(frozen=True)
class Option:
    qid: str
    text: str
    condition: str | None
    total: int
    scores: list[tuple[str, str, int]]
    """(ref, principle title, points)."""
    feedback: str
    critical: str | None
    objectives: list[str]
    goto: str
    best: bool
    timeout: bool = False


@dataclass(frozen=True)
class Decision:
    node: str
    number: int
    speaker: str | None
    line: str | None
    narration: str | None
    options: list[Option]
    note: str
    acceptable: list[str]
    questions: list[tuple[str, str]]
    """(phase, question) of the review questions that follow this decision up."""


@dataclass(frozen=True)
class PathStep:
    node: str
    text: str
    qid: str


@dataclass(frozen=True)
class BestPath:
    variant: str | None
    description: str
    steps: list[PathStep]
    ending: str | None
    ending_title: str
    complete: bool


@dataclass
class Guide:
    scenario: Scenario
    objectives: list[tuple[str, str, list[str]]]
    """(id, text, qualified ids of the options that name it)."""
    principles: list[tuple[str, str, str]]
    """(ref, title, framework) of every principle the scenario scores."""
    decisions: list[Decision]
    critical: list[Option]
    best_paths: list[BestPath]
    endings: list[tuple[str, str, str, str, bool, str]]
    """(id, title, outcome, severity, fails, debrief)."""
    questions: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    jurisdiction: list[tuple[str, str]] = field(default_factory=list)

    @property
    def graph_visits(self) -> list[str]:
        """The nodes and ending of the first best path, to draw on the branching graph."""
        if not self.best_paths:
            return []
        path = self.best_paths[0]
        return [self.scenario.start, *[s.node for s in path.steps[1:]], *([path.ending] if path.ending else [])]


def build_guide(scenario: Scenario, rubric: Rubric) -> Guide:
    decisions = [_decision(scenario, rubric, name, i + 1) for i, name in enumerate(reading_order(scenario))]
    options = [o for d in decisions for o in d.options]
    objectives = [(o.id, o.text, [opt.qid for opt in options if o.id in opt.objectives])
                  for o in scenario.objective_list()]
    refs = sorted({ref for o in options for ref, _, _ in o.scores})
    principles = [(ref, _title(rubric, ref), _framework(rubric, ref)) for ref in refs]
    endings = [(eid, e.title, e.outcome, e.rated, scenario.fails(eid), e.debrief)
               for eid, e in scenario.endings.items()]
    guide = Guide(scenario, objectives, principles, decisions, [o for o in options if o.critical],
                  best_paths(scenario), endings)
    if scenario.instructor is not None:
        for q in scenario.instructor.review_questions:
            guide.questions.setdefault(q.phase, []).append(q.question)
        guide.notes = list(scenario.instructor.notes)
        guide.jurisdiction = [(j.topic, j.note) for j in scenario.instructor.jurisdiction]
    return guide


def reading_order(scenario: Scenario) -> list[str]:
    """Nodes breadth-first from the start (the order a reader meets them), then any the start cannot reach."""
    order: list[str] = []
    seen = {scenario.start}
    queue = deque([scenario.start])
    while queue:
        name = queue.popleft()
        order.append(name)
        node = scenario.nodes[name]
        targets = [b.goto for b in node.branches] + [c.goto for c in node.choices]
        if node.time_limit is not None:
            targets.append(node.time_limit.goto)
        for t in targets:
            if t in scenario.nodes and t not in seen:
                seen.add(t)
                queue.append(t)
    return order + [n for n in scenario.nodes if n not in seen]


def _decision(scenario: Scenario, rubric: Rubric, name: str, number: int) -> Decision:
    node = scenario.nodes[name]
    steps: list[tuple[Choice | TimeLimit, str, bool]] = [(c, c.qid, False) for c in node.choices]
    if node.time_limit is not None:
        steps.append((node.time_limit, f"{name}.timeout", True))
    totals = [sum(s.scores.values()) for s, _, _ in steps]
    top = max(totals, default=0)
    options = []
    for (step, qid, timeout), total in zip(steps, totals):
        text = f"Let the {step.seconds:g} s run out: {step.text}" if isinstance(step, TimeLimit) else step.text
        condition = step.when if isinstance(step, Choice) else None
        scores = [(ref, _title(rubric, ref), n) for ref, n in step.scores.items()]
        options.append(Option(qid, text, condition, total, scores, step.feedback, step.critical,
                              list(step.objectives), step.goto, best=len(steps) > 1 and total == top and total > 0,
                              timeout=timeout))
    questions = []
    if scenario.instructor is not None:
        questions = [(q.phase, q.question) for q in scenario.instructor.review_questions if name in q.nodes]
    note = node.instructor.note if node.instructor else ""
    acceptable = list(node.instructor.acceptable) if node.instructor else []
    speaker = scenario.people[node.speaker].name if node.speaker and node.speaker in scenario.people else None
    return Decision(name, number, speaker, node.line, node.narration, options, note, acceptable, questions)


def best_paths(scenario: Scenario) -> list[BestPath]:
    """The exemplar (the best option at every decision), once per variant, or once if there are none."""
    out = []
    for variant in [*scenario.variants] or [None]:
        ex = exemplar.best_path(scenario, variant)
        steps = [PathStep(st.node, st.text if not st.choice.endswith(".timeout") else f"(let the time run out) "
                          f"{st.text}", st.choice) for st in ex.steps]
        title = scenario.endings[ex.ending].title if ex.ending else "does not reach an ending"
        description = scenario.variants[variant].description if variant else ""
        out.append(BestPath(variant, description, steps, ex.ending, title, complete=ex.ending is not None))
    return out


def _title(rubric: Rubric, ref: str) -> str:
    p = rubric.principle(ref)
    return p.title if p else ref


def _framework(rubric: Rubric, ref: str) -> str:
    p = rubric.principle(ref)
    return p.framework if p else ""


def markdown(g: Guide) -> str:
    """The guide as Markdown: readable in a terminal, printable, and pastes into a wiki."""
    s = g.scenario
    out = [f"# Instructor's guide: {s.title}", "",
           f"`{s.id}` version {s.version} · {s.difficulty} · about {s.minutes} min · "
           f"pass mark {s.pass_mark if s.pass_mark is not None else 60}%", "", s.summary.strip(), "",
           "## Setting", "", s.setting.strip(), "", "## Learning objectives", ""]
    for oid, text, served in g.objectives:
        where = ("served by " + ", ".join(f"`{q}`" for q in served)) if served else "no option names it yet"
        out.append(f"- **{text}** (`{oid}`; {where})")
    out += ["", "## Principles scored", ""]
    out += [f"- {title} (`{ref}`): {framework}" for ref, title, framework in g.principles]
    if g.notes:
        out += ["", "## Facilitation notes", ""] + [f"- {n}" for n in g.notes]
    if s.variants:
        out += ["", "## Variants (drawn at random each run)", ""]
        out += [f"- `{vid}` (weight {v.weight}): {v.description}" for vid, v in s.variants.items()]
    out += ["", "## The best path", ""]
    for path in g.best_paths:
        if path.variant:
            out += [f"### Variant `{path.variant}`", ""]
        out += [f"{i}. `{st.qid}`: {st.text}" for i, st in enumerate(path.steps, 1)]
        out += [f"{'Ends' if path.complete else 'Stops'}: **{path.ending_title}**", ""]
    if g.critical:
        out += ["## Critical errors", "", "A session with any of these does not pass, whatever its percentage.", ""]
        out += [f"- `{o.qid}`: {o.text} **{o.critical}**" for o in g.critical]
        out.append("")
    out += ["## Decisions", ""]
    for d in g.decisions:
        out += [f"### {d.number}. `{d.node}`", ""]
        if d.narration:
            out += [d.narration.strip(), ""]
        if d.line:
            out += [f"> {d.speaker}: {d.line.strip()}", ""]
        for o in d.options:
            mark = "**best** " if o.best else ""
            cond = f" (only if `{o.condition}`)" if o.condition else ""
            scores = ", ".join(f"{title} {n:+d}" for _, title, n in o.scores) or "not scored"
            out.append(f"- {mark}`{o.qid}`{cond}: {o.text}  ")
            out.append(f"  {o.total:+d} ({scores}) → `{o.goto}`. {o.feedback.strip()}")
            if o.critical:
                out.append(f"  **Critical error:** {o.critical}")
        if d.note:
            out += ["", f"*Instructor:* {d.note.strip()}"]
        if d.acceptable:
            out += ["", "*Also acceptable:* " + "; ".join(d.acceptable)]
        out.append("")
    out += ["## Endings", ""]
    for eid, title, outcome, severity, fails, debrief in g.endings:
        verdict = " · fails the session" if fails else ""
        out += [f"- **{title}** (`{eid}`; {outcome.replace('_', ' ')}, {severity}{verdict}): {debrief.strip()}"]
    if g.questions:
        out += ["", "## After-action review (Critical Decision-Making Model)", ""]
        for phase, heading in PHASES.items():
            if phase in g.questions:
                out += [f"**{heading}**", ""] + [f"- {q}" for q in g.questions[phase]] + [""]
    if g.jurisdiction:
        out += ["## What varies by jurisdiction", ""] + [f"- **{t}**: {n}" for t, n in g.jurisdiction]
    return "\n".join(out).rstrip() + "\n"
