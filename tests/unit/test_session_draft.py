"""The session editor's model: drafts as typed, one problem per field by the file rules, edits and undo."""

from __future__ import annotations

import pytest

from runcompanion.core.errors import UserError
from runcompanion.core.session_draft import NoteDraft, RepeatDraft, SegmentDraft, SessionDraft, draft_from_plan
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import RepeatBlock, SegmentKind
from runcompanion.core.undo_history import UndoHistory
from runcompanion.core.units import SpeedUnit


def _intervals() -> SessionDraft:
    return SessionDraft(
        name="Six by one",
        tags="intervals",
        items=(
            SegmentDraft(kind="warmup", duration="5:00", notes=(NoteDraft("1:00", "Shoulders down."),)),
            RepeatDraft(
                "6",
                (
                    SegmentDraft(kind="run", duration="1:00", effort="8", speed="11"),
                    SegmentDraft(kind="recover", duration="90", speed="6,5"),
                ),
            ),
            SegmentDraft(kind="cooldown", duration="5:00"),
        ),
    )


def test_a_draft_becomes_the_session_it_shows() -> None:
    draft = _intervals()
    assert draft.problems() == []
    assert draft.total_s() == 300 + 6 * 150 + 300
    plan = draft.to_plan("six")
    assert plan.repeats == (RepeatBlock(1, 2, 6),)
    assert plan.segments[1].speed_kmh == 11.0
    assert plan.segments[2].duration_s == 90.0
    assert plan.segments[2].speed_kmh == 6.5
    assert plan.segments[0].notes[0].at_s == 60.0
    assert plan.tags == ("intervals",)


def test_each_bad_field_gets_its_own_message_next_to_it() -> None:
    draft = _intervals().with_segment((1, 0), duration="1:3", effort="11", speed="fast")
    draft = draft.with_segment((0,), notes=(NoteDraft("6:00", ""),)).with_times(1, "0").with_fields(name=" ")
    found = {(p.path, p.field, p.note): p.message for p in draft.problems()}
    assert found[((), "name", None)] == "name must not be empty"
    assert found[((1,), "times", None)] == "repeat must be a whole number from 1 to 50, got 0"
    assert found[((1, 0), "duration", None)] == 'duration must be "m:ss", "h:mm:ss" or a number of seconds, got "1:3"'
    assert found[((1, 0), "effort", None)] == "effort must be a whole number from 0 to 10 (Borg CR10), got 11"
    assert found[((1, 0), "speed", None)] == 'speed must be a number from 0.5 to 30 km/h, got "fast"'
    assert found[((0,), "note_at", 0)] == "at must be within the segment (0 to under 300 seconds), got 360"
    assert found[((0,), "note_text", 0)] == "text must not be empty: say what the coach should speak"
    with pytest.raises(UserError):
        draft.to_plan("six")


def test_mph_are_turned_into_kmh() -> None:
    draft = SessionDraft(name="Miles", items=(SegmentDraft(speed="6.0"),), units=SpeedUnit.MPH)
    assert draft.to_plan("m").segments[0].speed_kmh == pytest.approx(9.656, abs=0.001)


def test_add_move_remove_and_blocks() -> None:
    draft = SessionDraft(name="Build")
    draft, first = draft.inserted((), SegmentDraft(kind="warmup"))
    draft, block = draft.inserted(first, RepeatDraft())
    draft, inner = draft.inserted((1, 1), SegmentDraft(kind="walk", duration="0:30"))
    assert inner == (1, 2)
    assert len(draft.items[1].segments) == 3  # type: ignore[union-attr]
    draft, moved = draft.moved(inner, -2)
    assert moved == (1, 0)
    assert draft.segment((1, 0)).kind == "walk"
    draft, top = draft.moved(block, -1)
    assert top == (0,)
    assert isinstance(draft.items[0], RepeatDraft)
    unchanged, same = draft.moved((0,), -1)
    assert (unchanged, same) == (draft, (0,))
    draft = draft.removed((0, 0)).removed((0, 0)).removed((0, 0))
    assert [type(i) for i in draft.items] == [SegmentDraft]  # the emptied block went with its last segment


def test_a_built_in_opens_as_a_copy_with_its_structure() -> None:
    plan = parse_session_toml(
        'id = "x"\nname = "X"\n[[segments]]\nrepeat = 3\n'
        'segments = [{ kind = "run", duration = 60, speed_kmh = 8.0 }]\n',
        "x.toml",
        builtin=True,
    )
    draft = draft_from_plan(plan)
    assert draft.session_id == ""  # saving makes a new own session
    assert draft.items == (RepeatDraft("3", (SegmentDraft(kind="run", duration="1:00", speed="8"),)),)
    assert draft.to_plan("x-copy").segments == plan.segments


def test_undo_and_redo() -> None:
    history = UndoHistory(_intervals())
    history.push(history.current.with_fields(name="Renamed"))
    history.push(history.current.removed((2,)))
    assert len(history.current.items) == 2
    assert history.undo().name == "Renamed"
    assert history.undo().name == "Six by one"
    assert not history.can_undo()
    assert history.redo().name == "Renamed"
    history.push(history.current.with_fields(name="Other"))
    assert not history.can_redo()
    assert history.current.segment((1, 0)).kind == SegmentKind.RUN.value
