"""A low check-in on the run screen makes the rest of the run gentle, as `cues --feeling -3` shows it, and the
coach's memory keeps what the run then said: real speech, a real SQLite file, a real window, a fake clock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from runcompanion.core.clock import FakeClock
from runcompanion.core.coach_program import REMEMBERED_KINDS
from runcompanion.core.coach_replan import COACH_KINDS
from runcompanion.core.coach_texts import GENTLE_SENTENCES
from runcompanion.core.cue_timeline import CueKind, TimelineCue
from runcompanion.ui.run.checkin_replan import CheckinReplanner
from runcompanion.ui.shell.gui_app import GuiApp

SESSION = "small-steps-10"
SEED = 12  # a seed whose gentle run says other library cues than its steady one (asserted below)


def remembered(cues: tuple[TimelineCue, ...]) -> set[str]:
    return {c.cue_id for c in cues if c.cue_id and c.kind in REMEMBERED_KINDS}


def coach_from(cues: tuple[TimelineCue, ...], from_s: float) -> list[tuple[str, str, float]]:
    return [
        (c.kind.value, c.text, round(c.offset_s, 3)) for c in cues if c.offset_s >= from_s and c.kind in COACH_KINDS
    ]


@pytest.mark.timeout(240)
def test_a_low_check_in_makes_the_rest_of_the_run_gentle_and_is_remembered(
    qtbot: QtBot, gui: GuiApp, clock: FakeClock, answer_dialogs: list[str]
) -> None:
    services = gui.services
    assert services is not None
    plan = services.catalog.get(SESSION)
    settings = services.settings.load()
    # What `runcompanion cues small-steps-10 --seed 12 --feeling -3` says for this runner, and without it.
    gentle = services.cues.prepare(plan, settings, SEED, context=services.coach.context(plan, -3)).timeline
    steady = services.cues.prepare(plan, settings, SEED, context=services.coach.context(plan)).timeline
    assert coach_from(gentle.cues, 0.0) != coach_from(steady.cues, 0.0)
    assert remembered(gentle.cues) != remembered(steady.cues)  # so that the memory can tell them apart

    run = gui.start_run(SESSION, seed=SEED)
    assert run is not None
    replanner = run.findChild(CheckinReplanner)
    assert replanner is not None
    qtbot.waitUntil(lambda: bool(run.engine.cues), timeout=90_000)
    assert coach_from(run.engine.cues, 0.0) == coach_from(steady.cues, 0.0)  # no check-in yet: a steady day
    qtbot.waitUntil(run.screen.checkin.isVisible, timeout=10_000)

    button = run.screen.feeling.button(-3)
    with qtbot.waitSignal(replanner.replanned, timeout=60_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # in the countdown: the clock has not moved
    # Everything the coach says from a few seconds after the check-in on is what `cues --feeling -3` says.
    assert coach_from(run.engine.cues, 3.0) == coach_from(gentle.cues, 3.0)
    briefing = " ".join(c.text for c in run.engine.cues if c.kind is CueKind.BRIEFING)
    assert any(sentence in briefing for sentence in GENTLE_SENTENCES), briefing
    # The announcements are the same as before the check-in.
    assert [c for c in run.engine.cues if c.kind not in COACH_KINDS] == [
        c for c in steady.cues if c.kind not in COACH_KINDS
    ]

    said = [c.cue_id for c in run.engine.cues if c.cue_id and c.kind in REMEMBERED_KINDS]
    clock.advance(5 + 600)
    qtbot.waitUntil(lambda: run.screen.showing_summary, timeout=10_000)
    qtbot.waitUntil(lambda: services.coach.memory().run_count == 1, timeout=10_000)
    assert sorted(services.coach.memory().runs[-1]) == sorted(said)
    assert set(said) != {c.cue_id for c in steady.cues if c.cue_id and c.kind in REMEMBERED_KINDS}
