"""A server-rendered SVG bar chart of one domain's hourly outcomes: pure geometry, no I/O.

One stacked bar per hour: delivered at the bottom, then deferred, then rejected. The template
draws the rectangles; nothing runs in the browser and nothing comes from a CDN.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.delivery.models import DomainHour

WIDTH = 720
HEIGHT = 200
PLOT_TOP = 10
PLOT_BOTTOM = 170  # the x-axis; day labels go below it
PLOT_LEFT = 40

SERIES = (("delivered", "#198754"), ("deferred", "#e0a800"), ("rejected", "#dc3545"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # the tooltip: "28 Nov 09:00 – deferred 3"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    top: int  # the largest hourly total, the y-axis' top
    axis_y: int
    axis_left: int
    axis_right: int


def hourly_chart(rows: Iterable[DomainHour], *, start: datetime, end: datetime) -> Chart:
    slots = max(1, int((end - start).total_seconds() // 3600))
    by_hour = {row.hour: row for row in rows}
    values: list[tuple[datetime, dict[str, int]]] = []
    for index in range(slots):
        hour = start + timedelta(hours=index)
        row = by_hour.get(hour)
        values.append(
            (
                hour,
                {
                    "delivered": row.delivered if row else 0,
                    "deferred": sum(row.deferred.values()) if row else 0,
                    "rejected": sum(row.rejected.values()) if row else 0,
                },
            )
        )
    top = max((sum(v.values()) for _, v in values), default=0) or 1
    slot_width = (WIDTH - PLOT_LEFT) / slots
    scale = (PLOT_BOTTOM - PLOT_TOP) / top
    bars: list[Bar] = []
    ticks: list[Tick] = []
    for index, (hour, counts) in enumerate(values):
        x = PLOT_LEFT + index * slot_width
        y = float(PLOT_BOTTOM)
        for name, fill in SERIES:
            if counts[name]:
                height = counts[name] * scale
                y -= height
                bars.append(
                    Bar(
                        round(x, 2),
                        round(y, 2),
                        round(max(slot_width - 1, 0.5), 2),
                        round(height, 2),
                        fill,
                        f"{hour:%d %b %H}:00 – {name} {counts[name]}",
                    )
                )
        if hour.hour == 0:
            ticks.append(Tick(round(x, 2), f"{hour:%d %b}"))
    return Chart(WIDTH, HEIGHT, bars, ticks, top, PLOT_BOTTOM, PLOT_LEFT, WIDTH)
