"""The main window: navigation on the left, the chosen section on the right, and room for the run screen.

The window only arranges widgets. What they show and what their buttons do is wired by ``ui.shell.controller``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from runcompanion.ui.common.item_views import current_follows_selection
from runcompanion.ui.shell.pages import SECTIONS, ShellPages

# The focus ring's band (ui/common/focus_ring.py, RING_PX; tests/gui/test_focus_ring.py checks they agree). Not
# imported from there: that module touches Qt's namespace, which the first frame must not build (widgets.py).
NAV_RING_ROOM_PX = 2


class MainWindow(QMainWindow):
    """Must be used from the GUI thread. ``section_shown`` carries the name of the section that became visible."""

    section_shown = Signal(str)
    import_session_requested = Signal()

    def __init__(self, pages: ShellPages, ui_state: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("RunCompanion")
        self.setMinimumSize(QSize(760, 460))
        self._ui_state = ui_state
        self.close_guard: Callable[[], bool] = lambda: True

        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections")
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; outline: 0; background: palette(alternate-base);"
            " font-size: 15px; padding-top: 12px; }"
            "QListWidget#navigation::item { padding: 12px 18px; border-radius: 6px; margin: 2px 8px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self._shell_pages = pages
        self.pages = QStackedWidget()
        self._names: list[str] = []
        for name in SECTIONS:
            self.nav.addItem(QListWidgetItem(name))
            self.pages.addWidget(QWidget())  # stands in until the section is first shown
            self._names.append(name)
        self.nav.currentRowChanged.connect(self._on_nav)
        current_follows_selection(self.nav)  # a screen reader picks a section by selecting it

        shell = QWidget()
        row = QHBoxLayout(shell)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(_edge_room(self.nav))
        row.addWidget(self.pages, 1)

        # The run screen replaces the whole window content, navigation included: on a treadmill nothing else
        # should compete for attention.
        self.screens = QStackedWidget()
        self.screens.addWidget(shell)
        self.setCentralWidget(self.screens)
        self._build_menus()
        self._restore_geometry()

    def _build_menus(self) -> None:
        # setShortcuts, not setShortcut: PySide6's overload check for the latter builds Qt's whole namespace,
        # 16 ms of the first frame (see widgets.py). The standard Quit also gets every binding of the platform.
        file_menu = self.menuBar().addMenu("&File")
        import_action = QAction("&Import session…", self)
        import_action.triggered.connect(self.import_session_requested)
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        # Ctrl+Q as well: some platforms (and the offscreen one) bind nothing to the standard Quit.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        ctrl_q = QKeySequence("Ctrl+Q")
        quit_action.setShortcuts(quit_keys if ctrl_q in quit_keys else [*quit_keys, ctrl_q])
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.addAction(quit_action)  # the run screen hides the menu bar, and with it the menu's shortcuts

        go_menu = self.menuBar().addMenu("&Go")
        for i, name in enumerate(SECTIONS):
            action = QAction(name, self)
            action.setShortcuts([QKeySequence(f"Ctrl+{i + 1}")])
            action.triggered.connect(lambda _checked=False, n=name: self.show_section(n))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About RunCompanion", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_about(self) -> None:
        from runcompanion.ui.shell.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def show_section(self, name: str) -> None:
        self.nav.setCurrentRow(self._names.index(name))

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        page = self._shell_pages.get(self._names[row])
        stand_in = self.pages.widget(row)
        if stand_in is not None and stand_in is not page:
            self.pages.insertWidget(row, page)
            self.pages.removeWidget(stand_in)
            stand_in.deleteLater()
        self.pages.setCurrentIndex(row)
        self.section_shown.emit(self._names[row])

    def show_screen(self, widget: QWidget) -> None:
        """Put ``widget`` (the run screen) in front of everything else."""
        if self.screens.indexOf(widget) < 0:
            self.screens.addWidget(widget)
        self.menuBar().setVisible(False)
        self.screens.setCurrentWidget(widget)
        widget.setFocus()

    def show_shell(self, remove: QWidget | None = None) -> None:
        self.screens.setCurrentIndex(0)
        self.menuBar().setVisible(True)
        if remove is not None:
            self.screens.removeWidget(remove)
            remove.deleteLater()
        if self.isFullScreen():
            self.showNormal()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def _restore_geometry(self) -> None:
        geometry = self._ui_state.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.close_guard():
            event.ignore()
            return
        self._ui_state.setValue("window/geometry", self.saveGeometry())
        self._ui_state.sync()
        event.accept()


def _edge_room(nav: QWidget) -> QWidget:
    """``nav`` with room for its focus ring: it runs along the window's edge, top to bottom, where a ring drawn
    round it (ui/common/focus_ring.py) was cut on three sides and only its right side showed. The room is in
    the list's own background colour, so the sidebar looks as before."""
    room = QWidget()
    room.setObjectName("navigationRoom")
    room.setAutoFillBackground(True)
    room.setBackgroundRole(QPalette.ColorRole.AlternateBase)  # the role, not a colour: it follows the theme
    layout = QHBoxLayout(room)
    layout.setContentsMargins(NAV_RING_ROOM_PX, NAV_RING_ROOM_PX, NAV_RING_ROOM_PX, NAV_RING_ROOM_PX)
    layout.addWidget(nav)
    return room
