"""FTMS bytes pinned against the specification (FTMS 1.0, 4.9.1 Treadmill Data and 4.3-4.13)."""

from __future__ import annotations

import itertools

import pytest

from runcompanion.core.ftms import (
    Features,
    MachineFeature,
    ProtocolError,
    SettingRange,
    TargetSettingFeature,
    TreadmillData,
    decode_features,
    decode_inclination_range,
    decode_speed_range,
    decode_treadmill_data,
    encode_features,
    encode_inclination_range,
    encode_speed_range,
    encode_treadmill_data,
)

# One row per flag bit, in field order: the flag's bit, its bytes as the spec lays them out (written by hand,
# little-endian), and the fields they decode to. Bit 0 is the inverted "More Data" bit: its row is the speed field
# that is present when the bit is CLEAR.
FIELD_TABLE: list[tuple[int, str, dict[str, float | int | None]]] = [
    (0, "6c 04", {"speed_kmh": 11.32}),  # 0x046C = 1132 x 0.01 km/h
    (1, "e8 03", {"average_speed_kmh": 10.0}),
    (2, "40 e2 01", {"total_distance_m": 123456}),  # uint24 0x01E240
    (3, "ec ff ff 7f", {"inclination_percent": -2.0, "ramp_angle_deg": None}),  # -20 x 0.1; 0x7FFF not available
    (4, "0f 00 05 00", {"elevation_gain_positive_m": 1.5, "elevation_gain_negative_m": 0.5}),
    (5, "6e", {"instantaneous_pace_km_min": 11.0}),  # uint8 x 0.1 km/min
    (6, "64", {"average_pace_km_min": 10.0}),
    (7, "2c 01 ff ff 0a", {"total_energy_kcal": 300, "energy_per_hour_kcal": None, "energy_per_minute_kcal": 10}),
    (8, "8e", {"heart_rate_bpm": 142}),
    (9, "5a", {"metabolic_equivalent": 9.0}),
    (10, "10 0e", {"elapsed_time_s": 3600}),
    (11, "2c 01", {"remaining_time_s": 300}),
    (12, "f6 ff c8 00", {"force_on_belt_n": -10, "power_output_w": 200}),
]


def _frame(present: tuple[int, ...]) -> tuple[bytes, TreadmillData]:
    flags = 0 if 0 in present else 1
    body = b""
    fields: dict[str, float | int | None] = {}
    for bit, hexes, values in FIELD_TABLE:
        if bit in present:
            if bit:
                flags |= 1 << bit
            body += bytes.fromhex(hexes)
            fields.update(values)
    return flags.to_bytes(2, "little") + body, TreadmillData(**fields)  # type: ignore[arg-type]


ALL_COMBINATIONS = [
    combo for size in range(len(FIELD_TABLE) + 1) for combo in itertools.combinations(range(len(FIELD_TABLE)), size)
]


def test_every_flag_combination_decodes_and_encodes_byte_for_byte() -> None:
    assert len(ALL_COMBINATIONS) == 2**13
    for combo in ALL_COMBINATIONS:
        raw, expected = _frame(combo)
        assert decode_treadmill_data(raw) == expected, (combo, raw.hex(" "))
        assert encode_treadmill_data(expected) == raw, (combo, raw.hex(" "))


def test_a_typical_treadmill_frame() -> None:
    # Flags 0x040C: speed present (bit 0 clear), total distance, inclination, elapsed time.
    raw = bytes.fromhex("0c 04 1a 04 e8 03 00 14 00 00 00 5a 00")
    assert decode_treadmill_data(raw) == TreadmillData(
        speed_kmh=10.5, total_distance_m=1000, inclination_percent=2.0, ramp_angle_deg=0.0, elapsed_time_s=90
    )


def test_more_data_set_means_no_speed() -> None:
    assert decode_treadmill_data(bytes.fromhex("01 00")) == TreadmillData()


@pytest.mark.parametrize(
    "raw",
    [
        "",  # no flags
        "00",  # half a flags field
        "00 00",  # speed promised by bit 0 clear, missing
        "00 00 1a",  # speed cut short
        "05 00 40 e2",  # distance is 3 bytes
        "00 00 1a 04 00",  # a trailing byte
        "01 20",  # reserved bit 13
        "01 80",  # reserved bit 15
    ],
)
def test_malformed_treadmill_data_is_refused(raw: str) -> None:
    with pytest.raises(ProtocolError):
        decode_treadmill_data(bytes.fromhex(raw))


def test_feature_bits() -> None:
    # Speed, distance, inclination, elapsed time measured (bits 0, 2, 3, 12); speed and inclination targets.
    raw = bytes.fromhex("0d 10 00 00 03 00 00 00")
    decoded = decode_features(raw)
    assert decoded == Features(
        MachineFeature.AVERAGE_SPEED
        | MachineFeature.TOTAL_DISTANCE
        | MachineFeature.INCLINATION
        | MachineFeature.ELAPSED_TIME,
        TargetSettingFeature.SPEED | TargetSettingFeature.INCLINATION,
    )
    assert encode_features(decoded) == raw
    assert decode_features(bytes.fromhex("00 00 01 00 00 00 01 00")) == Features(
        MachineFeature.USER_DATA_RETENTION, TargetSettingFeature.CADENCE
    )
    with pytest.raises(ProtocolError):
        decode_features(bytes(7))


def test_speed_range() -> None:
    raw = bytes.fromhex("64 00 c4 09 0a 00")  # 1.00 to 25.00 km/h in 0.10 steps
    assert decode_speed_range(raw) == SettingRange(1.0, 25.0, 0.1)
    assert encode_speed_range(SettingRange(1.0, 25.0, 0.1)) == raw
    with pytest.raises(ProtocolError):
        decode_speed_range(bytes.fromhex("c4 09 64 00 0a 00"))  # minimum above maximum
    with pytest.raises(ProtocolError):
        decode_speed_range(bytes(5))


def test_inclination_range_is_signed() -> None:
    raw = bytes.fromhex("ce ff 96 00 05 00")  # -5.0 % to 15.0 % in 0.5 steps
    assert decode_inclination_range(raw) == SettingRange(-5.0, 15.0, 0.5)
    assert encode_inclination_range(SettingRange(-5.0, 15.0, 0.5)) == raw
    with pytest.raises(ProtocolError):
        decode_inclination_range(bytes(4))


def test_setting_range_clamps() -> None:
    limits = SettingRange(1.0, 16.0, 0.1)
    assert limits.clamp(20.0) == 16.0
    assert limits.clamp(0.0) == 1.0
    assert limits.clamp(8.5) == 8.5
