"""A science cue's source (authors, year, journal) is shown under its words on the run screen, large enough to
read from a treadmill, and a screen reader gets it with the cue: a real run with real speech, light and dark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo
from pytestqt.qtbot import QtBot

from runcompanion.core.app_settings import Theme
from runcompanion.core.clock import FakeClock
from runcompanion.core.coach_texts import source_line
from runcompanion.core.cue_timeline import CueKind
from runcompanion.ui.common.theme import apply_theme
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = "long-steady-45"
COUNTDOWN_S = 5.0


def test_source_line_keeps_authors_year_and_journal() -> None:
    full = (
        "Noetel M et al. (2024). Effect of exercise for depression: systematic review and network meta-analysis "
        "of randomised controlled trials. BMJ. doi:10.1136/bmj-2023-075847"
    )
    assert source_line(full) == "Noetel M et al. (2024), BMJ"
    assert source_line("Raichlen DA et al. (2012). Wired to run. J Exp Biol. doi:1; Linden DJ, Johns Hopkins.") == (
        "Raichlen DA et al. (2012), J Exp Biol; Linden DJ, Johns Hopkins"
    )
    assert source_line("") == ""


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK], ids=lambda t: t.value)
@pytest.mark.timeout(240)
def test_a_science_cue_shows_its_source_under_its_words(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, *, tmp_path: Path, theme: Theme, answer_dialogs: list[str]
) -> None:
    services = gui.services
    assert services is not None
    assert gui.shell is not None
    gui.shell.update_settings(gui.shell.settings.with_changes(theme=theme))
    gui.window.resize(1920, 1080)
    qtbot.waitUntil(lambda: (gui.window.width(), gui.window.height()) == (1920, 1080))
    plan = services.catalog.get(SESSION)
    settings = services.settings.load()
    seed = next(
        s
        for s in range(1, 50)
        if any(c.kind is CueKind.SCIENCE for c in services.cues.captions_only(plan, settings, s).cues)
    )
    try:
        run = gui.start_run(SESSION, seed=seed)
        assert run is not None
        qtbot.waitUntil(lambda: bool(run.engine.cues), timeout=120_000)
        cue = next(c for c in run.engine.cues if c.kind is CueKind.SCIENCE)
        assert cue.caption
        clock.advance(COUNTDOWN_S + cue.offset_s + 0.5)
        screen = run.screen
        qtbot.waitUntil(lambda: screen.caption.text() == cue.text, timeout=10_000)
        shown = screen.cue_source.text()
        assert shown == source_line(cue.caption)
        assert "doi:" not in shown  # authors (year), journal: no title, no DOI
        assert len(shown) < len(cue.caption)
        assert screen.cue_source.isVisible()
        assert screen.caption.accessibleName() == cue.text
        assert screen.caption.accessibleDescription() == f"Source: {cue.caption}"
        # From 2 m away: at least 24 px at 1080 lines, and all of the line on screen.
        assert QFontInfo(screen.cue_source.font()).pixelSize() >= 24
        assert screen.cue_source.sizeHint().width() <= screen.cue_source.width()  # the whole line is seen
        folder = Path(os.environ.get("RUNCOMPANION_CUE_SOURCE_SHOTS", tmp_path))
        assert gui.window.grab().save(str(folder / f"run-cue-source-{theme.value}.png"))
        # The next cue without a source leaves no stale source behind.
        later = next(c for c in run.engine.cues if c.offset_s > cue.offset_s and not c.beep and not c.caption)
        clock.advance(later.offset_s - cue.offset_s)
        qtbot.waitUntil(lambda: screen.caption.text() == later.text, timeout=10_000)
        assert screen.cue_source.text() == ""
        assert screen.caption.accessibleDescription() == ""
    finally:
        apply_theme(gui.qapp, Theme.LIGHT)
