"""The journal as a spreadsheet (CSV) and as a document to read (Markdown): finished runs with their
reflections, local dates and times in the runner's zone. A text cell that starts like a formula is
quoted so a spreadsheet shows it as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from typing import Final

from runcompanion.core.mood import AROUSAL, EFFORT, feeling_text, signed
from runcompanion.services.journal_fields import one_line
from runcompanion.services.journal_json import instant_text
from runcompanion.storage.archive_records import ArchivedReflection, ArchivedRun

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
            "started_at": instant_text(run.started_at),
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
        lines += ["", f"## {_long_date(local)}, {local:%H:%M}: {one_line(run.session_name)}", ""]
        how = "logged by hand" if run.source == "manual" else _STATUS_WORDS[run.status]
        lines.append(f"- Time: {_duration(run.elapsed_s)} ({how})")
        reflection = run.reflection
        if reflection is None:
            lines.append("- No reflection written.")
            continue
        lines += _reflection_lines(reflection)
        if reflection.prompt:
            lines += ["", f"*{one_line(reflection.prompt)}*"]
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
