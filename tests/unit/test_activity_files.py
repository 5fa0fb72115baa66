"""A run as an activity: laps, pauses and distance; FIT checked by Garmin's official decoder, TCX by an independent
reader (tcxreader) and by lxml for the TrainingCenterDatabase v2 element order."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from garmin_fit_sdk import Decoder, Stream
from lxml import etree
from tcxreader.tcxreader import TCXReader

from runcompanion.core.activity import Activity, build_activity, running_spans
from runcompanion.core.activity_fit import dump_fit_activity
from runcompanion.core.activity_tcx import TCX_NS, dump_tcx_activity
from runcompanion.core.session_files import parse_session_toml

if TYPE_CHECKING:
    from garmin_fit_sdk.mesgs import FitMessages  # only in the SDK's stubs

START = dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
PLAN = parse_session_toml(
    """
name = "Two by two"
[[segments]]
kind = "warmup"
duration = "2:00"
speed_kmh = 6.0
[[segments]]
repeat = 2
segments = [{ kind = "run", duration = "1:00", speed_kmh = 10.8, label = "Go" }, { kind = "walk", duration = 60 }]
[[segments]]
kind = "cooldown"
duration = "1:00"
speed_kmh = 5.4
""",
    "two.toml",
)
LOG = [
    {"index": 0, "kind": "warmup", "planned_s": 120.0, "actual_s": 120.0, "skipped": False},
    {
        "index": 1,
        "kind": "run",
        "planned_s": 60.0,
        "actual_s": 60.0,
        "skipped": False,
        "pauses": [{"at_s": 20, "s": 45}],
    },
    {"index": 2, "kind": "walk", "planned_s": 60.0, "actual_s": 60.0, "skipped": False},
    {"index": 3, "kind": "run", "planned_s": 60.0, "actual_s": 0.2, "skipped": True},
    {"index": 4, "kind": "walk", "planned_s": 60.0, "actual_s": 60.0, "skipped": False},
    {"index": 5, "kind": "cooldown", "planned_s": 60.0, "actual_s": 60.0, "skipped": False},
]


def _activity(**changes: object) -> Activity:
    values: dict[str, object] = {
        "run_id": 7,
        "name": PLAN.name,
        "status": "finished",
        "started_at": START,
        "elapsed_s": 360.0,
        "segment_index": 5,
        "segment_log": LOG,
        "plan": PLAN,
        "note": "Felt light <and> easy & calm.",
    }
    values.update(changes)
    return build_activity(**values)  # type: ignore[arg-type]


def test_laps_follow_the_log_with_targets_and_distance_from_speed() -> None:
    activity = _activity()
    assert [lap.index for lap in activity.laps] == [0, 1, 2, 4, 5]  # the skipped segment was not run
    assert [lap.title for lap in activity.laps] == ["Warm-up", "Go", "Walk", "Walk", "Cool-down"]
    assert activity.laps[0].distance_m == pytest.approx(6.0 / 3.6 * 120)
    assert activity.laps[2].distance_m == 0.0  # no target speed, no distance entered
    assert activity.timer_s == 360.0
    assert activity.elapsed_s == 405.0
    assert activity.laps[1].planned_words == "Planned 1:00 at 10.8 km/h"


def test_an_entered_distance_scales_the_laps() -> None:
    activity = _activity(entered_distance_km=1.0)
    assert activity.distance_m == pytest.approx(1000.0)
    shares = [lap.distance_m for lap in activity.laps]
    assert shares[2] == 0.0
    assert shares[0] / shares[1] == pytest.approx((6.0 * 120) / (10.8 * 60))


def test_an_interrupted_run_without_a_log_is_rebuilt_from_its_checkpoint() -> None:
    activity = _activity(status="interrupted", segment_log=[], segment_index=2, elapsed_s=200.0)
    assert [(lap.index, lap.actual_s) for lap in activity.laps] == [(0, 120.0), (1, 60.0), (2, 20.0)]
    assert activity.timer_s == 200.0


def test_a_pause_splits_the_running_into_spans() -> None:
    spans = running_spans(_activity())
    assert [(s.lap, s.start_s, s.end_s) for s in spans[:3]] == [(0, 0.0, 120.0), (1, 120.0, 140.0), (1, 185.0, 225.0)]


def _fit(data: bytes) -> FitMessages:
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def test_fit_activity_decodes_with_laps_pauses_and_planned_steps() -> None:
    activity = replace(_activity(), avg_heart_rate=141, max_heart_rate=168)
    messages = _fit(dump_fit_activity(activity))
    assert messages["file_id_mesgs"][0]["type"] == "activity"
    (session,) = messages["session_mesgs"]
    assert (session["sport"], session["sub_sport"]) == ("running", "treadmill")
    assert session["total_timer_time"] == pytest.approx(360.0)
    assert session["total_elapsed_time"] == pytest.approx(405.0)
    assert session["num_laps"] == 5
    assert (session["avg_heart_rate"], session["max_heart_rate"]) == (141, 168)
    laps = messages["lap_mesgs"]
    assert [lap["total_timer_time"] for lap in laps] == pytest.approx([120.0, 60.0, 60.0, 60.0, 60.0])
    assert laps[1]["total_elapsed_time"] == pytest.approx(105.0)  # 60 s running and a 45 s pause
    assert [lap["wkt_step_index"] for lap in laps] == [0, 1, 2, 3, 4]
    steps = messages["workout_step_mesgs"]
    assert [(s["wkt_step_name"], s["duration_time"]) for s in steps] == [
        ("Warm-up", 120.0),
        ("Go", 60.0),
        ("Walk", 60.0),
        ("Walk", 60.0),
        ("Cool-down", 60.0),
    ]
    events = [(e["event"], e["event_type"]) for e in messages["event_mesgs"]]
    assert events == [("timer", "start"), ("timer", "stop_all"), ("timer", "start"), ("timer", "stop_all")]
    records = messages["record_mesgs"]
    assert all("timestamp" in r for r in records)
    assert records[0]["timestamp"] == START
    assert records[-1]["timestamp"] == START + dt.timedelta(seconds=405)
    assert not any("position_lat" in r for r in records)
    (summary,) = messages["activity_mesgs"]
    assert summary["num_sessions"] == 1


def test_tcx_reads_with_an_independent_reader(tmp_path: Path) -> None:
    activity = _activity(entered_distance_km=1.2)
    path = tmp_path / "run.tcx"
    path.write_bytes(dump_tcx_activity(activity))
    exercise = TCXReader().read(str(path), only_gps=False)
    assert exercise.activity_type == "Running"
    assert len(exercise.laps) == 5
    assert exercise.distance == pytest.approx(1200.0, abs=0.1)
    assert exercise.start_time == START.astimezone(dt.UTC).replace(tzinfo=None)
    assert all(tp.time is not None for tp in exercise.trackpoints)


# TrainingCenterDatabase v2, ActivityLap_t and Activity_t: the children in the order the schema requires.
_LAP_ORDER = [
    "TotalTimeSeconds",
    "DistanceMeters",
    "MaximumSpeed",
    "Calories",
    "AverageHeartRateBpm",
    "MaximumHeartRateBpm",
    "Intensity",
    "Cadence",
    "TriggerMethod",
    "Track",
    "Notes",
    "Extensions",
]
_ACTIVITY_ORDER = ["Id", "Lap", "Notes", "Training", "Creator", "Extensions"]


def _in_order(element: etree._Element, order: list[str]) -> bool:
    names = [etree.QName(child).localname for child in element]
    return [order.index(n) for n in names] == sorted(order.index(n) for n in names)


def test_tcx_follows_the_schema_order_and_carries_the_note() -> None:
    root = etree.fromstring(dump_tcx_activity(_activity()))
    ns = {"t": TCX_NS}
    (activity,) = root.findall("t:Activities/t:Activity", ns)
    assert activity.get("Sport") == "Running"
    assert _in_order(activity, _ACTIVITY_ORDER)
    laps = activity.findall("t:Lap", ns)
    assert len(laps) == 5
    for lap in laps:
        assert _in_order(lap, _LAP_ORDER)
        for required in ("TotalTimeSeconds", "DistanceMeters", "Calories", "Intensity", "TriggerMethod"):
            assert lap.find(f"t:{required}", ns) is not None
    assert len(laps[1].findall("t:Track", ns)) == 2  # the pause splits the lap's track
    assert laps[1].findtext("t:Notes", namespaces=ns) == "Go: Planned 1:00 at 10.8 km/h"
    assert activity.findtext("t:Notes", namespaces=ns) == "Felt light <and> easy & calm."
    total = sum(float(lap.findtext("t:TotalTimeSeconds", namespaces=ns) or 0) for lap in laps)
    assert total == pytest.approx(360.0)
