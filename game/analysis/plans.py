"""Test plans: short YAML playthroughs beside a scenario, played through the engine and checked.

``bridge-rail.plan.yaml`` beside ``bridge-rail.yaml``::

    plans:
      - name: Slow down and listen
        steps: [distance, listen, wait, offer-help]   # choice ids (local or node.choice); wait = let time run out
        expect:
          ending: ending_help                          # or node: where play should stand
          outcome: voluntary_help
          meters: {agitation: [0, 40], trust: [50, 100]}   # a number, or [lowest, highest]
          flags: {gave_name: true}
          scores: {total: [8, 12], deescalation.time_and_distance: 2}   # raw sums of the steps' scores
          percent: {overall: [90, 100]}                # the score card (docs/scoring.md)
          passed: true                                 # overall at the pass mark, no critical error, ...
          critical: []                                 # the critical errors made, as step ids
        variant: calm                                  # play this variant; without it, every variant must pass
        start: {at: the_ask, set: {trust: 60, gave_name: true}}   # optional: begin at a node with values set

A failure names the plan, the step that went wrong and the line of the plan file it is written on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from game.analysis.scoring import ScoreCard, score_card, scored_principles, sum_scores
from game.content.diagnostics import Diagnostic, LoadError
from game.content.format import Rubric, Scenario
from game.content.library import display_path
from game.content.loader import PLAN_SUFFIX, load_scenario, pydantic_diagnostics
from game.content.yamlsrc import YamlSource, read_yaml
from game.engine.rules import EngineError
from game.engine.session import Session
from game.engine.startpoint import StartError

WAIT = "wait"

Range = Annotated[int | tuple[int, int], Field(description="A number, or [lowest, highest].")]


class Expect(BaseModel):
    """What must hold after the steps."""

    model_config = ConfigDict(extra="forbid")

    node: str | None = Field(None, description="The node play stands at (the scenario has not ended).")
    ending: str | None = None
    outcome: str | None = None
    meters: dict[str, Range] = Field({}, description="Meters and counters: a number or [lowest, highest].")
    flags: dict[str, StrictBool] = {}
    scores: dict[str, Range] = Field({}, description="Raw scores: 'total', a topic, or topic.principle.")
    percent: dict[str, Range] = Field({}, description="Score percentages: 'overall', a topic or topic.principle.")
    passed: StrictBool | None = Field(None, description="Whether the session passes (docs/scoring.md).")
    critical: list[str] | None = Field(None, description="The critical errors made, as step ids (node.choice or "
                                                         "node.timeout), in order; [] for none.")

    @field_validator("meters", "scores", "percent")
    @classmethod
    def _ordered(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, r in value.items():
            if isinstance(r, tuple) and r[0] > r[1]:
                raise ValueError(f"range for '{key}' is [{r[0]}, {r[1]}]; write the lowest first")
        return value


class Start(BaseModel):
    """Where a plan begins when not at the scenario's start: a node, and the values set there."""

    model_config = ConfigDict(extra="forbid")

    at: str = Field(min_length=1, description="The node to begin at (entered as play would, branches and all).")
    set: dict[str, StrictBool | int] = Field({}, description="Meters, flags and counters to set first.")


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    steps: list[str | int] = Field(description="Choice ids (local, or node.choice), or 'wait' to let time run out.")
    variant: str | None = Field(None, description="The variant to play; without it the plan is played in every "
                                                  "variant of the scenario and must hold in each.")
    start: Start | None = Field(None, description="Begin at a node with values set, instead of at the start.")
    expect: Expect


class PlanFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plans: list[Plan] = Field(min_length=1)


@dataclass(frozen=True)
class Failure:
    path: str
    line: int
    col: int
    plan: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: plan '{self.plan}': {self.message}"


@dataclass
class Outcome:
    plan: str
    failures: list[Failure]
    steps: int


def scenario_for(plan_path: Path) -> Path | None:
    """The scenario a plan file tests: the file of the same name beside it."""
    stem = plan_path.name[: -len(PLAN_SUFFIX)]
    for ext in (".yaml", ".yml"):
        candidate = plan_path.with_name(stem + ext)
        if candidate.is_file():
            return candidate
    return None


def plan_for(scenario_path: Path) -> Path:
    return scenario_path.with_name(scenario_path.stem + PLAN_SUFFIX)


