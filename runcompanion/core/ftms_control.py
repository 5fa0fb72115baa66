"""The FTMS Control Point (0x2AD9) and Fitness Machine Status (0x2ADA) as bytes.

Written by hand for the reasons given in core/ftms.py. A client writes a request (op code and parameter) and the
machine indicates a response ``0x80, request op code, result code``; the result code is the only word the machine
has for "no". Status notifications tell the client what changed on the machine, including changes the runner made
on the console, which is how the app learns that the runner has taken over (see services/devices/belt_control.py).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

from runcompanion.core.ftms import ProtocolError

RESPONSE_OP_CODE = 0x80


class OpCode(IntEnum):
    """Control Point op codes (FTMS 1.0, 4.16.1, Table 4.15)."""

    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02
    SET_TARGET_INCLINATION = 0x03
    SET_TARGET_RESISTANCE = 0x04
    SET_TARGET_POWER = 0x05
    SET_TARGET_HEART_RATE = 0x06
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08


class StopOrPause(IntEnum):
    """The parameter of ``STOP_OR_PAUSE``."""

    STOP = 0x01
    PAUSE = 0x02


class ResultCode(IntEnum):
    """Control Point result codes (FTMS 1.0, 4.16.2.22, Table 4.24). 0x00 and 0x06-0xFF are reserved."""

    SUCCESS = 0x01
    OP_CODE_NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    OPERATION_FAILED = 0x04
    CONTROL_NOT_PERMITTED = 0x05


RESULT_WORDS = {
    ResultCode.SUCCESS: "done",
    ResultCode.OP_CODE_NOT_SUPPORTED: "the treadmill does not support this command",
    ResultCode.INVALID_PARAMETER: "the treadmill refused the value",
    ResultCode.OPERATION_FAILED: "the treadmill could not do it just now",
    ResultCode.CONTROL_NOT_PERMITTED: "the treadmill does not allow the app to control it",
}


@dataclass(frozen=True)
class ControlRequest:
    """One Control Point write. ``parameter`` is in the app's units (km/h, percent) or a ``StopOrPause``."""

    op_code: OpCode
    parameter: float | None = None


def request_control() -> ControlRequest:
    return ControlRequest(OpCode.REQUEST_CONTROL)


def set_target_speed(kmh: float) -> ControlRequest:
    return ControlRequest(OpCode.SET_TARGET_SPEED, kmh)


def set_target_inclination(percent: float) -> ControlRequest:
    return ControlRequest(OpCode.SET_TARGET_INCLINATION, percent)


def start_or_resume() -> ControlRequest:
    return ControlRequest(OpCode.START_OR_RESUME)


def stop_or_pause(kind: StopOrPause) -> ControlRequest:
    return ControlRequest(OpCode.STOP_OR_PAUSE, int(kind))


def encode_request(request: ControlRequest) -> bytes:
    """The bytes to write to the Control Point. Values outside a field's range raise ``ValueError``."""
    op = request.op_code
    head = bytes([int(op)])
    if op in (OpCode.REQUEST_CONTROL, OpCode.RESET, OpCode.START_OR_RESUME):
        return head
    if request.parameter is None:
        raise ValueError(f"{op.name} needs a parameter")
    try:
        if op is OpCode.SET_TARGET_SPEED:
            return head + struct.pack("<H", round(request.parameter * 100))
        if op is OpCode.SET_TARGET_INCLINATION:
            return head + struct.pack("<h", round(request.parameter * 10))
        if op is OpCode.STOP_OR_PAUSE:
            return head + bytes([int(StopOrPause(int(request.parameter)))])
        if op is OpCode.SET_TARGET_RESISTANCE:
            return head + struct.pack("<B", round(request.parameter * 10))
        if op is OpCode.SET_TARGET_POWER:
            return head + struct.pack("<h", round(request.parameter))
        return head + struct.pack("<B", round(request.parameter))  # SET_TARGET_HEART_RATE
    except struct.error as error:
        raise ValueError(f"{request.parameter} does not fit {op.name}") from error


_PARAMETER_FORMAT = {
    OpCode.SET_TARGET_SPEED: ("<H", 0.01),
    OpCode.SET_TARGET_INCLINATION: ("<h", 0.1),
    OpCode.SET_TARGET_RESISTANCE: ("<B", 0.1),
    OpCode.SET_TARGET_POWER: ("<h", 1.0),
    OpCode.SET_TARGET_HEART_RATE: ("<B", 1.0),
    OpCode.STOP_OR_PAUSE: ("<B", 1.0),
}


