"""Every session the runner can start: the built-in ones shipped in resources/ and their own, stored in SQLite."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from runcompanion.core.errors import UserError
from runcompanion.core.programs import ProgramLibrary
from runcompanion.core.session_files import parse_session_toml, session_from_dict, slugify, validate_session
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.session_writer import dump_session_toml, session_to_dict
from runcompanion.services.safe_files import read_limited, write_private_text
from runcompanion.storage.session_repository import SessionRepository

MAX_SESSION_FILE_BYTES = 256 * 1024


class SessionCatalog:
    """Built-in sessions are read once at construction; own sessions come from the repository on each call.

    Any single thread at a time.
    """

    def __init__(
        self,
        builtin_files: list[tuple[str, bytes]],
        repository: SessionRepository,
        programs: ProgramLibrary | None = None,
    ) -> None:
        self._builtin = [parse_session_toml(data, name, builtin=True) for name, data in builtin_files]
        self._repository = repository
        self._programs = programs

    def builtin(self) -> list[SessionPlan]:
        return list(self._builtin)

    def own(self) -> list[SessionPlan]:
        return [session_from_dict(rec.definition, f"own session {rec.id}") for rec in self._repository.list()]

    def all(self) -> list[SessionPlan]:
        return self.builtin() + self.own()

    def get(self, session_id: str) -> SessionPlan:
        for plan in self._builtin:
            if plan.id == session_id:
                return plan
        if self._programs is not None and (program_plan := self._programs.session(session_id)) is not None:
            return program_plan
        record = self._repository.get(session_id)
        if record is not None:
            return session_from_dict(record.definition, f"own session {record.id}")
        known = ", ".join(p.id for p in self._builtin)
        raise UserError(f"There is no session called '{session_id}'. Built-in sessions: {known}.")

    def import_file(self, path: Path) -> SessionPlan:
        """Add an own session from a TOML file; refused whole (nothing stored) when anything is wrong."""
        data = read_limited(path, MAX_SESSION_FILE_BYTES)
        return self.add_own(parse_session_toml(data, path.name), path.name)

    def is_builtin_id(self, session_id: str) -> bool:
        return any(p.id == session_id for p in self._builtin) or (
            self._programs is not None and self._programs.session(session_id) is not None
        )

    def add_own(self, plan: SessionPlan, source: str) -> SessionPlan:
        """Store a new own session (checked by the file rules); its id must be free."""
        plan = validate_session(replace(plan, builtin=False), source)
        if self.is_builtin_id(plan.id):
            raise UserError(f"{source}: the id '{plan.id}' belongs to a built-in session; choose another id.")
        self._repository.add(plan.id, plan.name, session_to_dict(plan))
        return plan

    def save_own(self, plan: SessionPlan, source: str) -> SessionPlan:
        """Store an own session, replacing the one with its id if there is one (the editor's save)."""
        plan = validate_session(replace(plan, builtin=False), source)
        if self.is_builtin_id(plan.id):
            raise UserError(f"{source}: the id '{plan.id}' belongs to a built-in session; choose another id.")
        if self._repository.get(plan.id) is None:
            self._repository.add(plan.id, plan.name, session_to_dict(plan))
        else:
            self._repository.replace(plan.id, plan.name, session_to_dict(plan))
        return plan

    def delete_own(self, session_id: str) -> SessionPlan:
        """Remove an own session; returns it, so that undo can save it again."""
        plan = self.get(session_id)
        if plan.builtin or self.is_builtin_id(session_id):
            raise UserError(f"'{session_id}' is a built-in session; only your own sessions can be deleted.")
        self._repository.delete(session_id)
        return plan

    def free_id(self, name: str) -> str:
        """An id made from ``name`` that no session has yet: ``tempo``, ``tempo-2``, ``tempo-3`` ..."""
        base = slugify(name)
        taken = {p.id for p in self.all()}
        candidate, number = base, 1
        while candidate in taken or self.is_builtin_id(candidate):
            number += 1
            suffix = f"-{number}"
            candidate = base[: 48 - len(suffix)].rstrip("-") + suffix
        return candidate

    def export_file(self, session_id: str, out: Path) -> None:
        plan = self.get(session_id)
        write_private_text(out, dump_session_toml(plan))
