"""Loading scenarios and the rubric: YAML -> located data -> pydantic models -> reference checks.

Every fault an instructor can make is reported as a :class:`Diagnostic` at its line and column, all
of a file's faults in one run. Nothing here runs content: conditions are parsed by :mod:`game.content.expr`.
"""

from __future__ import annotations

import hashlib
import re
import types
import typing
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError

from game.content import expr, followons
from game.content.diagnostics import Diagnostic, LoadError
from game.content.format import OUTCOMES, Choice, Ending, Node, Rubric, Scenario, link_attrs
from game.content.gcpause import gc_paused
from game.content.limits import COUNTER_MAX, COUNTER_MIN, NODE_ID, PORTRAIT_PATH
from game.content.yamlsrc import YamlSource, read_yaml

RUBRIC_FILE = "topics.yaml"
PLAN_SUFFIX = ".plan.yaml"
NODE_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
"""Node and ending ids: letters, digits, '_' and '-', so they go into logs, conditions and IRIs as they are."""


# --- pydantic errors -> located diagnostics ---------------------------------------------------


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the value at ``loc``, to suggest its real keys for a typo."""
    current: Any = root
    parts = list(loc)
    while parts:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            part = parts.pop(0)
            field = _field(current, part)
            if field is None:
                return None
            current = field.annotation
        else:
            origin = typing.get_origin(current)
            if origin in (dict, list):
                parts.pop(0)
                current = typing.get_args(current)[-1]
            else:
                return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    return annotation


def _field(model: type[BaseModel], name: Any) -> Any:
    for field_name, field in model.model_fields.items():
        if name in (field_name, field.alias):
            return field
    return None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}

SYNONYMS: dict[str, tuple[str, ...]] = {
    # what authors coming from other tools (or other drafts) write -> what the format calls it
    "if": ("when", "condition", "requires", "only_if", "show_if"),
    "minutes": ("estimated_minutes", "duration", "duration_minutes", "length", "time"),
    "objectives": ("learning_objectives", "goals", "learning_goals", "aims"),
    "goto": ("next", "go_to", "target", "to", "then", "divert"),
    "choices": ("options", "answers", "responses"),
    "people": ("characters", "cast", "persons", "actors"),
    "speaker": ("who", "character", "by"),
    "line": ("says", "speech", "dialogue", "text_line"),
    "narration": ("description", "narrative", "scene"),
    "summary": ("description", "synopsis", "abstract"),
    "title": ("name",),
    "scores": ("score", "points", "rubric"),
    "effects": ("effect", "changes", "set"),
    "time_limit": ("timer", "timeout", "time_out", "countdown"),
    "branches": ("routes", "auto", "conditions"),
    "endings": ("ends", "outcomes"),
    "nodes": ("scenes", "beats", "passages", "knots"),
    "feedback": ("explanation", "why", "rationale"),
    "debrief": ("lesson", "takeaway"),
    "sources": ("references", "citations", "frameworks"),
    "start": ("begin", "first", "entry"),
}


def key_hint(name: str, known: list[str]) -> str:
    """A did-you-mean for an unknown key: a known synonym first, then the closest spelling."""
    for right, words in SYNONYMS.items():
        if name.lower() in words and right in known:
            return f"did you mean '{right}'?"
    close = get_close_matches(name, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"the keys here are: {', '.join(known)}" if known else ""


def pydantic_diagnostics(src: YamlSource, exc: ValidationError, model: type[BaseModel]) -> list[Diagnostic]:
    """Map each pydantic error back to the YAML line and column it is about."""
    out: dict[tuple, Diagnostic] = {}
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = _keys_of(parent) if parent else []
            d = src.diag("CG010", f"unknown key '{loc[-1]}'", loc, key=True, hint=key_hint(str(loc[-1]), known))
        elif kind == "missing":
            d = src.diag("CG012", f"missing key '{loc[-1]}'", loc[:-1])
        else:
            message = err["msg"].removeprefix("Value error, ")
            where = ".".join(str(p) for p in loc if not str(p).startswith(("function-", "tagged-")))
            hint = ""
            if kind == "string_pattern_mismatch":
                hint = "ids use lower-case letters, digits, '-' and '_', starting with a letter or digit"
            elif kind == "literal_error":
                hint = message
                message = f"'{err.get('input')}' is not allowed here"
            if str(err.get("input", "")).lower() in YAML11_BOOLEANS:
                hint = "write true or false: YAML 1.2, which editors use, reads yes/no/on/off as text"
            d = src.diag("CG011", f"{where}: {message}" if where else message, loc, hint=hint)
        out.setdefault((d.line, d.col, d.message), d)
    return list(out.values())


# --- rubric -----------------------------------------------------------------------------------


def load_rubric(paths: Path | Iterable[Path]) -> Rubric:
    """Load one or more topics.yaml files into one rubric.

    Files are read in order (the built-in rubric first). Each may define new topics, and add
    principles to topics defined by any of the files; redefining a topic or a principle is CG025.
    """
    files = [paths] if isinstance(paths, Path) else list(paths)
    if not files:
        raise LoadError([Diagnostic(RUBRIC_FILE, 1, 1, "CG030", "no topics.yaml found in the library folders",
                                    hint="the built-in scenarios/ folder holds the rubric; is the install complete?")])
    merged: dict[str, Any] = {}
    additions: list[tuple[YamlSource, str, str, Any]] = []
    errors: list[Diagnostic] = []
    for path in files:
        try:
            src = read_yaml(path)
            rubric = Rubric.model_validate(src.data)
        except LoadError as exc:
            errors.extend(exc.diagnostics)
            continue
        except ValidationError as exc:
            errors.extend(pydantic_diagnostics(src, exc, Rubric))
            continue
        for name, topic in rubric.topics.items():
            if name in merged:
                errors.append(src.diag("CG025", f"topic '{name}' is already defined by another topics.yaml",
                                       ("topics", name), key=True,
                                       hint=f"to add principles to it, list them under 'principles: {name}:' "
                                            f"instead of redefining the topic"))
                continue
            merged[name] = topic.model_copy(update={"principles": dict(topic.principles)})
        additions += [(src, t, p, principle) for t, ps in rubric.principles.items() for p, principle in ps.items()]
    for src, topic, name, principle in additions:
        if topic not in merged:
            errors.append(src.diag("CG026", f"unknown topic '{topic}' under principles:", ("principles", topic),
                                   key=True, hint=_Linker._suggest(topic, merged, "define it under topics: first")))
        elif name in merged[topic].principles:
            errors.append(src.diag("CG025", f"principle '{topic}.{name}' is already defined",
                                   ("principles", topic, name), key=True, hint="give the new principle its own id"))
        else:
            merged[topic].principles[name] = principle
    if not merged and not errors:
        errors.append(Diagnostic(str(files[0]), 1, 1, "CG012", "the rubric defines no topics",
                                 hint="the built-in topics.yaml must list the topics under topics:"))
    if errors:
        raise LoadError(errors)
    return Rubric(topics=merged)


# --- scenarios --------------------------------------------------------------------------------


def load_scenario(path: Path, rubric: Rubric, display: str | None = None) -> Scenario:
    """Load and fully check one scenario file; raise :class:`LoadError` with every fault found."""
    with gc_paused():  # a large file builds many objects at once; collecting mid-way is pure cost
        src = read_yaml(path, display)
        try:
            scenario = Scenario.model_validate(src.data)
        except ValidationError as exc:
            structural = pydantic_diagnostics(src, exc, Scenario)
            raise LoadError(structural + _references_of_the_rest(src, exc, rubric)) from None
        errors = link(scenario, src, rubric)
    if errors:
        raise LoadError(errors)
    scenario._content_hash = "sha256:" + hashlib.sha256(src.raw).hexdigest()
    scenario._source_path = str(path)
    return scenario


def link(scenario: Scenario, src: YamlSource, rubric: Rubric) -> list[Diagnostic]:
    """Check every cross-reference, give choices their ids and compile conditions."""
    return followons.collapse(_Linker(scenario, src, rubric).run())


def _references_of_the_rest(src: YamlSource, exc: ValidationError, rubric: Rubric) -> list[Diagnostic]:
    """Reference errors in the parts of the file that have the right shape, so one run shows both kinds."""
    def check(data: Any) -> list[Diagnostic]:
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as again:
            raise followons.StillWrong([(_error_loc(e), e["type"]) for e in again.errors()]) from None
        return link(scenario, src, rubric)

    return followons.references_despite(src.data, [(_error_loc(e), e["type"]) for e in exc.errors()], check)


def _error_loc(err: Any) -> tuple:
    """Where a pydantic error is, without pydantic's own validator steps (``function-after[...]``)."""
    return tuple(p for p in err["loc"] if not str(p).startswith(("function-", "tagged-")))


