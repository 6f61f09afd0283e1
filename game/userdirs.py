"""Per-user folders (logs, settings) from platformdirs, so every OS puts them where users expect."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "commonground"


def data_dir() -> Path:
    override = os.environ.get("COMMONGROUND_DATA_DIR")
    return Path(override) if override else user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("COMMONGROUND_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP, appauthor=False)


def log_dir() -> Path:
    return data_dir() / "logs"
