"""Start RunCompanion from a checkout: ``python main.py`` does what the ``runcompanion`` command does."""

import sys

from runcompanion.cli import main

if __name__ == "__main__":
    sys.exit(main())
