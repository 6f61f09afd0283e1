"""Faces that show how a person feels: a look read from the author's words, meters that belong to the person
they name, and an expression that follows the meters' bands during play."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.content.diagnostics import LoadError
from game.content.format import Appearance, Meter, Person
from game.content.library import load_library
from game.content.loader import load_scenario
from game.ui import feelings, portraits
from game.ui.appearance import SKIN_WORDS, _first, age_from, look
from game.ui.feelings import EXPRESSIONS
from tests.conftest import LIB
from tests.uidriver import Driver, fixture_library

LIBRARY = load_library(env={})


def skin_stated(text: str) -> str | None:
    return _first(SKIN_WORDS, text)


def person(description: str, **kw) -> Person:
    return Person(name=kw.pop("name", "Pat Doe"), description=description, **kw)


@pytest.mark.parametrize(("text", "age"), [
    ("A 46-year-old maintenance supervisor. Father of Maya, fourteen.", 46),
    ("Sixty-seven, retired after thirty-one years teaching.", 67),
    ("81, a retired city bus driver who drove the 14 for thirty-one years.", 81),
    ("The store manager, fifty-eight, twelve years at Parkside.", 58),
    ("A retired school secretary in her seventies.", 75),
    ("A mother of two boys, eleven and fourteen, who works nights.", None),
    ("Forty-four, a dispatcher and single mother of a twelve-year-old.", 44),
    ("Lan's son, 12, in seventh grade.", 12),
])
def test_age_is_read_from_the_description(text: str, age: int | None) -> None:
    assert age_from(text) == age


def test_look_keeps_to_what_the_text_says_and_declared_fields_win() -> None:
    walter = look(person("A 54-year-old Black man in blue hospital scrubs with an ID on a lanyard."))
    assert (walter.skin, walter.clothing, walter.clothing_colour, walter.presents) == ("dark", "scrubs", "blue", "man")
    amina = look(person("Twenty-four, a nursing student. She wears a hijab and glasses."))
    assert amina.head_covering == "hijab" and amina.glasses and amina.presents == "woman"
    assert not look(person("He wore sunglasses on his head.")).glasses  # never sunglasses on a face
    jacket = "A man in a black jacket."  # a clothing colour is not a skin tone
    assert skin_stated(jacket) is None and look(person(jacket)).clothing_colour == "black"
    assert skin_stated("A Black woman in her forties.") == "dark"
    earl = look(person("81, in flannel pyjamas and a cardigan, freshly shaved."))
    assert earl.hair_colour == "white" and earl.clothing == "nightwear" and earl.facial_hair == "none"
    declared = look(person("Someone.", appearance=Appearance(age=30, skin="medium", hair="locs", glasses=True)))
    assert (declared.age, declared.skin, declared.hair, declared.glasses) == (30, "medium", "locs", True)
    assert look(person("Your partner.", role="partner")).clothing == "uniform"
    assert look(person("A neighbour.")) == look(person("A neighbour."))  # the same person always looks the same


def test_a_bad_appearance_value_is_a_load_error_with_its_place(tmp_path: Path) -> None:
    text = (LIB / "mini.yaml").read_text().replace(
        "subject: {name: Sam, description: A neighbour.}",
        "subject: {name: Sam, description: A neighbour., appearance: {skin: green}}")
    path = tmp_path / "mini.yaml"
    path.write_text(text)
    rubric = fixture_library().rubric
    with pytest.raises(LoadError) as err:
        load_scenario(path, rubric)
    assert any("skin" in str(d) for d in err.value.diagnostics)


def test_meters_belong_to_the_person_their_label_names() -> None:
    custody = LIBRARY.scenarios.get("custody-exchange")
    if custody is not None and "omar" in custody.meters:
        assert feelings.owner(custody, "omar", custody.meters["omar"]) == "father"
    s = fixture_library().scenarios["mini"]
    assert feelings.owners(s) == {"agitation": "subject", "trust": "subject"}
    cases = {"Officer Lee's temper": "partner", "Sam’s trust": "subject", "Your defensiveness": feelings.YOU,
             "Room's anger": None, "Tension": "subject"}
    for label, who in cases.items():
        assert feelings.owner(s, "x", Meter(start=0, label=label)) == who, label


@pytest.mark.parametrize(("word", "expression"), [
    ("calm", "calm"), ("guarded", "guarded"), ("no trust", "guarded"), ("some trust", "calm"),
    ("nervous", "uneasy"), ("frightened", "distressed"), ("reliving the past", "distressed"),
    ("highly agitated", "very agitated"), ("frustrated", "agitated"), ("not breathing", "unresponsive"),
])
def test_a_bands_word_decides_the_face(word: str, expression: str) -> None:
    meter = Meter(start=50, levels={0: word})
    assert feelings.meter_expression("m", meter, 50)[0] == expression


def test_unknown_words_fall_back_on_how_far_the_band_is_toward_the_bad_end() -> None:
    meter = Meter(start=0, levels={0: "alpha", 50: "beta", 90: "gamma"}, good="low")
    assert [feelings.meter_expression("m", meter, v)[0] for v in (0, 40, 60, 95)] == \
        ["calm", "uneasy", "agitated", "very agitated"]


def face_pixels(d: Driver) -> bytes:
    rect = d.layout.extras["face:subject"]
    grab = pygame.Surface(rect.size)
    grab.blit(d.app.surface, (0, 0), rect)
    return pygame.image.tobytes(grab, "RGB")


def test_the_face_follows_a_meter_change_during_play(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini")
    assert d.texts("expression") == ["Seems very agitated"]  # agitation 60: highly agitated
    before = face_pixels(d)
    d.key(pygame.K_1)  # step back and introduce yourself: agitation 60 -> 40
    assert d.screen == "feedback" and d.shows("Sam now seems agitated (was very agitated)")
    d.key(pygame.K_RETURN)
    assert d.texts("expression") == ["Seems agitated"]
    assert any(t.startswith("Down 20, was highly agitated") for t in d.texts("meter-change"))
    assert face_pixels(d) != before
    d.close()


def test_a_speakers_description_shows_on_first_appearance_and_on_demand(tmp_path: Path) -> None:
    d = Driver(tmp_path, trainee="Alex", scenario="mini")
    assert d.texts("introduction") == ["A neighbour."]
    d.key(pygame.K_1)
    d.key(pygame.K_RETURN)
    assert d.screen == "scene" and not d.texts("introduction")  # Sam speaks again: no repeat
    d.key(pygame.K_p)
    assert d.screen == "people" and d.shows("A neighbour.")
    d.close()


def test_every_library_person_has_a_face_at_every_expression() -> None:
    people = [p for s in LIBRARY.scenarios.values() for p in s.people.values()]
    assert people
    for p in people:
        assert portraits.render(p, "calm", 48) is not None, p.name
    for expression in EXPRESSIONS:
        image = portraits.render(people[0], expression, 48)
        assert image is not None and image.get_size() == (48, 48)
    faces = {pygame.image.tobytes(portraits.render(people[0], e, 48), "RGBA") for e in EXPRESSIONS}
    assert len(faces) == len(EXPRESSIONS)  # seven different faces, not one


def test_no_part_is_left_to_chance() -> None:
    """Every optional part of the style is pinned: no random sunglasses, eyepatch or slogan."""
    for p in [p for s in LIBRARY.scenarios.values() for p in s.people.values()]:
        opts = portraits.options(p, "calm")
        assert opts["accessoriesVariant"] == ["prescription02"]
        assert opts["clothesVariant"][0] != "graphicShirt"
        assert {"facialHairProbability", "accessoriesProbability", "topProbability"} <= set(opts)
