"""Per-user folders (logs, settings, caches) from platformdirs, so every OS puts them where users expect."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP = "commonground"


def data_dir() -> Path:
    override = os.environ.get("COMMONGROUND_DATA_DIR")
    return Path(override) if override else user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("COMMONGROUND_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP, appauthor=False)


def log_dir() -> Path:
    return data_dir() / "logs"


def cache_dir() -> Path:
    """Results that can always be worked out again (lint's explorations); safe to delete at any time."""
    override = os.environ.get("COMMONGROUND_CACHE_DIR")
    return Path(override) if override else user_cache_path(APP, appauthor=False)
