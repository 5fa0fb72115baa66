"""Guards against a Qt binding that corrupts the interpreter, which no feature test would notice in time.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call returning nothing; the run screen
makes thousands of such calls a minute, and the app aborted with "none_dealloc" after about thirteen minutes.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_calls_keep_the_reference_count_of_none(qtbot: QtBot) -> None:
    label = QLabel("start")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(2_000):
        label.setText(str(i % 10))
    lost = before - sys.getrefcount(None)
    # A few references come and go with garbage collection; a leak loses one per call.
    assert lost < 100, f"{lost} references to None lost in 2000 calls: this Qt binding corrupts the interpreter"
