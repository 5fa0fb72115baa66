"""The simulator's physics, the run figures and the belt's stepping rule, with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from runcompanion.cli.doctor_devices import check_bluetooth
from runcompanion.core.clock import FakeClock
from runcompanion.core.devices import HeartRateReading, TreadmillReading
from runcompanion.core.heart_zones import max_heart_rate, zone_of
from runcompanion.services.devices.belt_control import _next_step
from runcompanion.services.devices.run_metrics import RunMetrics
from runcompanion.services.devices.sim_model import TreadmillModel, steady_heart_rate


def test_distance_is_the_integral_of_the_ramped_speed() -> None:
    clock = FakeClock()
    model = TreadmillModel(clock)
    model.set_target_speed(10.0)  # 10 s ramp at 1 km/h/s: 50 km/h*s, then 20 s at 10 km/h
    clock.advance(30.0)
    model.advance()
    assert model.distance_m == pytest.approx((50 + 200) / 3.6)
    # stepping in small pieces gives the same integral
    stepped_clock = FakeClock()
    stepped = TreadmillModel(stepped_clock)
    stepped.set_target_speed(10.0)
    for _ in range(300):
        stepped_clock.advance(0.1)
        stepped.advance()
    assert stepped.distance_m == pytest.approx(model.distance_m)


def test_heart_rate_lags_behind_effort() -> None:
    clock = FakeClock()
    model = TreadmillModel(clock)
    model.set_target_speed(10.0)
    clock.advance(15.0)
    model.advance()
    early = model.heart_bpm
    clock.advance(300.0)
    model.advance()
    assert early < model.heart_bpm - 20
    assert model.heart_bpm == pytest.approx(steady_heart_rate(10.0, 0.0), abs=1)
    assert steady_heart_rate(10.0, 0.05) > steady_heart_rate(10.0, 0.0) > steady_heart_rate(5.0, 0.0)


def test_the_simulated_runner_follows_a_spoken_target_a_few_seconds_later() -> None:
    clock = FakeClock()
    model = TreadmillModel(clock, seed=3)
    model.hear_targets(8.0, 2.0)
    clock.advance(1.5)
    model.advance()
    assert model.target_speed_kmh == 0.0
    clock.advance(30.0)
    model.advance()
    assert model.target_speed_kmh == pytest.approx(8.0, abs=0.1)
    assert model.speed_kmh == model.target_speed_kmh
    assert model.incline_percent == pytest.approx(2.0, abs=0.5)


def test_hold_stops_a_climb_where_it_is() -> None:
    clock = FakeClock()
    model = TreadmillModel(clock)
    model.set_target_speed(12.0)
    clock.advance(3.0)
    model.hold()
    clock.advance(10.0)
    model.advance()
    assert model.speed_kmh == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("final", "sent", "belt", "expected"),
    [
        (None, None, 5.0, None),  # no target: leave the belt alone
        (10.0, None, 0.0, 1.0),  # from standstill, one step
        (10.0, 1.0, 0.5, None),  # still climbing to the last step
        (10.0, 1.0, 0.95, 2.0),  # reached: the next step
        (10.0, 9.5, 9.5, 10.0),  # the last step is short
        (10.0, 10.0, 7.0, None),  # already sent
        (4.0, 10.0, 10.0, 4.0),  # slowing: at once
        (4.0, None, 8.0, 4.0),
    ],
)
def test_speed_goes_up_in_steps_and_down_at_once(
    final: float | None, sent: float | None, belt: float | None, expected: float | None
) -> None:
    assert _next_step(final, sent, belt, 1.0, 0.15) == expected


def test_figures_from_speed_when_the_treadmill_sends_no_distance() -> None:
    metrics = RunMetrics(max_heart_rate=None)
    metrics.segment_started(0)
    for second in range(11):
        metrics.on_treadmill_reading(TreadmillReading(float(second), 7.2, 1.0, None, None))
    figures = metrics.finish(10.0)
    assert figures.distance_m == pytest.approx(20.0)  # 7.2 km/h = 2 m/s for 10 s
    assert figures.segments[0].speed_kmh == pytest.approx(7.2)
    assert figures.avg_heart_rate is None
    assert figures.zone_s is None


def test_a_counter_that_restarts_after_a_reconnect_is_followed() -> None:
    metrics = RunMetrics(max_heart_rate=None)
    metrics.segment_started(0)
    for at, counter in [(0, 100), (1, 103), (2, 106), (10, 2), (11, 5)]:
        metrics.on_treadmill_reading(TreadmillReading(float(at), 10.0, None, float(counter), None))
    assert metrics.finish(11.0).distance_m == 9.0


def test_heart_figures_are_time_weighted_and_skip_gaps_and_pauses() -> None:
    metrics = RunMetrics(max_heart_rate=200)
    metrics.segment_started(0)
    metrics.on_heart_rate(HeartRateReading(0.0, 100))  # zone 1 (50-60 %)
    metrics.on_heart_rate(HeartRateReading(4.0, 150))  # 4 s at 100; zone 3 (70-80 %)
    metrics.on_heart_rate(HeartRateReading(5.0, 190))  # 1 s at 150; zone 5
    metrics.on_heart_rate(HeartRateReading(60.0, 120))  # a 55 s gap counts nothing; zone 2
    metrics.pause()
    metrics.on_heart_rate(HeartRateReading(62.0, 200))  # paused: not counted
    metrics.resume()
    metrics.on_heart_rate(HeartRateReading(70.0, 120))
    figures = metrics.finish(72.0)  # 2 s at 120
    assert figures.avg_heart_rate == round((4 * 100 + 1 * 150 + 2 * 120) / 7)
    assert figures.max_heart_rate == 190
    assert figures.zone_s == (4.0, 2.0, 1.0, 0.0, 0.0)


def test_maximum_heart_rate_from_setting_or_age() -> None:
    assert max_heart_rate(setting_bpm=191, age=40) == 191
    assert max_heart_rate(age=40) == 180  # Tanaka: 208 - 0.7 x 40
    assert max_heart_rate() is None
    assert max_heart_rate(age=5) is None
    assert zone_of(89, 180) is None
    assert zone_of(90, 180) == 1
    assert zone_of(170, 180) == 5


def test_doctor_says_whether_there_is_an_adapter(tmp_path: Path) -> None:
    assert "no adapter on this computer" in check_bluetooth(tmp_path / "none").detail
    (tmp_path / "bt" / "hci0").mkdir(parents=True)
    check = check_bluetooth(tmp_path / "bt")
    assert check.ok
    assert check.detail.startswith("adapter hci0; the simulated treadmill is available (bumble ")
