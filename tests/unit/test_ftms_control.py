"""Control Point and Fitness Machine Status bytes (FTMS 1.0, 4.16 and 4.17)."""

from __future__ import annotations

import pytest

from runcompanion.core.ftms import ProtocolError
from runcompanion.core.ftms_control import (
    RESULT_WORDS,
    ControlRequest,
    ControlResponse,
    MachineStatus,
    MachineStatusCode,
    OpCode,
    ResultCode,
    StopOrPause,
    UnsupportedOpCode,
    decode_request,
    decode_response,
    decode_status,
    encode_request,
    encode_response,
    encode_status,
    request_control,
    set_target_inclination,
    set_target_speed,
    start_or_resume,
    stop_or_pause,
)


@pytest.mark.parametrize(
    ("request_", "raw"),
    [
        (request_control(), "00"),
        (ControlRequest(OpCode.RESET), "01"),
        (set_target_speed(10.5), "02 1a 04"),  # 1050 x 0.01 km/h
        (set_target_speed(0.0), "02 00 00"),
        (set_target_inclination(2.0), "03 14 00"),
        (set_target_inclination(-1.5), "03 f1 ff"),  # signed
        (ControlRequest(OpCode.SET_TARGET_RESISTANCE, 5.0), "04 32"),
        (ControlRequest(OpCode.SET_TARGET_POWER, 250), "05 fa 00"),
        (ControlRequest(OpCode.SET_TARGET_HEART_RATE, 150), "06 96"),
        (start_or_resume(), "07"),
        (stop_or_pause(StopOrPause.STOP), "08 01"),
        (stop_or_pause(StopOrPause.PAUSE), "08 02"),
    ],
)
def test_requests_both_ways(request_: ControlRequest, raw: str) -> None:
    assert encode_request(request_) == bytes.fromhex(raw)
    assert decode_request(bytes.fromhex(raw)) == request_


def test_requests_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode_request(set_target_speed(700.0))
    with pytest.raises(ValueError, match="needs a parameter"):
        encode_request(ControlRequest(OpCode.SET_TARGET_SPEED))
    with pytest.raises(ValueError, match="StopOrPause"):
        encode_request(ControlRequest(OpCode.STOP_OR_PAUSE, 3))


@pytest.mark.parametrize("raw", ["", "02 1a", "02 1a 04 00", "07 00", "08 03", "08"])
def test_malformed_requests(raw: str) -> None:
    with pytest.raises(ProtocolError):
        decode_request(bytes.fromhex(raw))


def test_unknown_op_code_is_its_own_error() -> None:
    with pytest.raises(UnsupportedOpCode) as caught:
        decode_request(bytes.fromhex("14 00"))
    assert caught.value.op_code == 0x14


@pytest.mark.parametrize(
    ("raw", "result"),
    [
        ("80 02 01", ResultCode.SUCCESS),
        ("80 02 02", ResultCode.OP_CODE_NOT_SUPPORTED),
        ("80 02 03", ResultCode.INVALID_PARAMETER),
        ("80 02 04", ResultCode.OPERATION_FAILED),
        ("80 02 05", ResultCode.CONTROL_NOT_PERMITTED),
    ],
)
def test_every_result_code(raw: str, result: ResultCode) -> None:
    response = decode_response(bytes.fromhex(raw))
    assert response == ControlResponse(0x02, result)
    assert response.ok is (result is ResultCode.SUCCESS)
    assert encode_response(response) == bytes.fromhex(raw)
    assert RESULT_WORDS[result]


def test_result_codes_cover_the_specification() -> None:
    assert sorted(int(code) for code in ResultCode) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("raw", ["80 02", "81 02 01", "80 02 00", "80 02 06", "80 02 ff", ""])
def test_malformed_or_reserved_responses(raw: str) -> None:
    with pytest.raises(ProtocolError):
        decode_response(bytes.fromhex(raw))


def test_response_parameter_bytes_are_tolerated() -> None:
    assert decode_response(bytes.fromhex("80 13 01 10 00 20 00")).ok


@pytest.mark.parametrize(
    ("status", "raw"),
    [
        (MachineStatus(MachineStatusCode.RESET), "01"),
        (MachineStatus(MachineStatusCode.STOPPED_OR_PAUSED_BY_USER, StopOrPause.PAUSE), "02 02"),
        (MachineStatus(MachineStatusCode.STOPPED_BY_SAFETY_KEY), "03"),
        (MachineStatus(MachineStatusCode.STARTED_OR_RESUMED_BY_USER), "04"),
        (MachineStatus(MachineStatusCode.TARGET_SPEED_CHANGED, 8.5), "05 52 03"),
        (MachineStatus(MachineStatusCode.TARGET_INCLINE_CHANGED, -1.0), "06 f6 ff"),
        (MachineStatus(MachineStatusCode.CONTROL_PERMISSION_LOST), "ff"),
    ],
)
def test_machine_status_both_ways(status: MachineStatus, raw: str) -> None:
    assert encode_status(status) == bytes.fromhex(raw)
    assert decode_status(bytes.fromhex(raw)) == status


@pytest.mark.parametrize("raw", ["", "05 52", "06", "02", "01 00", "0e"])
def test_malformed_status(raw: str) -> None:
    with pytest.raises(ProtocolError):
        decode_status(bytes.fromhex(raw))
