"""Shared by every test folder."""

from __future__ import annotations

import os

from tests.own_home import isolate_home

# GUI tests run offscreen; end-to-end tests give their subprocesses a real (virtual) X display instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A stray RUNCOMPANION_HOME from the developer's shell must never point a test at real data.
os.environ.pop("RUNCOMPANION_HOME", None)
# Before anything else runs: HOME and the XDG folders point into a temporary folder for the whole run.
isolate_home()
