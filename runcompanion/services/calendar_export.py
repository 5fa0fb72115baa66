"""The plan as an iCalendar (.ics) file, written with the ``icalendar`` package.

One VEVENT per planned run: SUMMARY is the session's name, DTSTART/DTEND its planned time and length, a
DESCRIPTION lists the segments briefly, and a VALARM reminds the runner before it is due (15 minutes by
default). The UID is the scheduled run's ``uid``, kept in the database, so the same run has the same UID in
every export and a calendar app updates the event instead of adding a second one when a run is moved.

Times are **floating** local times (``DTSTART:20250330T070000``, no ``Z`` and no ``TZID``): the app keeps
runs as local wall-clock times, so a run at 07:00 shows at 07:00 in the calendar, before and after the
clocks change, in whatever time zone the calendar app is set to. That is what a runner means by "Monday at
seven". The cost: a calendar shared with someone in another time zone shows it at their 07:00.

Files are written by ``safe_files.write_file``: whole or not at all, never over a device or a folder, and
private to the user (0600).
Any thread; no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import Segment, SessionPlan
from runcompanion.core.units import SpeedUnit, format_speed
from runcompanion.services.safe_files import write_private_bytes
from runcompanion.storage.records import ScheduledRunRecord

if TYPE_CHECKING:
    # Loaded when a calendar is made: icalendar (with dateutil) is about 6 MB resident, and the plan service,
    # built at every start, only exports on request.
    from icalendar import Calendar, Event

PRODID = "-//RunCompanion//RunCompanion plan//EN"
CALENDAR_NAME = "RunCompanion"
DEFAULT_REMINDER = dt.timedelta(minutes=15)
_MAX_PATTERN = 6  # the longest run of segments that is looked for as a repeat ("8 × (run, walk)")
_USUAL_INCLINE_PCT = 1.0  # the usual treadmill setting; only steeper inclines are worth a word
_COUNT_RE = re.compile(r"\s*\b\d+ of \d+\b")


def build_calendar(
    runs: Sequence[ScheduledRunRecord],
    find_session: Callable[[str], SessionPlan | None],
    *,
    stamp: dt.datetime,
    reminder: dt.timedelta | None = DEFAULT_REMINDER,
    unit: SpeedUnit = SpeedUnit.KMH,
) -> Calendar:
    """A calendar with one event per run in ``runs`` (the caller chooses which: the plan exports planned ones).

    ``find_session`` gives the session for the segment list (None when it no longer exists: the event then
    has the name and time only). ``stamp`` is the aware time of the export (DTSTAMP). ``reminder`` None
    leaves the alarm out.
    """
    if stamp.tzinfo is None:
        raise ValueError("the export time (DTSTAMP) must be an aware datetime")
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for run in runs:
        calendar.add_component(_event(run, find_session(run.session_id), stamp.astimezone(dt.UTC), reminder, unit))
    return calendar


def write_ics(path: Path, calendar: Calendar) -> None:
    """Write ``calendar`` to ``path`` (which must end in .ics) atomically, mode 0600. ``UserError`` on failure."""
    if path.suffix.lower() != ".ics":
        raise UserError(f"{path}: a calendar file is written as iCalendar; name it with .ics at the end.")
    write_private_bytes(path, calendar.to_ical())


def describe_session(plan: SessionPlan, unit: SpeedUnit = SpeedUnit.KMH) -> str:
    """The segments in a few lines: ``"5:00 Brisk walk, 5.5 km/h"``, repeats folded as ``"8 × (...)"``.

    Inclines above the usual 1% are mentioned; "1 of 8"-style counts in labels are left out.
    """
    parts = [_segment_text(seg, unit) for seg in plan.segments]
    lines: list[str] = []
    i = 0
    while i < len(parts):
        length, times = _longest_repeat(parts, i)
        if times > 1:
            lines.append(f"{times} × ({'; '.join(parts[i : i + length])})")
            i += length * times
        else:
            lines.append(parts[i])
            i += 1
    return "\n".join(lines)


def _event(
    run: ScheduledRunRecord,
    plan: SessionPlan | None,
    stamp: dt.datetime,
    reminder: dt.timedelta | None,
    unit: SpeedUnit,
) -> Event:
    start = run.due_at.replace(tzinfo=None)
    duration = dt.timedelta(seconds=round(run.duration_s))
    minutes = round(run.duration_s / 60)
    description = [f"{minutes} min, planned in RunCompanion."]
    if plan is not None:
        description += ["", describe_session(plan, unit)]
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", run.uid)
    event.add("dtstamp", stamp)
    event.add("summary", run.title)
    event.add("dtstart", start)
    event.add("dtend", start + duration)
    event.add("description", "\n".join(description))
    event.add("transp", "OPAQUE")
    if reminder is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{run.title} starts in {_minutes_text(reminder)}.")
        alarm.add("trigger", -reminder)
        event.add_component(alarm)
    return event


def _segment_text(seg: Segment, unit: SpeedUnit) -> str:
    total = round(seg.duration_s)
    minutes, seconds = divmod(total, 60)
    # "Run 3 of 8" -> "Run": the count is what the "8 × (...)" folding says, and it would stop the folding.
    title = _COUNT_RE.sub("", seg.title).strip() or seg.kind.label
    text = f"{minutes}:{seconds:02d} {title}"
    if seg.speed_kmh is not None:
        text += f", {format_speed(unit, seg.speed_kmh)}"
    if seg.incline_pct is not None and seg.incline_pct > _USUAL_INCLINE_PCT:
        text += f", incline {seg.incline_pct:g}%"
    return text


def _longest_repeat(parts: Sequence[str], start: int) -> tuple[int, int]:
    """The pattern (of 2 or more segments) and count that cover the most segments from ``start``.

    ``(1, 1)`` when nothing repeats there.
    """
    best = (1, 1)
    for length in range(2, _MAX_PATTERN + 1):
        pattern = parts[start : start + length]
        if len(pattern) < length:
            break
        times = 1
        while parts[start + times * length : start + (times + 1) * length] == pattern:
            times += 1
        if times > 1 and length * times > best[0] * best[1]:
            best = (length, times)
    return best


def _minutes_text(delta: dt.timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
