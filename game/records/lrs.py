"""A small client for a learning record store: batched POSTs, retries with back-off, plain errors.

Standard library only (``http.client``), so sending records adds no dependency to the game. What it
holds to, because an academy must be able to trust "stored":

* a statement counts as stored only when the LRS answers as the xAPI spec says: 200 with a JSON
  array of statement ids from the batch (Ralph, like some other stores, leaves out ids it already
  held). A 204 ("I held them all", Ralph's answer to a batch sent again) counts only once the LRS
  returns the batch's first and last statements by id. An HTML page, a JSON object, anything else:
  nothing is counted, whatever the status code. (The spec wants ``X-Experience-API-Version`` on every
  answer; Ralph 5 leaves it out, so its absence is not held against an answer that is otherwise right.)
* redirects are never followed: the credentials go to the configured endpoint and nowhere else;
* each request has an overall deadline (a server that trickles bytes cannot hold it past it);
* credentials are never printed: messages show the endpoint with any user info removed.

Statement ids are chosen by the caller (:mod:`game.records.xapi`), so a retried or repeated batch
never duplicates a statement in the store.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

XAPI_VERSION = "1.0.3"
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
MAX_ANSWER = 32 * 1024 * 1024
"""Largest answer read (a page of statements); a longer one is an error, not a memory problem."""


class LRSError(RuntimeError):
    """A failure to say to the user as it is (wrong password, unreachable server, refused statement)."""


class LRSProtocolError(LRSError):
    """The LRS answered, but not as the xAPI spec says: nothing in the batch is counted as stored."""


@dataclass
class Sent:
    batches: int = 0
    stored: int = 0
    """Statements the LRS reported as newly stored."""
    already: int = 0
    """Statements the LRS said it already held (same ids): stored before, not stored twice."""


def redact(url: str) -> str:
    """``url`` without any user name or password in it (``https://user:pw@host`` -> ``https://host``)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<an unreadable URL>"
    if parts.username is None and parts.password is None and "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def statements_url(endpoint: str) -> str:
    """Accept the LRS base (``.../xAPI``, ``.../xAPI/``) or the statements resource itself."""
    url = endpoint.rstrip("/")
    return url if url.endswith("/statements") else url + "/statements"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _detail(body: bytes) -> str:
    """A short, printable excerpt of an error answer."""
    text = _CONTROL.sub(" ", body[:300].decode("utf-8", "replace")).strip()
    return text or "(no details)"


class Client:
    def __init__(self, endpoint: str, user: str, password: str, *, retries: int = 4, backoff: float = 0.5,
                 timeout: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 on_retry: Callable[[str, float], None] | None = None):
        shown = redact(endpoint)
        try:
            parts = urllib.parse.urlsplit(statements_url(endpoint))
            port = parts.port
        except ValueError:
            raise LRSError(f"the endpoint {shown!r} is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LRSError(f"the endpoint must be an http:// or https:// URL, not {shown!r}")
        if parts.username is not None or parts.password is not None:
            raise LRSError(f"the endpoint {shown} holds a user name or password: give credentials in the LRS "
                           "config file or the environment (see docs/score-log.md), never in the URL")
        self.url = urllib.parse.urlunsplit(parts)
        self._parts = parts
        self._host, self._port = parts.hostname, port
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self._headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION,
                         "Content-Type": "application/json", "Accept": "application/json"}
        self.retries, self.backoff, self.timeout, self.sleep = retries, backoff, timeout, sleep
        self.on_retry = on_retry

    def __repr__(self) -> str:  # never the credentials
        return f"Client({self.url!r})"

    # --- one request, with an overall deadline --------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self._parts.scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _once(self, method: str, target: str, data: bytes | None) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request and its whole answer within :attr:`timeout` seconds, or ``TimeoutError``."""
        conn = self._connection()
        expired = threading.Event()

        def cut() -> None:  # the socket's own timeout is per read: this bounds the whole exchange
            expired.set()
            sock = conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(self.timeout, cut)
        timer.daemon = True
        timer.start()
        try:
            conn.request(method, target, body=data, headers=self._headers)
            response = conn.getresponse()
            body = response.read(MAX_ANSWER + 1)
            if expired.is_set():  # the cut ended the answer early: what arrived is not the answer
                raise TimeoutError(f"no complete answer within {self.timeout:g} s")
            if len(body) > MAX_ANSWER:
                raise LRSProtocolError(f"the LRS at {self.url} answered with more than {MAX_ANSWER >> 20} MB")
            return response.status, response.headers, body
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise TimeoutError(f"no complete answer within {self.timeout:g} s") from None
            raise exc
        finally:
            timer.cancel()
            conn.close()

    def _request(self, method: str, target: str, body: Any = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        """A request with retries and doubling back-off for what may pass (busy server, dropped connection)."""
        data = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        delay, attempt = self.backoff, 0
        while True:
            attempt += 1
            try:
                status, headers, answer = self._once(method, target, data)
            except LRSError:
                raise
            except (OSError, http.client.HTTPException) as exc:
                if attempt > self.retries:
                    raise LRSError(f"cannot reach the LRS at {self.url} ({_reason(exc)}) after {attempt} "
                                   f"tr{'y' if attempt == 1 else 'ies'}") from None
                why = _reason(exc)
            else:
                if 300 <= status < 400:
                    where = redact(headers.get("Location") or "another address")
                    raise LRSError(f"the LRS at {self.url} answered HTTP {status}, a redirect to {where}; redirects "
                                   "are not followed, so the credentials go only to the configured endpoint: "
                                   "configure the final address")
                if status in (401, 403):
                    raise LRSError(f"the LRS at {self.url} refused the credentials (HTTP {status}): check the user "
                                   "and password in the LRS config, and that the account may write statements")
                if status == 409:
                    raise LRSError(f"the LRS holds different statements with the same ids (HTTP 409): "
                                   f"{_detail(answer)}")
                if status not in RETRY_STATUS:
                    return status, headers, answer
                if attempt > self.retries:
                    raise LRSError(f"the LRS at {self.url} answered HTTP {status}: {_detail(answer)}")
                why = f"HTTP {status}"
            if self.on_retry:
                self.on_retry(why, delay)
            self.sleep(delay)
            delay *= 2

    # --- statements -------------------------------------------------------------------------------

    def post(self, chunk: Sequence[dict[str, Any]]) -> tuple[int, int]:
        """POST one batch; (newly stored, already held), counted only from an answer the spec allows."""
        status, headers, answer = self._request("POST", self._target(), list(chunk))
        sent = {str(s.get("id")) for s in chunk}
        if status not in (200, 204):
            raise LRSError(f"the LRS at {self.url} refused the statements (HTTP {status}): {_detail(answer)}")
        if status == 204:  # Ralph's (and others') answer when it already held every statement of the batch
            ends = {str(chunk[0].get("id")), str(chunk[-1].get("id"))}
            if not all(self.holds(i) for i in ends):
                raise LRSProtocolError(f"the LRS at {self.url} answered HTTP 204 (nothing new) but does not return "
                                       "the batch's statements: nothing was counted as stored")
            return 0, len(chunk)
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise LRSProtocolError(f"the LRS at {self.url} answered HTTP 200 with {kind or 'no content type'}, not "
                                   "the JSON list of statement ids: perhaps a login or error page; nothing was "
                                   "counted as stored")
        try:
            ids = json.loads(answer)
        except (ValueError, RecursionError):
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not set(ids) <= sent:
            raise LRSProtocolError(f"the LRS at {self.url} answered HTTP 200, but not with the list of the batch's "
                                   "statement ids: nothing was counted as stored")
        stored = len(set(ids))
        return stored, len(chunk) - stored

    def holds(self, statement_id: str) -> bool:
        """Whether the LRS returns the statement with this id (GET ``statements?statementId=``)."""
        status, headers, answer = self._request("GET", self._target() + "?" + urllib.parse.urlencode(
            {"statementId": statement_id}))
        if status != 200 or (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return False
        try:
            found = json.loads(answer)
        except (ValueError, RecursionError):
            return False
        if isinstance(found, dict) and isinstance(found.get("statements"), list):  # Ralph wraps it in a page
            return any(isinstance(s, dict) and s.get("id") == statement_id for s in found["statements"])
        return isinstance(found, dict) and found.get("id") == statement_id

    def send(self, statements: Sequence[dict[str, Any]], *, batch: int = 50,
             progress: Callable[[int, int], None] | None = None) -> Sent:
        """POST in batches; each batch is retried whole (the ids make that safe)."""
        sent = Sent()
        for i in range(0, len(statements), max(1, batch)):
            stored, already = self.post(statements[i:i + batch])
            sent.batches += 1
            sent.stored += stored
            sent.already += already
            if progress:
                progress(min(i + batch, len(statements)), len(statements))
        return sent

    def fetch(self, **params: str) -> list[dict[str, Any]]:
        """Every statement matching ``params``, following the LRS's ``more`` links (on the same server only)."""
        query = urllib.parse.urlencode(params)
        target: str | None = self._target() + (f"?{query}" if query else "")
        out: list[dict[str, Any]] = []
        while target:
            status, _, body = self._request("GET", target)
            if status != 200:
                raise LRSError(f"the LRS at {self.url} answered HTTP {status}: {_detail(body)}")
            try:
                page = json.loads(body)
            except ValueError:
                raise LRSProtocolError(f"the LRS at {self.url} answered with something other than JSON") from None
            out.extend(page.get("statements", []))
            more = page.get("more")
            target = self._more(more) if more else None
        return out

    def _target(self) -> str:
        return self._parts.path or "/"

    def _more(self, more: str) -> str:
        """A ``more`` link as a request target on this server (a link to another server is refused)."""
        parts = urllib.parse.urlsplit(more)
        if parts.netloc and (parts.hostname, parts.port) != (self._host, self._port):
            raise LRSError(f"the LRS sent a 'more' link to another server ({redact(more)}); not followed")
        return urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return str(exc) or "timed out"
    if isinstance(exc, ConnectionResetError):
        return "the connection was reset"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def flatten(groups: Iterable[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [s for g in groups for s in g]