def load_plans(path: Path, display: str | None = None) -> tuple[PlanFile, YamlSource]:
    src = read_yaml(path, display)
    try:
        return PlanFile.model_validate(src.data), src
    except ValidationError as exc:
        raise LoadError(pydantic_diagnostics(src, exc, PlanFile)) from None


def run_file(path: Path, rubric: Rubric, display: str | None = None) -> list[Outcome]:
    """Run every plan of a plan file; raise :class:`LoadError` if it or its scenario does not load."""
    shown = display or str(path)
    target = scenario_for(path)
    if target is None:
        raise LoadError([Diagnostic(shown, 1, 1, "CG030", f"no scenario file beside the plan (looked for "
                                    f"{path.name[: -len(PLAN_SUFFIX)]}.yaml)",
                                    hint="a plan file is named after its scenario: NAME.plan.yaml beside NAME.yaml")])
    scenario = load_scenario(target, rubric, display_path(target))
    plans, src = load_plans(path, shown)
    return [run_plan(scenario, rubric, plan, i, src) for i, plan in enumerate(plans.plans)]


def run_plan(scenario: Scenario, rubric: Rubric, plan: Plan, index: int, src: YamlSource) -> Outcome:
    """Play ``plan`` in its variant, or in every variant when it names none (a failure says which)."""
    if plan.variant is not None and plan.variant not in scenario.variants:
        line, col = src.locate(("plans", index, "variant"))
        known = ", ".join(scenario.variants) or "none"
        return Outcome(plan.name, [Failure(src.display, line, col, plan.name,
                                           f"no variant '{plan.variant}' in the scenario (variants: {known})")],
                       len(plan.steps))
    names: list[str | None] = [plan.variant] if plan.variant else list(scenario.variants) or [None]
    for name in names:
        outcome = _run_variant(scenario, rubric, plan, index, src, name)
        if outcome.failures:
            if name is not None and plan.variant is None:
                outcome.failures = [Failure(f.path, f.line, f.col, f.plan, f"in variant '{name}': {f.message}")
                                    for f in outcome.failures]
            return outcome
    return Outcome(plan.name, [], len(plan.steps))


def _run_variant(scenario: Scenario, rubric: Rubric, plan: Plan, index: int, src: YamlSource,
                 variant: str | None) -> Outcome:
    base = ("plans", index)

    def fail(message: str, loc: tuple) -> Outcome:
        line, col = src.locate((*base, *loc))
        return Outcome(plan.name, [Failure(src.display, line, col, plan.name, message)], len(plan.steps))

    if plan.start is None:
        session = Session(scenario, rubric, variant=variant)
    else:
        try:
            session = Session.begin_at(scenario, rubric, plan.start.at, dict(plan.start.set), variant=variant)
        except (StartError, EngineError) as exc:
            return fail(f"cannot start at '{plan.start.at}': {exc}", ("start",))
    for n, raw in enumerate(plan.steps):
        step = str(raw)
        where = f"step {n + 1} '{step}'"
        if session.finished:
            return fail(f"{where}: the scenario already ended at '{session.state.ending}'", ("steps", n))
        node = session.state.node
        try:
            if step == WAIT:
                session.time_out()
            else:
                if "." in step and step.rpartition(".")[0] != node:
                    return fail(f"{where}: play is at node '{node}', not '{step.rpartition('.')[0]}' "
                                f"({_offered(session)}); {_state(session)}", ("steps", n))
                session.choose(step)
        except EngineError as exc:
            return fail(f"{where} at node '{node}': {exc}; {_state(session)}", ("steps", n))
    failures = [Failure(src.display, *src.locate((*base, "expect", *loc)), plan.name, msg)
                for msg, loc in _check(scenario, rubric, session, plan.expect)]
    return Outcome(plan.name, failures, len(plan.steps))


def _offered(session: Session) -> str:
    ids = [o.choice.id or o.id for o in session.choices]
    if session.time_limit is not None:
        ids.append(WAIT)
    return "offered: " + ", ".join(ids)


def _state(session: Session) -> str:
    return "values: " + ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                                  for k, v in session.values.items())


def _within(value: float, want: int | tuple[int, int]) -> bool:
    low, high = want if isinstance(want, tuple) else (want, want)
    return low <= value <= high


def _shown(want: int | tuple[int, int]) -> str:
    return f"between {want[0]} and {want[1]}" if isinstance(want, tuple) else str(want)


