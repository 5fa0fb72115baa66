"""FIT workout files: a session out to a watch or Garmin Connect, and a FIT workout back in as a session.

Written with ``fit-tool`` (a library for encoding FIT) and read with Garmin's official ``garmin-fit-sdk``,
whose decoder also checks the file's integrity (header, CRC). A session becomes a running workout on a
treadmill (``sport=running``, ``sub_sport=treadmill``): one time-based step per segment with a speed target
(a band of 2 % either side of the segment's speed; "open" without one), the segment's label (or kind) as the
step name, its kind as the step's intensity (warm-up, active, recovery, rest for walks, cool-down) and its
incline in the step notes, which FIT has no target for. A repeat block is its steps followed by a "repeat
until steps complete" step. Effort targets and spoken notes have no place in a FIT workout and are left out.

Reading accepts time-based steps, distance-based steps with a speed target (turned into time at that speed)
and repeat steps that do not nest; anything else is refused in one line.

Pure; any thread.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)
from garmin_fit_sdk import Decoder, Stream

from runcompanion.core.errors import UserError
from runcompanion.core.session_files import slugify, validate_session
from runcompanion.core.session_plan import (
    Repeat,
    Segment,
    SegmentKind,
    SessionItem,
    SessionPlan,
    expand_items,
    fold_items,
)

MAX_FIT_BYTES = 1024 * 1024
SPEED_BAND = 0.02
_INTENSITY = {
    SegmentKind.WARMUP: Intensity.WARMUP,
    SegmentKind.RUN: Intensity.ACTIVE,
    SegmentKind.WALK: Intensity.REST,
    SegmentKind.RECOVER: Intensity.RECOVERY,
    SegmentKind.COOLDOWN: Intensity.COOLDOWN,
    SegmentKind.FREE: Intensity.ACTIVE,
}
_KIND_OF_INTENSITY = {
    "warmup": SegmentKind.WARMUP,
    "active": SegmentKind.RUN,
    "rest": SegmentKind.WALK,
    "recovery": SegmentKind.RECOVER,
    "cooldown": SegmentKind.COOLDOWN,
    "interval": SegmentKind.RUN,
}
_KIND_OF_TITLE = {kind.label: kind for kind in SegmentKind}
_INCLINE_RE = re.compile(r"incline\s+(-?\d+(?:\.\d+)?)\s*%", re.IGNORECASE)


def fit_timestamp_ms(when: datetime) -> int:
    """fit-tool takes times as Unix milliseconds."""
    return round(when.timestamp() * 1000)


def dump_fit_workout(plan: SessionPlan, created: datetime) -> bytes:
    """The session as a FIT workout file."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = fit_timestamp_ms(created)
    builder.add(file_id)
    steps: list[WorkoutStepMessage] = []
    for item in fold_items(plan):
        if isinstance(item, Repeat):
            first = len(steps)
            steps.extend(_step(len(steps) + i, seg) for i, seg in enumerate(item.segments))
            repeat = WorkoutStepMessage()
            repeat.message_index = len(steps)
            repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            repeat.duration_step = first
            repeat.target_repeat_steps = item.times
            steps.append(repeat)
        else:
            steps.append(_step(len(steps), item))
    workout = WorkoutMessage()
    workout.workout_name = plan.name[:50]
    workout.sport = Sport.RUNNING
    workout.sub_sport = SubSport.TREADMILL
    workout.num_valid_steps = len(steps)
    builder.add(workout)
    builder.add_all(steps)
    return bytes(builder.build().to_bytes())


def _step(index: int, segment: Segment) -> WorkoutStepMessage:
    step = WorkoutStepMessage()
    step.message_index = index
    step.workout_step_name = (segment.label or segment.kind.label)[:50]
    step.duration_type = WorkoutStepDuration.TIME
    step.duration_time = float(segment.duration_s)
    step.intensity = _INTENSITY[segment.kind]
    if segment.speed_kmh is None:
        step.target_type = WorkoutStepTarget.OPEN
    else:
        speed = segment.speed_kmh / 3.6
        step.target_type = WorkoutStepTarget.SPEED
        step.target_value = 0  # 0: a custom range rather than a speed zone
        step.custom_target_speed_low = speed * (1 - SPEED_BAND)
        step.custom_target_speed_high = speed * (1 + SPEED_BAND)
    if segment.incline_pct is not None:
        step.notes = f"Incline {segment.incline_pct:g} %"
    return step


