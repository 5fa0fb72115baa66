"""Session files: repeat blocks and the runner's spoken notes, in TOML, in the stored form and in the cue timeline."""

from __future__ import annotations

import json

import pytest

from runcompanion.core.cue_library import CueLibrary
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueDensity, CueKind
from runcompanion.core.errors import UserError
from runcompanion.core.session_files import parse_session_toml, session_from_dict, validate_session
from runcompanion.core.session_plan import Repeat, RepeatBlock, SegmentKind, fold_items
from runcompanion.core.session_writer import dump_session_toml, session_to_dict

INTERVALS = """\
name = "Six by one"

[[segments]]
kind = "warmup"
duration = "5:00"
notes = [{ at = "1:00", text = "Let your shoulders drop." }]

[[segments]]
repeat = 6
segments = [
    { kind = "run", duration = "1:00", effort = 8, speed_kmh = 11.0 },
    { kind = "recover", duration = 90, speed_kmh = 6.0 },
]

[[segments]]
kind = "cooldown"
duration = "5:00"
"""


def test_a_repeat_block_expands_for_the_engine_and_folds_back_for_the_writer() -> None:
    plan = parse_session_toml(INTERVALS, "six.toml")
    assert len(plan.segments) == 1 + 12 + 1
    assert [s.kind for s in plan.segments[1:5]] == [SegmentKind.RUN, SegmentKind.RECOVER] * 2
    assert plan.total_s == 300 + 6 * 150 + 300
    assert plan.repeats == (RepeatBlock(first=1, length=2, times=6),)
    items = fold_items(plan)
    assert isinstance(items[1], Repeat)
    assert items[1].times == 6
    assert [s.duration_s for s in items[1].segments] == [60.0, 90.0]


def test_notes_are_kept_on_their_segment_in_order() -> None:
    plan = parse_session_toml(INTERVALS, "six.toml")
    (note,) = plan.segments[0].notes
    assert (note.at_s, note.text) == (60.0, "Let your shoulders drop.")


def test_toml_and_stored_form_round_trip_blocks_and_notes() -> None:
    plan = parse_session_toml(INTERVALS, "six.toml")
    text = dump_session_toml(plan)
    assert "repeat = 6" in text
    assert 'notes = [{ at = "1:00", text = "Let your shoulders drop." }]' in text
    assert parse_session_toml(text, "again.toml") == plan
    stored = json.loads(json.dumps(session_to_dict(plan)))
    assert stored["segments"][1]["repeat"] == 6
    assert session_from_dict(stored, "db") == plan
    assert validate_session(plan, "editor") == plan


def test_an_old_flat_stored_session_still_loads() -> None:
    old = {"id": "a", "name": "A", "description": "", "tags": [], "segments": [{"kind": "run", "duration_s": 60.0}]}
    plan = session_from_dict(old, "db")
    assert plan.repeats == ()
    assert plan.segments[0].notes == ()


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        (
            '[[segments]]\nrepeat = 0\nsegments = [{ kind = "run", duration = 60 }]',
            "bad.toml: segment 1: repeat must be a whole number from 1 to 50, got 0",
        ),
        (
            "[[segments]]\nrepeat = 2\nsegments = []",
            "bad.toml: segment 1: a repeat block needs a list of 1 to 20 segments, got a list",
        ),
        (
            '[[segments]]\nrepeat = 2\nsegments = [{ repeat = 2, segments = [{ kind = "run", duration = 60 }] }]',
            "bad.toml: segment 1.1: repeat blocks cannot be nested in a session",
        ),
        (
            '[[segments]]\nrepeat = 2\nsegments = [{ kind = "run", duration = 0 }]',
            "bad.toml: segment 1.1: duration must be between 1 second and 4 hours, got 0",
        ),
        (
            '[[segments]]\nkind = "run"\nduration = 60\nnotes = [{ at = "1:00", text = "Late" }]',
            'bad.toml: segment 1: note 1: at must be within the segment (0 to under 60 seconds), got "1:00"',
        ),
        (
            '[[segments]]\nkind = "run"\nduration = 60\nnotes = [{ at = 5, text = "  " }]',
            "bad.toml: segment 1: note 1: text must not be empty: say what the coach should speak",
        ),
        (
            '[[segments]]\nkind = "run"\nduration = 60\nnotes = [{ at = 5, says = "x" }]',
            'bad.toml: segment 1: note 1: unknown field "says" (allowed: at, text)',
        ),
        (
            '[[segments]]\nrepeat = 50\nsegments = [{ kind = "run", duration = 300 }, '
            '{ kind = "walk", duration = 300 }]',
            "bad.toml: the whole session must be at most 6 hours, got 8:20:00 (30000 seconds)",
        ),
    ],
)
def test_bad_blocks_and_notes_get_one_line(fragment: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_session_toml(f'name = "Bad"\n\n{fragment}\n', "bad.toml")
    assert str(caught.value) == message


def test_the_runners_note_is_spoken_near_its_moment() -> None:
    plan = parse_session_toml(INTERVALS, "six.toml")
    settings = CueSettings(density=CueDensity.OFF)
    timeline = schedule_cues(plan, CueLibrary([]), settings, seed=1, duration_of=lambda t: 0.06 * len(t))
    notes = [c for c in timeline.cues if c.kind is CueKind.NOTE]
    assert [c.text for c in notes] == ["Let your shoulders drop."]
    assert 55.0 <= notes[0].offset_s <= 65.0
    assert notes[0].segment_index == 0


def test_a_note_at_a_segment_change_moves_clear_of_the_announcement() -> None:
    text = INTERVALS.replace(
        '{ kind = "recover", duration = 90, speed_kmh = 6.0 }',
        '{ kind = "recover", duration = 90, speed_kmh = 6.0, notes = [{ at = 0, text = "Breathe out long." }] }',
    )
    plan = parse_session_toml(text, "six.toml")
    timeline = schedule_cues(plan, CueLibrary([]), CueSettings(density=CueDensity.OFF), 1, lambda t: 0.06 * len(t))
    notes = [c for c in timeline.cues if c.kind is CueKind.NOTE and c.text == "Breathe out long."]
    assert len(notes) == 6  # once in each repetition
    changes = {c.segment_index: c for c in timeline.cues if c.kind is CueKind.CHANGE}
    for note in notes:
        opener = changes[note.segment_index]
        assert note.offset_s >= opener.end_s
        assert note.segment_index % 2 == 0  # the recover segments sit at 2, 4, ... 12
