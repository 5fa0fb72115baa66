"""Heart Rate Measurement bytes (Heart Rate Service 1.0, 3.1.1) and the plausibility limits."""

from __future__ import annotations

import pytest

from runcompanion.core.device_sanity import (
    DistanceCheck,
    ImplausibleValue,
    check_heart_rate,
    check_incline,
    check_speed,
    plausible_rr,
)
from runcompanion.core.ftms import ProtocolError
from runcompanion.core.heart_rate import HeartRateMeasurement, decode_heart_rate, encode_heart_rate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00 48", HeartRateMeasurement(72)),  # 8-bit value, nothing else
        ("01 8e 00", HeartRateMeasurement(142, wide=True)),  # 16-bit value
        ("06 8e", HeartRateMeasurement(142, sensor_contact=True)),  # contact supported and detected
        ("04 8e", HeartRateMeasurement(142, sensor_contact=False)),  # supported, not detected
        ("08 8e 2c 01", HeartRateMeasurement(142, energy_expended_kj=300)),
        ("10 8e 00 04", HeartRateMeasurement(142, rr_intervals_s=(1.0,))),  # 1024/1024 s
        ("10 3c 00 04 00 02", HeartRateMeasurement(60, rr_intervals_s=(1.0, 0.5))),
        ("19 b4 00 0a 00 00 02 9a 01", HeartRateMeasurement(180, None, 10, (0.5, 0.400390625), wide=True)),
        ("1e 8e 2c 01 a6 01", HeartRateMeasurement(142, True, 300, (0.412109375,))),
    ],
)
def test_both_formats_with_and_without_rr(raw: str, expected: HeartRateMeasurement) -> None:
    assert decode_heart_rate(bytes.fromhex(raw)) == expected
    assert encode_heart_rate(expected) == bytes.fromhex(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",  # nothing
        "00",  # 8-bit value missing
        "01 8e",  # 16-bit value cut short
        "08 8e 2c",  # energy cut short
        "10 8e",  # RR flag, no interval
        "10 8e 00",  # half an interval
        "00 8e 00",  # trailing byte
        "20 8e",  # reserved flag bit
    ],
)
def test_malformed_heart_rate(raw: str) -> None:
    with pytest.raises(ProtocolError):
        decode_heart_rate(bytes.fromhex(raw))


@pytest.mark.parametrize("bpm", [0, 24, 241, 300, 65535])
def test_absurd_heart_rates(bpm: int) -> None:
    with pytest.raises(ImplausibleValue):
        check_heart_rate(bpm)


def test_plausible_heart_rates_pass() -> None:
    assert check_heart_rate(25) == 25
    assert check_heart_rate(199) == 199


@pytest.mark.parametrize("kmh", [-0.1, 40.01, 500.0, 655.35])
def test_absurd_speeds(kmh: float) -> None:
    with pytest.raises(ImplausibleValue):
        check_speed(kmh)


@pytest.mark.parametrize("percent", [-20.0, 50.0, 3276.7])
def test_absurd_inclines(percent: float) -> None:
    with pytest.raises(ImplausibleValue):
        check_incline(percent)


def test_rr_intervals_outside_a_heartbeat_are_left_out() -> None:
    assert plausible_rr((0.1, 0.5, 3.0, 1.0)) == (0.5, 1.0)


def test_distance_counter_that_leaps_or_goes_back_is_refused() -> None:
    check = DistanceCheck()
    assert check.check(100, at=0.0) == 100
    assert check.check(103, at=1.0) == 103
    with pytest.raises(ImplausibleValue, match="went back"):
        check.check(50, at=2.0)
    with pytest.raises(ImplausibleValue, match="leapt"):
        check.check(5000, at=3.0)
    # the glitches left the last good value in place
    assert check.check(112, at=4.0) == 112
