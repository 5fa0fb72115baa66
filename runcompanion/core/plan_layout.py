"""Where runs go on the calendar: enrolments, repeating a week, weekly recurrence. Pure date arithmetic.

Every time here is a naive local wall-clock ``datetime``: a run planned for 07:00 stays at 07:00 when the
clocks change, because adding days to a naive datetime never moves its time of day. Nothing reads the clock;
callers pass "today" and "now" in.

Enrolment layout: week 1 is the seven days from the start date, week ``w`` the seven days after week ``w-1``.
Within a week the chosen days are taken in date order, and run ``n`` goes on the ``n``-th of them. So a start
on a Wednesday with ``mon,wed,sat`` puts runs 1, 2 and 3 on Wednesday, Saturday and the Monday after, and no
run is ever before the start date.

Also here: reading the command line's dates, times and day lists, with one-line ``UserError``s.

All functions are pure and may be called from any thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from runcompanion.core.errors import UserError

WEEKDAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names in week order, Monday first, as ``date.weekday()`` counts (the same names storage keeps)."""

_FULL_NAMES: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEK: Final = dt.timedelta(days=7)
MAX_PAST_START_DAYS: Final = 366  # "more than a year ago" is refused; see check_start_date
MAX_FUTURE_START_DAYS: Final = 2 * 366
MAX_WEEKLY_OCCURRENCES: Final = 104

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class Slot:
    """Run ``run_number`` of program week ``week``, due at ``due_at`` (naive local time)."""

    week: int
    run_number: int
    due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PlacedRun:
    """A run already on the calendar, as ``repeat_week`` needs to see it. ``key`` is the caller's id for it."""

    key: int
    week: int
    run_number: int
    due_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RepeatLayout:
    """What repeating a week changes: runs to move (key and new time) and the week's runs to add again."""

    moved: tuple[tuple[int, dt.datetime], ...]
    added: tuple[Slot, ...]


# ------------------------------------------------------------------------------------------------ layout


def week_dates(start: dt.date, days: Sequence[str]) -> list[dt.date]:
    """The dates of the chosen ``days`` in the seven days from ``start``, in date order."""
    wanted = {WEEKDAYS.index(day) for day in _checked_days(days)}
    return [d for d in (start + dt.timedelta(days=i) for i in range(7)) if d.weekday() in wanted]


def layout_enrolment(start: dt.date, days: Sequence[str], at: dt.time, runs_per_week: Sequence[int]) -> list[Slot]:
    """Every run of a program, in order: week ``w`` (from 1) has ``runs_per_week[w - 1]`` runs.

    Raises ``UserError`` when fewer days are chosen than the busiest week has runs (each run needs its own
    day) and ValueError for a time that is not a naive whole-minute time.
    """
    check_time(at)
    dates = week_dates(start, days)
    busiest = max(runs_per_week, default=0)
    if busiest > len(dates):
        raise UserError(
            f"The program has {busiest} runs a week, so choose at least {busiest} days "
            f"(you chose {len(dates)}: {', '.join(_checked_days(days))})."
        )
    slots: list[Slot] = []
    for week, count in enumerate(runs_per_week, start=1):
        offset = (week - 1) * WEEK
        for run_number, day in enumerate(dates[:count], start=1):
            slots.append(Slot(week, run_number, dt.datetime.combine(day + offset, at)))
    return slots


def repeat_week(runs: Sequence[PlacedRun], week: int) -> RepeatLayout:
    """Do week ``week`` once more: every run of a later week moves one week on, and the week's runs come again.

    The new runs go one week after the latest run of the same number in ``week`` (so after an earlier
    repeat, after the copy), at the same time of day. Raises ``UserError`` if no run has that week.
    """
    this_week = [run for run in runs if run.week == week]
    if not this_week:
        weeks = sorted({run.week for run in runs})
        listed = ", ".join(str(w) for w in weeks) if weeks else "none"
        raise UserError(f"There is no week {week} to repeat (weeks: {listed}).")
    latest: dict[int, dt.datetime] = {}
    for run in this_week:
        if run.run_number not in latest or run.due_at > latest[run.run_number]:
            latest[run.run_number] = run.due_at
    moved = tuple((run.key, run.due_at + WEEK) for run in runs if run.week > week)
    added = tuple(Slot(week, number, latest[number] + WEEK) for number in sorted(latest))
    return RepeatLayout(moved=moved, added=added)


