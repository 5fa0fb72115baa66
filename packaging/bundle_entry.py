"""The bundle's entry point: what the `runcompanion` script does, for a program PyInstaller freezes."""

import sys

from runcompanion.cli import main

if __name__ == "__main__":
    sys.exit(main())