class _Linker:
    def __init__(self, scenario: Scenario, src: YamlSource, rubric: Rubric):
        self.s = scenario
        self.src = src
        self.rubric = rubric
        self.errors: list[Diagnostic] = []
        self.variables: dict[str, expr.Type] = {}
        self.targets = set(scenario.nodes) | set(scenario.endings)
        self._conditions: dict[str, expr.Condition] = {}

    def error(self, code: str, message: str, loc: tuple, *, key: bool = False, hint: str = "") -> None:
        self.errors.append(self.src.diag(code, message, loc, key=key, hint=hint))

    def run(self) -> list[Diagnostic]:
        s = self.s
        self._declarations()
        self._ids()
        for name in set(s.nodes) & set(s.endings):
            self.error("CG025", f"'{name}' is both a node and an ending", ("endings", name), key=True,
                       hint="node and ending ids share one namespace; rename one")
        if s.start not in s.nodes:
            self._unknown_target(s.start, ("start",), nodes_only=True)
        for i, topic in enumerate(s.topics):
            if topic not in self.rubric.topics:
                self.error("CG026", f"unknown topic '{topic}'", ("topics", i),
                           hint=self._suggest(topic, self.rubric.topics))
        for i, ref in enumerate(s.principles):
            self._principle_ref(ref, ("principles", i), key=False)
        choice_ids = {f"{n}.{c.id or i + 1}" for n, node in s.nodes.items() for i, c in enumerate(node.choices)}
        self.choice_ids = choice_ids
        for name, node in s.nodes.items():
            self._node(name, node)
        for name, ending in s.endings.items():
            self._ending(name, ending)
        self._instructor_layer()
        return self.errors

    def _instructor_layer(self) -> None:
        """Objectives, failing outcomes, review questions and variants must name things that exist."""
        s = self.s
        objective_ids = [o.id for o in s.objective_list()]
        for i, oid in enumerate(objective_ids):
            if oid in objective_ids[:i]:
                self.error("CG025", f"objective id '{oid}' is used twice", ("objectives", i, "id"))
        for name, node in s.nodes.items():
            steps = [(("nodes", name, "choices", i), c) for i, c in enumerate(node.choices)]
            if node.time_limit is not None:
                steps.append((("nodes", name, "time_limit"), node.time_limit))
            for loc, step in steps:
                for j, oid in enumerate(step.objectives):
                    if oid not in objective_ids:
                        self.error("CG031", f"'{oid}' is not an objective id of this scenario",
                                   (*loc, "objectives", j),
                                   hint=self._suggest(oid, objective_ids, "give objectives ids: {id: ..., text: ...}"))
        categories = set(OUTCOMES)
        for i, name in enumerate(s.failing_outcomes):
            if name not in s.endings and name not in categories:
                self.error("CG031", f"failing outcome '{name}' is neither an ending nor an outcome category",
                           ("failing_outcomes", i), hint=self._suggest(name, [*s.endings, *categories]))
        if s.instructor is not None:
            for i, q in enumerate(s.instructor.review_questions):
                for j, node in enumerate(q.nodes):
                    if node not in s.nodes:
                        self.error("CG031", f"review question names '{node}', which is not a node",
                                   ("instructor", "review_questions", i, "nodes", j),
                                   hint=self._suggest(node, s.nodes))
        for vid, variant in s.variants.items():
            for var, value in variant.set.items():
                where = ("variants", vid, "set", var)
                typ = self.variables.get(var)
                if typ is None:
                    self.error("CG022", f"unknown variable '{var}' in variant '{vid}'", where, key=True,
                               hint=self._suggest(var, self.variables, "declare it under meters:, flags: or counters:"))
                elif (typ == "bool") != isinstance(value, bool):
                    want = "true or false" if typ == "bool" else "a number"
                    self.error("CG029", f"'{var}' is a {'flag' if typ == 'bool' else 'number'}; "
                                        f"variant '{vid}' must set it to {want}", where)
                elif var in s.meters and not s.meters[var].min <= value <= s.meters[var].max:
                    m = s.meters[var]
                    self.error("CG011", f"variant '{vid}' sets '{var}' to {value}, outside {m.min}..{m.max}", where)
                elif var in s.counters and not COUNTER_MIN <= value <= COUNTER_MAX:
                    self.error("CG011", f"variant '{vid}' sets '{var}' to {value}, outside "
                                        f"{COUNTER_MIN}..{COUNTER_MAX}", where)

    def _declarations(self) -> None:
        s = self.s
        for required in ("agitation", "trust"):
            if required not in s.meters:
                self.error("CG012", f"missing meter '{required}'", ("meters",),
                           hint=f"every scenario tracks the subject's agitation and trust: add '{required}: 50'")
        if "subject" not in s.people:
            self.error("CG012", "missing person 'subject'", ("people",),
                       hint="people: needs a 'subject:', the person the trainee talks with")
        declared = (("meters", s.meters, "int"), ("counters", s.counters, "int"), ("flags", s.flags, "bool"))
        for kind, names, typ in declared:
            for name in names:
                if name in self.variables:
                    self.error("CG025", f"variable '{name}' is declared twice", (kind, name), key=True)
                if name in expr.FUNCTIONS or name in ("true", "false", "and", "or", "not"):
                    self.error("CG025", f"'{name}' is a word of the condition language", (kind, name), key=True)
                self.variables[name] = typ  # type: ignore[assignment]
        for name, start in s.counters.items():
            if not COUNTER_MIN <= start <= COUNTER_MAX:
                self.error("CG011", f"counter '{name}' starts at {start}, outside {COUNTER_MIN}..{COUNTER_MAX}",
                           ("counters", name), hint="counters are kept within these bounds during play")
        for key, person in s.people.items():
            portrait = person.portrait
            where = ("people", key, "portrait")
            if portrait is None:
                continue
            if "\x00" in portrait or len(portrait) > PORTRAIT_PATH:
                why = "holds a NUL character" if "\x00" in portrait else f"is longer than {PORTRAIT_PATH} characters"
                self.error("CG011", f"the portrait path {why}", where,
                           hint="give a short file name relative to assets/portraits/, such as daniel.png")
            elif not _inside(portrait):
                self.error("CG027", f"portrait '{portrait}' points outside the assets folder", where,
                           hint="give a file name relative to assets/portraits/")

    def _ids(self) -> None:
        """Node and ending ids are written into logs and xAPI IRIs as they are: letters, digits, '_' and '-'."""
        for kind, names in (("nodes", self.s.nodes), ("endings", self.s.endings)):
            for name in names:
                if not NODE_ID_PATTERN.fullmatch(name) or len(name) > NODE_ID:
                    what = "node" if kind == "nodes" else "ending"
                    self.error("CG011", f"{what} id '{name[:NODE_ID]}' may only use letters, digits, '_' and '-' "
                                        f"(at most {NODE_ID} characters)", (kind, name), key=True,
                               hint="rename it, for example 'talk_again' rather than 'talk again'")

    def _node(self, name: str, node: Node) -> None:
        base = ("nodes", name)
        if node.speaker is not None and node.speaker not in self.s.people:
            self.error("CG024", f"unknown speaker '{node.speaker}'", (*base, "speaker"),
                       hint=self._suggest(node.speaker, self.s.people))
        for i, branch in enumerate(node.branches):
            loc = (*base, "branches", i)
            self._goto(branch.goto, (*loc, "goto"))
            if branch.when is not None:
                link_attrs(branch, condition=self._condition(branch.when, (*loc, "if")))
        seen: dict[str, int] = {}
        for i, choice in enumerate(node.choices):
            loc = (*base, "choices", i)
            local = choice.id or str(i + 1)
            if local in seen:
                self.error("CG025", f"choice id '{local}' is used twice in node '{name}'", (*loc, "id"))
            seen[local] = i
            link_attrs(choice, qid=f"{name}.{local}")
            self._step(choice, loc)
            if choice.when is not None:
                link_attrs(choice, condition=self._condition(choice.when, (*loc, "if")))
        if node.time_limit is not None:
            self._step(node.time_limit, (*base, "time_limit"))

    def _ending(self, name: str, ending: Ending) -> None:
        pass  # endings hold text and an outcome category, all checked by the model

    def _step(self, step: Choice | Any, loc: tuple) -> None:
        self._goto(step.goto, (*loc, "goto"))
        for var, value in step.effects.items():
            where = (*loc, "effects", var)
            if var not in self.variables:
                self.error("CG022", f"unknown variable '{var}' in effects", where, key=True,
                           hint=self._suggest(var, self.variables, "declare it under meters:, flags: or counters:"))
                continue
            is_flag = self.variables[var] == "bool"
            if is_flag != isinstance(value, bool):
                want = "true or false" if is_flag else "a change such as +10, or {set: N}"
                self.error("CG029", f"'{var}' is a {'flag' if is_flag else 'number'}; its effect must be {want}", where)
            elif var in self.s.counters and isinstance(value, dict) and not COUNTER_MIN <= value["set"] <= COUNTER_MAX:
                self.error("CG011", f"sets counter '{var}' to {value['set']}, outside {COUNTER_MIN}..{COUNTER_MAX}",
                           where, hint="counters are kept within these bounds during play")
        for ref in step.scores:
            self._principle_ref(ref, (*loc, "scores", ref), key=True)

    def _principle_ref(self, ref: str, where: tuple, *, key: bool) -> None:
        topic, _, principle = ref.partition(".")
        if topic not in self.rubric.topics:
            self.error("CG021", f"unknown topic '{topic}' in '{ref}'", where, key=key,
                       hint=self._suggest(topic, self.rubric.topics, "principles are written 'topic.principle'"))
        elif principle not in self.rubric.topics[topic].principles:
            principles = self.rubric.topics[topic].principles
            close = principle_by_meaning(principle, principles)
            self.error("CG021", f"unknown principle '{ref}'", where, key=key,
                       hint=f"did you mean '{topic}.{close}'?" if close else
                       f"the principles of {topic} are: " + ", ".join(principles))
        elif topic not in self.s.topics:
            self.error("CG028", f"'{ref}' belongs to topic '{topic}', which the scenario does not list in topics:",
                       where, key=key, hint=f"add '{topic}' to topics:, or use a principle of a listed topic")

    def _goto(self, target: str, loc: tuple) -> None:
        if target not in self.targets:
            self._unknown_target(target, loc)

    def _unknown_target(self, target: str, loc: tuple, *, nodes_only: bool = False) -> None:
        pool = self.s.nodes if nodes_only else self.targets
        self.error("CG020", f"'{target}' is not a {'node' if nodes_only else 'node or ending'} of this scenario",
                   loc, hint=self._suggest(target, pool))

    def _condition(self, text: str, loc: tuple) -> expr.Condition | None:
        known = self._conditions.get(text)
        if known is not None:  # scenarios repeat conditions; each text is parsed and checked once
            return known
        try:
            tree = expr.parse(text)
            typ = expr.check(tree, self.variables)
            if typ != "bool":
                raise expr.ExprError("a condition must be true or false; compare the number, as in 'trust >= 50'",
                                     0, code="CG029")
            for ref in expr.references(tree):
                if isinstance(ref, expr.Call):
                    pool = self.targets if ref.func == "visited" else self.choice_ids
                    if ref.arg not in pool:
                        what = "node or ending" if ref.func == "visited" else "choice id (node.choice)"
                        raise expr.ExprError(f"{ref.func}(\"{ref.arg}\") names no {what} of this scenario", ref.col,
                                             code="CG020", hint=self._suggest(ref.arg, pool))
        except expr.ExprError as exc:
            line, col = self.src.locate(loc)
            self.errors.append(Diagnostic(self.src.display, line, col + _quote_offset(self.src, loc) + exc.col,
                                          exc.code, f"{exc.message} in condition '{text}'", hint=exc.hint))
            return None
        condition = self._conditions[text] = expr.Condition(text, tree)
        return condition

    @staticmethod
    def _suggest(name: str, pool: Iterable[str], fallback: str = "") -> str:
        close = get_close_matches(name, list(pool), n=1)
        return f"did you mean '{close[0]}'?" if close else fallback


