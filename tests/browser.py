"""Opening a report the way a reader would: headless Chromium, its console, and the page's references."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"]


@dataclass
class Opened:
    dom: str
    console: list[str]
    """Console messages (errors, CSP violations) the page produced."""
    requests: list[str]
    """URLs the page asked the network for (from Chromium's net log; the browser's own update pings excluded)."""


def open_page(page: Path, *, screenshot: Path | None = None, size: str = "1280,2000") -> Opened:
    """Render ``page`` headless; with ``screenshot``, save a PNG instead of dumping the DOM."""
    assert CHROMIUM, "chromium is not installed"
    with tempfile.TemporaryDirectory() as profile:
        netlog = Path(profile) / "net.json"
        what = [f"--screenshot={screenshot}", f"--window-size={size}"] if screenshot else ["--dump-dom"]
        result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--log-net-log={netlog}", *what,
                                 page.resolve().as_uri()], capture_output=True, text=True, timeout=90)
        console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
        requests = []
        if netlog.exists():
            text = netlog.read_text(errors="replace").rstrip().rstrip(",")
            data = json.loads(text if text.endswith("}") else text + "]}")
            for event in data.get("events", []):
                params = event.get("params", {})
                if "url" in params and str(params.get("network_isolation_key", "")).startswith("file://"):
                    requests.append(params["url"])
    return Opened(result.stdout, console, sorted(set(requests)))


EXTERNAL = re.compile(r"""(?:\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
                      r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""", re.I)


def external_references(html: str) -> list[str]:
    """Anything in the page that would make a browser fetch from a server (namespaces are not fetches)."""
    return [m.group(0) for m in EXTERNAL.finditer(html)]
