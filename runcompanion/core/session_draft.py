"""The session editor's model, free of Qt: a session as the runner is typing it, its problems, and its undo.

Every field is kept as the text in its box, so a half-typed "1:3" is a draft with a problem rather than an
error. ``problems`` checks each field with the rules the file readers use (``session_rules``) and says what
is wrong next to which field; ``to_plan`` gives the session once nothing is. Edits return a new draft
(drafts are immutable), which is what makes undo a list of earlier drafts.

A draft holds items: segments, and repeat blocks of segments (one level, as session files allow). A place
in it is a ``Path``: ``(item,)`` for a top-level segment or block, ``(item, segment)`` inside a block.

Pure; any thread (the editor uses it on the GUI thread: every call is microseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from runcompanion.core.errors import UserError
from runcompanion.core.file_values import parse_clock_text
from runcompanion.core.session_files import validate_session
from runcompanion.core.session_plan import (
    Repeat,
    Segment,
    SegmentKind,
    SessionItem,
    SessionPlan,
    SpokenNote,
    expand_items,
    fold_items,
)
from runcompanion.core.session_rules import (
    MAX_DESCRIPTION_CHARS,
    MAX_LABEL_CHARS,
    MAX_NAME_CHARS,
    MAX_SEGMENTS,
    MAX_SESSION_S,
    FieldProblem,
    check_duration,
    check_effort,
    check_incline,
    check_kind,
    check_note_offset,
    check_note_text,
    check_repeat,
    check_slug,
    check_speed,
    check_text,
)
from runcompanion.core.toml_text import clock_text
from runcompanion.core.units import KM_PER_MILE, SpeedUnit, speed_in

_T = TypeVar("_T")
Path = tuple[int, ...]
SEGMENT_FIELDS = ("kind", "duration", "label", "effort", "speed", "incline")


@dataclass(frozen=True, slots=True)
class NoteDraft:
    at: str = "0:00"
    text: str = ""


@dataclass(frozen=True, slots=True)
class SegmentDraft:
    kind: str = "run"
    duration: str = "1:00"
    label: str = ""
    effort: str = ""
    speed: str = ""  # in the runner's units
    incline: str = ""
    notes: tuple[NoteDraft, ...] = ()


@dataclass(frozen=True, slots=True)
class RepeatDraft:
    times: str = "2"
    segments: tuple[SegmentDraft, ...] = (SegmentDraft(), SegmentDraft(kind="walk", duration="1:30"))


ItemDraft = SegmentDraft | RepeatDraft


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field. ``path`` is () for the session's own fields; ``note`` numbers a note."""

    path: Path
    field: str
    message: str
    note: int | None = None


