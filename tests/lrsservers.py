"""Learning record stores for the tests: Ralph on loopback, and a local server that misbehaves on purpose."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT

USER, PASSWORD = "academy", "s3cret-pass"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Ralph:
    endpoint: str
    data: Path
    """Ralph's filesystem store: one stored statement a line."""

    def stored_ids(self) -> list[str]:
        import json

        path = self.data / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def ralph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    """Ralph's LRS (filesystem backend, basic auth) on a free loopback port; stopped on teardown."""
    if not all(importlib.util.find_spec(m) for m in ("ralph", "uvicorn", "fastapi", "requests")):
        pytest.skip("Ralph cannot be imported: pip install 'commonground[test]' (ralph-malph[cli,lrs] and requests) "
                    "to run the LRS test")
    home = tmp_path_factory.mktemp("ralph")
    env = {**os.environ, "RALPH_APP_DIR": str(home), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "ralph", "auth", "--write-to-disk", "--username", USER, "--password",
                    PASSWORD, "--scope", "statements/write", "--scope", "statements/read", "--agent-ifi-mbox",
                    f"mailto:{USER}@example.org"], env=env, check=True, capture_output=True, timeout=60)
    port = free_port()
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed on teardown
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "tests.ralph_app:app", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"Ralph exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/__heartbeat__", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("Ralph did not answer /__heartbeat__ within 60 s")
            time.sleep(0.1)
        yield Ralph(f"{base}/xAPI/", home / "data")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def ralph(ralph_server: Ralph) -> str:
    """Ralph's xAPI endpoint."""
    return ralph_server.endpoint


@dataclass
class Misbehaving:
    """A local 'LRS' that answers every request in one bad way (``mode``), and notes what it was sent."""

    mode: str = "500"
    location: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


def _handler(state: Misbehaving) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            state.requests.append({"path": self.path, "authorization": self.headers.get("Authorization") or ""})
            mode = state.mode
            if mode == "reset":  # close at once with a TCP reset
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            if mode == "trickle":  # a status line one byte at a time, and never the end of it
                try:
                    for ch in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"x" * 10_000:
                        self.wfile.write(bytes([ch]))
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass
                self.close_connection = True
                return
            status, kind, body = {
                "500": (500, "application/json", b'{"detail":"boom"}'),
                "401": (401, "application/json", b'{"detail":"Invalid authentication credentials"}'),
                "html": (200, "text/html", b"<html><body>Please sign in</body></html>"),
                "object": (200, "application/json", b'{"ok": true}'),
                "redirect": (302, "text/plain", b""),
                "204": (204, "", b""),
            }[mode]
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("X-Experience-API-Version", "1.0.3")
            if mode == "redirect":
                self.send_header("Location", state.location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = _any

    return Handler


@contextlib.contextmanager
def _serving(state: Misbehaving, host: str, path: str) -> Iterator[Misbehaving]:
    """``state``'s server on ``host`` (a free port) for the length of the block; ``state.url`` ends in ``path``."""
    server = ThreadingHTTPServer((host, 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://{host}:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def misbehaving() -> Iterator[Misbehaving]:
    with _serving(Misbehaving(), "127.0.0.1", "/xAPI/") as state:
        yield state


@pytest.fixture
def other_host() -> Iterator[Misbehaving]:
    """A second server on another loopback address: where a redirect would send the credentials."""
    with _serving(Misbehaving(mode="object"), "127.0.0.2", "/xAPI/statements") as state:
        yield state
