"""Devices: the simulated pair over bumble's virtual link, and the protocol code a real treadmill's bytes go through.

Goals: connecting the simulated treadmill and strap leaves the countdown (5 s by default) room to spare (under 3 s);
a control-point command is answered well within a second (the belt must move when the segment changes: under
100 ms median over the virtual link); a notification reaches the app's listeners in under 50 ms (the screen shows
figures at most a frame or two late); decoding and checking one Treadmill Data value costs under 50 µs, so even a
device that floods a hundred notifications a second takes under 0.5 % of a core.
"""

from __future__ import annotations

import statistics
import threading
import time

from bench.table import Row
from runcompanion.core.device_sanity import check_incline, check_speed
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.ftms import TreadmillData, decode_treadmill_data, encode_treadmill_data
from runcompanion.core.ftms_control import MachineStatus
from runcompanion.services.devices.device_session import SIMULATED, DeviceSession

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
    ]


if __name__ == "__main__":
    from bench.table import render

    print(render(run()))
