"""Journal export (CSV, JSON, Markdown) and import of the JSON backup.

The JSON form is a full, versioned backup (docs/journal-format.md): runs with their reflections, own
sessions, enrolments and scheduled runs. Import reads the whole file and checks every field before anything
is written; a file that is damaged, cut short, not UTF-8, too large, from something else or from a newer
version changes nothing and is refused with one line naming the file and the problem. What the data folder
already has is recognised and not added twice. Export, import into an empty data folder, export again: the
two files are identical (apart from ``exported_at``).

Exports are written whole or not at all, readable only by the user (``write_private_text``).

This module is the facade. The parts: ``journal_json`` writes the backup, ``journal_json_reader`` reads it
with ``journal_fields`` checking each field, and ``journal_text`` writes CSV and Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from runcompanion.core.errors import UserError
from runcompanion.services.journal_json import DEFAULT_MAX_IMPORT_BYTES, FORMAT_NAME, FORMAT_VERSION, dump_archive
from runcompanion.services.journal_json_reader import parse_archive, read_archive
from runcompanion.services.journal_text import CSV_COLUMNS, archive_to_csv, archive_to_markdown
from runcompanion.services.safe_files import write_private_text
from runcompanion.storage.archive_records import ImportReport
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.reflection_repository import ReflectionRepository

# The facade: callers import the format's names from here; each part lives in its own module.
__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_MAX_IMPORT_BYTES",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ExportReport",
    "JournalTransfer",
    "dump_archive",
    "parse_archive",
    "read_archive",
]

ExportFormat = Literal["csv", "json", "md"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "json", "md")


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote: the file, its format, how many runs and how many of them have a reflection."""

    path: Path
    format: ExportFormat
    runs: int
    reflections: int


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class JournalTransfer:
    """Export and import. Any single thread at a time; exporting 10,000 runs takes about a second, so the GUI
    calls it from a worker.

    ``zone`` is the runner's time zone for the local dates in CSV and Markdown (None: the system's); ``now``
    stamps ``exported_at``.
    """

    def __init__(
        self,
        queries: JournalQueries,
        reflections: ReflectionRepository,
        *,
        zone: dt.tzinfo | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
        reserved_session_id: Callable[[str], bool] = lambda _session_id: False,
    ) -> None:
        self._queries = queries
        self._reflections = reflections
        self._reserved_session_id = reserved_session_id
        self._zone = zone
        self._now = now

    def export(self, export_format: str, out: Path) -> ExportReport:
        """Write the journal to ``out`` as ``csv``, ``json`` or ``md``. UserError for an unknown format or a
        file that cannot be written (nothing is left half-written)."""
        chosen = _export_format(export_format)
        archive = self._queries.archive()
        if chosen == "json":
            text = dump_archive(archive, self._now())
            runs = archive.runs
        else:
            runs = tuple(run for run in archive.runs if run.status != "in_progress")
            text = (
                archive_to_csv(runs, self._zone)
                if chosen == "csv"
                else archive_to_markdown(runs, self._zone, self._now())
            )
        write_private_text(out, text)
        return ExportReport(out, chosen, len(runs), sum(run.reflection is not None for run in runs))

    def import_file(self, path: Path, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> ImportReport:
        """Check a JSON backup whole, then add what the data folder lacks in one transaction.

        UserError (one line: the file and the problem) for anything wrong with the file; nothing is written.
        """
        archive = read_archive(path, max_bytes=max_bytes)
        for own in archive.own_sessions:
            # `sessions import` refuses these ids too: an own session there would be unreachable behind the
            # built-in one, and `sessions --json` would list two sessions with one id.
            if self._reserved_session_id(own.id):
                raise UserError(
                    f'{path}: the own session "{own.id}" has the id of a built-in session, so nothing was imported. '
                    'Give it another id in the file (its "id" and its definition\'s "id"), then import again.'
                )
        return self._reflections.import_archive(archive)


def _export_format(value: str) -> ExportFormat:
    for known in EXPORT_FORMATS:
        if value == known:
            return known
    raise UserError(f'Unknown export format "{value}": choose one of {", ".join(EXPORT_FORMATS)}.')
