"""The rest of a run, re-planned after the check-in: the coach's words change, the announcements stay.

The run starts before the runner says how they feel (the check-in shows during the countdown and into the
first minute), so its cues are first chosen for a steady day. When the check-in makes the day gentle or
upbeat, :func:`replan_upcoming` merges the timeline the coach would have made with that feeling (what
``runcompanion cues SESSION --feeling N`` prints) into the one already running: everything due before the
cut is kept exactly as it is (the engine may be saying it), and so is every interval announcement, heads-up,
countdown and finish after it; only the coach's own words after the cut come from the new plan. A new cue
that would overlap a kept one is left out rather than talked over. :func:`switch_upcoming` does the same for a
switch to the shorter version, where the announcements change as well. Pure; any thread.
"""

from __future__ import annotations

from runcompanion.core.cue_timeline import CueKind, CueTimeline, TimelineCue

COACH_KINDS = frozenset(
    {
        CueKind.MINDFULNESS,
        CueKind.MOTIVATION,
        CueKind.SCIENCE,
        CueKind.REFLECTION,
        CueKind.BRIEFING,
        CueKind.THEME,
        CueKind.PERSONAL,
    }
)
"""What the check-in may change: the coach's words. Announcements, countdowns, notes and the finish stay."""
REPLAN_AHEAD_S = 8.0
"""Cues due within this many seconds of the check-in are left as they are: the runner may be about to hear one."""


def replan_upcoming(current: CueTimeline, replanned: CueTimeline, from_s: float) -> CueTimeline:
    """``current`` with its coach cues from ``from_s`` on replaced by those of ``replanned``.

    The cues of ``current`` due before ``from_s`` come first, in the same order, so their places in the
    timeline (the ids the player plays them by) do not change.
    """
    kept = [c for c in current.cues if c.offset_s < from_s or c.kind not in COACH_KINDS]
    fresh: list[TimelineCue] = []
    for cue in replanned.cues:
        if cue.offset_s < from_s or cue.kind not in COACH_KINDS:
            continue
        if not any(_overlap(cue, other) for other in (*kept, *fresh)):
            fresh.append(cue)
    # A stable sort: the kept cues keep their order among equal offsets, and every fresh one is due at or
    # after ``from_s``, so the prefix before it is untouched.
    return CueTimeline(tuple(sorted((*kept, *fresh), key=lambda c: c.offset_s)))


def switch_upcoming(current: CueTimeline, switched: CueTimeline, from_s: float) -> CueTimeline:
    """``current`` up to ``from_s``, then every cue of ``switched``: the timeline of a run that takes the shorter
    version (core/coach.py, ``shorter_version``) mid-way. Unlike a change of tone, the announcements change too:
    they must name the new plan's segments and times. A new cue that would overlap a kept one is left out.
    """
    kept = [c for c in current.cues if c.offset_s < from_s]
    fresh = [c for c in switched.cues if c.offset_s >= from_s and not any(_overlap(c, k) for k in kept)]
    return CueTimeline((*kept, *fresh))


def _overlap(a: TimelineCue, b: TimelineCue) -> bool:
    return a.offset_s < b.end_s and b.offset_s < a.end_s
