"""The scenario format and the rubric format, as pydantic models.

These models are the single definition of what an instructor may write: the loader validates against
them, ``commonground schema`` exports them as JSON Schema for editors, and ``docs/scenario-format.md``
describes them in words. Cross-references (gotos, principles, variables) are checked by the loader,
which knows the whole file and the rubric.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from game.content.expr import Condition

FORMAT_VERSION = 1

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64,
                          description="lower-case letters, digits, '-' and '_'")]
Difficulty = Literal["introductory", "intermediate", "advanced"]
Outcome = Literal[
    "resolved", "voluntary_help", "referral", "warning", "citation", "arrest",
    "involuntary_hold", "complaint", "disengaged", "use_of_force", "injury",
]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
Role = Literal["subject", "partner", "officer", "family", "bystander", "professional", "other"]


class _Strict(BaseModel):
    # Only the written names load (``if:``, never the field name ``when:``), so the loader accepts exactly
    # what the JSON Schema, which lists aliases, accepts.
    model_config = ConfigDict(extra="forbid", populate_by_name=False)


_EMPTY: dict[str, Any] = {}


def _linked(model: BaseModel) -> dict[str, Any]:
    """What the loader attached to a choice or branch (its qualified id, its parsed condition).

    Kept in pydantic's private-attribute slot, filled by :func:`link_attrs`, rather than declared as
    ``PrivateAttr``s: declared ones cost a Python call per instance on every load, about a tenth of
    the time of loading a scenario, for values only the loader sets.
    """
    return model.__pydantic_private__ or _EMPTY


def link_attrs(model: BaseModel, **values: Any) -> None:
    """Attach loader-computed values to a choice or branch (see :func:`_linked`)."""
    private = model.__pydantic_private__
    if private is None:
        object.__setattr__(model, "__pydantic_private__", dict(values))
    else:
        private.update(values)


class Appearance(_Strict):
    """How a person looks, for their portrait; anything left out is read from the description."""

    age: int | None = Field(None, ge=1, le=120)
    skin: Literal["light", "light-medium", "medium", "medium-dark", "dark", "deep"] | None = None
    hair: Literal["short", "long", "curly", "afro", "locs", "braids", "bun", "bob", "balding", "bald",
                  "shaved"] | None = None
    hair_colour: Literal["black", "dark-brown", "brown", "auburn", "red", "blond", "grey", "white"] | None = None
    facial_hair: Literal["none", "stubble", "beard", "moustache"] | None = None
    glasses: bool | None = None
    head_covering: Literal["none", "hijab", "turban", "beanie", "cap"] | None = None
    clothing: Literal["uniform", "suit", "shirt", "sweater", "hoodie", "t-shirt", "scrubs", "overalls",
                      "nightwear"] | None = None
    clothing_colour: Literal["navy", "blue", "light-blue", "green", "olive", "grey", "black", "white", "red",
                             "maroon", "brown", "yellow"] | None = None
    presents: Literal["man", "woman", "neutral"] | None = Field(
        None, description="Which hair styles fit; read from the description's words (he, she, mother...) if left out.")


class Person(_Strict):
    """Someone in the scene. The key ``subject`` is the person the trainee talks with."""

    name: str = Field(min_length=1)
    role: Role = "other"
    description: str = Field(min_length=1, description="Who they are, in a sentence or two, with dignity.")
    portrait: str | None = Field(None, description="Image file under assets/portraits/ (optional).")
    appearance: Appearance | None = Field(
        None, description="How they look in their portrait (optional): age, skin, hair, hair_colour, facial_hair, "
                          "glasses, head_covering, clothing, clothing_colour, presents. Left out, each is read "
                          "from the description where it says so.")


class Meter(_Strict):
    """A number the scene tracks, such as the subject's agitation or trust, kept within its bounds."""

    start: StrictInt
    min: StrictInt = 0
    max: StrictInt = 100
    label: str | None = Field(None, description="Name shown to the trainee; defaults to the key, capitalised.")
    good: Literal["low", "high"] | None = Field(
        None, description="Which end is better for the encounter; defaults to low for agitation, high otherwise.")
    levels: dict[StrictInt, str] | None = Field(
        None, description="Words for the level, by lowest value: {0: calm, 30: uneasy, 60: agitated}."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool):
            return {"start": data}
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """The schema says what the loader accepts: a meter's mapping, or a bare number as its start value."""
        full = handler.resolve_ref_schema(handler(core_schema))
        return {"anyOf": [{"type": "integer", "description": "Shorthand for {start: N}."}, dict(full)],
                "title": "Meter", "description": full.get("description", "")}

    @model_validator(mode="after")
    def _bounds(self) -> Meter:
        if not self.min <= self.start <= self.max:
            raise ValueError(f"start {self.start} is outside the bounds {self.min}..{self.max}")
        return self


