"""``runcompanion run SESSION``: open the run screen and start the countdown at once."""

from __future__ import annotations

import argparse

from runcompanion.cli.voices import check_voice
from runcompanion.paths import AppPaths
from runcompanion.services.composition import RunRequest, build_services
from runcompanion.services.instance_channel import own_data_folder
from runcompanion.ui.shell.launch import run_gui


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    # The folder is taken before the database opens: a second `run` beside a live one is refused here, and
    # never marks the live run interrupted.
    owner = own_data_folder(paths, starting_run=True)
    try:
        services = build_services(paths, owner)
        try:
            services.catalog.get(args.session_id)  # an unknown id is refused before any window opens
            if args.voice is not None:
                check_voice(services, args.voice)  # so is a voice that is not installed
            request = RunRequest(args.session_id, args.seed, args.fullscreen, args.voice, args.treadmill)
            return run_gui(paths, request, services, owner)
        finally:
            services.close()
    finally:
        if owner is not None:
            owner.release()
