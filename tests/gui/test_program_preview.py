"""Previewing a program from the Sessions screen: its weeks and runs, each run's segments, time and purpose, by
keyboard, and nothing enrolled or booked by looking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan
from runcompanion.ui.sessions.program_preview import ProgramPreview
from runcompanion.ui.sessions.segment_table import segments_line
from runcompanion.ui.shell.gui_app import GuiApp


def _open(qtbot: QtBot, gui: GuiApp) -> ProgramPreview:
    gui.window.show_section("Sessions")
    page = gui.pages.sessions
    qtbot.waitUntil(lambda: page.list.count() > 0, timeout=10_000)
    page.programs_button.click()
    assert gui.sessions is not None
    dialog = gui.sessions.program_preview
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_preview_shows_every_week_and_run_with_its_segments_and_purpose(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    programs = gui.services.plan.programs
    dialog = _open(qtbot, gui)
    assert [dialog.program.itemData(i) for i in range(dialog.program.count())] == [p.id for p in programs.all()]
    c25k = programs.get("c25k")
    dialog.program.setCurrentIndex(dialog.program.findData("c25k"))
    assert dialog.tree.topLevelItemCount() == 9
    for w, week in enumerate(c25k.weeks):
        item = dialog.tree.topLevelItem(w)
        assert item is not None
        assert item.text(0).startswith(f"Week {week.number}")
        assert item.childCount() == len(week.runs)

    first = c25k.run(1, 1)
    assert dialog.current_run() == first
    assert dialog.title.text() == first.name
    assert "30 min" in dialog.facts.text()
    assert dialog.purpose.text() == first.description
    assert "eight one-minute runs" in dialog.purpose.text()
    assert dialog.milestone.text() == "★ A milestone: your very first run of Couch to 5K."
    assert dialog.segments.rowCount() == len(first.segments)
    what = [dialog.segments.item(r, 1).text() for r in range(dialog.segments.rowCount())]  # type: ignore[union-attr]
    assert what == [s.title for s in first.segments]
    run_item = dialog.tree.currentItem()
    assert run_item is not None
    assert "8 × (1:00 Run, 1:30 Walk)" in run_item.text(0)
    assert run_item.text(1) == "30 min"

    dialog.reject()
    # Looking enrolled in nothing and booked nothing.
    assert gui.services.plan.enrolments() == []
    assert gui.services.plan.upcoming() == []


def test_the_weeks_and_runs_are_walked_by_keyboard(qtbot: QtBot, gui: GuiApp) -> None:
    assert gui.services is not None
    c25k = gui.services.plan.programs.get("c25k")
    dialog = _open(qtbot, gui)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.program.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(dialog.program, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.tree  # the program box, then its weeks and runs

    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.current_run() == c25k.run(1, 2)
    assert dialog.title.text() == c25k.run(1, 2).name
    for _ in range(2):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    week2 = dialog.tree.currentItem()
    assert week2 is not None
    assert week2.text(0).startswith("Week 2")
    assert dialog.current_run() is None
    assert dialog.title.text() == "Week 2"
    assert dialog.purpose.text() == c25k.weeks[1].description  # a week shows what the week is for
    assert dialog.segments.rowCount() == 0
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Right)  # opens the week
    assert week2.isExpanded()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Down)
    assert dialog.current_run() == c25k.run(2, 1)
    assert dialog.segments.rowCount() == len(c25k.run(2, 1).segments)

    dialog.program.setCurrentIndex(dialog.program.findData("small-steps"))
    small = gui.services.plan.programs.get("small-steps")
    assert dialog.tree.topLevelItemCount() == len(small.weeks)
    assert dialog.current_run() == small.run(1, 1)
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    assert not dialog.isVisible()  # Escape closes the preview, as dialogs do


def _seg(kind: SegmentKind, seconds: float, label: str = "") -> Segment:
    return Segment(kind, seconds, label)


def test_a_run_is_said_in_one_line_with_its_repeats_counted() -> None:
    body = [_seg(SegmentKind.RUN, 60, f"Run {i} of 3") if j == 0 else _seg(SegmentKind.WALK, 90) for i in (1, 2, 3)
            for j in (0, 1)]  # fmt: skip
    plan = SessionPlan(
        id="x",
        name="X",
        segments=(_seg(SegmentKind.WARMUP, 300, "Brisk walk"), *body, _seg(SegmentKind.COOLDOWN, 300, "Easy walk")),
    )
    assert segments_line(plan) == "5:00 Brisk walk, 3 × (1:00 Run, 1:30 Walk), 5:00 Easy walk"
    assert segments_line(plan, ends=False) == "3 × (1:00 Run, 1:30 Walk)"
    steady = SessionPlan(id="y", name="Y", segments=(_seg(SegmentKind.RUN, 1500, "Steady run"),))
    assert segments_line(steady, ends=False) == "25:00 Steady run"  # a lone segment is kept, whatever its kind
    uneven = SessionPlan(
        id="z",
        name="Z",
        segments=(_seg(SegmentKind.RUN, 180), _seg(SegmentKind.WALK, 90), _seg(SegmentKind.RUN, 300)),
    )
    assert segments_line(uneven) == "3:00 Run, 1:30 Walk, 5:00 Run"  # nothing repeats: nothing is counted