def weekly_dates(after: dt.datetime, weekday: str, at: dt.time, count: int) -> list[dt.datetime]:
    """``count`` weekly occurrences on ``weekday`` at ``at``: the first at or after ``after``, then a week apart."""
    check_time(at)
    check_due(after.replace(second=0, microsecond=0))
    if not 1 <= count <= MAX_WEEKLY_OCCURRENCES:
        raise UserError(f"Choose between 1 and {MAX_WEEKLY_OCCURRENCES} weeks; got {count}.")
    day = WEEKDAYS.index(_checked_days([weekday])[0])
    first = dt.datetime.combine(after.date() + dt.timedelta(days=(day - after.weekday()) % 7), at)
    if first < after:
        first += WEEK
    return [first + i * WEEK for i in range(count)]


# ------------------------------------------------------------------------------------------------ checks


def check_start_date(start: dt.date, today: dt.date) -> None:
    """Refuse a start more than a year before ``today`` or more than two years after it."""
    if start < one_year_before(today):
        raise UserError(
            f"The start date {start.isoformat()} is more than a year ago; choose a date from "
            f"{one_year_before(today).isoformat()} on."
        )
    if start > today + dt.timedelta(days=MAX_FUTURE_START_DAYS):
        raise UserError(f"The start date {start.isoformat()} is more than two years ahead; choose an earlier one.")


def one_year_before(today: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def check_time(at: dt.time) -> None:
    """A run's time is a naive local time in whole minutes; anything else is a programming mistake."""
    if at.tzinfo is not None or at.second or at.microsecond:
        raise ValueError(f"a run's time is a naive local time in whole minutes; got {at.isoformat()}")


def check_due(when: dt.datetime) -> dt.datetime:
    """A run's due time: naive local time in whole minutes (ValueError otherwise)."""
    if when.tzinfo is not None:
        raise ValueError(f"a run's time is naive local wall-clock time; got {when.isoformat()}")
    check_time(when.time())
    return when


# ---------------------------------------------------------------------------------------- reading input


def parse_date(text: str, what: str = "date") -> dt.date:
    """``"2025-03-30"`` -> a date; ``UserError`` for anything else (``what`` names it in the message)."""
    m = _DATE_RE.fullmatch(text.strip())
    if m is not None:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise UserError(f"The {what} {_show(text)} is not a date; write it as YYYY-MM-DD, for example 2025-03-30.")


def parse_time(text: str) -> dt.time:
    """``"07:30"`` or ``"7:30"`` -> a time, 00:00 to 23:59; ``UserError`` for anything else."""
    m = _TIME_RE.fullmatch(text.strip())
    if m is not None:
        hours, minutes = int(m[1]), int(m[2])
        if hours < 24 and minutes < 60:
            return dt.time(hours, minutes)
    raise UserError(f"The time {_show(text)} is not a time of day; write it as HH:MM from 00:00 to 23:59.")


def parse_days(text: str) -> tuple[str, ...]:
    """``"mon,wed,sat"`` (also full names, any case, spaces allowed) -> day names in week order."""
    parts = [part.strip() for part in text.split(",")]
    if not any(parts):
        raise UserError(f"Choose at least one day, like mon,wed,sat (days: {', '.join(WEEKDAYS)}).")
    return tuple(sorted({parse_weekday(part) for part in parts if part}, key=WEEKDAYS.index))


def parse_weekday(text: str) -> str:
    """``"Mon"`` or ``"monday"`` -> ``"mon"``; ``UserError`` naming the days for anything else."""
    word = text.strip().lower()
    if word in WEEKDAYS:
        return word
    if word in _FULL_NAMES:
        return WEEKDAYS[_FULL_NAMES.index(word)]
    raise UserError(f"{_show(text)} is not a day of the week; use {', '.join(WEEKDAYS)}.")


def _checked_days(days: Sequence[str]) -> list[str]:
    if isinstance(days, str):
        raise TypeError("days must be a sequence of day names such as ('mon', 'wed'), not a string")
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown:
        raise UserError(f"{_show(unknown[0])} is not a day of the week; use {', '.join(WEEKDAYS)}.")
    if not days:
        raise UserError(f"Choose at least one day (days: {', '.join(WEEKDAYS)}).")
    return sorted(set(days), key=WEEKDAYS.index)


def _show(text: str) -> str:
    one_line = " ".join(text.split())
    return f'"{one_line[:37]}..."' if len(one_line) > 40 else f'"{one_line}"'
