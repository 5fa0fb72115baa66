"""The session editor as a runner uses it: built from nothing by keyboard and mouse, checked as typed by the
importer's rules, reordered, undone, and saved as the session it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from runcompanion.core.session_draft import SessionDraft
from runcompanion.core.session_plan import RepeatBlock, SegmentKind, SessionPlan
from runcompanion.ui.sessions.session_editor import SessionEditor


def _laid_out(qtbot: QtBot, widget: QWidget) -> None:
    """A part of the form just shown gets its size when Qt next lays it out: click it only then."""
    qtbot.waitUntil(lambda: widget.isVisible() and widget.width() > 0 and widget.height() > 0, timeout=2000)


def _click(qtbot: QtBot, button: QWidget) -> None:
    _laid_out(qtbot, button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    """Click into the box, select what is there and type over it, as a person does."""
    _click(qtbot, box)
    box.selectAll()
    qtbot.keyClicks(box, text)


def _select(editor: SessionEditor, path: tuple[int, ...]) -> None:
    item = editor.tree.item_at(path)
    assert item is not None, path
    editor.tree.setCurrentItem(item)


def _choose_kind(qtbot: QtBot, editor: SessionEditor, label: str) -> None:
    combo = editor.form.kind
    combo.setFocus()
    target = combo.findText(label)
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def _type_note(qtbot: QtBot, table: QTableWidget, row: int, column: int, text: str) -> None:
    _laid_out(qtbot, table)
    item = table.item(row, column)
    assert item is not None
    where = table.visualItemRect(item).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    (editor,) = [box for box in table.viewport().findChildren(QLineEdit) if box.isVisible()]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def build_six_by_one(qtbot: QtBot, editor: SessionEditor) -> None:
    """A warm-up with a spoken note, 6 x (1 min hard, 90 s easy), a cool-down: the issue's session."""
    _type(qtbot, editor.name, "Six by one")
    _click(qtbot, editor.add_segment_button)  # the first segment is a warm-up
    _type(qtbot, editor.form.duration, "8:00")
    _click(qtbot, editor.form.add_note_button)
    _type_note(qtbot, editor.form.notes, 0, 0, "1:30")
    _type_note(qtbot, editor.form.notes, 0, 1, "Let your shoulders drop and breathe out long.")
    _click(qtbot, editor.add_repeat_button)  # after the warm-up: a block of run 1:00, walk 1:30
    _type(qtbot, editor.form.times, "6")
    _select(editor, (1, 0))
    _type(qtbot, editor.form.effort, "8")
    _type(qtbot, editor.form.label, "Hard")
    _select(editor, (1, 1))
    _choose_kind(qtbot, editor, "Recover")
    _type(qtbot, editor.form.duration, "90")
    _type(qtbot, editor.form.label, "Easy")
    _select(editor, (1,))
    _click(qtbot, editor.add_segment_button)  # after the block: a cool-down
    assert editor.draft.segment((2,)).kind == "cooldown"


def test_a_session_built_from_nothing_saves_as_it_shows(qtbot: QtBot) -> None:
    editor = SessionEditor(SessionDraft(), "New session")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(editor.isVisible)
    assert not editor.save_button.isEnabled()  # nothing yet: a name and a segment are missing
    build_six_by_one(qtbot, editor)
    assert editor.status.text() == "Ready to save."
    assert editor.total.text() == "Total 28:00"
    with qtbot.waitSignal(editor.preview_requested, timeout=5000) as preview:
        pass
    assert isinstance(preview.args[0], SessionPlan)
    with qtbot.waitSignal(editor.save_requested, timeout=2000) as saved:
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    plan: SessionPlan = saved.args[0]
    assert plan.name == "Six by one"
    assert [s.kind for s in plan.segments[:3]] == [SegmentKind.WARMUP, SegmentKind.RUN, SegmentKind.RECOVER]
    assert plan.repeats == (RepeatBlock(1, 2, 6),)
    assert (plan.segments[1].effort, plan.segments[1].title, plan.segments[2].duration_s) == (8, "Hard", 90.0)
    assert plan.segments[0].notes[0].at_s == 90.0
    assert plan.segments[-1].kind is SegmentKind.COOLDOWN
    assert plan.total_s == 8 * 60 + 6 * 150 + 5 * 60


def test_problems_show_next_to_their_field_as_typed_and_block_saving(qtbot: QtBot) -> None:
    editor = SessionEditor(SessionDraft(), "New session")
    qtbot.addWidget(editor)
    editor.show()
    build_six_by_one(qtbot, editor)
    _select(editor, (1, 0))
    _type(qtbot, editor.form.effort, "12")
    assert editor.form.errors["effort"].isVisible()
    assert editor.form.errors["effort"].text() == "Effort must be a whole number from 0 to 10 (Borg CR10), got 12."
    assert not editor.save_button.isEnabled()
    _type(qtbot, editor.form.speed, "45")
    assert editor.form.errors["speed"].text() == "Speed must be a number from 0.5 to 30 km/h, got 45.0."
    _type(qtbot, editor.form.effort, "8")
    _type(qtbot, editor.form.speed, "11.5")
    assert not editor.form.errors["effort"].isVisible()
    assert editor.save_button.isEnabled()


def test_reorder_by_keyboard_remove_and_undo(qtbot: QtBot) -> None:
    editor = SessionEditor(SessionDraft(), "New session")
    qtbot.addWidget(editor)
    editor.show()
    build_six_by_one(qtbot, editor)
    before = editor.draft
    _select(editor, (2,))  # the cool-down
    editor.tree.setFocus()
    qtbot.keyClick(editor.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert editor.draft.segment((1,)).kind == "cooldown"
    assert editor.tree.path_of(editor.tree.currentItem()) == (1,)
    qtbot.keyClick(editor.tree, Qt.Key.Key_Delete)
    assert len(editor.draft.items) == 2
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.draft == before
    _click(qtbot, editor.redo_button)
    assert editor.draft.segment((1,)).kind == "cooldown"


def test_items_moved_in_the_list_become_the_new_order(qtbot: QtBot) -> None:
    """A drag moves tree items the way this test does (taken out and put back elsewhere); the editor follows."""
    editor = SessionEditor(SessionDraft(), "New session")
    qtbot.addWidget(editor)
    editor.show()
    build_six_by_one(qtbot, editor)
    tree = editor.tree
    with qtbot.waitSignal(tree.order_changed, timeout=2000):
        cooldown = tree.takeTopLevelItem(2)
        assert cooldown is not None
        tree.insertTopLevelItem(0, cooldown)
    assert [i.kind if hasattr(i, "kind") else "block" for i in editor.draft.items] == ["cooldown", "warmup", "block"]
    block = tree.topLevelItem(2)
    assert block is not None
    with qtbot.waitSignal(tree.order_changed, timeout=2000):
        warmup = tree.takeTopLevelItem(1)
        assert warmup is not None
        block.insertChild(0, warmup)  # dropped into the block: it becomes the block's first segment
    assert editor.draft.segment((1, 0)).kind == "warmup"
    assert editor.draft.segment((1, 1)).label == "Hard"
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.draft.segment((1,)).kind == "warmup"
