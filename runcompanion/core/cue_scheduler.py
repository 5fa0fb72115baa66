"""Turns a session plan, the cue library and the coach's script into the timeline of everything spoken.

Cues are placed in order of importance, each layer fitting around the ones before it:

1. interval cues (HIGH): the start, a change at every boundary, 3-2-1 beeps before each change and before the
   finish, the finish. They are never dropped; when a segment is too short for the full wording, shorter
   forms are used (see :func:`schedule_cues`). They say only what changes (core/cue_templates.py).
2. the coach's briefing after the first instruction, and each mindful theme as its segment starts.
3. heads-ups (HIGH): what comes next, 10 seconds ahead, ending before the first beep; a short form at the
   end of a hard effort.
4. the runner's own spoken notes (NORMAL), as near their chosen moment as the interval cues allow.
5. progress (NORMAL): halfway through the session and through long segments, one minute left.
6. library cues (LOW): mindfulness, motivation, science, reflection and personal cues, at the chosen
   density, chosen by the rules of core/cue_selection.py.

Real spoken durations come from ``duration_of`` so that no two cues overlap. Everything random comes from one
``random.Random(seed)``, so a plan, library, settings, script and seed always give the same timeline.

Pure and free of shared state: safe to call from any thread (the app calls it from its worker, after
synthesis has measured the texts).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from runcompanion.core.coach import CoachScript, neutral_script
from runcompanion.core.cue_library import CueLibrary
from runcompanion.core.cue_selection import CuePicker, is_hard_segment
from runcompanion.core.cue_spans import QUIET_S, Occupancy, Role
from runcompanion.core.cue_templates import (
    HEADS_UP_LEAD_S,
    change_text,
    duration_words,
    heads_up_text,
    one_minute_text,
    ordinals_of,
    segment_halfway_text,
    session_halfway_text,
    start_text,
)
from runcompanion.core.cue_timeline import CueDensity, CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.spoken_texts import THEMES, theme_words
from runcompanion.core.units import SpeedUnit

__all__ = ["QUIET_S", "CueSettings", "is_hard_segment", "schedule_cues"]


@dataclass(frozen=True, slots=True)
class CueSettings:
    density: CueDensity = CueDensity.LIGHT
    units: SpeedUnit = SpeedUnit.KMH
    chime: bool = True


CHIME_S = 0.6
"""Length of the chime that precedes a start, change or finish cue when ``CueSettings.chime`` is on."""
BEEP_S = 0.15
"""Length of one countdown beep."""

GAP_S = 0.5
"""Silence kept between any two cues, so the runner hears them as separate."""
COUNTDOWN_S = 3
"""Beeps sound 3, 2 and 1 seconds before a change."""
LONG_SEGMENT_S = 240.0
"""Segments this long or longer get their own halfway and one-minute-left cues."""
HALFWAY_WINDOW_S = 30.0
"""A halfway cue may move this far from the exact middle to find room..."""
HALFWAY_WINDOW_SHARE = 0.05
"""...and no further than this share of the session (or segment): its words name the exact half, and in a
one-minute session "30 seconds done" said at 46 seconds was simply wrong."""
ONE_MINUTE_WINDOW_S = (10.0, 5.0)
"""A one-minute cue may come this much earlier or later than 60 seconds before the end, to find room."""

_LIBRARY_INTERVAL_S = {CueDensity.LIGHT: 240.0, CueDensity.REGULAR: 120.0}


def schedule_cues(  # noqa: PLR0917 - positional order is the contract services and benchmarks call
    plan: SessionPlan,
    library: CueLibrary,
    settings: CueSettings,
    seed: int,
    duration_of: Callable[[str], float],
    script: CoachScript | None = None,
) -> CueTimeline:
    """Every cue of a run of ``plan``, sorted by offset, none overlapping another.

    ``duration_of(text)`` is the spoken length of ``text`` in seconds (the app measures its synthesized WAV
    files); it may also be asked about texts that end up unused, such as a long cue that did not fit.
    ``script`` is the coach's decisions for this runner (core/coach.py); without one, the coach knows
    nothing about the runner.

    When a segment is too short for its full change announcement plus the countdown into the next one, the
    scheduler uses the brief form ("Run now."), then leaves out that countdown, then the chime. Only if even
    that does not fit does it raise ``UserError`` naming the segment.
    """
    if not plan.segments:
        raise ValueError("a session plan needs at least one segment")
    coach = script if script is not None else neutral_script(plan, seed)
    return _Scheduler(plan, settings, seed, duration_of, coach).build(library)


class _Scheduler:
    """One scheduling run: the cues placed so far and the stretches of time they occupy."""

    def __init__(
        self,
        plan: SessionPlan,
        settings: CueSettings,
        seed: int,
        duration_of: Callable[[str], float],
        script: CoachScript,
    ) -> None:
        self._plan = plan
        self._settings = settings
        self._script = script
        self._rng = random.Random(seed)
        self._duration_of = duration_of
        self._durations: dict[str, float] = {}
        self._starts = plan.segment_starts()
        self._ends = [start + seg.duration_s for start, seg in zip(self._starts, plan.segments, strict=True)]
        self._total = plan.total_s
        self._ordinals = ordinals_of(plan.segments)
        self._cues: list[TimelineCue] = []
        self._room = Occupancy(self._total)
        self._texts: set[str] = set()
        self._countdown_after: list[bool] = []  # whether 3-2-1 beeps close each segment

    # -- helpers ---------------------------------------------------------------------------------------------

    def _spoken(self, text: str) -> float:
        if text not in self._durations:
            seconds = float(self._duration_of(text))
            if not math.isfinite(seconds) or seconds < 0:
                raise ValueError(f"duration_of gave {seconds!r} for {text!r}; expected seconds >= 0")
            self._durations[text] = seconds
        return self._durations[text]

    def _add(
        self,
        offset: float,
        kind: CueKind,
        text: str,
        priority: CuePriority,
        *,
        duration: float | None = None,
        chime: bool = False,
        beep: bool = False,
        cue_id: str = "",
        caption: str = "",
    ) -> TimelineCue:
        if duration is None:
            duration = self._spoken(text) + (CHIME_S if chime else 0.0)
        cue = TimelineCue(
            offset_s=offset,
            duration_s=duration,
            kind=kind,
            text=text,
            priority=priority,
            cue_id=cue_id,
            segment_index=self._plan.segment_at(offset),
            chime=chime,
            beep=beep,
            caption=caption,
        )
        self._cues.append(cue)
        if not beep:
            self._texts.add(text)
        return cue

    # -- the layers ------------------------------------------------------------------------------------------

    def build(self, library: CueLibrary) -> CueTimeline:
        openers = self._place_interval_cues()
        after_openers = self._place_coach_words(openers)
        self._place_heads_ups(after_openers)
        self._place_notes()
        self._place_progress_cues()
        if self._settings.density is not CueDensity.OFF:
            self._place_library_cues(library)
        cues = sorted(self._cues, key=lambda c: (c.offset_s, -c.priority))
        return CueTimeline(tuple(cues))

    def _opening_texts(self, index: int) -> list[str]:
        """Texts for the cue that opens segment ``index``, longest first."""
        segment = self._plan.segments[index]
        previous = self._plan.segments[index - 1] if index else None
        units = self._settings.units
        ordinal = self._ordinals[index]
        full = change_text(segment, units, index == 0, ordinal=ordinal, previous=previous)
        brief = change_text(segment, units, index == 0, ordinal=ordinal, brief=True)
        if index == 0:
            return [f"{start_text(self._plan.name, self._total)} {full}", full, brief]
        return [full, brief]

    def _place_interval_cues(self) -> list[TimelineCue]:
        """Start, changes, countdowns and finish. Returns the cue opening each segment."""
        chime = self._settings.chime
        openers: list[TimelineCue] = []
        for index, segment in enumerate(self._plan.segments):
            start, end = self._starts[index], self._ends[index]
            kind = CueKind.START if index == 0 else CueKind.CHANGE
            # Try the fullest wording with a countdown into the next segment first, then give things up.
            options = [(text, chime, True) for text in self._opening_texts(index)]
            brief = options[-1][0]
            options += [(brief, chime, False), (brief, False, False)]
            for text, with_chime, with_countdown in options:
                duration = self._spoken(text) + (CHIME_S if with_chime else 0.0)
                limit = end - COUNTDOWN_S if with_countdown else end
                if start + duration + GAP_S <= limit:
                    break
            else:
                need = math.ceil(self._spoken(brief) + GAP_S)
                raise UserError(
                    f"Segment {index + 1} ({segment.title}, {duration_words(segment.duration_s)}) is too "
                    f"short for its spoken announcement; make it at least {need} seconds long."
                )
            opener = self._add(start, kind, text, CuePriority.HIGH, duration=duration, chime=with_chime)
            openers.append(opener)
            self._room.take(start, opener.end_s, Role.INTERVAL)
            self._countdown_after.append(with_countdown)
            if with_countdown:
                for beep in range(COUNTDOWN_S, 0, -1):
                    self._add(end - beep, CueKind.COUNTDOWN, str(beep), CuePriority.HIGH, duration=BEEP_S, beep=True)
                self._room.take(end - COUNTDOWN_S, end, Role.INTERVAL)
        finish = self._add(self._total, CueKind.FINISH, self._script.finish, CuePriority.HIGH, chime=chime)
        self._room.take(finish.offset_s, finish.end_s, Role.INTERVAL)
        return openers

    def _coach_room(self, index: int, after: float, text: str) -> bool:
        """Whether ``text`` fits after ``after`` in segment ``index`` and still leaves room for a heads-up."""
        limit = self._ends[index] - (COUNTDOWN_S if self._countdown_after[index] else 0) - GAP_S
        if index + 1 < len(self._plan.segments):
            limit -= HEADS_UP_LEAD_S
        return after + GAP_S + self._spoken(text) <= limit

    def _place_coach_words(self, openers: Sequence[TimelineCue]) -> list[float]:
        """The briefing after the first instruction, and each mindful theme as its segment starts.

        Returns, per segment, when its opening words end (opener, briefing, theme): heads-ups come after.
        """
        ends = [opener.end_s for opener in openers]
        briefed = False
        previous, returns = "", 0  # the last themed segment's theme, and the returns to it said so far
        for index in range(len(self._plan.segments)):
            texts: list[tuple[CueKind, str]] = []
            if not briefed:
                # The whole briefing after the first instruction; if the first segment is too short, the short
                # one (where, and permission to rest) after the first instruction it fits behind.
                first = [self._script.briefing] if index == 0 else []
                options = [*first, self._script.short_briefing]
                briefing = next((t for t in options if self._coach_room(index, ends[index], t)), None)
                if briefing:
                    texts.append((CueKind.BRIEFING, briefing))
                    briefed = True
            theme = self._plan.theme_of(index)
            if theme in THEMES:
                returns = returns + 1 if theme == previous else 0
                texts.append((CueKind.THEME, theme_words(theme, previous, returns - 1)))
                previous = theme
            for kind, text in texts:
                if not self._coach_room(index, ends[index], text):
                    continue
                cue = self._add(ends[index] + GAP_S, kind, text, CuePriority.HIGH, cue_id=f"{kind.value}-{index}")
                self._room.take(cue.offset_s, cue.end_s, Role.INTERVAL)
                ends[index] = cue.end_s
        return ends

    def _place_heads_ups(self, opened_until: Sequence[float]) -> None:
        for index in range(1, len(self._plan.segments)):
            boundary = self._starts[index]
            current = self._plan.segments[index - 1]
            countdown = self._countdown_after[index - 1]
            must_end = (boundary - COUNTDOWN_S if countdown else boundary) - GAP_S
            may_start = opened_until[index - 1] + GAP_S
            lead = HEADS_UP_LEAD_S
            while True:
                text = heads_up_text(
                    self._plan.segments[index],
                    self._settings.units,
                    lead_s=lead,
                    current=current,
                    short=is_hard_segment(current),
                )
                start = boundary - lead
                if start < may_start:
                    break  # no room in this segment: the change itself still comes
                if start + self._spoken(text) <= must_end:
                    # A long heads-up starts earlier, in steps of 5 seconds, and says so ("In 15 seconds").
                    cue = self._add(start, CueKind.HEADS_UP, text, CuePriority.HIGH)
                    self._room.take(cue.offset_s, cue.end_s, Role.INTERVAL)
                    break
                lead += 5

    def _place_progress(self, text: str, kind: CueKind, target: float, lo: float, hi: float) -> TimelineCue | None:
        duration = self._spoken(text)
        start = self._room.nearest_start(duration, Role.PROGRESS, target, lo, hi)
        if start is None:
            return None
        cue = self._add(start, kind, text, CuePriority.NORMAL)
        self._room.take(cue.offset_s, cue.end_s, Role.PROGRESS)
        return cue

    def _place_notes(self) -> None:
        """Each of the runner's own notes nearest its moment within its segment, else at the first free moment
        after it. The runner wrote these words for this run, so one is dropped only when there is no room left."""
        for index, segment in enumerate(self._plan.segments):
            start, end = self._starts[index], self._ends[index]
            for note in segment.notes:
                target = start + note.at_s
                duration = self._spoken(note.text)
                at = self._room.nearest_start(duration, Role.PROGRESS, target, start, end)
                if at is None:
                    at = self._room.earliest_start(duration, Role.PROGRESS, target, self._total)
                if at is None:
                    continue
                cue = self._add(at, CueKind.NOTE, note.text, CuePriority.NORMAL)
                self._room.take(cue.offset_s, cue.end_s, Role.PROGRESS)

    def _place_progress_cues(self) -> None:
        middle = self._total / 2
        window = _halfway_window(self._total)
        session_halfway = self._place_progress(
            session_halfway_text(self._total), CueKind.HALFWAY, middle, middle - window, middle + window
        )
        last = len(self._plan.segments) - 1
        for index, segment in enumerate(self._plan.segments):
            if segment.duration_s < LONG_SEGMENT_S:
                continue
            start, end = self._starts[index], self._ends[index]
            ordinal = self._ordinals[index]
            target = start + segment.duration_s / 2
            window = _halfway_window(segment.duration_s)
            # When the session's middle falls in the middle of this segment, one halfway cue says it all.
            if session_halfway is None or abs(session_halfway.offset_s - target) > 2 * HALFWAY_WINDOW_S:
                self._place_progress(
                    segment_halfway_text(segment, ordinal=ordinal),
                    CueKind.HALFWAY,
                    target,
                    max(start, target - window),
                    min(end, target + window),
                )
            early, late = ONE_MINUTE_WINDOW_S
            self._place_progress(
                one_minute_text(segment, ordinal=ordinal, is_last=index == last),
                CueKind.ONE_MINUTE,
                end - 60,
                end - 60 - early,
                end - 60 + late,
            )

    def _place_library_cues(self, library: CueLibrary) -> None:
        picker = CuePicker(self._plan, library, self._script, self._rng)
        interval = _LIBRARY_INTERVAL_S[self._settings.density]
        horizon = interval / 2
        last_kind: CueKind | None = None
        at = interval * self._rng.uniform(0.5, 0.9)
        while at < self._total:
            index = self._plan.segment_at(at)
            until = min(at + horizon, self._ends[index])
            placed = self._place_one_library_cue(picker, index, at, until, last_kind)
            if placed is None:
                at = until  # nothing fits before ``until``: look further on
                continue
            last_kind = placed.kind
            if placed.kind is CueKind.PERSONAL:
                picker.personal_used += 1
            at = placed.offset_s + interval * self._rng.uniform(0.8, 1.2)

    def _place_one_library_cue(
        self, picker: CuePicker, index: int, at: float, until: float, last_kind: CueKind | None
    ) -> TimelineCue | None:
        groups = picker.candidates(index, at, self._texts)
        kinds = [kind for kind in (CueKind.PERSONAL, *_LIBRARY_ORDER) if kind in groups]
        while kinds:
            kind = picker.pick_kind(kinds, last_kind)
            kinds.remove(kind)
            for cue in groups[kind]:
                duration = self._spoken(cue.text)
                start = self._room.earliest_start(duration, Role.LIBRARY, at, until)
                # The rules are checked where the cue really starts: it may have moved on from ``at``.
                if start is None or not picker.fits(cue, index, start):
                    continue
                caption = cue.source if cue.kind is CueKind.SCIENCE else ""
                placed = self._add(start, cue.kind, cue.text, CuePriority.LOW, cue_id=cue.id, caption=caption)
                self._room.take(placed.offset_s, placed.end_s, Role.LIBRARY)
                return placed
        return None


_LIBRARY_ORDER = (CueKind.MINDFULNESS, CueKind.MOTIVATION, CueKind.SCIENCE, CueKind.REFLECTION)


def _halfway_window(named_s: float) -> float:
    return min(HALFWAY_WINDOW_S, HALFWAY_WINDOW_SHARE * named_s)
