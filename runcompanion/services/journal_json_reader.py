"""Reading a journal's JSON backup: the whole file is checked, field by field, before anything is written.

A file that is damaged, cut short, not UTF-8, too large, from something else or from a newer version is
refused with one line naming the file and the problem (``UserError``). The fields themselves are checked
by ``journal_fields``.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from runcompanion.core.errors import UserError
from runcompanion.core.mood import AROUSAL, EFFORT, FEELING
from runcompanion.core.session_files import session_from_dict
from runcompanion.services.journal_fields import (
    MAX_NAME_CHARS,
    MAX_SECONDS,
    MAX_SEGMENT_LOG,
    JsonObject,
    Problem,
    one_line,
    show_value,
)
from runcompanion.services.journal_json import DEFAULT_MAX_IMPORT_BYTES, FORMAT_NAME, FORMAT_VERSION
from runcompanion.services.journal_json_figures import read_figures, read_samples
from runcompanion.services.safe_files import read_limited
from runcompanion.storage.archive_records import (
    ArchivedEnrolment,
    ArchivedReflection,
    ArchivedRun,
    ArchivedScheduledRun,
    EnrolmentKey,
    JournalArchive,
    RunKey,
)
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
    OwnSessionRecord,
)
from runcompanion.storage.reflection_checks import InvalidReflectionError, normalise_tags


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
    except Problem as problem:
        raise UserError(f"{source}: {one_line(str(problem))}") from None


def _parse(data: bytes) -> JournalArchive:
    if not data.strip():
        raise Problem("the file is empty; choose the .json file that RunCompanion exported.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Problem(
            f"is not a RunCompanion journal export: it is not UTF-8 text "
            f"(byte 0x{data[error.start]:02x} at position {error.start})."
        ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        # An unterminated string also means the text ended before the string did.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise Problem("the file ends too early: it was cut short or is incomplete.") from None
        where = f"{error.msg.removesuffix(' at')} at line {error.lineno}, column {error.colno}"
        raise Problem(f"is not valid JSON ({where}).") from None
    except RecursionError:
        raise Problem("is nested too deeply to be a journal export.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise Problem(f'is not a RunCompanion journal export (it has no "format": "{FORMAT_NAME}").')
    version = document.get("version")
    if type(version) is not int:
        raise Problem(f'has no valid "version" (got {show_value(version)}).')
    if version > FORMAT_VERSION:
        raise Problem(
            f"was written by a newer RunCompanion (journal format version {version}); this version reads "
            f"version {FORMAT_VERSION}. Update RunCompanion to import it."
        )
    if version < 1:
        raise Problem(f"has an unknown journal format version {version}.")
    try:
        # json.loads turns an escaped lone surrogate ("\ud800") into a str that no database can store.
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Problem("contains text that is not valid Unicode (an escaped lone surrogate such as \\ud800).") from None
    top = JsonObject(document, "the file", required=("format", "version", "runs"))
    top.allow("format", "version", "exported_at", "app_version", "runs", "own_sessions", "enrolments", "scheduled_runs")
    runs = tuple(_run(item) for item in top.items("runs"))
    own_sessions = tuple(_own_session(item) for item in top.items("own_sessions", optional=True))
    enrolments = tuple(_enrolment(item) for item in top.items("enrolments", optional=True))
    scheduled_runs = tuple(_scheduled_run(item) for item in top.items("scheduled_runs", optional=True))
    archive = JournalArchive(runs, own_sessions, enrolments, scheduled_runs)
    _check_links(archive)
    return archive


def _refuse_constant(name: str) -> NoReturn:
    raise Problem(f"is not valid JSON ({name} is not a number JSON allows).")


def _check_links(archive: JournalArchive) -> None:
    """Every reference inside the file points at something in the file, and nothing that must be unique repeats."""
    _unique([own.id for own in archive.own_sessions], "own_sessions", "id")
    _unique([enrolment.key for enrolment in archive.enrolments], "enrolments", "program_id and created_at")
    _unique([scheduled.uid for scheduled in archive.scheduled_runs], "scheduled_runs", "uid")
    uids = {scheduled.uid for scheduled in archive.scheduled_runs}
    for index, run in enumerate(archive.runs):
        if run.scheduled_run_uid is not None and run.scheduled_run_uid not in uids:
            raise Problem(
                f'runs[{index}].scheduled_run_uid: "{run.scheduled_run_uid}" is not a scheduled run in the file.'
            )
    enrolment_keys = {enrolment.key for enrolment in archive.enrolments}
    run_keys = {run.key for run in archive.runs} if any(s.run for s in archive.scheduled_runs) else set()
    for index, scheduled in enumerate(archive.scheduled_runs):
        if scheduled.enrolment is not None and scheduled.enrolment not in enrolment_keys:
            raise Problem(f"scheduled_runs[{index}].enrolment: no such enrolment in the file.")
        if scheduled.run is not None and scheduled.run not in run_keys:
            raise Problem(f"scheduled_runs[{index}].run: no such run in the file.")


_Key = TypeVar("_Key")


def _unique(values: Sequence[_Key], where: str, what: str) -> None:
    seen: set[_Key] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise Problem(f"{where}[{index}]: the same {what} as an earlier entry; each must be unique.")
        seen.add(value)


def _run(item: JsonObject) -> ArchivedRun:
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
        "figures",
        "samples",
    )
    log = item.array("segment_log", optional=True)
    if len(log) > MAX_SEGMENT_LOG or not all(isinstance(entry, dict) for entry in log):
        raise Problem(f"{item.where}.segment_log: must be a list of objects, one per segment.")
    reflection = item.child("reflection", optional=True)
    figures = item.child("figures", optional=True)
    started_at = item.instant("started_at")
    ended_at = item.optional_instant("ended_at")
    if ended_at is not None and ended_at < started_at:
        raise Problem(f"{item.where}.ended_at: is before started_at.")
    return ArchivedRun(
        started_at=started_at,
        session_id=item.identifier("session_id"),
        source=item.choice("source", RUN_SOURCES),
        session_name=item.text("session_name", MAX_NAME_CHARS),
        session_tags=item.words("session_tags"),
        planned_s=item.seconds("planned_s"),
        seed=item.whole("seed"),
        status=item.choice("status", RUN_STATUSES),
        ended_at=ended_at,
        elapsed_s=item.number("elapsed_s", high=MAX_SECONDS) or 0.0,
        segment_index=item.count("segment_index"),
        segments_done=item.count("segments_done"),
        segment_log=[dict(entry) for entry in log],
        checkpoint_at=item.optional_instant("checkpoint_at"),
        scheduled_run_uid=item.optional_identifier("scheduled_run_uid"),
        reflection=None if reflection is None else _reflection(reflection),
        figures=None if figures is None else read_figures(figures),
        samples=read_samples(item),
    )


def _reflection(item: JsonObject) -> ArchivedReflection:
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
        raise Problem(f"{item.where}.tags: {error}") from None
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


def _own_session(item: JsonObject) -> OwnSessionRecord:
    item.allow("id", "name", "definition", "created_at", "updated_at")
    session_id = item.identifier("id")
    definition = item.child("definition")
    assert definition is not None  # not optional, so JsonObject.object raised if it was missing
    try:
        plan = session_from_dict(definition.raw, f"{item.where}.definition")
    except UserError as error:
        raise Problem(str(error)) from None
    if plan.id != session_id:
        raise Problem(f'{item.where}: the id "{session_id}" differs from its definition\'s id "{plan.id}".')
    return OwnSessionRecord(
        id=session_id,
        name=item.text("name", MAX_NAME_CHARS),
        definition=dict(definition.raw),
        created_at=item.instant("created_at"),
        updated_at=item.instant("updated_at"),
    )


def _enrolment(item: JsonObject) -> ArchivedEnrolment:
    item.allow("program_id", "start_date", "days", "time", "status", "created_at")
    days = item.words("days")
    if not days or any(day not in WEEKDAYS for day in days) or len(set(days)) != len(days):
        raise Problem(f"{item.where}.days: must be one or more of {', '.join(WEEKDAYS)}, each once.")
    return ArchivedEnrolment(
        program_id=item.identifier("program_id"),
        start_date=item.date("start_date"),
        days=tuple(sorted(days, key=WEEKDAYS.index)),
        time=item.clock_time("time"),
        status=item.choice("status", ENROLMENT_STATUSES),
        created_at=item.instant("created_at"),
    )


def _scheduled_run(item: JsonObject) -> ArchivedScheduledRun:
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
        raise Problem(f"{item.where}.recurrence: must be null or one of {', '.join(RECURRENCES)}.")
    return ArchivedScheduledRun(
        uid=item.identifier("uid"),
        enrolment=None if enrolment is None else _enrolment_key(enrolment),
        session_id=item.identifier("session_id"),
        title=item.text("title", MAX_NAME_CHARS, optional=True),
        due_at=item.wall_clock("due_at"),
        duration_s=item.seconds("duration_s"),
        week=item.whole("week"),
        run_number=item.whole("run_number"),
        recurrence=None if recurrence is None else item.choice("recurrence", RECURRENCES),
        status=item.choice("status", SCHEDULED_RUN_STATUSES),
        run=None if run is None else _run_key(run),
        created_at=item.instant("created_at"),
    )


def _enrolment_key(item: JsonObject) -> EnrolmentKey:
    item.allow("program_id", "created_at")
    return EnrolmentKey(item.identifier("program_id"), item.instant("created_at"))


def _run_key(item: JsonObject) -> RunKey:
    item.allow("started_at", "session_id", "source")
    return RunKey(item.instant("started_at"), item.identifier("session_id"), item.choice("source", RUN_SOURCES))
