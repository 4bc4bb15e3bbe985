"""Pain over the training calendar: daily pain and its rolling mean over daily distance bars."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.texts import screen_text
from backstride.progress.change import DailyPain, change_rule


def pain_chart_png(
    daily: Sequence[DailyPain],
    rolling: Sequence[tuple[date, float]],
    distance_km_by_day: Mapping[date, float],
    *,
    kb: KnowledgeBase,
    dpi: int = 110,
) -> bytes:
    """A PNG chart: pain (0–10) as points and the change rule's rolling mean as a line,
    distance (km) as bars; its words are `text.charts`'."""

    def say(name: str, **values: object) -> str:
        return screen_text(kb, "charts", name, **values)

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    fig: Figure = plt.figure(figsize=(8.0, 3.2))
    try:
        distance_axis = fig.add_subplot(1, 1, 1)
        pain_axis = distance_axis.twinx()
        if distance_km_by_day:
            days = sorted(distance_km_by_day)
            distance_axis.bar(
                _dates(days),
                [distance_km_by_day[d] for d in days],
                color="#c9d8e8",
                label=say("pain_chart_distance"),
            )
            distance_axis.set_ylim(0, max(distance_km_by_day.values()) * 1.35 or 1.0)
        distance_axis.set_ylabel(say("pain_chart_distance"))
        if daily:
            pain_axis.scatter(
                _dates([d.on for d in daily]),
                [d.mean_pain for d in daily],
                s=12,
                color="#b03a2e",
                label=say("pain_chart_day"),
            )
        if rolling:
            pain_axis.plot(
                _dates([d for d, _ in rolling]),
                [m for _, m in rolling],
                color="#6e2c00",
                linewidth=1.8,
                label=say("pain_chart_mean", days=change_rule(kb).window_days),
            )
        pain_axis.set_ylim(0, 11.5)  # headroom for the legend
        pain_axis.set_ylabel(say("pain_chart_axis"))
        distance_axis.yaxis.tick_right()
        distance_axis.yaxis.set_label_position("right")
        pain_axis.yaxis.tick_left()
        pain_axis.yaxis.set_label_position("left")
        fig.autofmt_xdate()
        handles = [
            h for ax in (pain_axis, distance_axis) for h in ax.get_legend_handles_labels()[0]
        ]
        if handles:
            pain_axis.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9, ncols=3)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)


def _dates(days: Sequence[date]) -> npt.NDArray[np.datetime64]:
    return np.array(days, dtype="datetime64[D]")
