"""One palette source: no module under ui/ spells a colour but ui/common/palette.py, and the palette's two themes
differ where a theme must (window, text, chart lines, calendar marks, mood colours, error text) with the contrast
text and lines need on their background."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette

from runcompanion.ui.common import palette

UI = Path(__file__).resolve().parents[2] / "runcompanion" / "ui"
PALETTE_MODULE = UI / "common" / "palette.py"

# Modules allowed to spell a colour, each with its reason. Empty: every colour lives in the palette module.
ALLOWED: dict[str, str] = {}

_HEX = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_FUNCTION = re.compile(r"\b(?:rgba?|hsla?|hsva?)\s*\(", re.IGNORECASE)
_SHEET_COLOUR = re.compile(
    r"(?:^|[;{\s])(?:color|background|background-color|border(?:-\w+)?-color|selection-\w+-color|"
    r"alternate-background-color|gridline-color)\s*:\s*([^;}]*)",
    re.IGNORECASE,
)
_COLOUR_MAKERS = {"QColor", "fromRgb", "fromRgbF", "fromHsv", "fromHsvF", "fromHsl", "fromHslF", "fromString"}
_GLOBAL_COLOURS = {
    "white", "black", "red", "darkRed", "green", "darkGreen", "blue", "darkBlue", "cyan", "darkCyan", "magenta",
    "darkMagenta", "yellow", "darkYellow", "gray", "darkGray", "lightGray", "color0", "color1",
}  # fmt: skip


def _named(value: str) -> bool:
    words = re.findall(r"[a-zA-Z]+", value)
    names = {name.lower() for name in QColor.colorNames()}
    return any(word.lower() in names for word in words if not value.strip().startswith("palette("))


def hard_coded_colours(source: str) -> list[str]:
    """Where ``source`` spells a colour: a hex code, rgb()/hsl() in a style sheet, a colour property with a named
    colour, QColor built from literal values, or one of Qt's global colours."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if _HEX.search(text) or _FUNCTION.search(text):
                found.append(f"line {line}: {text!r}")
            elif any(_named(v) for v in _SHEET_COLOUR.findall(text)):
                found.append(f"line {line}: a named colour in {text!r}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            literal = [a for a in node.args if isinstance(a, ast.Constant) and a.value is not None]
            if name in _COLOUR_MAKERS and literal:
                found.append(f"line {line}: {name}({', '.join(repr(a.value) for a in literal)})")
        elif isinstance(node, ast.Attribute) and (
            node.attr == "GlobalColor"
            or (node.attr in _GLOBAL_COLOURS and isinstance(node.value, ast.Name) and node.value.id == "Qt")
        ):
            found.append(f"line {line}: Qt.{node.attr}")
    return found


def test_no_ui_module_but_the_palette_spells_a_colour() -> None:
    modules = sorted(UI.rglob("*.py"))
    assert PALETTE_MODULE in modules
    assert len(modules) > 40  # the scan really covers the ui package
    problems = []
    for module in modules:
        relative = module.relative_to(UI).as_posix()
        if module == PALETTE_MODULE or relative in ALLOWED:
            continue
        problems += [f"ui/{relative} {where}" for where in hard_coded_colours(module.read_text(encoding="utf-8"))]
    assert not problems, "colours belong in ui/common/palette.py:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        'mark.setBackground(QColor("#D55E00"))',
        'label.setStyleSheet("color: #b3261e;")',
        'COLOUR = "#0072b2"',
        "painter.fillRect(rect, QColor(0, 0, 0, 110))",
        'frame.setStyleSheet("QFrame { background: rgba(0, 0, 0, 40); }")',
        'label.setStyleSheet("QLabel { color: white; }")',
        "painter.setPen(Qt.red)",
        "painter.setPen(Qt.GlobalColor.darkGray)",
        "c = QColor.fromRgb(10, 20, 30)",
    ],
)
def test_the_scan_finds_a_hard_coded_colour(source: str) -> None:
    assert hard_coded_colours(source), source


@pytest.mark.parametrize(
    "source",
    [
        'bar.setStyleSheet("QFrame#undoBar { background: palette(highlight); border-radius: 6px; }")',
        'label.setStyleSheet("font-weight: bold; border: none;")',
        "swatch.setBackground(segment_fill(kind))",
        "line.setColor(QColor(colours.before))",
        'title = "Run #1 of 8"',
        'label.setText("Week 3 · Run 2")',
    ],
)
def test_the_scan_lets_palette_uses_and_plain_text_pass(source: str) -> None:
    assert not hard_coded_colours(source), source


