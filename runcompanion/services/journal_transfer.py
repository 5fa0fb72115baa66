"""Journal export (CSV, JSON, Markdown) and import of the JSON backup.

The JSON form is a full, versioned backup (docs/journal-format.md): runs with their reflections, own
sessions, enrolments and scheduled runs. Import reads the whole file and checks every field before anything
is written; a file that is damaged, cut short, not UTF-8, too large, from something else or from a newer
version changes nothing and is refused with one line naming the file and the problem. What the data folder
already has is recognised and not added twice. Export, import into an empty data folder, export again: the
two files are identical (apart from ``exported_at``).

Exports are written whole or not at all, readable only by the user (``write_private_text``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, NoReturn, TypeVar

from runcompanion import __version__
from runcompanion.core.errors import UserError
from runcompanion.core.mood import AROUSAL, EFFORT, FEELING, feeling_text, signed
from runcompanion.core.session_files import session_from_dict
from runcompanion.services.safe_files import read_limited, write_private_text
from runcompanion.storage.journal_queries import JournalQueries
from runcompanion.storage.records import (
    ENROLMENT_STATUSES,
    MAX_DISTANCE_KM,
    MAX_PROMPT_CHARS,
    MAX_REFLECTION_CHARS,
    RECURRENCES,
    RUN_SOURCES,
    RUN_STATUSES,
    SCHEDULED_RUN_STATUSES,
    WEEKDAYS,
    ArchivedEnrolment,
    ArchivedReflection,
    ArchivedRun,
    ArchivedScheduledRun,
    EnrolmentKey,
    ImportReport,
    JournalArchive,
    OwnSessionRecord,
    RunKey,
)
from runcompanion.storage.reflection_repository import InvalidReflectionError, ReflectionRepository, normalise_tags

FORMAT_NAME: Final = "runcompanion-journal"
FORMAT_VERSION: Final = 1
DEFAULT_MAX_IMPORT_BYTES: Final = 250_000_000
"""Far above a lifetime of runs (100,000 reflections of a few lines each export to about 110 MB) and below what
would strain memory while the whole file is checked."""

ExportFormat = Literal["csv", "json", "md"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("csv", "json", "md")

CSV_COLUMNS: Final = (
    "started_at",
    "local_date",
    "local_time",
    "session_id",
    "session_name",
    "session_tags",
    "source",
    "status",
    "elapsed_s",
    "distance_km",
    "feeling_before",
    "arousal_before",
    "feeling_after",
    "arousal_after",
    "lift",
    "effort",
    "tags",
    "prompt",
    "text",
    "draft",
)

_MAX_NAME_CHARS: Final = 200
_MAX_ID_CHARS: Final = 200
_MAX_SEGMENT_LOG: Final = 10_000
_MAX_SECONDS: Final = 366 * 86400.0
_MAX_DATETIME_CHARS: Final = 40
_EARLIEST_YEAR: Final = 1900
_LATEST_YEAR: Final = 2199
"""Dates in a journal lie between these years. The calendar's own ends (year 1, year 9999) cannot take a time
zone's offset or a run's length added to them; a journal has no business there, so they are refused."""
_MIN_INT: Final = -(2**63)
_MAX_INT: Final = 2**63 - 1
"""SQLite's integers are 64-bit; a larger number in a file is refused rather than overflowing on insert."""


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


# ================================================================================================ JSON out


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _optional_instant(value: dt.datetime | None) -> str | None:
    return None if value is None else _instant(value)


def _run_key_json(key: RunKey) -> dict[str, Any]:
    return {"started_at": _instant(key.started_at), "session_id": key.session_id, "source": key.source}


