"""A session's segments as a read-only table (a colour swatch per kind, what, time, speed, incline), and a short
line for a whole session ("5:00 Brisk walk, 8 × (1:00 Run, 1:30 Walk), 5:00 Easy walk"). Shared by the Sessions
page and the program preview."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.units import SpeedUnit, format_speed
from runcompanion.ui.common.palette import segment_fill
from runcompanion.ui.common.widgets import format_clock

MAX_PATTERN = 4
"""The longest group of segments looked for as a repeat (run, walk; or run, walk, run, recover)."""


def segment_table(name: str) -> QTableWidget:
    table = QTableWidget(0, 5)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table instead of walking its cells
    table.setHorizontalHeaderLabels(["", "What", "Time", "Speed", "Incline"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.setColumnWidth(0, 10)
    return table


def fill_segment_table(table: QTableWidget, plan: SessionPlan, units: SpeedUnit) -> None:
    table.setRowCount(len(plan.segments))
    for i, seg in enumerate(plan.segments):
        swatch = QTableWidgetItem("")
        swatch.setBackground(segment_fill(seg.kind.value))
        swatch.setToolTip(seg.kind.label)
        swatch.setData(Qt.ItemDataRole.AccessibleTextRole, seg.kind.label)  # the colour, said in words
        table.setItem(i, 0, swatch)
        what = QTableWidgetItem(seg.title + (f" · says “{seg.notes[0].text}”" if len(seg.notes) == 1 else ""))
        if len(seg.notes) > 1:
            what.setText(f"{seg.title} · {len(seg.notes)} spoken notes")
        if seg.notes:
            what.setToolTip("\n".join(f"{format_clock(n.at_s)}: {n.text}" for n in seg.notes))
        table.setItem(i, 1, what)
        table.setItem(i, 2, QTableWidgetItem(format_clock(seg.duration_s)))
        speed = format_speed(units, seg.speed_kmh) if seg.speed_kmh is not None else ""
        table.setItem(i, 3, QTableWidgetItem(speed))
        incline = f"{seg.incline_pct:g} %" if seg.incline_pct is not None else ""
        table.setItem(i, 4, QTableWidgetItem(incline))
    table.resizeColumnsToContents()
    table.setColumnWidth(0, 10)


def _one(segment: Segment) -> str:
    return f"{format_clock(segment.duration_s)} {segment.title}"


def _kinds(segments: Sequence[Segment]) -> list[tuple[SegmentKind, float]]:
    return [(s.kind, s.duration_s) for s in segments]


def _repeat_at(segments: Sequence[Segment], i: int) -> tuple[int, int]:
    """``(length, times)`` of the longest run of repeats starting at ``i`` (by kind and time: labels such as
    "Run 1 of 8" differ from repeat to repeat); ``(1, 1)`` when nothing repeats."""
    best = (1, 1)
    for length in range(1, MAX_PATTERN + 1):
        pattern = _kinds(segments[i : i + length])
        if len(pattern) < length:
            break
        times = 1
        while _kinds(segments[i + times * length : i + (times + 1) * length]) == pattern:
            times += 1
        if times >= 2 and times * length > best[0] * best[1]:
            best = (length, times)
    return best


def segments_line(plan: SessionPlan, *, ends: bool = True) -> str:
    """The session in one line, repeats written once with their count, as a runner would say it:
    ``"5:00 Brisk walk, 8 × (1:00 Run, 1:30 Walk), 5:00 Easy walk"``. Without ``ends``, a warm-up first and a
    cool-down last are left out (what makes one run of a program differ from the next is in between)."""
    segments = list(plan.segments)
    if not ends:
        if len(segments) > 1 and segments[0].kind is SegmentKind.WARMUP:
            segments = segments[1:]
        if len(segments) > 1 and segments[-1].kind is SegmentKind.COOLDOWN:
            segments = segments[:-1]
    parts: list[str] = []
    i = 0
    while i < len(segments):
        length, times = _repeat_at(segments, i)
        if times > 1:
            inner = []
            for k in range(length):
                same = [segments[i + r * length + k] for r in range(times)]
                # A title that counts ("Run 1 of 8") differs from repeat to repeat: the kind says it once.
                title = same[0].title if len({s.title for s in same}) == 1 else same[0].kind.label
                inner.append(f"{format_clock(same[0].duration_s)} {title}")
            parts.append(f"{times} × ({', '.join(inner)})")
        else:
            parts.append(_one(segments[i]))
        i += length * times
    return ", ".join(parts)
