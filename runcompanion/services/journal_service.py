"""The journal as the screens use it: check-in, reflection drafts and finishing them, runs logged by hand,
the list with search, filters and paging, detail, edit, delete with undo, charts and insights.

Times come out of storage as UTC instants; everything the runner sees here is on their local clock (the
zone given at construction, or the system's, daylight saving included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from runcompanion.core.device_insights import MeasuredRun, device_insights
from runcompanion.core.insights import DEFAULT_MIN_RUNS, Insight, MoodSample, insights
from runcompanion.core.reflection_prompts import prompt_for
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import (
    CheckIn,
    DeletedEntry,
    JournalEntry,
    JournalFilter,
    JournalPage,
    ManualRun,
    MoodPoint,
    ReflectionInput,
    ReflectionRecord,
)
from runcompanion.storage.reflection_repository import ReflectionRepository
from runcompanion.storage.run_figures_repository import RunFiguresRecord
from runcompanion.storage.run_repository import RunNotFoundError

DEFAULT_PAGE_SIZE: Final = 50
DEFAULT_CHART_WEEKS: Final = 12
DEFAULT_MOOD_DAYS: Final = 28
_EVERYTHING: Final = JournalFilter()
_DAY: Final = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class UndoToken:
    """What ``JournalService.delete`` hands back: everything that went, for ``restore``. Keep it as long as the
    Undo button shows; it holds no connection and may cross threads."""

    deleted: DeletedEntry

    @property
    def run_id(self) -> int:
        return self.deleted.run.id


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One journal entry as the charts need it, on the runner's clock."""

    run_id: int
    local_date: dt.date
    hour: int
    session_id: str
    session_tags: tuple[str, ...]
    tags: tuple[str, ...]
    elapsed_s: float
    feeling_before: int | None
    feeling_after: int | None
    effort: int | None

    @property
    def lift(self) -> int | None:
        if self.feeling_before is None or self.feeling_after is None:
            return None
        return self.feeling_after - self.feeling_before


@dataclass(frozen=True, slots=True)
class WeekMinutes:
    """Minutes run in one week (Monday to Sunday, local) and in how many runs."""

    week_start: dt.date
    minutes: float
    runs: int