def _check(scenario: Scenario, rubric: Rubric, session: Session, expect: Expect) -> list[tuple[str, tuple]]:
    """Each unmet expectation as (message, where in ``expect``)."""
    out: list[tuple[str, tuple]] = []
    state = session.state
    at = f"play ended at '{state.ending}'" if state.ending else f"play is at node '{state.node}'"
    if expect.node is not None and (state.ending is not None or state.node != expect.node):
        known = "" if expect.node in scenario.nodes else " (no node of that name in the scenario)"
        out.append((f"expected to be at node '{expect.node}'{known}, but {at}", ("node",)))
    if expect.ending is not None and state.ending != expect.ending:
        known = "" if expect.ending in scenario.endings else " (no ending of that name in the scenario)"
        out.append((f"expected ending '{expect.ending}'{known}, but {at}", ("ending",)))
    if expect.outcome is not None:
        got = scenario.endings[state.ending].outcome if state.ending else None
        if got != expect.outcome:
            out.append((f"expected outcome '{expect.outcome}', got {repr(got) if got else 'no ending yet'}",
                        ("outcome",)))
    for name, want in expect.meters.items():
        value = state.values.get(name)
        if isinstance(value, bool) or value is None:
            out.append((f"'{name}' is not a meter or counter of this scenario", ("meters", name)))
        elif not _within(value, want):
            out.append((f"expected {name} {_shown(want)}, got {value}", ("meters", name)))
    for name, want in expect.flags.items():
        value = state.values.get(name)
        if not isinstance(value, bool):
            out.append((f"'{name}' is not a flag of this scenario", ("flags", name)))
        elif value != want:
            out.append((f"expected {name} to be {str(want).lower()}, got {str(value).lower()}", ("flags", name)))
    raw = sum_scores(s.scores for s in session.history)
    for key, want in expect.scores.items():
        value = _raw_score(scenario, raw, key)
        if value is None:
            out.append((f"'{key}' is not 'total', a topic or a principle this scenario scores", ("scores", key)))
        elif not _within(value, want):
            out.append((f"expected {key} score {_shown(want)}, got {value}", ("scores", key)))
    card = score_card(scenario, rubric, session.history, ending=state.ending, variant=session.variant)
    if expect.passed is not None and card.passed != expect.passed:
        why = "; ".join(_why_not(card)) or "every condition holds"
        out.append((f"expected the session {'to pass' if expect.passed else 'not to pass'}, but it "
                    f"{'passed' if card.passed else 'did not'} ({why})", ("passed",)))
    if expect.critical is not None:
        got = [c.choice for c in card.critical]
        want = [w if "." in w else next((c for c in got if c.endswith(f".{w}")), w) for w in expect.critical]
        if got != want:
            shown = ", ".join(got) or "none"
            out.append((f"expected critical errors [{', '.join(expect.critical)}], got [{shown}]", ("critical",)))
    if expect.percent:
        lines = {x.key: x for x in (card.overall, *card.topics, *card.principles)}
        for key, want in expect.percent.items():
            line = lines.get(key)
            if line is None:
                out.append((f"'{key}' is not 'overall', a topic or a principle this scenario scores",
                            ("percent", key)))
            elif line.percent is None or not _within(line.percent, want):
                got_pct = "not assessed" if line.percent is None else f"{line.percent}%"
                out.append((f"expected {key} {_shown(want)}%, got {got_pct}", ("percent", key)))
    return out


def _why_not(card: ScoreCard) -> list[str]:
    """What keeps a session from passing, in words."""
    why = [f"critical error at '{c.node}'" for c in card.critical]
    if card.failing_outcome:
        why.append(f"the ending '{card.ending}' fails the scenario")
    if card.ending is None:
        why.append("no ending yet")
    pct = card.overall.percent
    if pct is None or pct < card.pass_mark:
        why.append(f"overall {'not assessed' if pct is None else f'{pct}%'} against a pass mark of {card.pass_mark}")
    return why


def _raw_score(scenario: Scenario, raw: dict[str, int], key: str) -> int | None:
    if key == "total":
        return sum(raw.values())
    if key in scenario.topics:
        return sum(v for k, v in raw.items() if k.split(".", 1)[0] == key)
    if key in scored_principles(scenario) or key in scenario.principles:
        return raw.get(key, 0)
    return None
