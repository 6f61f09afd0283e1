"""The engine: offers, conditions, effects with clamping, automatic branches, time-outs, endings."""

from __future__ import annotations

import pytest

from game.engine.session import EngineError, Session


def test_start_offers_every_choice_numbered(mini, rubric) -> None:
    s = Session(mini, rubric)
    assert s.node_id == "arrival"
    assert [(o.id, o.available, o.number) for o in s.offers()] == [("arrival.distance", True, 1),
                                                                   ("arrival.rush", True, 2)]
    assert s.time_limit is not None and s.time_limit.seconds == 10


def test_choice_by_number_local_id_or_qualified_id(mini, rubric) -> None:
    for which in (1, "distance", "arrival.distance"):
        s = Session(mini, rubric)
        step = s.choose(which)
        assert step.choice == "arrival.distance"
        assert s.node_id == "talk"


def test_effects_apply_and_clamp_to_bounds(mini, rubric) -> None:
    s = Session(mini, rubric)
    step = s.choose("rush")  # agitation 60 + 50 clamps at 100
    assert s.values["agitation"] == 100
    assert step.effects == {"agitation": 40, "pushes": 1}


def test_automatic_branch_routes_on_state(mini, rubric) -> None:
    calm = Session(mini, rubric)
    calm.choose("distance")
    assert calm.node_id == "talk"
    hot = Session(mini, rubric)
    step = hot.choose("rush")
    assert hot.node_id == "hot"
    assert [(r.origin, r.target) for r in step.routes] == [("talk", "hot")]
    assert step.routes[0].note == "Too agitated to talk."


def test_unavailable_choices_are_listed_but_cannot_be_taken(mini, rubric) -> None:
    s = Session(mini, rubric)
    s.choose("rush")
    s.choose("back-off")
    s.choose(1)
    offers = {o.id: o for o in s.offers()}
    assert not offers["listen.help"].available  # trust stayed low
    assert offers["listen.leave"].number == 1
    with pytest.raises(EngineError, match="not available"):
        s.choose("help")
    assert s.history[-1].unavailable == []  # earlier node had none held back


def test_time_out_is_a_step(mini, rubric) -> None:
    s = Session(mini, rubric)
    step = s.time_out()
    assert step.kind == "timeout" and step.choice == "arrival.timeout"
    assert step.elapsed == 10
    assert s.values["agitation"] == 65
    with pytest.raises(EngineError, match="no time limit"):
        s.time_out()


def test_ending_finishes_the_session(mini, rubric) -> None:
    s = Session(mini, rubric)
    s.choose("distance")
    s.choose("order")
    assert s.finished and s.ending is not None and s.ending.outcome == "complaint"
    assert s.offers() == []
    with pytest.raises(EngineError, match="ended"):
        s.choose(1)


def test_conditions_see_visits_and_choices(mini, rubric) -> None:
    s = Session(mini, rubric)
    s.choose("distance")
    assert "arrival.distance" in s.state.chosen
    assert {"arrival", "talk"} <= s.state.visited


def test_events_are_emitted_in_order(mini, rubric) -> None:
    events: list[dict] = []
    s = Session(mini, rubric, observers=[events.append], clock=lambda: 0.0)
    s.choose("rush")
    s.choose("grab")
    assert [e["type"] for e in events] == ["node", "choice", "branch", "node", "choice", "ending"]
    assert events[-1]["outcome"] == "use_of_force"


def test_same_choices_same_path_and_state(mini, rubric) -> None:
    runs = []
    for _ in range(2):
        s = Session(mini, rubric, clock=lambda: 0.0)
        for c in ("rush", "back-off", 1, "leave"):
            s.choose(c)
        runs.append((s.state.to_json(), [h.choice for h in s.history]))
    assert runs[0] == runs[1]


def test_abandon_and_restart(mini, rubric) -> None:
    events: list[dict] = []
    s = Session(mini, rubric, observers=[events.append])
    s.choose("distance")
    s.restart()
    assert s.node_id == "arrival" and s.history == [] and s.values["agitation"] == 60
    s.abandon()
    assert s.finished and events[-1]["type"] == "abandoned"
