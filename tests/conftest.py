"""Shared by every test folder."""

from __future__ import annotations

import os

from hypothesis import settings

from tests.own_home import isolate_home

# GUI tests run offscreen; end-to-end tests give their subprocesses a real (virtual) X display instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A stray RUNCOMPANION_HOME from the developer's shell must never point a test at real data.
os.environ.pop("RUNCOMPANION_HOME", None)
# Before anything else runs: HOME and the XDG folders point into a temporary folder for the whole run.
isolate_home()

# Hypothesis' default 200 ms deadline per example is a speed assertion, and speed is measured in bench/, never
# asserted in tests: on a loaded two-core machine it failed property tests whose results were right.
settings.register_profile("runcompanion", deadline=None)
settings.load_profile("runcompanion")
