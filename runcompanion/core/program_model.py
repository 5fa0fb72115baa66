"""The program model: weeks of runs, each run a complete session, and the milestones a coach names.

Read from TOML by ``core/program_files.py``; looked up through ``core/programs.py``. Pure; any thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runcompanion.core.session_plan import SessionPlan

NAME_SEPARATOR = " \u00b7 "


@dataclass(frozen=True, slots=True)
class Milestone:
    """A run worth naming before it starts and celebrating at its end ("your first twenty minutes")."""

    name: str
    celebration: str = ""


@dataclass(frozen=True, slots=True)
class ProgramWeek:
    """One week of a program: its runs, in the order they are meant to be done (run 1 first)."""

    number: int
    description: str
    runs: tuple[SessionPlan, ...]


@dataclass(frozen=True, slots=True)
class Program:
    """A named list of weeks. Every run is a complete ``SessionPlan`` with a stable id."""

    id: str
    name: str
    description: str
    tags: tuple[str, ...]
    weeks: tuple[ProgramWeek, ...]
    milestones: dict[str, Milestone] = field(default_factory=dict)
    """Named runs, by session id (``"c25k-w5-r3"``)."""

    @property
    def runs_per_week(self) -> tuple[int, ...]:
        """How many runs each week has, week 1 first."""
        return tuple(len(week.runs) for week in self.weeks)

    @property
    def total_runs(self) -> int:
        return sum(self.runs_per_week)

    @property
    def total_s(self) -> float:
        """The planned time of every run together, in seconds."""
        return sum(plan.total_s for plan in self.sessions())

    def sessions(self) -> list[SessionPlan]:
        """Every run's session, week by week."""
        return [plan for week in self.weeks for plan in week.runs]

    def run(self, week: int, run: int) -> SessionPlan:
        """Run ``run`` of week ``week`` (both from 1). IndexError if the program has no such run."""
        if not 1 <= week <= len(self.weeks):
            raise IndexError(f"{self.id} has weeks 1 to {len(self.weeks)}, not {week}")
        runs = self.weeks[week - 1].runs
        if not 1 <= run <= len(runs):
            raise IndexError(f"week {week} of {self.id} has runs 1 to {len(runs)}, not {run}")
        return runs[run - 1]


def program_session_id(program_id: str, week: int, run: int) -> str:
    """``program_session_id("c25k", 3, 2) == "c25k-w3-r2"``."""
    return f"{program_id}-w{week}-r{run}"


def program_session_name(program_name: str, week: int, run: int) -> str:
    """``"Couch to 5K · Week 3 · Run 2"``."""
    return NAME_SEPARATOR.join((program_name, f"Week {week}", f"Run {run}"))