@dataclass(frozen=True, slots=True)
class SessionDraft:
    session_id: str = ""  # "" until first saved: the id is made from the name then
    name: str = ""
    description: str = ""
    tags: str = ""  # comma-separated, as typed
    items: tuple[ItemDraft, ...] = ()
    units: SpeedUnit = SpeedUnit.KMH

    # -- reading a place -------------------------------------------------------------------------------------

    def segment(self, path: Path) -> SegmentDraft:
        item = self.items[path[0]]
        if isinstance(item, RepeatDraft):
            if len(path) < 2:
                raise IndexError("a repeat block is not a segment")
            return item.segments[path[1]]
        return item

    # -- edits (each returns a new draft) ---------------------------------------------------------------------

    def with_fields(self, **changes: str) -> SessionDraft:
        return replace(self, **changes)  # type: ignore[arg-type]

    def with_segment(self, path: Path, **changes: object) -> SessionDraft:
        return self._put(path, replace(self.segment(path), **changes))  # type: ignore[arg-type]

    def with_times(self, index: int, times: str) -> SessionDraft:
        item = self.items[index]
        if not isinstance(item, RepeatDraft):
            raise IndexError("not a repeat block")
        return self._put_item(index, replace(item, times=times))

    def inserted(self, path: Path, new: ItemDraft) -> tuple[SessionDraft, Path]:
        """``new`` placed after ``path`` (at the end for ``()``); returns the draft and where it went."""
        if len(path) == 2 and isinstance(new, SegmentDraft):
            block = self.items[path[0]]
            assert isinstance(block, RepeatDraft)
            segments = list(block.segments)
            segments.insert(path[1] + 1, new)
            return self._put_item(path[0], replace(block, segments=tuple(segments))), (path[0], path[1] + 1)
        at = path[0] + 1 if path else len(self.items)
        items = list(self.items)
        items.insert(at, new)
        return replace(self, items=tuple(items)), (at,)

    def removed(self, path: Path) -> SessionDraft:
        if len(path) == 2:
            block = self.items[path[0]]
            assert isinstance(block, RepeatDraft)
            segments = block.segments[: path[1]] + block.segments[path[1] + 1 :]
            if segments:
                return self._put_item(path[0], replace(block, segments=segments))
            path = path[:1]  # the block's last segment: the block goes with it
        return replace(self, items=self.items[: path[0]] + self.items[path[0] + 1 :])

    def moved(self, path: Path, delta: int) -> tuple[SessionDraft, Path]:
        """Move an item (or a segment within its block) ``delta`` places; it stays put at either end."""
        if len(path) == 2:
            block = self.items[path[0]]
            assert isinstance(block, RepeatDraft)
            target = path[1] + delta
            if not 0 <= target < len(block.segments):
                return self, path
            segments = list(block.segments)
            segments.insert(target, segments.pop(path[1]))
            return self._put_item(path[0], replace(block, segments=tuple(segments))), (path[0], target)
        target = path[0] + delta
        if not 0 <= target < len(self.items):
            return self, path
        items = list(self.items)
        items.insert(target, items.pop(path[0]))
        return replace(self, items=tuple(items)), (target,)

    def _put(self, path: Path, segment: SegmentDraft) -> SessionDraft:
        if len(path) == 2:
            block = self.items[path[0]]
            assert isinstance(block, RepeatDraft)
            segments = (*block.segments[: path[1]], segment, *block.segments[path[1] + 1 :])
            return self._put_item(path[0], replace(block, segments=segments))
        return self._put_item(path[0], segment)

    def _put_item(self, index: int, item: ItemDraft) -> SessionDraft:
        return replace(self, items=(*self.items[:index], item, *self.items[index + 1 :]))

    # -- checking ---------------------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every problem, one per field, in the order of the form."""
        return _Checker(self).run()

    def total_s(self) -> float:
        """The length of what can be read so far (fields with problems count as nothing)."""
        total = 0.0
        for item in self.items:
            times = _int_or(item.times, 1) if isinstance(item, RepeatDraft) else 1
            segments = item.segments if isinstance(item, RepeatDraft) else (item,)
            total += times * sum(_seconds_or_zero(s.duration) for s in segments)
        return total

    def to_plan(self, session_id: str | None = None) -> SessionPlan:
        """The session, checked by the file rules. ``UserError`` naming the first problem if there is one."""
        problems = self.problems()
        if problems:
            first = problems[0]
            raise UserError(f"{_where(first.path)}{first.message}")
        items: list[SessionItem] = []
        for item in self.items:
            if isinstance(item, RepeatDraft):
                items.append(Repeat(check_repeat(int(item.times)), tuple(self._plan_segment(s) for s in item.segments)))
            else:
                items.append(self._plan_segment(item))
        segments, repeats = expand_items(items)
        plan = SessionPlan(
            id=session_id or self.session_id or "session",
            name=self.name.strip(),
            segments=segments,
            description=self.description.strip(),
            tags=_tags(self.tags),
            repeats=repeats,
        )
        return validate_session(plan, "the session")

    def _plan_segment(self, draft: SegmentDraft) -> Segment:
        duration = check_duration(_duration_value(draft.duration))
        speed = _number(draft.speed)
        return Segment(
            kind=SegmentKind(draft.kind),
            duration_s=duration,
            label=draft.label.strip(),
            effort=int(draft.effort) if draft.effort.strip() else None,
            speed_kmh=None if speed is None else _to_kmh(speed, self.units),
            incline_pct=_number(draft.incline),
            notes=tuple(
                sorted(
                    (
                        SpokenNote(check_note_offset(_duration_value(n.at), duration), n.text.strip())
                        for n in draft.notes
                    ),
                    key=lambda n: n.at_s,
                )
            ),
        )


def draft_from_plan(plan: SessionPlan, units: SpeedUnit = SpeedUnit.KMH) -> SessionDraft:
    """The editor's form for a saved session (a built-in one included: saving it makes an own copy)."""
    items: list[ItemDraft] = []
    for item in fold_items(plan):
        if isinstance(item, Repeat):
            items.append(RepeatDraft(str(item.times), tuple(_segment_draft(s, units) for s in item.segments)))
        else:
            items.append(_segment_draft(item, units))
    return SessionDraft(
        session_id="" if plan.builtin else plan.id,
        name=plan.name,
        description=plan.description,
        tags=", ".join(plan.tags),
        items=tuple(items),
        units=units,
    )


# ------------------------------------------------------------------------------------------------- checking


