"""Devices: the simulated pair over bumble's virtual link, and the protocol code a real treadmill's bytes go through.

Goals: connecting the simulated treadmill and strap leaves the countdown (5 s by default) room to spare (under 3 s);
a control-point command is answered well within a second (the belt must move when the segment changes: under
100 ms median over the virtual link); a notification reaches the app's listeners in under 50 ms (the screen shows
figures at most a frame or two late); decoding and checking one Treadmill Data value costs under 50 µs, so even a
device that floods a hundred notifications a second takes under 0.5 % of a core.

The run's records of the devices: the samples of one checkpoint are written in under 20 ms (the run's writer
thread, never the screen's, so this is about keeping the writer free for the next checkpoint); the coach's drift
rule costs the GUI thread under 50 µs a reading and a step; an hour's samples (720) are read back for the
journal's chart in under 50 ms.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.table import Row
from runcompanion.core.belt_drift import DriftWatch
from runcompanion.core.device_sanity import check_incline, check_speed
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms import TreadmillData, decode_treadmill_data, encode_treadmill_data
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.core.run_samples import RunSample
from runcompanion.core.session_plan import SegmentKind
from runcompanion.services.devices.device_session import SIMULATED, DeviceSession
from runcompanion.storage.database import Database
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.run_sample_repository import RunSampleRepository

COMMANDS = 50
NOTIFICATIONS = 30


class _Arrivals:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.at: list[float] = []

    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        self.at.append(time.perf_counter())
        self.event.set()

    def on_treadmill_status(self, status: MachineStatus) -> None: ...

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None: ...

    def on_heart_rate(self, reading: HeartRateReading) -> None: ...

    def on_heart_rate_state(self, state: DeviceState, detail: str) -> None: ...


def run() -> list[Row]:
    started = time.perf_counter()
    session = DeviceSession(SIMULATED, SIMULATED)
    session.connect().result(30)
    connect_s = time.perf_counter() - started
    treadmill, simulator = session.treadmill, session.simulator
    assert treadmill is not None
    assert simulator is not None
    assert treadmill.request_control().result(5).ok
    round_trips = []
    for i in range(COMMANDS):
        begun = time.perf_counter()
        assert treadmill.set_target_speed(5.0 + (i % 10) / 10).result(5).ok
        round_trips.append((time.perf_counter() - begun) * 1000)
    arrivals = _Arrivals()
    treadmill.add_listener(arrivals)
    latencies = []
    loop = session._loop
    for _ in range(NOTIFICATIONS):
        arrivals.event.clear()
        time.sleep(0.25)  # past the clients' flood guard (5 values a second), so none is thinned
        sent = time.perf_counter()
        loop.submit(simulator.publish()).result(5)
        arrivals.event.wait(5)
        latencies.append((arrivals.at[-1] - sent) * 1000)
    session.close()

    frame = encode_treadmill_data(
        TreadmillData(
            speed_kmh=10.5, total_distance_m=1234, inclination_percent=2.0, ramp_angle_deg=0.0, elapsed_time_s=600
        )
    )
    count = 20_000
    begun = time.perf_counter()
    for _ in range(count):
        value = decode_treadmill_data(frame)
        check_speed(value.speed_kmh or 0.0)
        check_incline(value.inclination_percent or 0.0)
    decode_us = (time.perf_counter() - begun) / count * 1e6

    median_rt = statistics.median(round_trips)
    median_note = statistics.median(latencies)
    return [
        Row("simulated treadmill and strap: start and connect both", f"{connect_s:.2f} s", "< 3 s", connect_s < 3),
        Row(
            f"control point round trip, virtual link ({COMMANDS} commands): median / max",
            f"{median_rt:.1f} / {max(round_trips):.1f} ms",
            "median < 100 ms",
            median_rt < 100,
        ),
        Row(
            f"notification to the app's listener ({NOTIFICATIONS}): median / max",
            f"{median_note:.1f} / {max(latencies):.1f} ms",
            "median < 50 ms",
            median_note < 50,
        ),
        Row("decode and check one Treadmill Data value", f"{decode_us:.1f} µs", "< 50 µs", decode_us < 50),
        *_records(),
    ]


def _records() -> list[Row]:
    """The samples written checkpoint by checkpoint into a real SQLite file, read back, and the drift rule."""
    hour = [RunSample(float(t), 9.5, 1.0, t * 2.6, 140) for t in range(5, 3601, 5)]
    with tempfile.TemporaryDirectory() as folder, Database.open(Path(folder) / "bench.sqlite3") as database:
        run_id = RunRepository(database).start("bench", "Bench", (), 3600.0, 1).id
        samples = RunSampleRepository(database)
        writes = []
        for sample in hour:  # one sample a checkpoint, as the run writes them
            begun = time.perf_counter()
            samples.append(run_id, [sample])
            writes.append((time.perf_counter() - begun) * 1000)
        begun = time.perf_counter()
        assert len(samples.for_run(run_id)) == len(hour)
        read_ms = (time.perf_counter() - begun) * 1000
    watch = DriftWatch()
    watch.segment_started(0.0, SegmentKind.RUN, 8.0, 1.0)
    count = 20_000
    begun = time.perf_counter()
    for step in range(count):
        watch.reading(step * 0.025, 8.6, 1.0)
        watch.due(step * 0.025)
    drift_us = (time.perf_counter() - begun) / count * 1e6
    write_median = statistics.median(writes)
    return [
        Row(
            f"samples of one checkpoint into SQLite ({len(hour)} checkpoints): median / max",
            f"{write_median:.1f} / {max(writes):.1f} ms",
            "median < 20 ms",
            write_median < 20,
        ),
        Row("an hour's samples read back for the chart", f"{read_ms:.1f} ms", "< 50 ms", read_ms < 50),
        Row("the drift rule: one reading and one step", f"{drift_us:.1f} µs", "< 50 µs", drift_us < 50),
    ]


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
