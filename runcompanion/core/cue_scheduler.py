"""Turns a session plan and the cue library into the timeline of everything spoken during a run.

Cues are placed in order of importance, each layer fitting around the ones before it:

1. interval cues (HIGH): the start, a change at every boundary, 3-2-1 beeps before each change and before the
   finish, the finish. They are never dropped; when a segment is too short for the full wording, shorter
   forms are used (see :func:`schedule_cues`).
2. heads-ups (HIGH): what comes next, 10 seconds ahead, ending before the first beep.
3. the runner's own spoken notes (NORMAL), as near their chosen moment as the interval cues allow.
4. progress (NORMAL): halfway through the session and through long segments, one minute left.
5. library cues (LOW): mindfulness, motivation, science and reflection, at the chosen density.

Real spoken durations come from ``duration_of`` so that no two cues overlap. Everything random comes from one
``random.Random(seed)``, so a plan, library, settings and seed always give the same timeline.

Pure and free of shared state: safe to call from any thread (the app calls it from its worker, after
synthesis has measured the texts).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from runcompanion.core.cue_library import Cue, CueLibrary
from runcompanion.core.cue_templates import (
    HEADS_UP_LEAD_S,
    Ordinal,
    change_text,
    duration_words,
    finish_text,
    heads_up_text,
    one_minute_text,
    segment_halfway_text,
    session_halfway_text,
    start_text,
)
from runcompanion.core.cue_timeline import CueDensity, CueKind, CuePriority, CueTimeline, TimelineCue
from runcompanion.core.errors import UserError
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.units import SpeedUnit


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
QUIET_S = 15.0
"""Library cues keep this far from heads-ups, countdowns and changes: those moments belong to the interval."""
PROGRESS_CLEARANCE_S = 3.0
"""Halfway and one-minute cues keep this far from interval cues."""
LIBRARY_CLEARANCE_S = 3.0
"""Library cues keep this far from progress cues and from each other."""
LONG_SEGMENT_S = 240.0
"""Segments this long or longer get their own halfway and one-minute-left cues."""
HARD_EFFORT = 7
"""Effort (Borg CR10) from which a segment counts as hard: no science, no breath counting, no long cues."""
REFLECTION_FROM = 2 / 3
"""Reflection prompts come only in the last third of a session (or in a cool-down)."""
HALFWAY_WINDOW_S = 30.0
"""A halfway cue may move this far from the exact middle to find room..."""
HALFWAY_WINDOW_SHARE = 0.05
"""...and no further than this share of the session (or segment): its words name the exact half, and in a
one-minute session "30 seconds done" said at 46 seconds was simply wrong."""
ONE_MINUTE_WINDOW_S = (10.0, 5.0)
"""A one-minute cue may come this much earlier or later than 60 seconds before the end, to find room."""

_LIBRARY_INTERVAL_S = {CueDensity.LIGHT: 240.0, CueDensity.REGULAR: 120.0}
_LIBRARY_KIND_WEIGHTS = {
    CueKind.MINDFULNESS: 1.0,
    CueKind.MOTIVATION: 1.0,
    CueKind.SCIENCE: 0.7,
    CueKind.REFLECTION: 0.7,
}
# Session tags that shift the mix of library cues towards what the session is for.
_TAG_BOOSTS: dict[str, dict[CueKind, float]] = {
    "mindful": {CueKind.MINDFULNESS: 2.0, CueKind.REFLECTION: 1.5},
    "mindfulness": {CueKind.MINDFULNESS: 2.0, CueKind.REFLECTION: 1.5},
    "beginner": {CueKind.MOTIVATION: 1.5},
    "intervals": {CueKind.MOTIVATION: 1.5},
    "science": {CueKind.SCIENCE: 2.0},
}
_REPEAT_KIND_FACTOR = 0.35  # makes two cues of one kind in a row less likely, for variety


class _Role(Enum):
    """What an occupied stretch of the timeline is, which decides how far later cues keep from it."""

    INTERVAL = "interval"
    PROGRESS = "progress"
    LIBRARY = "library"


_CLEARANCE: dict[tuple[_Role, _Role], float] = {
    # (role being placed, role already there) -> seconds of silence between them
    (_Role.PROGRESS, _Role.INTERVAL): PROGRESS_CLEARANCE_S,
    (_Role.PROGRESS, _Role.PROGRESS): PROGRESS_CLEARANCE_S,
    (_Role.LIBRARY, _Role.INTERVAL): QUIET_S,
    (_Role.LIBRARY, _Role.PROGRESS): LIBRARY_CLEARANCE_S,
    (_Role.LIBRARY, _Role.LIBRARY): LIBRARY_CLEARANCE_S,
}


@dataclass(frozen=True, slots=True)
class _Span:
    start: float
    end: float
    role: _Role


def is_hard_segment(segment: Segment) -> bool:
    """Whether ``segment`` is hard going: its effort target is 7 or more, or (without a target) it is a run.

    A run with no stated effort counts as hard because for the beginners who follow run/walk programs it is.
    """
    if segment.effort is not None:
        return segment.effort >= HARD_EFFORT
    return segment.kind.is_hard


def schedule_cues(
    plan: SessionPlan,
    library: CueLibrary,
    settings: CueSettings,
    seed: int,
    duration_of: Callable[[str], float],
) -> CueTimeline:
    """Every cue of a run of ``plan``, sorted by offset, none overlapping another.

    ``duration_of(text)`` is the spoken length of ``text`` in seconds (the app measures its synthesized WAV
    files); it may also be asked about texts that end up unused, such as a long cue that did not fit.

    When a segment is too short for its full change announcement plus the countdown into the next one, the
    scheduler uses the brief form ("Run now."), then leaves out that countdown, then the chime. Only if even
    that does not fit does it raise ``UserError`` naming the segment.
    """
    if not plan.segments:
        raise ValueError("a session plan needs at least one segment")
    return _Scheduler(plan, settings, seed, duration_of).build(library)


class _Scheduler:
    """One scheduling run: the cues placed so far and the stretches of time they occupy."""

    def __init__(
        self,
        plan: SessionPlan,
        settings: CueSettings,
        seed: int,
        duration_of: Callable[[str], float],
    ) -> None:
        self._plan = plan
        self._settings = settings
        self._seed = seed
        self._rng = random.Random(seed)
        self._duration_of = duration_of
        self._durations: dict[str, float] = {}
        self._starts = plan.segment_starts()
        self._ends = [start + seg.duration_s for start, seg in zip(self._starts, plan.segments, strict=True)]
        self._total = plan.total_s
        self._ordinals = _ordinals(plan.segments)
        self._cues: list[TimelineCue] = []
        self._spans: list[_Span] = []
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
        )
        self._cues.append(cue)
        if not beep:
            self._texts.add(text)
        return cue

    def _forbidden(self, duration: float, role: _Role) -> list[tuple[float, float]]:
        """Open ranges of start times where a cue of ``duration`` and ``role`` would crowd another cue."""
        ranges = []
        for span in self._spans:
            pad = _CLEARANCE[(role, span.role)]
            ranges.append((span.start - pad - duration, span.end + pad))
        ranges.sort()
        return ranges

    def _fits_at(self, start: float, duration: float, forbidden: Sequence[tuple[float, float]]) -> bool:
        if start < 0 or start + duration > self._total:
            return False
        return all(not lo < start < hi for lo, hi in forbidden)

    def _nearest_start(self, duration: float, role: _Role, target: float, lo: float, hi: float) -> float | None:
        """The allowed start closest to ``target`` within ``[lo, hi]``, or ``None``."""
        forbidden = self._forbidden(duration, role)
        # The best start is the target itself or the edge of a forbidden range.
        candidates = [target] + [edge for pair in forbidden for edge in pair]
        allowed = [c for c in candidates if lo <= c <= hi and self._fits_at(c, duration, forbidden)]
        return min(allowed, key=lambda c: (abs(c - target), c)) if allowed else None

    def _earliest_start(self, duration: float, role: _Role, lo: float, hi: float) -> float | None:
        """The first allowed start in ``[lo, hi]``, or ``None``."""
        forbidden = self._forbidden(duration, role)
        start = lo
        moved = True
        while moved:
            moved = False
            for f_lo, f_hi in forbidden:
                if f_lo < start < f_hi:
                    start = f_hi
                    moved = True
        if start > hi or not self._fits_at(start, duration, forbidden):
            return None
        return start

    # -- the layers ------------------------------------------------------------------------------------------

    def build(self, library: CueLibrary) -> CueTimeline:
        openers = self._place_interval_cues()
        self._place_heads_ups(openers)
        self._place_notes()
        self._place_progress_cues()
        if self._settings.density is not CueDensity.OFF:
            self._place_library_cues(library)
        cues = sorted(self._cues, key=lambda c: (c.offset_s, -c.priority))
        return CueTimeline(tuple(cues))

    def _opening_texts(self, index: int) -> list[str]:
        """Texts for the cue that opens segment ``index``, longest first."""
        segment = self._plan.segments[index]
        units = self._settings.units
        ordinal = self._ordinals[index]
        full = change_text(segment, units, index == 0, ordinal=ordinal)
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
            self._spans.append(_Span(start, opener.end_s, _Role.INTERVAL))
            self._countdown_after.append(with_countdown)
            if with_countdown:
                for beep in range(COUNTDOWN_S, 0, -1):
                    self._add(end - beep, CueKind.COUNTDOWN, str(beep), CuePriority.HIGH, duration=BEEP_S, beep=True)
                self._spans.append(_Span(end - COUNTDOWN_S, end, _Role.INTERVAL))
        finish = self._add(
            self._total, CueKind.FINISH, finish_text(self._seed, self._total), CuePriority.HIGH, chime=chime
        )
        self._spans.append(_Span(finish.offset_s, finish.end_s, _Role.INTERVAL))
        return openers

    def _place_heads_ups(self, openers: Sequence[TimelineCue]) -> None:
        for index in range(1, len(self._plan.segments)):
            boundary = self._starts[index]
            countdown = self._countdown_after[index - 1]
            must_end = (boundary - COUNTDOWN_S if countdown else boundary) - GAP_S
            may_start = openers[index - 1].end_s + GAP_S
            lead = HEADS_UP_LEAD_S
            while True:
                text = heads_up_text(
                    self._plan.segments[index],
                    self._settings.units,
                    lead_s=lead,
                    ordinal=self._ordinals[index],
                )
                start = boundary - lead
                if start < may_start:
                    break  # no room in this segment: the change itself still comes
                if start + self._spoken(text) <= must_end:
                    # A long heads-up starts earlier, in steps of 5 seconds, and says so ("In 15 seconds").
                    cue = self._add(start, CueKind.HEADS_UP, text, CuePriority.HIGH)
                    self._spans.append(_Span(cue.offset_s, cue.end_s, _Role.INTERVAL))
                    break
                lead += 5

    def _place_progress(self, text: str, kind: CueKind, target: float, lo: float, hi: float) -> TimelineCue | None:
        duration = self._spoken(text)
        start = self._nearest_start(duration, _Role.PROGRESS, target, lo, hi)
        if start is None:
            return None
        cue = self._add(start, kind, text, CuePriority.NORMAL)
        self._spans.append(_Span(cue.offset_s, cue.end_s, _Role.PROGRESS))
        return cue

    def _place_notes(self) -> None:
        """Each note nearest its moment within its segment, else at the first free moment after it.

        The runner wrote these words for this run, so one is dropped only when the session has no room left.
        """
        for index, segment in enumerate(self._plan.segments):
            start, end = self._starts[index], self._ends[index]
            for note in segment.notes:
                target = start + note.at_s
                duration = self._spoken(note.text)
                at = self._nearest_start(duration, _Role.PROGRESS, target, start, end)
                if at is None:
                    at = self._earliest_start(duration, _Role.PROGRESS, target, self._total)
                if at is None:
                    continue
                cue = self._add(at, CueKind.NOTE, note.text, CuePriority.NORMAL)
                self._spans.append(_Span(cue.offset_s, cue.end_s, _Role.PROGRESS))

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

    def _kind_weights(self) -> dict[CueKind, float]:
        weights = dict(_LIBRARY_KIND_WEIGHTS)
        for tag in self._plan.tags:
            for kind, factor in _TAG_BOOSTS.get(tag.lower(), {}).items():
                weights[kind] *= factor
        return weights

    def _candidates(self, library: CueLibrary, index: int, at: float) -> dict[CueKind, list[Cue]]:
        """Library cues that may be spoken in segment ``index`` from ``at`` seconds, grouped by kind."""
        segment = self._plan.segments[index]
        hard = is_hard_segment(segment)
        if hard and segment.effort is None:
            # Let the cues' own effort limits keep breath counting and long cues out of an unrated run.
            segment = replace(segment, effort=HARD_EFFORT)
        late = at >= self._total * REFLECTION_FROM or segment.kind is SegmentKind.COOLDOWN
        groups: dict[CueKind, list[Cue]] = {}
        for cue in library.fitting(segment, at):
            if cue.text in self._texts:
                continue
            if cue.kind is CueKind.SCIENCE and hard:
                continue
            if cue.kind is CueKind.REFLECTION and not late:
                continue
            groups.setdefault(cue.kind, []).append(cue)
        return groups

    def _weighted_order(self, cues: Sequence[Cue]) -> list[Cue]:
        # Efraimidis-Spirakis: sorting by u ** (1 / w) draws a weighted random order without replacement.
        keyed = [(self._rng.random() ** (1.0 / cue.weight), position) for position, cue in enumerate(cues)]
        keyed.sort(reverse=True)
        return [cues[position] for _, position in keyed]

    def _pick_kind(self, kinds: Sequence[CueKind], weights: dict[CueKind, float], last: CueKind | None) -> CueKind:
        factors = [weights[k] * (_REPEAT_KIND_FACTOR if k is last else 1.0) for k in kinds]
        return self._rng.choices(list(kinds), weights=factors, k=1)[0]

    def _place_library_cues(self, library: CueLibrary) -> None:
        interval = _LIBRARY_INTERVAL_S[self._settings.density]
        horizon = interval / 2
        weights = self._kind_weights()
        last_kind: CueKind | None = None
        at = interval * self._rng.uniform(0.5, 0.9)
        while at < self._total:
            index = self._plan.segment_at(at)
            until = min(at + horizon, self._ends[index])
            placed = self._place_one_library_cue(
                library=library, index=index, at=at, until=until, weights=weights, last_kind=last_kind
            )
            if placed is None:
                at = until  # nothing fits before ``until``: look further on
                continue
            last_kind = placed.kind
            at = placed.offset_s + interval * self._rng.uniform(0.8, 1.2)

    def _place_one_library_cue(
        self,
        *,
        library: CueLibrary,
        index: int,
        at: float,
        until: float,
        weights: dict[CueKind, float],
        last_kind: CueKind | None,
    ) -> TimelineCue | None:
        groups = self._candidates(library, index, at)
        kinds = [kind for kind in _LIBRARY_KIND_WEIGHTS if kind in groups]
        while kinds:
            kind = self._pick_kind(kinds, weights, last_kind)
            kinds.remove(kind)
            for cue in self._weighted_order(groups[kind]):
                duration = self._spoken(cue.text)
                start = self._earliest_start(duration, _Role.LIBRARY, at, until)
                if start is None:
                    continue
                placed = self._add(start, cue.kind, cue.text, CuePriority.LOW, cue_id=cue.id)
                self._spans.append(_Span(placed.offset_s, placed.end_s, _Role.LIBRARY))
                return placed
        return None


def _ordinals(segments: Sequence[Segment]) -> list[Ordinal | None]:
    """For each segment, its number among the segments of its kind, when that kind occurs more than once."""
    counts: dict[SegmentKind, int] = {}
    for segment in segments:
        counts[segment.kind] = counts.get(segment.kind, 0) + 1
    seen: dict[SegmentKind, int] = {}
    ordinals: list[Ordinal | None] = []
    for segment in segments:
        seen[segment.kind] = seen.get(segment.kind, 0) + 1
        count = counts[segment.kind]
        ordinals.append(Ordinal(seen[segment.kind], count) if count > 1 else None)
    return ordinals


def _halfway_window(named_s: float) -> float:
    return min(HALFWAY_WINDOW_S, HALFWAY_WINDOW_SHARE * named_s)