# --- the two themes ------------------------------------------------------------------------------------------


def test_the_window_colours_differ_between_the_themes_and_text_reads_on_both() -> None:
    light, dark = palette.colours(dark=False), palette.colours(dark=True)
    # Disabled text is one grey on both windows (readable on either, and exempt from contrast rules).
    for name in (f.name for f in dataclasses.fields(palette.Colours) if f.name != "disabled"):
        assert getattr(light, name) != getattr(dark, name), name
    for theme in (light, dark):
        for role in ("text", "placeholder", "error", "link", "weekend"):
            for background in (theme.window, theme.base):
                assert palette.contrast(getattr(theme, role), background) >= 4.5, (role, background)
        assert palette.contrast(theme.highlighted_text, theme.highlight) >= 4.5
    assert palette.is_dark(_qpalette(dark=True))
    assert not palette.is_dark(_qpalette(dark=False))


def _qpalette(*, dark: bool) -> QPalette:
    from runcompanion.ui.common.theme import _palette

    return _palette(dark)


def test_chart_lines_are_lighter_in_the_dark_and_stand_out_on_the_chart_in_both() -> None:
    light, dark = palette.chart_colours(dark=False), palette.chart_colours(dark=True)
    for series in ("before", "after", "minutes", "pace", "heart"):
        on_light, on_dark = getattr(light, series), getattr(dark, series)
        assert on_light != on_dark, series
        assert QColor(on_dark).lightness() > QColor(on_light).lightness(), series
        assert palette.contrast(on_light, palette.LIGHT.base) >= 3.0, series
        assert palette.contrast(on_dark, palette.DARK.base) >= 3.0, series
    assert light.before != light.after
    assert dark.before != dark.after


def test_calendar_marks_read_in_both_themes_and_differ_between_them() -> None:
    for dark in (False, True):
        marks = palette.calendar_marks(dark=dark)
        backgrounds = {marks.planned.background, marks.done.background, marks.skipped.background}
        assert len(backgrounds) == 3  # planned, done and skipped told apart
        for mark in (marks.planned, marks.done, marks.skipped):
            assert palette.contrast(mark.text, mark.background) >= 4.5
    assert palette.calendar_marks(dark=False) != palette.calendar_marks(dark=True)


def test_segment_titles_read_on_both_windows_and_the_fills_are_one_set() -> None:
    for kind in palette.SEGMENT_FILL:
        for dark in (False, True):
            text = palette.segment_text(kind, dark=dark)
            assert palette.contrast(text, palette.colours(dark=dark).window) >= 4.5, (kind, dark)
    fills = list(palette.SEGMENT_FILL.values())
    assert len(set(fills)) == len(fills)  # every kind its own colour
    assert palette.segment_fill("no such kind") == palette.segment_fill("free")


def test_the_mood_scale_runs_from_one_hue_through_grey_to_another_in_both_themes() -> None:
    for dark in (False, True):
        window = palette.colours(dark=dark).window
        scale = [palette.mood_colour(v, dark=dark) for v in range(-5, 6)]
        assert len({c.name() for c in scale}) == 11
        neutral = scale[5]
        assert neutral.hsvSaturation() < 40  # grey
        bad, good = scale[0], scale[-1]
        assert bad.red() > bad.blue()
        assert good.blue() > good.red()
        # The ends stand out of the window; stronger the further from neutral (the scale reads without hue too).
        assert palette.contrast(bad, window) >= 4.5
        assert palette.contrast(good, window) >= 4.5
        distances = [palette.contrast(c, neutral) for c in scale]
        assert distances[:5] == sorted(distances[:5], reverse=True)
        assert distances[6:] == sorted(distances[6:])
        assert palette.mood_colour(9, dark=dark) == scale[-1]  # out of range is clamped, not an error
    assert palette.mood_colour(0, dark=False) != palette.mood_colour(0, dark=True)


def test_notices_read_in_both_themes_and_the_dark_one_is_no_glare() -> None:
    light, dark = palette.notice_colours(dark=False), palette.notice_colours(dark=True)
    for text, background in (light, dark):
        assert palette.contrast(text, background) >= 4.5
        assert 30 <= background.hsvHue() <= 55  # amber in both: a notice looks like one whatever the theme
    assert dark != light
    # The dark theme's box is darker than its text: a pale box was the brightest thing on the dark window.
    assert dark[1].lightness() < dark[0].lightness()
    assert palette.contrast(dark[1], palette.DARK.window) < 3.0
