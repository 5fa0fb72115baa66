"""Light and dark themes: Qt's palette from the colours in ``palette.py``, and the Fusion style everywhere, so
both themes look the same on every platform."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from runcompanion.core.app_settings import Theme
from runcompanion.ui.common.palette import colours


def effective_theme(theme: Theme) -> Theme:
    if theme is not Theme.SYSTEM:
        return theme
    hints = QGuiApplication.styleHints()
    from PySide6.QtCore import Qt

    return Theme.DARK if hints.colorScheme() == Qt.ColorScheme.Dark else Theme.LIGHT


def _palette(dark: bool) -> QPalette:
    c = colours(dark=dark)
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c.window))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.base))
    p.setColor(role.AlternateBase, QColor(c.mid))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.Button, QColor(c.mid))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.ToolTipBase, QColor(c.base))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.placeholder))
    p.setColor(role.Highlight, QColor(c.highlight))
    p.setColor(role.HighlightedText, QColor(c.highlighted_text))
    p.setColor(role.Link, QColor(c.link))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.ButtonText, role.WindowText):
        p.setColor(disabled, r, QColor(c.disabled))
    return p


def _platform_palette_is_dark(app: QApplication) -> bool:
    palette = app.palette()
    role = QPalette.ColorRole
    return palette.color(role.WindowText).lightness() > palette.color(role.Window).lightness()


def apply_theme(app: QApplication, theme: Theme, *, first_frame: bool = False) -> Theme:
    """Apply ``theme`` to the whole application and return the one actually used (system resolved).

    With ``first_frame``, before the app has set a palette of its own, the system's choice is read from the
    platform's palette rather than from ``colorScheme()``: asking for the scheme builds Qt's whole namespace
    (16 ms of the first frame, see widgets.py). The call made once the services are attached asks the scheme,
    and corrects the rare platform where the two disagree.
    """
    if first_frame and theme is Theme.SYSTEM:
        used = Theme.DARK if _platform_palette_is_dark(app) else Theme.LIGHT
    else:
        used = effective_theme(theme)
    app.setStyle("Fusion")
    app.setPalette(_palette(used is Theme.DARK))
    for widget in app.allWidgets():
        if not isinstance(widget, QWidget):
            continue  # type: ignore[unreachable]  # PySide can hand back a stale wrapper (a QSpacerItem) for a widget deleted a moment ago
        sheet = widget.styleSheet()
        if "palette(" in sheet:
            # A style sheet reads palette(...) once: without this, the navigation and the Start button kept
            # the old theme's colours after a switch (light items in a dark window).
            widget.setStyleSheet(sheet)
    return used
