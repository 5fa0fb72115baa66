"""The command line: one module per command group; ``entry.main`` parses and dispatches.

``runcompanion.cli:main`` is the console script's entry point (see pyproject.toml).
"""

from runcompanion.cli.entry import main

__all__ = ["main"]
