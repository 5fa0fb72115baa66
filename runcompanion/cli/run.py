"""``runcompanion run SESSION``: open the run screen and start the countdown at once."""

from __future__ import annotations

import argparse

from runcompanion.cli.voices import check_voice
from runcompanion.paths import AppPaths
from runcompanion.services.composition import RunRequest, build_services
from runcompanion.ui.shell.launch import run_gui


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    services = build_services(paths)
    try:
        services.catalog.get(args.session_id)  # an unknown id is refused before any window opens
        if args.voice is not None:
            check_voice(services, args.voice)  # so is a voice that is not installed
        request = RunRequest(args.session_id, args.seed, args.fullscreen, args.voice, args.treadmill)
        return run_gui(paths, request, services)
    finally:
        services.close()
