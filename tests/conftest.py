"""Shared fixtures: the small test library, and isolation from the user's real data folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIB = FIXTURES / "lib"

pytest_plugins = ["tests.lrsservers"]
"""Fixtures for learning record stores: Ralph on loopback, and a server that misbehaves on purpose."""


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real per-user folders, and none sees an academy key by accident."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("COMMONGROUND_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("COMMONGROUND_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("COMMONGROUND_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("COMMONGROUND_ACADEMY_KEY", raising=False)
    monkeypatch.delenv("COMMONGROUND_LIBRARY", raising=False)
    for name in ("ENDPOINT", "USER", "PASSWORD", "CONFIG"):  # no test sends to a real LRS by accident
        monkeypatch.delenv(f"COMMONGROUND_LRS_{name}", raising=False)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(scope="session")
def rubric():
    from game.content.loader import load_rubric

    return load_rubric(LIB / "topics.yaml")


@pytest.fixture
def mini(rubric):
    from game.content.loader import load_scenario

    return load_scenario(LIB / "mini.yaml", rubric)
