"""Every colour the app shows, for the light and the dark theme: the one source of colours.

The window palette (``theme.py`` builds Qt's ``QPalette`` from ``Colours``), the segment kinds of the run screen's
bar and the session editor, the chart series, the Plan calendar's marks, the Journal's mood strip, notices and
error text all come from here, so a theme is finished in one place. Widgets that paint or colour something ask
this module with ``is_dark(palette)``; ``tests/unit/test_palette.py`` fails when a module under ``ui/`` other
than this one spells a colour itself.

The hues are the Okabe-Ito set (Okabe and Ito, "Color Universal Design", 2008), told apart by people with the
common colour-vision deficiencies. Where a hue carries text or a thin line, the dark theme uses a lighter shade
and the light theme a darker one, so text reads at 4.5:1 and lines at 3:1 (WCAG 2.2) on their background.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QColor, QPalette, QTextCharFormat


@dataclass(frozen=True, slots=True)
class Colours:
    """The window's colours for one theme (what ``theme.py`` turns into a ``QPalette``)."""

    window: str
    base: str
    text: str
    mid: str
    highlight: str
    highlighted_text: str
    link: str
    placeholder: str
    disabled: str
    error: str
    """Text that says something is wrong (a field's problem), on the window colour."""
    weekend: str
    """Saturday and Sunday on the Plan calendar, on the base colour."""


LIGHT: Final = Colours(
    window="#f4f5f7",
    base="#ffffff",
    text="#111111",
    mid="#e4e6ea",
    highlight="#0a64c8",
    highlighted_text="#ffffff",  # white on the light theme's blue is 5.7:1
    link="#0a58b0",
    placeholder="#6b7079",
    disabled="#7a7f87",
    error="#b3261e",
    weekend="#b3261e",
)

# Fields a step lighter than the window: Fusion draws check boxes, spin-box frames and progress-bar tracks with
# the window's colour darkened, which vanished on a field darker than the window.
DARK: Final = Colours(
    window="#1e2125",
    base="#2a2e34",
    text="#f2f2f2",
    mid="#353a42",
    highlight="#4da3ff",
    highlighted_text="#2a2e34",  # white on the light blue was 2.6:1; the near black is 6.8:1
    link="#7cc0ff",
    placeholder="#9aa0a8",
    disabled="#7a7f87",
    error="#ff8a80",  # the light theme's red was 2.4:1 on the dark window
    weekend="#ff8a80",
)


