"""After a crash: the runs that were cut off, so the app can offer to finish their reflection.

A run that was in progress when the app was killed (or the power went) is marked ``interrupted`` at the next
start (``RunService.recover_interrupted``), keeping the elapsed time and segment of its last checkpoint. This
service lists those that still have no finished reflection and have not been offered before. Once the offer
has been shown and answered (the runner wrote the reflection, or said "not now"), the GUI calls ``dismiss``;
the runs are not offered again (a draft stays among the journal's drafts). The dismissed ids are kept in the
settings table under ``recovery.dismissed_run_ids``.

No Qt here. Any single thread at a time; each call is a few short transactions (the GUI: its worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import RunRecord
from runcompanion.storage.run_repository import RunRepository
from runcompanion.storage.settings_repository import SettingsRepository

DISMISSED_KEY: Final = "recovery.dismissed_run_ids"


class RecoveryService:
    def __init__(self, runs: RunRepository, journal: JournalQueries, settings: SettingsRepository) -> None:
        self._runs = runs
        self._journal = journal
        self._settings = settings

    def interrupted_needing_reflection(self) -> list[RunRecord]:
        """Interrupted runs with no finished reflection that were not offered yet, newest first."""
        dismissed = self.dismissed()
        found: list[RunRecord] = []
        for run in self._runs.list():
            if run.status != "interrupted" or run.id in dismissed:
                continue
            entry = self._journal.get(run.id)
            if entry is None:  # deleted meanwhile
                continue
            if entry.reflection is None or entry.reflection.is_draft:
                found.append(run)
        return found

    def dismiss(self, run_ids: Iterable[int]) -> None:
        """Do not offer these runs again. Ids of runs that no longer exist are forgotten."""
        wanted = self.dismissed() | {int(run_id) for run_id in run_ids}
        existing = {run.id for run in self._runs.list() if run.status == "interrupted"}
        self._settings.set(DISMISSED_KEY, sorted(wanted & existing))

    def dismissed(self) -> frozenset[int]:
        """The runs already offered or declined. A stored value that is not a list of ids counts as none."""
        stored = self._settings.get(DISMISSED_KEY, [])
        if not isinstance(stored, list):
            return frozenset()
        return frozenset(value for value in stored if isinstance(value, int) and not isinstance(value, bool))
