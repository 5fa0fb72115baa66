"""``runcompanion journal export`` and ``runcompanion journal import``: the journal from the command line.

Parsing lives in ``cli.parser``; the services come from ``services.composition``. Anything the user can fix
(an unknown format, a folder that cannot be written, a damaged or foreign backup) is a UserError: one line on
stderr, exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runcompanion.cli.output import EXIT_OK
from runcompanion.paths import AppPaths
from runcompanion.services.composition import build_services
from runcompanion.storage.archive_records import ImportReport


def journal_export(args: argparse.Namespace, paths: AppPaths) -> int:
    """Write the journal to ``args.out`` as ``args.format`` (csv, json or md) and say what was written."""
    out: Path = args.out
    services = build_services(paths)
    try:
        report = services.journal_transfer.export(args.format, out)
    finally:
        services.close()
    runs = "1 run" if report.runs == 1 else f"{report.runs} runs"
    print(f"Wrote {out}: {runs}, {report.reflections} with a reflection ({report.format}).")
    return EXIT_OK


def journal_import(args: argparse.Namespace, paths: AppPaths) -> int:
    """Add what a JSON backup holds and this data folder lacks; say what was added and what was there."""
    file: Path = args.file
    services = build_services(paths)
    try:
        report = services.journal_transfer.import_file(file)
    finally:
        services.close()
    print(describe_import(file, report))
    return EXIT_OK


def describe_import(file: Path, report: ImportReport) -> str:
    """What an import did, in one or two sentences."""
    present = _listing(
        [
            _count(report.runs_present, "run"),
            _count(report.own_sessions_present, "own session"),
            _count(report.enrolments_present, "enrolment"),
            _count(report.scheduled_runs_present, "scheduled run"),
        ]
    )
    if not report.added_anything:
        if not present:
            return f"{file} holds no runs, sessions or plans: nothing to import."
        return f"Nothing new in {file}: its {present} are already here."
    added = _listing(
        [
            _count(report.runs_added, "run") + f" ({report.reflections_added} with a reflection)"
            if report.runs_added
            else "",
            _count(report.own_sessions_added, "own session"),
            _count(report.enrolments_added, "enrolment"),
            _count(report.scheduled_runs_added, "scheduled run"),
        ]
    )
    text = f"Imported from {file}: {added}."
    return f"{text} Already here and left as they were: {present}." if present else text


def _count(number: int, noun: str) -> str:
    if number == 0:
        return ""
    return f"1 {noun}" if number == 1 else f"{number} {noun}s"


def _listing(parts: list[str]) -> str:
    kept = [part for part in parts if part]
    if len(kept) <= 1:
        return "".join(kept)
    return ", ".join(kept[:-1]) + " and " + kept[-1]


def journal(args: argparse.Namespace, paths: AppPaths) -> int:
    """``journal export`` or ``journal import``."""
    if args.journal_command == "export":
        return journal_export(args, paths)
    return journal_import(args, paths)
