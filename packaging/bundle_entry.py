"""The bundle's entry point: what the `runcompanion` script does, for a program PyInstaller freezes."""

import multiprocessing
import sys

from runcompanion.cli import main

if __name__ == "__main__":
    # A frozen program started as a multiprocessing child (audio/piper_process.py) must run the child's work,
    # not the app: freeze_support does that and returns at once otherwise.
    multiprocessing.freeze_support()
    sys.exit(main())
