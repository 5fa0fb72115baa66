"""Which library cue suits a moment: the segment-fit rules, the runner's memory, and the day's mood.

The rules (docs/cues.md lists them for pack authors; tests pin each one):

- in a hard segment (effort 7 or more) shorter than 2 minutes, only cues tagged ``hard`` (8 words at most,
  made for efforts), or silence; in a beginner's session every run shorter than 2 minutes counts as such
  (a one-minute run is a hard effort in week 1 of Couch to 5K, whatever its effort target says);
- no science in a hard segment, in a recovery shorter than 2 minutes, or in the first 3 minutes of a
  beginner's run;
- breath counting and body scans only in easy segments (effort 4 or less) of 3 minutes or more, with at
  least a minute of the segment left;
- a cue tagged ``nearly-done`` ("Nearly there") only in the last quarter of its segment or of the session,
  where it is true;
- reflection prompts only in the last third of a session or a cool-down;
- in a segment with a mindful theme, only that theme's mindfulness cues (a reflect segment: reflection);
- a cue heard in the last 9 runs is not used (no cue twice within 10 runs); one heard twice already only
  when nothing else fits; among the rest the ones heard least, and longest ago, come first.

Pure; one instance serves one scheduling run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from runcompanion.core.coach import CoachScript, Mood
from runcompanion.core.coach_memory import MAX_HEARINGS
from runcompanion.core.cue_library import Cue, CueLibrary
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.core.spoken_texts import THEME_CUE_TAG

HARD_EFFORT = 7
"""Effort (Borg CR10) from which a segment counts as hard: no science, no breath counting, no long cues."""
SHORT_SEGMENT_S = 120.0
"""A hard segment or a recovery shorter than this gets only short hard-effort cues, or no science."""
BEGINNER_SETTLING_S = 180.0
"""No science in the first minutes of a beginner's run: they are finding their feet, not listening to facts."""
PRACTICE_MAX_EFFORT = 4
PRACTICE_MIN_SEGMENT_S = 180.0
PRACTICE_MIN_LEFT_S = 60.0
"""Breath counting and body scans need an easy segment this long, with this much of it still to come."""
NEARLY_DONE_FROM = 3 / 4
"""A ``nearly-done`` cue is true only from here on: this share of its segment, or of the whole session, done."""
REFLECTION_FROM = 2 / 3
"""Reflection prompts come only in the last third of a session (or in a cool-down)."""
MAX_PERSONAL_PER_RUN = 1

