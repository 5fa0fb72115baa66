"""Light and dark palettes. Fusion style everywhere, so both themes look the same on every platform."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from runcompanion.core.app_settings import Theme

# Colours of the segment kinds, shared by the run screen's progress bar and the session preview. Chosen to be
# told apart by people with the common colour-vision deficiencies, and to read on both themes.
SEGMENT_COLOURS = {
    "warmup": "#E69F00",
    "run": "#D55E00",
    "walk": "#0072B2",
    "recover": "#56B4E9",
    "cooldown": "#009E73",
    "free": "#999999",
}


# The same hues, darkened where needed so a segment's title reads at 4.5:1 or better on the light background.
_SEGMENT_TEXT_LIGHT = {
    "warmup": "#8A5A00",
    "run": "#B34700",
    "walk": "#005A8C",
    "recover": "#1B6A96",
    "cooldown": "#00704F",
    "free": "#555555",
}


def segment_text_colour(kind: str, *, dark: bool) -> str:
    """The colour for a segment's title: its bar colour on a dark background, a darker shade on a light one."""
    if dark:
        return SEGMENT_COLOURS.get(kind, "#999999")
    return _SEGMENT_TEXT_LIGHT.get(kind, "#555555")


def effective_theme(theme: Theme) -> Theme:
    if theme is not Theme.SYSTEM:
        return theme
    hints = QGuiApplication.styleHints()
    from PySide6.QtCore import Qt

    return Theme.DARK if hints.colorScheme() == Qt.ColorScheme.Dark else Theme.LIGHT


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        # Fields a step lighter than the window: Fusion draws check boxes, spin-box frames and progress-bar
        # tracks with the window's colour darkened, which vanished on a field darker than the window.
        base, window, text, mid = "#2a2e34", "#1e2125", "#f2f2f2", "#353a42"
        highlight, link = "#4da3ff", "#7cc0ff"
    else:
        base, window, text, mid = "#ffffff", "#f4f5f7", "#111111", "#e4e6ea"
        highlight, link = "#0a64c8", "#0a58b0"
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(window))
    p.setColor(role.WindowText, QColor(text))
    p.setColor(role.Base, QColor(base))
    p.setColor(role.AlternateBase, QColor(mid))
    p.setColor(role.Text, QColor(text))
    p.setColor(role.Button, QColor(mid))
    p.setColor(role.ButtonText, QColor(text))
    p.setColor(role.ToolTipBase, QColor(base))
    p.setColor(role.ToolTipText, QColor(text))
    p.setColor(role.PlaceholderText, QColor("#8a8f98"))
    p.setColor(role.Highlight, QColor(highlight))
    # White on the dark theme's light blue was 2.6:1; the background's near black is 6.8:1 (white on the light
    # theme's blue is 5.7:1).
    p.setColor(role.HighlightedText, QColor(base if dark else "#ffffff"))
    p.setColor(role.Link, QColor(link))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.ButtonText, role.WindowText):
        p.setColor(disabled, r, QColor("#7a7f87"))
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