class _Checker:
    def __init__(self, draft: SessionDraft) -> None:
        self.draft = draft
        self.found: list[Problem] = []

    def check(self, path: Path, name: str, fn: object, *args: object, note: int | None = None, **kw: object) -> None:
        try:
            fn(*args, **kw)  # type: ignore[operator]
        except FieldProblem as problem:
            self.found.append(Problem(path, name, str(problem), note))

    def run(self) -> list[Problem]:
        draft = self.draft
        name = draft.name.strip()
        if not name:
            self.found.append(Problem((), "name", "name must not be empty"))
        self.check((), "name", check_text, name, "name", MAX_NAME_CHARS, single_line=True)
        self.check(
            (), "description", check_text, draft.description, "description", MAX_DESCRIPTION_CHARS, single_line=False
        )
        for i, tag in enumerate(t.strip() for t in draft.tags.split(",") if t.strip()):
            self.check((), "tags", check_slug, tag, f"tag {i + 1}")
        if not draft.items:
            self.found.append(Problem((), "items", "add at least one segment"))
        count = 0
        for index, item in enumerate(draft.items):
            if isinstance(item, RepeatDraft):
                self.check(
                    (index,),
                    "times",
                    check_repeat,
                    _int_or(item.times, 0) if item.times.strip().isdigit() else item.times,
                )
                for inner, segment in enumerate(item.segments):
                    self.segment((index, inner), segment)
                count += _int_or(item.times, 1) * len(item.segments)
            else:
                self.segment((index,), item)
                count += 1
        if count > MAX_SEGMENTS:
            self.found.append(
                Problem((), "items", f"a session can have at most {MAX_SEGMENTS} segments; this has {count}")
            )
        total = draft.total_s()
        if total > MAX_SESSION_S:
            self.found.append(
                Problem((), "items", f"the whole session must be at most 6 hours; this is {clock_text(total)}")
            )
        return self.found

    def segment(self, path: Path, segment: SegmentDraft) -> None:
        self.check(path, "kind", check_kind, segment.kind)
        self.check(path, "duration", check_duration, _duration_value(segment.duration))
        self.check(path, "label", check_text, segment.label, "label", MAX_LABEL_CHARS, single_line=True)
        if segment.effort.strip():
            value = _int_or(segment.effort, None) if segment.effort.strip().lstrip("-").isdigit() else segment.effort
            self.check(path, "effort", check_effort, value)
        if segment.speed.strip():
            speed = _number_or_text(segment.speed)
            kmh = _to_kmh(speed, self.draft.units) if isinstance(speed, float) else speed
            self.check(path, "speed", _check_speed_in, kmh, self.draft.units)
        if segment.incline.strip():
            self.check(path, "incline", check_incline, _number_or_text(segment.incline), "incline")
        length = _seconds_or_zero(segment.duration)
        for number, note in enumerate(segment.notes):
            if length:
                self.check(path, "note_at", check_note_offset, _duration_value(note.at), length, "at", note=number)
            self.check(path, "note_text", check_note_text, note.text, note=number)


def _check_speed_in(value: object, units: SpeedUnit) -> None:
    try:
        check_speed(value, "speed")
    except FieldProblem:
        if units is SpeedUnit.KMH:
            raise
        raise FieldProblem(f"speed must be a number from 0.3 to 18.6 mph, got {value!r}") from None


def _segment_draft(segment: Segment, units: SpeedUnit) -> SegmentDraft:
    return SegmentDraft(
        kind=segment.kind.value,
        duration=clock_text(segment.duration_s)
        if float(segment.duration_s).is_integer()
        else f"{segment.duration_s:g}",
        label=segment.label,
        effort="" if segment.effort is None else str(segment.effort),
        speed="" if segment.speed_kmh is None else f"{speed_in(units, segment.speed_kmh):g}",
        incline="" if segment.incline_pct is None else f"{segment.incline_pct:g}",
        notes=tuple(NoteDraft(clock_text(n.at_s), n.text) for n in segment.notes),
    )


def _where(path: Path) -> str:
    if not path:
        return ""
    return f"segment {'.'.join(str(p + 1) for p in path)}: "


def _tags(text: str) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in (t.strip() for t in text.split(",")):
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _to_kmh(value: float, units: SpeedUnit) -> float:
    return value if units is SpeedUnit.KMH else round(value * KM_PER_MILE, 3)


def _number(text: str) -> float | None:
    value = _number_or_text(text)
    return value if isinstance(value, float) else None


def _number_or_text(text: str) -> float | str:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return text.strip()


def _int_or(text: str, default: _T) -> int | _T:
    try:
        return int(text.strip())
    except ValueError:
        return default


def _duration_value(text: str) -> object:
    """What the runner typed in a time box: "1:30" and "90" are both a minute and a half."""
    clock = parse_clock_text(text)
    return clock if clock is not None else _number_or_text(text)


def _seconds_or_zero(text: str) -> float:
    try:
        return check_duration(_duration_value(text))
    except FieldProblem:
        return 0.0
