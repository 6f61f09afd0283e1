"""Score logs as xAPI statements, in the ADL and cmi5 vocabularies, for an academy's learning record store.

One session becomes: ``initialized``; one ``answered`` per decision (a ``choice`` interaction whose
response is the choice taken); ``completed`` (or cmi5 ``abandoned``); ``passed``/``failed`` with a
scaled score and ``result.success`` = the session's ``passed`` (overall at the pass mark, no critical
error, not a failing outcome); ``terminated``. Principle scores, critical errors, the variant and the
scoring model go in ``result.extensions`` under the project's IRIs. The score is the one debrief shows
(:mod:`game.records.rescore`): re-scored from the logged choices when the log used an older model.
Every statement id is a UUID5 over the session id, the event's sequence number and the verb, so
sending the same log twice sends the same ids and the LRS stores nothing new.
"""

from __future__ import annotations

import urllib.parse
import uuid
from datetime import UTC, datetime
from typing import Any

from game.content.format import Rubric, Scenario
from game.engine import undo
from game.records.logread import LogRead
from game.records.rescore import LEGACY, session_score

BASE = "https://commonground.academy/xapi"
HOMEPAGE = "https://commonground.academy"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
ADL = "http://adlnet.gov/expapi/verbs/"
CMI5_ADL = "https://w3id.org/xapi/adl/verbs/"
VERBS = {
    "initialized": ADL + "initialized",
    "answered": ADL + "answered",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "terminated": ADL + "terminated",
    "abandoned": CMI5_ADL + "abandoned",
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
EXT = {
    "principles": f"{BASE}/extensions/principle-scores",
    "topics": f"{BASE}/extensions/topic-scores",
    "outcome": f"{BASE}/extensions/outcome",
    "ending": f"{BASE}/extensions/ending",
    "effects": f"{BASE}/extensions/effects",
    "meters": f"{BASE}/extensions/meters",
    "scores": f"{BASE}/extensions/step-scores",
    "kind": f"{BASE}/extensions/decision-kind",
    "session": f"{BASE}/extensions/session",
    "mode": f"{BASE}/extensions/mode",
    "scenario_version": f"{BASE}/extensions/scenario-version",
    "content_hash": f"{BASE}/extensions/content-hash",
    "app_version": f"{BASE}/extensions/app-version",
    "event_hash": f"{BASE}/extensions/log-event-hash",
    "verified": f"{BASE}/extensions/log-verified",
    "integrity": f"{BASE}/extensions/log-integrity",
    "critical": f"{BASE}/extensions/critical-errors",
    "variant": f"{BASE}/extensions/variant",
    "scoring_model": f"{BASE}/extensions/scoring-model",
    "rescored": f"{BASE}/extensions/rescored",
}
DEFAULT_PASS_MARK = 60.0
"""For logs scored under an older model that cannot be re-scored and whose scenario is not in the library."""


def duration(seconds: float | None) -> str:
    """ISO 8601 duration (``PT12.5S``), as xAPI wants it; hundredths of a second at most."""
    secs = max(0.0, float(seconds or 0.0))
    hours, rest = divmod(secs, 3600)
    minutes, rest = divmod(rest, 60)
    text = "PT" + (f"{int(hours)}H" if hours else "") + (f"{int(minutes)}M" if minutes else "")
    return text + f"{round(rest, 2):g}S"


def statement_id(session: str, seq: int, verb: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{session}/{seq}/{verb}"))


def _ts(text: str | None) -> datetime | None:
    """A logged time in UTC (one written without a zone is taken as UTC, as the writer means)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except (ValueError, TypeError):
        return None
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def _lang(text: str) -> dict[str, str]:
    return {"en-US": text}


def segment(text: str) -> str:
    """An id as one IRI path segment: percent-encoded, so no id from a log can break or redirect an IRI."""
    return urllib.parse.quote(text, safe="-_.~") or "_"


class Builder:
    """Turns one read log into statements; ``scenario`` (when found) adds titles and choice texts."""

    def __init__(self, log: LogRead, scenario: Scenario | None = None, *, verified: bool = True,
                 pass_mark: float | None = None, homepage: str = HOMEPAGE, rubric: Rubric | None = None,
                 integrity: str | None = None):
        self.log = log
        self.scenario = scenario
        self.score = session_score(log, scenario, rubric)
        self.start = log.start
        self.session = str(self.start.get("session"))
        self.verified = verified
        self.integrity = integrity or ("verified" if verified else "failed")
        """verified, unsigned (edits cannot be detected) or failed: said in every statement's context."""
        self.pass_mark = pass_mark
        self.actor = {"objectType": "Agent", "name": str(self.start.get("trainee")),
                      "account": {"homePage": homepage, "name": str(self.start.get("trainee"))}}
        sid = str(self.start.get("scenario"))
        self.scenario_iri = f"{BASE}/scenarios/{segment(sid)}"
        self.activity = {"objectType": "Activity", "id": self.scenario_iri, "definition": {
            "type": SIMULATION, "name": _lang(str(self.start.get("title") or sid)),
            **({"description": _lang(scenario.summary)} if scenario else {})}}

    def _context(self, event: dict[str, Any], parent: bool) -> dict[str, Any]:
        context: dict[str, Any] = {
            "registration": self.session if _is_uuid(self.session) else str(uuid.uuid5(NAMESPACE, self.session)),
            "platform": "Common Ground",
            "language": "en-US",
            "extensions": {
                EXT["session"]: self.session, EXT["mode"]: self.start.get("mode"),
                EXT["scenario_version"]: self.start.get("scenario_version"),
                EXT["content_hash"]: self.start.get("content_hash"), EXT["app_version"]: self.start.get("app_version"),
                EXT["event_hash"]: event.get("hash"), EXT["verified"]: self.verified,
                EXT["integrity"]: self.integrity,
            },
        }
        if parent:
            context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": self.scenario_iri}]}
        return context

    def _statement(self, verb: str, event: dict[str, Any], obj: dict[str, Any], result: dict[str, Any] | None = None,
                   *, parent: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": statement_id(self.session, int(event["seq"]), verb),
            "actor": self.actor,
            "verb": {"id": VERBS[verb], "display": _lang(verb)},
            "object": obj,
            "context": self._context(event, parent),
        }
        when = _ts(event.get("ts"))
        if when is not None:  # an unreadable time in a damaged log is left out, not sent as garbage
            out["timestamp"] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if result:
            out["result"] = result
        return out

    def _interaction(self, node_id: str, offered: list[str], has_timeout: bool) -> dict[str, Any]:
        node = self.scenario.nodes.get(node_id) if self.scenario else None
        texts = {c.qid: c.text for c in node.choices} if node else {}
        choices = [{"id": cid, "description": _lang(texts.get(cid, cid))} for cid in offered]
        if has_timeout:
            text = node.time_limit.text if node and node.time_limit else "Let the time run out"
            choices.append({"id": f"{node_id}.timeout", "description": _lang(text)})
        name = node.line if node and node.line else node_id
        return {"objectType": "Activity", "id": f"{self.scenario_iri}/nodes/{segment(node_id)}", "definition": {
            "type": INTERACTION, "name": _lang(name), "interactionType": "choice", "choices": choices}}

    def _elapsed(self, since: dict[str, Any], until: dict[str, Any]) -> float:
        t0, t1 = _ts(since.get("ts")), _ts(until.get("ts"))
        return (t1 - t0).total_seconds() if t0 and t1 else 0.0

    def _score_result(self, score: dict[str, Any]) -> dict[str, Any]:
        return {
            EXT["principles"]: score.get("principles", {}),
            EXT["topics"]: score.get("topics", {}),
        }

    def statements(self) -> list[dict[str, Any]]:
        start = self.start
        out = [self._statement("initialized", start, self.activity)]
        node_event: dict[str, Any] | None = None
        last = start
        for e in undo.withdraw(self.log.events[1:]):  # a test run's steps taken back were never answers
            last = e
            if e["type"] == "node":
                node_event = e
            elif e["type"] in ("choice", "timeout"):
                offered = list(node_event.get("offered", [])) if node_event and node_event["node"] == e["node"] else []
                has_timeout = bool(node_event and node_event.get("time_limit"))
                if e["choice"] not in offered and not e["choice"].endswith(".timeout"):
                    offered.append(e["choice"])
                result: dict[str, Any] = {"response": e["choice"], "extensions": {
                    EXT["kind"]: e["type"], EXT["scores"]: e.get("scores", {}), EXT["effects"]: e.get("effects", {})}}
                if e.get("elapsed") is not None:
                    result["duration"] = duration(e["elapsed"])
                if node_event is not None:
                    result["extensions"][EXT["meters"]] = node_event.get("state", {}).get("values", {})
                out.append(self._statement("answered", e, self._interaction(e["node"], offered, has_timeout), result,
                                           parent=True))
            elif e["type"] == "summary":
                out.extend(self._closing(e))
        if self.log.summary is None:  # cut off: still close the attempt for the record
            out.append(self._statement("terminated", last, self.activity, {
                "duration": duration(self._elapsed(start, last))}))
        return out

    def _closing(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        took = duration(self._elapsed(self.start, summary))
        sc = self.score
        score = sc.score or {}
        overall = score.get("overall", {})
        pct = overall.get("percent")
        ext = {EXT["outcome"]: summary.get("outcome"), EXT["ending"]: summary.get("ending"),
               **self._score_result(score), EXT["critical"]: sc.critical, EXT["variant"]: self.start.get("variant"),
               EXT["scoring_model"]: sc.model, EXT["rescored"]: sc.source == "rescored"}
        out = []
        if summary.get("status") == "completed":
            out.append(self._statement("completed", summary, self.activity,
                                       {"completion": True, "duration": took, "extensions": ext}))
            passed = bool(sc.passed)
            if sc.source == LEGACY and self.pass_mark is not None:  # the academy's mark for figures it cannot re-score
                ending = summary.get("ending")
                failing = self.scenario is not None and bool(ending) and self.scenario.fails(str(ending))
                passed = pct is not None and pct >= self.pass_mark and not failing
            result: dict[str, Any] = {"success": passed, "completion": True, "duration": took, "extensions": ext}
            if pct is not None:
                if sc.source == LEGACY:
                    raw, low, high = overall.get("raw", 0), min(0, overall.get("raw", 0)), max(
                        overall.get("best", 0), overall.get("raw", 0))
                else:
                    raw, low, high = overall.get("earned", 0), 0, overall.get("stake", 0)
                result["score"] = {"scaled": round(pct / 100.0, 4), "raw": raw, "min": low, "max": high}
            out.append(self._statement("passed" if passed else "failed", summary, self.activity, result))
        else:
            out.append(self._statement("abandoned", summary, self.activity,
                                       {"completion": False, "duration": took, "extensions": ext}))
        out.append(self._statement("terminated", summary, self.activity, {"duration": took}))
        return out


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
