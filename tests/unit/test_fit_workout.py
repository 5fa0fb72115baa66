"""FIT workouts: what we write decodes with Garmin's official SDK (no errors, the same steps), reads back to the
same session, and bad files are refused in one line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

import pytest
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, WorkoutStepDuration, WorkoutStepTarget
from garmin_fit_sdk import Decoder, Stream

from runcompanion.core.errors import UserError
from runcompanion.core.fit_workout import dump_fit_workout, parse_fit_workout
from runcompanion.core.session_files import parse_session_toml

CREATED = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
OWN = """\
name = "Six by one"

[[segments]]
kind = "warmup"
duration = "5:00"
label = "Brisk walk"
speed_kmh = 6.0
incline_pct = 1.0
effort = 3

[[segments]]
repeat = 6
segments = [
    { kind = "run", duration = "1:00", speed_kmh = 11.0, effort = 8 },
    { kind = "recover", duration = "1:30", speed_kmh = 6.5 },
]

[[segments]]
kind = "walk"
duration = "2:00"

[[segments]]
kind = "free"
duration = "3:00"

[[segments]]
kind = "cooldown"
duration = "5:00"
speed_kmh = 5.5
incline_pct = -1.5
notes = [{ at = 30, text = "Well done." }]
"""


def _official(data: bytes) -> dict[str, list[dict[str, object]]]:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    # The SDK's stubs spell enum values in camelCase ("repeatUntilStepsCmplt"); its decoder returns
    # snake_case ("repeat_until_steps_cmplt"), so the messages are read as plain dictionaries.
    return cast("dict[str, list[dict[str, object]]]", messages)


def test_the_official_sdk_reads_the_same_steps() -> None:
    plan = parse_session_toml(OWN, "own.toml")
    messages = _official(dump_fit_workout(plan, CREATED))
    (file_id,) = messages["file_id_mesgs"]
    assert file_id["type"] == "workout"
    assert file_id["time_created"] == CREATED
    (workout,) = messages["workout_mesgs"]
    assert (workout["wkt_name"], workout["sport"], workout["sub_sport"]) == ("Six by one", "running", "treadmill")
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps) == 7
    expected = [
        ("Brisk walk", 300.0, "warmup", 6.0),
        ("Run", 60.0, "active", 11.0),
        ("Recover", 90.0, "recovery", 6.5),
        None,
        ("Walk", 120.0, "rest", None),
        ("Free", 180.0, "active", None),
        ("Cool-down", 300.0, "cooldown", 5.5),
    ]
    for step, want in zip(steps, expected, strict=True):
        if want is None:
            assert step["duration_type"] == "repeat_until_steps_cmplt"
            assert (step["duration_step"], step["repeat_steps"]) == (1, 6)
            continue
        name, seconds, intensity, speed = want
        assert (step["wkt_step_name"], step["duration_type"], step["duration_time"], step["intensity"]) == (
            name,
            "time",
            seconds,
            intensity,
        )
        if speed is None:
            assert step["target_type"] == "open"
        else:
            assert step["target_type"] == "speed"
            low, high = step["custom_target_speed_low"], step["custom_target_speed_high"]
            assert isinstance(low, float)
            assert isinstance(high, float)
            assert low < speed / 3.6 < high
            assert (low + high) / 2 * 3.6 == pytest.approx(speed, abs=0.01)
    assert steps[0]["notes"] == "Incline 1 %"
    assert steps[6]["notes"] == "Incline -1.5 %"


def test_export_and_import_give_the_same_session_without_effort_and_notes() -> None:
    plan = parse_session_toml(OWN, "own.toml")
    again = parse_fit_workout(dump_fit_workout(plan, CREATED), "own.fit")
    plain = tuple(replace(s, effort=None, notes=()) for s in plan.segments)
    assert again.name == plan.name
    assert again.segments == plain
    assert again.repeats == plan.repeats


def _custom(sport: Sport, duration: WorkoutStepDuration, file_type: FileType = FileType.WORKOUT) -> bytes:
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = file_type
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 7
    file_id.time_created = 1_700_000_000_000
    builder.add(file_id)
    workout = WorkoutMessage()
    workout.workout_name = "Other"
    workout.sport = sport
    workout.num_valid_steps = 1
    builder.add(workout)
    step = WorkoutStepMessage()
    step.message_index = 0
    step.duration_type = duration
    if duration is WorkoutStepDuration.TIME:
        step.duration_time = 60.0
    step.target_type = WorkoutStepTarget.OPEN
    builder.add(step)
    return bytes(builder.build().to_bytes())


def test_a_distance_step_with_a_speed_becomes_time() -> None:
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 7
    file_id.time_created = 1_700_000_000_000
    builder.add(file_id)
    workout = WorkoutMessage()
    workout.workout_name = "Kilometre"
    workout.sport = Sport.RUNNING
    builder.add(workout)
    step = WorkoutStepMessage()
    step.message_index = 0
    step.duration_type = WorkoutStepDuration.DISTANCE
    step.duration_distance = 1000.0
    step.target_type = WorkoutStepTarget.SPEED
    step.target_value = 0
    step.custom_target_speed_low = 3.0
    step.custom_target_speed_high = 3.0 * 1.04 / 0.96  # a band around 12.5 km/h... close enough to check
    builder.add(step)
    plan = parse_fit_workout(bytes(builder.build().to_bytes()), "km.fit")
    (segment,) = plan.segments
    assert segment.speed_kmh == round((3.0 + 3.0 * 1.04 / 0.96) / 2 * 3.6, 1)
    assert segment.duration_s == round(1000 / (segment.speed_kmh / 3.6))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a fit file at all", "x.fit: not a FIT file"),
        (
            _custom(Sport.CYCLING, WorkoutStepDuration.TIME),
            "x.fit: a cycling workout; only running workouts can be imported",
        ),
        (
            _custom(Sport.RUNNING, WorkoutStepDuration.OPEN),
            "x.fit: step 1: a step that lasts by open; RunCompanion needs a time (or a distance and a speed)",
        ),
        (
            _custom(Sport.RUNNING, WorkoutStepDuration.TIME, FileType.ACTIVITY),
            "x.fit: not a FIT workout (file type activity)",
        ),
    ],
)
def test_bad_fit_files_get_one_line(data: bytes, message: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_fit_workout(data, "x.fit")
    assert str(caught.value) == message


def test_a_damaged_file_is_refused() -> None:
    data = bytearray(dump_fit_workout(parse_session_toml(OWN, "own.toml"), CREATED))
    data[20] ^= 0xFF
    with pytest.raises(UserError) as caught:
        parse_fit_workout(bytes(data), "x.fit")
    assert str(caught.value) == "x.fit: the FIT file is damaged (its checksum does not match)"
