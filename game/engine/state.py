"""The state of one playthrough, kept apart from the engine so it can be saved, compared and replayed.

Like ink's ``StoryState``, it is plain data with a version: the engine reads and writes it, the score
log records it after every step, and exploration uses :meth:`State.key` to recognise states it has
seen before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.content.format import Scenario
from game.engine.variants import start_values

STATE_VERSION = 1


@dataclass
class State:
    node: str
    values: dict[str, int | bool]
    visited: set[str] = field(default_factory=set)
    chosen: set[str] = field(default_factory=set)
    turn: int = 0
    ending: str | None = None

    @classmethod
    def initial(cls, scenario: Scenario, variant: str | None = None) -> State:
        """The state before the first node: start values, with what ``variant`` (if any) sets."""
        return cls(node=scenario.start, values=start_values(scenario, variant))

    def copy(self) -> State:
        return State(self.node, dict(self.values), set(self.visited), set(self.chosen), self.turn, self.ending)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "node": self.node,
            "values": dict(self.values),
            "visited": sorted(self.visited),
            "chosen": sorted(self.chosen),
            "turn": self.turn,
            "ending": self.ending,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        version = data.get("version", 0)
        if version > STATE_VERSION:
            raise ValueError(f"state version {version} is newer than this program understands ({STATE_VERSION})")
        return cls(data["node"], dict(data["values"]), set(data.get("visited", ())), set(data.get("chosen", ())),
                   int(data.get("turn", 0)), data.get("ending"))

    def key_of_watched(self) -> tuple:
        """:meth:`key` for a state whose visits and choices are already cut down to the watched ones."""
        if self.ending is not None:
            return (self.ending,)
        return (self.node, tuple(self.values.values()), frozenset(self.visited) if self.visited else None,
                frozenset(self.chosen) if self.chosen else None)

    def key(self, watched_nodes: frozenset[str] = frozenset(), watched_choices: frozenset[str] = frozenset()) -> tuple:
        """What decides the future of this playthrough: node, variables, and the visits conditions ask about.

        Nothing follows an ending, so every arrival at one ending is the same state.
        """
        if self.ending is not None:
            return (self.ending,)
        visited, chosen = self.visited & watched_nodes, self.chosen & watched_choices
        return (self.node, tuple(self.values.values()), frozenset(visited) if visited else None,
                frozenset(chosen) if chosen else None)
