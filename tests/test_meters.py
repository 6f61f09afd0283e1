"""Meters in words and the good/bad colour they pair with."""

from __future__ import annotations

from game.content.format import Meter
from game.engine.meters import is_good, label, level_word


def test_default_words_for_agitation_and_trust() -> None:
    m = Meter(start=50)
    assert [level_word("agitation", m, v) for v in (0, 25, 45, 65, 95)] == [
        "calm", "tense", "agitated", "highly agitated", "at breaking point"]
    assert [level_word("trust", m, v) for v in (5, 25, 45, 65, 85)] == [
        "no trust", "guarded", "cautious", "some trust", "trusting"]


def test_author_levels_and_scaled_defaults() -> None:
    assert level_word("fear", Meter(start=0, levels={0: "steady", 50: "scared"}), 70) == "scared"
    assert level_word("agitation", Meter(start=5, min=0, max=10), 9) == "at breaking point"
    assert label("present", Meter(start=1)) == "Present"
    assert label("x", Meter(start=1, label="Sense of the present")) == "Sense of the present"


def test_colour_agrees_with_the_words() -> None:
    m = Meter(start=50)
    assert is_good("agitation", m, 30) and not is_good("agitation", m, 45)  # "agitated" is never reassuring
    assert is_good("trust", m, 65) and not is_good("trust", m, 45)  # "cautious" is not yet good
    assert is_good("temper", Meter(start=50, good="low"), 10)
