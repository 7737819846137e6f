"""Stats charts as inline SVG, drawn with matplotlib.

matplotlib is the maintained standard for this, renders offline, and its SVG
output is deterministic once `svg.hashsalt` is fixed and the metadata date is
dropped: the same numbers give the same bytes, so the built site diffs cleanly.
"""

from __future__ import annotations

import io

from incidentkit.stats import Stats

COLORS = ["#b71c1c", "#e65100", "#f9a825", "#1565c0", "#6a1b9a", "#2e7d32"]


def _pyplot():  # noqa: ANN202 - matplotlib's module
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.hashsalt": "incidentkit", "svg.fonttype": "none", "font.size": 9})
    import matplotlib.pyplot as plt

    return plt


def _svg(figure) -> str:  # noqa: ANN001 - a matplotlib Figure
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :].strip()


def incidents_per_month(stats: Stats) -> str:
    """Stacked bars: incidents per month, one colour per severity."""
    plt = _pyplot()
    months = list(stats.by_month)
    figure, axes = plt.subplots(figsize=(8, 3))
    bottom = [0] * len(months)
    for index, severity in enumerate(stats.severities):
        counts = [stats.by_month[m].get(severity, 0) for m in months]
        if any(counts):
            axes.bar(months, counts, bottom=bottom, label=severity, color=COLORS[index % len(COLORS)])
            bottom = [b + c for b, c in zip(bottom, counts)]
    axes.set_ylabel("incidents")
    axes.set_title("Incidents per month by severity")
    if months:
        axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.tick_params(axis="x", labelrotation=45)
    axes.yaxis.get_major_locator().set_params(integer=True)
    svg = _svg(figure)
    plt.close(figure)
    return svg


def time_to_mitigate_and_resolve(stats: Stats) -> str:
    """Grouped bars: median time to mitigate and to resolve (minutes) by severity."""
    plt = _pyplot()
    severities = [s for s in stats.severities if s in stats.to_mitigate or s in stats.to_resolve]
    figure, axes = plt.subplots(figsize=(8, 3))
    positions = range(len(severities))
    mitigate = [stats.to_mitigate[s].median_minutes if s in stats.to_mitigate else 0 for s in severities]
    resolve = [stats.to_resolve[s].median_minutes if s in stats.to_resolve else 0 for s in severities]
    axes.bar([p - 0.2 for p in positions], mitigate, width=0.4, label="median time to mitigate", color="#e65100")
    axes.bar([p + 0.2 for p in positions], resolve, width=0.4, label="median time to resolve", color="#1565c0")
    axes.set_xticks(list(positions), severities)
    axes.set_ylabel("minutes")
    axes.set_title("Time to mitigate and to resolve by severity")
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    svg = _svg(figure)
    plt.close(figure)
    return svg