def colours(*, dark: bool) -> Colours:
    return DARK if dark else LIGHT


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` (a widget's or the application's) is a dark one: light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


# --- segments ------------------------------------------------------------------------------------------------

# The fill of each segment kind on the run screen's bar, the session editor's bar and the session preview's
# swatches. The same in both themes: the blocks sit on their own track and carry no text.
SEGMENT_FILL: Final = {
    "warmup": "#E69F00",
    "run": "#D55E00",
    "walk": "#0072B2",
    "recover": "#56B4E9",
    "cooldown": "#009E73",
    "free": "#999999",
}
_SEGMENT_TEXT_LIGHT: Final = {
    "warmup": "#8A5A00",
    "run": "#B34700",
    "walk": "#005A8C",
    "recover": "#1B6A96",
    "cooldown": "#00704F",
    "free": "#555555",
}
# On the dark window the fills of "run" (4.2:1) and "walk" (3.1:1) were too faint for a title; lighter shades.
_SEGMENT_TEXT_DARK: Final = {**SEGMENT_FILL, "run": "#F2783A", "walk": "#4aa3e8"}


def done_shade() -> QColor:
    """Laid over the part of the bar already run: the fills, darkened, in either theme."""
    return QColor(0, 0, 0, 110)


def segment_fill(kind: str) -> QColor:
    return QColor(SEGMENT_FILL.get(kind, SEGMENT_FILL["free"]))


def segment_text(kind: str, *, dark: bool) -> QColor:
    """A segment's title in its kind's hue, at 4.5:1 or better on the theme's window."""
    shades = _SEGMENT_TEXT_DARK if dark else _SEGMENT_TEXT_LIGHT
    return QColor(shades.get(kind, shades["free"]))


# --- charts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartColours:
    """Series colours of the journal's charts, on the theme's base colour (the charts' background)."""

    before: str
    after: str
    minutes: str
    pace: str
    heart: str


_CHARTS_LIGHT: Final = ChartColours(
    before="#0072B2", after="#C45500", minutes="#00805D", pace="#00805D", heart="#A8437E"
)
_CHARTS_DARK: Final = ChartColours(
    before="#56B4E9", after="#F0A35E", minutes="#3CC99A", pace="#3CC99A", heart="#E59BC6"
)


def chart_colours(*, dark: bool) -> ChartColours:
    return _CHARTS_DARK if dark else _CHARTS_LIGHT


# --- the Plan calendar ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayMark:
    """How the calendar marks a day: its number in ``text`` on ``background`` (4.5:1 or better)."""

    text: str
    background: str


@dataclass(frozen=True, slots=True)
class CalendarMarks:
    planned: DayMark
    done: DayMark
    skipped: DayMark


_MARKS_LIGHT: Final = CalendarMarks(
    planned=DayMark("#ffffff", "#B34700"),
    done=DayMark("#ffffff", "#00704F"),
    skipped=DayMark("#ffffff", "#5f646b"),
)
# On the dark calendar the marks are light fills with dark numbers: white on a deep fill sank into the window.
_MARKS_DARK: Final = CalendarMarks(
    planned=DayMark("#1e2125", "#F0A35E"),
    done=DayMark("#1e2125", "#3CC99A"),
    skipped=DayMark("#1e2125", "#9aa0a8"),
)


def calendar_marks(*, dark: bool) -> CalendarMarks:
    return _MARKS_DARK if dark else _MARKS_LIGHT


def day_format(mark: DayMark) -> QTextCharFormat:
    """A calendar day's look (``QCalendarWidget.setDateTextFormat``) for ``mark``."""
    look = QTextCharFormat()
    look.setForeground(QColor(mark.text))
    look.setBackground(QColor(mark.background))
    return look


# --- the mood strip ------------------------------------------------------------------------------------------

# Feeling Scale -5 .. +5 as a diverging scale: vermillion for bad, grey for neutral, blue for good (the
# orange-blue pair stays apart for every common colour-vision deficiency). Each end is stronger than the middle,
# so the scale also reads by lightness alone.
_MOOD_ENDS_LIGHT: Final = ("#A33D00", "#a3a9b2", "#00538A")
_MOOD_ENDS_DARK: Final = ("#F5884A", "#6b717b", "#62BDF5")


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * share),
        round(a.green() + (b.green() - a.green()) * share),
        round(a.blue() + (b.blue() - a.blue()) * share),
    )


def mood_colour(feeling: int, *, dark: bool) -> QColor:
    """The colour of a day whose feeling (Feeling Scale, -5 to +5) was ``feeling``."""
    low, middle, high = (QColor(c) for c in (_MOOD_ENDS_DARK if dark else _MOOD_ENDS_LIGHT))
    feeling = max(-5, min(5, feeling))
    # Eased, not linear: a linear mix left +1 and -1 nearly as grey as neutral.
    share = (abs(feeling) / 5) ** 0.6
    return _mix(middle, low if feeling < 0 else high, share)


def mood_no_run(*, dark: bool) -> QColor:
    """The thin line of a day without a run: there, but quieter than any day with one."""
    return QColor("#5a606a" if dark else "#b8bcc4")


# --- notices -------------------------------------------------------------------------------------------------

# A notice (no sound, a device lost) is amber in both themes, with text at 4.5:1 or better on its box. The light
# theme's box is pale with dark text. The dark theme's is deep amber with light text: the pale box was the
# brightest thing on the dark screen (14.6:1 against the window), a glare in the dim room the theme is chosen for.
_NOTICE_LIGHT: Final = ("#5c4400", "#fff3cd")
_NOTICE_DARK: Final = ("#ffe08a", "#4a3700")


def notice_colours(*, dark: bool) -> tuple[QColor, QColor]:
    """``(text, background)`` of a notice."""
    text, background = _NOTICE_DARK if dark else _NOTICE_LIGHT
    return QColor(text), QColor(background)


def error_text(*, dark: bool) -> QColor:
    return QColor(colours(dark=dark).error)


# --- contrast ------------------------------------------------------------------------------------------------


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.2)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    """The contrast ratio of two colours (1 to 21; text wants 4.5, lines and large text 3)."""
    high, low = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)
