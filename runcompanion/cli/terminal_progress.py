"""A progress bar for long work on a terminal. Silent when stderr is not a terminal (scripts, tests, --json)."""

from __future__ import annotations

import sys
from typing import TextIO


class TerminalProgress:
    def __init__(self, label: str, *, enabled: bool | None = None, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._label = label
        self._enabled = self._stream.isatty() if enabled is None else enabled
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or total <= 0:
            return
        width = 30
        filled = round(width * min(done, total) / total)
        self._stream.write(f"\r{self._label} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False
