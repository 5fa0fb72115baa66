"""Clocks the timer engine reads. The app passes ``time.monotonic``; tests pass a ``FakeClock``."""

from collections.abc import Callable

Clock = Callable[[], float]
"""A monotonic clock in seconds. Only differences between readings mean anything."""


class FakeClock:
    """A clock that moves only when told to, so timing tests are exact and instant."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock never goes back")
        self._now += seconds
