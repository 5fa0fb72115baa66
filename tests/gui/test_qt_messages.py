"""Qt's own warnings reach the app's log, not the terminal (a fresh process: the handler is process-wide)."""

from __future__ import annotations

import subprocess
import sys


def test_a_qt_warning_goes_to_the_log_with_its_category() -> None:
    code = """
import logging, sys
logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s: %(message)s", level=logging.INFO)
from PySide6.QtCore import QLoggingCategory, qCWarning, qWarning
from runcompanion.ui.common.qt_messages import route_qt_messages_to_log

route_qt_messages_to_log()
qWarning("PulseAudioService: pa_context_connect() failed")
qCWarning(QLoggingCategory("qt.multimedia.test"), "no device")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == [
        "WARNING qt: PulseAudioService: pa_context_connect() failed",
        "WARNING qt: qt.multimedia.test: no device",
    ]
    assert "pa_context_connect" not in result.stderr
