"""Trying again after a dropped link, for as long as the device stays lost and the app has not let it go.

A treadmill or strap that drops out (the runner walked off with the laptop, the strap slipped, the treadmill's
radio hiccupped) usually comes back within seconds. The client retries on the device loop, waiting longer after
each failed attempt (2 s, 4 s, 8 s ... at most 30 s) so a device that is gone for good costs next to nothing.
A disconnect the app asks for cancels it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from runcompanion.core.devices import DeviceError

log = logging.getLogger(__name__)

FIRST_RETRY_S = 2.0
MAX_RETRY_S = 30.0


class Reconnector:
    """``first_s`` None: never retry (tests of a plain drop)."""

    def __init__(self, name: str, first_s: float | None = FIRST_RETRY_S) -> None:
        self._name = name
        self._first_s = first_s
        self._task: asyncio.Task[None] | None = None

    def start(self, still_lost: Callable[[], bool], attempt: Callable[[], Awaitable[None]]) -> None:
        """Begin retrying (on the device loop). A retry already under way is left to go on."""
        if self._first_s is None or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.get_running_loop().create_task(self._run(still_lost, attempt))

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, still_lost: Callable[[], bool], attempt: Callable[[], Awaitable[None]]) -> None:
        assert self._first_s is not None
        delay = self._first_s
        tries = 0
        while still_lost():
            await asyncio.sleep(delay)
            if not still_lost():
                return
            tries += 1
            try:
                await attempt()
            except DeviceError as error:
                log.info("%s: reconnecting, attempt %d: %s", self._name, tries, error)
                delay = min(delay * 2, MAX_RETRY_S)
            else:
                log.warning("%s: connected again after %d attempt(s)", self._name, tries)
                return
