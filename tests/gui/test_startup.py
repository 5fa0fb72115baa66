"""Start-up: what waits until after the first frame still happens, and PySide6's import check keeps no sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.paths import resolve_paths
from runcompanion.services.composition import build_services
from runcompanion.ui.shell.gui_app import GuiApp


def test_after_the_first_frame_the_icon_is_set_and_the_services_attached(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    paths = resolve_paths(tmp_path / "home", env={})
    qapp.setWindowIcon(QIcon())  # the QApplication is shared with earlier tests
    gui = GuiApp(paths, ["runcompanion"])
    qtbot.addWidget(gui.window, before_close_func=lambda w: setattr(w, "close_guard", lambda: True))
    assert gui.qapp.windowIcon().isNull()  # not yet: it costs the first frame time
    seen: dict[str, bool] = {}

    def when_ready() -> None:
        seen["icon"] = not gui.qapp.windowIcon().isNull()
        seen["tray icon"] = gui.reminders is not None and not gui.reminders.tray.icon().isNull()
        seen["services"] = gui.services is not None
        if gui.welcome is not None:
            gui.welcome.close()
        gui.window.close_guard = lambda: True
        gui.qapp.quit()

    gui.ready.connect(lambda: QTimer.singleShot(0, when_ready))
    never_hang = QTimer()
    never_hang.setSingleShot(True)
    never_hang.timeout.connect(gui.qapp.quit)
    never_hang.start(30_000)
    status = gui.exec(lambda: build_services(paths))
    never_hang.stop()
    # Quitting closes the window, and the last window closing posts one more Quit that arrives after exec has
    # returned: it would end the next test's first wait at once (and every wait after it), so drop it.
    QCoreApplication.removePostedEvents(qapp, QEvent.Type.Quit)

    assert status == 0
    assert seen == {"icon": True, "tray icon": True, "services": True}


def test_pyside_checks_new_modules_as_before_without_keeping_their_source(tmp_path: Path) -> None:
    # A fresh interpreter: the check is replaced for the whole process.
    code = f"""
import linecache, sys
import PySide6.QtCore
from runcompanion.ui.common.process_tuning import check_imports_without_keeping_sources

feature = sys.modules["shibokensupport.feature"]
pyside_check = feature._mod_uses_pyside
assert check_imports_without_keeping_sources()
sys.path.insert(0, {str(tmp_path)!r})
import uses_qt, plain
decided = feature.pyside_feature_dict
print(decided["uses_qt"], decided["plain"])
print([name for name in linecache.cache if name.startswith({str(tmp_path)!r})])
print(pyside_check(uses_qt), pyside_check(plain))
"""
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("VALUE = 1\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == ["0 -1", "[]", "True False"]


def test_the_first_frame_does_not_build_qts_namespace(tmp_path: Path) -> None:
    """Building ``PySide6.QtCore.Qt`` (all of its enums at once) costs about 16 ms; the first frame must not pay
    it. A fresh process, as a person starts the app: the answer is printed from the first paint's log line."""
    code = f"""
import logging, os, sys
import PySide6.QtCore

class AtFirstPaint(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("first paint"):
            print("Qt namespace built:", "Qt" in vars(PySide6.QtCore), flush=True)
            os._exit(0)

logging.getLogger().addHandler(AtFirstPaint())
from runcompanion.cli import main
main(["--data-dir", {str(tmp_path / "home")!r}])
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, env=env
    )
    assert result.stdout.splitlines() == ["Qt namespace built: False"]


def test_the_first_frame_loads_no_device_layer(tmp_path: Path) -> None:
    """The Bluetooth device layer (asyncio and the treadmill and strap clients, about 60 ms) loads with the Settings
    page or a run that uses a device, never before the window's first paint. A fresh process, as a person starts
    the app."""
    code = f"""
import logging, os, sys

class AtFirstPaint(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("first paint"):
            loaded = sorted(m for m in sys.modules if m.startswith("runcompanion.services.devices"))
            print("device modules:", loaded, "asyncio:", "asyncio" in sys.modules, flush=True)
            os._exit(0)

logging.getLogger().addHandler(AtFirstPaint())
from runcompanion.cli import main
main(["--data-dir", {str(tmp_path / "home")!r}])
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, env=env
    )
    assert result.stdout.splitlines() == ["device modules: [] asyncio: False"]
