"""The run's figures over time: a sample each 5 s of running, pauses left out, stale readings never reused."""

from __future__ import annotations

from runcompanion.core.clock import FakeClock
from runcompanion.core.devices import DeviceState, HeartRateReading, TreadmillReading
from runcompanion.core.run_samples import RunSample
from runcompanion.services.devices.run_sampler import RunSampler


def _belt(clock: FakeClock, speed: float) -> TreadmillReading:
    return TreadmillReading(clock(), speed, 1.0, None, None)


def test_one_sample_each_five_seconds_of_running_and_none_while_paused() -> None:
    clock = FakeClock()
    sampler = RunSampler(clock, lambda: 42.0)
    sampler.on_treadmill_reading(_belt(clock, 8.0))  # before the run: nothing
    sampler.run()
    for _ in range(11):
        sampler.on_treadmill_reading(_belt(clock, 8.0))
        clock.advance(1.0)
    sampler.pause()
    for _ in range(30):  # paused: readings come, no sample, no running time
        sampler.on_treadmill_reading(_belt(clock, 0.0))
        clock.advance(1.0)
    sampler.run()
    for _ in range(5):
        sampler.on_treadmill_reading(_belt(clock, 9.0))
        clock.advance(1.0)
    taken = sampler.take()
    assert [s.elapsed_s for s in taken] == [0.0, 5.0, 10.0, 15.0]
    assert taken[-1] == RunSample(15.0, 9.0, 1.0, 42.0, None)
    assert sampler.take() == []


def test_a_reading_older_than_five_seconds_or_from_a_lost_device_is_left_out() -> None:
    clock = FakeClock()
    sampler = RunSampler(clock, lambda: None, every_s=5.0)
    sampler.run()
    sampler.on_heart_rate(HeartRateReading(clock(), 120))
    clock.advance(6.0)
    sampler.on_treadmill_reading(_belt(clock, 8.0))  # the strap's last beat is 6 s old
    clock.advance(5.0)
    sampler.on_treadmill_state(DeviceState.LOST, "gone")
    sampler.on_heart_rate(HeartRateReading(clock(), 130))
    assert sampler.take() == [
        RunSample(0.0, heart_rate=120),
        RunSample(6.0, 8.0, 1.0),
        RunSample(11.0, heart_rate=130),
    ]
