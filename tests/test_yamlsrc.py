"""Safe YAML reading: plain data only, exact locations, and no input that can crash or run code."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.content.diagnostics import LoadError
from game.content.yamlsrc import _NBSP_INDENT as NBSP_INDENT
from game.content.yamlsrc import parse_yaml

keys = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), st.text(max_size=30),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))
documents = st.dictionaries(keys, st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                                            st.dictionaries(keys, c, max_size=4)),
                                               max_leaves=12), max_size=6)


@settings(max_examples=200, deadline=None)
@given(documents, st.sampled_from([None, False, True]))
def test_builds_the_same_data_as_pyyaml(doc: dict, flow: bool | None) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    if not doc:
        return
    if NBSP_INDENT.search(text):  # refused on purpose: pasted non-breaking spaces where indentation goes
        with pytest.raises(LoadError, match="non-breaking space"):
            parse_yaml(text.encode(), "doc.yaml")
        return
    assert parse_yaml(text.encode(), "doc.yaml").data == yaml.safe_load(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_fail_with_a_located_diagnostic(raw: bytes) -> None:
    try:
        parse_yaml(raw, "x.yaml")
    except LoadError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.path == "x.yaml" and d.line >= 1 and d.col >= 1 and d.code.startswith("CG0")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!'\" \n\t#,?|>", max_size=120))
def test_yaml_punctuation_soup_never_crashes(text: str) -> None:
    try:
        parse_yaml(text.encode(), "x.yaml")
    except LoadError as exc:
        assert all(d.line >= 1 for d in exc.diagnostics)


def test_locations_of_values_and_keys() -> None:
    src = parse_yaml(b"a:\n  b: [1, 2]\n  c:\n    - x: 1\n      y: 2\n", "doc.yaml")
    assert src.locate(("a", "b")) == (2, 6)
    assert src.locate(("a", "b", 1)) == (2, 10)
    assert src.locate(("a", "c", 0, "y")) == (5, 10)
    assert src.locate(("a", "c", 0, "y"), key=True) == (5, 7)
    assert src.locate(("a", "missing")) == (2, 3)  # the parent mapping


def test_deep_nesting_is_refused_not_crashed() -> None:
    for raw in (b"[" * 100_000, b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(0, 2000, 2)),
                b"- " * 5_000 + b"x\n"):
        try:
            parse_yaml(raw, "deep.yaml")
        except LoadError as exc:
            assert exc.diagnostics[0].code in ("CG011", "CG001")
        else:
            raise AssertionError("deep nesting was accepted")


def test_merge_keys_and_timestamps_stay_plain_data() -> None:
    src = parse_yaml(b"base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\nwhen: 2026-11-24\n", "doc.yaml")
    assert src.data["item"] == {"x": 1, "y": 2}
    assert src.data["when"] == "2026-11-24"


def test_several_documents_are_refused() -> None:
    try:
        parse_yaml(b"a: 1\n---\nb: 2\n", "doc.yaml")
    except LoadError as exc:
        assert exc.diagnostics[0].code == "CG009"
        assert exc.diagnostics[0].line == 2
    else:
        raise AssertionError("accepted two documents")