def decode_request(data: bytes) -> ControlRequest:
    """Parse a Control Point write (the machine's side). Unknown op codes raise ``UnsupportedOpCode``."""
    if not data:
        raise ProtocolError("an empty Control Point write")
    try:
        op = OpCode(data[0])
    except ValueError:
        raise UnsupportedOpCode(data[0]) from None
    if op not in _PARAMETER_FORMAT:
        if len(data) != 1:
            raise ProtocolError(f"{op.name} takes no parameter")
        return ControlRequest(op)
    fmt, scale = _PARAMETER_FORMAT[op]
    if len(data) != 1 + struct.calcsize(fmt):
        raise ProtocolError(f"{op.name} needs {struct.calcsize(fmt)} parameter byte(s), got {len(data) - 1}")
    (raw,) = struct.unpack_from(fmt, data, 1)
    if op is OpCode.STOP_OR_PAUSE and raw not in (StopOrPause.STOP, StopOrPause.PAUSE):
        raise ProtocolError(f"stop-or-pause parameter 0x{raw:02X} is reserved")
    return ControlRequest(op, round(raw * scale, 4))


class UnsupportedOpCode(ProtocolError):
    def __init__(self, op_code: int) -> None:
        super().__init__(f"Control Point op code 0x{op_code:02X} is not supported")
        self.op_code = op_code


@dataclass(frozen=True)
class ControlResponse:
    """The machine's indication in answer to one request."""

    request_op_code: int
    result: ResultCode

    @property
    def ok(self) -> bool:
        return self.result is ResultCode.SUCCESS


def encode_response(response: ControlResponse) -> bytes:
    return bytes([RESPONSE_OP_CODE, response.request_op_code, int(response.result)])


def decode_response(data: bytes) -> ControlResponse:
    """Parse a Control Point indication. Reserved result codes and anything but a response raise."""
    if len(data) < 3:
        raise ProtocolError(f"a Control Point response is at least 3 bytes, got {len(data)}")
    if data[0] != RESPONSE_OP_CODE:
        raise ProtocolError(f"a Control Point indication starts with 0x80, got 0x{data[0]:02X}")
    try:
        result = ResultCode(data[2])
    except ValueError:
        raise ProtocolError(f"result code 0x{data[2]:02X} is reserved") from None
    # Bytes after the result are a response parameter only some op codes define (spin down); ignored.
    return ControlResponse(data[1], result)


class MachineStatusCode(IntEnum):
    """Fitness Machine Status op codes (FTMS 1.0, 4.17, Table 4.26), the ones a treadmill sends."""

    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_OR_RESUMED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05
    TARGET_INCLINE_CHANGED = 0x06
    CONTROL_PERMISSION_LOST = 0xFF


@dataclass(frozen=True)
class MachineStatus:
    """One status notification; ``value`` is km/h, percent or a ``StopOrPause`` where the code carries one."""

    code: MachineStatusCode
    value: float | None = None


def encode_status(status: MachineStatus) -> bytes:
    head = bytes([int(status.code)])
    if status.code is MachineStatusCode.TARGET_SPEED_CHANGED:
        return head + struct.pack("<H", round((status.value or 0) * 100))
    if status.code is MachineStatusCode.TARGET_INCLINE_CHANGED:
        return head + struct.pack("<h", round((status.value or 0) * 10))
    if status.code is MachineStatusCode.STOPPED_OR_PAUSED_BY_USER:
        return head + bytes([int(status.value or StopOrPause.STOP)])
    return head


def decode_status(data: bytes) -> MachineStatus:
    """Parse a Fitness Machine Status notification. Codes a treadmill never sends raise ``ProtocolError``."""
    if not data:
        raise ProtocolError("an empty Fitness Machine Status")
    try:
        code = MachineStatusCode(data[0])
    except ValueError:
        raise ProtocolError(f"status op code 0x{data[0]:02X} is not one a treadmill sends") from None
    expected = {
        MachineStatusCode.TARGET_SPEED_CHANGED: 3,
        MachineStatusCode.TARGET_INCLINE_CHANGED: 3,
        MachineStatusCode.STOPPED_OR_PAUSED_BY_USER: 2,
    }.get(code, 1)
    if len(data) != expected:
        raise ProtocolError(f"status {code.name} is {expected} byte(s), got {len(data)}")
    if code is MachineStatusCode.TARGET_SPEED_CHANGED:
        return MachineStatus(code, struct.unpack_from("<H", data, 1)[0] / 100)
    if code is MachineStatusCode.TARGET_INCLINE_CHANGED:
        return MachineStatus(code, struct.unpack_from("<h", data, 1)[0] / 10)
    if code is MachineStatusCode.STOPPED_OR_PAUSED_BY_USER:
        return MachineStatus(code, data[1])
    return MachineStatus(code)
