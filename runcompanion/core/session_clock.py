"""Session time from a monotonic clock: what the timer engine measures a run in.

Session time is ``clock() - started - paused_total + adjustments`` (the adjustments are the jumps made by skip
and back), never a sum of ticks. The formula is kept relative to an anchor (a clock reading and the session
time it stood for) that a jump moves: the same sum, but a jump lands exactly on a segment start. Paused, the
time stands still; once the run has ended it is frozen. Not thread-safe: its engine's thread only.
"""

from __future__ import annotations


class SessionClock:
    """``start_at`` is the session time at the start (``-countdown_s``: the countdown is negative time)."""

    def __init__(self, start_at: float) -> None:
        self._anchor_clock = 0.0
        self._anchor_elapsed = start_at
        self._paused_total = 0.0  # pause time since the anchor
        self._pause_began: float | None = None
        self._frozen: float | None = None  # set once finished or stopped

    @property
    def paused(self) -> bool:
        return self._pause_began is not None

    def start(self, now: float) -> None:
        self._anchor_clock = now

    def elapsed(self, now: float) -> float:
        """Session time at the clock reading ``now``."""
        if self._frozen is not None:
            return self._frozen
        ref = now if self._pause_began is None else self._pause_began
        return self._anchor_elapsed + ((ref - self._anchor_clock) - self._paused_total)

    def reanchor(self, now: float, elapsed: float) -> None:
        """Make ``elapsed`` the session time now; used by jumps so they land exactly on a segment start."""
        self._anchor_clock = now if self._pause_began is None else self._pause_began
        self._anchor_elapsed = elapsed
        self._paused_total = 0.0

    def pause(self, now: float) -> None:
        self._pause_began = now

    def resume(self, now: float) -> float:
        """End the pause; returns how long it lasted."""
        began = now if self._pause_began is None else self._pause_began
        self._paused_total += now - began
        self._pause_began = None
        return now - began

    def freeze(self, elapsed: float) -> None:
        """The run has ended at session time ``elapsed``: time stands still there from now on."""
        self._frozen = elapsed
        self._pause_began = None
