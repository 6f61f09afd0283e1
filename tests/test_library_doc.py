"""docs/library.md is generated from the library and must match it."""

from __future__ import annotations

import runpy

from tests.conftest import ROOT


def test_library_doc_is_current() -> None:
    render = runpy.run_path(str(ROOT / "tools" / "library_doc.py"), run_name="library_doc")["render"]
    assert (ROOT / "docs" / "library.md").read_text(encoding="utf-8") == render(), \
        "docs/library.md is out of date: run python tools/library_doc.py"
