"""Records leave the workstation: the LRS client, its config, and the durable outbox.

A statement counts as stored only when the LRS answers as the xAPI spec says; redirects are not
followed with credentials; each request has an overall deadline; credentials are never on the command
line nor printed; and the outbox, killed mid-batch and restarted, leaves every statement in the LRS
exactly once. Tested against Ralph on loopback and a local server that misbehaves on purpose.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from game.records.logread import read_log
from game.records.lrs import Client, LRSError, LRSProtocolError, redact
from game.records.outbox import Outbox, wait_for_sender
from game.records.xapi import Builder
from tests.conftest import LIB, ROOT
from tests.helpers import cli
from tests.logplay import play
from tests.lrsservers import PASSWORD, USER, Misbehaving, Ralph

PATHS = [["distance", "ask", "help"], ["wait", "ask", "leave"], ["rush", "grab"], ["distance", "order"],
         ["rush", "back-off", "talk_again.1", "leave"], ["distance", "quit"]]


def _env(endpoint: str, **extra: str) -> dict[str, str]:
    return {"COMMONGROUND_LRS_ENDPOINT": endpoint, "COMMONGROUND_LRS_USER": USER,
            "COMMONGROUND_LRS_PASSWORD": PASSWORD, **extra}


@pytest.fixture
def queued(mini, rubric, tmp_path: Path) -> list[dict]:
    """Six sessions' statements in the outbox (the test's own data folder), as the game queues them."""
    box = Outbox()
    statements: list[dict] = []
    for i, steps in enumerate(PATHS):
        path = play(mini, rubric, tmp_path / "logs", steps, trainee=f"cadet-{i}")
        log = read_log(path)
        made = Builder(log, mini, verified=False, integrity="unsigned").statements()
        box.add(log.start["session"], made)
        statements += made
    return statements


def _pending() -> int:
    return sum(e.statements for e in Outbox().entries())


# --- what counts as stored ------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "says"), [
    ("500", "answered HTTP 500"),
    ("401", "refused the credentials (HTTP 401)"),
    ("html", "with text/html, not the JSON list of statement ids"),
    ("object", "not with the list of the batch's statement ids"),
    ("204", "answered HTTP 204 (nothing new) but does not return the batch's statements"),
    ("reset", "the connection was reset"),
])
def test_a_misbehaving_lrs_stores_nothing_and_the_outbox_keeps_everything(
        mode: str, says: str, misbehaving: Misbehaving, queued: list[dict]) -> None:
    misbehaving.mode = mode
    before = _pending()
    result = cli("xapi", "--outbox", "--retries", "1", "--timeout", "5", env=_env(misbehaving.url))
    assert result.returncode == 1, result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert "0 stored" in result.stdout and _pending() == before == len(queued)
    assert PASSWORD not in result.stdout + result.stderr


def test_a_redirect_is_not_followed_with_the_credentials(misbehaving: Misbehaving, other_host: Misbehaving,
                                                         queued: list[dict]) -> None:
    misbehaving.mode, misbehaving.location = "redirect", other_host.url
    result = cli("xapi", "--outbox", env=_env(misbehaving.url))
    assert result.returncode == 1 and "redirects are not followed" in result.stderr
    assert other_host.requests == [] and _pending() == len(queued)


def test_a_trickling_server_cannot_hold_a_request_past_its_deadline(misbehaving: Misbehaving,
                                                                    queued: list[dict]) -> None:
    misbehaving.mode = "trickle"  # a byte every 50 ms: a per-read timeout would wait for ever
    started = time.monotonic()
    result = cli("xapi", "--outbox", "--retries", "0", "--timeout", "1.5", env=_env(misbehaving.url))
    took = time.monotonic() - started
    assert result.returncode == 1 and "no complete answer within 1.5 s" in result.stderr
    assert took < 15 and _pending() == len(queued)


def test_the_client_counts_only_what_the_spec_allows(misbehaving: Misbehaving) -> None:
    client = Client(misbehaving.url, USER, PASSWORD, retries=0, timeout=5)
    statement = {"id": "6f1e0f8e-3c9e-4a59-9a4a-0c8d1f6f2b11"}
    for mode, error in (("html", LRSProtocolError), ("object", LRSProtocolError), ("500", LRSError)):
        misbehaving.mode = mode
        with pytest.raises(error):
            client.post([statement])
    assert all(r["authorization"].startswith("Basic ") for r in misbehaving.requests)


# --- credentials ------------------------------------------------------------------------------------------


def test_credentials_never_come_from_the_command_line_nor_are_printed(misbehaving: Misbehaving,
                                                                      queued: list[dict], tmp_path: Path) -> None:
    flag = cli("xapi", str(tmp_path), "--endpoint", misbehaving.url, "--user", USER, "--password", "hunter2")
    assert flag.returncode == 2 and "never taken on the command line" in flag.stderr and "hunter2" not in flag.stderr
    host = urlsplit(misbehaving.url).netloc
    in_url = cli("xapi", "--outbox", env=_env(f"http://{USER}:hunter2@{host}/xAPI/"))
    assert in_url.returncode == 2 and "holds a user name or password" in in_url.stderr
    assert "hunter2" not in in_url.stdout + in_url.stderr and misbehaving.requests == []
    assert redact("https://u:p@lrs.example.org/xAPI/") == "https://lrs.example.org/xAPI/"
    assert "s3cret" not in repr(Client(misbehaving.url, USER, PASSWORD))


def test_config_file_holding_a_password_must_be_owner_only(misbehaving: Misbehaving, queued: list[dict]) -> None:
    config = Path(os.environ["COMMONGROUND_CONFIG_DIR"]) / "lrs.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'endpoint = "{misbehaving.url}"\nuser = "{USER}"\npassword = "{PASSWORD}"\n')
    config.chmod(0o644)
    loose = cli("xapi", "--outbox")
    assert loose.returncode == 2 and "chmod 600" in loose.stderr and PASSWORD not in loose.stderr
    config.chmod(0o600)
    misbehaving.mode = "html"
    tight = cli("xapi", "--outbox", "--retries", "0")
    assert tight.returncode == 1 and "text/html" in tight.stderr and misbehaving.requests


# --- Ralph: stored once, whatever happens ---------------------------------------------------------------


class _Gate(ThreadingHTTPServer):
    """A proxy to Ralph that, on its ``hold``-th POST, lets Ralph store the batch and then withholds the answer."""

    daemon_threads = True

    def __init__(self, upstream: str, hold: int):
        self.upstream = urlsplit(upstream)
        self.hold, self.posts = hold, 0
        self.stored_but_unanswered = threading.Event()
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), _Forward)


class _Forward(BaseHTTPRequestHandler):
    server: _Gate

    def log_message(self, *args: object) -> None:
        pass

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        up = HTTPConnection(self.server.upstream.hostname, self.server.upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        up.request(self.command, self.path, body=body or None, headers=headers)
        answer = up.getresponse()
        data = answer.read()
        if self.command == "POST":
            self.server.posts += 1
            if self.server.posts == self.server.hold:  # Ralph has stored it; the sender never hears so
                self.server.stored_but_unanswered.set()
                self.server.release.wait(30)
                return
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _forward


@pytest.fixture
def gate(ralph_server: Ralph) -> Iterator[_Gate]:
    server = _Gate(ralph_server.endpoint, hold=3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_outbox_killed_mid_batch_then_restarted_stores_every_statement_exactly_once(
        ralph_server: Ralph, gate: _Gate, queued: list[dict]) -> None:
    ids = [s["id"] for s in queued]
    assert len(ids) > 30 and len(set(ids)) == len(ids)
    proxy = f"http://127.0.0.1:{gate.server_address[1]}/xAPI/"
    env = {**os.environ, **_env(proxy), "PYTHONPATH": str(ROOT)}
    sender = subprocess.Popen([sys.executable, "-m", "game", "xapi", "--outbox", "--batch", "5"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert gate.stored_but_unanswered.wait(60), sender.communicate(timeout=5)
        sender.send_signal(signal.SIGKILL)  # mid-batch: Ralph holds the third batch, the outbox still lists it
        sender.wait(30)
    finally:
        gate.release.set()
    in_lrs = set(ralph_server.stored_ids()) & set(ids)
    gone = len(ids) - _pending()  # the two batches the sender heard back about
    assert gone > 0 and len(in_lrs) > gone  # the third is in the LRS and still in the outbox
    again = cli("xapi", "--outbox", "--batch", "5", env=_env(ralph_server.endpoint))
    assert again.returncode == 0, again.stderr
    assert "0 statement(s) still pending" in again.stdout and Outbox().entries() == []
    stored = [i for i in ralph_server.stored_ids() if i in set(ids)]
    assert sorted(stored) == sorted(ids)  # every statement, each exactly once


def test_a_finished_session_goes_to_the_outbox_and_is_sent_in_the_background(
        ralph_server: Ralph, mini, rubric, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in _env(ralph_server.endpoint).items():
        monkeypatch.setenv(k, v)
    path = play(mini, rubric, tmp_path / "logs", ["distance", "ask", "help"], trainee="kay")
    session = read_log(path).start["session"]
    wait_for_sender(60)  # the game does not wait: the sender thread is already on its way
    assert Outbox().entries() == [] and "0 statement(s) pending" in Outbox().last_attempt()
    mine = Client(ralph_server.endpoint, USER, PASSWORD).fetch(registration=session)
    assert {s["verb"]["id"].rsplit("/", 1)[1] for s in mine} >= {"initialized", "answered", "passed", "terminated"}
    integrity = {s["context"]["extensions"]["https://commonground.academy/xapi/extensions/log-integrity"]
                 for s in mine}
    assert integrity == {"unsigned"}


def test_terminal_play_queues_its_session_when_the_lrs_is_down(misbehaving: Misbehaving, tmp_path: Path) -> None:
    misbehaving.mode = "500"
    result = cli("play", "mini", "--text", "--library", str(LIB), "--trainee", "kay", "--log-dir",
                 str(tmp_path / "logs"), stdin="1\n1\n1\n", env=_env(misbehaving.url))
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "logs").glob("*.jsonl")
    (entry,) = Outbox().entries()
    assert entry.session == read_log(path).start["session"] and entry.statements > 5


def test_outbox_listing_says_what_waits_and_the_last_attempt(misbehaving: Misbehaving, queued: list[dict]) -> None:
    misbehaving.mode = "500"
    cli("xapi", "--outbox", "--retries", "0", env=_env(misbehaving.url))
    shown = cli("xapi", "--outbox", "--retries", "0", env=_env(misbehaving.url))
    assert f"6 session(s), {len(queued)} statement(s) pending" in shown.stdout
    assert "last attempt:" in shown.stdout and "stopped: the LRS at" in shown.stdout
    data = json.loads(next(iter(Outbox().folder.glob("*.json"))).read_text())
    assert data["statements"] and (Outbox().folder.stat().st_mode & 0o077) == 0
