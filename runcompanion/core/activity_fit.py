"""A run as a FIT activity file: a treadmill run (``sport=running``, ``sub_sport=treadmill``), one lap per segment.

Written with ``fit-tool`` in the order Garmin's activity-file guidance gives: file id, a timer start event,
records, timer stop/start events around every pause, one lap per segment, the session and the activity. Every
record has a time; there is no position (a treadmill goes nowhere), which Strava, Garmin Connect and
intervals.icu accept. Each lap carries its planned target as a workout step (``wkt_step_index`` points at it):
the step's duration is the planned time and its target the segment's speed. FIT has no free-text description
for an activity, so the reflection's note is not in the file (the TCX file carries it). A strap's average and
highest heart rate go on the session, and the run's samples (core/run_samples.py) give each record the heart rate
and the belt's real speed at its moment.

Pure; any thread.
"""

from __future__ import annotations

from fit_tool.data_message import DataMessage
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.common_fields import TimestampField
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import (
    RecordDistanceField,
    RecordHeartRateField,
    RecordMessage,
    RecordSpeedField,
)
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    Activity as ActivityType,
)
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Intensity,
    LapTrigger,
    Manufacturer,
    SessionTrigger,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from runcompanion.core.activity import Activity, SampleIndex, running_spans
from runcompanion.core.session_plan import SegmentKind

RECORD_EVERY_S = 5.0
FIT_EPOCH_S = 631065600
"""1989-12-31 00:00 UTC, where FIT's clock starts, in Unix seconds."""
_INTENSITY = {
    SegmentKind.WARMUP: Intensity.WARMUP,
    SegmentKind.RUN: Intensity.ACTIVE,
    SegmentKind.WALK: Intensity.REST,
    SegmentKind.RECOVER: Intensity.RECOVERY,
    SegmentKind.COOLDOWN: Intensity.COOLDOWN,
    SegmentKind.FREE: Intensity.ACTIVE,
}


def dump_fit_activity(activity: Activity) -> bytes:
    """The run as a FIT activity file. The activity must have at least one lap."""
    if not activity.laps:
        raise ValueError("an activity needs at least one lap")
    start_ms = round(activity.started_at.timestamp() * 1000)

    def at(seconds: float) -> int:
        return start_ms + round(seconds * 1000)

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = activity.run_id
    file_id.time_created = start_ms
    builder.add(file_id)
    builder.add_all(_planned_steps(activity))

    spans = running_spans(activity)
    samples = SampleIndex(activity.samples)
    messages: list[object] = []
    running_s = 0.0  # running time at the span's start: the samples' clock
    for number, span in enumerate(spans):
        if number == 0 or span.start_s > spans[number - 1].end_s:
            messages.append(_timer(EventType.START, at(span.start_s)))
        t = span.start_s
        while True:
            share = (t - span.start_s) / (span.end_s - span.start_s) if span.end_s > span.start_s else 1.0
            sample = samples.at(running_s + t - span.start_s)
            heart = None if sample is None else sample.heart_rate
            record = _TreadmillRecord() if heart is None else _TreadmillHeartRecord()
            record.timestamp = at(t)
            record.distance = span.start_m + (span.end_m - span.start_m) * share
            lap = activity.laps[span.lap]
            record.speed = lap.distance_m / lap.actual_s if lap.actual_s > 0 else 0.0
            if sample is not None and sample.speed_kmh is not None:
                record.speed = sample.speed_kmh / 3.6  # the belt's own speed then, not the lap's mean
            if heart is not None:
                record.heart_rate = heart
            messages.append(record)
            if t >= span.end_s:
                break
            t = min(t + RECORD_EVERY_S, span.end_s)
        running_s += span.end_s - span.start_s
        following = spans[number + 1] if number + 1 < len(spans) else None
        if following is None or following.start_s > span.end_s:
            messages.append(_timer(EventType.STOP_ALL, at(span.end_s)))
    builder.add_all(messages)

    lap_bounds: dict[int, tuple[float, float]] = {}
    for span in spans:
        first, _ = lap_bounds.get(span.lap, (span.start_s, span.end_s))
        lap_bounds[span.lap] = (first, span.end_s)
    laps = []
    for number, lap in enumerate(activity.laps):
        first, last = lap_bounds.get(number, (0.0, 0.0))
        message = LapMessage()
        message.message_index = number
        message.timestamp = at(last)
        message.start_time = at(first)
        message.event = Event.LAP
        message.event_type = EventType.STOP
        message.total_elapsed_time = last - first
        message.total_timer_time = lap.actual_s
        message.total_distance = lap.distance_m
        message.avg_speed = lap.distance_m / lap.actual_s if lap.actual_s > 0 else 0.0
        message.sport = Sport.RUNNING
        message.sub_sport = SubSport.TREADMILL
        message.intensity = _INTENSITY[lap.kind]
        message.lap_trigger = LapTrigger.SESSION_END if number == len(activity.laps) - 1 else LapTrigger.TIME
        message.workout_step_index = number
        laps.append(message)
    builder.add_all(laps)

    end = spans[-1].end_s if spans else activity.elapsed_s
    session = SessionMessage()
    session.message_index = 0
    session.timestamp = at(end)
    session.start_time = start_ms
    session.event = Event.SESSION
    session.event_type = EventType.STOP
    session.sport = Sport.RUNNING
    session.sub_sport = SubSport.TREADMILL
    session.total_elapsed_time = end
    session.total_timer_time = activity.timer_s
    session.total_distance = activity.distance_m
    session.avg_speed = activity.distance_m / activity.timer_s if activity.timer_s > 0 else 0.0
    if activity.avg_heart_rate is not None:
        session.avg_heart_rate = activity.avg_heart_rate
    if activity.max_heart_rate is not None:
        session.max_heart_rate = activity.max_heart_rate
    session.first_lap_index = 0
    session.num_laps = len(activity.laps)
    session.trigger = SessionTrigger.ACTIVITY_END
    builder.add(session)

    summary = ActivityMessage()
    summary.timestamp = at(end)
    summary.total_timer_time = activity.timer_s
    summary.num_sessions = 1
    summary.type = ActivityType.MANUAL
    summary.event = Event.ACTIVITY
    summary.event_type = EventType.STOP
    offset = activity.started_at.utcoffset()
    # local_timestamp is a plain FIT local_date_time (seconds since 1989-12-31), which fit-tool does not convert.
    local_s = at(end) // 1000 + round(offset.total_seconds() if offset else 0) - FIT_EPOCH_S
    summary.local_timestamp = local_s
    builder.add(summary)
    return bytes(builder.build().to_bytes())


