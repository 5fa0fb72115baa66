"""The spoken cues of one run, in order, with when they are due. Built by the cue scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class CueKind(StrEnum):
    HEADS_UP = "heads_up"  # "In 10 seconds: walk for 2 minutes"
    CHANGE = "change"  # announced at a segment boundary, after the chime
    COUNTDOWN = "countdown"  # 3-2-1 beeps before a change
    HALFWAY = "halfway"
    ONE_MINUTE = "one_minute"
    START = "start"
    FINISH = "finish"  # the last cue: thanks the runner
    MINDFULNESS = "mindfulness"
    MOTIVATION = "motivation"
    SCIENCE = "science"
    REFLECTION = "reflection"
    NOTE = "note"  # the runner's own spoken note, written into the session
    BRIEFING = "briefing"  # the coach's words after the first instruction: which run, its purpose, permission
    THEME = "theme"  # a mindful segment's theme, introduced as the segment starts
    PERSONAL = "personal"  # from the runner's own journal


class CueDensity(StrEnum):
    """How often mindfulness, motivation and science cues come between the interval announcements."""

    OFF = "off"
    LIGHT = "light"  # about every 4 minutes
    REGULAR = "regular"  # about every 2 minutes


class CuePriority(IntEnum):
    """Higher wins. Interval cues are never dropped; low ones are dropped when they come too late."""

    LOW = 0  # mindfulness, motivation, science, reflection
    NORMAL = 1  # halfway, one minute left
    HIGH = 2  # heads-up, change, countdown, start, finish


@dataclass(frozen=True, slots=True)
class TimelineCue:
    """One cue: due ``offset_s`` seconds into the session (not counting the pre-run countdown or pauses).

    ``duration_s`` is the spoken length (0 for a beep or chime without speech). ``chime`` asks the player to
    sound the chime first; ``beep`` marks a countdown beep that carries no speech.
    """

    offset_s: float
    duration_s: float
    kind: CueKind
    text: str
    priority: CuePriority
    cue_id: str = ""
    segment_index: int = 0
    chime: bool = False
    beep: bool = False
    caption: str = ""
    """Shown under a science cue's text: the authors, year and journal (the ear gets the finding in words)."""

    @property
    def end_s(self) -> float:
        return self.offset_s + self.duration_s


@dataclass(frozen=True, slots=True)
class CueTimeline:
    """Cues sorted by offset. Deterministic for a plan, a cue library, settings and a seed."""

    cues: tuple[TimelineCue, ...] = ()

    def __post_init__(self) -> None:
        offsets = [c.offset_s for c in self.cues]
        if offsets != sorted(offsets):
            raise ValueError("timeline cues must be sorted by offset")

    def __len__(self) -> int:
        return len(self.cues)

    def spoken_texts(self) -> list[str]:
        return [c.text for c in self.cues if not c.beep]
