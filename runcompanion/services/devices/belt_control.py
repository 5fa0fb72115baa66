"""Treadmill control during a run: the belt follows each segment's targets, inside the runner's limits, only
while the runner lets it.

The rules, in the order they are checked:
- Nothing moves without consent: ``take_control`` is called only after the runner agreed (the first-use dialog)
  and the machine granted control; a refusal turns control off for the run and says why.
- Limits: every target is capped by the runner's maximum speed and incline and by the machine's own range.
- The runner wins: a change made on the console (a status the app did not cause, or the belt moving away from
  what the app asked) leaves the belt to the runner until the next segment.
- Never left accelerating: speed goes up in steps of at most ``SPEED_STEP_KMH``, the next only once the belt has
  reached the last; if the link drops mid-change the machine is at most one small step from where it was (and a
  safe machine holds its speed when its controller goes). Slowing down is sent in one go.
- A dropped link turns control off and leaves the run going; the notice says so.

Segment and pause calls come from the run's thread; readings and statuses from the device thread; a lock keeps
them apart. ``on_notice`` is called (on either thread) with a sentence for the run screen's banner.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from runcompanion.core.devices import DeviceError, DeviceState, Treadmill, TreadmillReading
from runcompanion.core.ftms_control import RESULT_WORDS, ControlResponse, MachineStatus, MachineStatusCode, ResultCode

log = logging.getLogger(__name__)

SPEED_STEP_KMH = 1.0
INCLINE_STEP_PCT = 2.0
REACHED_KMH = 0.15
REACHED_PCT = 0.3
ECHO_TOLERANCE = 0.05
DRIFT_KMH = 0.5
_CONTROL = "control"


@dataclass(frozen=True)
class BeltLimits:
    """The runner's caps. Nothing the app sends is ever above them."""

    max_speed_kmh: float
    max_incline_percent: float


