"""``commonground doctor`` tells the instructor what the game cannot do here, and what to do about it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import LIB
from tests.helpers import cli

ENV = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def test_doctor_reports_each_part_and_a_broken_scenario_file(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(LIB, lib)
    (lib / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    r = cli("doctor", "--library", str(lib), env=ENV)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    for part in ("Python", "pygame-ce", "display", "fonts", "faces", "countdown sound", "read aloud",
                 "score logs", "settings", "scenarios"):
        assert f"  {part}: " in out, part
    assert "ok    faces:" in out
    assert "broken.yaml has errors and is left out of the picker: commonground validate" in out
    assert "Traceback" not in r.stderr


def test_doctor_fails_when_logs_cannot_be_written(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data folder should be")
    r = cli("doctor", env={**ENV, "COMMONGROUND_DATA_DIR": str(blocked)})
    assert r.returncode == 1 and "FAIL  score logs:" in r.stdout and "cannot be written" in r.stdout
