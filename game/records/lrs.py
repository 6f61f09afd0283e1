"""A small client for a learning record store: batched POSTs, retries with back-off, plain errors.

Standard library only (urllib), so sending records adds no dependency to the game. Statement ids
are chosen by the caller (see :mod:`game.records.xapi`), so a retried or repeated batch never duplicates:
the LRS answers 204 for statements it already holds.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

XAPI_VERSION = "1.0.3"
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class LRSError(RuntimeError):
    """A failure to say to the user as it is (wrong password, unreachable server, refused statement)."""


@dataclass
class Sent:
    batches: int = 0
    stored: int = 0
    """Statements the LRS reported as newly stored (a 204 means it already had them all)."""
    already: int = 0


def statements_url(endpoint: str) -> str:
    """Accept the LRS base (``.../xAPI``, ``.../xAPI/``) or the statements resource itself."""
    url = endpoint.rstrip("/")
    return url if url.endswith("/statements") else url + "/statements"


class Client:
    def __init__(self, endpoint: str, user: str, password: str, *, retries: int = 4, backoff: float = 0.5,
                 timeout: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 on_retry: Callable[[str, float], None] | None = None):
        if not endpoint.startswith(("http://", "https://")):
            raise LRSError(f"the endpoint must be an http:// or https:// URL, not {endpoint!r}")
        self.url = statements_url(endpoint)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION,
                        "Content-Type": "application/json"}
        self.retries, self.backoff, self.timeout, self.sleep = retries, backoff, timeout, sleep
        self.on_retry = on_retry

    def _request(self, method: str, url: str, body: Any = None) -> tuple[int, bytes]:
        data = json.dumps(body, separators=(",", ":")).encode() if body is not None else None
        delay, attempt = self.backoff, 0
        while True:
            attempt += 1
            request = urllib.request.Request(url, data=data, method=method, headers=self.headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:500].decode("utf-8", "replace")
                if exc.code in (401, 403):
                    raise LRSError(f"the LRS at {self.url} refused the credentials (HTTP {exc.code}): check --user "
                                   "and --password, and that the account may write statements") from None
                if exc.code == 409:
                    raise LRSError(f"the LRS holds different statements with the same ids (HTTP 409): {detail}") \
                        from None
                if exc.code not in RETRY_STATUS or attempt > self.retries:
                    raise LRSError(f"the LRS at {self.url} answered HTTP {exc.code}: {detail}") from None
                why = f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if attempt > self.retries:
                    raise LRSError(f"cannot reach the LRS at {self.url} ({reason}) after {attempt} tries") from None
                why = str(reason)
            if self.on_retry:
                self.on_retry(why, delay)
            self.sleep(delay)
            delay *= 2

    def send(self, statements: Sequence[dict[str, Any]], *, batch: int = 50,
             progress: Callable[[int, int], None] | None = None) -> Sent:
        """POST in batches; each batch is retried whole (the ids make that safe)."""
        sent = Sent()
        for i in range(0, len(statements), batch):
            chunk = list(statements[i:i + batch])
            status, body = self._request("POST", self.url, chunk)
            sent.batches += 1
            if status == 204 or not body:
                sent.already += len(chunk)
            else:
                try:
                    stored = len(json.loads(body))
                except ValueError:
                    stored = len(chunk)
                sent.stored += stored
                sent.already += len(chunk) - stored
            if progress:
                progress(min(i + batch, len(statements)), len(statements))
        return sent

    def fetch(self, **params: str) -> list[dict[str, Any]]:
        """Every statement matching ``params``, following the LRS's ``more`` links."""
        query = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in params.items())
        url: str | None = self.url + (f"?{query}" if query else "")
        out: list[dict[str, Any]] = []
        root = self.url.split("/xAPI")[0] if "/xAPI" in self.url else self.url.rsplit("/", 1)[0]
        while url:
            _, body = self._request("GET", url)
            page = json.loads(body)
            out.extend(page.get("statements", []))
            more = page.get("more")
            url = (more if more.startswith("http") else root + more) if more else None
        return out


def flatten(groups: Iterable[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [s for g in groups for s in g]
