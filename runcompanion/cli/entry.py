"""The command line: ``runcompanion`` opens the app; its commands make every part scriptable and testable.

Exit status: 0 on success, 2 for anything the user can fix (one line on stderr, no traceback), 1 for a bug.
Each command group is a module of this package; ``_dispatch`` imports only the one that runs, so opening the
app never pays for SQLAlchemy-backed plan and journal code before its first frame.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from runcompanion.cli.output import EXIT_OK, EXIT_USER
from runcompanion.cli.parser import parse
from runcompanion.core.errors import UserError
from runcompanion.paths import AppPaths, resolve_paths

log = logging.getLogger("runcompanion")


def _setup_logging(paths: AppPaths) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        fd = os.open(paths.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        handler: logging.Handler = logging.FileHandler(paths.log_file, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    # Alembic lists each of its plugins at every migration; its lines about the migrations themselves stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


# Qt Multimedia reports which audio back ends it probed on every start; that is noise on a runner's terminal.
QUIET_QT_LOGGING = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg=false"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    os.environ.setdefault("QT_LOGGING_RULES", QUIET_QT_LOGGING)
    try:
        paths = resolve_paths(args.data_dir)
        paths.ensure()
        _setup_logging(paths)
        return _dispatch(args, paths)
    except UserError as exc:
        print(f"runcompanion: {exc}", file=sys.stderr)
        if args.command in (None, "run"):
            # Started from a desktop menu there is no terminal to read: the log keeps why no window opened.
            log.warning("no window: %s", exc)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`runcompanion history | head`): nothing is wrong, stop writing quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace, paths: AppPaths) -> int:
    # The imports are inside each branch: a command loads only its own module (see the module docstring).
    command: str | None = args.command
    if command is None:
        from runcompanion.ui.shell.launch import run_gui

        return run_gui(paths)
    if command == "doctor":
        from runcompanion.cli.doctor import doctor

        return doctor(args, paths)
    if command == "sessions":
        from runcompanion.cli.sessions import sessions

        return sessions(args, paths)
    if command == "history":
        from runcompanion.cli.history import history

        return history(args, paths)
    if command == "cues":
        from runcompanion.cli.cues import cues

        return cues(args, paths)
    if command == "render":
        from runcompanion.cli.cues import render

        return render(args, paths)
    if command == "voices":
        from runcompanion.cli.voices import voices

        return voices(args, paths)
    if command == "run":
        from runcompanion.cli.run import run

        return run(args, paths)
    if command == "journal":
        from runcompanion.cli.journal import journal

        return journal(args, paths)
    if command in ("programs", "plan"):
        from runcompanion.cli.plan import plan, programs

        return programs(args, paths) if command == "programs" else plan(args, paths)
    if command == "desktop":
        from runcompanion.cli.desktop import desktop

        return desktop(args, paths)
    if command == "backup":
        from runcompanion.cli.backup import backup

        return backup(args, paths)
    raise AssertionError(f"the parser accepted an unknown command: {command}")
