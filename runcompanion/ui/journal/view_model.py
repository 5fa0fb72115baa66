"""What the Journal page and the reflection dialog show, made from journal entries: plain values, no Qt calls."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from runcompanion.core.insights import time_of_day
from runcompanion.core.mood import lift, signed
from runcompanion.ui.common.widgets import format_clock
from runcompanion.ui.journal.chart_values import ChartData, feeling_lines
from runcompanion.ui.journal.device_facts import device_facts, running_points
from runcompanion.ui.journal.journal_model import JournalDetail, JournalRow
from runcompanion.ui.journal.mood_strip import MoodDay
from runcompanion.ui.journal.reflection_dialog import ReflectionForm

if TYPE_CHECKING:
    from runcompanion.core.run_samples import RunSample
    from runcompanion.services.journal_service import ChartPoint, MoodDays, WeekMinutes
    from runcompanion.storage.records import JournalEntry
    from runcompanion.storage.run_figures_repository import RunFiguresRecord


def row_for(entry: JournalEntry) -> JournalRow:
    run, reflection = entry.run, entry.reflection
    before = reflection.feeling_before if reflection else None
    after = reflection.feeling_after if reflection else None
    change = lift(before, after)
    return JournalRow(
        run_id=run.id,
        when=_when(run.started_at.astimezone()),
        session=run.session_name,
        duration=format_clock(run.elapsed_s),
        before="" if before is None else signed(before),
        after="" if after is None else signed(after),
        lift="" if change is None else signed(change),
        status=run.status,
        draft=bool(reflection and reflection.is_draft),
    )


def _when(local: dt.datetime) -> str:
    """The list's date: the year only when it is not this one, so the session's name has room beside it."""
    return f"{local:%a %d %b  %H:%M}" if local.year == dt.date.today().year else f"{local:%a %d %b %Y  %H:%M}"


def detail_for(
    entry: JournalEntry, measured: RunFiguresRecord | None = None, samples: tuple[RunSample, ...] = ()
) -> JournalDetail:
    from runcompanion.core.mood import AROUSAL, EFFORT, feeling_text

    run, r = entry.run, entry.reflection
    status = run.status.replace("_", " ")
    facts = [f"{run.started_at.astimezone():%A %d %B %Y, %H:%M} · {format_clock(run.elapsed_s)} · {status}"]
    if r is not None:
        if r.feeling_before is not None:
            facts.append(f"Before: {feeling_text(r.feeling_before)}")
        if r.feeling_after is not None:
            facts.append(f"After: {feeling_text(r.feeling_after)}")
        change = lift(r.feeling_before, r.feeling_after)
        if change is not None:
            facts.append(f"Lift: {signed(change)}")
        if r.effort is not None:
            facts.append(f"Effort: {r.effort}/10 ({EFFORT.label(r.effort)})")
        if r.arousal_after is not None:
            facts.append(f"Energy after: {AROUSAL.label(r.arousal_after)}")
        if r.distance_km is not None:
            facts.append(f"Distance: {r.distance_km:.2f} km")
    facts += device_facts(measured)
    return JournalDetail(
        run_id=run.id,
        title=run.session_name,
        facts=facts,
        prompt=r.prompt if r else "",
        text=r.text if r else "",
        tags=("Tags: " + ", ".join(r.tags)) if r and r.tags else "",
        has_reflection=r is not None and not r.is_draft,
        draft=bool(r and r.is_draft),
        samples=samples,
    )


def form_for(entry: JournalEntry | None) -> ReflectionForm | None:
    if entry is None or entry.reflection is None:
        return None
    r = entry.reflection
    return ReflectionForm(
        feeling_before=r.feeling_before,
        arousal_before=r.arousal_before,
        feeling_after=r.feeling_after,
        arousal_after=r.arousal_after,
        effort=r.effort,
        prompt=r.prompt,
        text=r.text,
        tags=r.tags,
        distance_km=r.distance_km,
    )


def average_lifts(groups: dict[str, list[int]]) -> list[tuple[str, float, int]]:
    return [(name, round(sum(v) / len(v), 1), len(v)) for name, v in groups.items() if v]


def chart_data(
    points: Sequence[ChartPoint],
    weeks: Sequence[WeekMinutes],
    insights: list[str],
    measured: Mapping[int, RunFiguresRecord] | None = None,
) -> ChartData:
    """Plain values, and the heavier ones (weekly averages) too: call it on the worker."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    by_time: dict[str, list[int]] = {"Morning": [], "Afternoon": [], "Evening": []}
    feelings = []
    for p in points:
        when = dt.datetime.combine(p.local_date, dt.time(p.hour))
        feelings.append((when, p.feeling_before, p.feeling_after))
        change = p.lift
        if change is None:
            continue
        for kind in p.session_tags or ("other",):
            by_kind[kind.capitalize()].append(change)
        by_time[time_of_day(p.hour).capitalize()].append(change)
    return ChartData(
        feelings=feelings,
        weekly_minutes=[(w.week_start, w.minutes) for w in weeks],
        lift_by_kind=average_lifts(dict(sorted(by_kind.items()))),
        lift_by_time=average_lifts(by_time),
        insights=insights,
        running=running_points(points, measured or {}),
        lines=feeling_lines(feelings),
    )


MOOD_DAY_RUNS = 3
"""The most runs one day of the mood strip names in words."""


def mood_days(mood: MoodDays, names: Mapping[str, str], today: dt.date) -> list[MoodDay]:
    """Every day from ``mood.first`` to ``mood.last`` for the mood strip, with its colour's feeling and its words.

    A day's feeling is that of its last run with one: the feeling after the run, else the one before it.
    ``names`` maps session ids to the names the journal shows.
    """
    by_day: dict[dt.date, list[ChartPoint]] = defaultdict(list)
    for point in mood.points:
        by_day[point.local_date].append(point)
    days = []
    for offset in range((mood.last - mood.first).days + 1):
        day = mood.first + dt.timedelta(days=offset)
        points = by_day.get(day, [])
        felt = [p.feeling_after if p.feeling_after is not None else p.feeling_before for p in points]
        feeling = next((f for f in reversed(felt) if f is not None), None)
        # The last runs first, a few at most: a tooltip of every run on a busy day would fill the screen.
        runs = [_felt_words(p, names) for p in reversed(points[-MOOD_DAY_RUNS:])]
        if len(points) > MOOD_DAY_RUNS:
            runs.append(f"and {len(points) - MOOD_DAY_RUNS} more")
        when = ("Today, " if day == today else "") + f"{day:%a} {day.day} {day:%b}"
        if not points:
            text = f"{when}: no run"
        elif len(points) == 1:
            text = f"{when}: {runs[0]}"
        else:
            text = f"{when}, {len(points)} runs: " + "; ".join(runs)
        days.append(MoodDay(day, feeling, tuple(p.run_id for p in reversed(points)), text, today=day == today))
    return days


def _felt_words(point: ChartPoint, names: Mapping[str, str]) -> str:
    from runcompanion.core.mood import FEELING

    name = names.get(point.session_id, point.session_id)
    if point.feeling_after is not None:
        felt = f"felt {FEELING.label(point.feeling_after).lower()} ({signed(point.feeling_after)}) after {name}"
    elif point.feeling_before is not None:
        felt = f"felt {FEELING.label(point.feeling_before).lower()} ({signed(point.feeling_before)}) before {name}"
    else:
        felt = f"{name}, no feeling noted"
    return felt