def decode_fit(data: bytes, source: str) -> dict[str, list[dict[str, Any]]]:
    """All messages of a FIT file by the official SDK, or ``UserError`` if it is not a sound FIT file."""
    if len(data) > MAX_FIT_BYTES:
        raise UserError(f"{source}: the file is {len(data) // 1024} KiB; a workout file can be at most 1024 KiB")
    stream = Stream.from_byte_array(bytearray(data))
    decoder = Decoder(stream)
    if not decoder.is_fit():
        raise UserError(f"{source}: not a FIT file")
    if not decoder.check_integrity():
        raise UserError(f"{source}: the FIT file is damaged (its checksum does not match)")
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        raise UserError(f"{source}: the FIT file could not be read: {' '.join(str(errors[0]).split())[:120]}")
    return {str(key): list(value) for key, value in messages.items() if isinstance(value, list)}


def parse_fit_workout(data: bytes, source: str) -> SessionPlan:
    """Read a FIT running workout as a session; ``UserError`` in one line for anything else."""
    messages = decode_fit(data, source)
    kinds = [m.get("type") for m in messages.get("file_id_mesgs", [])]
    if kinds != ["workout"]:
        raise UserError(f"{source}: not a FIT workout (file type {kinds[0] if kinds else 'missing'})")
    workouts = messages.get("workout_mesgs", [])
    sport = workouts[0].get("sport") if workouts else None
    if sport not in ("running", None):
        raise UserError(f"{source}: a {sport} workout; only running workouts can be imported")
    steps = messages.get("workout_step_mesgs", [])
    if not steps:
        raise UserError(f"{source}: the workout has no steps")
    items = _items(steps, source)
    name = " ".join(str(workouts[0].get("wkt_name") or "").split())[:80] if workouts else ""
    name = name or "FIT workout"
    segments, repeats = expand_items(items)
    plan = SessionPlan(id=slugify(name), name=name, segments=segments, repeats=repeats)
    return validate_session(plan, source)


def _items(steps: Sequence[Mapping[str, Any]], source: str) -> list[SessionItem]:
    items: list[SessionItem] = []
    pending: list[tuple[int, Segment]] = []  # steps since the last repeat, with their step index
    for index, step in enumerate(steps):
        where = f"{source}: step {index + 1}"
        if step.get("duration_type") == "repeat_until_steps_cmplt":
            first = step.get("duration_step")
            times = step.get("repeat_steps", step.get("target_value"))
            body = [seg for i, seg in pending if isinstance(first, int) and i >= first]
            if not isinstance(first, int) or not body or not isinstance(times, int) or times < 1:
                raise UserError(f"{where}: a repeat that does not go back to earlier steps of its own")
            before = [seg for i, seg in pending if i < first]
            items.extend(before)
            items.append(Repeat(times, tuple(body)))
            pending = []
            continue
        pending.append((index, _segment(step, where)))
    items.extend(seg for _, seg in pending)
    return items


def _segment(step: Mapping[str, Any], where: str) -> Segment:
    speed = None
    if step.get("target_type") == "speed":
        low, high = step.get("custom_target_speed_low"), step.get("custom_target_speed_high")
        if isinstance(low, int | float) and isinstance(high, int | float) and high > 0:
            speed = round((low + high) / 2 * 3.6, 1)
    duration_type = step.get("duration_type")
    if duration_type == "time":
        seconds = step.get("duration_time")
    elif duration_type == "distance" and speed:
        distance = step.get("duration_distance")
        seconds = distance / (speed / 3.6) if isinstance(distance, int | float) else None
    else:
        said = str(duration_type).replace("_", " ") if duration_type else "no duration"
        raise UserError(f"{where}: a step that lasts by {said}; RunCompanion needs a time (or a distance and a speed)")
    if not isinstance(seconds, int | float):
        raise UserError(f"{where}: the step has no length")
    name = " ".join(str(step.get("wkt_step_name") or "").split())
    kind = _KIND_OF_TITLE.get(name) or _KIND_OF_INTENSITY.get(str(step.get("intensity")), SegmentKind.RUN)
    label = "" if name in _KIND_OF_TITLE else name[:60]
    incline = None
    if match := _INCLINE_RE.search(str(step.get("notes") or "")):
        incline = float(match[1])
    return Segment(kind, float(round(seconds)), label=label, speed_kmh=speed, incline_pct=incline)
