"""The Fitness Machine Service (FTMS 1.0) as bytes: Treadmill Data, features, ranges, control point, machine status.

Written by hand rather than taken from ``pyftms`` (Apache-2.0, the one FTMS library on PyPI): its 0.2.20 release
declares Python >= 3.11 but uses the Python 3.12 ``type`` statement, so it does not even import on the Python this
app supports; it pins ``bleak-retry-connector==3.5.0`` exactly; its client is welded to ``BleakClient``, so it could
not run over bumble's virtual link in tests; and it has no heart-rate service and no plausibility checks. The
subset a treadmill needs is small and fixed by the specification, and pinning it byte for byte in tests
(tests/unit/test_ftms.py) is cheaper than carrying those constraints.

Everything here is pure: bytes in, frozen dataclasses out, and the reverse. Decoders raise ``ProtocolError`` for
anything malformed (short, trailing bytes, reserved flags); they never guess. Values that are well formed but
implausible are judged separately in ``core/device_sanity.py``. All multi-byte fields are little-endian.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntFlag

FTMS_SERVICE_UUID = 0x1826
TREADMILL_DATA_UUID = 0x2ACD
FEATURE_UUID = 0x2ACC
TRAINING_STATUS_UUID = 0x2AD3
SPEED_RANGE_UUID = 0x2AD4
INCLINATION_RANGE_UUID = 0x2AD5
CONTROL_POINT_UUID = 0x2AD9
MACHINE_STATUS_UUID = 0x2ADA


class ProtocolError(ValueError):
    """Bytes that do not follow the specification: the whole notification is dropped."""


class TreadmillDataFlags(IntFlag):
    """Treadmill Data flags (FTMS 1.0, 4.9.1.1). Bit 0 is inverted: clear means Instantaneous Speed is present."""

    MORE_DATA = 1 << 0
    AVERAGE_SPEED = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION_AND_RAMP = 1 << 3
    ELEVATION_GAIN = 1 << 4
    INSTANTANEOUS_PACE = 1 << 5
    AVERAGE_PACE = 1 << 6
    EXPENDED_ENERGY = 1 << 7
    HEART_RATE = 1 << 8
    METABOLIC_EQUIVALENT = 1 << 9
    ELAPSED_TIME = 1 << 10
    REMAINING_TIME = 1 << 11
    FORCE_AND_POWER = 1 << 12


_RESERVED_TREADMILL_FLAGS = 0xE000
_SINT16_NOT_AVAILABLE = 0x7FFF
_UINT16_NOT_AVAILABLE = 0xFFFF
_UINT8_NOT_AVAILABLE = 0xFF


@dataclass(frozen=True)
class TreadmillData:
    """One Treadmill Data notification. ``None`` means the field was absent or marked "not available".

    Units are the app's: km/h, percent, metres, seconds, kcal, bpm; pace is in km per minute as the spec has it.
    """

    speed_kmh: float | None = None
    average_speed_kmh: float | None = None
    total_distance_m: int | None = None
    inclination_percent: float | None = None
    ramp_angle_deg: float | None = None
    elevation_gain_positive_m: float | None = None
    elevation_gain_negative_m: float | None = None
    instantaneous_pace_km_min: float | None = None
    average_pace_km_min: float | None = None
    total_energy_kcal: int | None = None
    energy_per_hour_kcal: int | None = None
    energy_per_minute_kcal: int | None = None
    heart_rate_bpm: int | None = None
    metabolic_equivalent: float | None = None
    elapsed_time_s: int | None = None
    remaining_time_s: int | None = None
    force_on_belt_n: int | None = None
    power_output_w: int | None = None


class _Reader:
    """Reads little-endian fields off a notification and refuses to read past its end."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def take(self, fmt: str) -> int:
        size = struct.calcsize("<" + fmt)
        if self._at + size > len(self._data):
            raise ProtocolError(f"notification ends at byte {len(self._data)}, a field needs {self._at + size}")
        (value,) = struct.unpack_from("<" + fmt, self._data, self._at)
        self._at += size
        return int(value)

    def uint24(self) -> int:
        low = self.take("H")
        return low | (self.take("B") << 16)

    def rest(self) -> int:
        return len(self._data) - self._at

    def done(self) -> None:
        if self._at != len(self._data):
            raise ProtocolError(f"{len(self._data) - self._at} unexpected byte(s) at the end of a notification")


def _scaled(raw: int, scale: float, missing: int | None = None) -> float | None:
    return None if raw == missing else round(raw * scale, 4)


def _plain(raw: int, missing: int) -> int | None:
    return None if raw == missing else raw


