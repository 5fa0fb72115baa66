"""The five sections of the main window, each built the first time it is needed.

Only Today is on screen when the app opens; building the other four (a calendar, tables, forms) later keeps
their cost out of the first frame. ``created`` lets the controller wire a page the moment it exists.
Must be used from the GUI thread.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from runcompanion.ui.journal.journal_page import JournalPage
    from runcompanion.ui.plan.plan_page import PlanPage
    from runcompanion.ui.sessions.sessions_page import SessionsPage
    from runcompanion.ui.settings.settings_page import SettingsPage
    from runcompanion.ui.shell.today_page import TodayPage

SECTIONS = ("Today", "Plan", "Sessions", "Journal", "Settings")

_MODULES = {
    "Today": ("runcompanion.ui.shell.today_page", "TodayPage"),
    "Plan": ("runcompanion.ui.plan.plan_page", "PlanPage"),
    "Sessions": ("runcompanion.ui.sessions.sessions_page", "SessionsPage"),
    "Journal": ("runcompanion.ui.journal.journal_page", "JournalPage"),
    "Settings": ("runcompanion.ui.settings.settings_page", "SettingsPage"),
}


class ShellPages(QObject):
    """``created`` carries the section name and its new widget."""

    created = Signal(str, QWidget)

    def __init__(self, data_folder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_folder = data_folder
        self._built: dict[str, QWidget] = {}

    def get(self, name: str) -> QWidget:
        page = self._built.get(name)
        if page is None:
            module, cls = _MODULES[name]
            factory = getattr(importlib.import_module(module), cls)
            page = factory(self._data_folder) if name == "Settings" else factory()
            self._built[name] = page
            self.created.emit(name, page)
        return page

    def built(self) -> dict[str, QWidget]:
        return dict(self._built)

    @property
    def today(self) -> TodayPage:
        return cast("TodayPage", self.get("Today"))

    @property
    def plan(self) -> PlanPage:
        return cast("PlanPage", self.get("Plan"))

    @property
    def sessions(self) -> SessionsPage:
        return cast("SessionsPage", self.get("Sessions"))

    @property
    def journal(self) -> JournalPage:
        return cast("JournalPage", self.get("Journal"))

    @property
    def settings(self) -> SettingsPage:
        return cast("SettingsPage", self.get("Settings"))
