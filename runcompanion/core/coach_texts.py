"""What the coach says around a run: the briefing at the start and the words at the finish.

Short, kind, never pressing: every briefing ends with permission to walk, slow down or stop. Names and
numbers are written as they should be heard (no symbols, no abbreviations). Pure; any thread.
"""

from __future__ import annotations

import re

from runcompanion.core.cue_templates import FINISH_TEXTS, duration_words
from runcompanion.core.program_model import Milestone
from runcompanion.core.session_plan import SessionPlan

REST_SENTENCE = "Walk, slow down or stop whenever you need to."
"""Said in every briefing: permission to rest is part of every run."""
GENTLE_SENTENCES = (
    "Thanks for being honest about how you feel.",
    "On a heavy day, small steps count.",
    "Walk whenever you like, shorten the run, or stop: all of that is fine, and all of it counts.",
)
UPBEAT_SENTENCE = "Good to hear you're feeling bright today. Enjoy it, and keep the easy parts easy."
MAX_DESCRIPTION_BRIEFING_WORDS = 30
"""A briefing made from a session's description takes its first sentences up to this many words."""

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


def purpose_of(plan: SessionPlan) -> str:
    """The run's one purpose: the session's own spoken briefing, else the start of its description."""
    if plan.briefing:
        return plan.briefing
    words = 0
    chosen: list[str] = []
    for sentence in _SENTENCE_RE.split(" ".join(plan.description.split())):
        count = len(sentence.split())
        if chosen and words + count > MAX_DESCRIPTION_BRIEFING_WORDS:
            break
        if not chosen and count > MAX_DESCRIPTION_BRIEFING_WORDS:
            return ""  # one long sentence would be a lecture, not a briefing
        chosen.append(sentence)
        words += count
    return " ".join(chosen)


def place_words(week: int, run: int) -> str:
    return f"Week {week}, run {run}."


def briefing_text(
    plan: SessionPlan,
    *,
    place: tuple[int, int] | None,
    milestone: Milestone | None,
    mood: str,
) -> str:
    """The briefing: which run this is, its one purpose, a milestone named, how the runner is, permission."""
    parts: list[str] = []
    if place is not None:
        parts.append(place_words(*place))
    if milestone is not None:
        parts.append(f"Today is a special one: {milestone.name}.")
    purpose = purpose_of(plan)
    if purpose:
        parts.append(purpose)
    if mood == "gentle":
        parts.extend(GENTLE_SENTENCES)
    else:
        if mood == "upbeat":
            parts.append(UPBEAT_SENTENCE)
        parts.append(REST_SENTENCE)
    return " ".join(parts)


def short_briefing_text(place: tuple[int, int] | None, mood: str) -> str:
    """The briefing for a first segment too short for the whole one: still where, and still permission."""
    first = place_words(*place) + " " if place is not None else ""
    rest = GENTLE_SENTENCES[1] + " " + REST_SENTENCE if mood == "gentle" else REST_SENTENCE
    return first + rest


def finish_words(
    seed: int,
    total_s: float,
    *,
    place: tuple[int, int] | None,
    progress: tuple[int, int] | None,
    milestone: Milestone | None,
) -> str:
    """The last words of a run: a milestone celebrated, the program's progress, and always thanks."""
    total = duration_words(total_s)
    if milestone is not None:
        celebration = milestone.celebration or f"That was {milestone.name}. Well done."
        return f"{celebration} Thank you for running with me today."
    if place is not None and progress is not None:
        done, of = progress
        return (
            f"That's week {place[0]}, run {place[1]} done: {total}, and {done} of {of} runs of the program. "
            "Thank you for running with me today."
        )
    return FINISH_TEXTS[seed % len(FINISH_TEXTS)].format(total=total)


_CITED = re.compile(r"(?P<authors>.+?) \((?P<year>\d{4})\)\. (?P<rest>.+)")


def source_line(source: str) -> str:
    """A science cue's source as the run screen shows it: authors, year and journal, without the title and
    the DOI (the whole reference is in docs/cues.md and ``runcompanion cues``). A part that is not a cited
    paper ("described in ...") is kept as written."""
    parts: list[str] = []
    for part in (p.strip() for p in source.split("; ")):
        cited = _CITED.fullmatch(part)
        if cited is None:
            parts.append(part.rstrip("."))
            continue
        pieces = [p.strip().rstrip(".") for p in cited["rest"].split(". ") if not p.strip().startswith("doi:")]
        parts.append(f"{cited['authors']} ({cited['year']}), {pieces[-1]}" if len(pieces) > 1 else part.rstrip("."))
    return "; ".join(p for p in parts if p)
