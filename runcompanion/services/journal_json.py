"""The journal's JSON backup written out: format version 1, described in docs/journal-format.md.

Every instant is written in UTC with its offset; dates and local times as ISO 8601; keys in a fixed order,
so that export, import into an empty data folder and export again give the same file (apart from
``exported_at``). The reader is ``journal_json_reader``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

from runcompanion import __version__
from runcompanion.storage.archive_records import ArchivedFigures, ArchivedRun, JournalArchive, RunKey

FORMAT_NAME: Final = "runcompanion-journal"
FORMAT_VERSION: Final = 1
DEFAULT_MAX_IMPORT_BYTES: Final = 250_000_000
"""Far above a lifetime of runs (100,000 reflections of a few lines each export to about 110 MB) and below what
would strain memory while the whole file is checked."""


def instant_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _optional_instant(value: dt.datetime | None) -> str | None:
    return None if value is None else instant_text(value)


def _run_key_json(key: RunKey) -> dict[str, Any]:
    return {"started_at": instant_text(key.started_at), "session_id": key.session_id, "source": key.source}


def archive_to_json(archive: JournalArchive, exported_at: dt.datetime) -> dict[str, Any]:
    """The backup as JSON-ready data (format version 1)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": instant_text(exported_at),
        "app_version": __version__,
        "runs": [_run_json(run) for run in archive.runs],
        "own_sessions": [
            {
                "id": own.id,
                "name": own.name,
                "definition": own.definition,
                "created_at": instant_text(own.created_at),
                "updated_at": instant_text(own.updated_at),
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
                "created_at": instant_text(enrolment.created_at),
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
                    "created_at": instant_text(scheduled.enrolment.created_at),
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
                "created_at": instant_text(scheduled.created_at),
            }
            for scheduled in archive.scheduled_runs
        ],
    }


def _run_json(run: ArchivedRun) -> dict[str, Any]:
    reflection = run.reflection
    return {
        "started_at": instant_text(run.started_at),
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
            "created_at": instant_text(reflection.created_at),
            "updated_at": instant_text(reflection.updated_at),
        },
        "figures": None if run.figures is None else _figures_json(run.figures),
        "samples": [
            {
                "elapsed_s": sample.elapsed_s,
                "speed_kmh": sample.speed_kmh,
                "incline_pct": sample.incline_pct,
                "distance_m": sample.distance_m,
                "heart_rate": sample.heart_rate,
            }
            for sample in run.samples
        ],
    }


def _figures_json(figures: ArchivedFigures) -> dict[str, Any]:
    """What the treadmill and the strap measured (the same names as ``history --json``, docs/cli.md)."""
    return {
        "distance_m": figures.distance_m,
        "avg_heart_rate": figures.avg_heart_rate,
        "max_heart_rate": figures.max_heart_rate,
        "zone_max_heart_rate": figures.zone_max_heart_rate,
        "heart_rate_zones_s": None if figures.zone_s is None else list(figures.zone_s),
        "devices": figures.devices,
        "segment_figures": [
            {
                "index": segment.segment_index,
                "distance_m": segment.distance_m,
                "speed_kmh": segment.speed_kmh,
                "incline_pct": segment.incline_pct,
            }
            for segment in figures.segments
        ],
    }


def dump_archive(archive: JournalArchive, exported_at: dt.datetime) -> str:
    """The backup file's text: UTF-8 JSON, indented, one field per line, keys in a fixed order."""
    return json.dumps(archive_to_json(archive, exported_at), ensure_ascii=False, allow_nan=False, indent=1) + "\n"