_STOP = {"and", "the", "a", "an", "of", "to", "in", "on", "for", "with", "your", "you", "be"}


def _words(text: str) -> set[str]:
    import re

    return {w for w in re.split(r"[^a-z0-9]+", text.lower().replace("-", "")) if w and w not in _STOP}


def principle_by_meaning(name: str, principles: dict[str, Any]) -> str | None:
    """The principle an author most likely meant: shared words with its id and title, then spelling.

    ``assess_and_reassess`` shares "reassess" with ``reassess`` ("Act, review and re-assess"), whose id it
    covers whole, so it is preferred over ``assess_risk``, which only shares "assess".
    """
    wanted = _words(name.replace("_", " "))
    best: tuple[float, str] | None = None
    for pid, principle in principles.items():
        own = _words(pid.replace("_", " "))
        shared = wanted & (own | _words(getattr(principle, "title", "")))
        if not shared:
            continue
        score = len(shared) + len(wanted & own) / len(own)
        if best is None or score > best[0]:
            best = (score, pid)
    if best is not None:
        return best[1]
    close = get_close_matches(name, list(principles), n=1)
    return close[0] if close else None


def _quote_offset(src: YamlSource, loc: tuple) -> int:
    """Conditions written in quotes start one column after the quote mark."""
    node = src.node_at(loc)
    return 1 if getattr(node, "style", None) in ("'", '"') else 0


def _inside(relative: str) -> bool:
    p = PurePosixPath(relative.replace("\\", "/"))
    return not p.is_absolute() and ".." not in p.parts and not (p.parts and ":" in p.parts[0])