@dataclass(frozen=True, slots=True)
class MoodDays:
    """The days of the Journal's mood strip, ``first`` to ``last`` (local, both included), and the entries in
    them, oldest first."""

    first: dt.date
    last: dt.date
    points: list[ChartPoint]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class JournalService:
    """Any single thread at a time; every call is one or two short transactions. Call it from a worker.

    ``zone`` is the runner's time zone (None: the system's); ``now`` the current aware time (fixed in tests).
    """

    def __init__(
        self,
        reflections: ReflectionRepository,
        queries: JournalQueries,
        *,
        zone: dt.tzinfo | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
        min_insight_runs: int = DEFAULT_MIN_RUNS,
        measured: Callable[[Iterable[int]], Mapping[int, RunFiguresRecord]] | None = None,
    ) -> None:
        """``measured`` gives runs' device figures (RunFiguresService.for_runs), for insights from them."""
        self._reflections = reflections
        self._measured = measured
        self._queries = queries
        self._zone = zone
        self._now = now
        self._min_insight_runs = min_insight_runs

    # ------------------------------------------------------------------------------------- before and after

    def prompt_for_run(self, run_id: int) -> str:
        """The reflection prompt for a run: it rotates from run to run and stays the same for one run."""
        return prompt_for(run_id)

    def prompt_for_manual_run(self) -> str:
        """The prompt to show when logging a run by hand (the run has no id yet)."""
        return prompt_for(self._queries.run_count())

    def check_in(self, run_id: int, feeling: int | None, arousal: int | None = None) -> ReflectionRecord:
        """Save the check-in before a run as it is given (each tap may call this again)."""
        return self._reflections.check_in(run_id, CheckIn(feeling, arousal))

    def save_draft(
        self, run_id: int, reflection: ReflectionInput, *, check_in: CheckIn | None = None
    ) -> ReflectionRecord:
        """Keep what has been typed so far, as a draft. Call it after each pause in typing, and on close.

        An empty prompt becomes the run's prompt. ``check_in`` replaces the answers from before the run when
        given; None keeps them.
        """
        return self._reflections.save(run_id, self._with_prompt(run_id, reflection), draft=True, check_in=check_in)

    def complete(
        self, run_id: int, reflection: ReflectionInput, *, check_in: CheckIn | None = None
    ) -> ReflectionRecord:
        """Save the reflection as finished (also a draft finished later)."""
        return self._reflections.save(run_id, self._with_prompt(run_id, reflection), draft=False, check_in=check_in)

    def log_manual_run(
        self, run: ManualRun, reflection: ReflectionInput, *, check_in: CheckIn | None = None
    ) -> JournalEntry:
        """Log a run done without the app, with its reflection, finished. An empty prompt gets one."""
        if not reflection.prompt:
            reflection = replace(reflection, prompt=self.prompt_for_manual_run())
        return self._reflections.add_manual_run(run, reflection, check_in=check_in, not_after=self._now())

    # -------------------------------------------------------------------------------------------- the list

    def make_filter(
        self,
        *,
        text: str = "",
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
        tag: str | None = None,
        session_id: str | None = None,
        program_id: str | None = None,
        min_lift: int | None = None,
        max_lift: int | None = None,
        drafts_only: bool = False,
    ) -> JournalFilter:
        """A filter from what the screen shows: local days ``first_day`` to ``last_day``, both included."""
        return JournalFilter(
            text=text,
            started_from=None if first_day is None else self._local_midnight(first_day),
            started_before=None if last_day is None else self._local_midnight(last_day + dt.timedelta(days=1)),
            tag=tag,
            session_id=session_id,
            program_id=program_id,
            min_lift=min_lift,
            max_lift=max_lift,
            drafts_only=drafts_only,
        )

    def entries(
        self, journal_filter: JournalFilter = _EVERYTHING, *, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
    ) -> JournalPage:
        """One page of entries, newest first, with the number that match in all."""
        return self._queries.page(journal_filter, limit=limit, offset=offset)

    def search(
        self,
        text: str,
        journal_filter: JournalFilter = _EVERYTHING,
        *,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> JournalPage:
        """Entries whose words start with every word of ``text`` (any punctuation is safe), within the filter."""
        return self._queries.page(replace(journal_filter, text=text), limit=limit, offset=offset)

    def drafts(self, limit: int = DEFAULT_PAGE_SIZE) -> list[JournalEntry]:
        """Reflections still to finish, newest first."""
        return list(self._queries.page(JournalFilter(drafts_only=True), limit=limit).entries)

    def all_tags(self) -> list[str]:
        return self._queries.all_tags()

    def sessions(self) -> list[tuple[str, str]]:
        """``(session_id, name)`` of every session in the journal: the choices of the session filter."""
        return self._queries.sessions_in_journal()

    def programs(self) -> list[str]:
        """Program ids in the journal: the choices of the program filter."""
        return self._queries.programs_in_journal()

    # ---------------------------------------------------------------------------------- one entry at a time

    def detail(self, run_id: int) -> JournalEntry:
        """One entry. Raises ``RunNotFoundError`` (a UserError) if the run is gone."""
        entry = self._queries.get(run_id)
        if entry is None:
            raise RunNotFoundError(run_id)
        return entry

    def edit(self, run_id: int, reflection: ReflectionInput, *, check_in: CheckIn | None = None) -> JournalEntry:
        """Replace an entry's reflection (and, when given, its check-in) and mark it finished."""
        self._reflections.save(run_id, reflection, draft=False, check_in=check_in)
        return self.detail(run_id)

    def delete(self, run_id: int) -> UndoToken:
        """Delete an entry: the run, its reflection and tags. ``restore(token)`` brings all of it back."""
        deleted = self._reflections.delete_entry(run_id)
        if deleted is None:
            raise RunNotFoundError(run_id)
        return UndoToken(deleted)

    def restore(self, token: UndoToken) -> JournalEntry:
        """Undo a delete: the same run and reflection with the same ids, tags and text. Safe to call twice."""
        return self.detail(self._reflections.restore_entry(token.deleted))

    # ------------------------------------------------------------------------------------ charts, insights

    def chart_points(self, journal_filter: JournalFilter = _EVERYTHING) -> list[ChartPoint]:
        """Every entry that passes the filter, oldest first, on the local clock."""
        return [self._chart_point(point) for point in self._queries.mood_points(journal_filter)]

    def weekly_minutes(self, weeks: int = DEFAULT_CHART_WEEKS) -> list[WeekMinutes]:
        """Minutes run in each of the last ``weeks`` weeks (this one last), empty weeks included."""
        if weeks < 1:
            raise ValueError(f"weeks must be at least 1; got {weeks}")
        today = self._local(self._now()).date()
        first_monday = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
        totals = {first_monday + dt.timedelta(weeks=i): [0.0, 0] for i in range(weeks)}
        for started_at, elapsed_s in self._queries.minutes_from(self._local_midnight(first_monday)):
            day = self._local(started_at).date()
            week = totals.get(day - dt.timedelta(days=day.weekday()))
            if week is not None:
                week[0] += elapsed_s / 60
                week[1] += 1
        return [WeekMinutes(monday, minutes, int(runs)) for monday, (minutes, runs) in totals.items()]

    def mood_days(self, journal_filter: JournalFilter = _EVERYTHING, days: int = DEFAULT_MOOD_DAYS) -> MoodDays:
        """The last ``days`` days up to today (or up to the filter's last day, when that is earlier) and the
        entries in them that pass the filter. Reads only those days, however long the journal."""
        if days < 1:
            raise ValueError(f"days must be at least 1; got {days}")
        last = self._local(self._now()).date()
        if journal_filter.started_before is not None:
            last = min(last, self._local(journal_filter.started_before - dt.timedelta(microseconds=1)).date())
        first = last - dt.timedelta(days=days - 1)
        start = self._local_midnight(first)
        if journal_filter.started_from is not None:
            start = max(start, journal_filter.started_from)
        within = replace(journal_filter, started_from=start, started_before=self._local_midnight(last + _DAY))
        return MoodDays(first, last, [self._chart_point(p) for p in self._queries.mood_points(within)])

    def charts(
        self, journal_filter: JournalFilter = _EVERYTHING
    ) -> tuple[list[ChartPoint], list[Insight], dict[int, RunFiguresRecord]]:
        """``chart_points``, ``insights`` and the runs' device figures (by run id) from one reading of the journal
        and one of the figures: the Charts tab needs all three (it used to read the figures a second time)."""
        points = self._queries.mood_points(journal_filter)
        figures = dict(self._measured(p.run_id for p in points)) if self._measured is not None else {}
        # Each start on the local clock once, for the chart point and the insights alike.
        local = [self._local(p.started_at) for p in points]
        charted = [self._chart_point(p, when) for p, when in zip(points, local, strict=True)]
        return charted, self._insights_from(points, local, figures), figures

    def insights(self, journal_filter: JournalFilter = _EVERYTHING) -> list[Insight]:
        """What the finished reflections with a feeling before and after say, in plain words (may be empty)."""
        points = self._queries.mood_points(journal_filter)
        return self._insights_from(points, [self._local(p.started_at) for p in points])

    def _insights_from(
        self,
        points: Sequence[MoodPoint],
        local: Sequence[dt.datetime],
        known: Mapping[int, RunFiguresRecord] | None = None,
    ) -> list[Insight]:
        """``local[i]`` is ``points[i]``'s start on the local clock."""
        samples = [
            MoodSample(
                when,
                point.feeling_before,
                point.feeling_after,
                point.effort,
                point.session_tags,
                point.tags,
            )
            for point, when in zip(points, local, strict=True)
            if not point.is_draft and point.feeling_before is not None and point.feeling_after is not None
        ]
        found = insights(samples, min_runs=self._min_insight_runs)
        if self._measured is not None:
            figures = known if known is not None else self._measured(point.run_id for point in points)
            runs = [
                MeasuredRun(
                    point.started_at,
                    measured.avg_heart_rate,
                    measured.distance_m,
                    None if point.is_draft else point.feeling_before,
                    None if point.is_draft else point.feeling_after,
                )
                for point in points
                if (measured := figures.get(point.run_id)) is not None
            ]
            found += device_insights(runs, min_runs=self._min_insight_runs)
        return found

    # ----------------------------------------------------------------------------------------------- helpers

    def _with_prompt(self, run_id: int, reflection: ReflectionInput) -> ReflectionInput:
        return reflection if reflection.prompt else replace(reflection, prompt=self.prompt_for_run(run_id))

    def _chart_point(self, point: MoodPoint, local: dt.datetime | None = None) -> ChartPoint:
        """``local``: the point's start on the local clock, when already known."""
        if local is None:
            local = self._local(point.started_at)
        return ChartPoint(
            point.run_id,
            local.date(),
            local.hour,
            point.session_id,
            point.session_tags,
            point.tags,
            point.elapsed_s,
            point.feeling_before,
            point.feeling_after,
            point.effort,
        )

    def _local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(self._zone) if self._zone is not None else instant.astimezone()

    def _local_midnight(self, day: dt.date) -> dt.datetime:
        midnight = dt.datetime.combine(day, dt.time())
        return midnight.replace(tzinfo=self._zone) if self._zone is not None else midnight.astimezone()
