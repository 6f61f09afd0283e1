"""HTML reports: Jinja2 templates with autoescaping on, charts pasted in as inline SVG.

Every report is one self-contained file: styles inline, charts inline, a Content-Security-Policy
that forbids any fetch, and a print stylesheet. Only SVG this program drew is marked safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ReportsUnavailable(RuntimeError):
    """Jinja2 or matplotlib is missing (the ``reports`` extra)."""


def environment() -> Any:
    try:
        import jinja2
    except ImportError as exc:
        raise ReportsUnavailable("HTML reports need the 'reports' extra: pip install 'commonground[reports]'") from exc
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: Any) -> str:
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return environment().get_template(template).render(app_version=__version__, made=made, **context)


def charts() -> Any:
    """The chart module, imported late so commands that make no chart never load matplotlib."""
    try:
        from game.reports import charts as module
    except ImportError as exc:
        raise ReportsUnavailable("charts need the 'reports' extra: pip install 'commonground[reports]'") from exc
    return module


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def debrief_html(d: Any, *, prefer_graphviz: bool = True) -> str:
    """The debrief report for a :class:`game.reports.debrief.Debrief`."""
    ch = charts()
    rows = [(("▸ " if r.level == "topic" else "") + r.title, r.percent,
             "not assessed" if r.percent is None else f"{r.percent:g}%") for r in d.scores if r.level != "overall"]
    score_chart = ch.score_bars(rows, "Topics (▸) and their principles") if rows else ""
    series = {k: v for k, v in d.meter_series.items() if v}
    ticks = ["start", *[str(i) for i in range(1, max((len(v) for v in series.values()), default=1))]]
    meter_chart = ch.meter_lines(series, d.meter_bounds, ticks) if series else ""
    path_chart, engine = "", ""
    if d.scenario is not None:
        from game.reports.pathgraph import path_svg

        path_chart, engine = path_svg(d.scenario, d.visits, prefer_graphviz=prefer_graphviz)
    titles = {r.key: r.title for r in d.scores}
    return render("debrief.html.j2", d=d, score_chart=score_chart, meter_chart=meter_chart, path_chart=path_chart,
                  path_engine=engine, titles=titles, duration=duration_text(d.duration),
                  deciding=duration_text(d.deciding))


OUTCOME_ORDER = ["resolved", "disengaged", "complaint", "injury", "use_of_force", "abandoned", "unfinished"]
MAX_TRAINEE_ROWS = 200
MAX_PROGRESS_LINES = 10


def cohort_html(c: Any, *, filters: Any, pseudonymized: bool, files: int, titles: dict[str, str] | None = None,
                only_verified: bool = False, include_unverified: bool = False) -> str:
    """The cohort report for a :class:`game.records.cohort.Cohort`."""
    ch = charts()
    order = [o for o in OUTCOME_ORDER if any(o in v for v in c.outcomes.values())]
    order += sorted({o for v in c.outcomes.values() for o in v} - set(order))
    spread_chart = ch.spread([(s.key, s.values) for s in c.principles]) if c.principles else ""
    outcome_chart = ch.stacked_outcomes(c.outcomes, order) if c.outcomes else ""
    busiest = sorted(c.progress, key=lambda p: (-len(p.attempts), p.trainee))
    lines = {p.trainee: p.scores for p in busiest[:MAX_PROGRESS_LINES] if p.scores}
    progress_chart = ch.progress(lines) if lines else ""
    caption = (f"The {len(lines)} trainees with most attempts." if len(c.progress) > len(lines) else
               "Every trainee.")
    parts = []
    if filters.scenarios:
        parts.append("scenario " + ", ".join(sorted(filters.scenarios)))
    if filters.trainees:
        parts.append("trainee " + ", ".join(sorted(filters.trainees)))
    if filters.since:
        parts.append(f"since {filters.since}")
    if filters.until:
        parts.append(f"until {filters.until}")
    return render("cohort.html.j2", c=c, files=files, pseudonymized=pseudonymized, filter_text="; ".join(parts),
                  spread_chart=spread_chart, outcome_chart=outcome_chart, outcome_order=order,
                  progress_chart=progress_chart, progress_caption=caption,
                  progress_rows=sorted(busiest[:MAX_TRAINEE_ROWS], key=lambda p: p.trainee), titles=titles or {},
                  only_verified=only_verified, include_unverified=include_unverified,
                  cut=[r for r in c.unfinished if r.integrity != "failed"])


def guide_html(g: Any, *, prefer_graphviz: bool = True) -> str:
    """The printable instructor's guide for a :class:`game.reports.guide.Guide`."""
    charts()  # the branching graph needs matplotlib when Graphviz is missing
    from game.reports.guide import PHASES
    from game.reports.pathgraph import path_svg

    graph, _engine = path_svg(g.scenario, g.graph_visits, prefer_graphviz=prefer_graphviz)
    return render("guide.html.j2", g=g, s=g.scenario, graph=graph, phases=PHASES)
