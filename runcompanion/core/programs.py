"""Programs: a list of weeks, each a list of runs, each run a session. Couch to 5K is one.

A program is read from a TOML file (``resources/programs/*.toml``; the format is in ``docs/programs.md``)
and expanded at once into ordinary ``SessionPlan``s, one per run, with stable ids such as ``c25k-w3-r2``
("Couch to 5K · Week 3 · Run 2"). Every expanded session goes through the session validator of
``session_files`` (``session_from_dict``), so a program session obeys exactly the rules of any other session.

The file format in brief::

    id = "c25k"                           # slug; session ids are "<id>-w<week>-r<run>"
    name = "Couch to 5K"
    description = "..."
    tags = ["beginner"]                   # every session of the program gets them
    before = [{ kind = "warmup", duration = "5:00" }]   # put before every run's segments
    after = [{ kind = "cooldown", duration = "5:00" }]  # and after them
    [defaults.run]                        # targets for every "run" segment that leaves them out
    label = "Run"
    effort = 5
    speed_kmh = 8.0
    incline_pct = 1.0
    [[weeks]]
    description = "..."                   # becomes each run's session description
    [[weeks.runs]]
    times = 3                             # this run, three times this week (default 1)
    segments = [{ repeat = 8, segments = [{ kind = "run", duration = "1:00" }, { kind = "walk", duration = "1:30" }] }]

A segment item is either a segment (the fields of a ``[[segments]]`` table in a session file) or a repeat
block ``{ repeat = N, segments = [...] }``; blocks may nest. Inside a block a label may say ``{i}`` (which
repetition, from 1) and ``{n}`` (how many): ``"Run {i} of {n}"``.

Everything here is pure and may be called from any thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from runcompanion.core.errors import UserError
from runcompanion.core.program_files import parse_program_toml
from runcompanion.core.program_model import (
    NAME_SEPARATOR,
    Milestone,
    Program,
    ProgramWeek,
    program_session_id,
    program_session_name,
)
from runcompanion.core.session_plan import SessionPlan

__all__ = [
    "NAME_SEPARATOR",
    "Milestone",
    "Program",
    "ProgramLibrary",
    "ProgramWeek",
    "parse_program_toml",
    "program_session_id",
    "program_session_name",
]


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


_SESSION_ID_RE = re.compile(r"^(?P<program>.+)-w(?P<week>[1-9]\d*)-r(?P<run>[1-9]\d*)$")


class ProgramLibrary:
    """The programs the app offers, and a lookup of every program session by id.

    Immutable after construction; any thread.
    """

    def __init__(self, programs: Iterable[Program]) -> None:
        """Raises ``UserError`` if two programs share an id (or, which follows from it, a session id)."""
        self._programs: dict[str, Program] = {}
        self._sessions: dict[str, SessionPlan] = {}
        for program in programs:
            if program.id in self._programs:
                raise UserError(f"Two programs have the id '{program.id}'; every program needs its own id.")
            self._programs[program.id] = program
            for plan in program.sessions():
                if plan.id in self._sessions:
                    raise UserError(f"Two programs have a session with the id '{plan.id}'.")
                self._sessions[plan.id] = plan

    @classmethod
    def from_files(cls, files: Iterable[tuple[str, bytes]]) -> ProgramLibrary:
        """Read every ``(file name, content)`` pair with ``parse_program_toml``."""
        return cls(parse_program_toml(data, name) for name, data in files)

    def all(self) -> list[Program]:
        """Every program, in the order they were given (for shipped files: by file name)."""
        return list(self._programs.values())

    def find(self, program_id: str) -> Program | None:
        return self._programs.get(program_id)

    def get(self, program_id: str) -> Program:
        """The program with this id; ``UserError`` naming the known ids if there is none."""
        program = self._programs.get(program_id)
        if program is None:
            known = ", ".join(self._programs) or "none"
            raise UserError(f"There is no program called '{_clip(program_id)}'. Programs: {known}.")
        return program

    def session(self, session_id: str) -> SessionPlan | None:
        """The session of a program run (``"c25k-w3-r2"``), or None if no program has it."""
        return self._sessions.get(session_id)

    def sessions(self) -> list[SessionPlan]:
        """Every program session, program by program, week by week."""
        return list(self._sessions.values())

    def locate(self, session_id: str) -> tuple[Program, int, int] | None:
        """The program, week and run of a program session id, or None."""
        if session_id not in self._sessions:
            return None
        m = _SESSION_ID_RE.fullmatch(session_id)
        if m is None:  # pragma: no cover - every id in _sessions is built by program_session_id
            return None
        return self._programs[m["program"]], int(m["week"]), int(m["run"])
