"""The session editor in the app: a session built from nothing is saved, listed, started, and its spoken note is
in the run's cue timeline; a duplicated and edited built-in leaves the built-in as it was; delete has undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.session_plan import SessionPlan
from runcompanion.services.composition import Services
from runcompanion.ui.sessions.session_editor import SessionEditor
from runcompanion.ui.sessions.sessions_page import SessionsPage
from runcompanion.ui.shell.gui_app import GuiApp
from tests.gui.test_session_editor import _click, _select, _type, build_six_by_one

NOTE = "Let your shoulders drop and breathe out long."
ZWO = Path(__file__).parent.parent / "fixtures" / "zwo"


@pytest.fixture(autouse=True)
def _dialogs_never_block(answer_dialogs: list[str]) -> list[str]:
    return answer_dialogs


def _sessions_page(qtbot: QtBot, gui: GuiApp) -> SessionsPage:
    gui.window.show_section("Sessions")
    page = gui.pages.sessions
    qtbot.waitUntil(lambda: page.list.count() > 0, timeout=10_000)
    return page


def _editor(qtbot: QtBot, gui: GuiApp) -> SessionEditor:
    assert gui.sessions is not None
    qtbot.waitUntil(lambda: gui.sessions is not None and gui.sessions.editor is not None, timeout=10_000)
    editor = gui.sessions.editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible, timeout=10_000)
    return editor


def _save(qtbot: QtBot, gui: GuiApp, editor: SessionEditor) -> SessionPlan:
    assert gui.sessions is not None
    assert editor.save_button.isEnabled(), editor.status.text()
    _click(qtbot, editor.name)  # back in the editor's window (the main window may have taken the focus)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=5_000)
    with qtbot.waitSignal(gui.sessions.saved, timeout=10_000) as saved:
        qtbot.keyClick(editor.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    plan = saved.args[0]
    assert isinstance(plan, SessionPlan)
    return plan


def test_build_save_list_start_and_hear_the_note(qtbot: QtBot, gui: GuiApp) -> None:
    page = _sessions_page(qtbot, gui)
    _click(qtbot, page.new_button)
    editor = _editor(qtbot, gui)
    build_six_by_one(qtbot, editor)
    qtbot.waitUntil(lambda: NOTE in editor.timeline_texts(), timeout=10_000)  # the live spoken timeline
    plan = _save(qtbot, gui, editor)
    assert plan.id == "six-by-one"
    assert page.current_session_id() == "six-by-one"
    assert any("Six by one" in page.list.item(i).text() for i in range(page.list.count()))
    qtbot.waitUntil(lambda: page.name.text() == "Six by one", timeout=5_000)
    assert "repeat 6 ×" in page.summary.text()
    first = page.segments.item(0, 1)
    assert first is not None
    assert first.text() == f"Warm-up · says “{NOTE}”"
    with qtbot.waitSignal(page.start_requested):
        _click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: gui.runs.run is not None, timeout=10_000)
    run = gui.runs.run
    assert run is not None
    assert run.engine.plan.id == "six-by-one"
    qtbot.waitUntil(lambda: len(run.engine.cues) > 0, timeout=60_000)  # speech is rendered first
    notes = [c for c in run.engine.cues if c.kind is CueKind.NOTE]
    assert [c.text for c in notes] == [NOTE]
    assert notes[0].segment_index == 0
    assert abs(notes[0].offset_s - 90.0) <= 15.0


def test_a_duplicated_and_edited_built_in_stays_as_it_was(qtbot: QtBot, gui: GuiApp, services: Services) -> None:
    page = _sessions_page(qtbot, gui)
    builtin = next(p for p in services.catalog.builtin())
    before = services.catalog.get(builtin.id)
    page.select(builtin.id)
    assert not page.edit_button.isEnabled()  # only a copy of a built-in can be changed
    _click(qtbot, page.duplicate_button)
    editor = _editor(qtbot, gui)
    assert editor.name.text() == f"{builtin.name} (copy)"
    _select(editor, (0,))
    _type(qtbot, editor.form.duration, "9:00")
    copy = _save(qtbot, gui, editor)
    assert copy.id != builtin.id
    assert not copy.builtin
    assert copy.segments[0].duration_s == 540.0
    assert services.catalog.get(builtin.id) == before


def test_delete_an_own_session_and_undo(qtbot: QtBot, gui: GuiApp, services: Services) -> None:
    page = _sessions_page(qtbot, gui)
    _click(qtbot, page.new_button)
    editor = _editor(qtbot, gui)
    _type(qtbot, editor.name, "Short walk")
    _click(qtbot, editor.add_segment_button)
    plan = _save(qtbot, gui, editor)
    page.select(plan.id)
    _click(qtbot, page.delete_button)
    qtbot.waitUntil(page.undo_row.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: page.current_session_id() != plan.id, timeout=10_000)
    assert all(p.id != plan.id for p in services.catalog.own())
    _click(qtbot, page.undo_button)
    qtbot.waitUntil(lambda: page.current_session_id() == plan.id, timeout=10_000)
    assert services.catalog.get(plan.id) == plan
    assert not page.undo_row.isVisible()


def test_the_5_km_pace_in_settings_turns_a_zwo_into_speeds(
    qtbot: QtBot, gui: GuiApp, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *_a, **_k: told.append(text))
    gui.window.show_section("Settings")
    settings_page = gui.pages.settings
    _type(qtbot, settings_page.pace, "4:3")
    assert settings_page.pace_error.isVisible()  # not a pace yet: said, and not saved
    qtbot.keyClicks(settings_page.pace, "0")
    assert not settings_page.pace_error.isVisible()
    qtbot.waitUntil(lambda: services.settings.load().reference_pace_s == 270, timeout=10_000)
    assert gui.shell is not None
    gui.shell.import_session_file(ZWO / "tempo-intervals.zwo")
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert "your 5 km pace, 4:30 per km" in told[0]
    plan = services.catalog.get("tempo-5-x-3-min")
    ten_k_speed = 3600 / (270 * 2**0.06)
    assert plan.segments[5].speed_kmh == round(ten_k_speed, 1)  # OnPower 1.0 of the 10 km pace


def test_a_zwo_fills_the_editor_and_undo_takes_it_back(qtbot: QtBot, gui: GuiApp, services: Services) -> None:
    page = _sessions_page(qtbot, gui)
    _click(qtbot, page.new_button)
    editor = _editor(qtbot, gui)
    assert gui.sessions is not None
    gui.sessions.fill_from_file(editor, ZWO / "hill-strides.zwo")  # what the "From a file…" dialog returns
    qtbot.waitUntil(lambda: editor.draft.name == "Hill strides", timeout=10_000)
    assert "Zwift run workout" in editor.status.text()
    assert editor.total.text() == "Total 31:00"
    _click(qtbot, editor.tree)  # in a text box Ctrl+Z undoes that box's typing, as everywhere
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.draft.name == ""
    _click(qtbot, editor.redo_button)
    plan = _save(qtbot, gui, editor)
    assert plan.name == "Hill strides"
    assert services.catalog.get(plan.id).repeats == plan.repeats