def _check_effects(value: dict[str, Any]) -> dict[str, Any]:
    for key, v in value.items():
        if isinstance(v, int):  # bool is an int too: flags take true/false
            continue
        if isinstance(v, dict) and set(v) == {"set"} and isinstance(v["set"], int) and not isinstance(v["set"], bool):
            continue
        raise ValueError(f"effect on '{key}' must be a change such as +10 or -5, true/false for a flag, "
                         f"or {{set: N}} to set a number; got {v!r}")
    return value


def _check_scores(value: dict[str, Any]) -> dict[str, Any]:
    for key, v in value.items():
        if "." not in str(key):
            raise ValueError(f"score key '{key}' must be 'topic.principle', such as 'deescalation.time_and_distance'")
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"score for '{key}' must be a whole number such as 2 or -3; got {v!r}")
        if not -5 <= v <= 5:
            raise ValueError(f"score for '{key}' is {v}; scores run from -5 to +5")
    return value


_EFFECTS_SCHEMA = {
    "type": "object", "description": "Changes to state: meters and counters take +N/-N or {set: N}; flags take "
                                     "true/false.",
    "additionalProperties": {"anyOf": [
        {"type": "integer"}, {"type": "boolean"},
        {"type": "object", "properties": {"set": {"type": "integer"}}, "required": ["set"],
         "additionalProperties": False}]},
}
_SCORES_SCHEMA = {
    "type": "object", "description": "Principle scores, 'topic.principle: N' with N from -5 to 5.",
    "propertyNames": {"pattern": r"^[^.\s]+\.[^.\s]+$"},
    "additionalProperties": {"type": "integer", "minimum": -5, "maximum": 5},
}
# The validators below give the loader's own messages; the schema says the same for editors.
Effects = Annotated[dict[str, Any], WithJsonSchema(_EFFECTS_SCHEMA)]
Scores = Annotated[dict[str, Any], WithJsonSchema(_SCORES_SCHEMA)]


