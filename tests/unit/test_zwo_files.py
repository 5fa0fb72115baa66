"""Zwift run workouts (.zwo): hand-written files from the format's public reference import as the runner expects,
bad and hostile files are refused in one line, and our own export reads back to the same segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.core.errors import UserError
from runcompanion.core.reference_pace import PaceZone, ReferencePace
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import Repeat, SegmentKind, fold_items
from runcompanion.core.zwo_reader import ZwoImport, parse_zwo
from runcompanion.core.zwo_writer import dump_zwo

FIXTURES = Path(__file__).parent.parent / "fixtures" / "zwo"
FIVE_K = ReferencePace.from_setting(300)  # 5:00 per km, 12 km/h


def _read(name: str, reference: ReferencePace = FIVE_K) -> ZwoImport:
    return parse_zwo((FIXTURES / name).read_bytes(), name, reference)


def _speed(share: float, race_km: float) -> float:
    """Riegel: the pace at ``race_km`` from a 5:00/km 5 km, and ``share`` of its speed, to 0.1 km/h."""
    pace: float = 300 * (race_km / 5) ** 0.06
    return round(share * 3600 / pace, 1)


def test_tempo_intervals_warmup_steps_a_repeat_block_and_notes() -> None:
    result = _read("tempo-intervals.zwo")
    plan = result.plan
    assert plan.name == "Tempo 5 x 3 min"
    assert plan.tags == ("tempo", "intervals")
    assert "5 km pace, 5:00 per km" in result.message
    items = fold_items(plan)
    warmup = items[:5]
    assert [s.kind for s in warmup] == [SegmentKind.WARMUP] * 5  # type: ignore[union-attr]
    assert [s.duration_s for s in warmup] == [120.0] * 5  # type: ignore[union-attr]
    assert [s.speed_kmh for s in warmup] == [_speed(x, 10) for x in (0.57, 0.61, 0.65, 0.69, 0.73)]  # type: ignore[union-attr]
    assert [(n.at_s, n.text) for n in warmup[0].notes] == [(0.0, "Easy start, let the legs wake up.")]  # type: ignore[union-attr]
    assert [(n.at_s, n.text) for n in warmup[2].notes] == [(60.0, "Halfway through the warm-up.")]  # type: ignore[union-attr]
    block = items[5]
    assert isinstance(block, Repeat)
    assert block.times == 5
    on, off = block.segments
    assert (on.kind, on.duration_s, on.speed_kmh, on.incline_pct) == (SegmentKind.RUN, 180.0, _speed(1.0, 10), 1.0)
    assert (off.kind, off.duration_s, off.speed_kmh, off.incline_pct) == (
        SegmentKind.RECOVER,
        90.0,
        _speed(0.6, 10),
        0.0,
    )
    cooldown = items[6]
    assert not isinstance(cooldown, Repeat)
    assert (cooldown.kind, cooldown.duration_s, cooldown.speed_kmh) == (SegmentKind.COOLDOWN, 300.0, _speed(0.65, 10))
    assert plan.total_s == 600 + 5 * 270 + 300


def test_hill_strides_off_duration_zero_slopes_and_free_ride() -> None:
    plan = _read("hill-strides.zwo").plan
    items = fold_items(plan)
    jog = items[0]
    assert not isinstance(jog, Repeat)
    assert (jog.kind, jog.speed_kmh, jog.incline_pct) == (SegmentKind.RECOVER, _speed(0.62, 5), 1.0)
    # OffDuration="0": strides back to back; the note only in the first, so the four are written out once each.
    strides = items[1:5]
    assert all(not isinstance(s, Repeat) and s.kind is SegmentKind.RUN for s in strides)
    assert [s.duration_s for s in strides] == [30.0] * 4  # type: ignore[union-attr]
    assert [s.incline_pct for s in strides] == [4.0] * 4  # type: ignore[union-attr]
    assert [len(s.notes) for s in strides] == [1, 0, 0, 0]  # type: ignore[union-attr]
    # The same note in every repetition: it stays a block, the note on its body.
    block = items[5]
    assert isinstance(block, Repeat)
    assert block.times == 3
    on, off = block.segments
    assert [(n.at_s, n.text) for n in on.notes] == [(10.0, "Quick feet.")]
    assert (off.kind, off.speed_kmh, off.incline_pct) == (SegmentKind.WALK, _speed(0.5, 5), 1.0)
    climb = items[6]
    assert not isinstance(climb, Repeat)
    assert (climb.kind, climb.incline_pct, climb.notes[0].at_s) == (SegmentKind.RUN, 5.5, 120.0)
    free = items[7]
    assert not isinstance(free, Repeat)
    assert (free.kind, free.duration_s, free.speed_kmh) == (SegmentKind.FREE, 300.0, None)


def test_distance_blocks_become_time_at_their_speed() -> None:
    plan = _read("track-5x400.zwo").plan
    items = fold_items(plan)
    warmup, block, cooldown = items
    assert not isinstance(warmup, Repeat)
    assert isinstance(block, Repeat)
    assert not isinstance(cooldown, Repeat)
    mile = PaceZone.MILE.distance_km
    warm_speed = _speed(0.6, mile)
    assert warmup.speed_kmh == warm_speed
    assert warmup.duration_s == round(1000 / (warm_speed / 3.6))
    assert warmup.notes[0].at_s == round(500 / (warm_speed / 3.6))
    on, off = block.segments
    assert on.duration_s == round(400 / (_speed(0.95, mile) / 3.6))
    assert off.duration_s == round(200 / (_speed(0.5, mile) / 3.6))
    assert cooldown.duration_s == round(800 / (_speed(0.55, mile) / 3.6))


def test_ramps_race_pace_zones_and_a_workout_level_note() -> None:
    plan = _read("marathon-build.zwo").plan
    marathon, half = PaceZone.MARATHON.distance_km, PaceZone.HALF_MARATHON.distance_km
    ramp = plan.segments[:5]
    assert [s.speed_kmh for s in ramp] == [_speed(x, marathon) for x in (0.82, 0.86, 0.90, 0.94, 0.98)]
    assert [(n.at_s, n.text) for n in ramp[0].notes] == [(30.0, "Settle in. Today is about rhythm.")]
    steady = plan.segments[5]
    assert (steady.duration_s, steady.speed_kmh, steady.notes[0].at_s) == (1200.0, _speed(1.0, half), 600.0)
    assert [s.kind for s in plan.segments[6:]] == [SegmentKind.COOLDOWN] * 5


def test_without_a_pace_of_their_own_the_message_says_which_was_used() -> None:
    result = _read("tempo-intervals.zwo", ReferencePace.from_setting(0))
    assert "5 km pace of 6:00 per km; set yours in Settings" in result.message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-bike.zwo", "bad-bike.zwo: this is a cycling workout (sportType bike); only run workouts can be imported"),
        ("bad-entities.zwo", "bad-entities.zwo: the file declares a DTD or entities, which workout files never need"),
        ("bad-external.zwo", "bad-external.zwo: the file declares a DTD or entities, which workout files never need"),
    ],
)
def test_bike_and_hostile_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        _read(name)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<workout_file><name>x</name>", "x.zwo: line 1, column 28: not well-formed XML"),
        (b"<plan/>", "x.zwo: not a Zwift workout: the top element is <plan>, not <workout_file>"),
        (
            b"<workout_file><workout><SteadyState Duration='60' Power='1'/></workout></workout_file>",
            "x.zwo: this is a cycling workout (no sportType (Zwift reads that as a ride)); only run workouts can be "
            "imported",
        ),
        (
            b"<workout_file><sportType>run</sportType><workout><MaxEffort Duration='20'/></workout></workout_file>",
            "x.zwo: block 1: <MaxEffort> is not a run workout block",
        ),
        (
            b"<workout_file><sportType>run</sportType><workout><SteadyState Duration='ten' Power='1'/></workout>"
            b"</workout_file>",
            "x.zwo: block 1 (SteadyState): Duration must be a number, got 'ten'",
        ),
        (
            b"<workout_file><sportType>run</sportType><workout><SteadyState Duration='60' Power='3'/></workout>"
            b"</workout_file>",
            "x.zwo: segment 1: speed_kmh must be a number from 0.5 to 30 km/h, got 36.0",
        ),
        (
            # A warm-up's Power is the default for PowerLow: it is checked like any number (was a ValueError).
            b"<workout_file><sportType>run</sportType><workout><Warmup Power=''/></workout></workout_file>",
            "x.zwo: block 1 (Warmup): Power must be a number, got ''",
        ),
        (b"<workout_file><sportType>run</sportType><workout/></workout_file>", "x.zwo: the workout has no blocks"),
        (b" " * (1024 * 1024 + 1), "x.zwo: the file is 1024 KiB; a workout file can be at most 1024 KiB"),
    ],
)
def test_bad_files_get_one_line(data: bytes, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_zwo(data, "x.zwo", FIVE_K)
    assert str(caught.value) == message


OWN = """\
name = "Round trip"
description = "Own session, out to Zwift and back."
tags = ["intervals"]