def decode_treadmill_data(data: bytes) -> TreadmillData:
    """Decode one Treadmill Data (0x2ACD) value. Raises ``ProtocolError`` if it does not follow its flags."""
    reader = _Reader(bytes(data))
    flags = reader.take("H")
    if flags & _RESERVED_TREADMILL_FLAGS:
        raise ProtocolError(f"reserved Treadmill Data flag bits set: 0x{flags:04X}")
    fields: dict[str, float | int | None] = {}
    if not flags & TreadmillDataFlags.MORE_DATA:
        fields["speed_kmh"] = reader.take("H") / 100
    if flags & TreadmillDataFlags.AVERAGE_SPEED:
        fields["average_speed_kmh"] = reader.take("H") / 100
    if flags & TreadmillDataFlags.TOTAL_DISTANCE:
        fields["total_distance_m"] = reader.uint24()
    if flags & TreadmillDataFlags.INCLINATION_AND_RAMP:
        fields["inclination_percent"] = _scaled(reader.take("h"), 0.1, _SINT16_NOT_AVAILABLE)
        fields["ramp_angle_deg"] = _scaled(reader.take("h"), 0.1, _SINT16_NOT_AVAILABLE)
    if flags & TreadmillDataFlags.ELEVATION_GAIN:
        fields["elevation_gain_positive_m"] = reader.take("H") / 10
        fields["elevation_gain_negative_m"] = reader.take("H") / 10
    if flags & TreadmillDataFlags.INSTANTANEOUS_PACE:
        fields["instantaneous_pace_km_min"] = reader.take("B") / 10
    if flags & TreadmillDataFlags.AVERAGE_PACE:
        fields["average_pace_km_min"] = reader.take("B") / 10
    if flags & TreadmillDataFlags.EXPENDED_ENERGY:
        fields["total_energy_kcal"] = _plain(reader.take("H"), _UINT16_NOT_AVAILABLE)
        fields["energy_per_hour_kcal"] = _plain(reader.take("H"), _UINT16_NOT_AVAILABLE)
        fields["energy_per_minute_kcal"] = _plain(reader.take("B"), _UINT8_NOT_AVAILABLE)
    if flags & TreadmillDataFlags.HEART_RATE:
        fields["heart_rate_bpm"] = reader.take("B")
    if flags & TreadmillDataFlags.METABOLIC_EQUIVALENT:
        fields["metabolic_equivalent"] = reader.take("B") / 10
    if flags & TreadmillDataFlags.ELAPSED_TIME:
        fields["elapsed_time_s"] = reader.take("H")
    if flags & TreadmillDataFlags.REMAINING_TIME:
        fields["remaining_time_s"] = reader.take("H")
    if flags & TreadmillDataFlags.FORCE_AND_POWER:
        fields["force_on_belt_n"] = reader.take("h")
        fields["power_output_w"] = reader.take("h")
    reader.done()
    return TreadmillData(**fields)  # type: ignore[arg-type]


def encode_treadmill_data(value: TreadmillData) -> bytes:
    """Encode Treadmill Data with exactly the fields that are set (the simulator's side of the link).

    A pair that shares a flag (inclination and ramp, the two elevation gains, the three energies, force and power)
    is sent when either half is set; the missing half goes as "not available" (or 0 where the spec has no marker).
    """
    flags = 0
    body = bytearray()

    def put(fmt: str, raw: float) -> None:
        body.extend(struct.pack("<" + fmt, round(raw)))

    if value.speed_kmh is None:
        flags |= TreadmillDataFlags.MORE_DATA
    else:
        put("H", value.speed_kmh * 100)
    if value.average_speed_kmh is not None:
        flags |= TreadmillDataFlags.AVERAGE_SPEED
        put("H", value.average_speed_kmh * 100)
    if value.total_distance_m is not None:
        flags |= TreadmillDataFlags.TOTAL_DISTANCE
        body.extend(struct.pack("<I", value.total_distance_m)[:3])
    if value.inclination_percent is not None or value.ramp_angle_deg is not None:
        flags |= TreadmillDataFlags.INCLINATION_AND_RAMP
        for part in (value.inclination_percent, value.ramp_angle_deg):
            put("h", _SINT16_NOT_AVAILABLE if part is None else part * 10)
    if value.elevation_gain_positive_m is not None or value.elevation_gain_negative_m is not None:
        flags |= TreadmillDataFlags.ELEVATION_GAIN
        put("H", (value.elevation_gain_positive_m or 0) * 10)
        put("H", (value.elevation_gain_negative_m or 0) * 10)
    if value.instantaneous_pace_km_min is not None:
        flags |= TreadmillDataFlags.INSTANTANEOUS_PACE
        put("B", value.instantaneous_pace_km_min * 10)
    if value.average_pace_km_min is not None:
        flags |= TreadmillDataFlags.AVERAGE_PACE
        put("B", value.average_pace_km_min * 10)
    energies = (value.total_energy_kcal, value.energy_per_hour_kcal, value.energy_per_minute_kcal)
    if any(part is not None for part in energies):
        flags |= TreadmillDataFlags.EXPENDED_ENERGY
        put("H", _UINT16_NOT_AVAILABLE if energies[0] is None else energies[0])
        put("H", _UINT16_NOT_AVAILABLE if energies[1] is None else energies[1])
        put("B", _UINT8_NOT_AVAILABLE if energies[2] is None else energies[2])
    if value.heart_rate_bpm is not None:
        flags |= TreadmillDataFlags.HEART_RATE
        put("B", value.heart_rate_bpm)
    if value.metabolic_equivalent is not None:
        flags |= TreadmillDataFlags.METABOLIC_EQUIVALENT
        put("B", value.metabolic_equivalent * 10)
    if value.elapsed_time_s is not None:
        flags |= TreadmillDataFlags.ELAPSED_TIME
        put("H", value.elapsed_time_s)
    if value.remaining_time_s is not None:
        flags |= TreadmillDataFlags.REMAINING_TIME
        put("H", value.remaining_time_s)
    if value.force_on_belt_n is not None or value.power_output_w is not None:
        flags |= TreadmillDataFlags.FORCE_AND_POWER
        put("h", value.force_on_belt_n or 0)
        put("h", value.power_output_w or 0)
    return struct.pack("<H", flags) + bytes(body)