KIND_WEIGHTS = {
    CueKind.PERSONAL: 3.0,
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
_MOOD_BOOSTS: dict[Mood, dict[CueKind, float]] = {
    Mood.GENTLE: {CueKind.MOTIVATION: 2.0, CueKind.SCIENCE: 0.3},
    Mood.UPBEAT: {CueKind.MOTIVATION: 1.5},
    Mood.STEADY: {},
}
_REPEAT_KIND_FACTOR = 0.35  # makes two cues of one kind in a row less likely, for variety


def is_hard_segment(segment: Segment) -> bool:
    """Whether ``segment`` is hard going: its effort target is 7 or more, or (without a target) it is a run.

    A run with no stated effort counts as hard because for the beginners who follow run/walk programs it is.
    """
    if segment.effort is not None:
        return segment.effort >= HARD_EFFORT
    return segment.kind.is_hard


def is_short_hard(segment: Segment) -> bool:
    return is_hard_segment(segment) and segment.duration_s < SHORT_SEGMENT_S


def is_short_recovery(plan: SessionPlan, index: int) -> bool:
    """A recovery or walk under 2 minutes right after a run: the runner is still catching their breath."""
    segment = plan.segments[index]
    if segment.kind not in (SegmentKind.RECOVER, SegmentKind.WALK) or segment.duration_s >= SHORT_SEGMENT_S:
        return False
    return segment.kind is SegmentKind.RECOVER or (index > 0 and plan.segments[index - 1].kind is SegmentKind.RUN)


class CuePicker:
    """Orders the library cues that fit a moment of one run."""

    def __init__(self, plan: SessionPlan, library: CueLibrary, script: CoachScript, rng: random.Random) -> None:
        self._plan = plan
        self._script = script
        self._rng = rng
        self._cues = [*library.cues, *script.personal]
        self._blocked = script.memory.blocked()
        self._starts = plan.segment_starts()
        # Asked thousands of times an hour-long run, so worked out once per segment, not once per question.
        self._total = plan.total_s
        self._hard = [is_hard_segment(segment) for segment in plan.segments]
        self._checked = [
            replace(segment, effort=HARD_EFFORT) if hard and segment.effort is None else segment
            for segment, hard in zip(plan.segments, self._hard, strict=True)
        ]
        self._weights = dict(KIND_WEIGHTS)
        for tag in plan.tags:
            for kind, factor in _TAG_BOOSTS.get(tag.lower(), {}).items():
                self._weights[kind] *= factor
        for kind, factor in _MOOD_BOOSTS[script.mood].items():
            self._weights[kind] *= factor
        self.personal_used = 0

    def fits(self, cue: Cue, index: int, at: float) -> bool:
        """Whether ``cue`` may be said in segment ``index`` starting ``at`` seconds into the session."""
        plan = self._plan
        segment = plan.segments[index]
        hard = self._hard[index]
        if not cue.fits(self._checked[index], at):
            return False
        if "nearly-done" in cue.tags:
            start = self._starts[index]
            if at < start + segment.duration_s * NEARLY_DONE_FROM and at < self._total * NEARLY_DONE_FROM:
                return False
        if is_short_hard(segment) or (
            self._script.beginner and segment.kind is SegmentKind.RUN and segment.duration_s < SHORT_SEGMENT_S
        ):
            return "hard" in cue.tags
        if "hard" in cue.tags and not hard and segment.kind is not SegmentKind.RUN:
            return False
        if cue.kind is CueKind.SCIENCE and (
            hard or is_short_recovery(plan, index) or (self._script.beginner and at < BEGINNER_SETTLING_S)
        ):
            return False
        if cue.tags & {"counting", "body-scan"}:
            end = self._starts[index] + segment.duration_s
            easy = segment.effort is not None and segment.effort <= PRACTICE_MAX_EFFORT
            if not easy or segment.duration_s < PRACTICE_MIN_SEGMENT_S or end - at < PRACTICE_MIN_LEFT_S:
                return False
        late = at >= self._total * REFLECTION_FROM or segment.kind is SegmentKind.COOLDOWN
        if cue.kind is CueKind.REFLECTION and not late:
            return False
        if cue.kind is CueKind.PERSONAL and (hard or self.personal_used >= MAX_PERSONAL_PER_RUN):
            return False
        return self._fits_theme(cue, plan.theme_of(index))

    @staticmethod
    def _fits_theme(cue: Cue, theme: str) -> bool:
        if not theme:
            return True
        if theme == "reflect":
            return cue.kind is CueKind.REFLECTION
        tag = THEME_CUE_TAG.get(theme)
        if tag is None:  # "arrive": settle in, no particular focus yet
            return cue.kind in (CueKind.MINDFULNESS, CueKind.MOTIVATION)
        return cue.kind is CueKind.MINDFULNESS and tag in cue.tags

    def candidates(self, index: int, at: float, said: set[str]) -> dict[CueKind, list[Cue]]:
        """Cues that may be said in segment ``index`` from ``at``, by kind, best first.

        A cue already heard ``MAX_HEARINGS`` times is offered only when no other cue fits this moment: over a
        program, no cue is heard more than twice while the library has fresher ones.
        """
        fitting = [
            cue
            for cue in self._cues
            if cue.id not in self._blocked and cue.text not in said and self.fits(cue, index, at)
        ]
        memory = self._script.memory
        fresh = [cue for cue in fitting if memory.hearings(cue.id) < MAX_HEARINGS]
        groups: dict[CueKind, list[Cue]] = {}
        for cue in fresh or fitting:
            groups.setdefault(cue.kind, []).append(cue)
        return {kind: self._ordered(cues) for kind, cues in groups.items()}

    def _ordered(self, cues: Sequence[Cue]) -> list[Cue]:
        # Fresh cues first (fewest hearings, then longest ago); among equals, the day's mood, then a weighted
        # random order (Efraimidis-Spirakis: sorting by u ** (1 / w) draws without replacement).
        memory = self._script.memory
        preferred = self._script.preferred_tag
        keyed = []
        for position, cue in enumerate(cues):
            mood_rank = 0 if preferred is not None and preferred in cue.tags else 1
            draw = -(self._rng.random() ** (1.0 / cue.weight))
            keyed.append((memory.freshness(cue.id), mood_rank, draw, position))
        keyed.sort()
        return [cues[key[-1]] for key in keyed]

    def pick_kind(self, kinds: Sequence[CueKind], last: CueKind | None) -> CueKind:
        factors = [self._weights[k] * (_REPEAT_KIND_FACTOR if k is last else 1.0) for k in kinds]
        return self._rng.choices(list(kinds), weights=factors, k=1)[0]
