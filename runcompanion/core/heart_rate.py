"""The Heart Rate Measurement characteristic (0x2A37, Heart Rate Service 1.0) as bytes.

Written by hand, not taken from bumble's ``heart_rate_service`` profile: core/ must not depend on a Bluetooth stack
(the real-device path runs on bleak, not bumble), and the format is five flag bits (3.1.1 of the specification).
Decoding raises ``ProtocolError`` (core/ftms.py) for anything malformed; plausibility is core/device_sanity.py's.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntFlag

from runcompanion.core.ftms import ProtocolError

HEART_RATE_SERVICE_UUID = 0x180D
HEART_RATE_MEASUREMENT_UUID = 0x2A37
RR_UNITS_PER_SECOND = 1024


class HeartRateFlags(IntFlag):
    VALUE_UINT16 = 1 << 0
    SENSOR_CONTACT_DETECTED = 1 << 1
    SENSOR_CONTACT_SUPPORTED = 1 << 2
    ENERGY_EXPENDED = 1 << 3
    RR_INTERVALS = 1 << 4


_RESERVED = 0xE0


@dataclass(frozen=True)
class HeartRateMeasurement:
    """One measurement. ``sensor_contact`` is None when the strap cannot tell; RR intervals are in seconds."""

    bpm: int
    sensor_contact: bool | None = None
    energy_expended_kj: int | None = None
    rr_intervals_s: tuple[float, ...] = field(default_factory=tuple)
    wide: bool = False
    """Sent as a 16-bit value (the strap's choice; kept so encoding is the exact inverse of decoding)."""


def decode_heart_rate(data: bytes) -> HeartRateMeasurement:
    data = bytes(data)
    if not data:
        raise ProtocolError("an empty Heart Rate Measurement")
    flags = data[0]
    if flags & _RESERVED:
        raise ProtocolError(f"reserved Heart Rate Measurement flag bits set: 0x{flags:02X}")
    at = 1
    wide = bool(flags & HeartRateFlags.VALUE_UINT16)
    size = 2 if wide else 1
    if len(data) < at + size:
        raise ProtocolError("Heart Rate Measurement ends before its value")
    bpm = int(struct.unpack_from("<H" if wide else "<B", data, at)[0])
    at += size
    contact: bool | None = None
    if flags & HeartRateFlags.SENSOR_CONTACT_SUPPORTED:
        contact = bool(flags & HeartRateFlags.SENSOR_CONTACT_DETECTED)
    energy: int | None = None
    if flags & HeartRateFlags.ENERGY_EXPENDED:
        if len(data) < at + 2:
            raise ProtocolError("Heart Rate Measurement ends before its energy expended")
        energy = int(struct.unpack_from("<H", data, at)[0])
        at += 2
    intervals: tuple[float, ...] = ()
    if flags & HeartRateFlags.RR_INTERVALS:
        tail = data[at:]
        if not tail or len(tail) % 2:
            raise ProtocolError("RR intervals come in whole 16-bit values, at least one")
        intervals = tuple(raw / RR_UNITS_PER_SECOND for (raw,) in struct.iter_unpack("<H", tail))
        at = len(data)
    if at != len(data):
        raise ProtocolError(f"{len(data) - at} unexpected byte(s) at the end of a Heart Rate Measurement")
    return HeartRateMeasurement(bpm, contact, energy, intervals, wide)


def encode_heart_rate(value: HeartRateMeasurement) -> bytes:
    wide = value.wide or value.bpm > 0xFF
    flags = HeartRateFlags.VALUE_UINT16 if wide else HeartRateFlags(0)
    if value.sensor_contact is not None:
        flags |= HeartRateFlags.SENSOR_CONTACT_SUPPORTED
        if value.sensor_contact:
            flags |= HeartRateFlags.SENSOR_CONTACT_DETECTED
    body = struct.pack("<H" if wide else "<B", value.bpm)
    if value.energy_expended_kj is not None:
        flags |= HeartRateFlags.ENERGY_EXPENDED
        body += struct.pack("<H", value.energy_expended_kj)
    if value.rr_intervals_s:
        flags |= HeartRateFlags.RR_INTERVALS
        body += b"".join(struct.pack("<H", round(rr * RR_UNITS_PER_SECOND)) for rr in value.rr_intervals_s)
    return bytes([int(flags)]) + body
