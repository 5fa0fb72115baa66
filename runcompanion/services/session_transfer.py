"""Sessions in and out as files runners share: RunCompanion's TOML, Zwift run workouts (.zwo) and FIT workouts.

The format is chosen by the file's extension. Imports are refused whole (nothing stored) when anything is wrong,
with one line naming the file and the problem; exports go through the one safe writer (whole or not at all,
never over something that is not a regular file). .zwo files carry intensities relative to a race pace, so
both directions use the runner's reference pace from Settings (``AppSettings.reference_pace_s``) and say which
pace they used.

The FIT and XML libraries load on first use (a quarter of a second of imports the app's start should not pay).

Any single thread at a time (the app calls it from its worker).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from runcompanion.core.reference_pace import ReferencePace
from runcompanion.core.session_files import parse_session_toml
from runcompanion.core.session_plan import SessionPlan
from runcompanion.core.session_rules import MAX_FILE_BYTES
from runcompanion.core.session_writer import dump_session_toml
from runcompanion.services.safe_files import read_limited, write_private_bytes, write_private_text
from runcompanion.services.session_catalog import SessionCatalog
from runcompanion.services.settings_service import SettingsService

SESSION_SUFFIXES = (".toml", ".zwo", ".fit")
"""What the file dialogs offer; the format follows the extension (other names are TOML)."""


@dataclass(frozen=True, slots=True)
class Imported:
    """A session read from a file; ``message`` tells the runner what was read and, for a .zwo, from which pace."""

    plan: SessionPlan
    source_words: str = ""  # "from a Zwift run workout"
    detail: str = ""  # "Speeds come from your 5 km pace, 5:00 per km."

    @property
    def message(self) -> str:
        source = f", {self.source_words}" if self.source_words else ""
        detail = f" {self.detail}" if self.detail else ""
        return f"Imported “{self.plan.name}” as {self.plan.id}{source}.{detail}"


class SessionTransfer:
    def __init__(
        self,
        catalog: SessionCatalog,
        settings: SettingsService,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._catalog = catalog
        self._settings = settings
        self._now = now

    def reference(self) -> ReferencePace:
        return ReferencePace.from_setting(self._settings.load().reference_pace_s)

    def read(self, path: Path, reference: ReferencePace | None = None) -> Imported:
        """The session in a file, checked but not stored (the editor opens it; ``import_file`` adds it)."""
        suffix = _suffix(path)
        if suffix == ".zwo":
            from runcompanion.core.zwo_reader import MAX_ZWO_BYTES, parse_zwo

            result = parse_zwo(read_limited(path, MAX_ZWO_BYTES), path.name, reference or self.reference())
            return Imported(result.plan, "from a Zwift run workout", result.message)
        if suffix == ".fit":
            from runcompanion.core.fit_workout import MAX_FIT_BYTES, parse_fit_workout

            plan = parse_fit_workout(read_limited(path, MAX_FIT_BYTES), path.name)
            return Imported(plan, "from a FIT workout")
        plan = parse_session_toml(read_limited(path, MAX_FILE_BYTES), path.name)
        return Imported(plan)

    def import_file(self, path: Path, reference: ReferencePace | None = None) -> Imported:
        """Add an own session from a file; refused whole (nothing stored) when anything is wrong.

        ``reference`` overrides the runner's pace from Settings for a .zwo file.
        """
        result = self.read(path, reference)
        plan = self._catalog.add_own(result.plan, path.name)
        return replace(result, plan=plan)

    def export_file(self, session_id: str, out: Path, reference: ReferencePace | None = None) -> str:
        """Write a session in the format of ``out``'s extension; returns what to tell the runner."""
        suffix = _suffix(out)
        plan = self._catalog.get(session_id)
        if suffix == ".zwo":
            from runcompanion.core.zwo_writer import dump_zwo

            reference = reference or self.reference()
            write_private_bytes(out, dump_zwo(plan, reference))
            return f"Wrote {out} (a Zwift run workout; {reference.describe()})."
        if suffix == ".fit":
            from runcompanion.core.fit_workout import dump_fit_workout

            write_private_bytes(out, dump_fit_workout(plan, self._now()))
            return f"Wrote {out} (a FIT workout)."
        write_private_text(out, dump_session_toml(plan))
        return f"Wrote {out}."


def _suffix(path: Path) -> str:
    """.zwo and .fit by their extension; anything else is read and written as TOML, as it always was."""
    suffix = path.suffix.lower()
    return suffix if suffix in (".zwo", ".fit") else ".toml"