class MachineFeature(IntFlag):
    """Fitness Machine Features field of 0x2ACC (FTMS 1.0, 4.3.1.1)."""

    AVERAGE_SPEED = 1 << 0
    CADENCE = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION = 1 << 3
    ELEVATION_GAIN = 1 << 4
    PACE = 1 << 5
    STEP_COUNT = 1 << 6
    RESISTANCE_LEVEL = 1 << 7
    STRIDE_COUNT = 1 << 8
    EXPENDED_ENERGY = 1 << 9
    HEART_RATE_MEASUREMENT = 1 << 10
    METABOLIC_EQUIVALENT = 1 << 11
    ELAPSED_TIME = 1 << 12
    REMAINING_TIME = 1 << 13
    POWER_MEASUREMENT = 1 << 14
    FORCE_ON_BELT_AND_POWER_OUTPUT = 1 << 15
    USER_DATA_RETENTION = 1 << 16


class TargetSettingFeature(IntFlag):
    """Target Setting Features field of 0x2ACC (FTMS 1.0, 4.3.1.2)."""

    SPEED = 1 << 0
    INCLINATION = 1 << 1
    RESISTANCE = 1 << 2
    POWER = 1 << 3
    HEART_RATE = 1 << 4
    EXPENDED_ENERGY = 1 << 5
    STEP_NUMBER = 1 << 6
    STRIDE_NUMBER = 1 << 7
    DISTANCE = 1 << 8
    TRAINING_TIME = 1 << 9
    TIME_IN_TWO_HR_ZONES = 1 << 10
    TIME_IN_THREE_HR_ZONES = 1 << 11
    TIME_IN_FIVE_HR_ZONES = 1 << 12
    INDOOR_BIKE_SIMULATION = 1 << 13
    WHEEL_CIRCUMFERENCE = 1 << 14
    SPIN_DOWN_CONTROL = 1 << 15
    CADENCE = 1 << 16


@dataclass(frozen=True)
class Features:
    """The Fitness Machine Feature value: what the machine measures and which targets it accepts."""

    machine: MachineFeature
    targets: TargetSettingFeature


def decode_features(data: bytes) -> Features:
    if len(data) != 8:
        raise ProtocolError(f"Fitness Machine Feature is 8 bytes, got {len(data)}")
    machine, targets = struct.unpack("<II", data)
    return Features(MachineFeature(machine), TargetSettingFeature(targets))


def encode_features(value: Features) -> bytes:
    return struct.pack("<II", int(value.machine), int(value.targets))


@dataclass(frozen=True)
class SettingRange:
    """A Supported Speed (km/h) or Inclination (percent) Range: minimum, maximum and smallest step."""

    minimum: float
    maximum: float
    increment: float

    def clamp(self, value: float) -> float:
        return min(self.maximum, max(self.minimum, value))


def decode_speed_range(data: bytes) -> SettingRange:
    if len(data) != 6:
        raise ProtocolError(f"Supported Speed Range is 6 bytes, got {len(data)}")
    low, high, step = struct.unpack("<HHH", data)
    if low > high:
        raise ProtocolError("Supported Speed Range has its minimum above its maximum")
    return SettingRange(low / 100, high / 100, step / 100)


def encode_speed_range(value: SettingRange) -> bytes:
    return struct.pack("<HHH", round(value.minimum * 100), round(value.maximum * 100), round(value.increment * 100))


def decode_inclination_range(data: bytes) -> SettingRange:
    if len(data) != 6:
        raise ProtocolError(f"Supported Inclination Range is 6 bytes, got {len(data)}")
    low, high, step = struct.unpack("<hhH", data)
    if low > high:
        raise ProtocolError("Supported Inclination Range has its minimum above its maximum")
    return SettingRange(low / 10, high / 10, step / 10)


def encode_inclination_range(value: SettingRange) -> bytes:
    return struct.pack("<hhH", round(value.minimum * 10), round(value.maximum * 10), round(value.increment * 10))