def archive_to_json(archive: JournalArchive, exported_at: dt.datetime) -> dict[str, Any]:
    """The backup as JSON-ready data (format version 1)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _instant(exported_at),
        "app_version": __version__,
        "runs": [_run_json(run) for run in archive.runs],
        "own_sessions": [
            {
                "id": own.id,
                "name": own.name,
                "definition": own.definition,
                "created_at": _instant(own.created_at),
                "updated_at": _instant(own.updated_at),
            }
            for own in archive.own_sessions
        ],
        "enrolments": [
            {
                "program_id": enrolment.program_id,
                "start_date": enrolment.start_date.isoformat(),
                "days": list(enrolment.days),
                "time": enrolment.time.strftime("%H:%M"),
                "status": enrolment.status,
                "created_at": _instant(enrolment.created_at),
            }
            for enrolment in archive.enrolments
        ],
        "scheduled_runs": [
            {
                "uid": scheduled.uid,
                "enrolment": None
                if scheduled.enrolment is None
                else {
                    "program_id": scheduled.enrolment.program_id,
                    "created_at": _instant(scheduled.enrolment.created_at),
                },
                "session_id": scheduled.session_id,
                "title": scheduled.title,
                "due_at": scheduled.due_at.isoformat(),
                "duration_s": scheduled.duration_s,
                "week": scheduled.week,
                "run_number": scheduled.run_number,
                "recurrence": scheduled.recurrence,
                "status": scheduled.status,
                "run": None if scheduled.run is None else _run_key_json(scheduled.run),
                "created_at": _instant(scheduled.created_at),
            }
            for scheduled in archive.scheduled_runs
        ],
    }


def _run_json(run: ArchivedRun) -> dict[str, Any]:
    reflection = run.reflection
    return {
        "started_at": _instant(run.started_at),
        "session_id": run.session_id,
        "source": run.source,
        "session_name": run.session_name,
        "session_tags": list(run.session_tags),
        "planned_s": run.planned_s,
        "seed": run.seed,
        "status": run.status,
        "ended_at": _optional_instant(run.ended_at),
        "elapsed_s": run.elapsed_s,
        "segment_index": run.segment_index,
        "segments_done": run.segments_done,
        "segment_log": run.segment_log,
        "checkpoint_at": _optional_instant(run.checkpoint_at),
        "scheduled_run_uid": run.scheduled_run_uid,
        "reflection": None
        if reflection is None
        else {
            "feeling_before": reflection.feeling_before,
            "arousal_before": reflection.arousal_before,
            "feeling_after": reflection.feeling_after,
            "arousal_after": reflection.arousal_after,
            "effort": reflection.effort,
            "prompt": reflection.prompt,
            "text": reflection.text,
            "tags": list(reflection.tags),
            "distance_km": reflection.distance_km,
            "draft": reflection.is_draft,
            "created_at": _instant(reflection.created_at),
            "updated_at": _instant(reflection.updated_at),
        },
    }


def dump_archive(archive: JournalArchive, exported_at: dt.datetime) -> str:
    """The backup file's text: UTF-8 JSON, indented, one field per line, keys in a fixed order."""
    return json.dumps(archive_to_json(archive, exported_at), ensure_ascii=False, allow_nan=False, indent=1) + "\n"


# ================================================================================================= JSON in


class _Problem(Exception):
    """What is wrong with the file, in words; ``read_archive`` puts the file's name in front."""


