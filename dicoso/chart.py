"""Days per cadre against the quota (matplotlib, Agg, a font with Vietnamese glyphs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import vnformat as vf

# Fonts that carry Vietnamese glyphs, by path (no font cache lookups by name, no
# network). Liberation Serif is metric-compatible with Times New Roman.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/liberation-serif/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "C:/Windows/Fonts/times.ttf",
    "/Library/Fonts/Times New Roman.ttf",
]
MET_COLOUR, SHORT_COLOUR, QUOTA_COLOUR = "#2e6da4", "#c9302c", "#333333"
# Above this many cadres (a national roll-up) one bar per cadre is unreadable and
# the image would be huge: the chart becomes a histogram of days per cadre.
MAX_BARS = 40


def _figure(height: float) -> tuple[Any, Any]:
    """A figure on the Agg canvas (no pyplot: faster import, no global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, height), dpi=200)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def _charted(summary: dict) -> list[dict]:
    return [c for c in summary.get("cadres", []) if not c.get("exempt")]


def caption(summary: dict) -> str:
    """The caption under the chart in the report."""
    year = "" if summary.get("period", {}).get("kind") == "year" else " năm"
    cadres = _charted(summary)
    if len(cadres) > MAX_BARS:
        return f"Biểu đồ: Phân bố số ngày đi cơ sở của {vf.number(len(cadres))} cán bộ so với chỉ tiêu{year}"
    return f"Biểu đồ: Số ngày đi cơ sở của từng cán bộ so với chỉ tiêu{year}"


def chart_font() -> str:
    """Register the first available Vietnamese-capable font and return its family.

    Falls back to DejaVu Sans, which matplotlib ships and which has the glyphs.
    """
    from matplotlib import font_manager

    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            # the bold face of the same family, if it sits beside the regular one
            bold = path.with_name(path.name.replace("Regular", "Bold"))
            if bold != path and bold.exists():
                font_manager.fontManager.addfont(str(bold))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return "DejaVu Sans"


def days_chart(summary: dict, out_png: Path) -> Path:
    """Horizontal bars, one per cadre grouped by Ban, against the quota line.

    Year runs colour the bars by met / not met; month and quarter runs by on
    track / at risk (`progress.at_risk`). A cadre whose own quota differs from
    the rule set's (prorated for part of the year) gets a tick at that quota.
    Drawn 6 inches wide so that it sits in the report at about 1:1 scale.
    """
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    out_png = Path(out_png)
    cadres = _charted(summary)
    if len(cadres) > MAX_BARS:
        return _histogram(summary, cadres, out_png)
    order = [d["department"] for d in summary.get("departments", [])]
    cadres.sort(key=lambda c: order.index(c["department"]) if c.get("department") in order else len(order))
    quota = summary.get("quota", 0)
    if summary.get("period", {}).get("kind") == "year":
        good = {c["name"] for c in cadres if c.get("met")}
        names = ["Đạt chỉ tiêu", "Chưa đạt chỉ tiêu"]
    else:
        risky = {a["name"] for a in summary.get("progress", {}).get("at_risk", [])}
        good = {c["name"] for c in cadres if c["name"] not in risky}
        names = ["Đúng tiến độ", "Chậm tiến độ"]
    rc = {"font.family": chart_font(), "font.size": 10, "svg.hashsalt": "dicoso"}
    with matplotlib.rc_context(rc):
        fig, ax = _figure(max(2.2, 0.27 * len(cadres) + 1.1))
        ys = list(range(len(cadres)))[::-1]
        days = [c.get("counted_days", 0) for c in cadres]
        ax.barh(ys, days, height=0.65, zorder=2,
                color=[MET_COLOUR if c["name"] in good else SHORT_COLOUR for c in cadres])
        for y, value in zip(ys, days):
            ax.text(value + 0.6, y, vf.number(value), va="center", fontsize=9, zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
        handles = [Patch(color=MET_COLOUR), Patch(color=SHORT_COLOUR)]
        own_ticks = [(y, c["quota"]) for y, c in zip(ys, cadres) if c.get("quota", quota) != quota]
        for y, own in own_ticks:
            ax.plot([own, own], [y - 0.42, y + 0.42], color=QUOTA_COLOUR, linewidth=2, zorder=4)
        if quota:
            handles.append(ax.axvline(quota, color=QUOTA_COLOUR, linestyle="--", linewidth=1.2, zorder=4))
            names.append(f"Chỉ tiêu {vf.number(quota)} ngày")
        if own_ticks:
            handles.append(Line2D([], [], color=QUOTA_COLOUR, linewidth=2, marker="|", linestyle="None",
                                  markersize=10))
            names.append("Chỉ tiêu riêng")
        ax.set_yticks(ys, [c["name"] for c in cadres])
        ax.set_xlabel("Số ngày đi cơ sở")
        ax.set_xlim(0, max([quota, *days, 1]) * 1.1)
        ax.grid(axis="x", color="#dddddd", zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(handles, names, loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=len(names),
                  frameon=False, fontsize=9, handlelength=1.5, columnspacing=1.2)
        fig.tight_layout()
        fig.savefig(out_png, format="png", metadata={"Software": None})
    return out_png


def _histogram(summary: dict, cadres: list[dict], out_png: Path) -> Path:
    """How many cadres reached how many days, bars split at each cadre's own quota."""
    import matplotlib

    quota = summary.get("quota", 0)
    days = [int(c.get("counted_days", 0)) for c in cadres]
    met = [bool(c.get("met")) for c in cadres]
    width = 5
    top = max([quota, *days, 1])
    edges = list(range(0, top + width + 1, width))
    rc = {"font.family": chart_font(), "font.size": 10, "svg.hashsalt": "dicoso"}
    with matplotlib.rc_context(rc):
        fig, ax = _figure(3.2)
        ax.hist([[d for d, m in zip(days, met) if m], [d for d, m in zip(days, met) if not m]], bins=edges,
                stacked=True, color=[MET_COLOUR, SHORT_COLOUR], label=["Đạt chỉ tiêu", "Chưa đạt chỉ tiêu"],
                zorder=2)
        if quota:
            ax.axvline(quota, color=QUOTA_COLOUR, linestyle="--", linewidth=1.2, zorder=4,
                       label=f"Chỉ tiêu {vf.number(quota)} ngày")
        ax.set_xlabel("Số ngày đi cơ sở")
        ax.set_ylabel("Số cán bộ")
        ax.grid(axis="y", color="#dddddd", zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=9)
        fig.tight_layout()
        fig.savefig(out_png, format="png", metadata={"Software": None})
    return out_png