class BeltControl:
    def __init__(self, treadmill: Treadmill, limits: BeltLimits, on_notice: Callable[[str], None]) -> None:
        self._treadmill = treadmill
        self._limits = limits
        self._notice = on_notice
        self._lock = threading.RLock()
        self._settled = threading.Condition(self._lock)
        self._active = False
        self._paused = False
        self._hands_off = False
        self._final_speed: float | None = None
        self._final_incline: float | None = None
        self._sent_speed: float | None = None
        self._sent_incline: float | None = None
        self._belt_speed: float | None = None
        self._belt_incline: float | None = None
        self._last_gap: float | None = None
        self._in_flight = 0
        self._retake = False  # control was on when the link dropped: ask again at the next segment

    @property
    def active(self) -> bool:
        return self._active

    @property
    def settled(self) -> bool:
        """No command is waiting for the treadmill's answer."""
        return not self._in_flight

    def wait_settled(self, timeout: float) -> bool:
        """Block until no command waits for an answer; for tests and shutdown, never on the GUI thread."""
        with self._settled:
            return self._settled.wait_for(lambda: not self._in_flight, timeout)

    @property
    def hands_off(self) -> bool:
        """True for the rest of a segment after the runner changed the treadmill themselves."""
        return self._hands_off

    # -- from the run ---------------------------------------------------------------------------------------------
    def take_control(self) -> Future[ControlResponse]:
        """Ask the machine for control (after the runner's consent). Never raises; the future says how it went."""
        future = self._treadmill.request_control()
        self._send(future, _CONTROL, None)
        return future

    def segment_started(self, speed_kmh: float | None, incline_percent: float | None) -> None:
        with self._lock:
            retake = self._retake and self._treadmill.state is DeviceState.CONNECTED
            if retake:
                self._retake = False
                self._sent_speed = self._sent_incline = None
            self._hands_off = False
            self._final_speed = None if speed_kmh is None else self._cap_speed(speed_kmh)
            self._final_incline = None if incline_percent is None else self._cap_incline(incline_percent)
        if retake:
            self.take_control()  # pushes once the machine grants it
        self._push()

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            active = self._active
        if active:
            self._send(self._treadmill.pause(), None, None)

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            active = self._active
            self._sent_speed = None  # the belt stopped; climb back from standstill in steps
        if active:
            self._send(self._treadmill.start(), None, None)

    def stop(self) -> None:
        with self._lock:
            active, self._active = self._active, False
        if active:
            self._treadmill.stop()

    # -- from the device thread (a TreadmillListener) --------------------------------------------------------------
    def on_treadmill_reading(self, reading: TreadmillReading) -> None:
        with self._lock:
            if reading.speed_kmh is not None:
                self._belt_speed = reading.speed_kmh
            if reading.incline_percent is not None:
                self._belt_incline = reading.incline_percent
            if self._active and not self._paused and not self._hands_off and self._runner_moved_belt():
                self._runner_took_over("You changed the belt yourself, so it is yours until the next segment.")
        self._push()

    def on_treadmill_status(self, status: MachineStatus) -> None:
        code = status.code
        with self._lock:
            if not self._active:
                return
            if code is MachineStatusCode.TARGET_SPEED_CHANGED and not _echo(status.value, self._sent_speed):
                self._runner_took_over("You changed the speed yourself, so the belt is yours until the next segment.")
            elif code is MachineStatusCode.TARGET_INCLINE_CHANGED and not _echo(status.value, self._sent_incline):
                self._runner_took_over("You changed the incline yourself, so it is yours until the next segment.")
            elif code in (MachineStatusCode.STOPPED_OR_PAUSED_BY_USER, MachineStatusCode.STOPPED_BY_SAFETY_KEY):
                self._runner_took_over("The treadmill was stopped on its console; the app leaves the belt alone.")
            elif code is MachineStatusCode.CONTROL_PERMISSION_LOST:
                self._active = False
                self._notice("The treadmill took control back; the app is no longer moving the belt.")

    def on_treadmill_state(self, state: DeviceState, detail: str) -> None:
        if state is DeviceState.LOST:
            with self._lock:
                self._retake = self._retake or self._active
            self._lose("Lost the link to the treadmill. The run goes on; use the treadmill's own buttons.")
        elif state is DeviceState.CONNECTED and self._retake:
            # Back, but the belt is the runner's until the next change: no surprise mid-segment.
            self._notice("The treadmill is connected again; the app sets the belt again from the next segment.")

    # -- inside ---------------------------------------------------------------------------------------------------
    def _cap_speed(self, kmh: float) -> float:
        cap = self._limits.max_speed_kmh
        machine = self._treadmill.speed_range
        if machine is not None:
            cap = min(cap, machine.maximum)
            kmh = max(kmh, machine.minimum)
        return min(kmh, cap)

    def _cap_incline(self, percent: float) -> float:
        cap = self._limits.max_incline_percent
        machine = self._treadmill.incline_range
        if machine is not None:
            cap = min(cap, machine.maximum)
            percent = max(percent, machine.minimum)
        return min(percent, cap)

    def _runner_moved_belt(self) -> bool:
        """The belt moved away from what the app asked: only a hand on the console does that."""
        if self._sent_speed is None or self._belt_speed is None or self._in_flight:
            return False
        gap = abs(self._belt_speed - self._sent_speed)
        previous, self._last_gap = self._last_gap, gap
        return previous is not None and gap > previous + DRIFT_KMH

    def _runner_took_over(self, words: str) -> None:
        if not self._hands_off:
            self._hands_off = True
            log.info("belt control: the runner took over for this segment")
            self._notice(words)

    def _lose(self, words: str) -> None:
        with self._lock:
            self._active = False
        log.warning("belt control off: %s", words)
        self._notice(words)

    def _push(self) -> None:
        """Send the next step toward the segment's targets, if one is due and nothing is in flight."""
        with self._lock:
            if not self._active or self._paused or self._hands_off or self._in_flight:
                return
            speed = _next_step(self._final_speed, self._sent_speed, self._belt_speed, SPEED_STEP_KMH, REACHED_KMH)
            incline = _next_step(
                self._final_incline, self._sent_incline, self._belt_incline, INCLINE_STEP_PCT, REACHED_PCT
            )
            if speed is not None:
                self._sent_speed, self._last_gap = speed, None
                self._send(self._treadmill.set_target_speed(speed), "speed", speed)
            elif incline is not None:
                self._sent_incline = incline
                self._send(self._treadmill.set_target_incline(incline), "incline", incline)

    def _send(self, future: Future[ControlResponse], what: str | None, value: float | None) -> None:
        with self._lock:
            self._in_flight += 1

        def done(answer: Future[ControlResponse]) -> None:
            with self._lock:
                self._in_flight -= 1
                try:
                    self._answered(answer, what, value)
                finally:
                    if not self._in_flight:
                        self._settled.notify_all()

        future.add_done_callback(done)

    def _answered(self, answer: Future[ControlResponse], what: str | None, value: float | None) -> None:
        error = answer.exception()
        if error is not None:
            if what == _CONTROL:
                self._lose(f"The treadmill could not be controlled: {error}")
            elif isinstance(error, DeviceError):
                log.warning("belt control: %s", error)
            else:
                log.error("belt control: a command failed unexpectedly", exc_info=error)
            return
        response = answer.result()
        if what == _CONTROL:
            self._active = response.ok
            if response.ok:
                self._push()
            else:
                self._lose(f"The app is not moving the belt: {RESULT_WORDS[response.result]}.")
        elif response.result is ResultCode.CONTROL_NOT_PERMITTED:
            self._lose("The treadmill no longer lets the app move the belt; it is yours.")
        elif not response.ok and what is not None:
            log.warning("belt control: %s %s refused (%s)", what, value, response.result.name)
            self._hands_off = True  # do not retry a refused value every second
        else:
            self._push()


def _next_step(
    final: float | None, sent: float | None, belt: float | None, step: float, reached: float
) -> float | None:
    """The next value to send toward ``final``, or None when nothing needs sending yet."""
    if final is None:
        return None
    if sent is not None and abs(sent - final) < 0.01:
        return None
    here = belt if belt is not None else 0.0
    if final <= here + 0.01 or (sent is not None and final < sent):
        return final  # slowing or lowering: at once
    if sent is not None and sent > here + reached:
        return None  # still climbing to the last step
    base = max(here, sent) if sent is not None else here
    return round(min(final, base + step), 2)


def _echo(value: float | None, sent: float | None) -> bool:
    return value is not None and sent is not None and abs(value - sent) <= ECHO_TOLERANCE
