"""Scoring normalised against the best attainable path, per principle, topic and overall."""

from __future__ import annotations

from game.analysis.exemplar import decisions
from game.analysis.scoring import bounds, percent, score_card
from game.engine.session import Session


def test_bounds_of_the_fixture(mini) -> None:
    b = bounds(mini)
    assert b.best_total == 7
    assert b.best_path == ["arrival.distance", "talk.ask", "listen.help"]
    assert b.worst_total == -7 and b.worst_path == ["arrival.rush", "hot.grab"]
    assert b.best_principle == {"calm.distance": 2, "calm.listening": 3, "fair.voice": 2}
    assert b.best_topic == {"calm": 5, "fair": 2}


def test_best_path_scores_100_and_worst_0(mini, rubric) -> None:
    b = bounds(mini)
    for path, want in ((b.best_path, 100.0), (b.worst_path, 0.0)):
        s = Session(mini, rubric)
        for step in path:
            s.choose(step)
        card = score_card(mini, rubric, [h.scores for h in s.history], ending=s.state.ending)
        assert card.overall.percent == want


def test_partial_credit(mini, rubric) -> None:
    s = Session(mini, rubric)
    for c in ("distance", "ask", "leave"):
        s.choose(c)
    card = score_card(mini, rubric, [h.scores for h in s.history], ending=s.state.ending)
    assert card.overall.raw == 4 and card.overall.percent == round(100 * 4 / 7, 1)
    assert card.outcome == "disengaged"
    lines = {p.key: p for p in card.principles}
    assert lines["calm.listening"].raw == 0 and lines["calm.listening"].percent == 0.0
    assert lines["fair.voice"].percent == 100.0


def test_percent_formula() -> None:
    assert percent(-3, 10) == 0.0
    assert percent(5, 10) == 50.0
    assert percent(12, 10) == 100.0
    assert percent(1, 0) is None


def test_decisions_name_the_best_alternative(mini) -> None:
    ds = decisions(mini, ["arrival.rush", "hot.back-off", "talk_again.1", "listen.leave"])
    assert ds[0].best == "arrival.distance" and not ds[0].was_best
    assert ds[0].best_text == "Stop and introduce yourself."
    assert all(d.was_best for d in ds[1:])


def test_step_effect_by_the_sign_of_the_total() -> None:
    from game.analysis.scoring import step_effect

    assert step_effect({"a.b": 2, "a.c": -1}) == "helped"
    assert step_effect({"a.b": -2}) == "harmed"
    assert step_effect({"a.b": 1, "a.c": -1}) == "mixed"
    assert step_effect({}) == "unscored"
