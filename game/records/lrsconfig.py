"""Where an academy's learning record store is configured: a file in the config folder, or the environment.

``lrs.toml`` in the platform's config folder (``~/.config/commonground/lrs.toml`` on Linux; the file
named by ``$COMMONGROUND_LRS_CONFIG`` instead, for a machine-wide file)::

    endpoint = "https://lrs.example.org/xAPI/"
    user = "academy"
    password_file = "/etc/commonground/lrs-password"   # or: password = "..."
    batch = 50        # statements per request
    timeout = 30      # seconds, the whole of each request
    retries = 4

``$COMMONGROUND_LRS_ENDPOINT``, ``$COMMONGROUND_LRS_USER`` and ``$COMMONGROUND_LRS_PASSWORD`` override
the file. Credentials never come from the command line (every user on the machine can read another's
command line), and a file holding a password must be readable by its owner only.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game import userdirs
from game.records.lrs import redact

CONFIG_FILE = "lrs.toml"
ENV_CONFIG = "COMMONGROUND_LRS_CONFIG"
ENV_ENDPOINT = "COMMONGROUND_LRS_ENDPOINT"
ENV_USER = "COMMONGROUND_LRS_USER"
ENV_PASSWORD = "COMMONGROUND_LRS_PASSWORD"
KEYS = {"endpoint", "user", "password", "password_file", "batch", "timeout", "retries"}


class LRSConfigError(RuntimeError):
    """The LRS configuration cannot be used; the message says what to change (never a secret)."""


@dataclass(frozen=True)
class LRSConfig:
    endpoint: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    batch: int = 50
    timeout: float = 30.0
    retries: int = 4
    source: str = "the environment"

    def __repr__(self) -> str:
        return f"LRSConfig(endpoint={redact(self.endpoint)!r}, user={self.user!r}, source={self.source!r})"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if env is None else env
    named = environ.get(ENV_CONFIG)
    return Path(named) if named else userdirs.config_dir() / CONFIG_FILE


def load(env: Mapping[str, str] | None = None) -> LRSConfig | None:
    """The configured LRS, or None when the academy has configured none (no file, no endpoint variable)."""
    environ = os.environ if env is None else env
    path = config_path(environ)
    data: dict[str, object] = {}
    source = "the environment"
    if path.is_file():
        data = _read(path)
        source = str(path)
    endpoint = environ.get(ENV_ENDPOINT) or data.get("endpoint")
    if not endpoint:
        if data:
            raise LRSConfigError(f"{path}: no 'endpoint' (the LRS's xAPI address, such as "
                                 "https://lrs.example.org/xAPI/)")
        return None
    password = environ.get(ENV_PASSWORD)
    if password is None and isinstance(data.get("password_file"), str):
        password = _secret_file(Path(str(data["password_file"])), path)
    if password is None and data.get("password") is not None:
        password = str(data["password"])
    try:
        return LRSConfig(endpoint=str(endpoint), user=environ.get(ENV_USER) or _text(data.get("user")),
                         password=password, batch=max(1, int(data.get("batch", 50))),  # type: ignore[call-overload]
                         timeout=max(1.0, float(data.get("timeout", 30.0))),  # type: ignore[arg-type]
                         retries=max(0, int(data.get("retries", 4))), source=source)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise LRSConfigError(f"{path}: batch, timeout and retries must be numbers") from None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _read(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LRSConfigError(f"{path}: cannot read the LRS config ({getattr(exc, 'strerror', None) or exc})") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise LRSConfigError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(data) - KEYS
    if unknown:
        raise LRSConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; the keys are "
                             f"{', '.join(sorted(KEYS))}")
    if "password" in data:
        _owner_only(path)
    return data


def _secret_file(secret: Path, config: Path) -> str:
    if not secret.is_absolute():
        secret = config.parent / secret
    _owner_only(secret)
    try:
        return secret.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise LRSConfigError(f"{secret}: cannot read the LRS password file "
                             f"({getattr(exc, 'strerror', None) or exc})") from None


def _owner_only(path: Path) -> None:
    """A file holding a password that others can read is refused, as ssh refuses such a key."""
    if sys.platform == "win32":
        return
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise LRSConfigError(f"{path}: {exc.strerror or exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise LRSConfigError(f"{path} holds the LRS password and others can read it: "
                             f"run 'chmod 600 {path}' (or keep the password in the environment)")
