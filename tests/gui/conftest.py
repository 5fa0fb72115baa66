from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.ui.shell.gui_app import GuiApp


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(resolve_paths(tmp_path / "home", env={}))
    yield built
    built.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gui(qapp: QApplication, qtbot: QtBot, services: Services, clock: FakeClock) -> Iterator[GuiApp]:
    app = GuiApp(services.paths, ["runcompanion"], clock=clock)
    app.attach(services)
    # pytest-qt closes registered widgets before fixture teardown: a run still going would ask "stop?" in a
    # modal box nobody answers.
    qtbot.addWidget(app.window, before_close_func=lambda w: setattr(w, "close_guard", lambda: True))
    app.window.resize(1280, 800)
    with qtbot.waitExposed(app.window):  # called bare, pytest-qt's waitExposed returns and waits for nothing
        app.window.show()
    yield app
    app.window.close_guard = lambda: True
    app.window.close()
    app.shutdown()


@pytest.fixture
def answer_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Questions answer Yes (and are recorded) instead of waiting for a click that never comes."""
    asked: list[str] = []

    def question(_parent: object, title: str, *_args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked
