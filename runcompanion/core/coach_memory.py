"""What this runner has heard: the library cues of each earlier run, so the coach does not repeat itself.

The app stores the cues each run actually said (up to where the runner stopped) with the run; the services
read the last runs back into a :class:`CueMemory`, oldest first. The coach's goal, pinned by tests and
measured in docs/benchmarks.md: over a whole program at the default density, no library cue twice within
:data:`REPEAT_WINDOW_RUNS` consecutive runs, and none more than :data:`MAX_HEARINGS` times in the program.
Pure; any thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

REPEAT_WINDOW_RUNS = 10
"""Within any this many consecutive runs, a library cue is heard at most once."""
MAX_HEARINGS = 2
"""A cue heard this many times is used again only when nothing fresher fits (after a whole program)."""
MEMORY_RUNS = 60
"""How many earlier runs the services read back: enough for any shipped program."""


@dataclass(frozen=True, slots=True)
class CueMemory:
    """The cue ids heard in each earlier run, oldest first (the last entry is the latest run)."""

    runs: tuple[frozenset[str], ...] = ()

    @classmethod
    def of(cls, runs: Iterable[Iterable[str]]) -> CueMemory:
        return cls(tuple(frozenset(run) for run in runs))

    def after(self, heard: Iterable[str]) -> CueMemory:
        """This memory with one more run, which said ``heard``."""
        return CueMemory((*self.runs, frozenset(heard))[-MEMORY_RUNS:])

    def blocked(self) -> frozenset[str]:
        """Cues heard in the last ``REPEAT_WINDOW_RUNS - 1`` runs: saying one now would repeat it in a window."""
        recent = self.runs[-(REPEAT_WINDOW_RUNS - 1) :]
        return frozenset().union(*recent) if recent else frozenset()

    def hearings(self, cue_id: str) -> int:
        return sum(1 for run in self.runs if cue_id in run)

    def runs_since(self, cue_id: str) -> int | None:
        """How many runs ago ``cue_id`` was last heard (1 = the latest run), or ``None`` if never."""
        for back, run in enumerate(reversed(self.runs), start=1):
            if cue_id in run:
                return back
        return None

    def freshness(self, cue_id: str) -> tuple[int, int]:
        """Sort key, smaller is fresher: fewer hearings first, then heard longer ago."""
        since = self.runs_since(cue_id)
        return (self.hearings(cue_id), -(since if since is not None else 10**6))

    @property
    def run_count(self) -> int:
        return len(self.runs)