class _TreadmillRecord(RecordMessage):  # type: ignore[misc]
    """A record message with only the fields a treadmill run fills (time, distance, speed).

    fit-tool's ``RecordMessage`` builds all of its ninety-odd fields for every record, 1-2 ms each: two thirds
    of the time an hour's run took to write. The same field classes, fewer of them: the bytes are those of a
    ``RecordMessage`` with these fields set, which the official decoder reads in the tests.
    """

    def __init__(self) -> None:
        DataMessage.__init__(
            self,
            name=RecordMessage.NAME,
            global_id=RecordMessage.ID,
            local_id=0,
            definition_message=None,
            developer_fields=None,
            fields=[
                TimestampField(size=0, growable=True),
                RecordDistanceField(size=0, growable=True),
                RecordSpeedField(size=0, growable=True),
            ],
        )


class _TreadmillHeartRecord(RecordMessage):  # type: ignore[misc]
    """A treadmill record with a strap's heart rate too (the same trimmed build as ``_TreadmillRecord``)."""

    def __init__(self) -> None:
        DataMessage.__init__(
            self,
            name=RecordMessage.NAME,
            global_id=RecordMessage.ID,
            local_id=0,
            definition_message=None,
            developer_fields=None,
            fields=[
                TimestampField(size=0, growable=True),
                RecordDistanceField(size=0, growable=True),
                RecordSpeedField(size=0, growable=True),
                RecordHeartRateField(size=0, growable=True),
            ],
        )


def _timer(kind: EventType, timestamp: int) -> EventMessage:
    event = EventMessage()
    event.event = Event.TIMER
    event.event_type = kind
    event.timestamp = timestamp
    return event


def _planned_steps(activity: Activity) -> list[object]:
    workout = WorkoutMessage()
    workout.workout_name = activity.name[:50]
    workout.sport = Sport.RUNNING
    workout.sub_sport = SubSport.TREADMILL
    workout.num_valid_steps = len(activity.laps)
    steps: list[object] = [workout]
    for number, lap in enumerate(activity.laps):
        step = WorkoutStepMessage()
        step.message_index = number
        step.workout_step_name = lap.title[:50]
        step.duration_type = WorkoutStepDuration.TIME
        step.duration_time = lap.planned_s
        step.intensity = _INTENSITY[lap.kind]
        if lap.speed_kmh is None:
            step.target_type = WorkoutStepTarget.OPEN
        else:
            step.target_type = WorkoutStepTarget.SPEED
            step.target_value = 0
            step.custom_target_speed_low = lap.speed_kmh / 3.6 * 0.98
            step.custom_target_speed_high = lap.speed_kmh / 3.6 * 1.02
        steps.append(step)
    return steps
