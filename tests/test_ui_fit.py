"""Every choice of every node of every library scenario is on screen without scrolling, at the default text
size, in a 1280x720 and a 1366x768 window; the scene is laid out exactly as the game lays it out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import ClassVar

import pygame
import pytest

from game.analysis import statespace
from game.content.library import load_library
from game.engine import rules
from game.engine.session import Offer, Session
from game.engine.state import State
from game.ui.app import App
from game.ui.screens.scene import SceneScreen
from tests.uidriver import fixture_library

SIZES = [(1280, 720), (1366, 768)]
LIB = load_library(env={})


class EveryChoice(Session):
    """The worst case of a node: the largest set of its choices that can be offered together.

    Found from every reachable state (two choices whose conditions exclude each other, such as
    ``knows_name`` and ``not knows_name``, are never on screen together); a node of a scenario too large
    to explore offers every choice at once.
    """

    worst: ClassVar[dict[str, list]] = {}

    @property
    def choices(self) -> list[Offer]:
        node = self.node
        if node is None:
            return []
        shown = self.worst.get(self.state.node, node.choices)
        return [Offer(c, True, i + 1) for i, c in enumerate(shown)]


def worst_offers(scenario) -> dict[str, list]:
    """For each node, the choices offered together in its most crowded reachable state (most text)."""
    try:
        graph = statespace.build(scenario, max_states=200_000)
    except statespace.ExplorationLimit:
        return {}
    worst: ClassVar[dict[str, list]] = {}
    for state in graph.states:
        if state.ending is not None:
            continue
        node = scenario.nodes[state.node]
        offered = [c for c, ok in zip(node.choices, rules.availability(scenario, state)) if ok]
        if sum(len(c.text) for c in offered) > sum(len(c.text) for c in worst.get(state.node, [])):
            worst[state.node] = offered
    return worst


def hidden_choices(app: App, screen: SceneScreen) -> list[str]:
    L = app.layout_for(screen)
    window = pygame.Rect(0, 0, L.w, L.h)
    out = []
    for b in L.buttons:
        if b.id.startswith("choice:") or b.id == "wait":
            visible = b.scroll.view.contains(b.screen_rect()) if b.scroll is not None else window.contains(b.rect)
            if not visible:
                out.append(b.id)
    return out


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("scenario_id", sorted(LIB.scenarios))
def test_every_choice_is_visible_without_scrolling(tmp_path: Path, size: tuple[int, int], scenario_id: str) -> None:
    args = argparse.Namespace(scenario=None, trainee="fit", log_dir=tmp_path, mode="practice", timers=None,
                              library=[], text=False)
    app = App(args, size=size, fps=0, lib=LIB)
    scenario = LIB.scenarios[scenario_id]
    app.start(scenario)
    run = app.run
    run.session.__class__ = EveryChoice
    run.session.worst = worst_offers(scenario)
    failures = []
    for node_id, node in scenario.nodes.items():
        if not node.choices:
            continue
        for introduce in (True, False):  # a speaker's first appearance shows their description too
            run.met = set() if introduce else set(scenario.people)
            run.session.state = State(node=node_id, values=State.initial(scenario).values, turn=1)
            screen = SceneScreen(app, run)
            app.replace(screen)
            hidden = hidden_choices(app, screen)
            if hidden:
                failures.append(f"{node_id}{' (first appearance)' if introduce else ''}: {hidden}")
    app.close()
    assert not failures, f"{scenario_id} at {size}: choices below the fold at " + "; ".join(failures)


class NineChoices(Session):
    """A node offering nine long choices: more than any window holds at the largest text size."""

    @property
    def choices(self) -> list[Offer]:
        node = self.node
        return [Offer(node.choices[i % len(node.choices)], True, i + 1) for i in range(9)] if node else []


def test_the_fit_check_finds_a_choice_below_the_fold(tmp_path: Path) -> None:
    """Not vacuous: nine long choices at the largest text size do not fit, the check says so, and the whole
    column scrolls instead."""
    lib = fixture_library(Path(__file__).parent / "fixtures" / "ui" / "lib")
    args = argparse.Namespace(scenario=None, trainee="fit", log_dir=tmp_path, mode="practice", timers=None,
                              library=[], text=False)
    app = App(args, size=(1280, 720), fps=0, lib=lib)
    app.settings.text_size = 3
    app.start(lib.scenarios["corner-store"])
    app.run.session.__class__ = NineChoices
    screen = SceneScreen(app, app.run)
    app.replace(screen)
    assert hidden_choices(app, screen) and "column" in app.layout_for(screen).scrolls
    app.close()