class _Outcome(_Strict):
    """What a step does: effects on state, principle scores, and the teaching feedback."""

    effects: Effects = {}
    scores: Scores = {}
    feedback: str = Field("", description="Why this helped or harmed, naming the principle; shown in the debrief.")
    critical: str | None = Field(
        None, min_length=1,
        description="Marks a critical error, with the reason (leaving a person in medical danger, force with "
                    "no threat, ...). A session with a critical error does not pass, whatever its percentage.")
    objectives: list[str] = Field(
        [], description="Ids of the learning objectives (objectives:) this step serves or fails.")

    @field_validator("effects")
    @classmethod
    def _valid_effects(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_effects(value)

    @field_validator("scores")
    @classmethod
    def _valid_scores(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _check_scores(value)


class TimeLimit(_Outcome):
    """A node the trainee must answer within a time; letting it run out is a decision too."""

    seconds: float = Field(gt=0, le=600)
    goto: str
    text: str = Field("Say nothing", description="How the time-out reads in the timeline.")


def _non_empty_condition(value: Any) -> Any:
    """An ``if:`` with nothing after it would silently mean "always"; say so instead."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("the condition is empty: write one (such as 'trust >= 50'), or remove 'if:' to mean "
                         "always")
    return value


class Choice(_Outcome):
    """One thing the trainee can say or do."""

    id: Id | None = Field(None, description="Stable id; defaults to the choice's position, 1-based.")
    text: str = Field(min_length=1)
    when: str | None = Field(None, alias="if", description="Condition for being offered.")
    goto: str

    @field_validator("when", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        return _non_empty_condition(value)

    @property
    def qid(self) -> str:
        """The choice's id qualified by its node (``arrival.keep-distance``), as logs and plans use it."""
        return _linked(self).get("qid", "")

    @property
    def condition(self) -> Condition | None:
        """The parsed ``if``, set by the loader when it checks the scenario."""
        return _linked(self).get("condition")


class Branch(_Strict):
    """An automatic route taken on entering a node, before its choices: the first that holds wins."""

    when: str | None = Field(None, alias="if", description="Condition; leave it out for 'otherwise'.")
    goto: str
    note: str = Field("", description="Why the scene went this way; shown in the debrief.")

    @field_validator("when", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        return _non_empty_condition(value)

    @property
    def condition(self) -> Condition | None:
        """The parsed ``if``, set by the loader when it checks the scenario."""
        return _linked(self).get("condition")


class NodeNote(_Strict):
    """What the instructor should know about one decision: what to discuss, other acceptable answers."""

    note: str = Field("", description="Facilitation note for this moment.")
    acceptable: list[str] = Field([], description="Other answers an instructor can accept here, in words, "
                                                  "for role-play and discussion.")


class Node(_Strict):
    """A beat of the scene: what happens, who speaks, and what the trainee can do."""

    narration: str | None = None
    speaker: str | None = Field(None, description="A key of people:, such as subject or partner.")
    line: str | None = Field(None, description="What the speaker says.")
    time_limit: TimeLimit | None = None
    branches: list[Branch] = []
    choices: list[Choice] = []
    instructor: NodeNote | None = Field(None, description="Notes for the instructor's guide; never shown to "
                                                          "the trainee during play.")

    @model_validator(mode="after")
    def _has_a_way_on(self) -> Node:
        if not self.choices and not any(b.when is None for b in self.branches):
            raise ValueError("a node needs choices, or an automatic branch with no 'if'; to end, goto an ending")
        if self.line and not self.speaker:
            raise ValueError("a node with a line needs a speaker")
        return self


Severity = Literal["good", "mixed", "poor", "critical"]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]
_DEFAULT_SEVERITY: dict[str, str] = {
    "resolved": "good", "voluntary_help": "good", "referral": "good",
    "warning": "mixed", "citation": "mixed", "arrest": "mixed", "involuntary_hold": "mixed",
    "complaint": "poor", "disengaged": "poor",
    "use_of_force": "critical", "injury": "critical",
}


class Ending(_Strict):
    """Where a path ends: an outcome category and what the debrief says about it."""

    outcome: Outcome
    severity: Severity | None = Field(
        None, description="How good this end is for everyone: good, mixed, poor or critical. Defaults by "
                          "outcome (resolved: good; arrest: mixed; complaint: poor; injury: critical).")
    title: str = Field(min_length=1)
    narration: str | None = None
    debrief: str = Field(min_length=1)

    @property
    def rated(self) -> str:
        """The severity as written, or the default for the outcome category."""
        return self.severity or _DEFAULT_SEVERITY[self.outcome]


class Objective(_Strict):
    """A learning objective with an id, so choices can name the objectives they serve."""

    id: Id
    text: str = Field(min_length=1)


Phase = Literal["information", "threat", "authority", "options", "act"]


class ReviewQuestion(_Strict):
    """An after-action review question, filed under a step of the Critical Decision-Making Model."""

    phase: Phase = Field(description="information, threat (and risk), authority (and policy), options, or act "
                                     "(act, review and re-assess).")
    question: str = Field(min_length=1)
    nodes: list[str] = Field([], description="The decisions it follows up; the debrief shows it when the "
                                             "trainee lost points at one of them.")


class JurisdictionNote(_Strict):
    """What varies by state, agency or country, so an instructor can adapt the lesson."""

    topic: str = Field(min_length=1, description="Such as 'Emergency mental-health holds'.")
    note: str = Field(min_length=1)


class Instructor(_Strict):
    """The instructor's layer: never shown to the trainee during play, printed by ``commonground guide``."""

    notes: list[str] = Field(min_length=1, description="Facilitation notes: how to run and discuss it.")
    review_questions: list[ReviewQuestion] = Field(min_length=1)
    jurisdiction: list[JurisdictionNote] = []


class Variant(_Strict):
    """One way the same opening can turn out (temperament, what is really in a hand, who arrives)."""

    weight: int = Field(1, ge=1, le=1000, description="Relative chance of being drawn.")
    description: str = Field(min_length=1, description="What differs, for the instructor's guide.")
    set: dict[str, StrictBool | StrictInt] = Field(
        {}, description="Start values of meters, flags and counters in this variant.")


class Scenario(_Strict):
    """One training encounter."""

    format: Literal[1] = FORMAT_VERSION
    id: Id
    title: str = Field(min_length=1, max_length=80)
    summary: str = Field(min_length=1)
    topics: list[str] = Field(min_length=1)
    principles: list[str] = Field([], description="The principles it teaches (topic.principle); "
                                                   "each should be scored somewhere in it.")
    setting: str = Field(min_length=1, description="Where and when, as the trainee arrives.")
    objectives: list[Objective | str] = Field(
        min_length=1, description="Learning objectives: {id, text}, or a sentence (given the id objective-N).")
    minutes: int = Field(ge=1, le=180, description="Estimated minutes to play.")
    difficulty: Difficulty
    version: str = Field(description="The scenario's own version, as text (quote it: \"1.10\"); logs record it.")
    author: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1, description="The frameworks and references it follows.")
    people: dict[str, Person]
    meters: dict[str, Meter]
    flags: dict[str, StrictBool] = Field({}, description="Named true/false facts and their start values.")
    counters: dict[str, StrictInt] = Field({}, description="Named whole numbers and their start values.")
    start: str
    nodes: dict[str, Node] = Field(min_length=1)
    endings: dict[str, Ending] = Field(min_length=1)
    pass_mark: int | None = Field(None, ge=0, le=100, description="Overall percent needed to pass; default 60.")
    failing_outcomes: list[str] = Field(
        [], description="Endings (by id) or outcome categories that fail the session whatever its score.")
    variants: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)], Variant] = Field(
        {}, description="Ways the same opening can turn out; each run draws one by weight.")
    instructor: Instructor | None = None

    _content_hash: str = PrivateAttr("")
    _source_path: str = PrivateAttr("")
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)
    """Results computed once per loaded scenario (the score bounds), kept with it."""

    @property
    def content_hash(self) -> str:
        """sha256 of the file's bytes, so a log can tell which text of the scenario was played."""
        return self._content_hash

    @property
    def source_path(self) -> str:
        return self._source_path

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise ValueError(f"version must be text: YAML reads the bare {v!r} as a number (1.10 would become "
                             f"1.1); quote it, as in version: \"{v}\"")
        return v

    def objective_list(self) -> list[Objective]:
        """Every objective with its id (plain sentences get ``objective-N``)."""
        return [o if isinstance(o, Objective) else Objective(id=f"objective-{i + 1}", text=o)
                for i, o in enumerate(self.objectives)]

    def fails(self, ending_id: str) -> bool:
        """Whether ending at ``ending_id`` fails the session whatever the score."""
        ending = self.endings.get(ending_id)
        if ending is None:
            return False
        return (ending.rated == "critical" or ending_id in self.failing_outcomes
                or ending.outcome in self.failing_outcomes)

    def target(self, name: str) -> Node | Ending:
        return self.nodes.get(name) or self.endings[name]


class Principle(_Strict):
    title: str
    description: str
    looks_like: str = Field(description="What it looks like in a choice.")
    framework: str = Field(description="The named framework the principle comes from.")


class Topic(_Strict):
    title: str
    description: str
    frameworks: list[str] = Field(min_length=1)
    principles: dict[str, Principle] = Field(min_length=1)


class Rubric(_Strict):
    """``scenarios/topics.yaml``: the topics and principles every score refers to.

    An academy's own ``topics.yaml`` (in a library folder) may add whole topics under ``topics:``, and
    add principles to a topic defined by another file (such as a built-in topic) under ``principles:``.
    """

    version: int = 1
    topics: dict[str, Topic] = Field({}, description="Topics this file defines.")
    principles: dict[str, dict[str, Principle]] = Field(
        {}, description="Principles this file adds to topics defined by another topics.yaml, by topic id.")

    def principle(self, ref: str) -> Principle | None:
        topic, _, name = ref.partition(".")
        t = self.topics.get(topic)
        return t.principles.get(name) if t else None

    def principle_refs(self) -> list[str]:
        return [f"{t}.{p}" for t, topic in self.topics.items() for p in topic.principles]
