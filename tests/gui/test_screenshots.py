"""Screenshots of the run screen, taken on every test run and checked for content.

They go to a temporary folder; with RUNCOMPANION_UPDATE_SCREENSHOTS=1 they replace the ones in docs/screenshots
that the README shows.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import AppSettings, Theme
from runcompanion.core.clock import FakeClock
from runcompanion.paths import resolve_paths
from runcompanion.services.composition import Services, build_services
from runcompanion.ui.common.palette import is_dark
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.run.controller import RunController
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = "first-walk-run"
SEED = 7
COUNTDOWN_S = 5
TOTAL_S = 20 * 60
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    """A run still going when pytest-qt closes the window would otherwise ask in a modal box nobody answers."""
    return answer_dialogs


@pytest.fixture(scope="session")
def rendered_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = build_services(resolve_paths(tmp_path_factory.mktemp("speech") / "home", env={}))
    try:
        built.cues.prepare(built.catalog.get(SESSION), AppSettings(), SEED)
    finally:
        built.close()
    return built.paths.speech_cache


@pytest.fixture(autouse=True)
def _warm_speech_cache(services: Services, rendered_speech: Path) -> None:
    for wav in rendered_speech.glob("*.wav"):
        shutil.copy2(wav, services.paths.speech_cache / wav.name)


@pytest.fixture(autouse=True)
def _speakers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pictures of the usual case, a machine with speakers, whatever the machine taking them has: no "No sound"
    banner (the run screen's readability with the banner is checked in test_run_screen.py)."""
    monkeypatch.setattr("runcompanion.ui.run.qt_player.audio_output_available", lambda: True)
    # The test machine's sound device may refuse the clips; the pictures show a machine where sound works.
    monkeypatch.setattr("runcompanion.ui.run.qt_player.QtPlayer._check", lambda _self, _effect: None)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("RUNCOMPANION_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def start_run(qtbot: QtBot, gui: GuiApp, width: int, height: int) -> RunController:
    gui.window.resize(width, height)
    qtbot.waitUntil(lambda: (gui.window.width(), gui.window.height()) == (width, height))
    run = gui.start_run(SESSION, seed=SEED)
    assert run is not None
    with qtbot.waitSignal(run.countdown_started, timeout=5_000):
        pass
    screen = run.screen
    # The cues are rendered and handed to the engine before the clock moves, so the caption is a real cue.
    qtbot.waitUntil(lambda: screen.preparing.isHidden() and gui.tasks.in_flight == 0, timeout=60_000)
    return run


def into_second_run(qtbot: QtBot, clock: FakeClock, run: RunController) -> None:
    """18 s into "Easy run 2 of 4" (7:48 of 20:00): the change cue for that run is the caption."""
    screen = run.screen
    clock.advance(COUNTDOWN_S)
    qtbot.waitUntil(lambda: screen.time_label.text() == "5:00")
    clock.advance(7 * 60 + 48)
    qtbot.waitUntil(lambda: screen.elapsed_label.text() == "7:48 of 20:00")
    assert screen.now_label.text() == "Easy run 2 of 4"
    assert screen.time_label.text() == "0:42"
    assert screen.caption.text().startswith("Run now")
    assert screen.banner.isHidden()


def save_grab(widget: QWidget, path: Path) -> QImage:
    image = widget.grab().toImage()
    assert image.save(str(path)), f"could not write {path}"
    loaded = QImage(str(path))
    assert not loaded.isNull()
    assert (loaded.width(), loaded.height()) == (image.width(), image.height())
    return loaded


def assert_not_trivial(image: QImage, width: int, height: int) -> None:
    assert (image.width(), image.height()) == (width, height)
    colours: Counter[int] = Counter()
    for y in range(0, height, 4):
        for x in range(0, width, 4):
            colours[image.pixel(x, y)] += 1
    samples = sum(colours.values())
    assert len(colours) >= 16, f"only {len(colours)} colours"
    background_share = colours.most_common(1)[0][1] / samples
    assert background_share < 0.97, f"{background_share:.0%} of the picture is one colour"


def ink_share(image: QImage, area: QRect) -> float:
    """The share of pixels in ``area`` that differ from its top-left corner (the label's background)."""
    background = image.pixel(area.topLeft())
    inked = total = 0
    for y in range(area.top(), area.bottom(), 2):
        for x in range(area.left(), area.right(), 2):
            total += 1
            inked += image.pixel(x, y) != background
    return inked / total


@pytest.fixture
def theme(request: pytest.FixtureRequest, gui: GuiApp, qtbot: QtBot) -> Iterator[Theme]:
    """The theme the picture is taken in; the application goes back to light afterwards (its palette outlives
    the test)."""
    chosen: Theme = request.param
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(theme=chosen, welcomed=True))
    qtbot.waitUntil(lambda: is_dark(gui.window.palette()) == (chosen is Theme.DARK))
    yield chosen
    apply_theme(gui.qapp, Theme.LIGHT)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK], ids=["light", "dark"], indirect=True)
@pytest.mark.parametrize("size", [(1280, 800), (800, 480)], ids=["1280x800", "800x480"])
def test_run_screen_screenshot(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, shots: Path, *, size: tuple[int, int], theme: Theme
) -> None:
    width, height = size
    run = start_run(qtbot, gui, width, height)
    into_second_run(qtbot, clock, run)
    screen = run.screen
    qtbot.waitUntil(lambda: screen.height() == height)
    assert is_dark(screen.palette()) == (theme is Theme.DARK)

    suffix = "-dark" if theme is Theme.DARK else ""
    image = save_grab(gui.window, shots / f"run-{width}x{height}{suffix}.png")
    assert_not_trivial(image, width, height)
    # The big digits were really painted, large: a good part of their label is ink.
    label = screen.time_label
    area = QRect(label.mapTo(gui.window, QPoint(0, 0)), label.size())
    assert ink_share(image, area) > 0.04


def test_summary_screenshot(qtbot: QtBot, gui: GuiApp, clock: FakeClock, shots: Path) -> None:
    run = start_run(qtbot, gui, 1280, 800)
    screen = run.screen
    clock.advance(COUNTDOWN_S)
    qtbot.waitUntil(lambda: screen.time_label.text() == "5:00")
    with qtbot.waitSignal(run.run_saved, timeout=5_000):
        clock.advance(TOTAL_S)
    assert screen.showing_summary
    assert screen.summary_title.text().startswith("Well done")

    image = save_grab(gui.window, shots / "run-summary.png")
    assert_not_trivial(image, 1280, 800)
    title = QRect(screen.summary_title.mapTo(gui.window, QPoint(0, 0)), screen.summary_title.size())
    assert ink_share(image, title) > 0.02
    assert screen.done_button.isVisible()
    assert screen.done_button.text() == "Back to Today"
    assert screen.reflect_button.isVisible()
