"""Qt's own messages go to RunCompanion's log instead of the terminal.

Qt prints warnings on stderr, for instance "PulseAudioService: pa_context_connect() failed" whenever no sound
server runs: noise above `runcompanion doctor`'s report (which says the same in words, with the fix), and lost
anyway when the app is opened from a desktop menu. In the log, next to the app's own lines, they help.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category
    where = f"{category}: " if category and category != "default" else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", where, message)


def route_qt_messages_to_log() -> None:
    """From now on, in this process. Only for the app's own process: pytest-qt captures Qt's messages itself."""
    qInstallMessageHandler(_to_log)
