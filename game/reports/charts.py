"""Charts for the reports, drawn by matplotlib and returned as inline SVG text (no files, no network).

Each chart gets its own id salt so several SVGs can share one HTML page without clashing ids, text
stays text (selectable, prints sharply), and the RDF metadata block (with its external IRIs) is left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

# Every label is plain text: a trainee id or title holding "$\frac{$" must not be read as mathtext (it crashed
# the report) and "$5" must print as "$5". Set once here, for every figure these reports draw.
matplotlib.rcParams["text.parse_math"] = False

GOOD, BAD, INK, MUTED = "#2e7d5b", "#b3412e", "#222222", "#8a8a8a"
PALETTE = ["#1f5f8b", "#c2702a", "#2e7d5b", "#7a4b94", "#b3412e", "#4b6b2a"]
OUTCOME_COLOURS = {  # one fixed colour per outcome category, from the calmest ending to the worst
    "resolved": "#2e7d5b", "voluntary_help": "#3f9c8f", "referral": "#1f5f8b", "warning": "#6a9fc9",
    "citation": "#a89a3c", "disengaged": "#8c8c8c", "complaint": "#c2702a", "arrest": "#8a5a2b",
    "involuntary_hold": "#7a4b94", "use_of_force": "#b3412e", "injury": "#6e1f1a",
    "abandoned": "#c8c8c8", "unfinished": "#dedede",
}

_count = 0


def to_svg(fig: plt.Figure) -> str:
    """The figure as an ``<svg>`` element to paste into HTML (XML header, doctype and metadata removed)."""
    global _count
    _count += 1
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"cg-chart-{_count}",
                                "font.family": "sans-serif"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None,
                                                                      "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return re.sub(r'\s(width|height)="[\d.]+pt"', "", text, count=2)


def _style(ax: plt.Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=9)


def score_bars(rows: Sequence[tuple[str, float | None, str]], title: str) -> str:
    """Horizontal bars of percentages (0-100); each row is (label, percent or None, annotation)."""
    height = 0.45 * len(rows) + 0.9
    fig, ax = plt.subplots(figsize=(7.2, height))
    labels = [r[0] for r in rows][::-1]
    values = [r[1] or 0.0 for r in rows][::-1]
    notes = [r[2] for r in rows][::-1]
    colours = [GOOD if v >= 60 else "#c9a227" if v >= 30 else BAD for v in values]
    bars = ax.barh(labels, values, color=colours, height=0.6)
    for bar, note in zip(bars, notes):
        ax.text(min(bar.get_width() + 1.5, 101), bar.get_y() + bar.get_height() / 2, note, va="center",
                fontsize=8.5, color=INK)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("% of the points at stake at the decisions faced", fontsize=9)
    ax.set_title(title, fontsize=11, loc="left", color=INK)
    _style(ax)
    return to_svg(fig)


def meter_lines(series: Mapping[str, Sequence[int]], bounds: Mapping[str, tuple[int, int]],
                ticks: Sequence[str]) -> str:
    """Each meter's value after every decision (x: decision number, 0 is the start)."""
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    xs = list(range(len(ticks)))
    for i, (name, values) in enumerate(series.items()):
        ax.plot(xs[:len(values)], values, marker="o", color=PALETTE[i % len(PALETTE)], label=name, linewidth=2)
    lo = min((b[0] for b in bounds.values()), default=0)
    hi = max((b[1] for b in bounds.values()), default=100)
    ax.set_ylim(lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05)
    ax.set_xticks(xs, ticks, fontsize=8.5)
    ax.set_xlabel("decision", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    ax.set_title("The subject's meters over the encounter", fontsize=11, loc="left", color=INK)
    _style(ax)
    return to_svg(fig)


def stacked_outcomes(rows: Mapping[str, Mapping[str, int]], outcome_order: Sequence[str]) -> str:
    """One horizontal stacked bar per scenario: how many sessions ended in each outcome."""
    names = list(rows)[::-1]
    fig, ax = plt.subplots(figsize=(7.2, 0.5 * len(names) + 1.3))
    left = [0] * len(names)
    for i, outcome in enumerate(outcome_order):
        counts = [rows[n].get(outcome, 0) for n in names]
        if not any(counts):
            continue
        colour = OUTCOME_COLOURS.get(outcome, PALETTE[i % len(PALETTE)])
        ax.barh(names, counts, left=left, color=colour, label=outcome.replace("_", " "),
                height=0.6)
        left = [a + b for a, b in zip(left, counts)]
    ax.set_xlabel("sessions", fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    ax.set_title("Outcomes per scenario", fontsize=11, loc="left", color=INK)
    _style(ax)
    return to_svg(fig)


def spread(rows: Sequence[tuple[str, Sequence[float]]]) -> str:
    """Per-principle distributions (box plots of percentages) with the mean marked."""
    fig, ax = plt.subplots(figsize=(7.2, 0.5 * len(rows) + 1.2))
    data = [list(r[1]) or [0.0] for r in rows][::-1]
    ax.boxplot(data, vert=False, tick_labels=[r[0] for r in rows][::-1], showmeans=True, widths=0.55,
               medianprops={"color": INK}, meanprops={"marker": "D", "markerfacecolor": GOOD,
                                                      "markeredgecolor": GOOD, "markersize": 5})
    ax.set_xlim(-3, 103)
    ax.set_xlabel("% of the best attainable (diamond: mean)", fontsize=9)
    ax.set_title("Principles across sessions", fontsize=11, loc="left", color=INK)
    _style(ax)
    return to_svg(fig)


def progress(rows: Mapping[str, Sequence[float]]) -> str:
    """Each trainee's overall percentage over their attempts, in date order."""
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    for i, (name, values) in enumerate(rows.items()):
        ax.plot(range(1, len(values) + 1), values, marker="o", color=PALETTE[i % len(PALETTE)], label=name,
                linewidth=1.5)
    ax.set_ylim(-3, 103)
    ax.set_xlabel("attempt", fontsize=9)
    ax.set_ylabel("overall %", fontsize=9)
    ax.grid(axis="y", color="#e4e4e4")
    if len(rows) <= 12:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)
    ax.set_title("Progress over attempts", fontsize=11, loc="left", color=INK)
    _style(ax)
    return to_svg(fig)
