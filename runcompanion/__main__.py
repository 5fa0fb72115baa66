import sys

from runcompanion.cli import main

sys.exit(main())
