"""The command line's grammar: every command, its options and its help text.

Parsing is apart from running (``runcompanion.cli.entry``) so that a test can read what a command line means
without running it, and the common start (no command) skips building this parser altogether.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from runcompanion import __version__
from runcompanion.cli.output import EXIT_USER

DEFAULT_SEED = 1


_PACE_HELP = "your 5 km pace per km for .zwo speeds (default: the one in Settings, else 6:00)"


def _pace(text: str) -> int:
    """A 5 km pace as "m:ss" per km, from 2:30 to 15:00: seconds per km."""
    minutes, _, seconds = text.partition(":")
    if minutes.isdigit() and len(seconds) == 2 and seconds.isdigit() and int(seconds) < 60:
        value = int(minutes) * 60 + int(seconds)
        if 150 <= value <= 900:
            return value
    raise argparse.ArgumentTypeError(f"a pace per km from 2:30 to 15:00 like 5:30, not {text!r}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage block; one line that says what is wrong is easier to act on.
        self.exit(EXIT_USER, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _feeling(text: str) -> int:
    """A check-in feeling: a whole number from -5 to 5 (the scale of the run screen)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a feeling is a whole number from -5 to 5, not {text!r}") from None
    if not -5 <= value <= 5:
        raise argparse.ArgumentTypeError(f"a feeling is a whole number from -5 to 5, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="runcompanion",
        description="A desktop companion for guided runs. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"RunCompanion {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep data, cache and configuration under DIR (also: environment variable RUNCOMPANION_HOME)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    doctor = sub.add_parser("doctor", help="check speech, audio, display and the data folder")
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")

    sessions = sub.add_parser("sessions", help="list sessions; import or export one")
    sessions.add_argument("--json", action="store_true", help="print the list as JSON")
    sessions_sub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", parser_class=_Parser)
    imp = sessions_sub.add_parser("import", help="add an own session from a .toml, .zwo (Zwift run) or .fit file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--pace", type=_pace, metavar="M:SS", help=_PACE_HELP)
    exp = sessions_sub.add_parser("export", help="write a session to a .toml, .zwo or .fit file (by its extension)")
    exp.add_argument("session_id", metavar="ID")
    exp.add_argument("--out", type=Path, required=True, metavar="FILE")
    exp.add_argument("--pace", type=_pace, metavar="M:SS", help=_PACE_HELP)

    cues = sub.add_parser("cues", help="the spoken-cue timeline of a session")
    cues.add_argument("session_id", metavar="SESSION")
    cues.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"choose the cues (default {DEFAULT_SEED})")
    cues.add_argument("--json", action="store_true", help="print the timeline as JSON")
    cues.add_argument("--voice", metavar="ID", help="speak with this voice (see `runcompanion voices`)")
    cues.add_argument("--feeling", type=_feeling, default=None, metavar="N", help="as after a check-in of N (-5 to 5)")

    render = sub.add_parser("render", help="the whole guided run as one WAV file")
    render.add_argument("session_id", metavar="SESSION")
    render.add_argument("--out", type=Path, required=True, metavar="FILE.wav")
    render.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"choose the cues (default {DEFAULT_SEED})")
    render.add_argument("--voice", metavar="ID", help="speak with this voice (see `runcompanion voices`)")

    voices = sub.add_parser("voices", help="every voice of every speech engine, English first; add a Piper voice")
    voices.add_argument("--json", action="store_true", help="print the list as JSON")
    voices_sub = voices.add_subparsers(dest="voices_command", metavar="ACTION", parser_class=_Parser)
    voices_add = voices_sub.add_parser("add", help="add a Piper voice (FILE.onnx with FILE.onnx.json beside it)")
    voices_add.add_argument("file", type=Path, metavar="FILE.onnx")

    journal = sub.add_parser("journal", help="export or import the journal")
    journal_sub = journal.add_subparsers(dest="journal_command", metavar="ACTION", parser_class=_Parser)
    journal_sub.required = True
    export = journal_sub.add_parser("export", help="write the journal as CSV, JSON (a full backup) or Markdown")
    export.add_argument("--format", choices=("csv", "json", "md"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    journal_import = journal_sub.add_parser("import", help="add what a JSON backup holds and this data folder lacks")
    journal_import.add_argument("file", type=Path, metavar="FILE.json")

    backup = sub.add_parser("backup", help="list, create or restore backups of your data")
    backup_sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", parser_class=_Parser)
    backup_list = backup_sub.add_parser("list", help="the backups, newest first")
    backup_list.add_argument("--json", action="store_true", help="print the list as JSON")
    backup_sub.add_parser("create", help="back up your data now")
    backup_restore = backup_sub.add_parser("restore", help="bring a backup back (the current data is backed up first)")
    backup_restore.add_argument("backup_id", metavar="ID")

    history = sub.add_parser("history", help="runs with their status: finished, stopped, interrupted")
    history.add_argument("--json", action="store_true", help="print the list as JSON")
    history_sub = history.add_subparsers(dest="history_command", metavar="ACTION", parser_class=_Parser)
    history_export = history_sub.add_parser(
        "export", help="write runs as activity files (FIT or TCX) for Strava, Garmin Connect, intervals.icu"
    )
    history_export.add_argument("run_ids", type=int, nargs="+", metavar="RUN_ID")
    history_export.add_argument("--format", choices=("fit", "tcx"), required=True)
    history_export.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="the file, or a folder for several runs"
    )

    programs = sub.add_parser("programs", help="training programs such as Couch to 5K")
    programs.add_argument("--json", action="store_true", help="print the list as JSON")
    programs_sub = programs.add_subparsers(dest="programs_command", metavar="ACTION", parser_class=_Parser)
    show = programs_sub.add_parser("show", help="a program's weeks and runs")
    show.add_argument("program_id", metavar="ID")
    # SUPPRESS: `programs --json show ID` keeps the --json given before the action.
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the program as JSON")
    script = programs_sub.add_parser("script", help="every run of a program as the coach would speak it")
    script.add_argument("program_id", metavar="PROGRAM")
    script.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"choose the cues (default {DEFAULT_SEED})")
    script.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print the script as JSON")

    plan = sub.add_parser("plan", help="enrol in a program, list the plan, export it to a calendar")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", parser_class=_Parser, required=True)
    enrol = plan_sub.add_parser("enrol", help="follow a program: put all its runs on the calendar")
    enrol.add_argument("program_id", metavar="PROGRAM")
    enrol.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="the first day of week 1")
    enrol.add_argument("--days", required=True, metavar="DAYS", help="run days, like mon,wed,sat")
    enrol.add_argument("--time", required=True, metavar="HH:MM", help="the local time of day of every run")
    enrol.add_argument(
        "--replace",
        action="store_true",
        help="stop following the current program (its planned runs go, runs done stay) and follow this one",
    )
    plan_list = plan_sub.add_parser("list", help="enrolments with their progress, and every scheduled run")
    plan_list.add_argument("--json", action="store_true", help="print as JSON")
    plan_cancel = plan_sub.add_parser("cancel", help="leave a program: its planned runs go, the done ones stay")
    plan_cancel.add_argument("enrolment_id", type=int, metavar="ENROLMENT", help="the enrolment's id (plan list)")
    plan_export = plan_sub.add_parser("export", help="write the planned runs to an iCalendar file")
    plan_export.add_argument("--ics", type=Path, required=True, metavar="FILE.ics")

    desktop = sub.add_parser("desktop", help="add RunCompanion to the desktop's menu of applications (Linux)")
    desktop_sub = desktop.add_subparsers(dest="desktop_command", metavar="ACTION", parser_class=_Parser, required=True)
    desktop_sub.add_parser("install", help="write the menu entry and the icon into your desktop folders")
    desktop_sub.add_parser("uninstall", help="remove the menu entry and icon that install wrote")

    run = sub.add_parser("run", help="open the run screen and start the countdown at once")
    run.add_argument("session_id", metavar="SESSION")
    run.add_argument("--seed", type=int, default=None, help="choose the cues as `cues --seed N` shows them")
    run.add_argument("--fullscreen", action="store_true", help="start in full screen (treadmill mode)")
    run.add_argument("--voice", metavar="ID", help="speak with this voice (see `runcompanion voices`)")
    run.add_argument(
        "--treadmill",
        choices=["simulated"],
        default=None,
        help="use the simulated treadmill and heart-rate strap for this run (docs/devices.md)",
    )
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    words = list(sys.argv[1:] if argv is None else argv)
    # Opening the app is the common start, and building the parser with every command's options took about
    # 5 ms of the window's first frame. Only the two plain forms are taken here; anything else, help and
    # mistakes included, goes through the parser.
    if not words:
        return argparse.Namespace(command=None, data_dir=None)
    if len(words) == 2 and words[0] == "--data-dir" and words[1] and not words[1].startswith("-"):
        return argparse.Namespace(command=None, data_dir=words[1])
    return build_parser().parse_args(words)