def read_archive(path: Path, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> JournalArchive:
    """Read and check a JSON backup. UserError ``"<file>: <problem>"`` (one line) for anything wrong."""
    try:
        status = os.stat(path)
    except OSError:
        status = None  # read_limited says what is wrong (missing, no permission) in its own words
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        raise UserError(f"{path}: is not a regular file; choose the .json file that RunCompanion exported.")
    size = 0 if status is None else status.st_size
    if size > max_bytes:
        raise UserError(
            f"{path}: the file is {size / 1e6:.1f} MB, larger than any journal backup "
            f"(at most {max_bytes / 1e6:.0f} MB); choose the .json file that RunCompanion exported."
        )
    return parse_archive(read_limited(path, max_bytes), str(path))


def parse_archive(data: bytes, source: str) -> JournalArchive:
    """Check the bytes of a backup and return what it holds. UserError ``"<source>: <problem>"``, one line."""
    try:
        return _parse(data)
    except _Problem as problem:
        raise UserError(f"{source}: {_one_line(str(problem))}") from None


def _parse(data: bytes) -> JournalArchive:
    if not data.strip():
        raise _Problem("the file is empty; choose the .json file that RunCompanion exported.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Problem(
            f"is not a RunCompanion journal export: it is not UTF-8 text "
            f"(byte 0x{data[error.start]:02x} at position {error.start})."
        ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        # An unterminated string also means the text ended before the string did.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise _Problem("the file ends too early: it was cut short or is incomplete.") from None
        where = f"{error.msg.removesuffix(' at')} at line {error.lineno}, column {error.colno}"
        raise _Problem(f"is not valid JSON ({where}).") from None
    except RecursionError:
        raise _Problem("is nested too deeply to be a journal export.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise _Problem(f'is not a RunCompanion journal export (it has no "format": "{FORMAT_NAME}").')
    version = document.get("version")
    if type(version) is not int:
        raise _Problem(f'has no valid "version" (got {_show(version)}).')
    if version > FORMAT_VERSION:
        raise _Problem(
            f"was written by a newer RunCompanion (journal format version {version}); this version reads "
            f"version {FORMAT_VERSION}. Update RunCompanion to import it."
        )
    if version < 1:
        raise _Problem(f"has an unknown journal format version {version}.")
    try:
        # json.loads turns an escaped lone surrogate ("\ud800") into a str that no database can store.
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _Problem("contains text that is not valid Unicode (an escaped lone surrogate such as \\ud800).") from None
    top = _Object(document, "the file", required=("format", "version", "runs"))
    top.allow("format", "version", "exported_at", "app_version", "runs", "own_sessions", "enrolments", "scheduled_runs")
    runs = tuple(_run(item) for item in top.items("runs"))
    own_sessions = tuple(_own_session(item) for item in top.items("own_sessions", optional=True))
    enrolments = tuple(_enrolment(item) for item in top.items("enrolments", optional=True))
    scheduled_runs = tuple(_scheduled_run(item) for item in top.items("scheduled_runs", optional=True))
    archive = JournalArchive(runs, own_sessions, enrolments, scheduled_runs)
    _check_links(archive)
    return archive


def _refuse_constant(name: str) -> NoReturn:
    raise _Problem(f"is not valid JSON ({name} is not a number JSON allows).")


def _check_links(archive: JournalArchive) -> None:
    """Every reference inside the file points at something in the file, and nothing that must be unique repeats."""
    _unique([own.id for own in archive.own_sessions], "own_sessions", "id")
    _unique([enrolment.key for enrolment in archive.enrolments], "enrolments", "program_id and created_at")
    _unique([scheduled.uid for scheduled in archive.scheduled_runs], "scheduled_runs", "uid")
    uids = {scheduled.uid for scheduled in archive.scheduled_runs}
    for index, run in enumerate(archive.runs):
        if run.scheduled_run_uid is not None and run.scheduled_run_uid not in uids:
            raise _Problem(
                f'runs[{index}].scheduled_run_uid: "{run.scheduled_run_uid}" is not a scheduled run in the file.'
            )
    enrolment_keys = {enrolment.key for enrolment in archive.enrolments}
    run_keys = {run.key for run in archive.runs} if any(s.run for s in archive.scheduled_runs) else set()
    for index, scheduled in enumerate(archive.scheduled_runs):
        if scheduled.enrolment is not None and scheduled.enrolment not in enrolment_keys:
            raise _Problem(f"scheduled_runs[{index}].enrolment: no such enrolment in the file.")
        if scheduled.run is not None and scheduled.run not in run_keys:
            raise _Problem(f"scheduled_runs[{index}].run: no such run in the file.")


_Key = TypeVar("_Key")


def _unique(values: Sequence[_Key], where: str, what: str) -> None:
    seen: set[_Key] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise _Problem(f"{where}[{index}]: the same {what} as an earlier entry; each must be unique.")
        seen.add(value)


def _run(item: _Object) -> ArchivedRun:
    item.allow(
        "started_at",
        "session_id",
        "source",
        "session_name",
        "session_tags",
        "planned_s",
        "seed",
        "status",
        "ended_at",
        "elapsed_s",
        "segment_index",
        "segments_done",
        "segment_log",
        "checkpoint_at",
        "scheduled_run_uid",
        "reflection",
    )
    log = item.array("segment_log", optional=True)
    if len(log) > _MAX_SEGMENT_LOG or not all(isinstance(entry, dict) for entry in log):
        raise _Problem(f"{item.where}.segment_log: must be a list of objects, one per segment.")
    reflection = item.child("reflection", optional=True)
    started_at = item.instant("started_at")
    ended_at = item.optional_instant("ended_at")
    if ended_at is not None and ended_at < started_at:
        raise _Problem(f"{item.where}.ended_at: is before started_at.")
    return ArchivedRun(
        started_at=started_at,
        session_id=item.identifier("session_id"),
        source=item.choice("source", RUN_SOURCES),
        session_name=item.text("session_name", _MAX_NAME_CHARS),
        session_tags=item.words("session_tags"),
        planned_s=item.seconds("planned_s"),
        seed=item.whole("seed"),
        status=item.choice("status", RUN_STATUSES),
        ended_at=ended_at,
        elapsed_s=item.number("elapsed_s", high=_MAX_SECONDS) or 0.0,
        segment_index=item.count("segment_index"),
        segments_done=item.count("segments_done"),
        segment_log=[dict(entry) for entry in log],
        checkpoint_at=item.optional_instant("checkpoint_at"),
        scheduled_run_uid=item.optional_identifier("scheduled_run_uid"),
        reflection=None if reflection is None else _reflection(reflection),
    )


def _reflection(item: _Object) -> ArchivedReflection:
    item.allow(
        "feeling_before",
        "arousal_before",
        "feeling_after",
        "arousal_after",
        "effort",
        "prompt",
        "text",
        "tags",
        "distance_km",
        "draft",
        "created_at",
        "updated_at",
    )
    try:
        tags = normalise_tags(item.strings("tags"))
    except InvalidReflectionError as error:
        raise _Problem(f"{item.where}.tags: {error}") from None
    distance = item.number("distance_km", high=MAX_DISTANCE_KM)
    return ArchivedReflection(
        feeling_before=item.point("feeling_before", FEELING.low, FEELING.high),
        arousal_before=item.point("arousal_before", AROUSAL.low, AROUSAL.high),
        feeling_after=item.point("feeling_after", FEELING.low, FEELING.high),
        arousal_after=item.point("arousal_after", AROUSAL.low, AROUSAL.high),
        effort=item.point("effort", EFFORT.low, EFFORT.high),
        prompt=item.text("prompt", MAX_PROMPT_CHARS, optional=True),
        text=item.text("text", MAX_REFLECTION_CHARS, optional=True),
        tags=tags,
        distance_km=distance,
        is_draft=item.flag("draft"),
        created_at=item.instant("created_at"),
        updated_at=item.instant("updated_at"),
    )


def _own_session(item: _Object) -> OwnSessionRecord:
    item.allow("id", "name", "definition", "created_at", "updated_at")
    session_id = item.identifier("id")
    definition = item.child("definition")
    assert definition is not None  # not optional, so _Object.object raised if it was missing
    try:
        plan = session_from_dict(definition.raw, f"{item.where}.definition")
    except UserError as error:
        raise _Problem(str(error)) from None
    if plan.id != session_id:
        raise _Problem(f'{item.where}: the id "{session_id}" differs from its definition\'s id "{plan.id}".')
    return OwnSessionRecord(
        id=session_id,
        name=item.text("name", _MAX_NAME_CHARS),
        definition=dict(definition.raw),
        created_at=item.instant("created_at"),
        updated_at=item.instant("updated_at"),
    )


def _enrolment(item: _Object) -> ArchivedEnrolment:
    item.allow("program_id", "start_date", "days", "time", "status", "created_at")
    days = item.words("days")
    if not days or any(day not in WEEKDAYS for day in days) or len(set(days)) != len(days):
        raise _Problem(f"{item.where}.days: must be one or more of {', '.join(WEEKDAYS)}, each once.")
    return ArchivedEnrolment(
        program_id=item.identifier("program_id"),
        start_date=item.date("start_date"),
        days=tuple(sorted(days, key=WEEKDAYS.index)),
        time=item.clock_time("time"),
        status=item.choice("status", ENROLMENT_STATUSES),
        created_at=item.instant("created_at"),
    )


def _scheduled_run(item: _Object) -> ArchivedScheduledRun:
    item.allow(
        "uid",
        "enrolment",
        "session_id",
        "title",
        "due_at",
        "duration_s",
        "week",
        "run_number",
        "recurrence",
        "status",
        "run",
        "created_at",
    )
    enrolment = item.child("enrolment", optional=True)
    run = item.child("run", optional=True)
    recurrence = item.optional_text("recurrence")
    if recurrence is not None and recurrence not in RECURRENCES:
        raise _Problem(f"{item.where}.recurrence: must be null or one of {', '.join(RECURRENCES)}.")
    return ArchivedScheduledRun(
        uid=item.identifier("uid"),
        enrolment=None if enrolment is None else _enrolment_key(enrolment),
        session_id=item.identifier("session_id"),
        title=item.text("title", _MAX_NAME_CHARS, optional=True),
        due_at=item.wall_clock("due_at"),
        duration_s=item.seconds("duration_s"),
        week=item.whole("week"),
        run_number=item.whole("run_number"),
        recurrence=None if recurrence is None else item.choice("recurrence", RECURRENCES),
        status=item.choice("status", SCHEDULED_RUN_STATUSES),
        run=None if run is None else _run_key(run),
        created_at=item.instant("created_at"),
    )


def _enrolment_key(item: _Object) -> EnrolmentKey:
    item.allow("program_id", "created_at")
    return EnrolmentKey(item.identifier("program_id"), item.instant("created_at"))


def _run_key(item: _Object) -> RunKey:
    item.allow("started_at", "session_id", "source")
    return RunKey(item.instant("started_at"), item.identifier("session_id"), item.choice("source", RUN_SOURCES))


_Choice = TypeVar("_Choice", bound=str)


class _Object:
    """One JSON object of the file being checked, and where it is (``runs[3].reflection``) for messages."""

    def __init__(self, raw: object, where: str, *, required: Sequence[str] = ()) -> None:
        if not isinstance(raw, dict):
            raise _Problem(f"{where}: must be an object {{...}}, got {_show(raw)}.")
        self.raw: dict[str, Any] = raw
        self.where = where
        for key in required:
            if key not in raw:
                raise _Problem(f'{where}: the field "{key}" is missing.')

    def allow(self, *keys: str) -> None:
        for key in self.raw:
            if key not in keys:
                raise _Problem(f'{self.where}: unknown field "{_one_line(key)[:40]}".')

    def _get(self, key: str, optional: bool) -> Any:
        value = self.raw.get(key)
        if value is None and not optional:
            raise _Problem(f"{self.where}.{key}: missing; it is required.")
        return value

    def _wrong(self, key: str, expected: str) -> NoReturn:
        raise _Problem(f"{self.where}.{key}: must be {expected}, got {_show(self.raw.get(key))}.")

    def items(self, key: str, *, optional: bool = False) -> list[_Object]:
        return [_Object(value, f"{key}[{index}]") for index, value in enumerate(self.array(key, optional=optional))]

    def array(self, key: str, *, optional: bool = False) -> list[Any]:
        value = self._get(key, optional)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, "a list [...]")
        return value

    def child(self, key: str, *, optional: bool = False) -> _Object | None:
        value = self._get(key, optional)
        return None if value is None else _Object(value, f"{self.where}.{key}")

    def text(self, key: str, max_chars: int, *, optional: bool = False) -> str:
        value = self._get(key, optional)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._wrong(key, "text")
        if len(value) > max_chars:
            raise _Problem(f"{self.where}.{key}: longer than {max_chars:,} characters ({len(value):,}).")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, True)
        if value is not None and not isinstance(value, str):
            self._wrong(key, "text or null")
        return value

    def identifier(self, key: str) -> str:
        value = self.text(key, _MAX_ID_CHARS)
        if not value.strip():
            self._wrong(key, "a non-empty id")
        return value

    def optional_identifier(self, key: str) -> str | None:
        return None if self.raw.get(key) is None else self.identifier(key)

    def strings(self, key: str) -> list[str]:
        values = self.array(key, optional=True)
        if not all(isinstance(value, str) for value in values):
            self._wrong(key, "a list of text")
        return values

    def words(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts without commas (how tags and days are stored)."""
        values = self.strings(key)
        if any(not value or "," in value or len(value) > _MAX_ID_CHARS for value in values):
            self._wrong(key, "a list of words without commas")
        return tuple(values)

    def choice(self, key: str, choices: tuple[_Choice, ...]) -> _Choice:
        value = self._get(key, False)
        for choice in choices:
            if value == choice:
                return choice
        self._wrong(key, f"one of {', '.join(choices)}")

    def whole(self, key: str, *, low: int | None = None) -> int | None:
        """An optional whole number (null or missing: None), at least ``low`` when given."""
        value = self._get(key, True)
        if value is None:
            return None
        if type(value) is not int or not (_MIN_INT if low is None else low) <= value <= _MAX_INT:
            self._wrong(key, "a whole number" if low is None else f"a whole number of at least {low}")
        return value

    def count(self, key: str) -> int:
        """A whole number of at least 0; missing means 0."""
        return self.whole(key, low=0) or 0

    def point(self, key: str, low: int, high: int) -> int | None:
        """An optional point of a scale from ``low`` to ``high``."""
        value = self._get(key, True)
        if value is not None and (type(value) is not int or not low <= value <= high):
            self._wrong(key, f"null or a whole number from {low} to {high}")
        return value

    def number(self, key: str, *, high: float) -> float | None:
        """An optional number from 0 to ``high`` (null or missing: None)."""
        value = self._get(key, True)
        if value is None:
            return None
        # An int is compared as it is: math.isfinite(10**400) raises OverflowError instead of answering.
        fits = (type(value) is int and 0 <= value <= high) or (
            type(value) is float and math.isfinite(value) and 0 <= value <= high
        )
        if not fits:
            self._wrong(key, f"a number from 0 to {high:g}")
        return float(value)

    def seconds(self, key: str) -> float:
        """A required number of seconds, from 0 to a year."""
        value = self.number(key, high=_MAX_SECONDS)
        if value is None:
            self._wrong(key, "a number of seconds")
        return value

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            self._wrong(key, "true or false")
        return value

    def instant(self, key: str) -> dt.datetime:
        """A required date and time with a UTC offset, as an aware UTC datetime."""
        parsed = self._datetime(key, self._get(key, False))
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self._wrong(key, "a date and time with its UTC offset (2024-05-06T07:30:00+00:00)")
        try:
            instant = parsed.astimezone(dt.UTC)
        except OverflowError:  # an offset that pushes it past year 1 or year 9999
            self._out_of_range(key)
        if not _EARLIEST_YEAR <= instant.year <= _LATEST_YEAR:
            self._out_of_range(key)
        return instant

    def optional_instant(self, key: str) -> dt.datetime | None:
        return None if self.raw.get(key) is None else self.instant(key)

    def wall_clock(self, key: str) -> dt.datetime:
        """A required local date and time without an offset (when a scheduled run is due)."""
        parsed = self._datetime(key, self._get(key, False))
        if parsed.tzinfo is not None:
            self._wrong(key, "a local date and time without an offset (2024-05-07T07:00:00)")
        if not _EARLIEST_YEAR <= parsed.year <= _LATEST_YEAR:
            self._out_of_range(key)
        return parsed

    def date(self, key: str) -> dt.date:
        value = self._get(key, False)
        if isinstance(value, str) and len(value) == len("2024-05-06"):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if not _EARLIEST_YEAR <= day.year <= _LATEST_YEAR:
                    self._out_of_range(key)
                return day
        self._wrong(key, "a date like 2024-05-06")

    def clock_time(self, key: str) -> dt.time:
        value = self._get(key, False)
        if isinstance(value, str) and len(value) == len("07:00"):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        self._wrong(key, "a local time like 07:00")

    def _out_of_range(self, key: str) -> NoReturn:
        raise _Problem(
            f"{self.where}.{key}: must lie between the years {_EARLIEST_YEAR} and {_LATEST_YEAR} "
            f"(got {_show(self.raw.get(key))})."
        )

    def _datetime(self, key: str, value: object) -> dt.datetime:
        if isinstance(value, str) and len(value) <= _MAX_DATETIME_CHARS:
            try:
                return dt.datetime.fromisoformat(value)
            except ValueError:
                pass
        self._wrong(key, "a date and time in ISO 8601 (2024-05-06T07:30:00+00:00)")


def _show(value: object) -> str:
    """A short, one-line picture of a JSON value for a message."""
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    shown = _one_line(shown)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ============================================================================================ CSV and text


def _local(instant: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    return instant.astimezone(zone) if zone is not None else instant.astimezone()


_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        # A spreadsheet runs a cell that starts like a formula ("=HYPERLINK(...)" in a reflection or a session
        # file from someone else); a leading apostrophe keeps it text. Numbers (a lift of -2) are not strings.
        return "'" + value
    return str(value)


def archive_to_csv(runs: Sequence[ArchivedRun], zone: dt.tzinfo | None) -> str:
    """One row per run, oldest first, with its reflection; UTF-8, a header row, RFC 4180 quoting (CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        local = _local(run.started_at, zone)
        reflection = run.reflection
        row: Mapping[str, object] = {
            "started_at": _instant(run.started_at),
            "local_date": local.date().isoformat(),
            "local_time": local.strftime("%H:%M"),
            "session_id": run.session_id,
            "session_name": run.session_name,
            "session_tags": ", ".join(run.session_tags),
            "source": run.source,
            "status": run.status,
            "elapsed_s": round(run.elapsed_s, 3),
        }
        if reflection is not None:
            lift = _lift(reflection)
            row = {
                **row,
                "distance_km": reflection.distance_km,
                "feeling_before": reflection.feeling_before,
                "arousal_before": reflection.arousal_before,
                "feeling_after": reflection.feeling_after,
                "arousal_after": reflection.arousal_after,
                "lift": lift,
                "effort": reflection.effort,
                "tags": ", ".join(reflection.tags),
                "prompt": reflection.prompt,
                "text": reflection.text,
                "draft": reflection.is_draft,
            }
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _lift(reflection: ArchivedReflection) -> int | None:
    if reflection.feeling_before is None or reflection.feeling_after is None:
        return None
    return reflection.feeling_after - reflection.feeling_before


def _long_date(day: dt.date) -> str:
    """``Monday 6 May 2024`` (``%-d`` is not portable, so the day is formatted by hand)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _duration(seconds: float) -> str:
    # Whole seconds done, as the journal's list shows them (format_clock): 7:39.6 is 7:39 in both, not 7:40 here.
    whole = math.floor(seconds + 1e-6)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


_STATUS_WORDS: Final = {
    "finished": "finished",
    "stopped": "stopped early",
    "interrupted": "interrupted",
    "in_progress": "in progress",
}


def archive_to_markdown(runs: Sequence[ArchivedRun], zone: dt.tzinfo | None, exported_at: dt.datetime) -> str:
    """A readable journal: one section per run, newest first; the runner's words quoted under their prompt."""
    when = _local(exported_at, zone)
    count = "1 run" if len(runs) == 1 else f"{len(runs)} runs"
    lines = [
        "# RunCompanion journal",
        "",
        f"Exported on {_long_date(when)} at {when:%H:%M}: {count}, newest first.",
    ]
    for run in reversed(runs):
        local = _local(run.started_at, zone)
        lines += ["", f"## {_long_date(local)}, {local:%H:%M}: {_one_line(run.session_name)}", ""]
        how = "logged by hand" if run.source == "manual" else _STATUS_WORDS[run.status]
        lines.append(f"- Time: {_duration(run.elapsed_s)} ({how})")
        reflection = run.reflection
        if reflection is None:
            lines.append("- No reflection written.")
            continue
        lines += _reflection_lines(reflection)
        if reflection.prompt:
            lines += ["", f"*{_one_line(reflection.prompt)}*"]
        if reflection.text.strip():
            lines.append("")
            lines += [f"> {line}" if line.strip() else ">" for line in reflection.text.strip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def _reflection_lines(reflection: ArchivedReflection) -> list[str]:
    lines: list[str] = []
    if reflection.distance_km is not None:
        lines.append(f"- Distance: {reflection.distance_km:g} km")
    before, after = reflection.feeling_before, reflection.feeling_after
    if before is not None and after is not None:
        lines.append(
            f"- Feeling: {feeling_text(before)} before, {feeling_text(after)} after (lift {signed(after - before)})"
        )
    elif before is not None:
        lines.append(f"- Feeling before: {feeling_text(before)}")
    elif after is not None:
        lines.append(f"- Feeling after: {feeling_text(after)}")
    if reflection.arousal_before is not None:
        lines.append(f"- Arousal before: {reflection.arousal_before} ({AROUSAL.label(reflection.arousal_before)})")
    if reflection.arousal_after is not None:
        lines.append(f"- Arousal after: {reflection.arousal_after} ({AROUSAL.label(reflection.arousal_after)})")
    if reflection.effort is not None:
        lines.append(f"- Effort: {reflection.effort} of 10 ({EFFORT.label(reflection.effort)})")
    if reflection.tags:
        lines.append(f"- Tags: {', '.join(reflection.tags)}")
    if reflection.is_draft:
        lines.append("- A draft, not finished yet.")
    return lines
