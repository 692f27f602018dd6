"""A server-rendered SVG bar chart of one domain's hourly outcomes: pure geometry, no I/O.

One stacked bar per hour (per group of hours past 200 of them): delivered at the bottom, then
deferred, then rejected; the evidence chart has one bar per day, by control, with a marker per
ticked step. The SVG is built on the server; nothing runs in the browser, nothing is from a CDN.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class HourLike(Protocol):
    """What a chart reads of an hour: a DomainHour or a selector's tuple of its values."""

    @property
    def hour(self) -> datetime: ...
    @property
    def delivered(self) -> int: ...
    @property
    def deferred(self) -> Mapping[str, int]: ...
    @property
    def rejected(self) -> Mapping[str, int]: ...


WIDTH = 720
HEIGHT = 200
PLOT_TOP = 10
PLOT_BOTTOM = 170  # the x-axis; day labels go below it
PLOT_LEFT = 40

SERIES = (("delivered", "#198754"), ("deferred", "#e0a800"), ("rejected", "#dc3545"))


class Bar(NamedTuple):  # a tuple: a month of hours is thousands of them
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str  # the tooltip: "28 Nov 09:00 – deferred 3"


def bars_svg(bars: list[Bar]) -> SafeString:
    """The bars as SVG markup, built here rather than in a template loop: a month of hours is
    over 2,000 rectangles, which a template renders ten times slower."""
    return mark_safe(  # noqa: S308 (numbers and escaped titles only)
        "".join(
            f'<rect x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" fill="{b.fill}">'
            f"<title>{escape(b.title)}</title></rect>"
            for b in bars
        )
    )


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
    top: int  # the largest total of one bar, the y-axis' top
    axis_y: int
    axis_left: int
    axis_right: int
    hours_per_bar: int = 1

    @property
    def bars_svg(self) -> SafeString:
        return bars_svg(self.bars)


MAX_BARS = 200  # beyond this a bar is under 3.5 px wide: hours are grouped instead


def hourly_chart(rows: Iterable[HourLike], *, start: datetime, end: datetime) -> Chart:
    """One bar per hour, or per group of hours when the period has more than MAX_BARS hours
    (31 days: one per 4 hours), so the page stays small and quick whatever the period."""
    hours = max(1, int((end - start).total_seconds() // 3600))
    group = -(-hours // MAX_BARS)  # hours per bar, rounded up
    slots = -(-hours // group)
    values: list[tuple[datetime, dict[str, int]]] = [
        (start + timedelta(hours=i * group), {"delivered": 0, "deferred": 0, "rejected": 0})
        for i in range(slots)
    ]
    for row in rows:
        index = int((row.hour - start).total_seconds() // 3600) // group
        if 0 <= index < slots:
            counts = values[index][1]
            counts["delivered"] += row.delivered
            counts["deferred"] += sum(row.deferred.values())
            counts["rejected"] += sum(row.rejected.values())
    top = max((sum(v.values()) for _, v in values), default=0) or 1
    slot_width = (WIDTH - PLOT_LEFT) / slots
    scale = (PLOT_BOTTOM - PLOT_TOP) / top
    bars: list[Bar] = []
    ticks: list[Tick] = []
    for index, (hour, counts) in enumerate(values):
        x = PLOT_LEFT + index * slot_width
        y = float(PLOT_BOTTOM)
        when = f"{hour:%d %b %H}:00"
        if group > 1:
            when += f"–{hour + timedelta(hours=group):%H}:00"
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
                        f"{when} – {name} {counts[name]}",
                    )
                )
        if hour.hour < group:
            ticks.append(Tick(round(x, 2), f"{hour:%d %b}"))
    return Chart(WIDTH, HEIGHT, bars, ticks, top, PLOT_BOTTOM, PLOT_LEFT, WIDTH, group)


# Per-control colours for the evidence chart (delivered first, then each control's attempts).
CONTROL_COLOURS: dict[str, str] = {
    "greylisting": "#e0a800",
    "anti_spoofing": "#dc3545",
    "authentication": "#6f42c1",
    "reputation": "#fd7e14",
    "throttling": "#0aa2c0",
    "blocked_sender": "#d63384",
    "unknown_recipient": "#6c757d",
    "other": "#20c997",
    "unrecognised": "#adb5bd",
}
SMALL_WIDTH = 480
SMALL_HEIGHT = 140
SMALL_BOTTOM = 110


@dataclass(frozen=True)
class Marker:
    x: float
    label: str  # "Greylisting ticked 3 Dec"


@dataclass(frozen=True)
class SmallChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    markers: list[Marker]
    legend: list[tuple[str, str]]  # (name, colour) of the series drawn
    top: int
    axis_y: int
    axis_left: int
    axis_right: int

    @property
    def bars_svg(self) -> SafeString:
        return bars_svg(self.bars)


def daily_chart(
    days: list[tuple[datetime, dict[str, int]]],
    *,
    start: datetime,
    end: datetime,
    markers: list[tuple[datetime, str]],
) -> SmallChart:
    """One stacked bar per day: delivered, then the deferred and rejected attempts of each
    control in its own colour; a vertical marker where IT ticked a step. `days` is
    [(day start, {"delivered": n, "<control>": n, …})]."""
    span = max((end - start).total_seconds(), 1.0)
    slots = max(1, len(days))
    plot_width = SMALL_WIDTH - PLOT_LEFT
    slot_width = plot_width / slots
    top = max((sum(counts.values()) for _, counts in days), default=0) or 1
    scale = (SMALL_BOTTOM - PLOT_TOP) / top
    order = ["delivered", *CONTROL_COLOURS]
    colours = {"delivered": SERIES[0][1], **CONTROL_COLOURS}
    bars: list[Bar] = []
    ticks: list[Tick] = []
    drawn: set[str] = set()
    for index, (day, counts) in enumerate(days):
        x = PLOT_LEFT + index * slot_width
        y = float(SMALL_BOTTOM)
        for name in order:
            value = counts.get(name, 0)
            if not value:
                continue
            height = value * scale
            y -= height
            drawn.add(name)
            label = name.replace("_", " ")
            bars.append(
                Bar(
                    round(x, 2),
                    round(y, 2),
                    round(max(slot_width - 1, 0.5), 2),
                    round(height, 2),
                    colours[name],
                    f"{day.day} {day:%b} – {label} {value}",
                )
            )
        if index % 7 == 0:
            ticks.append(Tick(round(x, 2), f"{day.day} {day:%b}"))
    placed = [
        Marker(round(PLOT_LEFT + (when - start).total_seconds() / span * plot_width, 2), label)
        for when, label in markers
        if start <= when <= end
    ]
    legend = [(name.replace("_", " "), colours[name]) for name in order if name in drawn]
    return SmallChart(
        SMALL_WIDTH,
        SMALL_HEIGHT,
        bars,
        ticks,
        placed,
        legend,
        top,
        SMALL_BOTTOM,
        PLOT_LEFT,
        SMALL_WIDTH,
    )