[[segments]]
kind = "warmup"
duration = "5:00"
speed_kmh = 7.0
notes = [{ at = "1:00", text = "Shoulders down." }]

[[segments]]
repeat = 6
segments = [
    { kind = "run", duration = "1:00", speed_kmh = 12.3, incline_pct = 1.0, notes = [{ at = 20, text = "Drive." }] },
    { kind = "recover", duration = "1:30", speed_kmh = 7.5 },
]

[[segments]]
repeat = 3
segments = [{ kind = "run", duration = 30, speed_kmh = 13.1, incline_pct = 4.0 }]

[[segments]]
kind = "walk"
duration = "2:00"
speed_kmh = 5.2

[[segments]]
kind = "free"
duration = "3:00"

[[segments]]
kind = "cooldown"
duration = "5:00"
speed_kmh = 6.5
incline_pct = 0.5
"""


@pytest.mark.parametrize("pace", [240, 300, 347, 420])
def test_own_session_to_zwo_and_back_keeps_the_segments(pace: int) -> None:
    plan = parse_session_toml(OWN, "own.toml")
    reference = ReferencePace.from_setting(pace)
    again = parse_zwo(dump_zwo(plan, reference), "own.zwo", reference).plan
    assert again.name == plan.name
    assert again.description == plan.description
    assert again.tags == plan.tags
    assert again.repeats == plan.repeats
    assert again.segments == plan.segments


def test_the_export_is_what_zwift_reads() -> None:
    plan = parse_session_toml(OWN, "own.toml")
    text = dump_zwo(plan, FIVE_K).decode("utf-8")
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<workout_file>")
    assert "<sportType>run</sportType>" in text
    assert '<IntervalsT Repeat="6" OnDuration="60" OffDuration="90" OnPower="1.0250" OffPower="0.6250" pace="1"' in text
    assert 'OffDuration="0"' in text
    assert '<textevent timeoffset="170" message="Drive." />' in text  # the second repetition's note
    assert '<FreeRide Duration="180" FlatRoad="1" />' in text


def test_intervals_without_a_repeat_count_run_once() -> None:
    data = (
        b"<workout_file><sportType>run</sportType><workout>"
        b'<IntervalsT OnDuration="60" OffDuration="60" OnPower="1.0" OffPower="0.5" pace="1"/>'
        b"</workout></workout_file>"
    )
    plan = parse_zwo(data, "x.zwo", FIVE_K).plan
    assert [s.duration_s for s in plan.segments] == [60.0, 60.0]
    assert plan.repeats[0].times == 1
